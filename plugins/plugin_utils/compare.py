# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare two task definitions by meaning and say, field by field, what differs.

Meaning, not spelling: accounts by SID, durations as durations, boundaries as instants (a naive
host-local time never equals an aware one), names and folders case-insensitively, triggers as a
multiset, actions as a sequence. What Windows writes on its own (registration date, URI,
``RegistrationInfo/Version``, the principal id, the actions context naming that principal, idle
durations the user left unset) is never drift. ``RegistrationInfo/Source`` (ownership) is
compared by :mod:`ownership`.

Each difference is a :class:`FieldChange` whose strings are what a person reads: ISO 8601
durations and date-times, lowercase enum words, ``(absent)`` for a missing value. ``before`` is
the host's value, ``after`` the desired one.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import (
    SERVICE_ACCOUNT_SIDS,
    canonical_account,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    MONTHS,
    WEEKDAYS,
    WEEKS_OF_MONTH,
    Action,
    DailyTrigger,
    EventTrigger,
    ExecAction,
    LogonTrigger,
    LogonType,
    MonthlyDayOfWeekTrigger,
    MonthlyTrigger,
    Principal,
    RegistrationInfo,
    Repetition,
    SessionStateChangeTrigger,
    Settings,
    TaskDefinition,
    TimeTrigger,
    Trigger,
    UnsupportedAction,
    UnsupportedTrigger,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import AT_ANCHOR_DATE
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary, format_duration

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "ABSENT",
    "FieldChange",
    "compare_definitions",
    "change_lines",
    "effective_logon_type",
    "trigger_label",
]

ABSENT = "(absent)"

_NO_SIDS: Mapping[str, str] = MappingProxyType({})
_NO_VALUES: Mapping[str, object] = MappingProxyType({})
# Model field names shown under the name a user writes in a task spec.
_SPEC_NAMES = {
    "user_id": "user",
    "group_id": "group",
    "network_settings": "network_profile",
    "maintenance_settings": "maintenance",
}
# Task/@version -> the spec's settings.compatibility word.
_COMPATIBILITY = {"1.2": "vista", "1.3": "win7", "1.4": "win8", "1.6": "win10"}
_SKIP = object()
_WHITESPACE = re.compile(r"\s+")
# Values that are their own comparison key: the bulk of every field compared.
_PLAIN = (str, int, dt.timedelta, frozenset, enum.Enum, type(None))


@dataclass(frozen=True)
class FieldChange:
    """One difference: ``path`` in spec words, ``before`` on the host, ``after`` desired."""

    path: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        return f"{self.path}: {_shown(self.before)} -> {_shown(self.after)}"


def change_lines(changes: Iterable[FieldChange]) -> list[str]:
    """One line per change, as shown to a user (``--diff``, results, reports)."""
    return [str(change) for change in changes]


def compare_definitions(
    desired: TaskDefinition,
    actual: TaskDefinition,
    *,
    sids: Mapping[str, str] = _NO_SIDS,
) -> tuple[FieldChange, ...]:
    """What must change on the host for ``actual`` to mean ``desired``; empty when it already does.

    ``sids`` maps account names (any spelling) to the SIDs the host read resolved.
    """
    # Equal values mean the same, so each part is compared by meaning, field by field, only when
    # its values differ: a plan compares every task it manages, and most have not drifted.
    changes: list[FieldChange] = []
    if desired.name.casefold() != actual.name.casefold():
        changes.append(FieldChange("name", actual.name, desired.name))
    if _folder_key(desired.folder) != _folder_key(actual.folder):
        changes.append(FieldChange("folder", actual.folder, desired.folder))
    if desired.registration_info != actual.registration_info:
        _diff_views("", _registration_view(actual.registration_info), _registration_view(desired.registration_info), changes)
    if desired.triggers != actual.triggers:
        changes.extend(_compare_triggers(desired.triggers, actual.triggers, sids))
    if desired.principal != actual.principal:
        _diff_views("principal", _principal_view(actual.principal, sids), _principal_view(desired.principal, sids), changes)
    _diff(
        "actions_context",
        _context(actual.actions_context, actual.principal),
        _context(desired.actions_context, desired.principal),
        changes,
    )
    if desired.settings != actual.settings:
        _diff_views(
            "settings",
            _settings_view(_without_unset_idle(actual.settings, desired.settings)),
            _settings_view(desired.settings),
            changes,
        )
    if desired.actions != actual.actions:
        changes.extend(_compare_actions(desired.actions, actual.actions))
    changes.extend(_compare_version(desired.settings.compatibility, actual.version))
    if desired.unknown_elements != actual.unknown_elements:
        changes.extend(_compare_unknown(desired, actual))
    return tuple(changes)


