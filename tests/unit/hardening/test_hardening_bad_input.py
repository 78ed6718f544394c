# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input through the actions: every invalid task and job specification is refused with a
message naming the job (or task) and the field, and the directory host is never written.

The cases are data: the task-level ones of plugin_utils/data/bad_specs.yml, each run as a job's
``task`` through win_sync_jobs and as the options of win_sync_task, and the job-level ones of
data/bad_jobs.yml. A valid witness job rides along with every bad one and must not be deployed
either: one bad job stops the whole run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hardening_support import (
    WORKING_DIRECTORY,
    bad_jobs,
    bad_specs,
    job_kinds,
    spec_through_jobs,
    spec_through_task,
)
from support.action_harness import SVC_SYNC, SVC_SYNC_SID, Harness, daily_job
from support.messages import assert_copyable

SPECS = bad_specs()
JOBS = bad_jobs()
WITNESS = daily_job("Synchro Witness", "D:\\Isotools\\Synchro_prod\\shop01\\witness")
# Every kind of field issue 5 names, each with at least one job-level case.
FIELD_KINDS = {
    "names",
    "paths",
    "times",
    "durations",
    "trigger combinations",
    "accounts",
    "logon modes",
    "settings ranges",
    "duplicate names",
    "script options",
    "templates",
}


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def assert_refused(harness: Harness, result: dict[str, Any], named: str, phrase: str, *, reads_host: bool = False) -> None:
    """Failed, the message names who and which field and says why, and nothing was written."""
    message = result.get("msg", "")
    assert result.get("failed") is True, result
    assert result["changed"] is False
    assert named in message, message
    assert phrase in message, message
    assert harness.ops() == (["read"] if reads_host else []), "the host was written, or read for nothing"
    assert not harness.task_file("\\Isotools", "Synchro Witness").exists()
    assert not harness.windows_path(WORKING_DIRECTORY).exists()


def spec_as_job(spec: object) -> dict[str, Any]:
    """A task spec as the ``task`` of a job of the same name, in the job's working directory."""
    if not isinstance(spec, Mapping):
        return {"name": "Synchro Stock", "working_directory": WORKING_DIRECTORY, "task": spec}
    job: dict[str, Any] = {"working_directory": WORKING_DIRECTORY, "task": {key: value for key, value in spec.items() if key != "name"}}
    if "name" in spec:
        job["name"] = spec["name"]
    return job


def job_subject(spec: object) -> str:
    """How win_sync_jobs names the job: by its name, or by its place when it has no usable name."""
    name = spec.get("name") if isinstance(spec, Mapping) else "Synchro Stock"
    return f"job '{name}'" if isinstance(name, str) and name.strip() else "jobs[0]"


def test_there_are_at_least_sixty_cases_covering_every_kind_of_field() -> None:
    assert len(SPECS) + len(JOBS) >= 60
    assert set(job_kinds()) == FIELD_KINDS
    assert len({case["id"] for case in SPECS + JOBS}) == len(SPECS) + len(JOBS), "case ids must be unique"


def test_every_task_level_case_runs_through_at_least_one_action() -> None:
    assert [case["id"] for case in SPECS if not (spec_through_jobs(case) or spec_through_task(case))] == []


@pytest.mark.parametrize("case", [case for case in SPECS if spec_through_jobs(case)], ids=lambda case: case["id"])
def test_a_bad_task_spec_as_a_job_is_refused_naming_the_job_and_field(harness: Harness, case: dict[str, Any]) -> None:
    field = case["field"]
    if field != "name":
        field = f"task.{field}" if field else "task"
    # Options that are no mapping at all are the job's task option, which says so in its words.
    phrase = str(case["message"]) if isinstance(case["spec"], Mapping) else "must be a mapping of task options"
    result = harness.run("win_sync_jobs", {"jobs": [spec_as_job(case["spec"]), WITNESS]})
    assert_refused(harness, result, f"{job_subject(case['spec'])}: {field}", phrase)


@pytest.mark.parametrize("case", [case for case in SPECS if spec_through_task(case)], ids=lambda case: case["id"])
def test_a_bad_task_spec_is_refused_by_win_sync_task_naming_the_task_and_field(harness: Harness, case: dict[str, Any]) -> None:
    task = str(case["task"]).replace("\n", "\\n")
    named = f"task '{task}': {case['field']}" if case["field"] else f"task '{task}'"
    result = harness.run("win_sync_task", case["spec"])
    assert_refused(harness, result, named, str(case["message"]))


@pytest.mark.parametrize("case", JOBS, ids=lambda case: case["id"])
def test_a_bad_job_is_refused_naming_the_job_and_field(harness: Harness, case: dict[str, Any]) -> None:
    for name, text in (case.get("templates") or {}).items():
        (harness.playbook_dir / "templates" / name).write_text(text, encoding="utf-8")
    harness.write_json("accounts.json", {SVC_SYNC: SVC_SYNC_SID, **(case.get("accounts") or {})})
    subject, field = case["subject"], case["field"]
    named = f"{subject}: {field}" if subject and field else subject or field
    result = harness.run("win_sync_jobs", {"jobs": [*case["jobs"], WITNESS], **(case.get("options") or {})})
    assert_refused(harness, result, named, str(case["message"]), reads_host=bool(case.get("reads_host")))
    assert_copyable(result["msg"], [case["jobs"], case.get("options")])


def test_every_problem_of_every_bad_job_is_reported_in_one_run(harness: Harness) -> None:
    cases = [case for case in JOBS if not case.get("options") and not case.get("templates") and not case.get("reads_host")]
    jobs = [job for case in cases for job in case["jobs"]]
    result = harness.run("win_sync_jobs", {"jobs": [*jobs, WITNESS]})
    lines = result["msg"].splitlines()
    assert result["failed"] is True and harness.ops() == []
    # Cases that name a job by its place (jobs[N]) are at another place here: count by the phrase.
    assert all(any(str(case["message"]) in line for line in lines) for case in cases), result["msg"]
    assert len(lines) >= len(cases)


def test_a_whole_number_names_the_task_by_its_digits(harness: Harness) -> None:
    result = harness.run("win_sync_jobs", {"jobs": [{"name": 42, "working_directory": WORKING_DIRECTORY}]})
    assert [job["path"] for job in result["jobs"]] == ["\\Isotools\\42"]
    assert harness.task_file("\\Isotools", "42").exists()
    twice = [{"name": 42, "working_directory": WORKING_DIRECTORY}, {"name": "42", "working_directory": WORKING_DIRECTORY}]
    duplicate = harness.run("win_sync_jobs", {"jobs": twice})
    assert "job '42': name is also the name of job '42'" in duplicate["msg"]
