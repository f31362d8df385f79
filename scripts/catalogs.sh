#!/usr/bin/env bash
# The message catalogs (gettext, Babel), as MkDocs keeps its own.
#   scripts/catalogs.sh extract   re-extract locales/messages.pot from the code and templates
#                                 and merge it into every language's messages.po
#   scripts/catalogs.sh init LANG start a new language (then translate its messages.po)
#   scripts/catalogs.sh compile   compile every messages.po to messages.mo, failing on
#                                 broken placeholders (the wheel build does this itself)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
LOCALES=generator/revstory/site/locales
# The Translator's spellings (revstory/site/i18n.py) beside Babel's defaults (_, N_, ngettext …).
KEYWORDS=(-k t -k tr -k n:1,2 -k p:1c,2 -k NP_:1c,2)
case "${1:-}" in
  extract)
    "$PYBABEL" extract -F babel.cfg "${KEYWORDS[@]}" --no-location --sort-output \
      --project revstory -c TRANSLATORS: -o "$LOCALES/messages.pot" .
    "$PYBABEL" update -i "$LOCALES/messages.pot" -d "$LOCALES" --no-fuzzy-matching \
      --ignore-obsolete
    ;;
  init)
    "$PYBABEL" init -i "$LOCALES/messages.pot" -d "$LOCALES" -l "${2:?language code, e.g. de}"
    ;;
  compile)
    "$PYBABEL" compile -d "$LOCALES" --statistics
    ;;
  *)
    echo "usage: scripts/catalogs.sh extract | init LANG | compile" >&2
    exit 2
    ;;
esac
