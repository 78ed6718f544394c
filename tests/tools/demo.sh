#!/usr/bin/env bash
# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# `make demo`: run playbooks/demo.yml with the repo's ansible.cfg (inventory examples/demo/,
# the working tree as isotools.shop_sync). Extra arguments go to ansible-playbook (e.g. --check --diff).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
export PATH="$REPO/.venv/bin:$PATH"
# Explicit, because ansible ignores an ansible.cfg in a world-writable working directory.
export ANSIBLE_CONFIG="$REPO/ansible.cfg"

if [[ ! -f playbooks/demo.yml ]]; then
    echo "playbooks/demo.yml does not exist in $REPO: there is no demo to run" >&2
    exit 1
fi
exec ansible-playbook playbooks/demo.yml "$@"
