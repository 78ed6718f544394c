# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job's last success against its max_age: fresh, stale, never succeeded, or unknown."""

from __future__ import annotations

import datetime as dt

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    HistoryEvent,
    HistoryRequest,
    HistoryResult,
    ReadRequest,
    ReadResult,
    TaskRecord,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.freshness import (
    Freshness,
    check_freshness,
    format_age,
    freshness_history_request,
)

TASK = "\\Isotools\\Synchro Stock"
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=PLUS_ONE)
HOUR = dt.timedelta(hours=1)


def record(last_result: int | None, hours_ago: float | None) -> TaskRecord:
    last_run = None if hours_ago is None else NOW - dt.timedelta(hours=hours_ago)
    return TaskRecord(path=TASK, xml="<Task/>", task_hash="0" * 64, enabled=True, state="ready", last_run_time=last_run, last_result=last_result)


def success(hours_ago: float, code: int = 0, path: str = TASK) -> HistoryEvent:
    return HistoryEvent(path=path, time=NOW - dt.timedelta(hours=hours_ago), event_id=201, result_code=code)


ON = HistoryResult(events=(), available=True)
OFF = HistoryResult(events=(), available=False)

# (max_age, record, history) -> (state, message)
CASES = {
    "last run succeeded within the limit": (HOUR, record(0, 0.5), None, Freshness.FRESH, "last success 30 min ago, limit 1 h"),
    "last run succeeded too long ago": (HOUR, record(0, 7), None, Freshness.STALE, "stale: last success 7 h ago, limit 1 h"),
    "never run": (HOUR, record(0x41303, None), ON, Freshness.NEVER_SUCCEEDED, "never succeeded: never run, limit 1 h"),
    "not on the host": (HOUR, None, ON, Freshness.NEVER_SUCCEEDED, "never succeeded: not on the host, limit 1 h"),
    "failed, success in the history": (
        2 * HOUR,
        record(1, 0.25),
        HistoryResult(events=(success(0.25, 1), success(1.5), success(3)), available=True),
        Freshness.FRESH,
        "last success 1 h 30 min ago, limit 2 h",
    ),
    "failed, old success in the history": (
        HOUR,
        record(1, 0.25),
        HistoryResult(events=(success(0.25, 1), success(7), success(1, path="\\Isotools\\Other")), available=True),
        Freshness.STALE,
        "stale: last success 7 h ago, limit 1 h",
    ),
    "failed, no success in the history": (
        HOUR,
        record(2, 3),
        HistoryResult(events=(success(3, 2),), available=True),
        Freshness.STALE,
        "stale: no success in the host's task history (last run 3 h ago did not succeed), limit 1 h",
    ),
    "failed, history disabled": (
        HOUR,
        record(1, 0.25),
        OFF,
        Freshness.UNKNOWN,
        "freshness unknown: history disabled (last run 15 min ago did not succeed), limit 1 h",
    ),
    "running, history not read": (
        HOUR,
        record(0x41301, 0.1),
        None,
        Freshness.UNKNOWN,
        "freshness unknown: the host's read gave no history (last run 6 min ago did not succeed), limit 1 h",
    ),
}


@pytest.mark.parametrize(("max_age", "task", "history", "state", "message"), CASES.values(), ids=CASES.keys())
def test_freshness(max_age: dt.timedelta, task: TaskRecord | None, history: HistoryResult | None, state: Freshness, message: str) -> None:
    check = check_freshness(max_age, task, history, NOW)
    assert (check.state, check.message) == (state, message)
    assert check.stale is (state in (Freshness.STALE, Freshness.NEVER_SUCCEEDED))


def test_a_host_time_without_offset_is_host_local() -> None:
    # 10:30 host-local at UTC+1 is 1 h 30 min before 12:00+01:00, not 1 h 30 min + 1 h.
    ten_thirty = dt.datetime(2026, 11, 28, 10, 30)
    naive = TaskRecord(path=TASK, xml="<Task/>", task_hash="0" * 64, enabled=True, state="ready", last_run_time=ten_thirty, last_result=0)
    assert check_freshness(2 * HOUR, naive, None, NOW, utc_offset_minutes=60).message == "last success 1 h 30 min ago, limit 2 h"


@pytest.mark.parametrize(
    ("seconds", "words"), [(0, "0 s"), (20, "20 s"), (2700, "45 min"), (3600, "1 h"), (5400, "1 h 30 min"), (7 * 3600, "7 h"), (97200, "1 d 3 h")]
)
def test_ages_read_as_a_person_says_them(seconds: int, words: str) -> None:
    assert format_age(dt.timedelta(seconds=seconds)) == words


def test_the_history_travels_in_the_read_and_asks_only_for_action_completed_events() -> None:
    history = freshness_history_request([TASK, TASK, "\\Isotools\\Prix"])
    assert history == HistoryRequest((TASK, "\\Isotools\\Prix"), max_events=100, event_ids=(201,))
    request = ReadRequest(tasks=(TASK,), history=history)
    data = request.to_json()
    assert data["history"]["query"] == (  # type: ignore[index]
        '<QueryList><Query Id="0" Path="Microsoft-Windows-TaskScheduler/Operational">'
        '<Select Path="Microsoft-Windows-TaskScheduler/Operational">*[System[EventID=201] and '
        'EventData[Data="\\Isotools\\Synchro Stock" or Data="\\Isotools\\Prix"]]</Select></Query></QueryList>'
    )
    assert ReadRequest.from_json(data) == request
    assert "history" not in ReadRequest(tasks=(TASK,)).to_json()


def test_a_read_answer_carries_the_history() -> None:
    answer = {"op": "read", "host": {"hostname": "SHOP01"}, "history": {"op": "history", "events": [success(1).to_json()], "available": True}}
    state = ReadResult.from_json(answer)
    assert state.history is not None and state.history.events[0].result_code == 0
    assert ReadResult.from_json({"op": "read", "host": {"hostname": "SHOP01"}}).history is None
