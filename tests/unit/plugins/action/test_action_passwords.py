# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task password never leaves the action: not in results, diffs, messages, the display, the
host's journal or any file, whatever the action and however it ends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
from ansible.utils.display import Display
from support.action_harness import SVC_SYNC, Harness, build_action, daily_job

PASSWORD = "Sup3r$ecret-Sync!2026"
ROOT = "D:\\Isotools\\Synchro_prod\\localhost"
WITH_PASSWORD = {"user": SVC_SYNC, "logon_type": "password", "password": PASSWORD}
TASK: dict[str, Any] = {
    "name": "Synchro Stock",
    "folder": "\\Isotools",
    "actions": [{"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c synchro.bat", "working_directory": f"{ROOT}\\stock"}],
    "triggers": [{"type": "daily", "at": "06:00"}],
    "principal": WITH_PASSWORD,
    "password_version": "2026-01",
}


def password_job(name: str = "Stock", **task: Any) -> dict[str, Any]:
    return daily_job(name, f"{ROOT}\\{name.lower()}", principal=WITH_PASSWORD, password_version="2026-01", **task)


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


@pytest.fixture(autouse=True)
def verbose_display() -> Iterator[None]:
    display = Display()
    before = display.verbosity
    display.verbosity = 4
    yield
    display.verbosity = before


def runs(harness: Harness) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every action, in normal, check and diff mode, succeeding and failing, with the password."""
    (harness.playbook_dir / "templates" / "synchro.bat.j2").write_text("@echo off\nrem {{ job.name }}\n", encoding="utf-8")
    templated = password_job("Templated")
    templated["script"] = {"template": "synchro.bat.j2"}
    yield "task created", harness.run("win_sync_task", TASK, diff=True)
    yield "task check mode", harness.run("win_sync_task", {**TASK, "password_version": "2026-02"}, check_mode=True, diff=True)
    yield "task rotated", harness.run("win_sync_task", {**TASK, "password_version": "2026-02"}, diff=True)
    yield "task always", harness.run("win_sync_task", {**TASK, "password_version": "2026-02", "update_password": "always"}, diff=True)
    yield "task bad spec", harness.run("win_sync_task", {**TASK, "triggers": [{"type": "daily", "at": PASSWORD}]})
    yield "task refused logon", harness.run("win_sync_task", {**TASK, "principal": {**WITH_PASSWORD, "logon_type": "s4u"}})
    yield "task unknown option", harness.run("win_sync_task", {**TASK, "secret": PASSWORD})
    yield "jobs created", harness.run("win_sync_jobs", {"jobs": [password_job(), templated], "backup": True, "backup_dir": "backups"}, diff=True)
    changed = password_job(at="07:00", content="@echo off\nrem changed\n")
    yield "jobs backup", harness.run("win_sync_jobs", {"jobs": [changed, templated], "backup": True, "backup_dir": "backups"}, diff=True)
    yield "jobs bad", harness.run("win_sync_jobs", {"jobs": [password_job(at="99:99"), {"name": PASSWORD}]})
    harness.write_json("faults.json", [{"change": "register_task", "fault": "access_denied"}])
    yield "jobs refused", harness.run("win_sync_jobs", {"jobs": [password_job("Other")]}, diff=True)
    yield "info", harness.run("win_sync_task_info", {"history": True, "password": PASSWORD})
    yield "info valid", harness.run("win_sync_task_info", {"history": True})
    yield "run", harness.run("win_sync_task_run", {"name": "Synchro Stock", "password": PASSWORD})
    yield "run valid", harness.run("win_sync_task_run", {"name": "Synchro Stock"})


def test_no_action_result_holds_the_password(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    seen = []
    for label, result in runs(harness):
        seen.append(label)
        assert PASSWORD not in json.dumps(result), label
    assert len(seen) == 15
    # The runs did what they should, so the absence of the password means something.
    output = capsys.readouterr()
    assert PASSWORD not in output.out + output.err
    assert harness.ops().count("apply") >= 4
    credentials = json.loads((harness.root / "credentials.json").read_text(encoding="utf-8"))
    assert credentials, "the password was never sent to the host"


def test_no_file_on_the_host_or_the_controller_holds_the_password(harness: Harness) -> None:
    for _label, _result in runs(harness):
        pass
    backups = list((harness.playbook_dir / "backups").rglob("*"))
    assert any(path.is_file() for path in backups)
    for path in [*harness.root.rglob("*"), *backups]:
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode() not in data and PASSWORD.encode("utf-16-le") not in data, path


def test_an_unencrypted_winrm_connection_is_refused_before_sending(tmp_path: Path) -> None:
    connection = MagicMock()
    connection._shell.tmpdir = None
    connection._load_name = "winrm"
    connection.get_option.side_effect = {"port": 5985, "scheme": "http", "transport": ["basic"]}.get
    action = build_action("win_sync_task", TASK, playbook_dir=tmp_path, connection=connection)
    read = {
        "op": "read",
        "host": {"hostname": "SHOP01"},
        "folders": [{"path": "\\Isotools", "exists": True}],
        "tasks": [],
        "files": [],
        "directories": [],
        "accounts": [{"name": SVC_SYNC, "sid": "S-1-5-21-1-2-3-1104", "error": None}],
    }
    action._execute_module = MagicMock(return_value={"changed": False, "response": read})
    result = action.run(task_vars={"inventory_hostname": "shop01"})
    assert result["failed"] is True
    assert "refusing to send a task password over an unencrypted transport" in result["msg"]
    assert action._execute_module.call_count == 1  # the read; the apply was never sent
    assert PASSWORD not in json.dumps(result)
