# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``run`` and ``history`` as docs/host-contract.md defines them, on every host."""

from __future__ import annotations

import re

import pytest
from host_under_test import HostUnderTest, install, the_task

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import HistoryRequest, RunResult
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.task_runs import run_message

COMPLETED = 102
ACTION_COMPLETED = 201
READY, DISABLED = 3, 1  # TASK_STATE, as IRegisteredTask.State gives it
STARTED = 100
OFFSET = re.compile(r"[+-]\d{2}:\d{2}$|Z$")  # yyyy-MM-ddTHH:mm:sszzz


def test_a_run_waited_for_returns_the_exit_code_and_the_read_shows_it(host: HostUnderTest) -> None:
    installed = install(host)

    response = host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})
    task = the_task(host.call({"op": "read", "tasks": [installed.task]}), installed.task)

    (run,) = response["runs"]
    # What a run did not reach (here: no timeout) the host may leave out: the contract's default.
    (parsed,) = RunResult.from_json(response).runs
    assert (parsed.path.lower(), parsed.started, parsed.finished, parsed.timed_out) == (installed.task.lower(), True, True, False)
    assert run["last_result"] == 0
    assert run["start_time"] is not None and run["end_time"] is not None
    assert (task["last_result"], task["state"]) == (0, READY)
    assert task["last_run_time"] is not None


def test_the_history_has_the_run_newest_event_first(host: HostUnderTest) -> None:
    installed = install(host)
    host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})

    response = host.call(HistoryRequest((installed.task,), 50).to_json())

    if not response["available"]:
        return  # the Operational log is disabled on this host: nothing to look at, by contract
    events = [event for event in response["events"] if event["path"].lower() == installed.task.lower()]
    ids = [event["event_id"] for event in events]
    assert STARTED in ids and COMPLETED in ids
    assert ids.index(COMPLETED) < ids.index(STARTED)
    times = [event["time"] for event in events]
    assert times == sorted(times, reverse=True)


def test_max_events_bounds_the_history(host: HostUnderTest) -> None:
    installed = install(host)
    host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})

    response = host.call(HistoryRequest((installed.task,), 1).to_json())

    assert len(response["events"]) <= 1


def test_a_disabled_task_is_not_started(host: HostUnderTest) -> None:
    installed = install(host, enabled=False)

    response = host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})
    task = the_task(host.call({"op": "read", "tasks": [installed.task]}), installed.task)

    (run,) = response["runs"]
    (parsed,) = RunResult.from_json(response).runs
    assert (parsed.started, parsed.finished) == (False, False)
    assert run["message"]
    assert (task["enabled"], task["state"]) == (False, DISABLED)


def test_a_task_that_does_not_exist_is_not_started(host: HostUnderTest) -> None:
    response = host.call({"op": "run", "tasks": [host.task("Never registered")], "wait": True, "timeout": 120})

    # The Windows host only leaves it unstarted, the controller words it (task_runs.run_message).
    (run,) = RunResult.from_json(response, waited=True).runs
    assert run.started is False
    assert run_message(run)


def test_a_run_names_the_instance_its_history_events_carry(host: HostUnderTest) -> None:
    # IRunningTask.InstanceGuid of the instance Run started is the ActivityId of its events.
    installed = install(host)
    (run,) = host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})["runs"]

    response = host.call(HistoryRequest((installed.task,), 50).to_json())

    assert run["instance_id"]
    if not response["available"]:
        return  # the Operational log is disabled on this host: nothing to compare, by contract
    ids = [event["event_id"] for event in response["events"] if event["activity_id"] == run["instance_id"]]
    assert STARTED in ids and COMPLETED in ids


def test_every_time_carries_its_utc_offset(host: HostUnderTest) -> None:
    installed = install(host)
    (run,) = host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})["runs"]
    task = the_task(host.call({"op": "read", "tasks": [installed.task]}), installed.task)
    events = host.call(HistoryRequest((installed.task,), 10).to_json())["events"]

    times = [run["start_time"], run["end_time"], task["last_run_time"], *(event["time"] for event in events)]
    assert all(OFFSET.search(time) for time in times), times


def test_cmd_k_script_and_exit_reports_the_scripts_exit_code(host: HostUnderTest) -> None:
    # The knowledge base's "/k synchro.bat & exit": a bare exit keeps the error level the script set.
    installed = install(host, script=b"@echo off\r\nrem synchro stock\r\nexit /b 3\r\n")
    host.script_exits(installed.task, 3)

    (run,) = RunResult.from_json(host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120}), waited=True).runs
    task = the_task(host.call({"op": "read", "tasks": [installed.task]}), installed.task)

    assert (run.finished, run.last_result, task["last_result"]) == (True, 3, 3)


def test_the_history_says_whether_the_event_log_is_on(host: HostUnderTest) -> None:
    if host.history_log is None:
        pytest.skip("not told whether the Operational log is on (SHOP_SYNC_WINRM_HISTORY_LOG=on|off)")
    installed = install(host)
    host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})

    response = host.call(HistoryRequest((installed.task,), 50).to_json())

    assert response["available"] is host.history_log
    if not host.history_log:
        assert response["events"] == []


def test_a_read_carries_the_history_it_is_asked_for(host: HostUnderTest) -> None:
    # Drift's freshness check: the history comes in the read, answered as a history request is,
    # with only the event ids asked for (201: action completed, with the exit code).
    installed = install(host)
    host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})
    history = HistoryRequest((installed.task,), 50, event_ids=(ACTION_COMPLETED,)).to_json()

    read = host.call({"op": "read", "tasks": [installed.task], "history": history})
    alone = host.call(history)

    assert (read["history"]["op"], read["history"]["available"]) == ("history", alone["available"])
    assert read["history"]["events"] == alone["events"]
    the_task(read, installed.task)
    if host.history_log is False:
        assert read["history"]["events"] == []
        return
    events = [event for event in read["history"]["events"] if event["path"].lower() == installed.task.lower()]
    assert events and {event["event_id"] for event in events} == {ACTION_COMPLETED}
    assert int(str(events[0]["result_code"]), 0) == 0


def test_a_history_query_matches_the_task_as_registered_letter_for_letter(host: HostUnderTest) -> None:
    # Task names are case-insensitive, event data is not: Windows compares an event XPath's
    # Data="..." as XPath 1.0 compares strings, character for character. The read answers a task
    # asked in any case with its registered spelling, which is what a history query must use.
    installed = install(host)
    host.call({"op": "run", "tasks": [installed.task], "wait": True, "timeout": 120})
    other_case = installed.task.swapcase()

    registered = the_task(host.call({"op": "read", "tasks": [other_case]}), installed.task)["path"]
    as_inventory = host.call(HistoryRequest((other_case,), 50, event_ids=(ACTION_COMPLETED,)).to_json())
    as_registered = host.call(HistoryRequest((registered,), 50, event_ids=(ACTION_COMPLETED,)).to_json())

    assert registered == installed.task
    assert as_inventory["events"] == []
    if host.history_log is not False:
        assert [event["path"] for event in as_registered["events"]] == [installed.task]


def test_a_read_without_history_has_none(host: HostUnderTest) -> None:
    installed = install(host)

    assert "history" not in host.call({"op": "read", "tasks": [installed.task]})
