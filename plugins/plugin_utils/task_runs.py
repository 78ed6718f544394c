# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs of a task, as a person reads them: from the host's ``run`` answer and from its history.

The ``Microsoft-Windows-TaskScheduler/Operational`` log tells one run in several events sharing
an activity id (100 started, 129 process created, 201 action completed with the exit code,
102 finished, 101/103/203 failed to start, 111 terminated). :func:`runs_from_events` folds them
back into one record per run, newest first. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import HistoryEvent, TaskRecord, TaskRun, UnreadableTask
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.results import decode_last_result
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary

__all__ = [
    "RUN_STATUSES",
    "run_message",
    "run_summary",
    "runs_from_events",
    "start_refusal",
]

RUN_STATUSES = ("succeeded", "failed", "running", "terminated", "failed_to_start")

_STARTED = 100
_FINISHED = 102
_FAILED_TO_START = frozenset({101, 103, 203})
_TERMINATED = 111
_PROCESS_CREATED = 129
_ACTION_COMPLETED = 201


@dataclass
class _Run:
    path: str
    activity_id: str | None
    times: list[dt.datetime] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    exit_code: int | None = None
    failed_to_start: int | None = None
    terminated: bool = False


def run_summary(run: TaskRun) -> dict[str, object]:
    """The result keys of win_sync_task_run for one run the host reported.

    ``exit_code`` is the task's last result once the run finished (for an Exec action it is
    the exit code of the program, for ``cmd /c synchro.bat`` the script's); ``None`` while it
    still runs or when it never started.
    """
    finished = run.started and run.finished
    return {
        "started": run.started,
        "finished": finished,
        "timed_out": run.timed_out,
        "exit_code": run.last_result if finished else None,
        "last_result": run.last_result,
        "last_result_text": run.last_result_text,
        "start_time": _text(run.start_time),
        "end_time": _text(run.end_time),
        "duration": run.duration,
        "message": run_message(run),
    }


def run_message(run: TaskRun) -> str | None:
    """The host's message of a run, or what a run it says nothing of means (the Windows host: a
    run left running at the end of the wait, a task it did not find, one that was gone when its
    run ended)."""
    if run.message:
        return run.message
    if run.timed_out:
        return "still running at the end of the wait; not stopped"
    if not run.started:
        return "task not found"
    if run.finished and run.last_result is None:
        return "the task was deleted while it ran"
    return None


def start_refusal(record: TaskRecord | None, unreadable: UnreadableTask | None, definition: TaskDefinition | None) -> str | None:
    """Why a start on demand would be refused, as far as one read of the task shows (check mode
    of win_sync_task_run); ``None``: it would start. The same refusals the host makes at a real
    start: no task, disabled, already running, starting on demand not allowed. ``definition`` is
    the parsed task, ``None`` when it could not be parsed (the host then decides alone)."""
    if unreadable is not None:
        return f"the task could not be read: {unreadable.error}"
    if record is None:
        return "there is no such task"
    if not record.enabled or record.state == "disabled":
        return "it is disabled"
    if record.state == "running":
        return "it is already running"
    if definition is not None and not definition.settings.allow_demand_start:
        return "its settings do not allow starting it on demand"
    return None


def runs_from_events(events: Iterable[HistoryEvent]) -> dict[str, list[dict[str, object]]]:
    """Task path (as the host spells it) -> its runs, newest first.

    Each run: ``start_time``, ``end_time``, ``duration`` (seconds), ``status`` (one of
    :data:`RUN_STATUSES`), ``exit_code``, ``result_text``, ``activity_id``.
    """
    runs: dict[tuple[str, str], _Run] = {}
    for index, event in enumerate(events):
        # An event without an activity id cannot be tied to others: it is a run of its own.
        key = (event.path.casefold(), event.activity_id or f"#{index}")
        run = runs.setdefault(key, _Run(path=event.path, activity_id=event.activity_id))
        _fold(run, event)
    by_task: dict[str, list[_Run]] = {}
    for run in runs.values():
        by_task.setdefault(run.path, []).append(run)
    return {path: [_record(run) for run in _newest_first(items)] for path, items in by_task.items()}


def _fold(run: _Run, event: HistoryEvent) -> None:
    run.times.append(event.time)
    if event.event_id in (_STARTED, _PROCESS_CREATED):
        run.start = event.time if run.start is None else min(run.start, event.time)
    elif event.event_id == _ACTION_COMPLETED:
        run.exit_code = event.result_code
        run.end = event.time if run.end is None else max(run.end, event.time)
    elif event.event_id == _FINISHED:
        run.end = event.time if run.end is None else max(run.end, event.time)
    elif event.event_id in _FAILED_TO_START:
        run.failed_to_start = event.result_code if event.result_code is not None else run.failed_to_start
        run.end = event.time
    elif event.event_id == _TERMINATED:
        run.terminated = True
        run.end = event.time


def _status(run: _Run) -> str:
    if run.failed_to_start is not None:
        return "failed_to_start"
    if run.terminated:
        return "terminated"
    if run.end is None:
        return "running"
    return "succeeded" if run.exit_code in (0, None) else "failed"


def _record(run: _Run) -> dict[str, object]:
    start = run.start or (min(run.times) if run.times else None)
    result = run.failed_to_start if run.failed_to_start is not None else run.exit_code
    duration = (run.end - start).total_seconds() if run.end is not None and start is not None else None
    return {
        "start_time": _text(start),
        "end_time": _text(run.end),
        "duration": duration,
        "status": _status(run),
        "exit_code": run.exit_code,
        "result_text": None if result is None else decode_last_result(result),
        "activity_id": run.activity_id,
    }


def _newest_first(runs: Sequence[_Run]) -> list[_Run]:
    return sorted(runs, key=lambda run: _sort_key(run.start or (min(run.times) if run.times else None)), reverse=True)


def _sort_key(moment: dt.datetime | None) -> tuple[int, str]:
    # Naive (host-local) and aware times cannot be compared directly; their ISO text sorts fine
    # within one host, which writes one form consistently.
    return (0, "") if moment is None else (1, format_boundary(moment))


def _text(moment: dt.datetime | None) -> str | None:
    return None if moment is None else format_boundary(moment)
