# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running tasks on the directory host: the outcome Windows would report, and the events logged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from directory_host_support import SCRIPT_DIR, TASK, Image, install_seed, new_image
from host_samples import synchro_task_xml

NOT_RECOGNIZED = 1
RUNNING = 0x41301
DIRECTORY_INVALID = 0x8007010B


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


def run(image: Image, *, wait: bool = True, timeout: int = 600, path: str = TASK) -> dict[str, Any]:
    return dict(image.call({"op": "run", "tasks": [path], "wait": wait, "timeout": timeout})["runs"][0])


def read_task(image: Image) -> dict[str, Any]:
    return dict(image.call({"op": "read", "tasks": [TASK]})["tasks"][0])


def event_ids(image: Image, max_events: int = 50) -> list[int]:
    return [event["event_id"] for event in image.call({"op": "history", "tasks": [TASK], "max_events": max_events})["events"]]


def test_a_run_waited_for_takes_its_outcome_from_outcomes_json(image: Image) -> None:
    # The seed's "/k synchro.bat & exit": exit without a number ends cmd with the script's code.
    install_seed(image)
    image.write_json("outcomes.json", {"\\isotools\\SYNCHRO STOCK": {"exit_code": 2, "duration": 12.5}})

    result = run(image)
    result.pop("instance_id")

    assert result == {
        "path": TASK,
        "started": True,
        "finished": True,
        "timed_out": False,
        "last_result": 2,
        "start_time": "2026-11-27T06:00:00+01:00",
        "end_time": "2026-11-27T06:00:12+01:00",
        "duration": 12.5,
        "message": None,
    }
    assert (read_task(image)["last_result"], read_task(image)["last_run_time"]) == (2, "2026-11-27T06:00:00+01:00")
    assert event_ids(image) == [102, 201, 129, 100]


def test_a_run_names_the_instance_it_started_as_its_events_do(image: Image) -> None:
    # IRegisteredTask.Run returns the IRunningTask it started; its InstanceGuid is the ActivityId
    # of that run's events, so two runs in one second are never taken for each other.
    install_seed(image)
    first, second = run(image), run(image)
    events = image.call({"op": "history", "tasks": [TASK]})["events"]

    assert first["instance_id"] != second["instance_id"]
    assert {event["activity_id"] for event in events} == {first["instance_id"], second["instance_id"]}
    assert [event["event_id"] for event in events if event["activity_id"] == second["instance_id"]] == [102, 201, 129, 100]


def test_a_negative_exit_code_is_reported_as_windows_does_unsigned(image: Image) -> None:
    install_seed(image)
    image.write_json("outcomes.json", {TASK: {"exit_code": -1073741510}})  # 0xC000013A, Ctrl+C

    assert run(image)["last_result"] == 0xC000013A


def test_a_missing_script_exits_1_as_cmd_does(image: Image) -> None:
    install_seed(image, xml=synchro_task_xml(SCRIPT_DIR, arguments="/k synchro_prix.bat & exit"))
    image.write_json("outcomes.json", {TASK: {"exit_code": 0}})

    assert run(image)["last_result"] == NOT_RECOGNIZED


def test_the_script_is_found_whatever_the_case_and_quotes(image: Image) -> None:
    install_seed(image, xml=synchro_task_xml(SCRIPT_DIR.upper(), arguments='/c "SYNCHRO.BAT" && exit'))

    assert run(image)["last_result"] == 0


def test_a_missing_working_directory_fails_the_launch(image: Image) -> None:
    install_seed(image, xml=synchro_task_xml("D:\\Isotools\\Nowhere"))

    result = run(image)

    assert (result["started"], result["finished"], result["last_result"]) == (True, True, DIRECTORY_INVALID)
    assert result["message"] == "The directory name is invalid."
    assert event_ids(image) == [103, 203, 100]


def test_a_run_not_waited_for_is_running_until_the_clock_passes_its_end(image: Image) -> None:
    install_seed(image)
    image.write_json("outcomes.json", {TASK: {"exit_code": 0, "duration": 300}})

    started = run(image, wait=False)
    during = read_task(image)
    again = run(image)
    image.clock.advance(301)
    after = read_task(image)

    assert (started["started"], started["finished"], started["timed_out"], started["last_result"]) == (
        True,
        False,
        False,
        RUNNING,
    )
    assert (during["state"], during["last_result"]) == (4, RUNNING)  # TASK_STATE running
    assert (again["started"], again["message"]) == (
        False,
        f"An instance of this task is already running. ({TASK}) [0x8004131F]",
    )
    assert (after["state"], after["last_result"]) == (3, 0)  # TASK_STATE ready
    assert event_ids(image) == [102, 201, 129, 100]


