# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Only folders the collection owns: a protected DACL set on C:\\Windows\\System32, a drive root,
Program Files, ProgramData or a profile strips TrustedInstaller and Users and breaks the server.

A job that writes a script is refused before the host is contacted when its working directory is
one of those folders (or an alias of one, or outside the ``root`` option); a job that only starts
there is deployed without creating, writing or locking down anything in it. The plan refuses
any write outside the job's owned folder, whatever built the job.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hardening_support import NEVER_OWNED, ROOT
from shared_data import CORPUS, require
from support.action_harness import Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import to_inventory_jobs, to_sync_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import HostFacts, ReadResult
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import DesiredFile, DesiredJob, PlanError, PlanOptions, plan
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml, render_xml

WITNESS = daily_job("Synchro Witness", ROOT + "\\witness")
RESTORE_POINT = "004_daily-restore-point-v14-system.xml"  # a real export that starts in C:\Windows\System32


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def assert_untouched(harness: Harness, result: dict[str, Any], phrase: str) -> None:
    assert result.get("failed") is True and result["changed"] is False, result
    assert phrase in result["msg"], result["msg"]
    assert harness.ops() == [], "the host was contacted"
    assert not harness.windows_path(ROOT + "\\witness").exists()


@pytest.mark.parametrize("folder", NEVER_OWNED)
def test_a_script_is_never_written_in_a_system_folder_or_a_drive_root(harness: Harness, folder: str) -> None:
    result = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", folder), WITNESS]})
    assert_untouched(harness, result, "job 'Synchro Stock': working_directory")


@pytest.mark.parametrize("folder", NEVER_OWNED)
def test_the_root_option_is_never_a_system_folder_or_a_drive_root(harness: Harness, folder: str) -> None:
    result = harness.run("win_sync_jobs", {"jobs": [WITNESS], "root": folder})
    assert_untouched(harness, result, "root: ")


def test_with_a_root_a_script_outside_it_is_refused(harness: Harness) -> None:
    elsewhere = daily_job("Synchro Stock", "D:\\Data\\stock")
    result = harness.run("win_sync_jobs", {"jobs": [elsewhere, WITNESS], "root": ROOT})
    assert_untouched(harness, result, "job 'Synchro Stock': working_directory 'D:\\Data\\stock' is not under the owned root")
    assert harness.run("win_sync_jobs", {"jobs": [WITNESS], "root": ROOT.upper()})["changed"] is True


def adopted_restore_point(harness: Harness) -> list[dict[str, Any]]:
    """The restore-point task of the corpus, adopted as the adopt playbook does, for the role's root."""
    xml = (require(CORPUS) / RESTORE_POINT).read_bytes().decode("utf-16")
    harness.put_task("\\Isotools", "Create Restore Point", xml)
    info = harness.run("win_sync_task_info", {"folder": "\\Isotools"})
    adopted = to_inventory_jobs(info["tasks"], root=ROOT)
    [job] = adopted["jobs"]  # type: ignore[misc]
    assert job["working_directory"] == "C:\\Windows\\System32"
    return to_sync_jobs(adopted["jobs"], host="shop01", defaults={"root": ROOT})


def test_an_adopted_task_that_starts_in_system32_is_checked_never_fixed(harness: Harness) -> None:
    jobs = adopted_restore_point(harness)
    options = {"jobs": jobs, "root": ROOT}

    drift = harness.run("win_sync_jobs", options, check_mode=True)
    deployed = harness.run("win_sync_jobs", options)

    for result in (drift, deployed):
        assert "failed" not in result, result
        assert not [change for change in result["jobs"][0]["changes"] if "System32" in change], result["jobs"][0]["changes"]
    assert all(change.startswith("register_task ") for change in deployed["jobs"][0]["applied_changes"]), deployed
    acl = harness.root / "acl.json"
    assert not acl.exists() or not [path for path in json.loads(acl.read_text(encoding="utf-8")) if "system32" in path.lower() and "tasks" not in path.lower()]
    assert harness.run("win_sync_jobs", options, check_mode=True)["changed"] is False


@pytest.mark.parametrize(
    ("directories", "files", "owned_root"),
    [
        (("C:\\Windows\\System32",), (), ""),
        ((), (DesiredFile("D:\\synchro.bat", b"@echo off\r\n"),), ""),
        ((ROOT + "\\stock",), (DesiredFile("D:\\Data\\synchro.bat", b"@echo off\r\n"),), ROOT),
    ],
    ids=["directory-in-system32", "script-in-a-drive-root", "script-outside-the-owned-root"],
)
def test_the_plan_refuses_any_write_outside_the_owned_folder_whatever_built_the_job(
    directories: tuple[str, ...], files: tuple[DesiredFile, ...], owned_root: str
) -> None:
    definition = parse_spec({"name": "Synchro Stock", "folder": "\\Isotools", "actions": [{"command": "cmd.exe"}]}).definition
    job = DesiredJob("Synchro Stock", definition=definition, directories=directories, files=files, owned_root=owned_root)
    with pytest.raises(PlanError) as refused:
        plan([job], ReadResult(HostFacts("shop01")), PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)
    assert (refused.value.job, refused.value.field) == ("Synchro Stock", "working_directory")
    assert "the collection writes files and sets ACLs only" in str(refused.value)
