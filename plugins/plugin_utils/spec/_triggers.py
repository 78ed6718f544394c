# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``triggers`` of a task spec, read into the model and written back in canonical form.

Private to :mod:`spec`. Which keys a trigger takes depends on its ``type``; a key that belongs to
another type is reported with the types it applies to, so ``delay`` on a daily trigger explains
that daily triggers take ``random_delay``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import model
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec._events import subscription_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import account_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import duration_range, int_range, keys_at, most_items, option_at, trigger_keys
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import (
    Section,
    describe,
    index_path,
    kind_of,
    parse_start,
    parse_time_of_day,
    to_choice,
    to_int,
    to_text,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary, format_duration

__all__ = [
    "ALL_TRIGGER_KEYS",
    "CALENDAR_TYPES",
    "COMMON_TRIGGER_KEYS",
    "MAX_TRIGGERS",
    "REPETITION_KEYS",
    "TRIGGER_KEYS",
    "read_triggers",
    "trigger_spec",
]

MAX_TRIGGERS = most_items("triggers")
REPETITION_MIN, REPETITION_MAX = duration_range("triggers.repetition.interval")
# Which keys a trigger takes, by type, is the task options' table's: calendar triggers are
# those that take random_delay, event-like ones those that take delay.
CALENDAR_TYPES = option_at("triggers.random_delay").trigger_types
DELAY_TYPES = option_at("triggers.delay").trigger_types
COMMON_TRIGGER_KEYS, TRIGGER_KEYS = trigger_keys()
REPETITION_KEYS = keys_at("triggers.repetition")
ALL_TRIGGER_KEYS = frozenset(COMMON_TRIGGER_KEYS).union(*TRIGGER_KEYS.values())
# The XML calls a once trigger a TimeTrigger.
_TYPE_ALIASES = {"time": "once"}
_WEEKDAY_ALIASES = {name[:3]: name for name in model.WEEKDAYS}
_MONTH_ALIASES = {name[:3]: name for name in model.MONTHS}
_WEEK_ALIASES = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
_LAST = "last"


def read_triggers(root: Section) -> tuple[model.Trigger, ...]:
    """``root['triggers']`` as model triggers, in the order given (the order has no meaning)."""
    needs = "a type (e.g. {type: daily, at: '06:00'})"
    return tuple(root.mappings("triggers", _read_trigger, limit=MAX_TRIGGERS, example="[{type: daily, at: '06:00'}]", needs=needs))


def _read_trigger(section: Section) -> model.Trigger | None:
    type_names = tuple(TRIGGER_KEYS)
    if not section.has("type"):
        section.problem("type", f"is required (one of {', '.join(type_names)})")
    type_name = section.choice("type", type_names, None, _TYPE_ALIASES)
    if type_name is None:
        section.check_keys(ALL_TRIGGER_KEYS)
        return None
    mark = section.report.mark()
    _check_trigger_keys(section, type_name)
    base = _read_base(section, type_name)
    trigger = _SPECIFIC_READERS[type_name](section, type_name)
    if not section.report.clean_since(mark):
        return None
    return replace(trigger, **base)


def _check_trigger_keys(section: Section, type_name: str) -> None:
    known = (*COMMON_TRIGGER_KEYS, *TRIGGER_KEYS[type_name])
    for key in section.data:
        if not isinstance(key, str) or key in known or key not in ALL_TRIGGER_KEYS:
            continue
        owners = ", ".join(name for name, keys in TRIGGER_KEYS.items() if key in keys)
        instead = ""
        if key == "delay" and type_name in CALENDAR_TYPES:
            instead = f"; {type_name} triggers take random_delay"
        elif key == "random_delay" and type_name in DELAY_TYPES:
            instead = f"; {type_name} triggers take delay"
        section.problem(key, f"is not an option of {type_name} triggers (it applies to {owners} triggers{instead})")
    section.check_keys(ALL_TRIGGER_KEYS)


def _read_base(section: Section, type_name: str) -> dict[str, Any]:
    """The fields every trigger has, as keyword arguments for :func:`dataclasses.replace`."""
    start = _read_start(section, type_name)
    end = section.boundary("end_boundary", None)
    if start is not None and end is not None:
        _check_boundaries(section, start, end)
    return {
        "id": section.text("id", None, non_empty=True),
        "enabled": section.flag("enabled", True),
        "start_boundary": start,
        "end_boundary": end,
        "execution_time_limit": section.duration("execution_time_limit", None),
        "repetition": _read_repetition(section, start),
    }


def _read_start(section: Section, type_name: str) -> dt.datetime | None:
    if section.has("at") and section.has("start_boundary"):
        section.problem(
            "at",
            "cannot be combined with start_boundary: give one start (at: '06:00' means start_boundary: '2020-01-01T06:00:00')",
        )
        return None
    if section.has("at"):
        return section.convert("at", parse_start, None)
    if section.has("start_boundary"):
        return section.boundary("start_boundary", None)
    if type_name in CALENDAR_TYPES:
        section.problem(
            "start_boundary",
            f"is required for a {type_name} trigger: give its start time as at: '06:00' or start_boundary: '2026-01-01T06:00:00'",
        )
    return None


def _check_boundaries(section: Section, start: dt.datetime, end: dt.datetime) -> None:
    given_end = describe(section.raw("end_boundary"))
    if (start.tzinfo is None) != (end.tzinfo is None):
        end_kind, start_kind = ("zone-synchronised (Z or an offset)", "host-local (no offset)")
        if end.tzinfo is None:
            end_kind, start_kind = start_kind, end_kind
        section.problem(
            "end_boundary",
            f"{given_end} is {end_kind} but the start {format_boundary(start)} is {start_kind}; give both "
            "with an offset or both without (without one, a time is the host's local time; with Z or an offset, "
            "it is the same moment in every time zone)",
        )
    elif end < start:
        section.problem("end_boundary", f"{given_end} is before the start {format_boundary(start)}")


def _read_repetition(section: Section, start: dt.datetime | None) -> model.Repetition | None:
    friendly = [key for key in ("every", "until", "for") if section.has(key)]
    if section.has("repetition"):
        for key in friendly:
            section.problem(key, "cannot be combined with repetition: use either every/until/for or repetition")
        repetition = section.child("repetition", REPETITION_KEYS)
        return _read_repetition_section(repetition) if repetition is not None else None
    if not friendly:
        return None
    interval = section.duration("every", None, low=REPETITION_MIN, high=REPETITION_MAX)
    if not section.has("every"):
        section.problem(friendly[0], "needs every, the repetition interval (e.g. every: 15m)")
    if section.has("until") and section.has("for"):
        section.problem("until", "cannot be combined with for: both say how long the repetition lasts")
        return None
    duration_key = "until" if section.has("until") else "for"
    duration = _until_duration(section, start) if duration_key == "until" else section.duration("for", None)
    if interval is None:
        return None
    if duration is not None and duration < interval:
        section.problem(duration_key, f"{describe(section.raw(duration_key))} must be at least the interval {format_duration(interval)}")
    return model.Repetition(interval=interval, duration=duration)


def _read_repetition_section(section: Section) -> model.Repetition | None:
    if not section.has("interval"):
        section.problem("interval", "is required (e.g. interval: PT15M)")
    interval = section.duration("interval", None, low=REPETITION_MIN, high=REPETITION_MAX)
    duration = section.duration("duration", None)
    stop = section.flag("stop_at_duration_end", False)
    if interval is None:
        return None
    if duration is not None and duration < interval:
        section.problem(
            "duration",
            f"{describe(section.raw('duration'))} must be at least the interval {format_duration(interval)} (omit it to repeat indefinitely)",
        )
    return model.Repetition(interval=interval, duration=duration, stop_at_duration_end=stop)


def _until_duration(section: Section, start: dt.datetime | None) -> dt.timedelta | None:
    """``until: '22:00'`` -> the time from the start's time of day to 22:00 the same day."""
    until = section.convert("until", parse_time_of_day, None)
    if until is None:
        return None
    if start is None:
        section.problem("until", "needs a start time (at or start_boundary) to count from")
        return None
    begin = dt.datetime.combine(dt.date.min, start.time().replace(microsecond=0))
    finish = dt.datetime.combine(dt.date.min, until)
    if finish <= begin:
        section.problem(
            "until",
            f"{describe(section.raw('until'))} must be later than the start time {start.time().isoformat()} "
            "(the repetition ends the same day; for a window past midnight use for: 18h)",
        )
        return None
    return finish - begin


def _read_names(section: Section, key: str, names: tuple[str, ...], aliases: Mapping[str, str], required: str) -> frozenset[str] | None:
    """A list of weekday/month/week names; ``required`` names the trigger type when it must be given."""
    example = f"[{names[0]}]"
    if not section.has(key):
        if required:
            section.problem(key, f"is required for a {required} trigger (e.g. {key}: {example})")
        return None
    items = section.sequence(key, example)
    if not items and isinstance(section.raw(key), (list, tuple)):
        section.problem(key, f"must list at least one value (e.g. {example})")
    chosen: set[str] = set()
    for index, item in enumerate(items):
        try:
            chosen.add(to_choice(item, names, aliases))
        except ValueError as error:
            section.report.add(index_path(section.at(key), index), str(error))
    return frozenset(chosen)


def _read_days_of_month(section: Section) -> tuple[frozenset[int], bool]:
    if not section.has("days_of_month"):
        section.problem("days_of_month", "is required for a monthly trigger (e.g. days_of_month: [1, 15, last])")
        return frozenset(), False
    items = section.sequence("days_of_month", "[1, 15, last]")
    if not items and isinstance(section.raw("days_of_month"), (list, tuple)):
        section.problem("days_of_month", "must list at least one day (e.g. [1, 15, last])")
    days: set[int] = set()
    last = False
    for index, item in enumerate(items):
        if isinstance(item, str) and item.strip().lower() == _LAST:
            last = True
            continue
        try:
            day = to_int(item)
        except ValueError:
            day = 0
        if not 1 <= day <= 31:
            section.report.add(index_path(section.at("days_of_month"), index), f"{describe(item)} must be a day 1 to 31, or last")
        else:
            days.add(day)
    return frozenset(days), last


def _read_value_queries(section: Section) -> tuple[tuple[str, str], ...]:
    value = section.raw("value_queries")
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        section.problem("value_queries", f"must be a mapping of name: XPath, got {kind_of(value)}")
        return ()
    queries: list[tuple[str, str]] = []
    for name, query in value.items():
        path = f"{section.at('value_queries')}.{name}"
        try:
            text = to_text(query)
        except ValueError as error:
            section.report.add(path, str(error))
            continue
        if not isinstance(name, str) or not name.strip() or not text.strip():
            section.report.add(path, "must be a non-empty name with a non-empty XPath (e.g. eventID: Event/System/EventID)")
            continue
        queries.append((name, text))
    return tuple(sorted(queries))


def _read_account(section: Section) -> str | None:
    user = section.text("user", None, non_empty=True)
    if user is not None:
        problem = account_problem(user)
        if problem:
            section.problem("user", problem)
    return user


def _read_calendar(section: Section, type_name: str) -> model.Trigger:
    random_delay = section.duration("random_delay", None)
    if type_name == "once":
        return model.TimeTrigger(random_delay=random_delay)
    if type_name == "daily":
        return model.DailyTrigger(days_interval=section.integer("days_interval", *int_range("triggers.days_interval"), 1), random_delay=random_delay)
    if type_name == "weekly":
        return model.WeeklyTrigger(
            weeks_interval=section.integer("weeks_interval", *int_range("triggers.weeks_interval"), 1),
            days_of_week=_read_weekdays(section, type_name),
            random_delay=random_delay,
        )
    months = _read_names(section, "months", model.MONTHS, _MONTH_ALIASES, "") or frozenset(model.MONTHS)
    if type_name == "monthly":
        days, last = _read_days_of_month(section)
        return model.MonthlyTrigger(months=months, days_of_month=days, last_day_of_month=last, random_delay=random_delay)
    return model.MonthlyDayOfWeekTrigger(
        months=months,
        weeks=_read_names(section, "weeks", model.WEEKS_OF_MONTH, _WEEK_ALIASES, type_name) or frozenset(),
        days_of_week=_read_weekdays(section, type_name),
        random_delay=random_delay,
    )


def _read_weekdays(section: Section, type_name: str) -> frozenset[str]:
    return _read_names(section, "days_of_week", model.WEEKDAYS, _WEEKDAY_ALIASES, type_name) or frozenset()


def _read_event_driven(section: Section, type_name: str) -> model.Trigger:
    delay = section.duration("delay", None)
    if type_name == "boot":
        return model.BootTrigger(delay=delay)
    if type_name == "logon":
        return model.LogonTrigger(user_id=_read_account(section), delay=delay)
    if type_name == "registration":
        return model.RegistrationTrigger(delay=delay)
    if type_name == "session_state_change":
        if not section.has("state_change"):
            section.problem("state_change", f"is required (one of {', '.join(item.value for item in model.SessionStateChange)})")
        change = section.choice("state_change", [item.value for item in model.SessionStateChange], model.SessionStateChange.CONSOLE_CONNECT.value)
        return model.SessionStateChangeTrigger(state_change=model.SessionStateChange(change), user_id=_read_account(section), delay=delay)
    subscription = section.text("subscription", "", required=True, non_empty=True)
    problem = subscription_problem(subscription) if subscription else None
    if problem:
        section.problem("subscription", problem)
    return model.EventTrigger(subscription=subscription, delay=delay, value_queries=_read_value_queries(section))


def _read_idle(section: Section, type_name: str) -> model.Trigger:
    return model.IdleTrigger()


_SPECIFIC_READERS = {
    **{name: _read_calendar for name in CALENDAR_TYPES},
    **{name: _read_event_driven for name in DELAY_TYPES},
    "idle": _read_idle,
}


def trigger_spec(trigger: model.Trigger) -> dict[str, object] | None:
    """The canonical spec of one trigger; ``None`` for a trigger the spec cannot express."""
    if isinstance(trigger, model.UnsupportedTrigger):
        return None
    spec: dict[str, object] = {"type": trigger.TYPE}
    if trigger.id is not None:
        spec["id"] = trigger.id
    if not trigger.enabled:
        spec["enabled"] = False
    if trigger.start_boundary is not None:
        spec["start_boundary"] = format_boundary(trigger.start_boundary)
    if trigger.end_boundary is not None:
        spec["end_boundary"] = format_boundary(trigger.end_boundary)
    if trigger.execution_time_limit is not None:
        spec["execution_time_limit"] = format_duration(trigger.execution_time_limit)
    spec.update(_specific_spec(trigger))
    if trigger.repetition is not None:
        spec["repetition"] = _repetition_spec(trigger.repetition)
    return spec


def _repetition_spec(repetition: model.Repetition) -> dict[str, object]:
    spec: dict[str, object] = {"interval": format_duration(repetition.interval)}
    if repetition.duration is not None:
        spec["duration"] = format_duration(repetition.duration)
    if repetition.stop_at_duration_end:
        spec["stop_at_duration_end"] = True
    return spec


def _ordered(values: Collection[str], order: tuple[str, ...]) -> list[str]:
    return [name for name in order if name in values]


def _specific_spec(trigger: model.Trigger) -> dict[str, object]:
    spec: dict[str, object] = {}
    if isinstance(trigger, model.DailyTrigger) and trigger.days_interval != 1:
        spec["days_interval"] = trigger.days_interval
    if isinstance(trigger, model.WeeklyTrigger):
        if trigger.weeks_interval != 1:
            spec["weeks_interval"] = trigger.weeks_interval
        spec["days_of_week"] = _ordered(trigger.days_of_week, model.WEEKDAYS)
    if isinstance(trigger, (model.MonthlyTrigger, model.MonthlyDayOfWeekTrigger)) and trigger.months != frozenset(model.MONTHS):
        spec["months"] = _ordered(trigger.months, model.MONTHS)
    if isinstance(trigger, model.MonthlyTrigger):
        days: list[object] = [*sorted(trigger.days_of_month)]
        spec["days_of_month"] = [*days, _LAST] if trigger.last_day_of_month else days
    if isinstance(trigger, model.MonthlyDayOfWeekTrigger):
        # As it is written and documented ([1, 3, last], like days_of_month): numbers, and last.
        spec["weeks"] = [int(week) if week.isdigit() else week for week in _ordered(trigger.weeks, model.WEEKS_OF_MONTH)]
        spec["days_of_week"] = _ordered(trigger.days_of_week, model.WEEKDAYS)
    if isinstance(trigger, (model.LogonTrigger, model.SessionStateChangeTrigger)) and trigger.user_id is not None:
        spec["user"] = trigger.user_id
    if isinstance(trigger, model.SessionStateChangeTrigger):
        spec["state_change"] = trigger.state_change.value
    if isinstance(trigger, model.EventTrigger):
        spec["subscription"] = trigger.subscription
        if trigger.value_queries:
            spec["value_queries"] = dict(trigger.value_queries)
    random_delay = getattr(trigger, "random_delay", None)
    if random_delay is not None:
        spec["random_delay"] = format_duration(random_delay)
    delay = getattr(trigger, "delay", None)
    if delay is not None:
        spec["delay"] = format_duration(delay)
    return spec
