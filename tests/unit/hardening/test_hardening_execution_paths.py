# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A privileged task escalates through any file it runs that an ordinary user may change: its
program, a script named in its arguments, the host's own script in its folder, and the folders
above them.

Each file the task runs that its definition tells (``command``, paths in ``arguments``, a
relative one from the working directory) and the folders above it up to the drive are read in
the same single read; one that someone other than Administrators, SYSTEM, TrustedInstaller and
the task's own account may change is a finding, ``privilege escalation path: ...``, in check
mode and after a deploy. The deploy locks down what it owns (the job's folder and what it holds,
the host's own script included) and never touches the rest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from action_harness import Harness, daily_job
from hardening_support import EXECUTION_CASES, ROOT

STOCK = ROOT + "\\stock"
HOST_SCRIPT = STOCK + "\\synchro.bat"


def plant(harness: Harness, files: dict[str, Any]) -> None:
    """The files (a name with an extension) and folders of ``files``, with their acl.json entries."""
    acl = {}
    for path, entry in files.items():
        where = harness.windows_path(path)
        if "." in path.rsplit("\\", 1)[-1]:
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_bytes(b"@echo off\r\n")
        else:
            where.mkdir(parents=True, exist_ok=True)
        if entry is not None:
            acl[path.lower()] = entry
    harness.write_json("acl.json", acl)


def job_running(action: dict[str, str]) -> dict[str, Any]:
    return daily_job("Synchro Stock", STOCK, actions=[{"working_directory": STOCK, **action}])


@pytest.mark.parametrize(("action", "files", "expected"), [case[1:] for case in EXECUTION_CASES], ids=[case[0] for case in EXECUTION_CASES])
def test_what_a_system_task_runs_that_users_may_change_is_a_finding(
    tmp_path: Path, action: dict[str, str], files: dict[str, Any], expected: tuple[str, ...]
) -> None:
    harness = Harness.create(tmp_path)
    plant(harness, files)
    planted = (harness.root / "acl.json").read_text(encoding="utf-8")
    harness.forget_journal()

    checked = harness.run("win_sync_jobs", {"jobs": [job_running(action)]}, check_mode=True)
    deployed = harness.run("win_sync_jobs", {"jobs": [job_running(action)]})

    wanted = [f"privilege escalation path: {finding}" for finding in expected]
    assert checked["jobs"][0]["findings"] == wanted
    assert "failed" not in deployed and deployed["jobs"][0]["findings"] == wanted
    assert [entry["op"] for entry in harness.journal()] == ["read", "read", "apply"]
    acl = json.loads((harness.root / "acl.json").read_text(encoding="utf-8"))
    assert {key: value for key, value in acl.items() if key in json.loads(planted)} == json.loads(planted)  # what it does not own: untouched
    assert harness.run("win_sync_jobs", {"jobs": [job_running(action)]}, check_mode=True)["changed"] is False


def test_the_hosts_own_script_users_may_change_is_drift_and_is_locked_down(tmp_path: Path) -> None:
    harness = Harness.create(tmp_path)
    plant(harness, {HOST_SCRIPT: None})
    job = {"name": "Synchro Stock", "working_directory": STOCK, "task": {"triggers": [{"type": "daily", "at": "06:00"}], "principal": {"user": "SYSTEM"}}}

    loose = harness.run("win_sync_jobs", {"jobs": [job], "secure_acl": False}, check_mode=True)
    checked = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)
    harness.run("win_sync_jobs", {"jobs": [job]})
    after = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)

    # Not managed (secure_acl off): reported; managed: a change the deploy makes, then nothing.
    assert loose["jobs"][0]["findings"] == [
        f"privilege escalation path: {HOST_SCRIPT} is writable by BUILTIN\\Users",
        f"privilege escalation path: {STOCK} (holds what the task runs) is writable by BUILTIN\\Users",
    ]
    assert checked["jobs"][0]["findings"] == []
    assert f"acl {HOST_SCRIPT}: writable by BUILTIN\\Users -> writable only by BUILTIN\\Administrators, NT AUTHORITY\\SYSTEM" in checked["jobs"][0]["changes"]
    assert after["changed"] is False and after["jobs"][0]["findings"] == []
