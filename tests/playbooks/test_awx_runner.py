# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift job as AWX runs it: ansible-runner over a private data dir, not ansible-playbook.

AWX gives ansible-runner a private data dir: ``project/`` (the project's checkout, here an
inventory repository laid out as docs/awx.md says), ``inventory/hosts`` (an executable script
printing the inventory as JSON, hosts ordered by name, a slice of them for a sliced job),
``env/extravars``, ``env/envvars`` and ``env/cmdline`` (``--check`` for a job of type check);
the job's status, its rc and the ``set_stats`` data (the ``artifact_data`` of the
``playbook_on_stats`` event) are what AWX shows and a workflow branches on. Three directory
hosts are deployed once; each test then leaves the fleet in one state and runs the drift job on
it. The tests share one workspace and run in order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support.playbook_runner import REPO, TASKS, empty_image, journal

ansible_runner = pytest.importorskip("ansible_runner", reason="ansible-runner is missing: it is pinned in requirements-tests.txt (make venv)")

HOSTS = ("shopA", "shopB", "shopC")
ROOT = "D:\\Isotools\\Synchro_prod\\{host}"
STOCK = {"name": "Synchro Stock", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile stock", "schedule": [{"daily": "03:30"}]}
# A script of the inventory repository: production/templates/, named as the inventory's own
# folder sees it (docs/awx.md), where AWX's generated inventory is not.
IMAGES = {
    "name": "Synchro Images",
    "script": {"template": "templates/synchro_images.bat.j2", "vars": {"source_share": "\\\\erp01\\catalogue\\images"}},
    "schedule": [{"weekly": {"days": ["mon", "thu"], "at": "03:30"}}],
}
JOBS = {"shopA": [STOCK], "shopB": [STOCK, IMAGES], "shopC": [STOCK]}
# The project's playbooks, one line each, as docs/awx.md lays them out.
PLAYBOOKS = ("deploy", "drift", "report_merge")


@dataclass(frozen=True)
class Job:
    """What AWX shows of a finished job."""

    status: str
    rc: int
    artifacts: dict[str, object]
    stdout: str
    events: list[dict[str, Any]]
    private_data_dir: Path


def write_project(base: Path) -> Path:
    """The inventory repository AWX checks out as the job's project."""
    project = base / "project"
    (project / "playbooks").mkdir(parents=True)
    for name in PLAYBOOKS:
        (project / "playbooks" / f"{name}.yml").write_text(f"---\n- ansible.builtin.import_playbook: isotools.shop_sync.{name}\n", encoding="utf-8")
    (project / "production" / "templates").mkdir(parents=True)
    shutil.copy(REPO / "examples" / "production" / "templates" / "synchro_images.bat.j2", project / "production" / "templates")
    return project


def inventory_data(base: Path, group_vars: Mapping[str, object], slice_number: int = 1, slice_count: int = 1) -> dict[str, object]:
    """The inventory as AWX's script prints it: the synced variables, hosts ordered by name and,
    for a sliced job, every slice_count-th of them from slice_number on (AWX's get_sliced_hosts)."""
    hosts = sorted(HOSTS)[slice_number - 1 :: slice_count]
    hostvars = {
        host: {
            "shop_sync_directory_root": str(base / "hosts" / host),
            "shop_sync_root": ROOT.format(host=host),
            "shop_sync_jobs": JOBS[host],
            "remote_tower_enabled": "true",
            "remote_tower_id": index,
        }
        for index, host in enumerate(hosts, start=1)
    }
    return {
        "all": {"children": ["shops", "ungrouped"], "vars": dict(group_vars)},
        "shops": {"hosts": hosts},
        "_meta": {"hostvars": hostvars},
    }


# The inventory every job gets: directory hosts, the templates of the inventory repository in its
# production/ folder (relative to the project, where AWX runs the job).
GROUP_VARS = {
    "ansible_connection": "local",
    "ansible_python_interpreter": sys.executable,
    "shop_sync_backend": "directory",
    "shop_sync_template_dir": "production",
}


def awx_job(
    base: Path,
    name: str,
    playbook: str,
    extravars: Mapping[str, object] | None = None,
    group_vars: Mapping[str, object] | None = None,
    slice_number: int = 1,
    slice_count: int = 1,
    job_id: int = 1,
    workflow_job_id: int | None = None,
    job_type: str = "run",
) -> Job:
    """Run ``playbook`` of the project the way AWX does: a fresh private data dir with the
    project copied in, the inventory as an executable script, the extra variables in
    ``env/extravars``, the job type's options in ``env/cmdline``; ansible-runner runs
    ansible-playbook from the project directory."""
    private = base / "jobs" / name
    shutil.copytree(base / "project", private / "project")
    (private / "inventory").mkdir(parents=True)
    (private / "env").mkdir()
    script = private / "inventory" / "hosts"
    data = json.dumps(inventory_data(base, GROUP_VARS if group_vars is None else group_vars, slice_number, slice_count))
    script.write_text(f"#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint({data!r})\n", encoding="utf-8")
    script.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IWUSR)
    awx_vars: dict[str, object] = {"awx_job_id": job_id, "tower_job_id": job_id, "awx_job_launch_type": "scheduled"}
    if workflow_job_id is not None:
        awx_vars.update(awx_workflow_job_id=workflow_job_id, tower_workflow_job_id=workflow_job_id, awx_job_launch_type="workflow")
    (private / "env" / "extravars").write_text(json.dumps({**awx_vars, **(extravars or {})}), encoding="utf-8")
    # The execution environment: this venv's ansible-core and python3, the working tree as the
    # installed collection.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    envvars = {"PATH": path, "ANSIBLE_COLLECTIONS_PATH": str(REPO / "build" / "collections"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
    (private / "env" / "envvars").write_text(json.dumps(envvars), encoding="utf-8")
    # The template's job type and its "Show changes" (docs/awx.md: checked on every template).
    (private / "env" / "cmdline").write_text("--check --diff" if job_type == "check" else "--diff", encoding="utf-8")
    runner = ansible_runner.run(
        private_data_dir=str(private),
        playbook=playbook,
        inventory=str(script),
        ident=str(job_id),
        quiet=True,
        timeout=300,
    )
    events = list(runner.events)
    stats = [event for event in events if event.get("event") == "playbook_on_stats"]
    artifacts = dict(stats[-1]["event_data"].get("artifact_data") or {}) if stats else {}
    stdout = runner.stdout.read()
    assert "W0rkfl0w" not in stdout
    return Job(status=str(runner.status), rc=int(runner.rc), artifacts=artifacts, stdout=stdout, events=events, private_data_dir=private)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("awx")
    for host in HOSTS:
        empty_image(base / "hosts" / host)
    write_project(base)
    return base


