# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""win_sync_task_run through its action plugin: exit codes, waiting, check mode."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import MagicMock

import pytest
from support.action_harness import Harness, build_action, daily_job

ROOT = "D:\\Isotools\\Synchro_prod\\localhost"
RECORDED = Path(__file__).parent.parent / "plugin_utils" / "hosts" / "data"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    deployed = Harness.create(tmp_path)
    deployed.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock")]})
    deployed.forget_journal()
    return deployed


def test_a_successful_run_returns_its_exit_code_and_times(harness: Harness) -> None:
    harness.write_json("outcomes.json", {"\\Isotools\\Stock": {"exit_code": 0, "duration": 2.5}})
    result = harness.run("win_sync_task_run", {"name": "Stock"})
    assert "failed" not in result, result.get("msg")
    assert result["changed"] is True
    assert result["path"] == "\\Isotools\\Stock"
    assert (result["started"], result["finished"], result["timed_out"]) == (True, True, False)
    assert result["exit_code"] == 0 and result["last_result_text"] == "success"
    assert result["duration"] == 2.5
    assert result["start_time"] is not None and result["end_time"] is not None
    assert harness.ops() == ["run"]


@pytest.mark.parametrize(("fail_on_error", "failed"), [(True, True), (False, False)], ids=["fail", "report-only"])
def test_a_failing_script_fails_the_task_unless_told_not_to(harness: Harness, fail_on_error: bool, failed: bool) -> None:
    harness.write_json("outcomes.json", {"\\Isotools\\Stock": {"exit_code": 1, "duration": 1}})
    result = harness.run("win_sync_task_run", {"name": "Stock", "fail_on_error": fail_on_error})
    assert result["exit_code"] == 1
    assert result["last_result_text"].startswith("exit code 1")
    assert result.get("failed", False) is failed
    if failed:
        assert result["msg"] == f"task '\\Isotools\\Stock' ended with {result['last_result_text']}"


def test_a_run_longer_than_the_timeout_is_reported_timed_out(harness: Harness) -> None:
    harness.write_json("outcomes.json", {"\\Isotools\\Stock": {"exit_code": 0, "duration": 120}})
    result = harness.run("win_sync_task_run", {"name": "Stock", "timeout": 5})
    assert result["timed_out"] is True and result["finished"] is False
    assert result["exit_code"] is None
    assert result["failed"] is True and "still running after 5 s" in result["msg"]


def test_without_wait_only_the_start_counts(harness: Harness) -> None:
    harness.write_json("outcomes.json", {"\\Isotools\\Stock": {"exit_code": 1, "duration": 120}})
    result = harness.run("win_sync_task_run", {"name": "Stock", "wait": False})
    assert "failed" not in result
    assert result["started"] is True and result["exit_code"] is None


def test_a_missing_task_is_not_started(harness: Harness) -> None:
    result = harness.run("win_sync_task_run", {"name": "Nowhere"})
    assert result["failed"] is True
    assert result["started"] is False and result["changed"] is False
    assert result["msg"].startswith("task '\\Isotools\\Nowhere' was not started: ")


def test_check_mode_reads_the_task_and_says_it_would_run_without_running_it(harness: Harness) -> None:
    result = harness.run("win_sync_task_run", {"name": "Stock"}, check_mode=True)
    assert "failed" not in result, result.get("msg")
    assert result["changed"] is True
    assert (result["started"], result["would_run"]) == (False, True)
    assert result["message"] == "check mode: \\Isotools\\Stock would be run; nothing was run"
    assert harness.ops() == ["read"]


@pytest.mark.parametrize(
    ("task", "reason"),
    [
        ({"name": "Nowhere"}, "there is no such task"),
        ({"name": "Off"}, "it is disabled"),
        ({"name": "Manual only"}, "its settings do not allow starting it on demand"),
    ],
    ids=["missing", "disabled", "no-demand-start"],
)
def test_check_mode_fails_as_the_run_would_when_the_task_cannot_start(harness: Harness, task: dict[str, str], reason: str) -> None:
    harness.run(
        "win_sync_jobs",
        {
            "jobs": [
                daily_job("Off", f"{ROOT}\\off", settings={"enabled": False}),
                daily_job("Manual only", f"{ROOT}\\manual", settings={"allow_demand_start": False}),
            ]
        },
    )
    harness.forget_journal()
    result = harness.run("win_sync_task_run", task, check_mode=True)
    assert result["failed"] is True and result["would_run"] is False
    assert result["msg"] == f"task '\\Isotools\\{task['name']}' would not be started: {reason}"
    assert result["changed"] is False and result["started"] is False
    assert harness.ops() == ["read"]


def test_a_recorded_winrm_run_is_reported(tmp_path: Path) -> None:
    recorded = json.loads((RECORDED / "run.json").read_text(encoding="utf-8"))["result"]
    first = recorded["response"]["runs"][0]
    connection = MagicMock()
    connection._shell.tmpdir = None
    connection._load_name = "psrp"
    connection.get_option.side_effect = {"port": 5986, "protocol": "https"}.get
    action = build_action("win_sync_task_run", {"name": "Synchro Stock"}, playbook_dir=tmp_path, connection=connection)
    action._execute_module = MagicMock(return_value=recorded)
    result = action.run(task_vars={"inventory_hostname": "shop01"})
    assert action._execute_module.call_count == 1
    assert json.loads(action._execute_module.call_args.kwargs["module_args"]["request"]) == {
        "op": "run",
        "tasks": ["\\Isotools\\Synchro Stock"],
        "wait": True,
        "timeout": 600,
    }
    assert result["exit_code"] == first["last_result"] == 0
    assert result["duration"] == first["duration"]
    assert result["start_time"] == first["start_time"]