def effective_logon_type(principal: Principal, sids: Mapping[str, str] = _NO_SIDS) -> LogonType:
    """How Windows actually logs the principal on, whatever the XML spells.

    A group principal is a group logon and SYSTEM/LOCAL SERVICE/NETWORK SERVICE always run as a
    service, whatever ``LogonType`` says; an absent ``LogonType`` means ``InteractiveToken``
    ([MS-TSCH] 3.2.5.4.2).
    """
    if principal.user_id is None and principal.group_id is not None:
        return LogonType.GROUP
    if principal.user_id is not None:
        account = principal.sid or principal.user_id
        if canonical_account(account, sids) in SERVICE_ACCOUNT_SIDS:
            return LogonType.SERVICE_ACCOUNT
    return principal.logon_type or LogonType.INTERACTIVE_TOKEN


def trigger_label(trigger: Trigger) -> str:
    """How a trigger is named in a change path: its id, else its schedule (``daily 06:00``)."""
    return trigger.id or _schedule_words(trigger)


# --- values: equality key and human text ------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    """An account as written (shown to the user) with the form it is compared by."""

    written: str
    canonical: str


@dataclass(frozen=True)
class _Path(_Account):
    """A program or folder as written, compared as Windows resolves it: case-insensitively, and
    ``D:\\x\\`` the folder ``D:\\x`` (compared like an account: by its canonical form)."""


def _path(text: str | None) -> _Path | None:
    if not text:
        return None
    canonical = text.casefold()
    return _Path(text, canonical.rstrip("\\") if len(canonical) > 3 else canonical)


def _account(name: str | None, sid: str | None, sids: Mapping[str, str]) -> _Account | None:
    if name is None:
        return None
    return _Account(name, canonical_account(sid or name, sids))


# Dataclass reflection is slow and every value compared would ask it: it is asked once per type.
_RECORD_FIELDS: dict[type, tuple[tuple[str, str], ...] | None] = {}


def _record_fields(kind: type) -> tuple[tuple[str, str], ...] | None:
    """``(attribute, spec name)`` of each field of the dataclass ``kind``; ``None`` for other types."""
    if kind not in _RECORD_FIELDS:
        _RECORD_FIELDS[kind] = tuple((item.name, _SPEC_NAMES.get(item.name, item.name)) for item in fields(kind)) if is_dataclass(kind) else None
    return _RECORD_FIELDS[kind]


