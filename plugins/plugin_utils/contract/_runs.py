# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``run`` and ``history`` messages of the host contract.

Private to :mod:`contract`, which exports them: start tasks now, and read what Task Scheduler
logged about their runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract._json import (
    ContractError,
    Fields,
    LastResult,
    expect_op,
    optional_time,
    record_json,
    response_fields,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary

__all__ = ["HISTORY_LOG", "HistoryEvent", "HistoryRequest", "HistoryResult", "RunRequest", "RunResult", "TaskRun", "history_query"]


# --- run ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRequest:
    tasks: tuple[str, ...]
    wait: bool = True
    timeout: int = 600  # seconds

    def to_json(self) -> dict[str, object]:
        return {"op": "run", "tasks": list(self.tasks), "wait": self.wait, "timeout": self.timeout}

    @classmethod
    def from_json(cls, data: object) -> RunRequest:
        fields_ = Fields(data, "run request")
        expect_op(fields_, "run")
        wait = fields_.optional_bool("wait")
        timeout = fields_.optional_int("timeout", minimum=0)
        return cls(fields_.str_list("tasks"), True if wait is None else wait, 600 if timeout is None else timeout)


@dataclass(frozen=True)
class TaskRun(LastResult):
    path: str
    started: bool
    finished: bool = False
    timed_out: bool = False
    last_result: int | None = None
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    duration: float | None = None  # seconds
    message: str | None = None
    instance_id: str | None = None  # the GUID of the instance started: its events' activity_id

    def to_json(self) -> dict[str, object]:
        return record_json(self)

    @classmethod
    def from_json(cls, data: object, where: str, *, waited: bool = False) -> TaskRun:
        """``waited``: the request asked the host to wait for the run.

        What the Windows host leaves to the controller is judged from what it reports: a run is
        started when it has the instance it started, finished when it has an end time, and,
        when the host was to wait, timed out when started and not finished (the host stops
        waiting only when every run ended or the timeout came). A host's own flags win."""
        fields_ = Fields(data, where)
        end_time = optional_time(fields_, "end_time")
        instance_id = fields_.optional_str("instance_id")
        started = fields_.optional_bool("started")
        started = instance_id is not None if started is None else started
        finished = fields_.optional_bool("finished")
        finished = end_time is not None if finished is None else finished
        timed_out = fields_.optional_bool("timed_out")
        return cls(
            path=fields_.required_str("path"),
            started=started,
            finished=finished,
            timed_out=waited and started and not finished if timed_out is None else timed_out,
            last_result=fields_.optional_code("last_result"),
            start_time=optional_time(fields_, "start_time"),
            end_time=end_time,
            duration=fields_.optional_number("duration"),
            message=fields_.optional_str("message"),
            instance_id=instance_id,
        )


@dataclass(frozen=True)
class RunResult:
    runs: tuple[TaskRun, ...]

    def to_json(self) -> dict[str, object]:
        return {"op": "run", "runs": [run.to_json() for run in self.runs]}

    @classmethod
    def from_json(cls, data: object, *, waited: bool = False) -> RunResult:
        """``waited``: the request's ``wait`` (:meth:`TaskRun.from_json`)."""
        fields_ = response_fields(data, "run")
        return cls(tuple(TaskRun.from_json(item, where, waited=waited) for where, item in fields_.items("runs", required=True)))


# --- history -----------------------------------------------------------------------------------


HISTORY_LOG = "Microsoft-Windows-TaskScheduler/Operational"
# Windows refuses an event XPath of more than about twenty terms ("The specified query is
# invalid"): the task names of a query are spread over selects of this many names each.
_NAMES_PER_SELECT = 10


@dataclass(frozen=True)
class HistoryRequest:
    """``tasks`` as the host's read spells them: events name a task as it was registered, and
    the query compares names as written."""

    tasks: tuple[str, ...]
    max_events: int = 50
    # Only these event ids (empty: every event): a freshness read asks for the action-completed
    # events alone, so that the newest success of each task is not crowded out by other events.
    event_ids: tuple[int, ...] = ()

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"op": "history", "tasks": list(self.tasks), "max_events": self.max_events}
        if self.event_ids:
            data["event_ids"] = list(self.event_ids)
        # The log the query reads, whose enabled flag the host reports (Get-WinEvent -ListLog).
        return {**data, "query": history_query(self.tasks, self.event_ids), "log": HISTORY_LOG}

    @classmethod
    def from_json(cls, data: object) -> HistoryRequest:
        fields_ = Fields(data, "history request")
        expect_op(fields_, "history")
        max_events = fields_.optional_int("max_events", minimum=1)
        return cls(fields_.str_list("tasks"), 50 if max_events is None else max_events, _event_ids(fields_))


