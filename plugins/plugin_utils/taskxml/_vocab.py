# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words Task Scheduler XML uses for the model's values, shared by the reader and the writer.

Private to :mod:`taskxml`: the problems raised here carry only the element path; ``taskxml``
adds the task's name when it turns them into a :class:`taskxml.TaskXmlError`.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    MONTHS,
    NAMESPACE,
    WEEKDAYS,
    LogonType,
    MultipleInstances,
    RunLevel,
    SessionStateChange,
)

__all__ = [
    "XmlProblem",
    "qualified",
    "local_name",
    "bare_names",
    "verbatim",
    "version_key",
    "BASELINE_VERSION",
    "LOGON_TYPE_WORDS",
    "RUN_LEVEL_WORDS",
    "MULTIPLE_INSTANCES_WORDS",
    "STATE_CHANGE_WORDS",
    "DAY_WORDS",
    "MONTH_WORDS",
    "WEEK_WORDS",
    "TRIGGER_ELEMENTS",
    "SCHEDULE_ELEMENTS",
]

E = TypeVar("E")

# Task Scheduler 2.0 (Vista / Server 2008): what every task this collection writes needs at least.
BASELINE_VERSION = "1.2"
_VERSION = re.compile(r"^\d+(\.\d+){1,3}$")


class XmlProblem(ValueError):
    """What is wrong and where (``field``: element path such as ``Settings/Priority``)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _words(mapping: Mapping[E, str]) -> Mapping[E, str]:
    return MappingProxyType(dict(mapping))


# ServiceAccount is not in Microsoft's schema enumeration but is what TASK_LOGON_SERVICE_ACCOUNT
# is called; hand-written files use it, so the reader accepts it (the writer never needs it).
LOGON_TYPE_WORDS: Mapping[LogonType, str] = _words(
    {
        LogonType.PASSWORD: "Password",
        LogonType.S4U: "S4U",
        LogonType.INTERACTIVE_TOKEN: "InteractiveToken",
        LogonType.INTERACTIVE_TOKEN_OR_PASSWORD: "InteractiveTokenOrPassword",
        LogonType.SERVICE_ACCOUNT: "ServiceAccount",
    }
)
RUN_LEVEL_WORDS: Mapping[RunLevel, str] = _words(
    {
        RunLevel.LIMITED: "LeastPrivilege",
        RunLevel.HIGHEST: "HighestAvailable",
    }
)
MULTIPLE_INSTANCES_WORDS: Mapping[MultipleInstances, str] = _words(
    {
        MultipleInstances.PARALLEL: "Parallel",
        MultipleInstances.QUEUE: "Queue",
        MultipleInstances.IGNORE_NEW: "IgnoreNew",
        MultipleInstances.STOP_EXISTING: "StopExisting",
    }
)
STATE_CHANGE_WORDS: Mapping[SessionStateChange, str] = _words(
    {
        SessionStateChange.CONSOLE_CONNECT: "ConsoleConnect",
        SessionStateChange.CONSOLE_DISCONNECT: "ConsoleDisconnect",
        SessionStateChange.REMOTE_CONNECT: "RemoteConnect",
        SessionStateChange.REMOTE_DISCONNECT: "RemoteDisconnect",
        SessionStateChange.SESSION_LOCK: "SessionLock",
        SessionStateChange.SESSION_UNLOCK: "SessionUnlock",
    }
)
DAY_WORDS: Mapping[str, str] = _words({day: day.capitalize() for day in WEEKDAYS})
MONTH_WORDS: Mapping[str, str] = _words({month: month.capitalize() for month in MONTHS})
WEEK_WORDS: Mapping[str, str] = _words({"1": "1", "2": "2", "3": "3", "4": "4", "last": "Last"})

# Model trigger TYPE -> the element that carries it.
TRIGGER_ELEMENTS: Mapping[str, str] = _words(
    {
        "once": "TimeTrigger",
        "daily": "CalendarTrigger",
        "weekly": "CalendarTrigger",
        "monthly": "CalendarTrigger",
        "monthly_dow": "CalendarTrigger",
        "boot": "BootTrigger",
        "logon": "LogonTrigger",
        "idle": "IdleTrigger",
        "registration": "RegistrationTrigger",
        "session_state_change": "SessionStateChangeTrigger",
        "event": "EventTrigger",
    }
)
# CalendarTrigger schedule element -> model trigger TYPE.
SCHEDULE_ELEMENTS: Mapping[str, str] = _words(
    {
        "ScheduleByDay": "daily",
        "ScheduleByWeek": "weekly",
        "ScheduleByMonth": "monthly",
        "ScheduleByMonthDayOfWeek": "monthly_dow",
    }
)


def qualified(local: str) -> str:
    """``Settings`` -> ``{http://schemas.microsoft.com/windows/2004/02/mit/task}Settings``."""
    return f"{{{NAMESPACE}}}{local}"


def local_name(tag: str) -> str:
    """The element name without the task namespace; others keep theirs (``{}X``: no namespace)."""
    prefix = f"{{{NAMESPACE}}}"
    if tag.startswith(prefix):
        return tag[len(prefix) :]
    return tag if tag.startswith("{") else "{}" + tag


def bare_names(element: ET.Element) -> ET.Element:
    """``element`` (changed in place) named the way rendered documents name elements.

    Rendered documents declare the task namespace once, as the default namespace of ``<Task>``,
    and write every task element without a prefix. An element in no namespace at all then needs
    ``xmlns=""`` to stay out of it; elements of other namespaces keep their qualified names.
    """
    prefix = f"{{{NAMESPACE}}}"
    for node in element.iter():
        if node.tag.startswith(prefix):
            node.tag = node.tag[len(prefix) :]
        elif not node.tag.startswith("{"):
            node.set("xmlns", "")
    return element


def verbatim(element: ET.Element) -> str:
    """An element as canonical XML text: re-indented from column 0, without its tail.

    Canonical so that text kept from one read equals the text kept when the rendered XML is
    read again, whatever indentation the element had inside the document it came from.
    """
    detached = bare_names(copy.deepcopy(element))
    detached.tail = None
    if element.tag.startswith(f"{{{NAMESPACE}}}"):
        detached.set("xmlns", NAMESPACE)
    ET.indent(detached, space="  ")
    return ET.tostring(detached, encoding="unicode")


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10"`` -> ``(1, 10)``, so that versions compare as numbers; raises :class:`XmlProblem`."""
    if not _VERSION.match(version):
        raise XmlProblem(None, f"'{version}' is not a Task Scheduler schema version (like 1.2, 1.3, 1.4, 1.6)")
    return tuple(int(part) for part in version.split("."))
