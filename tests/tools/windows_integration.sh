#!/usr/bin/env bash
# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Run `ansible-test windows-integration` (tests/integration/targets) against the Windows host of
# tests/integration/inventory.winrm. See docs/testing-windows.md.
#
# ansible-test needs the collection at .../ansible_collections/isotools/shop_sync as a real
# directory under git, so the files git would ship are copied to build/integration/ and
# committed to a throwaway repository there; the inventory is copied in afterwards, uncommitted
# (build/ is git-ignored).
#
# Usage: tests/tools/windows_integration.sh [targets...] [extra ansible-test arguments...]
# Env:   PYTHON (default .venv/bin/python), SHOP_SYNC_WINRM_INVENTORY (default tests/integration/inventory.winrm).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
INVENTORY="${SHOP_SYNC_WINRM_INVENTORY:-$REPO/tests/integration/inventory.winrm}"
DEST="$REPO/build/integration/ansible_collections/isotools/shop_sync"

if [[ ! -f "$INVENTORY" ]]; then
    echo "no inventory at $INVENTORY: copy tests/integration/inventory.winrm.template there and fill it in" >&2
    exit 2
fi

rm -rf "$REPO/build/integration"
mkdir -p "$DEST"
(
    cd "$REPO"
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' path; do [[ -e "$path" ]] && printf '%s\0' "$path"; done \
        | xargs -0 --no-run-if-empty cp --parents --no-dereference -t "$DEST"
)
(
    # A repository of its own: inside the outer one, build/ is ignored and ansible-test would see no file.
    cd "$DEST"
    git init --quiet
    git add --all
    git -c user.name=integration -c user.email=integration@localhost commit --quiet --no-verify -m integration
)
cp "$INVENTORY" "$DEST/tests/integration/inventory.winrm"

python_version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
cd "$DEST"
PATH="$(dirname "$PYTHON"):$PATH" "$(dirname "$PYTHON")/ansible-test" windows-integration \
    --python "$python_version" --color no "$@"
