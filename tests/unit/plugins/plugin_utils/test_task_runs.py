# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Operational-log events folded into runs, and a host's run answer as a result."""

from __future__ import annotations

import datetime as dt

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import HistoryEvent, TaskRun
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.task_runs import run_summary, runs_from_events

TASK = "\\Isotools\\Synchro Stock"


def at(second: int) -> dt.datetime:
    return dt.datetime(2026, 11, 28, 6, 0, 0) + dt.timedelta(seconds=second)


def event(second: int, event_id: int, activity: str | None, result: int | None = None, path: str = TASK) -> HistoryEvent:
    return HistoryEvent(path=path, time=at(second), event_id=event_id, result_code=result, activity_id=activity)


# (events, newest-first runs as (start second, end second, status, exit code))
CASES = {
    "completed": ([event(12, 102, "a"), event(12, 201, "a", 0), event(0, 129, "a"), event(0, 100, "a")], [(0, 12, "succeeded", 0)]),
    "script failed": ([event(5, 102, "a"), event(5, 201, "a", 1), event(0, 100, "a")], [(0, 5, "failed", 1)]),
    "still running": ([event(1, 129, "a"), event(0, 100, "a")], [(0, None, "running", None)]),
    "failed to start": ([event(0, 103, "a", 0x8007010B), event(0, 203, "a", 0x8007010B), event(0, 100, "a")], [(0, 0, "failed_to_start", None)]),
    "terminated": ([event(30, 111, "a"), event(0, 100, "a")], [(0, 30, "terminated", None)]),
    "two runs": (
        [event(70, 102, "b"), event(70, 201, "b", 2), event(60, 100, "b"), event(5, 102, "a"), event(5, 201, "a", 0), event(0, 100, "a")],
        [(60, 70, "failed", 2), (0, 5, "succeeded", 0)],
    ),
}


@pytest.mark.parametrize(("events", "expected"), CASES.values(), ids=CASES.keys())
def test_events_fold_into_runs_newest_first(events: list[HistoryEvent], expected: list[tuple[int, int | None, str, int | None]]) -> None:
    runs = runs_from_events(events)[TASK]
    shown = [
        (
            int((dt.datetime.fromisoformat(str(run["start_time"])) - at(0)).total_seconds()),
            None if run["end_time"] is None else int((dt.datetime.fromisoformat(str(run["end_time"])) - at(0)).total_seconds()),
            run["status"],
            run["exit_code"],
        )
        for run in runs
    ]
    assert shown == expected


def test_runs_are_kept_apart_per_task_and_results_are_decoded() -> None:
    runs = runs_from_events(
        [event(3, 201, "a", 0), event(0, 100, "a"), event(4, 103, "b", 0x80070005, path="\\Isotools\\Other"), event(1, 100, "b", path="\\Isotools\\Other")]
    )
    assert set(runs) == {TASK, "\\Isotools\\Other"}
    assert runs[TASK][0]["result_text"] == "success"
    assert runs["\\Isotools\\Other"][0]["result_text"].startswith("access denied (Win32 error 5")
    assert runs["\\Isotools\\Other"][0]["duration"] == 3.0


def test_a_finished_run_reports_its_exit_code_a_running_one_none() -> None:
    finished = run_summary(TaskRun(path=TASK, started=True, finished=True, last_result=1, start_time=at(0), end_time=at(9), duration=9.0))
    assert finished["exit_code"] == 1 and finished["end_time"] == "2026-11-28T06:00:09"
    assert str(finished["last_result_text"]).startswith("exit code 1")
    running = run_summary(TaskRun(path=TASK, started=True, finished=False, timed_out=True, last_result=0x41301, start_time=at(0)))
    assert running["exit_code"] is None and running["timed_out"] is True
    assert running["message"] == "still running at the end of the wait; not stopped"  # the Windows host says no more
    assert str(running["last_result_text"]).startswith("running")


def test_what_the_windows_host_leaves_unsaid_is_worded_here() -> None:
    # Invoke-RunOp says nothing of a task it did not find, Wait-TaskRun gives no result for a task
    # gone when its run ended; a host's own message is kept.
    assert run_summary(TaskRun(path=TASK, started=False))["message"] == "task not found"
    assert run_summary(TaskRun(path=TASK, started=False, message="The task is disabled."))["message"] == "The task is disabled."
    assert run_summary(TaskRun(path=TASK, started=True, finished=True, start_time=at(0), end_time=at(5)))["message"] == "the task was deleted while it ran"
    assert run_summary(TaskRun(path=TASK, started=True, finished=True, last_result=0, start_time=at(0), end_time=at(5)))["message"] is None
    assert run_summary(TaskRun(path=TASK, started=True, start_time=at(0)))["message"] is None  # started, not waited for
