# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is a job's sync still succeeding: its last successful run against its ``max_age``.

A sync that simply stopped succeeding (its server's ERP password expired, a share went away) shows
no drift and, once its task is disabled or its trigger removed by hand, no failed last run either.
Freshness catches it: a job with ``max_age`` whose last success is older than that is *stale*.

**Successful** means the run's action exited with 0. Task Scheduler keeps that number as the
task's last result (``IRegisteredTask.LastTaskResult``: for an Exec action the program's exit
code, so for ``cmd /c synchro.bat`` the script's; ``0x41303`` when the task has not yet run,
``0x41301`` while it runs), and logs it in the Operational log as the return code of event 201
("action completed"). Event 102 ("task completed") is logged when the instance ends whatever its
action returned, so it does not say success; 201 with return code 0 does. The last success is
therefore the last run time when the last result is 0, else the newest event 201 with return code
0 of the task's history (Microsoft docs: RegisteredTask.LastTaskResult; "Task Monitoring and
Control", the Operational log's event ids). With the history log disabled (it can be: "Enable All
Tasks History" in the Task Scheduler console turns it on) and a last run that did not
succeed, when the last success was cannot be known: the job is *freshness unknown: history
disabled*, never called stale on a guess. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import HistoryEvent, HistoryRequest, HistoryResult, TaskRecord

__all__ = [
    "ACTION_COMPLETED",
    "Freshness",
    "FreshnessCheck",
    "check_freshness",
    "format_age",
    "freshness_history_request",
    "last_success",
]

ACTION_COMPLETED = 201  # "Task Scheduler successfully completed task ... with return code N"
# Action-completed events kept per task in the read: a job that failed this many runs in a row
# has its last success (if any) further back than the read goes, and is stale anyway.
_EVENTS_PER_TASK = 50
_MOST_EVENTS = 5000


class Freshness(str, enum.Enum):
    FRESH = "fresh"
    STALE = "stale"
    NEVER_SUCCEEDED = "never_succeeded"
    UNKNOWN = "unknown"  # the history needed to tell is disabled on the host


@dataclass(frozen=True)
class FreshnessCheck:
    state: Freshness
    message: str  # 'stale: last success 7 h ago, limit 1 h'
    last_success: dt.datetime | None = None

    @property
    def stale(self) -> bool:
        """What ``shop_sync_fail_on_stale`` fails on: a known stale or never successful job."""
        return self.state in (Freshness.STALE, Freshness.NEVER_SUCCEEDED)


def freshness_history_request(paths: Sequence[str]) -> HistoryRequest:
    """The history a freshness check needs of these tasks: their action-completed events only."""
    unique = tuple(dict.fromkeys(paths))
    return HistoryRequest(unique, max_events=min(_MOST_EVENTS, _EVENTS_PER_TASK * max(1, len(unique))), event_ids=(ACTION_COMPLETED,))


def last_success(record: TaskRecord | None, events: Sequence[HistoryEvent], utc_offset_minutes: int | None = None) -> dt.datetime | None:
    """When the task last ran successfully, as far as its record and ``events`` tell (aware)."""
    successes = [event.time for event in events if event.event_id == ACTION_COMPLETED and event.result_code == 0]
    if record is not None and record.last_result == 0 and record.last_run_time is not None:
        successes.append(record.last_run_time)
    aware = [_aware(moment, utc_offset_minutes) for moment in successes]
    return max(aware) if aware else None


def check_freshness(
    max_age: dt.timedelta,
    record: TaskRecord | None,
    history: HistoryResult | None,
    now: dt.datetime,
    utc_offset_minutes: int | None = None,
) -> FreshnessCheck:
    """Whether the task ``record`` (``None``: not on the host) succeeded within ``max_age`` of
    ``now`` (aware). ``history`` is the read's answer for it (``None``: not read)."""
    limit = format_age(max_age)
    events = [] if history is None or record is None else [event for event in history.events if event.path.casefold() == record.path.casefold()]
    success = last_success(record, events, utc_offset_minutes)
    if success is not None:
        age = format_age(max(now - success, dt.timedelta(0)))
        if now - success <= max_age:
            return FreshnessCheck(Freshness.FRESH, f"last success {age} ago, limit {limit}", success)
        return FreshnessCheck(Freshness.STALE, f"stale: last success {age} ago, limit {limit}", success)
    if record is None or record.last_run_time is None:
        return FreshnessCheck(Freshness.NEVER_SUCCEEDED, f"never succeeded: {'not on the host' if record is None else 'never run'}, limit {limit}")
    last_run = f"last run {format_age(max(now - _aware(record.last_run_time, utc_offset_minutes), dt.timedelta(0)))} ago did not succeed"
    if history is None:
        return FreshnessCheck(Freshness.UNKNOWN, f"freshness unknown: the host's read gave no history ({last_run}), limit {limit}")
    if not history.available:
        return FreshnessCheck(Freshness.UNKNOWN, f"freshness unknown: history disabled ({last_run}), limit {limit}")
    return FreshnessCheck(Freshness.STALE, f"stale: no success in the host's task history ({last_run}), limit {limit}")


def format_age(value: dt.timedelta) -> str:
    """``7 h``, ``1 h 30 min``, ``2 d 3 h``, ``45 min``, ``20 s``: the largest unit and the next."""
    total = max(0, int(value.total_seconds()))
    for index, (size, unit) in enumerate(_UNITS):
        if total >= size or size == 1:
            amount, rest = divmod(total, size)
            words = [f"{amount} {unit}"]
            if index + 1 < len(_UNITS) and rest // _UNITS[index + 1][0]:
                words.append(f"{rest // _UNITS[index + 1][0]} {_UNITS[index + 1][1]}")
            return " ".join(words)
    return "0 s"


_UNITS = ((86400, "d"), (3600, "h"), (60, "min"), (1, "s"))


def _aware(moment: dt.datetime, utc_offset_minutes: int | None) -> dt.datetime:
    """A host time without an offset (an older host) is host-local: its offset from the read."""
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=utc_offset_minutes or 0)))
