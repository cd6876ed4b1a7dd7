#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the committed schema to the
# edited prisma/schema.prisma. (`migrate dev` and `--from-url` need Prisma's engines or refuse the
# driver adapter; a schema-to-schema diff needs neither.)
set -euo pipefail
name="${1:?usage: scripts/new-migration.sh <name>}"
cd "$(dirname "$0")/.."
# Named after the newest migration + 1 s, so it always sorts last (the clock may be behind a name).
last=$(ls prisma/migrations | grep -E '^[0-9]{14}_' | sort | tail -1 | cut -c1-14)
stamp=$(date -u -d "$(echo "$last" | sed -E 's/(....)(..)(..)(..)(..)(..)/\1-\2-\3 \4:\5:\6/') UTC + 1 second" +%Y%m%d%H%M%S)
now=$(date -u +%Y%m%d%H%M%S)
[ "$now" \> "$stamp" ] && stamp=$now
dir="prisma/migrations/${stamp}_${name}"
# The diff runs through the driver adapter, which wants a reachable server (nothing is changed there).
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
old=$(mktemp)
git show HEAD:prisma/schema.prisma > "$old"
mkdir -p "$dir"
node scripts/prisma.js migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