def _key(value: object) -> object:
    """A hashable value equal for two values that mean the same."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, _Account):
        return ("account", value.canonical)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return ("local", value)
        return ("instant", value.astimezone(dt.timezone.utc))
    if isinstance(value, tuple):
        return tuple(_key(item) for item in value)
    names = _record_fields(type(value))
    if names is not None:
        return (type(value).__name__, *(_key(getattr(value, attribute)) for attribute, _label in names))
    return value


def _human(value: object) -> str | None:
    if value is None or value in ((), frozenset()):
        return None
    if isinstance(value, _Account):
        return value.written
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.timedelta):
        return format_duration(value)
    if isinstance(value, dt.datetime):
        return format_boundary(value)
    if isinstance(value, frozenset):
        return ",".join(str(item) for item in _ordered(value))
    if isinstance(value, Repetition):
        return _repetition_words(value)
    names = _record_fields(type(value))
    if names is not None:
        parts = ((name, _human(getattr(value, attribute))) for attribute, name in names)
        return ", ".join(f"{name}={text}" for name, text in parts if text is not None)
    if isinstance(value, tuple):
        return "; ".join("=".join(item) if isinstance(item, tuple) else str(item) for item in value)
    if isinstance(value, str):
        # One line per change: line breaks stay visible instead of breaking the line.
        return value.replace("\r", "\\r").replace("\n", "\\n")
    return str(value)


def _shown(text: str | None) -> str:
    if text is None:
        return ABSENT
    return text if text else '""'


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _ordered(values: frozenset[object]) -> list[object]:
    order = {name: index for names in (WEEKDAYS, MONTHS, WEEKS_OF_MONTH) for index, name in enumerate(names)}
    return sorted(values, key=lambda item: (order.get(str(item), 99), str(item).zfill(4)))


def _repetition_words(repetition: Repetition) -> str:
    span = f"for {format_duration(repetition.duration)}" if repetition.duration is not None else "indefinitely"
    words = f"every {format_duration(repetition.interval)} {span}"
    return words + (", stop at duration end" if repetition.stop_at_duration_end else "")


# --- generic field-by-field diff ---------------------------------------------------------------

_View = dict[str, object]


def _view(obj: DataclassInstance, overrides: Mapping[str, object] = _NO_VALUES) -> _View:
    """The fields of a dataclass under their spec names, some replaced or (``_SKIP``) dropped."""
    names = _record_fields(type(obj))
    if names is None:
        raise TypeError(f"{type(obj).__name__} is not a dataclass")
    view: _View = {name: getattr(obj, attribute) for attribute, name in names}
    for name, value in overrides.items():
        if name not in view:
            continue
        if value is _SKIP:
            del view[name]
        else:
            view[name] = value
    return view


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _diff_views(prefix: str, before: _View, after: _View, out: list[FieldChange]) -> None:
    for name in [*after, *(name for name in before if name not in after)]:
        _diff(_join(prefix, name), before.get(name), after.get(name), out)


def _diff(path: str, before: object, after: object, out: list[FieldChange]) -> None:
    if _record_fields(type(before)) is not None and type(before) is type(after) and not isinstance(before, _Account):
        _diff_views(path, _view(before), _view(after), out)  # type: ignore[arg-type]
    elif _key(before) != _key(after):
        out.append(FieldChange(path, _human(before), _human(after)))


# --- sections ----------------------------------------------------------------------------------


def _folder_key(folder: str) -> str:
    return "\\" + folder.strip("\\").casefold()


def _registration_view(info: RegistrationInfo) -> _View:
    # date/uri are written by Windows, version is informational, source is ownership's concern.
    return _view(info, {"date": _SKIP, "uri": _SKIP, "version": _SKIP, "source": _SKIP})


def _principal_view(principal: Principal, sids: Mapping[str, str]) -> _View:
    user_sid = principal.sid if principal.user_id is not None else None
    group_sid = principal.sid if principal.user_id is None else None
    return _view(
        principal,
        {
            "id": _SKIP,
            "sid": _SKIP,
            "user": _account(principal.user_id, user_sid, sids),
            "group": _account(principal.group_id, group_sid, sids),
            "logon_type": effective_logon_type(principal, sids),
            "required_privileges": frozenset(principal.required_privileges),
            "process_token_sid_type": (principal.process_token_sid_type or "Default").casefold(),
        },
    )


def _context(context: str | None, principal: Principal) -> str | None:
    """``Actions/@Context`` naming the task's own principal says nothing more than its absence."""
    return None if context is None or context == principal.id else context


def _without_unset_idle(actual: Settings, desired: Settings) -> Settings:
    """Idle duration/timeout the user left unset are whatever Windows filled in: not drift."""
    idle = actual.idle_settings
    duration = None if desired.idle_settings.duration is None else idle.duration
    wait_timeout = None if desired.idle_settings.wait_timeout is None else idle.wait_timeout
    if (duration, wait_timeout) == (idle.duration, idle.wait_timeout):
        return actual
    return replace(actual, idle_settings=replace(idle, duration=duration, wait_timeout=wait_timeout))


def _settings_view(settings: Settings) -> _View:
    # compatibility is not a setting Windows stores: it is compared as Task/@version.
    return _view(settings, {"compatibility": _SKIP})


def _compare_version(compatibility: str | None, actual: str | None) -> list[FieldChange]:
    """``Task/@version`` matters only as the minimum the user asked for (settings.compatibility).

    A higher version on the host is what the features in use need, or harmless.
    """
    if compatibility is None or _version_number(actual) >= _version_number(compatibility):
        return []
    return [FieldChange("settings.compatibility", _version_words(actual), _version_words(compatibility))]


def _version_number(version: str | None) -> tuple[int, ...]:
    if version is None:
        return (0,)
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)


def _version_words(version: str | None) -> str | None:
    if version is None:
        return None
    word = _COMPATIBILITY.get(version)
    return f"{word} ({version})" if word else version


def _compare_unknown(desired: TaskDefinition, actual: TaskDefinition) -> list[FieldChange]:
    wanted = Counter((item.parent, item.tag, _collapse(item.xml)) for item in desired.unknown_elements)
    present = Counter((item.parent, item.tag, _collapse(item.xml)) for item in actual.unknown_elements)
    changes = [FieldChange(f"unknown[{parent}/{tag}]", xml, None) for parent, tag, xml in (present - wanted).elements()]
    changes += [FieldChange(f"unknown[{parent}/{tag}]", None, xml) for parent, tag, xml in (wanted - present).elements()]
    return changes