def test_a_job_finds_the_templates_of_the_inventory_repository(fleet: Path) -> None:
    deployed = awx_job(fleet, "deploy", "playbooks/deploy.yml", job_id=10)
    assert (deployed.status, deployed.rc) == ("successful", 0), deployed.stdout
    script = fleet / "hosts" / "shopB" / "D" / "Isotools" / "Synchro_prod" / "shopB" / "Synchro Images" / "synchro.bat"
    assert b"(template of the inventory repository)" in script.read_bytes()
    assert all(journal(fleet / "hosts", host)[:2] == ["read", "apply"] for host in HOSTS)
    for host in HOSTS:
        assert fleet.joinpath("hosts", host, *TASKS, "Synchro Stock").exists()


# The drift-check job template of docs/awx.md: it fails on drift, on failed syncs and on stale jobs.
DRIFT_CHECK = {"shop_sync_fail_on_drift": True, "shop_sync_fail_on_failed_runs": True, "shop_sync_fail_on_stale": True}


def stock_script(base: Path, host: str) -> Path:
    return base / "hosts" / host / "D" / "Isotools" / "Synchro_prod" / host / "Synchro Stock" / "synchro.bat"


@contextlib.contextmanager
def clean(base: Path) -> Iterator[None]:
    yield


@contextlib.contextmanager
def drifted(base: Path) -> Iterator[None]:
    """Someone edited shopA's script by hand."""
    script = stock_script(base, "shopA")
    before = script.read_bytes()
    script.write_bytes(before.replace(b"/profile stock", b"/profile stock /force"))
    yield
    script.write_bytes(before)


@contextlib.contextmanager
def failed_run(base: Path) -> Iterator[None]:
    """shopC's last stock sync ended with exit code 2 (as its Task Scheduler says)."""
    state = base / "hosts" / "shopC" / "state.json"
    state.write_text(json.dumps({"\\Isotools\\Synchro Stock": {"last_run_time": "2026-12-01T03:30:00", "last_result": 2}}), encoding="utf-8")
    yield
    state.unlink()


def host_time(hours_ago: float) -> str:
    """A host time (the directory hosts are at UTC) that many hours before now."""
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# The inventory's freshness limit for every job (its group_vars), with STALE below.
MAX_AGE = {"shop_sync_default_max_age": "1h"}


@contextlib.contextmanager
def stale(base: Path) -> Iterator[None]:
    """Every job last succeeded 10 minutes ago, but shopB's stock sync, which last succeeded 7 h ago:
    its task no longer runs (each run succeeds, so no run failed)."""
    ran = {host: {"\\Isotools\\Synchro Stock": {"last_run_time": host_time(1 / 6), "last_result": 0}} for host in HOSTS}
    ran["shopB"] = {
        "\\Isotools\\Synchro Stock": {"last_run_time": host_time(7), "last_result": 0},
        "\\Isotools\\Synchro Images": {"last_run_time": host_time(1 / 6), "last_result": 0},
    }
    for host, tasks in ran.items():
        (base / "hosts" / host / "state.json").write_text(json.dumps(tasks), encoding="utf-8")
    yield
    for host in HOSTS:
        (base / "hosts" / host / "state.json").unlink()


