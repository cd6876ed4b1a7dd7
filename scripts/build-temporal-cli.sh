#!/usr/bin/env bash
# Builds the Temporal CLI (which contains the dev server) from Go modules into closedloop's cache,
# once. Used on machines that cannot download the CLI at run time; skipped when a CLI already exists
# (TEMPORAL_CLI_PATH, `temporal` on PATH, or the cache).
set -euo pipefail
VERSION=1.5.1 # newest tag that builds with `go install` (later tags use a replace directive)
CACHE_DIR="${CLOSEDLOOP_CACHE_DIR:-$HOME/.cache/closedloop}"
TARGET="$CACHE_DIR/bin/temporal"

if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "$TEMPORAL_CLI_PATH" ]; then echo "temporal CLI: $TEMPORAL_CLI_PATH"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then echo "temporal CLI: $(command -v temporal)"; exit 0; fi
if [ -x "$TARGET" ]; then echo "temporal CLI: $TARGET (cached)"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  echo "No Temporal CLI and no Go toolchain: install Go, or set TEMPORAL_CLI_PATH, or let the SDK download the CLI (needs internet)." >&2
  exit 1
fi

echo "Building the Temporal CLI v$VERSION from Go modules into $TARGET (takes a few minutes, once)..."
mkdir -p "$CACHE_DIR/bin"
build() {
  (cd /tmp && CGO_ENABLED=0 GOBIN="$CACHE_DIR/bin" go install "$@" \
    "github.com/temporalio/cli/cmd/temporal@v$VERSION")
}
build -ldflags "-X github.com/temporalio/cli/temporalcli.Version=$VERSION" \
  || build -ldflags "-X github.com/temporalio/cli/temporalcli.Version=$VERSION -checklinkname=0"
"$TARGET" --version
