# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""win_sync_task_info through its action plugin: reading, adoption of real exports, history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
from host_samples import synchro_task_xml
from shared_data import CORPUS, require
from support.action_harness import Harness, build_action, daily_job

ROOT = "D:\\Isotools\\Synchro_prod\\localhost"
RECORDED = Path(__file__).parent.parent / "plugin_utils" / "hosts" / "data"
# Without the shared corpus, one case that skips saying where the corpus was expected.
CORPUS_FILES = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else [CORPUS]


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def test_lists_the_folder_with_state_and_decoded_results(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock"), daily_job("Prices", f"{ROOT}\\prices")]})
    harness.forget_journal()
    result = harness.run("win_sync_task_info", {})
    assert result["changed"] is False
    assert result["folder"] == "\\Isotools" and result["exists"] is True
    assert result["host"]["hostname"] == "SHOP01"
    assert sorted(task["path"] for task in result["tasks"]) == ["\\Isotools\\Prices", "\\Isotools\\Stock"]
    stock = next(task for task in result["tasks"] if task["name"] == "Stock")
    assert stock["folder"] == "\\Isotools"
    assert stock["supported"] is True and stock["owned"] is True
    assert stock["state"] == "ready" and stock["enabled"] is True
    assert stock["last_result"] == 0x41303
    assert stock["last_result_text"].startswith("not yet run")
    assert stock["history"] == []
    # What each task runs is read once the first read has told it: the deploy locked it down.
    assert (stock["findings"], stock["unresolved"]) == ([], [])
    assert harness.ops() == ["read", "read"]


def test_name_reads_one_task_and_a_missing_folder_is_empty(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock"), daily_job("Prices", f"{ROOT}\\prices")]})
    one = harness.run("win_sync_task_info", {"name": "stock"})
    assert [task["path"] for task in one["tasks"]] == ["\\Isotools\\Stock"]
    assert one["exists"] is True
    nothing = harness.run("win_sync_task_info", {"folder": "\\Nowhere"})
    assert nothing["tasks"] == [] and nothing["exists"] is False
    assert "failed" not in nothing


def test_recurse_reads_sub_folders(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock")]})
    harness.run("win_sync_jobs", {"folder": "\\Isotools\\Archive", "jobs": [daily_job("Old", f"{ROOT}\\old")]})
    flat = harness.run("win_sync_task_info", {"folder": "\\Isotools"})
    deep = harness.run("win_sync_task_info", {"folder": "\\Isotools", "recurse": True})
    assert [task["path"] for task in flat["tasks"]] == ["\\Isotools\\Stock"]
    assert sorted(task["path"] for task in deep["tasks"]) == ["\\Isotools\\Archive\\Old", "\\Isotools\\Stock"]


TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"
UNREADABLE = (
    f'<?xml version="1.0" encoding="UTF-16"?><Task version="1.2" xmlns="{TASK_NS}"><Settings><Priority>high</Priority>'
    "</Settings><Actions><Exec><Command>sync.exe</Command></Exec></Actions></Task>"
)
COM_HANDLER = (
    f'<?xml version="1.0" encoding="UTF-16"?><Task version="1.2" xmlns="{TASK_NS}"><Actions>'
    "<ComHandler><ClassId>{9C2D4E2B-0B05-4B5C-8D6A-6F3A35E3C8F1}</ClassId></ComHandler></Actions></Task>"
)


def test_unreadable_and_unsupported_tasks_are_reported_not_fatal(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock")]})
    harness.put_task("\\Isotools", "Unreadable", UNREADABLE)
    harness.put_task("\\Isotools", "Com handler", COM_HANDLER)
    result = harness.run("win_sync_task_info", {})
    assert "failed" not in result, result.get("msg")
    by_name = {task["name"]: task for task in result["tasks"]}
    assert by_name["Stock"]["supported"] is True
    unreadable = by_name["Unreadable"]
    assert unreadable["supported"] is False and unreadable["spec"] is None
    assert unreadable["unsupported_reasons"] == [
        "the task XML could not be read: task '\\Isotools\\Unreadable': Settings/Priority 'high' is not a whole number from 0 to 10"
    ]
    assert by_name["Com handler"]["unsupported_reasons"] == ["actions[0]: ComHandler actions are not supported (only Exec)"]
    assert by_name["Com handler"]["spec"] is None


def test_the_kb_task_made_by_hand_is_taken_over_once_then_left_alone(harness: Harness) -> None:
    hand_made = synchro_task_xml(f"{ROOT}\\synchrof00001").replace("<Source>isotools.shop_sync</Source>", "")
    harness.put_task("\\", "Synchro Isotools Stock", hand_made)
    info = harness.run("win_sync_task_info", {"folder": "\\", "name": "Synchro Isotools Stock"})
    [task] = info["tasks"]
    assert task["supported"] is True and task["owned"] is False
    assert task["spec"]["actions"][0]["arguments"] == "/k synchro.bat & exit"
    harness.forget_journal()
    preview = harness.run("win_sync_task", task["spec"], check_mode=True)
    assert (preview["changed"], preview["outcome"], preview["changes"]) == (True, "taken_over", [])
    assert any("this run would take it over" in warning for warning in preview["warnings"]), preview["warnings"]
    assert harness.ops() == ["read"]
    taken = harness.run("win_sync_task", task["spec"])
    assert (taken["changed"], taken["outcome"]) == (True, "taken_over"), taken.get("msg")
    assert any("this run takes it over" in warning for warning in taken["warnings"]), taken["warnings"]
    [owned] = harness.run("win_sync_task_info", {"folder": "\\", "name": "Synchro Isotools Stock"})["tasks"]
    assert owned["owned"] is True
    harness.forget_journal()
    again = harness.run("win_sync_task", task["spec"])
    assert again["changed"] is False, again["changes"]
    assert harness.ops() == ["read"]


@pytest.mark.parametrize("export", CORPUS_FILES, ids=[path.stem for path in CORPUS_FILES])
def test_real_exports_are_taken_over_once_then_re_apply_without_change_or_say_why_not(harness: Harness, export: Path) -> None:
    target = harness.task_file("\\Adopted", export.stem)
    target.parent.mkdir(parents=True)
    target.write_bytes(require(export).read_bytes())
    info = harness.run("win_sync_task_info", {"folder": "\\Adopted"})
    assert "failed" not in info, info.get("msg")
    [task] = info["tasks"]
    if not task["supported"]:
        assert task["spec"] is None and task["unsupported_reasons"]
        return
    principal = task["spec"].get("principal", {})
    # The machine the task came from had its account; this image gets one under the same name.
    # A task registered again must name an account the server knows, so a SID gets a name here.
    user = principal.get("user")
    if user:
        by_sid = user.upper().startswith("S-1-")
        harness.write_json("accounts.json", {"SHOP01\\adopted": user} if by_sid else {user: "S-1-5-21-1004336348-1177238915-682003330-1001"})
    harness.forget_journal()
    # Hand-made: the first run takes it over (registers it again, marked), once.
    spec = task["spec"]
    taken = harness.run("win_sync_task", spec)
    if taken.get("failed"):
        # Only a logon that stores a password stops it: Windows takes it only with the password.
        assert taken["msg"].startswith(f"host 'shop01', job '{task['name']}': principal.password: the task"), taken["msg"]
        assert "taking it over" in taken["msg"], taken["msg"]
        assert harness.ops() == ["read"]
        # A password logon that names no account gets one too (Windows ran it as its registrant).
        account = {} if user else {"user": "svc_sync"}
        if not user:
            assert "name the account and give its password" in taken["msg"], taken["msg"]
            harness.write_json("accounts.json", {"svc_sync": "S-1-5-21-1004336348-1177238915-682003330-1001"})
        spec = {**spec, "principal": {**principal, **account, "password": "vaulted-in-the-inventory"}}
        taken = harness.run("win_sync_task", spec)
    assert "failed" not in taken, taken.get("msg")
    assert (taken["changed"], taken["outcome"]) == (True, "taken_over")
    harness.forget_journal()
    again = harness.run("win_sync_task", spec)
    assert "failed" not in again, again.get("msg")
    assert again["changed"] is False, again["changes"]
    # A program named bare (notepad.exe), absent from this image, is looked for along PATH too:
    # that is one more read, never an apply.
    assert harness.ops() in (["read"], ["read", "read"])


def test_history_folds_events_into_runs(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock")]})
    harness.write_json("outcomes.json", {"\\Isotools\\Stock": {"exit_code": 3, "duration": 0.5}})
    harness.run("win_sync_task_run", {"name": "Stock", "fail_on_error": False})
    harness.forget_journal()
    result = harness.run("win_sync_task_info", {"history": 20})
    assert result["history_available"] is True
    [task] = result["tasks"]
    [run] = task["history"]
    assert run["status"] == "failed" and run["exit_code"] == 3
    assert run["duration"] == pytest.approx(0.5, abs=1.0)
    assert run["result_text"].startswith("exit code 3")
    assert task["last_result"] == 3
    assert harness.ops() == ["read", "read", "history"]  # the second: what the task runs


@pytest.mark.parametrize("value", ["many", -1], ids=["word", "negative"])
def test_history_must_be_a_flag_or_a_count(harness: Harness, value: object) -> None:
    result = harness.run("win_sync_task_info", {"history": value})
    assert result["failed"] is True and "history must be" in result["msg"]
    assert harness.ops() == []


def test_a_recorded_winrm_read_is_reported_the_same_way(tmp_path: Path) -> None:
    recorded = json.loads((RECORDED / "read.json").read_text(encoding="utf-8"))["result"]
    connection = MagicMock()
    connection._shell.tmpdir = None
    connection._load_name = "winrm"
    connection.get_option.side_effect = {"port": 5986, "scheme": "https", "transport": ["ntlm"]}.get
    action = build_action("win_sync_task_info", {"folder": "\\Isotools"}, playbook_dir=tmp_path, connection=connection)
    action._execute_module = MagicMock(return_value=recorded)
    result: dict[str, Any] = action.run(task_vars={"inventory_hostname": "shop01"})
    assert "failed" not in result, result.get("msg")
    # The folder, then what its tasks run (their programs and the folders above them).
    assert action._execute_module.call_count == 2
    first, second = (call.kwargs for call in action._execute_module.call_args_list)
    assert first["module_name"] == second["module_name"] == "isotools.shop_sync.win_sync_host"
    assert json.loads(first["module_args"]["request"])["op"] == "read"
    follow_up = json.loads(second["module_args"]["request"])
    assert follow_up["op"] == "read" and follow_up["files"] and not follow_up["folders"] and not follow_up["tasks"]
    assert follow_up["file_content"] is False  # what a task names may be any file: its security only
    assert result["host"]["hostname"] == "SHOP01"
    paths = [task["path"] for task in result["tasks"]]
    assert paths == [task["path"] for task in recorded["response"]["tasks"]]
    assert all(task["last_result_text"] for task in result["tasks"] if task["last_result"] is not None)


def test_a_task_file_the_host_cannot_decode_is_reported_and_blocks_only_its_job(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock")]})
    harness.task_file("\\Isotools", "Broken").write_bytes(b"\xff\xfe\x00\xd8garbage")
    info = harness.run("win_sync_task_info", {})
    assert "failed" not in info, info.get("msg")
    broken = next(task for task in info["tasks"] if task["name"] == "Broken")
    assert broken["supported"] is False and broken["state"] == "unknown"
    assert broken["unsupported_reasons"][0].startswith("the host could not read the task: ")
    harness.forget_journal()
    result = harness.run("win_sync_jobs", {"jobs": [daily_job("Broken", f"{ROOT}\\broken")]})
    assert result["failed"] is True
    assert "job 'Broken'" in result["msg"] and "could not be read" in result["msg"]
    # The folder's other task (Stock, no job names it now) is read again for what it runs.
    assert harness.ops() == ["read", "read"]
