#!/usr/bin/env bash
# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Run pytest on one ansible-core "leg": the core pinned in requirements-core<CORE>.txt, installed
# into its own venv, .venv-core<CORE> (created, or re-created when its Python is not the wanted
# one, and updated when the requirements change). See DEVELOPERS.md ("ansible-core legs").
#
# The interpreter is LEG_PYTHON when set (a command or a path), else the first Python <VERSION> found:
# python<VERSION> on PATH, then pyenv's versions/<VERSION>.*. When there is none the leg is
# skipped with one line saying so, and the script succeeds: a machine may lack that Python.
#
# Usage: tests/tools/core_leg.sh CORE VERSION [pytest arguments...]    e.g. core_leg.sh 2.21 3.12 tests/unit
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
core="$1"
version="$2"
shift 2
venv=".venv-core$core"
requirements="requirements-core$core.txt"

# The interpreter's major.minor, or nothing when it does not run (a pyenv shim of a version
# that is not selected exits non-zero).
version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

# The real interpreter behind a command: not a pyenv shim, nor the python of another venv (.venv/bin
# is first on make's PATH), whose removal would break the leg's venv.
base_of() {
    "$1" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))'
}

find_python() {
    local candidate
    if [[ -n "${LEG_PYTHON:-}" ]]; then
        candidate="$(command -v "$LEG_PYTHON" || true)"
        [[ -n "$candidate" && "$(version_of "$candidate")" == "$version" ]] && base_of "$candidate"
        return 0
    fi
    candidate="$(command -v "python$version" || true)"
    if [[ -n "$candidate" && "$(version_of "$candidate")" == "$version" ]]; then
        base_of "$candidate"
        return 0
    fi
    if command -v pyenv >/dev/null 2>&1; then
        while IFS= read -r candidate; do
            if [[ "$(version_of "$candidate/bin/python$version")" == "$version" ]]; then
                base_of "$candidate/bin/python$version"
                return 0
            fi
        done < <(find "$(pyenv root)/versions" -mindepth 1 -maxdepth 1 -name "$version.*" 2>/dev/null | sort -V -r)
    fi
}

if [[ "$(version_of "$venv/bin/python")" != "$version" ]]; then
    python="$(find_python)"
    if [[ -z "$python" ]]; then
        echo "== ansible-core $core leg SKIPPED: no Python $version found (${LEG_PYTHON:-python$version on PATH, pyenv}); set LEG_PYTHON=/path/to/python$version to run it"
        exit 0
    fi
    echo "== creating $venv with $("$python" --version) ($python)"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi
tests/tools/install_requirements.sh "$venv" "$requirements"

echo "== ansible-core $core leg: ansible-core $("$venv/bin/python" -c 'from ansible.release import __version__; print(__version__)') on $("$venv/bin/python" --version)"
# Each leg leaves pytest's cache (last failures) to the main run's.
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
