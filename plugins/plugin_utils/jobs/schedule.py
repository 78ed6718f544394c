# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Schedules in plain words (``every: 15m, from: '06:00', until: '22:00'``) and back.

The inventory says when a job runs the way a person says it; this module turns each entry of a
job's ``schedule`` into a trigger of the task spec (canonical ISO 8601 form), and turns the
triggers of an existing task back into plain words where they say exactly the same thing, so
adopted tasks read well and re-apply with no change. Pure functions, no I/O.

One entry, one trigger; the entry's kind is given by exactly one of its keys:

- ``daily: '02:00'`` (a list of times gives one trigger per time)
- ``every: 15m`` with ``from`` (default ``'00:00'``), ``until`` or ``for`` (default: to the end of
  the day) and ``days`` (weekdays; default every day)
- ``weekly: {days: [mon, fri], at: '02:00'}``
- ``monthly: {days: [1, 15, last], at: '03:00', months: [jan, jul]}``
- ``at_boot: true`` with an optional ``delay``
- ``once: '2026-12-01 06:00'``

Any entry may also say ``enabled: false``; calendar entries take ``random_delay``. Times are
``HH:MM`` on a 24-hour clock, or ``YYYY-MM-DD HH:MM`` when the first day matters.

What Task Scheduler does with an ``every`` entry, as Microsoft documents it, and so what it renders:

