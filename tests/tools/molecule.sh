#!/usr/bin/env bash
# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Run `molecule test --all` for every place the project keeps Molecule scenarios:
# molecule/<scenario>/ or extensions/molecule/<scenario>/ at the repo root, roles/<role>/molecule/<scenario>/.
# Prints that there is nothing to run (and succeeds) when no scenario exists.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
export PATH="$REPO/.venv/bin:$PATH"
# The collection under test is the working tree, found through the link `make venv` creates.
export ANSIBLE_CONFIG="$REPO/ansible.cfg"
export ANSIBLE_COLLECTIONS_PATH="$REPO/build/collections"

shopt -s nullglob
scenario_roots=()
for root in . roles/*; do
    scenarios=("$root"/molecule/*/molecule.yml)
    [[ "$root" == . ]] && scenarios+=(extensions/molecule/*/molecule.yml)
    (( ${#scenarios[@]} )) && scenario_roots+=("$root")
done

if (( ! ${#scenario_roots[@]} )); then
    echo "== molecule: no scenario found (molecule/*/molecule.yml, roles/*/molecule/*/molecule.yml), nothing to run"
    exit 0
fi

for root in "${scenario_roots[@]}"; do
    echo "== molecule test --all in $root"
    (cd "$root" && molecule test --all)
done
