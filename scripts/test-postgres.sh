#!/usr/bin/env bash
# Run the test suite against a throwaway PostgreSQL; the server is always stopped.
# Usage: scripts/test-postgres.sh [PYTEST...]   (default pytest: .venv/bin/pytest)
#   TEST_DATABASE_URL = <base>tyopari_test, E2E_DATABASE_URL = <base>tyopari_e2e
#   PG_THROWAWAY = scripts/pg-throwaway.sh, LOAD_FAULT_REQUIRED = 1 (tests/load fault test)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG="$ROOT/scripts/pg-throwaway.sh"
cd "$ROOT"

PYTEST="${PYTEST:-$ROOT/.venv/bin/pytest}"

# A leftover from an interrupted run is cleaned first.
"$PG" stop >/dev/null 2>&1 || true
trap '"$PG" stop' EXIT
"$PG" start
BASE="$("$PG" url)"

export TEST_DATABASE_URL="${BASE}tyopari_test"
export E2E_DATABASE_URL="${BASE}tyopari_e2e"
# The fault test (tests/load) stops and starts this server through the script; in this
# pass it must run, never skip.
export PG_THROWAWAY="$PG"
export LOAD_FAULT_REQUIRED=1
echo "test-postgres: TEST_DATABASE_URL=$TEST_DATABASE_URL E2E_DATABASE_URL=$E2E_DATABASE_URL" >&2
"$PYTEST" "$@"
