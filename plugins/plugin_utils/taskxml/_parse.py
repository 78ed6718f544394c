# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task Scheduler XML element tree -> :class:`model.TaskDefinition` (private to :mod:`taskxml`).

Real exports break Microsoft's schema in many ways (child order inside triggers, trigger ids
that are not NCNames, empty elements, missing blocks), so the reader depends on element names
only, never on their order, and takes Windows' defaults for whatever is absent. Every element
the model has no field for is kept verbatim (:class:`model.UnknownElement`, or an unsupported
trigger/action) so that writing the definition back loses nothing.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_service_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    MONTHS,
    NAMESPACE,
    Action,
    BootTrigger,
    DailyTrigger,
    EventTrigger,
    ExecAction,
    IdleSettings,
    IdleTrigger,
    LogonTrigger,
    LogonType,
    MaintenanceSettings,
    MonthlyDayOfWeekTrigger,
    MonthlyTrigger,
    NetworkSettings,
    Principal,
    RegistrationInfo,
    RegistrationTrigger,
    Repetition,
    RestartOnFailure,
    SessionStateChangeTrigger,
    Settings,
    TaskDefinition,
    TimeTrigger,
    Trigger,
    UnknownElement,
    UnsupportedAction,
    UnsupportedTrigger,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml._vocab import (
    DAY_WORDS,
    LOGON_TYPE_WORDS,
    MONTH_WORDS,
    MULTIPLE_INSTANCES_WORDS,
    RUN_LEVEL_WORDS,
    SCHEDULE_ELEMENTS,
    STATE_CHANGE_WORDS,
    WEEK_WORDS,
    XmlProblem,
    local_name,
    qualified,
    verbatim,
    version_key,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import (
    TimeFormatError,
    parse_boundary,
    parse_duration,
)

__all__ = ["read_task"]

E = TypeVar("E")

_TASK_PARTS = frozenset({"RegistrationInfo", "Triggers", "Principals", "Settings", "Actions"})
_REGISTRATION_FIELDS = {
    "Description": "description",
    "Author": "author",
    "Documentation": "documentation",
    "Source": "source",
    "Version": "version",
    "Date": "date",
    "URI": "uri",
    "SecurityDescriptor": "security_descriptor",
}
_TRIGGER_BASE = frozenset({"Enabled", "StartBoundary", "EndBoundary", "ExecutionTimeLimit", "Repetition"})
_TRIGGER_SPECIFIC: Mapping[str, frozenset[str]] = {
    "TimeTrigger": frozenset({"RandomDelay"}),
    "CalendarTrigger": frozenset({"RandomDelay", *SCHEDULE_ELEMENTS}),
    "BootTrigger": frozenset({"Delay"}),
    "RegistrationTrigger": frozenset({"Delay"}),
    "IdleTrigger": frozenset(),
    "LogonTrigger": frozenset({"UserId", "Delay"}),
    "SessionStateChangeTrigger": frozenset({"UserId", "Delay", "StateChange"}),
    "EventTrigger": frozenset({"Subscription", "Delay", "ValueQueries"}),
}
_SCHEDULE_PARTS: Mapping[str, tuple[str, ...]] = {
    "ScheduleByDay": ("DaysInterval",),
    "ScheduleByWeek": ("WeeksInterval", "DaysOfWeek"),
    "ScheduleByMonth": ("DaysOfMonth", "Months"),
    "ScheduleByMonthDayOfWeek": ("Weeks", "DaysOfWeek", "Months"),
}
_PRINCIPAL_FIELDS = frozenset({"UserId", "GroupId", "LogonType", "DisplayName", "RunLevel", "ProcessTokenSidType", "RequiredPrivileges"})
_SETTINGS_FIELDS = frozenset(
    {
        "MultipleInstancesPolicy",
        "DisallowStartIfOnBatteries",
        "StopIfGoingOnBatteries",
        "AllowHardTerminate",
        "StartWhenAvailable",
        "RunOnlyIfNetworkAvailable",
        "NetworkSettings",
        "IdleSettings",
        "AllowStartOnDemand",
        "Enabled",
        "Hidden",
        "RunOnlyIfIdle",
        "WakeToRun",
        "ExecutionTimeLimit",
        "Priority",
        "DeleteExpiredTaskAfter",
        "RestartOnFailure",
        "DisallowStartOnRemoteAppSession",
        "UseUnifiedSchedulingEngine",
        "Volatile",
        "MaintenanceSettings",
    }
)
# A logon type that Windows records for SYSTEM / LOCAL SERVICE / NETWORK SERVICE but that means
# nothing more than "runs as that service account" (built-in tasks write InteractiveToken).
_SERVICE_LOGON_SPELLINGS = frozenset({None, LogonType.SERVICE_ACCOUNT, LogonType.INTERACTIVE_TOKEN, LogonType.PASSWORD})
_DEFAULT_PRINCIPAL = Principal()
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


class _Reader:
    """Collects, in reading order, the elements the model has no field for."""

    def __init__(self) -> None:
        self.kept: list[UnknownElement] = []

    def children(self, element: ET.Element, path: str, known: Collection[str]) -> dict[str, ET.Element]:
        """The first child of each known name; every other child is kept verbatim."""
        found: dict[str, ET.Element] = {}
        for child in element:
            name = local_name(child.tag)
            if name in known and name not in found:
                found[name] = child
            else:
                self.keep(path, child)
        return found

    def items(self, element: ET.Element, path: str, item: str) -> list[ET.Element]:
        """The children named ``item`` (a repeated element); every other child is kept verbatim."""
        listed: list[ET.Element] = []
        for child in element:
            if local_name(child.tag) == item:
                listed.append(child)
            else:
                self.keep(path, child)
        return listed

    def keep(self, path: str, element: ET.Element) -> None:
        self.kept.append(UnknownElement(parent=path, tag=local_name(element.tag), xml=verbatim(element)))


# --- values -------------------------------------------------------------------------------


def _text(element: ET.Element | None, path: str) -> str | None:
    """Free text exactly as written; an empty element means the value is absent."""
    if element is None:
        return None
    if len(element):
        raise XmlProblem(path, f"{path} holds child elements where text is expected")
    return element.text or None


def _token(element: ET.Element | None, path: str) -> str | None:
    """A typed value (boolean, number, duration, word): surrounding whitespace is not part of it."""
    text = _text(element, path)
    if text is None:
        return None
    return text.strip() or None


def _number(token: str) -> int | None:
    """``"12"`` -> 12; None for anything but ASCII digits (``str.isdigit`` also accepts ``"²"``)."""
    return int(token) if token.isascii() and token.isdigit() else None


def _bool(element: ET.Element | None, path: str, default: bool) -> bool:
    token = _token(element, path)
    if token is None:
        return default
    if token.lower() in _TRUE:
        return True
    if token.lower() in _FALSE:
        return False
    raise XmlProblem(path, f"{path} '{token}' is not a boolean (true or false)")


def _duration(element: ET.Element | None, path: str) -> dt.timedelta | None:
    token = _token(element, path)
    if token is None:
        return None
    try:
        return parse_duration(token)
    except TimeFormatError as error:
        raise XmlProblem(path, f"{path} {error}") from None


def _boundary(element: ET.Element | None, path: str) -> dt.datetime | None:
    token = _token(element, path)
    if token is None:
        return None
    try:
        return parse_boundary(token)
    except TimeFormatError as error:
        raise XmlProblem(path, f"{path} {error}") from None


def _integer(element: ET.Element | None, path: str, low: int, high: int, default: int) -> int:
    token = _token(element, path)
    if token is None:
        return default
    number = _number(token)
    if number is None or not low <= number <= high:
        raise XmlProblem(path, f"{path} '{token}' is not a whole number from {low} to {high}")
    return number


def _word(element: ET.Element | None, path: str, words: Mapping[E, str]) -> E | None:
    """The model value whose XML word is written (any letter case), or None when absent."""
    token = _token(element, path)
    if token is None:
        return None
    for value, word in words.items():
        if word.lower() == token.lower():
            return value
    raise XmlProblem(path, f"{path} '{token}' is not one of {', '.join(words.values())}")


def _required(element: ET.Element | None, path: str) -> ET.Element:
    if element is None:
        raise XmlProblem(path, f"{path} is missing")
    return element


def _required_duration(element: ET.Element | None, path: str) -> dt.timedelta:
    value = _duration(_required(element, path), path)
    if value is None:
        raise XmlProblem(path, f"{path} is empty")
    return value


# --- triggers -----------------------------------------------------------------------------


def _trigger_base(reader: _Reader, element: ET.Element, found: Mapping[str, ET.Element], path: str) -> dict[str, Any]:
    repetition = found.get("Repetition")
    return {
        "id": element.get("id"),
        "enabled": _bool(found.get("Enabled"), f"{path}/Enabled", True),
        "start_boundary": _boundary(found.get("StartBoundary"), f"{path}/StartBoundary"),
        "end_boundary": _boundary(found.get("EndBoundary"), f"{path}/EndBoundary"),
        "execution_time_limit": _duration(found.get("ExecutionTimeLimit"), f"{path}/ExecutionTimeLimit"),
        "repetition": None if repetition is None else _repetition(reader, repetition, f"{path}/Repetition"),
    }


def _repetition(reader: _Reader, element: ET.Element, path: str) -> Repetition:
    found = reader.children(element, path, ("Interval", "Duration", "StopAtDurationEnd"))
    return Repetition(
        interval=_required_duration(found.get("Interval"), f"{path}/Interval"),
        duration=_duration(found.get("Duration"), f"{path}/Duration"),
        stop_at_duration_end=_bool(found.get("StopAtDurationEnd"), f"{path}/StopAtDurationEnd", False),
    )


def _trigger(reader: _Reader, element: ET.Element, index: int) -> Trigger:
    name = local_name(element.tag)
    if name not in _TRIGGER_SPECIFIC:
        return UnsupportedTrigger(
            id=element.get("id"),
            enabled=_bool(element.find(qualified("Enabled")), f"Triggers/{name}[{index}]/Enabled", True),
            tag=name,
            xml=verbatim(element),
        )
    path = f"Triggers/{name}[{index}]"
    found = reader.children(element, path, _TRIGGER_BASE | _TRIGGER_SPECIFIC[name])
    base = _trigger_base(reader, element, found, path)
    delay = _duration(found.get("Delay"), f"{path}/Delay")
    random_delay = _duration(found.get("RandomDelay"), f"{path}/RandomDelay")
    if name == "TimeTrigger":
        return TimeTrigger(**base, random_delay=random_delay)
    if name == "CalendarTrigger":
        return _calendar(reader, found, path, base, random_delay)
    if name == "BootTrigger":
        return BootTrigger(**base, delay=delay)
    if name == "RegistrationTrigger":
        return RegistrationTrigger(**base, delay=delay)
    if name == "IdleTrigger":
        return IdleTrigger(**base)
    user_id = _text(found.get("UserId"), f"{path}/UserId")
    if name == "LogonTrigger":
        return LogonTrigger(**base, user_id=user_id, delay=delay)
    if name == "SessionStateChangeTrigger":
        state_path = f"{path}/StateChange"
        state = _word(_required(found.get("StateChange"), state_path), state_path, STATE_CHANGE_WORDS)
        if state is None:
            raise XmlProblem(state_path, f"{state_path} is empty")
        return SessionStateChangeTrigger(**base, state_change=state, user_id=user_id, delay=delay)
    return EventTrigger(
        **base,
        subscription=_text(found.get("Subscription"), f"{path}/Subscription") or "",
        delay=delay,
        value_queries=_value_queries(reader, found.get("ValueQueries"), f"{path}/ValueQueries"),
    )


def _value_queries(reader: _Reader, element: ET.Element | None, path: str) -> tuple[tuple[str, str], ...]:
    if element is None:
        return ()
    pairs: list[tuple[str, str]] = []
    for value in reader.items(element, path, "Value"):
        name = value.get("name")
        if not name:
            raise XmlProblem(f"{path}/Value", f"{path}/Value has no name attribute")
        pairs.append((name, _text(value, f"{path}/Value") or ""))
    return tuple(sorted(pairs))


def _calendar(
    reader: _Reader,
    found: Mapping[str, ET.Element],
    path: str,
    base: dict[str, Any],
    random_delay: dt.timedelta | None,
) -> Trigger:
    schedules = [name for name in SCHEDULE_ELEMENTS if name in found]
    if len(schedules) != 1:
        raise XmlProblem(
            path,
            f"{path} needs exactly one of {', '.join(SCHEDULE_ELEMENTS)} (found {', '.join(schedules) or 'none'})",
        )
    kind = schedules[0]
    spath = f"{path}/{kind}"
    parts = reader.children(found[kind], spath, _SCHEDULE_PARTS[kind])
    if kind == "ScheduleByDay":
        days_interval = _integer(parts.get("DaysInterval"), f"{spath}/DaysInterval", 1, 365, 1)
        return DailyTrigger(**base, random_delay=random_delay, days_interval=days_interval)
    days_of_week = _names(reader, parts.get("DaysOfWeek"), f"{spath}/DaysOfWeek", DAY_WORDS, frozenset())
    months = _names(reader, parts.get("Months"), f"{spath}/Months", MONTH_WORDS, frozenset(MONTHS))
    if kind == "ScheduleByWeek":
        weeks_interval = _integer(parts.get("WeeksInterval"), f"{spath}/WeeksInterval", 1, 52, 1)
        return WeeklyTrigger(**base, random_delay=random_delay, weeks_interval=weeks_interval, days_of_week=days_of_week)
    if kind == "ScheduleByMonth":
        days, last_day = _days_of_month(reader, parts.get("DaysOfMonth"), f"{spath}/DaysOfMonth")
        return MonthlyTrigger(**base, random_delay=random_delay, months=months, days_of_month=days, last_day_of_month=last_day)
    return MonthlyDayOfWeekTrigger(
        **base,
        random_delay=random_delay,
        months=months,
        weeks=_weeks(reader, parts.get("Weeks"), f"{spath}/Weeks"),
        days_of_week=days_of_week,
    )


def _names(reader: _Reader, element: ET.Element | None, path: str, words: Mapping[str, str], absent: frozenset[str]) -> frozenset[str]:
    """``<Monday/><Friday/>`` -> ``{"monday", "friday"}``; ``absent`` when the list is not written."""
    if element is None:
        return absent
    by_word = {word: name for name, word in words.items()}
    return frozenset(by_word[word] for word in reader.children(element, path, by_word))


def _days_of_month(reader: _Reader, element: ET.Element | None, path: str) -> tuple[frozenset[int], bool]:
    if element is None:
        return frozenset(), False
    days: set[int] = set()
    last_day = False
    for day in reader.items(element, path, "Day"):
        token = _token(day, f"{path}/Day") or ""
        number = _number(token)
        if token.lower() == "last":
            last_day = True
        elif number is not None and 1 <= number <= 31:
            days.add(number)
        else:
            raise XmlProblem(f"{path}/Day", f"{path}/Day '{token}' is not a day of the month (1 to 31, or Last)")
    return frozenset(days), last_day


def _weeks(reader: _Reader, element: ET.Element | None, path: str) -> frozenset[str]:
    if element is None:
        return frozenset()
    weeks: set[str] = set()
    for week in reader.items(element, path, "Week"):
        token = (_token(week, f"{path}/Week") or "").lower()
        if token not in WEEK_WORDS:
            raise XmlProblem(f"{path}/Week", f"{path}/Week '{token}' is not a week of the month (1 to 4, or Last)")
        weeks.add(token)
    return frozenset(weeks)


# --- principal, settings, actions, registration -------------------------------------------


def _principal(reader: _Reader, principals: ET.Element | None) -> Principal:
    if principals is None:
        return Principal()
    listed = reader.items(principals, "Principals", "Principal")
    if not listed:
        return Principal()
    element, *others = listed
    for other in others:
        reader.keep("Principals", other)
    path = "Principals/Principal"
    found = reader.children(element, path, _PRINCIPAL_FIELDS)
    user_id = _text(found.get("UserId"), f"{path}/UserId")
    group_id = _text(found.get("GroupId"), f"{path}/GroupId")
    logon_type = _word(found.get("LogonType"), f"{path}/LogonType", LOGON_TYPE_WORDS)
    if group_id is not None:
        logon_type = LogonType.GROUP
    elif user_id is not None and is_service_account(user_id) and logon_type in _SERVICE_LOGON_SPELLINGS:
        logon_type = LogonType.SERVICE_ACCOUNT
    privileges = found.get("RequiredPrivileges")
    return Principal(
        id=element.get("id", _DEFAULT_PRINCIPAL.id),
        user_id=user_id,
        group_id=group_id,
        logon_type=logon_type,
        run_level=_word(found.get("RunLevel"), f"{path}/RunLevel", RUN_LEVEL_WORDS) or _DEFAULT_PRINCIPAL.run_level,
        display_name=_text(found.get("DisplayName"), f"{path}/DisplayName"),
        required_privileges=()
        if privileges is None
        else tuple(_token(item, f"{path}/RequiredPrivileges/Privilege") or "" for item in reader.items(privileges, f"{path}/RequiredPrivileges", "Privilege")),
        process_token_sid_type=_token(found.get("ProcessTokenSidType"), f"{path}/ProcessTokenSidType"),
    )


def _settings(reader: _Reader, element: ET.Element | None) -> Settings:
    defaults = Settings()
    if element is None:
        return defaults
    found = reader.children(element, "Settings", _SETTINGS_FIELDS)

    def flag(name: str, default: bool) -> bool:
        return _bool(found.get(name), f"Settings/{name}", default)

    def duration(name: str) -> dt.timedelta | None:
        return _duration(found.get(name), f"Settings/{name}")

    execution_time_limit = duration("ExecutionTimeLimit")
    return Settings(
        multiple_instances=_word(found.get("MultipleInstancesPolicy"), "Settings/MultipleInstancesPolicy", MULTIPLE_INSTANCES_WORDS)
        or defaults.multiple_instances,
        disallow_start_if_on_batteries=flag("DisallowStartIfOnBatteries", defaults.disallow_start_if_on_batteries),
        stop_if_going_on_batteries=flag("StopIfGoingOnBatteries", defaults.stop_if_going_on_batteries),
        allow_hard_terminate=flag("AllowHardTerminate", defaults.allow_hard_terminate),
        start_when_available=flag("StartWhenAvailable", defaults.start_when_available),
        run_only_if_network_available=flag("RunOnlyIfNetworkAvailable", defaults.run_only_if_network_available),
        network_settings=_network(reader, found.get("NetworkSettings")),
        idle_settings=_idle(reader, found.get("IdleSettings")),
        allow_demand_start=flag("AllowStartOnDemand", defaults.allow_demand_start),
        enabled=flag("Enabled", defaults.enabled),
        hidden=flag("Hidden", defaults.hidden),
        run_only_if_idle=flag("RunOnlyIfIdle", defaults.run_only_if_idle),
        wake_to_run=flag("WakeToRun", defaults.wake_to_run),
        execution_time_limit=defaults.execution_time_limit if execution_time_limit is None else execution_time_limit,
        priority=_integer(found.get("Priority"), "Settings/Priority", 0, 10, defaults.priority),
        delete_expired_task_after=duration("DeleteExpiredTaskAfter"),
        restart_on_failure=_restart(reader, found.get("RestartOnFailure")),
        disallow_start_on_remote_app_session=flag("DisallowStartOnRemoteAppSession", defaults.disallow_start_on_remote_app_session),
        use_unified_scheduling_engine=flag("UseUnifiedSchedulingEngine", defaults.use_unified_scheduling_engine),
        volatile=flag("Volatile", defaults.volatile),
        maintenance_settings=_maintenance(reader, found.get("MaintenanceSettings")),
    )


def _network(reader: _Reader, element: ET.Element | None) -> NetworkSettings | None:
    if element is None:
        return None
    path = "Settings/NetworkSettings"
    found = reader.children(element, path, ("Name", "Id"))
    return NetworkSettings(name=_text(found.get("Name"), f"{path}/Name"), id=_token(found.get("Id"), f"{path}/Id"))


def _idle(reader: _Reader, element: ET.Element | None) -> IdleSettings:
    defaults = IdleSettings()
    if element is None:
        return defaults
    path = "Settings/IdleSettings"
    found = reader.children(element, path, ("Duration", "WaitTimeout", "StopOnIdleEnd", "RestartOnIdle"))
    return IdleSettings(
        duration=_duration(found.get("Duration"), f"{path}/Duration"),
        wait_timeout=_duration(found.get("WaitTimeout"), f"{path}/WaitTimeout"),
        stop_on_idle_end=_bool(found.get("StopOnIdleEnd"), f"{path}/StopOnIdleEnd", defaults.stop_on_idle_end),
        restart_on_idle=_bool(found.get("RestartOnIdle"), f"{path}/RestartOnIdle", defaults.restart_on_idle),
    )


def _restart(reader: _Reader, element: ET.Element | None) -> RestartOnFailure | None:
    if element is None:
        return None
    path = "Settings/RestartOnFailure"
    found = reader.children(element, path, ("Interval", "Count"))
    count = found.get("Count")
    if _token(count, f"{path}/Count") is None:
        raise XmlProblem(f"{path}/Count", f"{path}/Count is missing or empty")
    return RestartOnFailure(
        interval=_required_duration(found.get("Interval"), f"{path}/Interval"),
        count=_integer(count, f"{path}/Count", 1, 999, 1),
    )


def _maintenance(reader: _Reader, element: ET.Element | None) -> MaintenanceSettings | None:
    if element is None:
        return None
    path = "Settings/MaintenanceSettings"
    found = reader.children(element, path, ("Period", "Deadline", "Exclusive"))
    return MaintenanceSettings(
        period=_required_duration(found.get("Period"), f"{path}/Period"),
        deadline=_duration(found.get("Deadline"), f"{path}/Deadline"),
        exclusive=_bool(found.get("Exclusive"), f"{path}/Exclusive", False),
    )


def _actions(reader: _Reader, element: ET.Element | None) -> tuple[tuple[Action, ...], str | None]:
    if element is None:
        return (), None
    actions: list[Action] = []
    for index, child in enumerate(element):
        name = local_name(child.tag)
        if name != "Exec":
            actions.append(UnsupportedAction(kind=name, xml=verbatim(child), id=child.get("id")))
            continue
        path = f"Actions/Exec[{index}]"
        found = reader.children(child, path, ("Command", "Arguments", "WorkingDirectory"))
        actions.append(
            ExecAction(
                # An empty Command is kept as written (author-edited templates have one).
                command=_text(_required(found.get("Command"), f"{path}/Command"), f"{path}/Command") or "",
                arguments=_text(found.get("Arguments"), f"{path}/Arguments"),
                working_directory=_text(found.get("WorkingDirectory"), f"{path}/WorkingDirectory"),
                id=child.get("id"),
            )
        )
    return tuple(actions), element.get("Context")


def _registration(reader: _Reader, element: ET.Element | None) -> RegistrationInfo:
    if element is None:
        return RegistrationInfo()
    found = reader.children(element, "RegistrationInfo", _REGISTRATION_FIELDS)
    return RegistrationInfo(**{field: _text(found.get(name), f"RegistrationInfo/{name}") for name, field in _REGISTRATION_FIELDS.items()})


# --- the task -----------------------------------------------------------------------------


def read_task(root: ET.Element, *, name: str, folder: str) -> TaskDefinition:
    """The definition a ``<Task>`` element describes; raises :class:`XmlProblem`."""
    if root.tag != qualified("Task"):
        root_name = local_name(root.tag)
        if root_name.endswith("}Task"):
            raise XmlProblem("Task", f"the Task element is not in the Task Scheduler namespace {NAMESPACE} (found '{root.tag}')")
        raise XmlProblem("Task", f"the root element is '{root_name}', not a Task Scheduler Task")
    version = root.get("version")
    if version is not None:
        try:
            version_key(version)
        except XmlProblem as problem:
            raise XmlProblem("Task/@version", f"Task/@version {problem.message}") from None
    top = _Reader()
    found = top.children(root, "Task", _TASK_PARTS)
    # Sections are read in one fixed order (not the document's) so that the kept elements come
    # out in the same order from any arrangement of the same task.
    reader = _Reader()
    registration = _registration(reader, found.get("RegistrationInfo"))
    triggers_element = found.get("Triggers")
    triggers = () if triggers_element is None else tuple(_trigger(reader, child, index) for index, child in enumerate(triggers_element))
    principal = _principal(reader, found.get("Principals"))
    settings = _settings(reader, found.get("Settings"))
    actions, context = _actions(reader, found.get("Actions"))
    return TaskDefinition(
        name=name,
        folder=folder,
        registration_info=registration,
        triggers=triggers,
        principal=principal,
        settings=settings,
        actions=actions,
        actions_context=context,
        version=version,
        unknown_elements=tuple(reader.kept + top.kept),
    )