# --- actions: a sequence -----------------------------------------------------------------------


def _compare_actions(desired: Sequence[Action], actual: Sequence[Action]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for index in range(max(len(desired), len(actual))):
        path = f"actions[{index}]"
        after = desired[index] if index < len(desired) else None
        before = actual[index] if index < len(actual) else None
        if isinstance(after, ExecAction) and isinstance(before, ExecAction):
            _diff_views(path, _exec_view(before), _exec_view(after), changes)
        elif isinstance(after, UnsupportedAction) and isinstance(before, UnsupportedAction):
            _diff_views(path, _view(before, {"xml": _collapse(before.xml)}), _view(after, {"xml": _collapse(after.xml)}), changes)
        elif before is None or after is None or type(before) is not type(after):
            changes.append(FieldChange(path, _action_words(before), _action_words(after)))
    return changes


def _exec_view(action: ExecAction) -> _View:
    # Windows drops an empty Arguments/WorkingDirectory element: empty and absent are one.
    return _view(
        action,
        {"command": _path(action.command), "arguments": action.arguments or None, "working_directory": _path(action.working_directory)},
    )


def _action_words(action: Action | None) -> str | None:
    if action is None:
        return None
    if isinstance(action, ExecAction):
        return " ".join(part for part in (action.command, action.arguments) if part)
    return f"{action.kind} action"


# --- triggers: a multiset ----------------------------------------------------------------------


@dataclass(frozen=True)
class _TriggerMeaning:
    trigger: Trigger
    view: _View  # every field but the id, compared by meaning
    key: object

    @property
    def label(self) -> str:
        return trigger_label(self.trigger)


_Matcher = Callable[[_TriggerMeaning, _TriggerMeaning], bool]


def _meaning(trigger: Trigger, sids: Mapping[str, str]) -> _TriggerMeaning:
    overrides: dict[str, object] = {"id": _SKIP, "user_sid": _SKIP}
    # Verbatim XML (an event query, an unsupported trigger) means the same however it is indented.
    for name in ("subscription", "xml"):
        if isinstance(getattr(trigger, name, None), str):
            overrides[name] = _collapse(getattr(trigger, name))
    if isinstance(trigger, (LogonTrigger, SessionStateChangeTrigger)):
        overrides["user"] = _account(trigger.user_id, trigger.user_sid, sids)
    # An absent Delay/RandomDelay is the XSD default PT0M.
    for name in ("delay", "random_delay"):
        if getattr(trigger, name, _SKIP) is None:
            overrides[name] = dt.timedelta(0)
    view = _view(trigger, overrides)
    return _TriggerMeaning(trigger, view, (trigger.TYPE, tuple((name, _key(value)) for name, value in view.items())))


def _compare_triggers(desired: Sequence[Trigger], actual: Sequence[Trigger], sids: Mapping[str, str]) -> list[FieldChange]:
    wanted = [_meaning(trigger, sids) for trigger in desired]
    present = [_meaning(trigger, sids) for trigger in actual]
    pairs: list[tuple[_TriggerMeaning, _TriggerMeaning]] = []
    # Same meaning and same id first; then same meaning where the user gave no id.
    _pair(wanted, present, pairs, lambda w, p: w.key == p.key and w.trigger.id == p.trigger.id)
    _pair(wanted, present, pairs, lambda w, p: w.key == p.key and w.trigger.id is None)
    # What is left differs: line up the triggers that are most likely one edited trigger.
    _pair(wanted, present, pairs, lambda w, p: _same_type(w, p) and w.trigger.id is not None and w.trigger.id == p.trigger.id)
    _pair(wanted, present, pairs, lambda w, p: _same_type(w, p) and w.label == p.label)
    _pair(wanted, present, pairs, _same_type)
    changes: list[FieldChange] = []
    for after, before in pairs:
        if after.key == before.key and (after.trigger.id is None or after.trigger.id == before.trigger.id):
            continue
        path = f"triggers[{before.label}]"
        if after.trigger.id is not None and after.trigger.id != before.trigger.id:
            changes.append(FieldChange(f"{path}.id", before.trigger.id, after.trigger.id))
        found: list[FieldChange] = []
        _diff_views(path, before.view, after.view, found)
        changes.extend(_start_as_written(path, before.trigger, after.trigger, change) for change in found)
    changes += [FieldChange(f"triggers[{item.label}]", _trigger_words(item.trigger), None) for item in present]
    changes += [FieldChange(f"triggers[{item.label}]", None, _trigger_words(item.trigger)) for item in wanted]
    return changes


def _start_as_written(path: str, before: Trigger, after: Trigger, change: FieldChange) -> FieldChange:
    """A changed start as the inventory says it (``daily at 03:30 -> 02:00``), not as two
    ISO boundaries on the anchor date nobody wrote (``2020-01-01T03:30:00``)."""
    if change.path != f"{path}.start_boundary" or before.start_boundary is None or after.start_boundary is None:
        return change
    return FieldChange(path, f"{_every_words(before)} at {_start_words(before.start_boundary)}", _start_words(after.start_boundary))


def _every_words(trigger: Trigger) -> str:
    """The trigger's schedule without its time of day: ``daily``, ``weekly mon,fri``, ``once``."""
    if isinstance(trigger, TimeTrigger):
        return "once"
    words = _schedule_words(trigger)
    at = _clock(trigger.start_boundary)
    return words[: -len(at)].rstrip() if at and words.endswith(at) else words


def _start_words(boundary: dt.datetime) -> str:
    """``03:30`` on the anchor date (a time of day), else ``2026-12-01 06:00``; a time zone kept."""
    at = _clock(boundary)
    return at if boundary.date() == AT_ANCHOR_DATE else f"{boundary.date().isoformat()} {at}"


def _same_type(wanted: _TriggerMeaning, present: _TriggerMeaning) -> bool:
    return type(wanted.trigger) is type(present.trigger)


def _pair(
    wanted: list[_TriggerMeaning],
    present: list[_TriggerMeaning],
    pairs: list[tuple[_TriggerMeaning, _TriggerMeaning]],
    matches: _Matcher,
) -> None:
    """Move every desired trigger that ``matches`` a host trigger, with it, into ``pairs``."""
    for item in list(wanted):
        for candidate in present:
            if matches(item, candidate):
                pairs.append((item, candidate))
                wanted.remove(item)
                present.remove(candidate)
                break


def _trigger_words(trigger: Trigger) -> str:
    words = _schedule_words(trigger)
    if trigger.repetition is not None:
        words += ", repeat " + _repetition_words(trigger.repetition)
    if not trigger.enabled:
        words += ", disabled"
    return words


def _schedule_words(trigger: Trigger) -> str:
    """``daily 06:00``, ``weekly mon,fri 02:00``, ``boot``: the trigger as a person names it."""
    at = _clock(trigger.start_boundary)
    if isinstance(trigger, TimeTrigger):
        day = trigger.start_boundary.date().isoformat() if trigger.start_boundary else ""
        return _words("once", day, at)
    if isinstance(trigger, DailyTrigger):
        every = "daily" if trigger.days_interval == 1 else f"every {trigger.days_interval} days"
        return _words(every, at)
    if isinstance(trigger, WeeklyTrigger):
        every = "weekly" if trigger.weeks_interval == 1 else f"every {trigger.weeks_interval} weeks"
        return _words(every, _short(trigger.days_of_week), at)
    if isinstance(trigger, MonthlyTrigger):
        days = [str(day) for day in sorted(trigger.days_of_month)] + (["last"] if trigger.last_day_of_month else [])
        return _words("monthly", ",".join(days), at)
    if isinstance(trigger, MonthlyDayOfWeekTrigger):
        weeks = ",".join(str(week) for week in _ordered(frozenset(trigger.weeks)))
        return _words("monthly_dow", weeks, _short(trigger.days_of_week), at)
    if isinstance(trigger, (LogonTrigger, SessionStateChangeTrigger)):
        state = trigger.state_change.value if isinstance(trigger, SessionStateChangeTrigger) else ""
        return _words(trigger.TYPE, state, trigger.user_id or "")
    if isinstance(trigger, EventTrigger):
        return _words("event", _event_channel(trigger.subscription))
    if isinstance(trigger, UnsupportedTrigger):
        return trigger.tag or "unsupported"
    return trigger.TYPE


def _words(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _clock(boundary: dt.datetime | None) -> str:
    """``06:00`` (host-local), ``06:00Z`` / ``06:00+01:00`` (synchronised across time zones)."""
    if boundary is None:
        return ""
    text = format_boundary(boundary.replace(microsecond=0))[len("2026-01-01T") :]
    return text if boundary.second else text[:5] + text[8:]


def _short(days: frozenset[str]) -> str:
    return ",".join(str(day)[:3] for day in _ordered(frozenset(days)))


_CHANNEL = re.compile(r"""Path=["']([^"']+)["']""")


def _event_channel(subscription: str) -> str:
    match = _CHANNEL.search(subscription)
    return match.group(1) if match else ""