def test_a_run_that_outlasts_the_wait_is_reported_timed_out(image: Image) -> None:
    install_seed(image)
    image.write_json("outcomes.json", {TASK: {"exit_code": 0, "duration": 900}})

    result = run(image, timeout=600)

    assert (result["started"], result["finished"], result["timed_out"], result["end_time"]) == (True, False, True, None)
    assert "still running after the 600 s wait" in result["message"]


@pytest.mark.parametrize(
    ("xml_options", "message"),
    [
        ({"enabled": False}, "The task is disabled. (\\Isotools\\Synchro Stock) [0x80041326]"),
        (
            {"allow_demand_start": False},
            "The operator or administrator has refused the request. (\\Isotools\\Synchro Stock does not allow starting on demand) [0x800710E0]",
        ),
    ],
)
def test_a_task_windows_will_not_start_on_demand_is_not_started(image: Image, xml_options: dict[str, bool], message: str) -> None:
    install_seed(image, xml=synchro_task_xml(SCRIPT_DIR, **xml_options))

    result = run(image)

    assert (result["started"], result["message"]) == (False, message)
    assert event_ids(image) == []
    assert read_task(image)["last_result"] == 0x41303


def test_several_tasks_start_in_order_and_a_missing_one_is_reported(image: Image) -> None:
    install_seed(image)

    response = image.call({"op": "run", "tasks": ["\\Isotools\\Missing", TASK]})

    assert [(item["path"], item["started"]) for item in response["runs"]] == [
        ("\\Isotools\\Missing", False),
        (TASK, True),
    ]
    assert response["runs"][0]["message"].startswith("The system cannot find the file specified.")


def test_history_is_newest_first_bounded_and_per_task(image: Image) -> None:
    install_seed(image)
    run(image)
    image.clock.advance(3600)
    image.write_json("outcomes.json", {TASK: {"exit_code": 5}})
    run(image)

    events = image.call({"op": "history", "tasks": [TASK], "max_events": 3})["events"]
    others = image.call({"op": "history", "tasks": ["\\Isotools\\Other"]})
    # Matched letter for letter, as Windows matches the query's Data="..." to the event's TaskName.
    assert image.call({"op": "history", "tasks": [TASK.upper()]})["events"] == []

    assert [(event["event_id"], event["result_code"], event["time"]) for event in events] == [
        (102, None, "2026-11-27T07:00:00+01:00"),
        (201, 5, "2026-11-27T07:00:00+01:00"),
        (129, None, "2026-11-27T07:00:00+01:00"),
    ]
    assert len({event["activity_id"] for event in events}) == 1
    assert "with return code 5." in events[1]["message"]
    assert (others["events"], others["available"]) == ([], True)


def test_with_the_history_log_off_a_run_logs_nothing_and_the_history_says_so(image: Image) -> None:
    # As on a server where "All Tasks History" is disabled: the task runs and keeps its last
    # result, the Operational log gets nothing, and a history read (alone or in a read) says
    # available: false.
    install_seed(image)
    host = json.loads((image.root / "host.json").read_text(encoding="utf-8"))
    image.write_json("host.json", {**host, "history_log": False})

    run(image)
    alone = image.call({"op": "history", "tasks": [TASK]})
    in_read = image.call({"op": "read", "tasks": [TASK], "history": {"op": "history", "tasks": [TASK], "event_ids": [201]}})["history"]

    assert read_task(image)["last_result"] == 0
    assert alone == in_read == {"op": "history", "events": [], "available": False}
    assert not (image.root / "history.jsonl").exists() or (image.root / "history.jsonl").read_text(encoding="utf-8") == ""


def test_a_history_read_keeps_the_event_ids_asked_for(image: Image) -> None:
    install_seed(image)
    run(image)

    response = image.call({"op": "history", "tasks": [TASK], "event_ids": [201]})

    assert [event["event_id"] for event in response["events"]] == [201]
