# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Molecule tests the working tree, and installs nothing into ~/.ansible/collections.

Molecule's prerun (on by default) installs the collection under test into the user's
collections path, where a stale copy then shadows the working tree on every later run. Each
scenario turns it off and finds the collection through ``build/collections``, the link to the
working tree; ``tests/tools/molecule.sh`` exports that path for every Molecule run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted([*REPO.glob("molecule/*/molecule.yml"), *REPO.glob("extensions/molecule/*/molecule.yml"), *REPO.glob("roles/*/molecule/*/molecule.yml")])
WORKING_TREE_COLLECTIONS = "${MOLECULE_PROJECT_DIRECTORY}/build/collections"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[str(path.relative_to(REPO)) for path in SCENARIOS])
def test_each_scenario_installs_nothing_and_uses_the_working_tree(scenario: Path) -> None:
    config = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    assert config.get("prerun") is False, f"{scenario}: prerun must be false, or Molecule installs the collection into ~/.ansible/collections"
    assert config["provisioner"]["config_options"]["defaults"]["collections_path"] == WORKING_TREE_COLLECTIONS


def test_there_is_a_scenario_to_check() -> None:
    assert SCENARIOS, "no Molecule scenario found: the checks above test nothing"


def test_molecule_sh_runs_molecule_with_the_working_tree_as_the_only_collections_path(tmp_path: Path) -> None:
    """molecule.sh in a copy of the repository's layout, with a stand-in molecule that records
    what it was started with."""
    repo = tmp_path / "repo"
    (repo / "tests" / "tools").mkdir(parents=True)
    shutil.copy2(REPO / "tests" / "tools" / "molecule.sh", repo / "tests" / "tools" / "molecule.sh")
    (repo / "molecule" / "default").mkdir(parents=True)
    (repo / "molecule" / "default" / "molecule.yml").write_text("---\n", encoding="utf-8")
    record = tmp_path / "molecule-was-run-with"
    stand_in = repo / ".venv" / "bin" / "molecule"
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$PWD" "$*" "$ANSIBLE_COLLECTIONS_PATH" "$ANSIBLE_CONFIG" > "{record}"\n', encoding="utf-8")
    stand_in.chmod(0o755)
    environment = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(Path.home() / ".ansible" / "collections")}

    subprocess.run(["bash", str(repo / "tests" / "tools" / "molecule.sh")], env=environment, check=True, capture_output=True, text=True)

    directory, arguments, collections_path, config = record.read_text(encoding="utf-8").splitlines()
    assert (directory, arguments) == (str(repo), "test --all")
    assert collections_path == str(repo / "build" / "collections")
    assert config == str(repo / "ansible.cfg")
