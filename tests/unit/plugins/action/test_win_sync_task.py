# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""win_sync_task through its action plugin, against a directory host on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from host_samples import synchro_task_xml
from support.action_harness import Harness, build_action

from ansible_collections.isotools.shop_sync.plugins.action import win_sync_task as action_module
from ansible_collections.isotools.shop_sync.plugins.plugin_utils import sync as sync_module

STOCK: dict[str, Any] = {
    "name": "Synchro Stock",
    "folder": "\\Isotools",
    "description": "ERP -> shop stock",
    "actions": [
        {
            "command": "C:\\Windows\\System32\\cmd.exe",
            "arguments": "/k synchro.bat & exit",
            "working_directory": "D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\",
        }
    ],
    "triggers": [{"type": "daily", "at": "06:00", "every": "15m", "until": "22:00"}],
    "principal": {"user": "SYSTEM"},
}


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def test_create_then_rerun_reads_once_and_writes_nothing(harness: Harness) -> None:
    created = harness.run("win_sync_task", STOCK)
    assert created["changed"] is True
    assert created["outcome"] == "created"
    assert created["path"] == "\\Isotools\\Synchro Stock"
    assert created["previous_xml"] is None
    assert "<Arguments>/k synchro.bat &amp; exit</Arguments>" in created["xml"]
    assert harness.task_file("\\Isotools", "Synchro Stock").is_file()
    assert harness.ops() == ["read", "apply"]

    harness.forget_journal()
    again = harness.run("win_sync_task", STOCK)
    assert again["changed"] is False
    assert again["outcome"] == "unchanged"
    assert again["changes"] == []
    assert again["xml"] == created["xml"]
    assert harness.ops() == ["read"]


def test_check_mode_plans_without_writing(harness: Harness) -> None:
    result = harness.run("win_sync_task", STOCK, check_mode=True)
    assert result["changed"] is True
    assert result["outcome"] == "created"
    assert harness.ops() == ["read"]
    assert not harness.task_file("\\Isotools", "Synchro Stock").exists()


def test_update_reports_the_field_and_the_previous_xml(harness: Harness) -> None:
    harness.run("win_sync_task", STOCK)
    later = {**STOCK, "triggers": [{"type": "daily", "at": "07:00", "every": "15m", "until": "22:00"}]}
    result = harness.run("win_sync_task", later, diff=True)
    assert result["changed"] is True
    assert result["outcome"] == "updated"
    assert result["previous_xml"] is not None and "T06:00:00" in result["previous_xml"]
    assert [change for change in result["changes"] if change.startswith("triggers")], result["changes"]
    diff = result["diff"]
    assert diff["before_header"] == diff["after_header"] == "\\Isotools\\Synchro Stock"
    assert "T06:00:00" in diff["before"] and "T07:00:00" in diff["after"]
    assert all(line.strip() in diff["prepared"] for line in result["changes"])


def test_absent_deletes_an_owned_task_once(harness: Harness) -> None:
    harness.run("win_sync_task", STOCK)
    removed = harness.run("win_sync_task", {"name": "Synchro Stock", "folder": "\\Isotools", "state": "absent"})
    assert removed["changed"] is True
    assert removed["outcome"] == "deleted"
    assert removed["previous_xml"] is not None
    assert not harness.task_file("\\Isotools", "Synchro Stock").exists()
    again = harness.run("win_sync_task", {"name": "Synchro Stock", "folder": "\\Isotools", "state": "absent"})
    assert again["changed"] is False
    assert again["outcome"] == "absent"


def test_absent_leaves_a_hand_made_task_with_a_warning(harness: Harness) -> None:
    xml = synchro_task_xml("D:\\Isotools\\stock").replace("<Source>isotools.shop_sync</Source>", "")
    harness.put_task("\\Isotools", "Synchro Stock", xml)
    result = harness.run("win_sync_task", {"name": "Synchro Stock", "folder": "\\Isotools", "state": "absent"})
    assert result["changed"] is False
    assert harness.task_file("\\Isotools", "Synchro Stock").exists()
    assert any("not registered by isotools.shop_sync" in warning for warning in result["warnings"])
    assert harness.ops() == ["read"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({**STOCK, "triggers": [{"type": "daily", "at": "25:00"}]}, "task 'Synchro Stock': triggers[0].at '25:00'"),
        ({**STOCK, "settings": {"priorty": 5}}, "settings.priorty is not a known option (did you mean priority?)"),
        ({**STOCK, "colour": "red"}, "task 'Synchro Stock': colour is not a known option"),
        ({**STOCK, "state": "gone"}, "state"),
        ({"folder": "\\Isotools", "state": "absent"}, "name is required"),
    ],
    ids=["bad-time", "misspelt-setting", "unknown-option", "bad-state", "absent-without-name"],
)
def test_bad_options_fail_before_the_host_is_touched(harness: Harness, args: dict[str, Any], expected: str) -> None:
    result = harness.run("win_sync_task", args)
    assert result["failed"] is True
    assert expected in result["msg"]
    assert result["changed"] is False
    assert harness.ops() == []