def _event_ids(fields_: Fields) -> tuple[int, ...]:
    items = fields_.items("event_ids")
    if not all(isinstance(item, int) and not isinstance(item, bool) for _where, item in items):
        raise ContractError(f"{fields_.at('event_ids')} must be a list of event ids (integers)")
    return tuple(int(item) for _where, item in items)  # type: ignore[call-overload]


def history_query(tasks: tuple[str, ...], event_ids: tuple[int, ...] = ()) -> str | None:
    """The structured query (``Get-WinEvent -FilterXml``) for the Operational log events of
    ``tasks``: each name matched against any event data value (the host keeps the events whose
    ``TaskName`` is one of them); no task, every event; ``None`` when no name can match (a task
    name holds no double quote). With ``event_ids``, only events of those ids."""
    names = [name for name in dict.fromkeys(tasks) if '"' not in name]
    if tasks and not names:
        return None
    chunks = [names[start : start + _NAMES_PER_SELECT] for start in range(0, len(names), _NAMES_PER_SELECT)]
    paths = [escape(" or ".join(f'Data="{name}"' for name in chunk)) for chunk in chunks]
    ids = f"System[{' or '.join(f'EventID={event_id}' for event_id in dict.fromkeys(event_ids))}] and " if event_ids else ""
    selects = [f'<Select Path="{HISTORY_LOG}">*[{ids}EventData[{terms}]]</Select>' for terms in paths] or [
        f'<Select Path="{HISTORY_LOG}">*{f"[{ids[:-5]}]" if ids else ""}</Select>'
    ]
    return f'<QueryList><Query Id="0" Path="{HISTORY_LOG}">{"".join(selects)}</Query></QueryList>'


@dataclass(frozen=True)
class HistoryEvent:
    path: str
    time: dt.datetime
    event_id: int
    result_code: int | None = None
    activity_id: str | None = None
    message: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "time": format_boundary(self.time),
            "event_id": self.event_id,
            "result_code": self.result_code,
            "activity_id": self.activity_id,
            "message": self.message,
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> HistoryEvent:
        fields_ = Fields(data, where)
        time = optional_time(fields_, "time")
        if time is None:
            raise ContractError(f"{fields_.at('time')} is required")
        return cls(
            path=fields_.required_str("path"),
            time=time,
            event_id=fields_.required_int("event_id"),
            result_code=fields_.optional_code("result_code"),
            activity_id=fields_.optional_str("activity_id"),
            message=fields_.optional_str("message"),
        )


@dataclass(frozen=True)
class HistoryResult:
    events: tuple[HistoryEvent, ...]
    available: bool = True

    def to_json(self) -> dict[str, object]:
        return {"op": "history", "events": [event.to_json() for event in self.events], "available": self.available}

    @classmethod
    def from_json(cls, data: object, tasks: tuple[str, ...] | None = None) -> HistoryResult:
        """The events as the host gave them; with ``tasks``, only those whose task is one of
        them (case-insensitively: the query matches a name in any event data value). An event
        that names no task or carries no time belongs to no run and is left out."""
        fields_ = response_fields(data, "history")
        wanted = None if tasks is None else {task.casefold() for task in tasks}
        events = []
        for where, item in fields_.items("events"):
            if isinstance(item, Mapping) and (item.get("path") is None or item.get("time") is None):
                continue
            event = HistoryEvent.from_json(item, where)
            if wanted is None or event.path.casefold() in wanted:
                events.append(event)
        return cls(tuple(events), fields_.required_bool("available"))