@dataclass(frozen=True)
class Fleet:
    """One state of the fleet and what the drift-check job must show of it in AWX."""

    state: Callable[[Path], contextlib.AbstractContextManager[None]]
    status: str
    rc: int
    counts: dict[str, int | bool]  # a part of the shop_sync_drift_counts artifact
    failing: frozenset[str]  # the hosts the job marks failed
    group_vars: Mapping[str, object] = field(default_factory=dict)  # the inventory's, beside GROUP_VARS


# One row per state of a fleet on-call meets.
FLEETS = {
    "clean": Fleet(clean, "successful", 0, {"hosts": 3, "in_sync": 4, "drift": False, "failed_runs": 0, "errors": 0}, frozenset()),
    "drifted": Fleet(drifted, "failed", 2, {"drifted": 1, "in_sync": 3, "drift": True, "failed_runs": 0}, frozenset({"shopA"})),
    "failed run": Fleet(failed_run, "failed", 2, {"in_sync": 4, "drift": False, "failed_runs": 1}, frozenset({"shopC"})),
    "stale": Fleet(stale, "failed", 2, {"in_sync": 4, "drift": False, "failed_runs": 0, "stale": 1, "freshness_unknown": 0}, frozenset({"shopB"}), MAX_AGE),
}


def failed_hosts(job: Job) -> set[str]:
    return {
        str(event["event_data"]["host"]) for event in job.events if event.get("event") == "runner_on_failed" and not event["event_data"].get("ignore_errors")
    }


@pytest.mark.parametrize("name", list(FLEETS))
def test_the_drift_check_job_says_what_state_the_fleet_is_in(fleet: Path, name: str) -> None:
    expected = FLEETS[name]
    report_dir = fleet / "reports" / name.replace(" ", "-")
    with expected.state(fleet):
        job = awx_job(
            fleet,
            f"drift-{name.replace(' ', '-')}",
            "playbooks/drift.yml",
            {**DRIFT_CHECK, "shop_sync_report_dir": str(report_dir)},
            group_vars={**GROUP_VARS, **expected.group_vars},
            job_id=20,
        )
    assert (job.status, job.rc) == (expected.status, expected.rc), job.stdout
    counts = job.artifacts["shop_sync_drift_counts"]
    assert isinstance(counts, dict) and {key: counts[key] for key in expected.counts} == expected.counts, job.artifacts
    assert job.artifacts["shop_sync_drift_report"] == {
        "html": str(report_dir / "report.html"),
        "markdown": str(report_dir / "summary.md"),
        "junit": str(report_dir / "junit.xml"),
        "results": str(report_dir / "hosts.json"),
    }
    assert all(Path(path).is_file() for path in job.artifacts["shop_sync_drift_report"].values())  # type: ignore[union-attr]
    assert failed_hosts(job) == expected.failing, job.stdout


# The sliced drift-check of docs/awx.md: each slice (a job of the sliced job's workflow) writes
# its report to a folder of its own in the sliced job's folder; the merge job template finds
# that from the report the slices published (AWX passes a node's artifacts to the next node as
# extra vars) and merges every slice's folder in it.
SLICE_REPORT_DIR = "slices/{{ awx_workflow_job_id }}/{{ awx_job_id }}"
MERGE_DIRS = ["{{ shop_sync_drift_report.results | dirname | dirname }}"]
REPORT_FILES = ("report.html", "summary.md", "junit.xml", "hosts.json")


def report_files(folder: Path) -> dict[str, str]:
    return {name: (folder / name).read_text(encoding="utf-8") for name in REPORT_FILES}


def generated(folder: Path) -> str:
    return str(json.loads((folder / "hosts.json").read_text(encoding="utf-8"))["generated"])


