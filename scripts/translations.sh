#!/usr/bin/env bash
# Extract the messages from the code and templates and merge them into the fi/sv/en catalogues.
# Then translate what is new in outreach/translations/*/LC_MESSAGES/messages.po
# (tests/test_i18n.py fails while any message lacks a translation). `make translations` compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
  --project Työpari -o "$pot" . >/dev/null
.venv/bin/pybabel update -i "$pot" -d outreach/translations --no-fuzzy-matching --ignore-obsolete
