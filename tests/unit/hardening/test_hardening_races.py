# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two deploys of the same task at once, by two real processes, never lose an update.

Each process runs win_sync_jobs against the same directory host with a different change to
the same job. The race is made certain, not left to timing: in each process the host waits on a
barrier right after its read, so both runs plan from the same state before either applies. The
host's lock then lets one apply; the other's stale change must be refused, reported ("changed
concurrently, re-run") and leave the winner's change in place; re-running it converges.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from hardening_support import RACE_ROUNDS, RACE_VARIANTS, ROOT
from support.action_harness import Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions import select

_CONTEXT = multiprocessing.get_context("fork")
STOCK = ROOT + "\\stock"
TIMES = {"run A": "07:00", "run B": "08:00"}


def stock_job(run: str, variant: str) -> dict[str, Any]:
    content = f"@echo off\nrem written by {run}\n" if variant == "task and script" else "@echo off\nrem as deployed\n"
    return daily_job("Synchro Stock", STOCK, at=TIMES[run], content=content)


def _deploy_pausing_after_the_read(harness: Harness, job: dict[str, Any], run: str, barrier: Barrier, results: Any) -> None:
    """In a child process: win_sync_jobs, its host held at the barrier between read and apply."""

    class PausingHost(select.DirectoryHost):
        def call(self, request: dict[str, Any]) -> dict[str, Any]:
            response: dict[str, Any] = super().call(request)
            if request.get("op") == "read":
                barrier.wait(timeout=60)
            return response

    select.DirectoryHost = PausingHost  # this child's module only
    results.put((run, harness.run("win_sync_jobs", {"jobs": [job]})))


def race(harness: Harness, variant: str) -> dict[str, dict[str, Any]]:
    barrier = _CONTEXT.Barrier(2)
    results = _CONTEXT.Queue()
    workers = [_CONTEXT.Process(target=_deploy_pausing_after_the_read, args=(harness, stock_job(run, variant), run, barrier, results)) for run in TIMES]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=60) for _worker in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    return outcomes


def deployed_time(harness: Harness) -> str:
    xml = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16")
    return next(time for time in ("06:00", "07:00", "08:00") if f"T{time}:00</StartBoundary>" in xml)


@pytest.mark.parametrize("variant", RACE_VARIANTS)
def test_of_two_concurrent_deploys_one_applies_and_the_other_is_refused_then_converges(tmp_path: Path, variant: str) -> None:
    harness = Harness.create(tmp_path)
    script = harness.windows_path(STOCK + "\\synchro.bat")
    for round_number in range(RACE_ROUNDS):
        start = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", STOCK, at="06:00", content="@echo off\nrem as deployed\n")]})
        assert "failed" not in start and deployed_time(harness) == "06:00"
        harness.forget_journal()

        outcomes = race(harness, variant)

        winners = [run for run, result in outcomes.items() if "failed" not in result]
        assert len(winners) == 1, f"round {round_number}: {outcomes}"
        (winner,) = winners
        (loser,) = set(TIMES) - {winner}
        won, lost = outcomes[winner], outcomes[loser]
        assert won["changed"] is True and won["jobs"][0]["not_applied_changes"] == []
        assert lost["failed"] is True and lost["changed"] is False
        assert "changed concurrently, re-run" in lost["msg"]
        assert lost["jobs"][0]["applied"] is False and lost["jobs"][0]["applied_changes"] == []
        assert any(": refused: changed concurrently, re-run" in line for line in lost["jobs"][0]["not_applied_changes"])
        assert sorted(harness.ops()) == ["apply", "apply", "read", "read"]
        # The winner's update stands: the stale one did not overwrite it.
        assert deployed_time(harness) == TIMES[winner]
        if variant == "task and script":
            assert script.read_bytes() == f"@echo off\r\nrem written by {winner}\r\n".encode()

        rerun = harness.run("win_sync_jobs", {"jobs": [stock_job(loser, variant)]})
        assert rerun["changed"] is True and "failed" not in rerun
        assert deployed_time(harness) == TIMES[loser]
        assert harness.run("win_sync_jobs", {"jobs": [stock_job(loser, variant)]})["changed"] is False
