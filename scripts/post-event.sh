#!/usr/bin/env bash
# Posts a closed-won event the way a CRM does: signed with HMAC-SHA256 over "<timestamp>.<raw body>".
# usage: scripts/post-event.sh [FILE] [API_URL]   (API_URL: else CLOSEDLOOP_URL, else npm start's address;
# secret: CRM_WEBHOOK_SECRET, else the file npm start keeps in DATA_DIR, .data by default)
# The secret never goes on a command line (any local user can read those in ps): node takes it from the
# environment or the file.
set -euo pipefail
file="${1:-examples/closed-won.json}"
url="${2:-${CLOSEDLOOP_URL:-http://127.0.0.1:3000}}"
ts=$(date +%s)
sig=$({ printf '%s.' "$ts"; cat "$file"; } | SECRET_FILE="${DATA_DIR:-.data}/crm-webhook-secret" node -e '
  const { createHmac } = require("node:crypto");
  const { readFileSync } = require("node:fs");
  const secret = process.env.CRM_WEBHOOK_SECRET || readFileSync(process.env.SECRET_FILE, "utf8").trim();
  process.stdout.write(createHmac("sha256", secret).update(readFileSync(0)).digest("hex"));
')
curl -s -X POST "$url/v1/events/closed-won" \
  -H 'content-type: application/json' \
  -H "x-closedloop-timestamp: $ts" \
  -H "x-closedloop-signature: v1=$sig" \
  --data-binary @"$file"
echo
