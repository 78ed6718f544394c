# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet cost: the deploy and drift playbooks over 100 directory hosts against Ansible's floor.

Target (issue 11): on 100 directory hosts with 10 forks, drift takes at most 2x the wall time of
``ansible.builtin.ping`` over the same hosts in the same run, and reads each host once; deploy
gets the same treatment. ping and the playbook are timed in turn (ping, playbook, ping, ...)
and the ratio is taken pair by pair, so a machine whose speed drifts during the bench does not
move it; the median pair is kept. Each host's journal counts its host calls.

An invented fleet: one job per host. ``SHOP_SYNC_BENCH_HOSTS`` sets another size. These measure
time, so they live in `make bench`, never in `make test`; tests/playbooks/test_fleet_cost.py
holds the number of tasks per host, which is what the time follows, in `make test`. Each line
printed also gives the tasks each host ran (the test-only callback of tests/playbooks/callbacks)
and the load average, since the machine may be shared. Measured figures: docs/reliability.md,
"Fleet cost".
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from support.playbook_runner import REPO, one_job_fleet, require_ansible_playbook, run

HOSTS = int(os.environ.get("SHOP_SYNC_BENCH_HOSTS", "100"))
FORKS = 10
PAIRS = 3
# Issue 11: drift at most 2x ping. Deploy has one task per host more than drift (the smoke run,
# skipped unless asked, and the line per job): the same bound holds for it (docs/reliability.md).
TARGET_RATIO = 2.0
DEPLOY_RATIO = 2.0
CALLBACKS = REPO / "tests" / "playbooks" / "callbacks"
PING = """---
- name: Ansible's floor
  hosts: all
  gather_facts: false
  tasks:
    - name: Ping
      ansible.builtin.ping:
"""


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("bench-fleet")
    inventory = one_job_fleet(base, (f"shop{number:03d}" for number in range(HOSTS)))
    (base / "inventory.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
    (base / "ping.yml").write_text(PING, encoding="utf-8")
    _playbook(base, str(REPO / "playbooks" / "deploy.yml"))  # the first deploy creates everything
    return base


def _playbook(base: Path, playbook: str, *options: str) -> float:
    environment = {
        "ANSIBLE_FORKS": str(FORKS),
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
        "ANSIBLE_CALLBACKS_ENABLED": "task_count",
        "SHOP_SYNC_TASK_COUNT": str(base / "tasks.json"),
    }
    started = time.perf_counter()
    code, output, _recap = run(base, playbook, *options, inventory=base / "inventory.yml", environment=environment, timeout=1800)
    elapsed = time.perf_counter() - started
    assert code == 0, output[-8000:]
    return elapsed


def _calls(base: Path) -> dict[str, list[str]]:
    """Each host's journal ops so far."""
    ops = {}
    for root in sorted(path for path in base.iterdir() if path.is_dir() and path.name.startswith("shop")):
        journal = root / "journal.jsonl"
        ops[root.name] = [json.loads(line)["op"] for line in journal.read_text(encoding="utf-8").splitlines()] if journal.exists() else []
    return ops


def _tasks(base: Path) -> tuple[list[int], int]:
    """(the distinct numbers of tasks a host ran, the number of run_once tasks) of the last run."""
    ran = json.loads((base / "tasks.json").read_text(encoding="utf-8"))
    return sorted({len(tasks) for tasks in ran["per_host"].values()}), len(ran["once"])


def _against_ping(base: Path, playbook: str, *options: str) -> tuple[float, float, float, list[list[str]], tuple[list[int], int]]:
    """(median ratio, median playbook s, median ping s, the host calls of one playbook run per host,
    its tasks per host and run_once tasks)."""
    ratios, times, pings = [], [], []
    calls: list[list[str]] = []
    for _pair in range(PAIRS):
        ping = _playbook(base, str(base / "ping.yml"))
        before = _calls(base)
        elapsed = _playbook(base, playbook, *options)
        after = _calls(base)
        calls = [after[host][len(before[host]) :] for host in after]
        ratios.append(elapsed / ping)
        times.append(elapsed)
        pings.append(ping)
    return statistics.median(ratios), statistics.median(times), statistics.median(pings), calls, _tasks(base)


def _report(what: str, ratio: float, elapsed: float, ping: float, calls: Sequence[Sequence[str]], tasks: tuple[list[int], int], bound: float) -> None:
    reads = sorted({list(host).count("read") for host in calls})
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\n{what} on {HOSTS} directory hosts, {FORKS} forks: {elapsed:.1f} s vs ping {ping:.1f} s = {ratio:.2f}x (target <= {bound}x)", end="")
    print(f"; reads per host: {reads}; tasks per host: {tasks[0]} (+{tasks[1]} run_once); load average {load}")


def test_drift_reads_each_host_once_within_twice_the_time_of_ping(fleet: Path) -> None:
    ratio, elapsed, ping, calls, tasks = _against_ping(fleet, str(REPO / "playbooks" / "drift.yml"), "-e", f"shop_sync_report_dir={fleet / 'report'}")
    _report("drift", ratio, elapsed, ping, calls, tasks, TARGET_RATIO)
    assert all(host == ["read"] for host in calls), calls
    assert ratio <= TARGET_RATIO


def test_an_unchanged_deploy_reads_each_host_once_within_twice_the_time_of_ping(fleet: Path) -> None:
    ratio, elapsed, ping, calls, tasks = _against_ping(fleet, str(REPO / "playbooks" / "deploy.yml"))
    _report("deploy (nothing to change)", ratio, elapsed, ping, calls, tasks, DEPLOY_RATIO)
    assert all(host == ["read"] for host in calls), calls
    assert ratio <= DEPLOY_RATIO
