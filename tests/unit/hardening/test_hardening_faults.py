# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults mid-apply, seen through win_sync_jobs: every fault the directory host can inject, at
every kind of change, in a first deploy and in an update.

For each, against what the same deploy does without the fault (the reference):

- the result says precisely, per job, which host changes were applied and which were not: each
  change it lists as applied is on the host as the reference has it, each one it lists as not
  applied is still as before, and together they are every change of the plan;
- no task is half-written or lost: every task file is its old XML or its new one, and parses;
  a task is gone only when its delete is listed as applied; no temporary file is left;
- the backup holds what the apply replaced (taken before it, so even a lost connection keeps it);
- a re-run without the fault converges: changed, then unchanged.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hardening_support import FAULTS, ROOT, SCENARIO_KINDS, fault_cases
from support.action_harness import Harness, daily_job
from support.directory_faults import FAULT_KINDS

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import CHANGE_KINDS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml

OLD_SCRIPT = "@echo off\nrem stock v1\n"
NEW_SCRIPT = "@echo off\nrem stock v2\n"
PRICES_SCRIPT = ROOT + "\\prices\\synchro.bat"
BEFORE = [
    daily_job("Stock", ROOT + "\\stock", content=OLD_SCRIPT),
    daily_job("Prices", ROOT + "\\prices"),
    daily_job("Old", ROOT + "\\old"),
]
UPDATE = [
    daily_job("Stock", ROOT + "\\stock", at="07:00", content=NEW_SCRIPT),  # write_file, register_task
    daily_job("Prices", ROOT + "\\prices"),  # set_acl: its script became writable by Users
    {"name": "Old", "state": "absent"},  # delete_task
    daily_job("New", ROOT + "\\new"),  # create_directory, set_acl, write_file, register_task
]
FIRST_DEPLOY = [UPDATE[0], UPDATE[3]]  # create_folder too
USERS_SID = "S-1-5-32-545"
# What each fault makes of the change it meets: its status and words of its reason.
FAULT_OUTCOME = {
    "access_denied": ("failed", "Access is denied"),
    "disk_full": ("failed", "There is not enough space on the disk"),
    "unknown_account": ("refused", "No mapping between account names and security IDs"),
    "task_running": ("failed", "An instance of this task is already running"),
    "connection_lost": ("skipped", "the connection was lost before this change"),
}
Observed = object  # what observe() returns: a flag, an ACL entry (SIDs) or a file's bytes; compared with ==


@dataclass(frozen=True)
class Scenario:
    jobs: list[dict[str, Any]]
    image: Path  # the host before the deploy, copied by each test
    changes: tuple[str, ...]  # every host change of the deploy, 'kind path'
    after: dict[str, Observed]  # what each change leaves on the host (the reference)
    tasks_after: dict[str, bytes]


def observe(harness: Harness, change: str) -> Observed:
    """What the host shows of the object ``change`` writes."""
    kind, _space, path = change.partition(" ")
    if kind == "create_folder":
        return harness.task_file(path, "").is_dir()
    if kind == "create_directory":
        return harness.windows_path(path).is_dir()
    if kind == "set_acl":
        acl = json.loads((harness.root / "acl.json").read_text(encoding="utf-8")) if (harness.root / "acl.json").exists() else {}
        return acl.get(path.lower())
    if kind == "write_file":
        script = harness.windows_path(path)
        return script.read_bytes() if script.exists() else None
    folder, _sep, name = path.rpartition("\\")
    task = harness.task_file(folder or "\\", name)
    return task.read_bytes() if task.exists() else None


def task_files(harness: Harness) -> dict[str, bytes]:
    tasks = harness.task_file("\\", "")
    return {str(path.relative_to(tasks)): path.read_bytes() for path in sorted(tasks.rglob("*")) if path.is_file()} if tasks.exists() else {}


