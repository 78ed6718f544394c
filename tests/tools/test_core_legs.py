# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ansible-core legs of `make cores`: the cores the collection claims, each in its own venv.

``tests/tools/core_leg.sh`` creates a leg's venv and runs pytest there, or skips the leg with one
line when its Python is missing; ``tests/tools/install_requirements.sh`` installs a requirements
file (and what it includes) only when it changed. Both are run here for real, the installs with a
stand-in ``python`` that records what pip was asked (invented: no package is installed).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tests" / "tools"
LEGS = re.search(r"^CORE_LEGS := (.+)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)


def legs() -> list[tuple[str, str]]:
    assert LEGS, "the Makefile no longer sets CORE_LEGS"
    return [(leg.partition(":")[0], leg.partition(":")[2]) for leg in LEGS.group(1).split()]


def test_the_oldest_leg_is_the_oldest_core_the_collection_claims() -> None:
    claimed = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))["requires_ansible"]
    oldest = re.fullmatch(r">=(\d+\.\d+)\.0", claimed)
    assert oldest, f"requires_ansible {claimed!r} is not '>=X.Y.0': the legs cannot say which core is the oldest"
    assert legs()[0][0] == oldest.group(1)
    assert len(legs()) >= 2, "the newest core has no leg"


@pytest.mark.parametrize(("core", "python"), legs())
def test_each_leg_pins_its_core_and_the_tests_requirements(core: str, python: str) -> None:
    text = (REPO / f"requirements-core{core}.txt").read_text(encoding="utf-8")
    assert re.search(rf"^ansible-core=={re.escape(core)}\.\d+$", text, re.M), text
    assert re.search(r"^-r requirements-tests\.txt$", text, re.M), text
    assert re.fullmatch(r"3\.\d+", python)


@pytest.mark.parametrize("leg_python", [None, "/nonexistent/python3.99"], ids=["not found", "not runnable"])
def test_a_leg_whose_python_is_missing_is_skipped_with_one_line(leg_python: str | None) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "LEG_PYTHON"}
    if leg_python:
        environment["LEG_PYTHON"] = leg_python
    completed = subprocess.run(
        [str(TOOLS / "core_leg.sh"), "0.0", "3.99", "tests/unit"], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [completed.stdout.strip()]
    assert completed.stdout.startswith("== ansible-core 0.0 leg SKIPPED: no Python 3.99 found"), completed.stdout
    assert not (REPO / ".venv-core0.0").exists()


def fake_venv(base: Path) -> tuple[Path, Path]:
    """A venv whose python records each call instead of installing (invented)."""
    venv = base / "venv"
    (venv / "bin").mkdir(parents=True)
    calls = base / "calls.log"
    python = venv / "bin" / "python"
    python.write_text(f'#!/usr/bin/env bash\necho "$*" >>{calls}\n', encoding="utf-8")
    python.chmod(0o755)
    return venv, calls


def install(venv: Path, requirements: Path) -> str:
    completed = subprocess.run([str(TOOLS / "install_requirements.sh"), str(venv), str(requirements)], capture_output=True, text=True, timeout=60, check=True)
    return completed.stdout


def test_requirements_are_installed_again_only_when_they_or_their_includes_change(tmp_path: Path) -> None:
    venv, calls = fake_venv(tmp_path)
    shared = tmp_path / "requirements-tests.txt"
    shared.write_text("pytest==9.2.0\n", encoding="utf-8")
    leg = tmp_path / "requirements-core2.17.txt"
    leg.write_text("-r requirements-tests.txt\nansible-core==2.17.14\n", encoding="utf-8")

    assert install(venv, leg) == f"== installing {leg} into {venv}\n"
    assert install(venv, leg) == ""
    shared.write_text("pytest==9.2.1\n", encoding="utf-8")
    assert install(venv, leg) != ""
    assert install(venv, leg) == ""

    assert calls.read_text(encoding="utf-8").splitlines() == [f"-m pip install --quiet --disable-pip-version-check -r {leg}"] * 2
    assert (venv / ".requirements-core2.17.txt").read_text(encoding="utf-8") == leg.read_text(encoding="utf-8") + shared.read_text(encoding="utf-8")
