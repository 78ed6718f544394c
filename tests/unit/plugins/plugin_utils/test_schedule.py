# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plain-word schedules start the task exactly when their words say, as Task Scheduler runs them.

Each entry is rendered to its trigger, and the trigger is played out over two weeks by
:func:`starts`, a model of what Microsoft documents Task Scheduler does with it:

- a daily trigger starts the task every day at its start time, a weekly one on each of its
  ``days_of_week`` ("Trigger Types", https://learn.microsoft.com/windows/win32/taskschd/trigger-types);
- each start begins the repetition: the task starts again every ``Interval`` for ``Duration``,
  "if no value is specified for the duration, then the pattern is repeated indefinitely"
  (https://learn.microsoft.com/windows/win32/taskschd/taskschedulerschema-duration-repetitiontype-element);
- the end of the duration counts: interval one minute, duration four minutes, "the task will be
  launched five times" (https://learn.microsoft.com/windows/win32/api/taskschd/nn-taskschd-irepetitionpattern).

The starts are compared with the ones the words say, computed from the words alone by
:func:`said`. The task XML of each is valid against the task schema (``repetitionType``:
Interval PT1M..P31D, Duration at least PT1M) of ``../shared/task-xml``. Then the trigger goes
back to plain words (adoption) and gives the same entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
import xmlschema
from shared_data import SCHEMA, require

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.schedule import schedule_to_triggers, triggers_to_schedule
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import Report
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import render_xml
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import parse_duration

WINDOW_START = dt.datetime(2026, 11, 30)  # a Monday
WINDOW = dt.timedelta(days=14)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def starts(trigger: Mapping[str, object]) -> set[dt.datetime]:
    """When Task Scheduler starts the task for a daily (every day) or weekly (every week) trigger
    with a repetition, within the window (the model of the module's docstring)."""
    first = dt.datetime.fromisoformat(str(trigger["start_boundary"]))
    repetition = trigger["repetition"]
    assert isinstance(repetition, Mapping)
    interval = parse_duration(str(repetition["interval"]))
    duration = None if repetition.get("duration") is None else parse_duration(str(repetition["duration"]))
    days = trigger.get("days_of_week") if trigger["type"] == "weekly" else WEEKDAYS
    assert isinstance(days, (list, tuple))
    found: set[dt.datetime] = set()
    # Starts a week before the window still repeat into it when the repetition is long enough.
    day = dt.datetime.combine(WINDOW_START.date() - dt.timedelta(days=7), first.time())
    while day < WINDOW_START + WINDOW:
        if WEEKDAYS[day.weekday()] in days and day >= first:
            step = 0
            while duration is None or interval * step <= duration:
                moment = day + interval * step
                if moment >= WINDOW_START + WINDOW:
                    break
                if moment >= WINDOW_START:
                    found.add(moment)
                step += 1
        day += dt.timedelta(days=1)
    return found


def said(every: str, start: str = "00:00", until: str | None = None, length: str | None = None, days: tuple[str, ...] = WEEKDAYS) -> set[dt.datetime]:
    """The starts the words say: on each day named, from ``start`` every ``every``, up to and
    including ``until`` (or ``start`` + ``length``), else up to midnight."""
    interval = parse_duration(every)
    hour, minute = (int(part) for part in start.split(":", 1))
    found: set[dt.datetime] = set()
    for offset in range(-7, WINDOW.days):
        day = WINDOW_START + dt.timedelta(days=offset)
        if WEEKDAYS[day.weekday()] not in days:
            continue
        begin = day.replace(hour=hour, minute=minute)
        if until is not None:
            end_hour, end_minute = (int(part) for part in until.split(":", 1))
            last, inclusive = day.replace(hour=end_hour, minute=end_minute), True
        elif length is not None:
            last, inclusive = begin + parse_duration(length), True
        else:
            last, inclusive = day + dt.timedelta(days=1), False
        moment = begin
        while moment < last or (inclusive and moment == last):
            if WINDOW_START <= moment < WINDOW_START + WINDOW:
                found.add(moment)
            moment += interval
    return found


def render(entry: dict[str, object]) -> dict[str, object]:
    report = Report()
    triggers = schedule_to_triggers([entry], "schedule", report)
    assert report.problems == []
    [trigger] = triggers
    return trigger


WORKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
CASES = [
    pytest.param({"every": "1h", "days": ["mon", "tue", "wed", "thu", "fri"]}, said("PT1H", days=WORKDAYS), id="hourly on weekdays only"),
    pytest.param({"every": "15m", "from": "06:00", "until": "22:00"}, said("PT15M", "06:00", until="22:00"), id="every day from 06:00 until 22:00"),
    pytest.param(
        {"every": "15m", "from": "06:00", "until": "22:00", "days": ["sat"]}, said("PT15M", "06:00", until="22:00", days=("saturday",)), id="saturdays 06-22"
    ),
    pytest.param({"every": "7m", "days": ["sun"]}, said("PT7M", days=("sunday",)), id="every 7 minutes on sundays"),
    pytest.param({"every": "1h", "from": "06:00", "days": ["mon", "fri"]}, said("PT1H", "06:00", days=("monday", "friday")), id="from 06:00 on two days"),
    pytest.param({"every": "1h", "from": "06:00"}, said("PT1H", "06:00"), id="every day from 06:00 to midnight"),
    pytest.param({"every": "5m"}, said("PT5M"), id="every 5 minutes, all day every day"),
    pytest.param({"every": "1h", "for": "8h", "days": ["mon", "fri"]}, said("PT1H", length="PT8H", days=("monday", "friday")), id="for 8 hours on two days"),
    pytest.param({"every": "2h", "from": "20:00", "for": "6h"}, said("PT2H", "20:00", length="PT6H"), id="every day for 6 hours over midnight"),
]


@pytest.mark.parametrize(("entry", "expected"), CASES)
def test_task_scheduler_starts_the_task_when_the_words_say(entry: dict[str, object], expected: set[dt.datetime]) -> None:
    trigger = render(entry)
    assert starts(trigger) == expected
    assert "stop_at_duration_end" not in trigger["repetition"]  # type: ignore[operator]  # a run is never cut short


def test_weekdays_only_never_starts_on_the_weekend() -> None:
    trigger = render({"every": "1h", "days": ["mon", "tue", "wed", "thu", "fri"]})
    assert trigger["repetition"] == {"interval": "PT1H", "duration": "PT23H"}  # not indefinite, not P1D (Saturday 00:00)
    assert {moment.strftime("%a") for moment in starts(trigger)} == {"Mon", "Tue", "Wed", "Thu", "Fri"}


@pytest.fixture(scope="module")
def task_xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(require(SCHEMA)))


@pytest.mark.parametrize(("entry", "_expected"), CASES)
def test_the_task_of_each_entry_is_valid_against_the_task_schema(entry: dict[str, object], _expected: set[dt.datetime], task_xsd: xmlschema.XMLSchema) -> None:
    spec = {"name": "Synchro", "actions": [{"command": "C:\\Windows\\System32\\cmd.exe"}], "triggers": [render(entry)]}
    xml_text = render_xml(parse_spec(spec).definition)
    errors = list(task_xsd.iter_errors(xml_text))
    assert not errors, f"{errors[0].reason} at {errors[0].path}\n{xml_text}"


@pytest.mark.parametrize(("entry", "_expected"), CASES)
def test_adoption_says_the_trigger_in_the_same_words(entry: dict[str, object], _expected: set[dt.datetime]) -> None:
    schedule, raw = triggers_to_schedule([render(entry)])
    assert raw == []
    [again] = schedule
    assert render(again) == render(entry)


@pytest.mark.parametrize(
    "trigger",
    [
        pytest.param(
            {"type": "weekly", "start_boundary": "2020-01-01T00:00:00", "days_of_week": ["monday"], "repetition": {"interval": "PT1H"}},
            id="weekly, repeated indefinitely: runs through the other days",
        ),
        pytest.param(
            {"type": "weekly", "start_boundary": "2020-01-01T00:00:00", "days_of_week": ["friday"], "repetition": {"interval": "PT1H", "duration": "P1D"}},
            id="weekly for a day: starts again at 00:00 on Saturday",
        ),
        pytest.param(
            {"type": "daily", "start_boundary": "2020-01-01T06:00:00", "repetition": {"interval": "PT1H"}}, id="daily from 06:00 indefinitely: round the clock"
        ),
        pytest.param(
            {"type": "daily", "start_boundary": "2020-01-01T06:00:00", "repetition": {"interval": "PT1H", "duration": "PT30M"}},
            id="duration shorter than the interval",
        ),
    ],
)
def test_what_plain_words_cannot_say_stays_a_raw_trigger(trigger: dict[str, object]) -> None:
    assert triggers_to_schedule([trigger]) == ([], [trigger])


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        pytest.param({"every": "1h", "from": "06:00", "for": "18h", "days": ["fri"]}, "schedule[0].for", "at or after midnight", id="for runs into saturday"),
        pytest.param({"every": "12h", "from": "18:00"}, "schedule[0].every", "no second run before midnight", id="one run a day"),
        pytest.param({"every": "1h", "from": "23:30", "days": ["mon"]}, "schedule[0].every", "no second run before midnight", id="one run on monday"),
    ],
)
def test_words_task_scheduler_cannot_keep_are_refused(entry: dict[str, object], field: str, words: str) -> None:
    report = Report()
    assert schedule_to_triggers([entry], "schedule", report) == []
    [(path, message)] = report.problems
    assert path == field and words in message, message


def test_every_problem_of_an_every_entry_is_said_at_once() -> None:
    report = Report()
    assert schedule_to_triggers([{"every": "15", "from": "25:00", "days": ["moon"]}], "schedule", report) == []
    assert [path for path, _message in report.problems] == ["schedule[0].every", "schedule[0].from", "schedule[0].days[0]"]
