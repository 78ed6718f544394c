# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST-ONLY, never shipped (galaxy.yml build_ignore): ansible-playbook as the playbook tests run it.

One real ``ansible-playbook`` of this venv, with the repository's ``ansible.cfg`` (the working
tree as the installed collection) and no colour, from a folder the test names (relative report
folders land there); what it printed, its exit code and its play recap come back together, and a
password the test names must not be anywhere in what it printed. The directory host's journal
says which host calls a run made.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
# The managed task folder in a directory host's image (C:\Windows\System32\Tasks\Isotools).
TASKS = ("C", "Windows", "System32", "Tasks", "Isotools")
RECAP = re.compile(r"^(?P<host>\S+)\s*:\s*ok=\d+\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)", re.M)


class Played(NamedTuple):
    """One ansible-playbook run: its exit code, stdout then stderr, and the recap by host."""

    code: int
    output: str
    recap: dict[str, dict[str, int]]


def require_ansible_playbook() -> None:
    """Skip, saying why, where the venv has no ansible-playbook."""
    if not ANSIBLE_PLAYBOOK.exists():
        pytest.skip(f"{ANSIBLE_PLAYBOOK} is missing (run make venv)")


def playbook(name: str) -> str:
    """The path of one of the collection's playbooks (playbooks/<name>.yml)."""
    return str(REPO / "playbooks" / f"{name}.yml")


def run(
    cwd: Path,
    playbook_path: str,
    *options: str,
    inventory: Path | str,
    secrets: Sequence[str] = (),
    environment: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> Played:
    """``ansible-playbook -i inventory playbook_path *options`` from ``cwd``; ``environment`` adds
    to (or overrides) the repository's settings; none of ``secrets`` may be in the output."""
    settings = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0", **(environment or {})}
    completed = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(inventory), playbook_path, *options],
        cwd=cwd,
        env=settings,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = completed.stdout + completed.stderr
    recap = {match["host"]: {key: int(match[key]) for key in ("changed", "unreachable", "failed")} for match in RECAP.finditer(completed.stdout)}
    for secret in secrets:
        assert secret not in output, "a password was shown"
    return Played(completed.returncode, output, recap)


def empty_image(root: Path, accounts: Mapping[str, str] | None = None) -> Path:
    """A directory host at ``root``: the drives C: and D: of an offline Windows image, nothing on
    them yet (made if missing), and, given ``accounts``, the names (to SIDs) it resolves."""
    (root / "C").mkdir(parents=True, exist_ok=True)
    (root / "D").mkdir(exist_ok=True)
    if accounts is not None:
        (root / "accounts.json").write_text(json.dumps(dict(accounts)), encoding="utf-8")
    return root


def one_job_fleet(base: Path, names: Iterable[str]) -> dict[str, object]:
    """The inventory of an invented fleet, the same for the fleet-cost test and its bench: each
    shop a directory host at ``base/<name>`` (an empty image, made here) with one daily job."""
    hosts = {}
    for name in names:
        empty_image(base / name)
        hosts[name] = {
            "shop_sync_directory_root": str(base / name),
            "shop_sync_root": f"D:\\Isotools\\Synchro_prod\\{name}",
            "shop_sync_jobs": [{"name": "Synchro Stock", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile stock", "schedule": [{"daily": "03:30"}]}],
        }
    variables = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "shop_sync_backend": "directory"}
    return {"all": {"vars": variables, "hosts": hosts}}


def journal(base: Path, host: str) -> list[str]:
    """The host calls (read, apply, run, history...) the directory host ``base/host`` was sent."""
    path = base / host / "journal.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["op"] for line in path.read_text(encoding="utf-8").splitlines()]
