# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
""":class:`model.TaskDefinition` -> Task Scheduler XML element tree (private to :mod:`taskxml`).

Top-level parts and Settings come in the order Windows exports them, with Windows' defaults
written out; children of a trigger come in Microsoft's published ``xs:sequence`` order (Enabled,
StartBoundary, EndBoundary, Repetition, ExecutionTimeLimit, then the trigger's own), which
``task.xsd`` checks and Windows accepts. Elements kept verbatim from a read go back inside the
element they were read from, after its known children.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_service_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    NAMESPACE,
    WEEKS_OF_MONTH,
    BootTrigger,
    DailyTrigger,
    EventTrigger,
    ExecAction,
    LogonTrigger,
    LogonType,
    MonthlyDayOfWeekTrigger,
    MonthlyTrigger,
    Principal,
    RegistrationInfo,
    RegistrationTrigger,
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
    STATE_CHANGE_WORDS,
    TRIGGER_ELEMENTS,
    WEEK_WORDS,
    XmlProblem,
    bare_names,
    local_name,
    version_key,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml.safe_xml import UnsafeXmlError, parse_untrusted
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary, format_duration

__all__ = ["build_task", "serialize"]

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The order Windows' exports use, as far as they agree (Date and URI are Windows' to fill in).
_REGISTRATION_ORDER = (
    ("Source", "source"),
    ("Author", "author"),
    ("Version", "version"),
    ("Description", "description"),
    ("Documentation", "documentation"),
    ("SecurityDescriptor", "security_descriptor"),
)
# Elements Task Scheduler 1.3 (Windows 7) introduced: written out from that version on, as
# Windows does, and left out below it, where the schema does not know them.
_SCHEMA_1_3 = version_key("1.3")


class _Writer:
    """Builds elements and remembers where kept elements may go back (path -> element)."""

    def __init__(self, kept: Iterable[UnknownElement]) -> None:
        self.places: dict[str, ET.Element] = {}
        self.kept_parents = frozenset(element.parent for element in kept)

    def wants(self, path: str) -> bool:
        """Whether kept elements go inside ``path`` (so it is written even with nothing else in it)."""
        return path in self.kept_parents

    def node(self, parent: ET.Element, name: str, path: str) -> ET.Element:
        element = ET.SubElement(parent, name)
        self.places[path] = element
        return element

    def leaf(self, parent: ET.Element, name: str, text: str, path: str) -> None:
        ET.SubElement(parent, name).text = _checked(text, path)

    def optional(self, parent: ET.Element, name: str, text: str | None, path: str) -> None:
        if text is not None:
            self.leaf(parent, name, text, path)

    def flag(self, parent: ET.Element, name: str, value: bool) -> None:
        ET.SubElement(parent, name).text = "true" if value else "false"

    def duration(self, parent: ET.Element, name: str, value: dt.timedelta | None) -> None:
        if value is not None:
            ET.SubElement(parent, name).text = format_duration(value)

    def boundary(self, parent: ET.Element, name: str, value: dt.datetime | None) -> None:
        if value is not None:
            ET.SubElement(parent, name).text = format_boundary(value)

    def marks(self, parent: ET.Element, name: str, path: str, chosen: Iterable[str], words: Mapping[str, str]) -> None:
        """``<DaysOfWeek><Monday/>...`` in the calendar order of ``words``."""
        selected = frozenset(chosen)
        unknown = sorted(selected - set(words))
        if unknown:
            raise XmlProblem(f"{path}/{name}", f"{path}/{name} '{unknown[0]}' is not one of {', '.join(words)}")
        element = self.node(parent, name, f"{path}/{name}")
        for key, word in words.items():
            if key in selected:
                ET.SubElement(element, word)

    def put_back(self, kept: Iterable[UnknownElement]) -> None:
        for element in kept:
            field = f"{element.parent}/{element.tag}"
            place = self.places.get(element.parent)
            if place is None:
                raise XmlProblem(
                    field,
                    f"{field} was kept from the task's XML, but the task has no {element.parent} to put it back in",
                )
            place.append(_fragment(element.xml, field))


def _checked(text: str, path: str) -> str:
    bad = _NOT_XML.search(text)
    if bad:
        raise XmlProblem(path, f"{path} contains U+{ord(bad.group()):04X}, a character XML cannot carry")
    return text


def _fragment(xml: str, field: str) -> ET.Element:
    try:
        return bare_names(parse_untrusted(xml))
    except (ET.ParseError, UnsafeXmlError) as error:
        raise XmlProblem(field, f"{field}: the XML kept for it is not well-formed ({error})") from None


# --- parts --------------------------------------------------------------------------------


def _registration(writer: _Writer, root: ET.Element, info: RegistrationInfo) -> None:
    element = writer.node(root, "RegistrationInfo", "RegistrationInfo")
    for name, attribute in _REGISTRATION_ORDER:
        writer.optional(element, name, getattr(info, attribute), f"RegistrationInfo/{name}")


def _trigger(writer: _Writer, triggers: ET.Element, trigger: Trigger, index: int) -> None:
    if isinstance(trigger, UnsupportedTrigger):
        fragment = _fragment(trigger.xml, f"Triggers/{trigger.tag}[{index}]")
        triggers.append(fragment)
        writer.places[f"Triggers/{local_name(fragment.tag)}[{index}]"] = fragment
        return
    name = TRIGGER_ELEMENTS[trigger.TYPE]
    path = f"Triggers/{name}[{index}]"
    element = writer.node(triggers, name, path)
    if trigger.id is not None:
        element.set("id", _checked(trigger.id, f"{path}/@id"))
    writer.flag(element, "Enabled", trigger.enabled)
    writer.boundary(element, "StartBoundary", trigger.start_boundary)
    writer.boundary(element, "EndBoundary", trigger.end_boundary)
    if trigger.repetition is not None:
        repetition = writer.node(element, "Repetition", f"{path}/Repetition")
        writer.duration(repetition, "Interval", trigger.repetition.interval)
        writer.duration(repetition, "Duration", trigger.repetition.duration)
        writer.flag(repetition, "StopAtDurationEnd", trigger.repetition.stop_at_duration_end)
    writer.duration(element, "ExecutionTimeLimit", trigger.execution_time_limit)
    _trigger_specific(writer, element, trigger, path)


def _trigger_specific(writer: _Writer, element: ET.Element, trigger: Trigger, path: str) -> None:
    if isinstance(trigger, TimeTrigger):
        writer.duration(element, "RandomDelay", trigger.random_delay)
    elif isinstance(trigger, (DailyTrigger, WeeklyTrigger, MonthlyTrigger, MonthlyDayOfWeekTrigger)):
        writer.duration(element, "RandomDelay", trigger.random_delay)
        _schedule(writer, element, trigger, path)
    elif isinstance(trigger, (BootTrigger, RegistrationTrigger)):
        writer.duration(element, "Delay", trigger.delay)
    elif isinstance(trigger, LogonTrigger):
        writer.optional(element, "UserId", trigger.user_id, f"{path}/UserId")
        writer.duration(element, "Delay", trigger.delay)
    elif isinstance(trigger, SessionStateChangeTrigger):
        writer.optional(element, "UserId", trigger.user_id, f"{path}/UserId")
        writer.duration(element, "Delay", trigger.delay)
        ET.SubElement(element, "StateChange").text = STATE_CHANGE_WORDS[trigger.state_change]
    elif isinstance(trigger, EventTrigger):
        writer.leaf(element, "Subscription", trigger.subscription, f"{path}/Subscription")
        writer.duration(element, "Delay", trigger.delay)
        if trigger.value_queries or writer.wants(f"{path}/ValueQueries"):
            queries = writer.node(element, "ValueQueries", f"{path}/ValueQueries")
            for query_name, xpath in trigger.value_queries:
                value = ET.SubElement(queries, "Value", name=_checked(query_name, f"{path}/ValueQueries"))
                value.text = _checked(xpath, f"{path}/ValueQueries/Value")


def _schedule(
    writer: _Writer,
    element: ET.Element,
    trigger: DailyTrigger | WeeklyTrigger | MonthlyTrigger | MonthlyDayOfWeekTrigger,
    path: str,
) -> None:
    if isinstance(trigger, DailyTrigger):
        schedule = writer.node(element, "ScheduleByDay", f"{path}/ScheduleByDay")
        ET.SubElement(schedule, "DaysInterval").text = str(trigger.days_interval)
    elif isinstance(trigger, WeeklyTrigger):
        spath = f"{path}/ScheduleByWeek"
        schedule = writer.node(element, "ScheduleByWeek", spath)
        ET.SubElement(schedule, "WeeksInterval").text = str(trigger.weeks_interval)
        writer.marks(schedule, "DaysOfWeek", spath, trigger.days_of_week, DAY_WORDS)
    elif isinstance(trigger, MonthlyTrigger):
        spath = f"{path}/ScheduleByMonth"
        schedule = writer.node(element, "ScheduleByMonth", spath)
        days = writer.node(schedule, "DaysOfMonth", f"{spath}/DaysOfMonth")
        for day in sorted(trigger.days_of_month):
            if not 1 <= day <= 31:
                raise XmlProblem(f"{spath}/DaysOfMonth", f"{spath}/DaysOfMonth {day} is not a day of the month (1 to 31)")
            ET.SubElement(days, "Day").text = str(day)
        if trigger.last_day_of_month:
            ET.SubElement(days, "Day").text = "Last"
        writer.marks(schedule, "Months", spath, trigger.months, MONTH_WORDS)
    else:
        spath = f"{path}/ScheduleByMonthDayOfWeek"
        schedule = writer.node(element, "ScheduleByMonthDayOfWeek", spath)
        unknown = sorted(trigger.weeks - set(WEEKS_OF_MONTH))
        if unknown:
            raise XmlProblem(f"{spath}/Weeks", f"{spath}/Weeks '{unknown[0]}' is not one of {', '.join(WEEKS_OF_MONTH)}")
        weeks = writer.node(schedule, "Weeks", f"{spath}/Weeks")
        for week in WEEKS_OF_MONTH:
            if week in trigger.weeks:
                ET.SubElement(weeks, "Week").text = WEEK_WORDS[week]
        writer.marks(schedule, "DaysOfWeek", spath, trigger.days_of_week, DAY_WORDS)
        writer.marks(schedule, "Months", spath, trigger.months, MONTH_WORDS)


def _principal(writer: _Writer, root: ET.Element, principal: Principal) -> None:
    path = "Principals/Principal"
    logon_type = principal.logon_type
    if logon_type is LogonType.GROUP and principal.group_id is None:
        raise XmlProblem(f"{path}/GroupId", "principal logon_type group needs a group (GroupId)")
    if logon_type is LogonType.SERVICE_ACCOUNT and not (principal.user_id and is_service_account(principal.user_id)):
        # Quoted as written (not repr, which doubles the backslash of DOMAIN\svc); taskxml does
        # not depend on spec, whose printable() would also escape control characters.
        given = "no user" if principal.user_id is None else f"'{principal.user_id}'"
        raise XmlProblem(
            f"{path}/UserId",
            f"principal logon_type service_account needs SYSTEM, LOCAL SERVICE or NETWORK SERVICE as user "
            f"(given {given}); Task Scheduler XML cannot express it for other accounts",
        )
    principals = writer.node(root, "Principals", "Principals")
    element = writer.node(principals, "Principal", path)
    element.set("id", _checked(principal.id, f"{path}/@id"))
    writer.optional(element, "UserId", principal.user_id, f"{path}/UserId")
    writer.optional(element, "GroupId", principal.group_id, f"{path}/GroupId")
    writer.optional(element, "DisplayName", principal.display_name, f"{path}/DisplayName")
    # Group and service-account principals are told apart by their GroupId / well-known UserId:
    # Microsoft's schema has no LogonType word for either.
    if logon_type is not None and logon_type not in (LogonType.GROUP, LogonType.SERVICE_ACCOUNT):
        ET.SubElement(element, "LogonType").text = LOGON_TYPE_WORDS[logon_type]
    ET.SubElement(element, "RunLevel").text = RUN_LEVEL_WORDS[principal.run_level]
    writer.optional(element, "ProcessTokenSidType", principal.process_token_sid_type, f"{path}/ProcessTokenSidType")
    if principal.required_privileges or writer.wants(f"{path}/RequiredPrivileges"):
        privileges = writer.node(element, "RequiredPrivileges", f"{path}/RequiredPrivileges")
        for privilege in principal.required_privileges:
            writer.leaf(privileges, "Privilege", privilege, f"{path}/RequiredPrivileges/Privilege")


def _settings(writer: _Writer, root: ET.Element, settings: Settings, version: str) -> None:
    element = writer.node(root, "Settings", "Settings")
    ET.SubElement(element, "MultipleInstancesPolicy").text = MULTIPLE_INSTANCES_WORDS[settings.multiple_instances]
    writer.flag(element, "DisallowStartIfOnBatteries", settings.disallow_start_if_on_batteries)
    writer.flag(element, "StopIfGoingOnBatteries", settings.stop_if_going_on_batteries)
    writer.flag(element, "AllowHardTerminate", settings.allow_hard_terminate)
    writer.flag(element, "StartWhenAvailable", settings.start_when_available)
    writer.flag(element, "RunOnlyIfNetworkAvailable", settings.run_only_if_network_available)
    if settings.network_settings is not None:
        network = writer.node(element, "NetworkSettings", "Settings/NetworkSettings")
        writer.optional(network, "Name", settings.network_settings.name, "Settings/NetworkSettings/Name")
        writer.optional(network, "Id", settings.network_settings.id, "Settings/NetworkSettings/Id")
    idle = writer.node(element, "IdleSettings", "Settings/IdleSettings")
    writer.duration(idle, "Duration", settings.idle_settings.duration)
    writer.duration(idle, "WaitTimeout", settings.idle_settings.wait_timeout)
    writer.flag(idle, "StopOnIdleEnd", settings.idle_settings.stop_on_idle_end)
    writer.flag(idle, "RestartOnIdle", settings.idle_settings.restart_on_idle)
    writer.flag(element, "AllowStartOnDemand", settings.allow_demand_start)
    writer.flag(element, "Enabled", settings.enabled)
    writer.flag(element, "Hidden", settings.hidden)
    writer.flag(element, "RunOnlyIfIdle", settings.run_only_if_idle)
    if version_key(version) >= _SCHEMA_1_3:
        writer.flag(element, "DisallowStartOnRemoteAppSession", settings.disallow_start_on_remote_app_session)
        writer.flag(element, "UseUnifiedSchedulingEngine", settings.use_unified_scheduling_engine)
    if settings.volatile:
        writer.flag(element, "Volatile", True)
    if settings.maintenance_settings is not None:
        maintenance = writer.node(element, "MaintenanceSettings", "Settings/MaintenanceSettings")
        writer.duration(maintenance, "Period", settings.maintenance_settings.period)
        writer.duration(maintenance, "Deadline", settings.maintenance_settings.deadline)
        writer.flag(maintenance, "Exclusive", settings.maintenance_settings.exclusive)
    writer.flag(element, "WakeToRun", settings.wake_to_run)
    writer.duration(element, "ExecutionTimeLimit", settings.execution_time_limit)
    writer.duration(element, "DeleteExpiredTaskAfter", settings.delete_expired_task_after)
    ET.SubElement(element, "Priority").text = str(settings.priority)
    if settings.restart_on_failure is not None:
        restart = writer.node(element, "RestartOnFailure", "Settings/RestartOnFailure")
        writer.duration(restart, "Interval", settings.restart_on_failure.interval)
        ET.SubElement(restart, "Count").text = str(settings.restart_on_failure.count)


def _actions(writer: _Writer, root: ET.Element, definition: TaskDefinition) -> None:
    element = writer.node(root, "Actions", "Actions")
    if definition.actions_context is not None:
        element.set("Context", _checked(definition.actions_context, "Actions/@Context"))
    for index, action in enumerate(definition.actions):
        if isinstance(action, UnsupportedAction):
            fragment = _fragment(action.xml, f"Actions/{action.kind}[{index}]")
            element.append(fragment)
            writer.places[f"Actions/{local_name(fragment.tag)}[{index}]"] = fragment
            continue
        _exec(writer, element, action, f"Actions/Exec[{index}]")


def _exec(writer: _Writer, actions: ET.Element, action: ExecAction, path: str) -> None:
    element = writer.node(actions, "Exec", path)
    if action.id is not None:
        element.set("id", _checked(action.id, f"{path}/@id"))
    writer.leaf(element, "Command", action.command, f"{path}/Command")
    writer.optional(element, "Arguments", action.arguments, f"{path}/Arguments")
    writer.optional(element, "WorkingDirectory", action.working_directory, f"{path}/WorkingDirectory")


# --- the task -----------------------------------------------------------------------------


def build_task(definition: TaskDefinition, version: str) -> ET.Element:
    """The ``<Task>`` element for ``definition``; raises :class:`XmlProblem`."""
    writer = _Writer(definition.unknown_elements)
    root = ET.Element("Task", {"version": version, "xmlns": NAMESPACE})
    writer.places["Task"] = root
    _registration(writer, root, definition.registration_info)
    triggers = writer.node(root, "Triggers", "Triggers")
    for index, trigger in enumerate(definition.triggers):
        _trigger(writer, triggers, trigger, index)
    _principal(writer, root, definition.principal)
    _settings(writer, root, definition.settings, version)
    _actions(writer, root, definition)
    writer.put_back(definition.unknown_elements)
    return root


def serialize(root: ET.Element) -> str:
    """The document text, indented like a Windows export, with the declaration Windows writes.

    The text is what ``ET.indent(root, space="  ")`` then ``ET.tostring(root)`` give, written in
    one pass: ElementTree's namespace discovery and separate indenting pass cost more than
    building the tree. A name in another namespace than the task's (only in XML kept from a
    read) needs a prefix ElementTree chooses, so such a document is left to ElementTree.
    """
    parts = [_DECLARATION]
    try:
        _write(root, "\n", parts)
    except _QualifiedName:
        ET.indent(root, space=_INDENT)
        return _DECLARATION + ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return "".join(parts)


_DECLARATION = '<?xml version="1.0" encoding="UTF-16"?>\n'
_INDENT = "  "


class _QualifiedName(Exception):
    """An element or attribute name in a namespace (``{uri}name``): ElementTree must prefix it."""


def _write(element: ET.Element, line_start: str, out: list[str]) -> None:
    """``element`` without its tail; ``line_start`` is the line break and indentation before it."""
    tag = element.tag
    if tag[:1] == "{":
        raise _QualifiedName
    out.append("<" + tag)
    for name, value in element.items():
        if name[:1] == "{":
            raise _QualifiedName
        out.append(f' {name}="{_attribute_text(value)}"')
    text = element.text
    if len(element):
        # As ET.indent: whitespace-only text and tails are indentation, replaced; others are kept.
        child_line_start = line_start + _INDENT
        out.append(">" + (_text(text) if text and text.strip() else child_line_start))
        indented = True
        for child in element:
            _write(child, child_line_start, out)
            tail = child.tail
            indented = not (tail and tail.strip())
            if tail and not indented:
                out.append(_text(tail))
            else:
                out.append(child_line_start)
        if indented:
            # The closing tag goes back to this element's own indentation.
            out[-1] = line_start
        out.append(f"</{tag}>")
    elif text:
        out.append(f">{_text(text)}</{tag}>")
    else:
        out.append(" />")


# What ElementTree escapes, plus a carriage return as ``&#13;``: in text it would come back as a
# line feed (XML end-of-line handling), and a character reference keeps it. Attribute values
# also keep their quotes, line feeds and tabs as references.
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ATTRIBUTE_ESCAPES = (*_TEXT_ESCAPES, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _text(text: str) -> str:
    return _escaped(text, _TEXT_ESCAPES)


def _attribute_text(text: str) -> str:
    return _escaped(text, _ATTRIBUTE_ESCAPES)


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for character, reference in escapes:
        if character in text:
            text = text.replace(character, reference)
    return text
