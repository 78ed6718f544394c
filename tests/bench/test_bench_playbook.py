# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Round trips and wall time of a real ansible-playbook run against a directory host.

Targets (issue 3):
- a first deploy of 20 jobs (scripts + tasks) to an empty host costs 2 host calls (1 read,
  1 apply); the same play again costs 1 call and reports no change. The peer approach
  (ansible.windows.win_file + win_template + community.windows.win_scheduled_task per job) costs
  at least 3 module round trips per job, 60 for 20 jobs, every run;
- 500 jobs on one host take at most 3 times the wall time of 1 job.

These measure time, so they live in `make bench`, never in `make test`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
RECAP = re.compile(r"^localhost\s*:\s*ok=\d+\s+changed=(?P<changed>\d+)\s+unreachable=\d+\s+failed=(?P<failed>\d+)", re.M)
PEER_CALLS_PER_JOB = 3  # win_file (folder) + win_template (script) + win_scheduled_task (task)

PLAY = """---
- name: Deploy {count} sync jobs
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Ensure the jobs
      isotools.shop_sync.win_sync_jobs:
        folder: '\\Isotools'
        jobs: "{{{{ jobs }}}}"
"""


def _jobs(count: int) -> list[dict[str, object]]:
    return [
        {
            "name": f"Synchro {number:04d}",
            "working_directory": f"D:\\Isotools\\Synchro_prod\\shop\\job{number:04d}",
            "script": {"content": f"@echo off\r\ncall synchro.exe /profile {number}\r\n"},
            "task": {
                "triggers": [{"type": "daily", "at": f"{number % 24:02d}:{number % 60:02d}", "every": "15m", "for": "16h"}],
                "principal": {"user": "SYSTEM"},
            },
        }
        for number in range(count)
    ]


def _deploy(base: Path, count: int) -> tuple[float, int, list[str]]:
    """One ansible-playbook run: (wall seconds, changed count, journal ops of this run)."""
    image = base / f"image-{count}"
    (image / "D").mkdir(parents=True, exist_ok=True)
    inventory = {"all": {"hosts": {"localhost": {"ansible_connection": "local", "shop_sync_backend": "directory", "shop_sync_directory_root": str(image)}}}}
    (base / f"inventory-{count}.json").write_text(json.dumps(inventory), encoding="utf-8")
    (base / f"jobs-{count}.json").write_text(json.dumps({"jobs": _jobs(count)}), encoding="utf-8")
    (base / "play.yml").write_text(PLAY.format(count="the"), encoding="utf-8")
    journal = image / "journal.jsonl"
    before = len(journal.read_text(encoding="utf-8").splitlines()) if journal.exists() else 0
    environment = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    started = time.perf_counter()
    completed = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(base / f"inventory-{count}.json"), str(base / "play.yml"), "-e", f"@{base / f'jobs-{count}.json'}"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    elapsed = time.perf_counter() - started
    recap = RECAP.search(completed.stdout)
    assert completed.returncode == 0 and recap and recap["failed"] == "0", completed.stdout + completed.stderr
    ops = [json.loads(line)["op"] for line in journal.read_text(encoding="utf-8").splitlines()[before:]]
    return elapsed, int(recap["changed"]), ops


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ANSIBLE_PLAYBOOK.exists():
        pytest.skip(f"{ANSIBLE_PLAYBOOK} is missing (run make venv)")
    return tmp_path_factory.mktemp("bench-playbook")


def test_twenty_jobs_cost_two_host_calls_then_one(base: Path) -> None:
    _elapsed, changed, first = _deploy(base, 20)
    _elapsed_again, changed_again, second = _deploy(base, 20)
    print(f"\n20 jobs: first deploy {first}, again {second}; the peer approach: {20 * PEER_CALLS_PER_JOB} calls per run")
    assert (changed, first) == (1, ["read", "apply"])
    assert (changed_again, second) == (0, ["read"])
    assert len(first) < 20 * PEER_CALLS_PER_JOB


def test_five_hundred_jobs_take_at_most_three_times_one_job(base: Path) -> None:
    one = min(_deploy(base, 1)[0] for _attempt in range(2))
    many, changed, ops = _deploy(base, 500)
    again, changed_again, ops_again = _deploy(base, 500)
    print(f"\nwall time: 1 job {one:.2f} s; 500 jobs {many:.2f} s first deploy ({many / one:.2f}x), {again:.2f} s unchanged ({again / one:.2f}x)")
    assert (changed, ops, changed_again, ops_again) == (1, ["read", "apply"], 0, ["read"])
    assert many <= 3 * one, f"500 jobs took {many:.2f} s, more than 3 x {one:.2f} s"
    assert again <= 3 * one
