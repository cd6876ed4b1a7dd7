#!/usr/bin/env bash
# Posts a closed-won event the way a CRM does: signed with HMAC-SHA256 over "<timestamp>.<raw body>".
# usage: scripts/post-event.sh [FILE] [API_URL]   (API_URL: else CLOSEDLOOP_URL, else npm start's address;
# secret: CRM_WEBHOOK_SECRET, else the file npm start keeps in DATA_DIR, .data by default)
set -euo pipefail
file="${1:-examples/closed-won.json}"
url="${2:-${CLOSEDLOOP_URL:-http://127.0.0.1:3000}}"
secret="${CRM_WEBHOOK_SECRET:-$(cat "${DATA_DIR:-.data}/crm-webhook-secret")}"
ts=$(date +%s)
sig=$({ printf '%s.' "$ts"; cat "$file"; } | openssl dgst -sha256 -hmac "$secret" | awk '{print $NF}')
curl -s -X POST "$url/v1/events/closed-won" \
  -H 'content-type: application/json' \
  -H "x-closedloop-timestamp: $ts" \
  -H "x-closedloop-signature: v1=$sig" \
  --data-binary @"$file"
echo
