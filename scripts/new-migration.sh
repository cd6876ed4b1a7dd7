#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the committed schema to the
# edited prisma/schema.prisma. (`migrate dev` and `--from-url` need Prisma's engines or refuse the
# driver adapter; a schema-to-schema diff needs neither.)
set -euo pipefail
name="${1:?usage: scripts/new-migration.sh <name>}"
cd "$(dirname "$0")/.."
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
old=$(mktemp)
git show HEAD:prisma/schema.prisma > "$old"
mkdir -p "$dir"
node scripts/prisma.js migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
