#!/usr/bin/env bash
# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Install a requirements file into a venv when it, or a file it includes with -r, changed since
# the last install. The text of the file and of its includes is kept in the venv as
# <venv>/.<file name>; an unchanged text installs nothing (make stays fast when warm).
#
# Usage: tests/tools/install_requirements.sh VENV REQUIREMENTS
set -euo pipefail

venv="$1"
requirements="$2"
stamp="$venv/.$(basename "$requirements")"

# The file, then each file it includes (-r / --requirement, relative to it), depth first.
requirements_text() {
    local file="$1" include
    cat "$file"
    sed -n -E 's/^(-r|--requirement)[[:space:]=]+//p' "$file" | while read -r include; do
        requirements_text "$(dirname "$file")/$include"
    done
}

wanted="$(requirements_text "$requirements")"
if [[ -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$wanted" ]]; then
    exit 0
fi
echo "== installing $requirements into $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
printf '%s\n' "$wanted" >"$stamp"
