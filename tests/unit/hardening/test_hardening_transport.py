# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task password only travels over a transport that encrypts it, unless explicitly allowed.

win_sync_jobs and win_sync_task run with a fake WinRM/PSRP connection (its options as an
inventory sets them) and a fake ``win_sync_host`` module that serves the read and records the
apply. Over a clear transport the apply carrying a password is never sent, and the result says
why without the password; over an encrypting one it is sent, the password only in the module's
no_log ``passwords`` option, never in the request text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
from hardening_support import TRANSPORTS
from support.action_harness import SVC_SYNC, build_action

PASSWORD = "Tr4nsp0rt-S3cret!2026"
WORKING_DIRECTORY = "D:\\Isotools\\Synchro_prod\\shop01\\stock"
WITH_PASSWORD = {"user": SVC_SYNC, "logon_type": "password", "password": PASSWORD}
TASK_ARGS: dict[str, Any] = {
    "name": "Synchro Stock",
    "folder": "\\Isotools",
    "actions": [{"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c synchro.bat", "working_directory": WORKING_DIRECTORY}],
    "triggers": [{"type": "daily", "at": "06:00"}],
    "principal": WITH_PASSWORD,
}
JOBS_ARGS: dict[str, Any] = {
    "jobs": [
        {
            "name": "Synchro Stock",
            "working_directory": WORKING_DIRECTORY,
            "script": {"content": "@echo off\n"},
            "task": {"triggers": [{"type": "daily", "at": "06:00"}], "principal": WITH_PASSWORD},
        }
    ]
}
REFUSED = "refusing to send a task password over an unencrypted transport"


def fake_host_module(request_log: list[dict[str, Any]]) -> MagicMock:
    """win_sync_host as the action calls it: a read of an empty folder, an apply that applies."""

    def execute(*, module_name: str, module_args: dict[str, Any], task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        request = json.loads(module_args["request"])
        request_log.append({"request": module_args["request"], "passwords": module_args["passwords"]})
        if request["op"] == "read":
            response = {
                "op": "read",
                "host": {"hostname": "SHOP01"},
                "folders": [{"path": "\\Isotools", "exists": True}],
                "tasks": [],
                "files": [],
                "directories": [],
                "accounts": [{"name": name, "sid": "S-1-5-21-1-2-3-1104", "error": None} for name in request.get("accounts", [])],
            }
        else:
            response = {"op": "apply", "results": [{"id": change["id"], "status": "applied", "message": None} for change in request["changes"]]}
        return {"changed": request["op"] == "apply", "response": response}

    return MagicMock(side_effect=execute)


def fake_connection(plugin: str, options: dict[str, Any]) -> MagicMock:
    connection = MagicMock()
    connection._shell.tmpdir = None
    connection._load_name = plugin
    connection.get_option.side_effect = options.get
    return connection


@pytest.mark.parametrize("action", ["win_sync_jobs", "win_sync_task"])
@pytest.mark.parametrize(("plugin", "options", "allowed", "sent"), [case[1:] for case in TRANSPORTS], ids=[case[0] for case in TRANSPORTS])
def test_a_password_crosses_only_an_encrypting_transport_unless_allowed(
    tmp_path: Path, action: str, plugin: str, options: dict[str, Any], allowed: bool, sent: bool
) -> None:
    args = {**(JOBS_ARGS if action == "win_sync_jobs" else TASK_ARGS), "allow_unencrypted_password": allowed}
    built = build_action(action, args, playbook_dir=tmp_path, connection=fake_connection(plugin, options))
    calls: list[dict[str, Any]] = []
    built._execute_module = fake_host_module(calls)

    result = built.run(task_vars={"inventory_hostname": "shop01"})

    assert PASSWORD not in json.dumps(result)
    assert all(PASSWORD not in call["request"] for call in calls), "a password rode in the request text"
    if sent:
        assert "failed" not in result, result
        assert [json.loads(call["request"])["op"] for call in calls] == ["read", "apply"]
        assert [entry["password"] for entry in calls[1]["passwords"]] == [PASSWORD]
    else:
        assert result["failed"] is True and REFUSED in result["msg"]
        assert [json.loads(call["request"])["op"] for call in calls] == ["read"], "the apply was sent"


@pytest.mark.parametrize("action", ["win_sync_jobs", "win_sync_task"])
def test_without_a_password_a_clear_transport_is_used(tmp_path: Path, action: str) -> None:
    s4u = {"user": SVC_SYNC, "logon_type": "s4u"}
    args: dict[str, Any] = {**TASK_ARGS, "principal": s4u} if action == "win_sync_task" else {"jobs": [{**JOBS_ARGS["jobs"][0], "task": {"principal": s4u}}]}
    built = build_action(action, args, playbook_dir=tmp_path, connection=fake_connection("winrm", {"port": 5985, "transport": ["basic"]}))
    calls: list[dict[str, Any]] = []
    built._execute_module = fake_host_module(calls)

    result = built.run(task_vars={"inventory_hostname": "shop01"})

    assert "failed" not in result, result
    assert [json.loads(call["request"])["op"] for call in calls] == ["read", "apply"]
    assert all(call["passwords"] == [] for call in calls)