- A daily or weekly trigger starts the task at its start time on each of its days ("Trigger
  Types", https://learn.microsoft.com/windows/win32/taskschd/trigger-types); its repetition then
  restarts the task every ``Interval`` for ``Duration`` after that start, and "if no value is
  specified for the duration, then the pattern is repeated indefinitely" (Duration
  (repetitionType) element,
  https://learn.microsoft.com/windows/win32/taskschd/taskschedulerschema-duration-repetitiontype-element).
  An indefinite repetition on a weekly trigger therefore runs on through the days it does not
  name, so ``days`` always gets a duration that ends within the day.
- The end of the duration counts: "a repetition interval equal to one minute and a repetition
  duration equal to four minutes, the task will be launched five times" (IRepetitionPattern,
  https://learn.microsoft.com/windows/win32/api/taskschd/nn-taskschd-irepetitionpattern). So
  ``until: '22:00'`` runs at 22:00 too, and "to the end of the day" is the duration up to the
  last start before midnight (``every: 1h`` on weekdays: ``PT23H``; ``P1D`` would start the task
  at 00:00 on Saturday).
- ``Interval`` is 1 minute to 31 days and ``Duration`` at least 1 minute (repetitionType in
  ``task.xsd``); ``StopAtDurationEnd`` (default false) would stop a run still going at the end
  of the duration: plain words say when runs start, never to kill one, so it is never set.
- Every day from midnight with no end is rendered as the indefinite repetition of a daily
  trigger: each day's start restarts the same pattern, so it is all day, every day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.options import INVENTORY_JOB_OPTIONS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import MONTHS, WEEKDAYS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import duration_range, keys_at, option_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import (
    AT_ANCHOR_DATE,
    Report,
    Section,
    describe,
    index_path,
    kind_of,
    parse_duration_text,
    parse_start,
    parse_time_of_day,
    to_choice,
    to_int,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import (
    TimeFormatError,
    format_duration,
    parse_boundary,
    parse_duration,
)

__all__ = [
    "SCHEDULE_KINDS",
    "schedule_to_triggers",
    "triggers_to_schedule",
]

SCHEDULE_KINDS = ("daily", "every", "weekly", "monthly", "at_boot", "once")

# Which keys an entry takes by its kind is this module's rule; the keys, and the ranges, are the
# job options' table's (jobs.options), whose rows say every key of an entry.
_COMMON_KEYS = ("enabled",)
_KEYS_BY_KIND: dict[str, tuple[str, ...]] = {
    "daily": ("daily", "random_delay"),
    "every": ("every", "from", "until", "for", "days", "random_delay"),
    "weekly": ("weekly", "random_delay"),
    "monthly": ("monthly", "random_delay"),
    "at_boot": ("at_boot", "delay"),
    "once": ("once", "random_delay"),
}
_WEEKLY_KEYS = keys_at("schedule.weekly", INVENTORY_JOB_OPTIONS)
_MONTHLY_KEYS = keys_at("schedule.monthly", INVENTORY_JOB_OPTIONS)
_DAY_ALIASES = {day[:3]: day for day in WEEKDAYS}
_MONTH_ALIASES = {month[:3]: month for month in MONTHS}
_DATE_AND_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?$")
_SHORTEST_REPEAT, _LONGEST_REPEAT = duration_range("schedule.every", INVENTORY_JOB_OPTIONS)
_SHORTEST_FOR = duration_range("schedule.for", INVENTORY_JOB_OPTIONS)[0]
_ONE_DAY = dt.timedelta(days=1)
_ONE_SECOND = dt.timedelta(seconds=1)


def schedule_to_triggers(schedule: object, path: str, report: Report) -> list[dict[str, object]]:
    """The spec triggers for a job's ``schedule`` (a list of plain-word entries).

    Problems are added to ``report`` under ``path`` (``schedule[1].until``); entries with
    problems give no trigger.
    """
    if schedule is None:
        return []
    if not isinstance(schedule, list):
        hint = " (start each entry with a dash: - daily: '02:00')" if isinstance(schedule, Mapping) else ""
        report.add(path, f"must be a list of entries such as - daily: '02:00', got {kind_of(schedule)}{hint}")
        return []
    triggers: list[dict[str, object]] = []
    for index, entry in enumerate(schedule):
        entry_path = index_path(path, index)
        if not isinstance(entry, Mapping):
            report.add(entry_path, f"must be a mapping such as {{daily: '02:00'}}, got {kind_of(entry)}")
            continue
        triggers.extend(_entry_to_triggers(Section(entry, entry_path, report)))
    return triggers


def _entry_to_triggers(entry: Section) -> list[dict[str, object]]:
    kinds = [kind for kind in SCHEDULE_KINDS if kind in entry.data]
    if len(kinds) != 1:
        given = " and ".join(kinds) if kinds else "none"
        entry.report.add(entry.path, f"must say when with exactly one of {', '.join(SCHEDULE_KINDS)} (got {given})")
        return []
    kind = kinds[0]
    entry.check_keys(_KEYS_BY_KIND[kind] + _COMMON_KEYS)
    mark = entry.report.mark()
    common: dict[str, object] = {}
    if entry.has("enabled") and entry.flag("enabled", True) is False:
        common["enabled"] = False
    if entry.has("random_delay"):
        common["random_delay"] = format_duration(entry.duration("random_delay", dt.timedelta(0)))
    triggers = _BUILDERS[kind](entry)
    if not entry.report.clean_since(mark):
        return []
    return [{**trigger, **common} for trigger in triggers]


def _daily(entry: Section) -> list[dict[str, object]]:
    value = entry.raw("daily")
    times = value if isinstance(value, list) else [value]
    if not times:
        entry.problem("daily", "must give at least one time of day, e.g. '02:00'")
    triggers: list[dict[str, object]] = []
    for index, time in enumerate(times):
        key_path = index_path(entry.at("daily"), index) if isinstance(value, list) else entry.at("daily")
        start = _start(time, key_path, entry.report)
        if start is not None:
            triggers.append({"type": "daily", "start_boundary": start.isoformat()})
    return triggers


def _every(entry: Section) -> list[dict[str, object]]:
    mark = entry.report.mark()
    interval = entry.duration("every", None, low=_SHORTEST_REPEAT, high=_LONGEST_REPEAT)
    start = _start(entry.raw("from") if entry.has("from") else _default_time("schedule.from"), entry.at("from"), entry.report)
    if entry.has("until") and entry.has("for"):
        entry.problem("for", "cannot be given with until (until is a time of day, for a duration)")
        return []
    length = _repeat_length(entry, start)
    days = _weekdays(entry.raw("days"), entry.at("days"), entry.report) if entry.has("days") else None
    if interval is None or start is None or not entry.report.clean_since(mark):
        return []
    if length is None and (days is not None or start.time() != dt.time(0)):
        # To the end of the day: up to the last start before midnight (the end counts).
        length = _last_start_before_midnight(start, interval) - start
        if length < interval:
            entry.problem("every", f"{format_duration(interval)} from {_clock(start)} leaves no second run before midnight (give for, or use daily)")
            return []
    elif length is not None and length < interval:
        key = "until" if entry.has("until") else "for"
        entry.problem(key, f"{describe(entry.raw(key))} leaves less than one interval ({format_duration(interval)}) to repeat in")
        return []
    if days is not None and entry.has("for") and length is not None and start + _runs_within(length, interval) >= _midnight_after(start):
        # A start at or after midnight is on the next day, which days may not name.
        entry.problem("for", f"{describe(entry.raw('for'))} from {_clock(start)} starts the task at or after midnight, on days not listed in days")
        return []
    repetition: dict[str, object] = {"interval": format_duration(interval)}
    if length is not None:
        repetition["duration"] = format_duration(length)
    if days is not None:
        return [{"type": "weekly", "start_boundary": start.isoformat(), "days_of_week": days, "repetition": repetition}]
    return [{"type": "daily", "start_boundary": start.isoformat(), "repetition": repetition}]


def _midnight_after(start: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(start.date() + _ONE_DAY, dt.time(0), start.tzinfo)


def _runs_within(length: dt.timedelta, interval: dt.timedelta) -> dt.timedelta:
    """How long after the first start the last one is: the end of the duration counts."""
    return interval * (length // interval)


def _last_start_before_midnight(start: dt.datetime, interval: dt.timedelta) -> dt.datetime:
    return start + interval * ((_midnight_after(start) - start - _ONE_SECOND) // interval)


def _clock(start: dt.datetime) -> str:
    return start.time().isoformat("seconds" if start.second else "minutes")


def _repeat_length(entry: Section, start: dt.datetime | None) -> dt.timedelta | None:
    if entry.has("for"):
        return entry.duration("for", None, low=_SHORTEST_FOR)
    if not entry.has("until"):
        return None
    try:
        until = parse_time_of_day(entry.raw("until"))
    except ValueError as error:
        entry.problem("until", str(error))
        return None
    if start is None:
        return None
    length = dt.datetime.combine(start.date(), until) - start
    if length <= dt.timedelta(0):
        given = describe(entry.raw("until"))
        entry.problem("until", f"{given} must be later in the day than from ({start.time().isoformat('minutes')})")
        return None
    return length


def _weekly(entry: Section) -> list[dict[str, object]]:
    calendar = _calendar(entry, "weekly", _WEEKLY_KEYS, "{days: [mon, fri], at: '02:00'}", "the weekdays to run on, e.g. [mon, fri]", _weekdays)
    if calendar is None:
        return []
    _options, days, start = calendar
    return [{"type": "weekly", "start_boundary": start.isoformat(), "days_of_week": days}]


def _monthly(entry: Section) -> list[dict[str, object]]:
    calendar = _calendar(entry, "monthly", _MONTHLY_KEYS, "{days: [1, 15, last], at: '03:00'}", "days of the month: 1..31 and/or last", _month_days)
    if calendar is None:
        return []
    options, days, start = calendar
    trigger: dict[str, object] = {"type": "monthly", "start_boundary": start.isoformat(), "days_of_month": days}
    if options.has("months"):
        trigger["months"] = _choices(options.raw("months"), MONTHS, _MONTH_ALIASES, options.at("months"), options.report)
    return [trigger]


def _default_time(path: str) -> str:
    """The time of day an entry starts at when it does not say (the table's default, midnight)."""
    default = option_at(path, INVENTORY_JOB_OPTIONS).default
    if not isinstance(default, str):
        raise TypeError(f"job option {path} has no time of day as its default")
    return default


def _calendar(
    entry: Section, form: str, keys: Collection[str], example: str, days_are: str, read_days: Callable[[object, str, Report], Sequence[object]]
) -> tuple[Section, Sequence[object], dt.datetime] | None:
    """The options, days and start of a ``weekly``/``monthly`` form (``days`` required, ``at``
    midnight when left out); None, with the problems reported, when they cannot be read."""
    options = entry.child(form, keys)
    if options is None:
        entry.problem(form, f"must be a mapping such as {example}, got {kind_of(entry.raw(form))}")
        return None
    if not options.has("days"):
        options.problem("days", f"is required ({days_are})")
        return None
    days = read_days(options.raw("days"), options.at("days"), options.report)
    start = _start(options.raw("at") if options.has("at") else _default_time(f"schedule.{form}.at"), options.at("at"), options.report)
    if start is None:
        return None
    return options, days, start


def _at_boot(entry: Section) -> list[dict[str, object]]:
    if entry.flag("at_boot", True) is not True:
        entry.problem("at_boot", "must be true (remove the entry to stop running at boot)")
        return []
    trigger: dict[str, object] = {"type": "boot"}
    if entry.has("delay"):
        trigger["delay"] = format_duration(entry.duration("delay", dt.timedelta(0)))
    return [trigger]


def _once(entry: Section) -> list[dict[str, object]]:
    value = entry.raw("once")
    if not (isinstance(value, str) and _DATE_AND_TIME.match(value.strip())):
        entry.problem("once", f"{describe(value)} must be a date and time such as '2026-12-01 06:00'")
        return []
    start = _start(value, entry.at("once"), entry.report)
    return [] if start is None else [{"type": "once", "start_boundary": start.isoformat()}]


_BUILDERS = {
    "daily": _daily,
    "every": _every,
    "weekly": _weekly,
    "monthly": _monthly,
    "at_boot": _at_boot,
    "once": _once,
}


def _start(value: object, path: str, report: Report) -> dt.datetime | None:
    try:
        return parse_start(value)
    except ValueError as error:
        report.add(path, str(error))
        return None


def _weekdays(value: object, path: str, report: Report) -> list[str]:
    return _choices(value, WEEKDAYS, _DAY_ALIASES, path, report)


def _choices(value: object, choices: Sequence[str], aliases: Mapping[str, str], path: str, report: Report) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not items:
        report.add(path, f"must name at least one of {', '.join(choices)}")
        return []
    chosen: list[str] = []
    for index, item in enumerate(items):
        try:
            chosen.append(to_choice(item, choices, aliases))
        except ValueError as error:
            report.add(index_path(path, index) if isinstance(value, list) else path, str(error))
    return [choice for choice in choices if choice in chosen]


def _month_days(value: object, path: str, report: Report) -> list[object]:
    items = value if isinstance(value, list) else [value]
    numbers: set[int] = set()
    last = False
    for index, item in enumerate(items):
        item_path = index_path(path, index) if isinstance(value, list) else path
        if isinstance(item, str) and item.strip().lower() == "last":
            last = True
            continue
        try:
            number = to_int(item)
        except ValueError:
            report.add(item_path, f"{describe(item)} is not a day of the month (1..31 or last)")
            continue
        if not 1 <= number <= 31:
            report.add(item_path, f"{describe(item)} is not a day of the month (1..31 or last)")
            continue
        numbers.add(number)
    days: list[object] = [*sorted(numbers)]
    return [*days, "last"] if last else days


# Triggers back to plain words ------------------------------------------------------------------

# Keys of a spec trigger that plain words can carry, by trigger type; a trigger with any other key
# (an id, an end boundary, a time limit, stop at duration end, ...) stays a raw trigger.
_PLAIN_TRIGGER_KEYS: dict[str, frozenset[str]] = {
    "daily": frozenset({"type", "start_boundary", "at", "repetition", "enabled", "random_delay"}),
    "weekly": frozenset({"type", "start_boundary", "at", "days_of_week", "repetition", "enabled", "random_delay"}),
    "monthly": frozenset({"type", "start_boundary", "at", "days_of_month", "months", "enabled", "random_delay"}),
    "boot": frozenset({"type", "delay", "enabled"}),
    "once": frozenset({"type", "start_boundary", "at", "enabled", "random_delay"}),
}


def triggers_to_schedule(triggers: Sequence[Mapping[str, object]]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Split a task's spec triggers into plain-word ``schedule`` entries and the raw triggers
    that plain words cannot say exactly; ``schedule_to_triggers`` of the entries gives back
    triggers equal in meaning to the ones they came from."""
    schedule: list[dict[str, object]] = []
    raw: list[dict[str, object]] = []
    for trigger in triggers:
        entry = _trigger_to_entry(trigger)
        if entry is None:
            raw.append(dict(trigger))
        else:
            schedule.append(entry)
    return schedule, raw


def _trigger_to_entry(trigger: Mapping[str, object]) -> dict[str, object] | None:
    kind = str(trigger.get("type", ""))
    allowed = _PLAIN_TRIGGER_KEYS.get(kind)
    if allowed is None or not set(trigger) <= allowed:
        return None
    entry = _ENTRY_MAKERS[kind](trigger)
    if entry is None:
        return None
    if trigger.get("enabled") is False:
        entry["enabled"] = False
    if trigger.get("random_delay") is not None:
        entry["random_delay"] = str(trigger["random_delay"])
    return entry


def _plain_start(trigger: Mapping[str, object]) -> str | None:
    """``'06:00'`` (or ``'2012-03-01 06:00'``) for a host-local start; ``None`` when the start
    carries a time zone, which plain words do not say."""
    value = trigger.get("start_boundary", trigger.get("at"))
    if value is None:
        return None
    try:
        start = parse_start(value) if "T" not in str(value) else parse_boundary(str(value))
    except (ValueError, TimeFormatError):
        return None
    if start.tzinfo is not None:
        return None
    time = start.time().isoformat("seconds" if start.second else "minutes")
    return time if start.date() == AT_ANCHOR_DATE else f"{start.date().isoformat()} {time}"


def _repetition(trigger: Mapping[str, object], start: str, on_days: bool) -> dict[str, object] | None:
    """``every``/``from``/``until``/``for`` for a repetition plain words say exactly (what
    ``_every`` renders for them, see the module's notes), else ``None``."""
    repetition = trigger.get("repetition")
    if not isinstance(repetition, Mapping) or set(repetition) - {"interval", "duration"}:
        return None
    try:
        interval = parse_duration(str(repetition["interval"]))
        length = None if repetition.get("duration") is None else parse_duration(str(repetition["duration"]))
    except (KeyError, TimeFormatError):
        return None
    begin = parse_start(start)
    words: dict[str, object] = {"every": _friendly(str(repetition["interval"]))}
    if start != "00:00":
        words["from"] = start
    if length is None:
        # Indefinite: all day, every day, only from midnight on a daily trigger; on a weekly one
        # it runs through the days it does not name, which no plain words say.
        return words if not on_days and begin.time() == dt.time(0) else None
    if length < interval:
        return None
    if length == _last_start_before_midnight(begin, interval) - begin and (on_days or begin.time() != dt.time(0)):
        return words
    end = begin + length
    if end.date() == begin.date() and length < _ONE_DAY:
        words["until"] = _clock(end)
    elif on_days and begin + _runs_within(length, interval) >= _midnight_after(begin):
        return None
    else:
        words["for"] = _friendly(str(repetition["duration"]))
    return words


def _daily_entry(trigger: Mapping[str, object]) -> dict[str, object] | None:
    start = _plain_start(trigger)
    if start is None:
        return None
    if "repetition" in trigger:
        return _repetition(trigger, start, on_days=False)
    return {"daily": start}


def _weekly_entry(trigger: Mapping[str, object]) -> dict[str, object] | None:
    start = _plain_start(trigger)
    days = [str(day)[:3] for day in _as_list(trigger.get("days_of_week"))]
    if start is None or not days:
        return None
    if "repetition" in trigger:
        words = _repetition(trigger, start, on_days=True)
        return None if words is None else {**words, "days": days}
    return {"weekly": {"days": days, "at": start}}


def _monthly_entry(trigger: Mapping[str, object]) -> dict[str, object] | None:
    start = _plain_start(trigger)
    if start is None:
        return None
    options: dict[str, object] = {"days": _as_list(trigger.get("days_of_month")), "at": start}
    months = _as_list(trigger.get("months"))
    if months and len(months) < len(MONTHS):
        options["months"] = [str(month)[:3] for month in months]
    return {"monthly": options}


def _boot_entry(trigger: Mapping[str, object]) -> dict[str, object] | None:
    entry: dict[str, object] = {"at_boot": True}
    if trigger.get("delay") is not None:
        entry["delay"] = _friendly(str(trigger["delay"]))
    return entry


def _once_entry(trigger: Mapping[str, object]) -> dict[str, object] | None:
    start = _plain_start(trigger)
    if start is None:
        return None
    return {"once": start if " " in start else f"{AT_ANCHOR_DATE.isoformat()} {start}"}


_ENTRY_MAKERS = {
    "daily": _daily_entry,
    "weekly": _weekly_entry,
    "monthly": _monthly_entry,
    "boot": _boot_entry,
    "once": _once_entry,
}


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _friendly(iso: str) -> str:
    """``PT15M`` -> ``15m``, ``PT1H30M`` -> ``1h30m``; a duration with days or more stays ISO."""
    try:
        value = parse_duration_text(iso)
    except ValueError:
        return iso
    total = int(value.total_seconds())
    if total <= 0 or total >= 86400 * 7:
        return iso
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return "".join(f"{amount}{unit}" for amount, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")) if amount)