def listed(job: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The job's changes the result lists as applied, and as not applied ('kind path' only)."""
    return list(job["applied_changes"]), [line.split(": ", 1)[0] for line in job["not_applied_changes"]]


def prepare(base: Path, name: str) -> Harness:
    harness = Harness.create(base / name)
    if name == "update":
        assert harness.run("win_sync_jobs", {"jobs": BEFORE})["changed"] is True
        acl_file = harness.root / "acl.json"
        acl = json.loads(acl_file.read_text(encoding="utf-8"))
        acl[PRICES_SCRIPT.lower()] = sorted({*(ace["sid"] for ace in acl[(ROOT + "\\prices").lower()]["aces"]), USERS_SID})
        acl_file.write_text(json.dumps(acl), encoding="utf-8")
    harness.forget_journal()
    return harness


def copy_of(image: Path, base: Path) -> Harness:
    """A harness under ``base`` whose host is a copy of ``image``."""
    harness = Harness.create(base)
    shutil.copytree(image, harness.root, dirs_exist_ok=True)
    return harness


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    base = tmp_path_factory.mktemp("faults")
    built = {}
    for name, jobs in (("first deploy", FIRST_DEPLOY), ("update", UPDATE)):
        image = prepare(base, name)
        reference = copy_of(image.root, base / f"{name} reference")
        result = reference.run("win_sync_jobs", {"jobs": jobs})
        assert result["changed"] is True and "failed" not in result, result
        changes = tuple(dict.fromkeys(change for job in result["jobs"] for change in job["applied_changes"]))
        after = {change: observe(reference, change) for change in changes}
        built[name] = Scenario(jobs, image.root, changes, after, task_files(reference))
    return built


def test_every_fault_meets_every_kind_of_change(scenarios: dict[str, Scenario]) -> None:
    assert FAULTS == FAULT_KINDS
    assert {kind for kinds in SCENARIO_KINDS.values() for kind in kinds} == set(CHANGE_KINDS)
    for name, scenario in scenarios.items():
        assert sorted({change.split(" ")[0] for change in scenario.changes}) == sorted(SCENARIO_KINDS[name])


@pytest.mark.parametrize(("scenario", "kind", "fault"), fault_cases(), ids=lambda value: str(value).replace(" ", "-"))
def test_a_fault_is_reported_precisely_loses_nothing_and_a_rerun_converges(
    scenarios: dict[str, Scenario], tmp_path: Path, scenario: str, kind: str, fault: str
) -> None:
    planned = scenarios[scenario]
    harness = copy_of(planned.image, tmp_path)
    before = {change: observe(harness, change) for change in planned.changes}
    tasks_before = task_files(harness)
    assert all(before[change] != planned.after[change] for change in planned.changes), "a change that changes nothing proves nothing"
    harness.write_json("faults.json", [{"change": kind, "fault": fault}])

    result = harness.run("win_sync_jobs", {"jobs": planned.jobs, "backup": True, "backup_dir": "backups"})

    # The run fails (a lost connection: unreachable) and says which change met which fault.
    status, words = FAULT_OUTCOME[fault]
    assert result.get("unreachable" if fault == "connection_lost" else "failed") is True, result
    assert f"{kind} " in result["msg"] and f": {status}: " in result["msg"] and words in result["msg"]

    # Per job, what was applied and what not: together every change, each one as listed.
    applied: set[str] = set()
    not_applied: set[str] = set()
    for job in result["jobs"]:
        done, missing = listed(job)
        # Applied means all of it: a job with a change not made is not applied, its lists say how far it got.
        assert job["applied"] is (bool(done) and not missing), job
        assert (job["message"] is None) is (not missing)
        applied |= set(done)
        not_applied |= set(missing)
    assert applied | not_applied == set(planned.changes)
    assert not applied & not_applied
    faulted = [line for job in result["jobs"] for line in job["not_applied_changes"] if line.startswith(kind + " ") and words in line]
    assert faulted, "the change that met the fault is not named"
    for change in planned.changes:
        expected = planned.after[change] if change in applied else before[change]
        assert observe(harness, change) == expected, f"{change} is not as the result says"
    assert result["changed"] is bool(applied)

    # No task half-written or lost, no temporary file left.
    tasks = task_files(harness)
    deleted = {change.split("\\")[-1] for change in applied if change.startswith("delete_task ")}
    assert set(tasks_before) - set(tasks) == {f"Isotools/{name}" for name in deleted}
    for name, data in tasks.items():
        assert data in (tasks_before.get(name), planned.tasks_after.get(name)), name
        parse_xml(data.decode("utf-16"), name=name.rpartition("/")[2], folder="\\Isotools")
    assert list(harness.root.rglob(".shop_sync-tmp-*")) == []

    # The backup holds what the apply was to replace, as it was.
    replaced = {name: data for name, data in tasks_before.items() if planned.tasks_after.get(name) != data}
    backups = {entry["path"]: entry for entry in result["backups"]}
    assert sorted(backups) == sorted(f"\\{name.replace('/', chr(92))}" for name in replaced)
    for name, data in replaced.items():
        entry = backups[f"\\{name.replace('/', chr(92))}"]
        assert entry["xml"].splitlines() == data.decode("utf-16").lstrip("\ufeff").splitlines()
        saved = next(Path(file) for file in entry["files"] if file.endswith(".xml"))
        assert saved.read_bytes().decode("utf-16").splitlines() == data.decode("utf-16").splitlines()
    for entry in backups.values():
        for script in entry["scripts"]:
            assert script["content"] == OLD_SCRIPT

    # Without the fault, a re-run makes the rest of the changes, then there is nothing to do.
    harness.forget_journal()
    again = harness.run("win_sync_jobs", {"jobs": planned.jobs})
    assert again["changed"] is True and "failed" not in again and "unreachable" not in again, again
    assert all(observe(harness, change) == planned.after[change] for change in planned.changes)
    assert task_files(harness) == planned.tasks_after
    settled = harness.run("win_sync_jobs", {"jobs": planned.jobs})
    assert settled["changed"] is False
    assert harness.ops() == ["read", "apply", "read"]