def test_a_refused_change_fails_with_the_reason(harness: Harness) -> None:
    harness.write_json("faults.json", [{"change": "register_task", "fault": "access_denied"}])
    result = harness.run("win_sync_task", STOCK)
    assert result["failed"] is True
    assert result["changed"] is True  # the folder was created before the registration failed
    assert result["msg"].startswith("register_task \\Isotools\\Synchro Stock: failed: Access is denied.")
    assert result["outcome"] == "created"
    assert not harness.task_file("\\Isotools", "Synchro Stock").exists()
    assert harness.ops() == ["read", "apply"]


def test_the_directory_host_must_be_configured(harness: Harness) -> None:
    harness.host_vars.pop("shop_sync_directory_root")
    result = harness.run("win_sync_task", STOCK)
    assert result["failed"] is True
    assert "shop_sync_directory_root is not set" in result["msg"]

    harness.host_vars.update(shop_sync_backend="ftp")
    result = harness.run("win_sync_task", STOCK)
    assert "shop_sync_backend 'ftp' is not a known host backend" in result["msg"]


def test_a_relative_directory_root_is_taken_from_the_playbook(harness: Harness) -> None:
    (harness.playbook_dir / "image").symlink_to(harness.root, target_is_directory=True)
    harness.host_vars["shop_sync_directory_root"] = "image"
    assert harness.run("win_sync_task", STOCK)["changed"] is True
    assert harness.ops() == ["read", "apply"]


def test_winrm_is_the_default_and_refuses_a_local_connection(harness: Harness) -> None:
    harness.host_vars.pop("shop_sync_backend")
    action = build_action("win_sync_task", STOCK, playbook_dir=harness.playbook_dir)
    action._connection._load_name = "ansible.builtin.local"
    result = action.run(task_vars=dict(harness.host_vars))
    assert result["failed"] is True
    assert "shop_sync_backend is winrm (the default when unset) but the host's connection is local" in result["msg"]
    assert harness.ops() == []


def test_a_changed_task_s_xml_is_rendered_once_in_a_run(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    # The module returns the XML it registers (xml) and registers it: one rendering serves both.
    harness.run("win_sync_task", STOCK)
    rendered: list[str] = []
    for module in (action_module, sync_module):
        render = module.render_xml
        monkeypatch.setattr(module, "render_xml", lambda definition, render=render: rendered.append(definition.path) or render(definition))
    later = {**STOCK, "triggers": [{"type": "daily", "at": "07:00", "every": "15m", "until": "22:00"}]}

    result = harness.run("win_sync_task", later)

    assert result["outcome"] == "updated"
    assert rendered == ["\\Isotools\\Synchro Stock"]
    registered = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16")
    assert "T07:00:00" in result["xml"] and registered.replace("\r\n", "\n") == result["xml"]


GMSA = "CONTOSO\\gmsa_sync$"  # invented, declared in the image's accounts.json as the host's domain account
GMSA_SID = "S-1-5-21-3623811015-3361044348-30300820-2201"


@pytest.mark.parametrize(
    "task",
    [
        # SYSTEM stores no password: the plan registers no password version in the owner's mark.
        {**STOCK, "password_version": "2"},
        # The host names the account CONTOSO\gmsa_sync$: the task is registered under that name.
        {**STOCK, "principal": {"user": "gmsa_sync$@contoso.example"}},
        # A SID says nothing of its logon: the host names it a gMSA, registered with LogonType Password.
        {**STOCK, "principal": {"user": GMSA_SID}},
    ],
    ids=["system-password-version", "gmsa-by-upn", "gmsa-by-sid"],
)
@pytest.mark.parametrize("check_mode", [False, True], ids=["deploy", "check"])
def test_the_xml_returned_is_the_one_registered(harness: Harness, task: dict[str, Any], check_mode: bool) -> None:
    harness.write_json("accounts.json", {GMSA: GMSA_SID})
    planned = harness.run("win_sync_task", task, check_mode=check_mode)
    if check_mode:
        assert not harness.task_file("\\Isotools", "Synchro Stock").exists()
        created = harness.run("win_sync_task", task)
    else:
        created = planned
    registered = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16").replace("\r\n", "\n")

    assert created["outcome"] == "created", created
    assert planned["xml"] == registered

    again = harness.run("win_sync_task", task, check_mode=check_mode)
    assert (again["changed"], again["changes"]) == (False, []), again
    assert again["xml"] == registered


def test_a_task_left_alone_returns_no_xml(harness: Harness) -> None:
    # The host's task cannot be read: the job leaves it as it is, and no XML claims otherwise.
    harness.put_task("\\Isotools", "Synchro Stock", "not XML")
    result = harness.run("win_sync_task", STOCK)
    assert result["failed"] is True and result["outcome"] == "unreadable", result
    assert result["xml"] is None
    assert harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16").lstrip("\ufeff") == "not XML"
