#!/usr/bin/env bash
# Extract the translatable strings into the French and English catalogues, then compile them.
#
#   scripts/messages.sh              the project package and every app
#   scripts/messages.sh accounts     only these apps ("pressdesk" means the project package)
#
# English is the source language: the English catalogue stays empty (msgids are shown as they
# are) and French is translated by hand in <dir>/locale/fr/LC_MESSAGES/django.po. Commit both
# the .po and the compiled .mo files. pressdesk/tests/test_shell_translations.py fails while a
# French entry is empty or fuzzy, or a .mo does not match its .po.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
# Without settings on purpose: with them, makemessages would file every app's strings under
# settings.LOCALE_PATHS (pressdesk/locale) instead of the app's own locale directory.
unset DJANGO_SETTINGS_MODULE

django() { "$PYTHON" -m django "$@"; }

# Every app is a sub-package with an apps.py; each keeps its own catalogue in <app>/locale.
all_apps=()
for dir in pressdesk/*/; do
    if [[ -f $dir/apps.py ]]; then all_apps+=("$(basename "$dir")"); fi
done
targets=("$@")
((${#targets[@]})) || targets=(pressdesk "${all_apps[@]}")

# Not user-facing: tests, end-to-end tests and minified third-party scripts.
common_ignores=(--ignore=tests --ignore=e2e --ignore='*.min.js' --ignore=locale)

has_js_strings() {
    grep -rlqE --include='*.js' --exclude='*.min.js' '\b(n|p|np)?gettext\(|\binterpolate\(' "$1"
}

extract() {  # extract DIR [extra ignore options...]
    local dir=$1
    shift
    mkdir -p "$dir/locale"
    (
        cd "$dir"
        django makemessages -l fr -l en --no-obsolete --add-location=file --no-wrap \
            "${common_ignores[@]}" "$@"
        if has_js_strings .; then
            django makemessages -d djangojs -l fr -l en --no-obsolete --add-location=file \
                --no-wrap "${common_ignores[@]}" "$@"
        fi
    )
}

app_ignores=()
for app in "${all_apps[@]}"; do app_ignores+=(--ignore="$app"); done

for target in "${targets[@]}"; do
    if [[ $target == pressdesk ]]; then
        # The project package: its templates, the shell and shared helpers, not the apps.
        extract pressdesk "${app_ignores[@]}"
        (cd pressdesk && django compilemessages "${app_ignores[@]}" --ignore=tests --ignore=e2e)
    elif [[ -f pressdesk/$target/apps.py ]]; then
        extract "pressdesk/$target"
        (cd "pressdesk/$target" && django compilemessages)
    else
        echo "messages.sh: no app named '$target' (expected pressdesk/$target/apps.py)" >&2
        exit 2
    fi
done
