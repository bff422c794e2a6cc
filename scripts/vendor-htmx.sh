#!/usr/bin/env bash
# Vendor htmx into static/vendor/htmx/ (htmx.min.js, LICENSE, VERSION).
# Usage: scripts/vendor-htmx.sh [VERSION]   (default: the pinned version below)
# Uses the ordinary npm client; nothing is served from outside at run time.
set -euo pipefail

HTMX_VERSION="${1:-2.0.11}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor/htmx"

command -v npm >/dev/null 2>&1 || { echo "vendor-htmx: npm is required" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/tyopari-htmx.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null)
TARBALL="$(ls "$TMP"/htmx.org-*.tgz)"
tar -xzf "$TARBALL" -C "$TMP" package/dist/htmx.min.js package/LICENSE package/package.json

GOT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$TMP/package/package.json")"
if [ "$GOT" != "$HTMX_VERSION" ]; then
    echo "vendor-htmx: expected version $HTMX_VERSION, got $GOT" >&2
    exit 1
fi

mkdir -p "$DEST"
install -m 644 "$TMP/package/dist/htmx.min.js" "$DEST/htmx.min.js"
install -m 644 "$TMP/package/LICENSE" "$DEST/LICENSE"
printf '%s\n' "$HTMX_VERSION" > "$DEST/VERSION"
echo "vendor-htmx: htmx $HTMX_VERSION -> ${DEST#"$ROOT"/}"
