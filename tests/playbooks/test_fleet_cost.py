# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet cost, cheaply: the tasks each host runs in drift and deploy (docs/reliability.md).

A host's share of a playbook's wall time is about one worker process per task it runs, skipped
or not, and the imports that worker makes; ``make bench`` times it against ansible.builtin.ping
over 100 hosts. That is too slow and noisy for ``make test``, so here the tasks are counted:
a task added per host (a set_fact, an include, a second check) fails this test, and whoever adds
one decides with the bench whether the fleet can afford it, then updates the budget here and in
docs/reliability.md ("Fleet cost"). A run_once task costs once, whatever the fleet: listed apart.
The jobs of each host are translated once per run (the check's translation is the fact the
host's one read uses): a second translation, in a task's message or a role variable templated
where it is used, fails the count here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from support.playbook_runner import journal, one_job_fleet, playbook, require_ansible_playbook, run

CALLBACKS = Path(__file__).parent / "callbacks"
HOSTS = ("shop1", "shop2", "shop3")
# The budget: every task a host runs, by name, in order (docs/reliability.md, "Fleet cost").
DRIFT_PER_HOST = (
    "isotools.shop_sync.sync_jobs : Check the host's sync jobs",
    "isotools.shop_sync.sync_jobs : Check the role variables against the argument specification",
    "isotools.shop_sync.sync_jobs : Ensure the host's sync scripts and tasks",
    "Fail each host that needs a look",
)
DRIFT_ONCE = (
    "isotools.shop_sync.sync_jobs : Read the argument specification of the role variables",
    "Write the report",
    "Show the report",
    "Publish the counts and where the report is",
)
DEPLOY_PER_HOST = (
    "isotools.shop_sync.sync_jobs : Check the host's sync jobs",
    "isotools.shop_sync.sync_jobs : Check the role variables against the argument specification",
    "isotools.shop_sync.sync_jobs : Ensure the host's sync scripts and tasks",
    "isotools.shop_sync.sync_jobs : Run each created or updated job once and wait for its result",
    "Show what the deploy did to each job",
)
DEPLOY_ONCE = ("isotools.shop_sync.sync_jobs : Read the argument specification of the role variables",)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("fleet-cost")
    (base / "inventory.json").write_text(json.dumps(one_job_fleet(base, HOSTS)), encoding="utf-8")
    return base


def tasks_run(base: Path, name: str, *options: str) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """(the tasks each host ran, the run_once tasks) in one run of playbook ``name``."""
    counted = base / f"{name}-tasks.json"
    counting = {"ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "ANSIBLE_CALLBACKS_ENABLED": "task_count", "SHOP_SYNC_TASK_COUNT": str(counted)}
    code, output, _recap = run(base, playbook(name), *options, inventory=base / "inventory.json", environment=counting)
    assert code == 0, output[-6000:]
    ran = json.loads(counted.read_text(encoding="utf-8"))
    return {host: tuple(tasks) for host, tasks in ran["per_host"].items()}, tuple(ran["once"])


def test_an_unchanged_deploy_runs_its_budget_of_tasks_per_host(fleet: Path) -> None:
    tasks_run(fleet, "deploy")  # the first deploy creates every job
    per_host, once = tasks_run(fleet, "deploy")
    assert per_host == dict.fromkeys(HOSTS, DEPLOY_PER_HOST), f"a task more or less per host (docs/reliability.md, Fleet cost): {per_host}"
    assert once == DEPLOY_ONCE


def test_a_clean_drift_runs_its_budget_of_tasks_per_host_and_reads_each_host_once(fleet: Path) -> None:
    if not journal(fleet, HOSTS[0]):
        tasks_run(fleet, "deploy")
    before = {host: len(journal(fleet, host)) for host in HOSTS}
    per_host, once = tasks_run(fleet, "drift", "-e", f"shop_sync_report_dir={fleet / 'report'}")
    assert per_host == dict.fromkeys(HOSTS, DRIFT_PER_HOST), f"a task more or less per host (docs/reliability.md, Fleet cost): {per_host}"
    assert once == DRIFT_ONCE
    assert {host: tuple(journal(fleet, host)[before[host] :]) for host in HOSTS} == dict.fromkeys(HOSTS, ("read",))


def translations(base: Path, name: str, *options: str) -> Counter[str]:
    """How many times each host's jobs were translated in one run of playbook ``name``."""
    counted = base / f"{name}-translations.txt"
    counted.unlink(missing_ok=True)
    counting = {"ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "ANSIBLE_CALLBACKS_ENABLED": "translate_count", "SHOP_SYNC_TRANSLATE_COUNT": str(counted)}
    code, output, _recap = run(base, playbook(name), *options, inventory=base / "inventory.json", environment=counting)
    assert code == 0, output[-6000:]
    return Counter(counted.read_text(encoding="utf-8").split())


def test_each_host_s_jobs_are_translated_once_per_deploy_and_per_drift(fleet: Path) -> None:
    assert translations(fleet, "deploy") == dict.fromkeys(HOSTS, 1)
    assert translations(fleet, "drift", "-e", f"shop_sync_report_dir={fleet / 'report'}") == dict.fromkeys(HOSTS, 1)