def test_a_sliced_drift_check_and_its_merge_write_the_report_of_an_unsliced_run(fleet: Path) -> None:
    reports = fleet / "reports"
    with drifted(fleet), failed_run(fleet):
        whole = awx_job(fleet, "drift-whole", "playbooks/drift.yml", {**DRIFT_CHECK, "shop_sync_report_dir": str(reports / "whole")}, job_id=30)
        slices = [
            awx_job(
                fleet,
                f"drift-slice-{number}",
                "playbooks/drift.yml",
                {**DRIFT_CHECK, "shop_sync_report_dir": f"{reports}/{SLICE_REPORT_DIR}"},
                slice_number=number,
                slice_count=2,
                job_id=40 + number,
                workflow_job_id=40,
            )
            for number in (1, 2)
        ]
    # AWX slices the hosts ordered by name: shopA and shopC, then shopB.
    assert [(job.status, job.rc) for job in (whole, *slices)] == [("failed", 2), ("failed", 2), ("successful", 0)], whole.stdout
    assert [failed_hosts(job) for job in (whole, *slices)] == [{"shopA", "shopC"}, {"shopA", "shopC"}, set()]
    merged = awx_job(
        fleet,
        "merge",
        "playbooks/report_merge.yml",
        {**slices[-1].artifacts, **DRIFT_CHECK, "shop_sync_merge_dirs": MERGE_DIRS, "shop_sync_report_dir": str(reports / "merged")},
        job_id=50,
        workflow_job_id=39,
    )
    assert (merged.status, merged.rc) == ("failed", 2), merged.stdout
    assert merged.artifacts["shop_sync_drift_counts"] == whole.artifacts["shop_sync_drift_counts"]
    assert "host 'shopA': drift: Synchro Stock (drifted)" in merged.stdout and "host 'shopC': last run failed: Synchro Stock (" in merged.stdout
    # The same files, but for the time each was made: the merged report is as old as its oldest slice.
    assert generated(reports / "merged") == min(generated(reports / "slices" / "40" / str(job)) for job in (41, 42))
    expected = report_files(reports / "whole")
    made, merged_made = generated(reports / "whole"), generated(reports / "merged")
    for name, text in report_files(reports / "merged").items():
        assert text.replace(merged_made, made).replace(merged_made[:19], made[:19]) == expected[name], name


def test_the_merge_reports_a_host_no_slice_reported_as_not_checked(fleet: Path) -> None:
    # The second slice's job died before it wrote its report: only the first slice's folder is left.
    merged = awx_job(
        fleet,
        "merge-one-slice",
        "playbooks/report_merge.yml",
        {"shop_sync_merge_dirs": [str(fleet / "reports" / "slices" / "40" / "41")], "shop_sync_report_dir": str(fleet / "reports" / "one-slice")},
        job_id=51,
    )
    assert (merged.status, merged.rc) == ("failed", 2), merged.stdout
    assert merged.artifacts["shop_sync_drift_counts"]["hosts_with_errors"] == 1  # type: ignore[index]
    summary = (fleet / "reports" / "one-slice" / "summary.md").read_text(encoding="utf-8")
    assert "### shopB" in summary and "not checked: no slice of the sliced job reported it" in summary, summary


def test_drift_correct_launched_as_a_check_job_only_says_what_it_would_correct(fleet: Path) -> None:
    # AWX's job type check is ansible-playbook --check: a preview, whatever the template's extra vars say.
    report_dir = fleet / "reports" / "correct-check"
    with drifted(fleet):
        edited = stock_script(fleet, "shopA").read_bytes()
        job = awx_job(
            fleet,
            "drift-correct-check",
            "playbooks/drift.yml",
            {"shop_sync_enforce": True, "shop_sync_report_dir": str(report_dir)},
            job_id=60,
            job_type="check",
        )
        assert stock_script(fleet, "shopA").read_bytes() == edited, "a check job corrected the drift"
    assert (job.status, job.rc) == ("successful", 0), job.stdout
    counts = job.artifacts["shop_sync_drift_counts"]
    assert isinstance(counts, dict) and (counts["drifted"], counts["corrected"]) == (1, 0), counts
    assert "mode: check (nothing changed)" in (report_dir / "summary.md").read_text(encoding="utf-8")


def test_the_merge_of_a_sliced_drift_check_fails_on_a_stale_job_as_the_unsliced_job_does(fleet: Path) -> None:
    reports = fleet / "reports" / "stale-slices"
    with stale(fleet):
        for number in (1, 2):
            awx_job(
                fleet,
                f"drift-stale-slice-{number}",
                "playbooks/drift.yml",
                {**DRIFT_CHECK, "shop_sync_report_dir": f"{reports}/{{{{ awx_job_id }}}}"},
                group_vars={**GROUP_VARS, **MAX_AGE},
                slice_number=number,
                slice_count=2,
                job_id=70 + number,
                workflow_job_id=70,
            )
    merged = awx_job(
        fleet,
        "merge-stale",
        "playbooks/report_merge.yml",
        {**DRIFT_CHECK, "shop_sync_merge_dirs": [str(reports)], "shop_sync_report_dir": str(fleet / "reports" / "merged-stale")},
        job_id=80,
    )
    assert (merged.status, merged.rc) == ("failed", 2), merged.stdout
    assert merged.artifacts["shop_sync_drift_counts"]["stale"] == 1  # type: ignore[index]
    assert "host 'shopB': stale: Synchro Stock" in merged.stdout, merged.stdout
