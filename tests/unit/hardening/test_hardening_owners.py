# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prune has an owner identity: two inventories (or an inventory and win_sync_task playbooks)
sharing one Task Scheduler folder never delete each other's tasks.

The ownership marker names the owner (``isotools.shop_sync; owner=shop-b``); a prune and
``state: absent`` delete only tasks of their own owner; a bare marker, as 0.1.0 wrote it, is the
default owner's. A job declaring a task another owner labelled is refused before any write.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening_support import PRUNE_OWNERS, ROOT
from support.action_harness import Harness, daily_job

XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>{source}</RegistrationInfo>
  <Triggers><TimeTrigger><StartBoundary>2026-01-01T02:00:00</StartBoundary></TimeTrigger></Triggers>
  <Principals><Principal id="Author"><UserId>S-1-5-18</UserId></Principal></Principals>
  <Actions Context="Author"><Exec><Command>C:\\Windows\\System32\\cmd.exe</Command></Exec></Actions>
</Task>
"""


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def job(name: str) -> dict[str, object]:
    return daily_job(name, f"{ROOT}\\{name}")


@pytest.mark.parametrize(("owner", "source", "pruned"), PRUNE_OWNERS)
def test_a_prune_deletes_only_its_own_owners_tasks(harness: Harness, owner: str, source: str | None, pruned: bool) -> None:
    harness.put_task("\\Isotools", "Other", XML.format(source=f"<Source>{source}</Source>" if source else ""))
    result = harness.run("win_sync_jobs", {"jobs": [job("Synchro Stock")], "prune": True, "owner": owner})
    assert "failed" not in result, result
    assert harness.task_file("\\Isotools", "Other").exists() is not pruned
    assert ("\\Isotools\\Other" in [entry["path"] for entry in result["jobs"] if entry["outcome"] == "pruned"]) is pruned


def test_two_inventories_sharing_a_folder_with_prune_keep_each_others_tasks(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [job("Synchro Stock")], "prune": True, "owner": "shop-a"})
    second = harness.run("win_sync_jobs", {"jobs": [job("Synchro Prix")], "prune": True, "owner": "shop-b"})
    third = harness.run("win_sync_jobs", {"jobs": [job("Synchro Stock")], "prune": True, "owner": "shop-a"})
    assert [entry["outcome"] for entry in second["jobs"] + third["jobs"]] == ["created", "unchanged"]
    assert harness.task_file("\\Isotools", "Synchro Stock").exists() and harness.task_file("\\Isotools", "Synchro Prix").exists()


def test_a_task_another_owner_registered_is_refused_before_any_write(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [job("Synchro Stock")], "owner": "shop-a"})
    harness.forget_journal()
    changed = {**job("Synchro Stock"), "task": {"triggers": [{"type": "daily", "at": "07:00"}], "principal": {"user": "SYSTEM"}}}
    result = harness.run("win_sync_jobs", {"jobs": [changed], "owner": "shop-b"})
    assert result.get("failed") is True and harness.ops() == ["read"], result
    assert "job 'Synchro Stock': owner: task '\\Isotools\\Synchro Stock' belongs to the owner 'shop-a', not 'shop-b'" in result["msg"]
    absent = harness.run("win_sync_jobs", {"jobs": [{"name": "Synchro Stock", "state": "absent"}], "owner": "shop-b"})
    assert absent["jobs"][0]["outcome"] == "unchanged" and harness.task_file("\\Isotools", "Synchro Stock").exists()


def test_a_task_made_with_win_sync_task_in_the_roles_folder_is_not_pruned_by_the_next_deploy(harness: Harness) -> None:
    made = harness.run("win_sync_task", {"name": "Made By Hand", "folder": "\\Isotools", "actions": [{"command": "cmd.exe"}]})
    assert made["outcome"] == "created" and "owner=win_sync_task" in made["xml"]
    deployed = harness.run("win_sync_jobs", {"jobs": [job("Synchro Stock")], "prune": True})
    assert [entry["outcome"] for entry in deployed["jobs"]] == ["created"]
    assert harness.task_file("\\Isotools", "Made By Hand").exists()
    removed = harness.run("win_sync_task", {"name": "Made By Hand", "folder": "\\Isotools", "state": "absent"})
    assert removed["outcome"] == "deleted"
