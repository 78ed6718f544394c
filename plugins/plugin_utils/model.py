# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task definition model: what a Task Scheduler task means, independent of its XML.

Every value is immutable and hashable, so definitions can be compared, put in sets and
used as keys. Absent optional values are ``None``; Windows' documented defaults are spelled
out as field defaults, so a definition read from a sparse XML and one read from a full
Windows export compare equal when they mean the same thing.

Durations are :class:`datetime.timedelta` (``timedelta(0)`` is Windows' ``PT0S``, "no
limit" where the field allows it). Boundaries are :class:`datetime.datetime`: naive means
host-local time, aware (offset or ``Z``) means "synchronise across time zones"; the two are
never equal, which is what Windows means by them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import ClassVar

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_gmsa_name

__all__ = [
    "NAMESPACE",
    "OWNER_MARKER",
    "LogonType",
    "RunLevel",
    "MultipleInstances",
    "SessionStateChange",
    "WEEKDAYS",
    "MONTHS",
    "WEEKS_OF_MONTH",
    "Repetition",
    "TriggerBase",
    "TimeTrigger",
    "DailyTrigger",
    "WeeklyTrigger",
    "MonthlyTrigger",
    "MonthlyDayOfWeekTrigger",
    "BootTrigger",
    "LogonTrigger",
    "IdleTrigger",
    "RegistrationTrigger",
    "SessionStateChangeTrigger",
    "EventTrigger",
    "UnsupportedTrigger",
    "Trigger",
    "TRIGGER_TYPES",
    "ExecAction",
    "UnsupportedAction",
    "Action",
    "Principal",
    "IdleSettings",
    "RestartOnFailure",
    "MaintenanceSettings",
    "NetworkSettings",
    "Settings",
    "RegistrationInfo",
    "Ownership",
    "TaskDefinition",
    "UnknownElement",
]

NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"

# RegistrationInfo/Source of every task this collection registers starts with this; it is how a
# later run (and a prune) recognises the tasks it owns.
OWNER_MARKER = "isotools.shop_sync"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Weeks of a month as Task Scheduler names them; "last" is the last week of the month.
WEEKS_OF_MONTH = ("1", "2", "3", "4", "last")


class LogonType(str, enum.Enum):
    """How the task's account logs on (``Principal/LogonType``, COM TASK_LOGON_TYPE)."""

    PASSWORD = "password"  # "run whether the user is logged on or not", password stored
    S4U = "s4u"  # same, no password stored (no network credentials)
    INTERACTIVE_TOKEN = "interactive_token"  # only when the user is logged on
    INTERACTIVE_TOKEN_OR_PASSWORD = "interactive_token_or_password"
    SERVICE_ACCOUNT = "service_account"  # SYSTEM, LOCAL SERVICE, NETWORK SERVICE
    GROUP = "group"  # any logged-on member of a group


class RunLevel(str, enum.Enum):
    LIMITED = "limited"  # LeastPrivilege
    HIGHEST = "highest"  # HighestAvailable


class MultipleInstances(str, enum.Enum):
    PARALLEL = "parallel"
    QUEUE = "queue"
    IGNORE_NEW = "ignore_new"
    STOP_EXISTING = "stop_existing"


class SessionStateChange(str, enum.Enum):
    CONSOLE_CONNECT = "console_connect"
    CONSOLE_DISCONNECT = "console_disconnect"
    REMOTE_CONNECT = "remote_connect"
    REMOTE_DISCONNECT = "remote_disconnect"
    SESSION_LOCK = "session_lock"
    SESSION_UNLOCK = "session_unlock"


@dataclass(frozen=True)
class UnknownElement:
    """An element the model does not know, kept verbatim so it is never lost.

    ``parent`` is the path of the element that contained it (``"Settings"``,
    ``"Triggers/CalendarTrigger[0]"``); ``xml`` is its serialised text.
    """

    parent: str
    tag: str
    xml: str


@dataclass(frozen=True, kw_only=True)
class Repetition:
    interval: dt.timedelta
    duration: dt.timedelta | None = None  # None: repeat indefinitely
    stop_at_duration_end: bool = False


@dataclass(frozen=True, kw_only=True)
class TriggerBase:
    """Fields every trigger has (``triggerBaseType``)."""

    TYPE: ClassVar[str] = ""
    id: str | None = None
    enabled: bool = True
    start_boundary: dt.datetime | None = None
    end_boundary: dt.datetime | None = None
    execution_time_limit: dt.timedelta | None = None
    repetition: Repetition | None = None


@dataclass(frozen=True, kw_only=True)
class TimeTrigger(TriggerBase):
    """Once, at ``start_boundary``."""

    TYPE: ClassVar[str] = "once"
    random_delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class DailyTrigger(TriggerBase):
    TYPE: ClassVar[str] = "daily"
    days_interval: int = 1
    random_delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class WeeklyTrigger(TriggerBase):
    TYPE: ClassVar[str] = "weekly"
    weeks_interval: int = 1
    days_of_week: frozenset[str] = frozenset()  # names from WEEKDAYS
    random_delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class MonthlyTrigger(TriggerBase):
    TYPE: ClassVar[str] = "monthly"
    months: frozenset[str] = frozenset(MONTHS)  # names from MONTHS
    days_of_month: frozenset[int] = frozenset()  # 1..31
    last_day_of_month: bool = False
    random_delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class MonthlyDayOfWeekTrigger(TriggerBase):
    TYPE: ClassVar[str] = "monthly_dow"
    months: frozenset[str] = frozenset(MONTHS)
    weeks: frozenset[str] = frozenset()  # values from WEEKS_OF_MONTH
    days_of_week: frozenset[str] = frozenset()
    random_delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class BootTrigger(TriggerBase):
    TYPE: ClassVar[str] = "boot"
    delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class LogonTrigger(TriggerBase):
    TYPE: ClassVar[str] = "logon"
    user_id: str | None = None  # None: any user
    user_sid: str | None = None  # resolved on the host; compared instead of user_id when known
    delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class IdleTrigger(TriggerBase):
    TYPE: ClassVar[str] = "idle"


@dataclass(frozen=True, kw_only=True)
class RegistrationTrigger(TriggerBase):
    TYPE: ClassVar[str] = "registration"
    delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class SessionStateChangeTrigger(TriggerBase):
    TYPE: ClassVar[str] = "session_state_change"
    state_change: SessionStateChange = SessionStateChange.CONSOLE_CONNECT
    user_id: str | None = None
    user_sid: str | None = None
    delay: dt.timedelta | None = None


@dataclass(frozen=True, kw_only=True)
class EventTrigger(TriggerBase):
    TYPE: ClassVar[str] = "event"
    subscription: str = ""
    delay: dt.timedelta | None = None
    # name -> XPath; a tuple of pairs sorted by name so that it is hashable and order-free
    value_queries: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class UnsupportedTrigger(TriggerBase):
    """A trigger the model cannot express (e.g. ``WnfStateChangeTrigger``), kept verbatim."""

    TYPE: ClassVar[str] = "unsupported"
    tag: str = ""
    xml: str = ""


Trigger = (
    TimeTrigger
    | DailyTrigger
    | WeeklyTrigger
    | MonthlyTrigger
    | MonthlyDayOfWeekTrigger
    | BootTrigger
    | LogonTrigger
    | IdleTrigger
    | RegistrationTrigger
    | SessionStateChangeTrigger
    | EventTrigger
    | UnsupportedTrigger
)

TRIGGER_TYPES: dict[str, type[TriggerBase]] = {
    cls.TYPE: cls
    for cls in (
        TimeTrigger,
        DailyTrigger,
        WeeklyTrigger,
        MonthlyTrigger,
        MonthlyDayOfWeekTrigger,
        BootTrigger,
        LogonTrigger,
        IdleTrigger,
        RegistrationTrigger,
        SessionStateChangeTrigger,
        EventTrigger,
    )
}


@dataclass(frozen=True, kw_only=True)
class ExecAction:
    command: str
    arguments: str | None = None
    working_directory: str | None = None
    id: str | None = None


@dataclass(frozen=True, kw_only=True)
class UnsupportedAction:
    """ComHandler, SendEmail, ShowMessage: recognised, kept verbatim, reported unsupported."""

    kind: str  # the element name: "ComHandler", "SendEmail", "ShowMessage"
    xml: str
    id: str | None = None


Action = ExecAction | UnsupportedAction


@dataclass(frozen=True, kw_only=True)
class Principal:
    id: str = "Author"
    user_id: str | None = None  # as written: name, DOMAIN\\name, name@domain or a SID
    group_id: str | None = None
    sid: str | None = None  # resolved SID of user_id/group_id, when known; compared by it
    logon_type: LogonType | None = None  # None: Principal/LogonType absent
    run_level: RunLevel = RunLevel.LIMITED
    display_name: str | None = None
    required_privileges: tuple[str, ...] = ()
    process_token_sid_type: str | None = None  # None, Unrestricted, Default

    @property
    def is_gmsa(self) -> bool:
        """A group managed service account (``DOMAIN\\name$``, ``name$@domain``): password logon, no password."""
        return bool(self.user_id and is_gmsa_name(self.user_id))


@dataclass(frozen=True, kw_only=True)
class IdleSettings:
    duration: dt.timedelta | None = None  # Windows' default PT10M, deprecated in 1.3+
    wait_timeout: dt.timedelta | None = None  # Windows' default PT1H, deprecated in 1.3+
    stop_on_idle_end: bool = True
    restart_on_idle: bool = False


@dataclass(frozen=True, kw_only=True)
class RestartOnFailure:
    interval: dt.timedelta
    count: int


@dataclass(frozen=True, kw_only=True)
class MaintenanceSettings:
    period: dt.timedelta
    deadline: dt.timedelta | None = None
    exclusive: bool = False


@dataclass(frozen=True, kw_only=True)
class NetworkSettings:
    name: str | None = None
    id: str | None = None  # GUID of the network profile


@dataclass(frozen=True, kw_only=True)
class Settings:
    multiple_instances: MultipleInstances = MultipleInstances.IGNORE_NEW
    disallow_start_if_on_batteries: bool = True
    stop_if_going_on_batteries: bool = True
    allow_hard_terminate: bool = True
    start_when_available: bool = False
    run_only_if_network_available: bool = False
    network_settings: NetworkSettings | None = None
    idle_settings: IdleSettings = IdleSettings()
    allow_demand_start: bool = True
    enabled: bool = True
    hidden: bool = False
    run_only_if_idle: bool = False
    wake_to_run: bool = False
    execution_time_limit: dt.timedelta = dt.timedelta(hours=72)  # timedelta(0): no limit
    priority: int = 7
    delete_expired_task_after: dt.timedelta | None = None
    restart_on_failure: RestartOnFailure | None = None
    disallow_start_on_remote_app_session: bool = False
    use_unified_scheduling_engine: bool = False
    volatile: bool = False
    maintenance_settings: MaintenanceSettings | None = None
    # Lowest Task/@version to register with ("1.2", "1.3", "1.4", "1.6"); rendering writes the
    # higher of this and what the features used need. None: only what the features need.
    compatibility: str | None = None


@dataclass(frozen=True, kw_only=True)
class RegistrationInfo:
    description: str | None = None
    author: str | None = None
    documentation: str | None = None
    source: str | None = None
    version: str | None = None
    date: str | None = None  # as written; informational, never compared
    uri: str | None = None  # filled in by Windows from the task path; never compared
    security_descriptor: str | None = None


@dataclass(frozen=True, kw_only=True)
class Ownership:
    """What ``RegistrationInfo/Source`` says about who registered the task."""

    owned: bool = False
    password_version: str | None = None  # opaque label of the stored password, for rotation
    owner: str | None = None  # who registered it (ownership.DEFAULT_OWNER for a bare marker); None: not owned


@dataclass(frozen=True, kw_only=True)
class TaskDefinition:
    """One task: where it lives and what it does."""

    name: str
    folder: str = "\\"  # "\\" is the root folder; "\\Isotools" a sub-folder
    registration_info: RegistrationInfo = RegistrationInfo()
    triggers: tuple[Trigger, ...] = ()
    principal: Principal = Principal()
    settings: Settings = Settings()
    actions: tuple[Action, ...] = ()
    actions_context: str | None = None  # Actions/@Context, the principal id the actions run as
    version: str | None = None  # Task/@version as read; rendering computes the lowest needed
    unknown_elements: tuple[UnknownElement, ...] = field(default=())

    @property
    def path(self) -> str:
        """The task's full path, ``\\Folder\\Name`` (``\\Name`` in the root folder)."""
        return self.folder.rstrip("\\") + "\\" + self.name

    @property
    def unsupported_reasons(self) -> tuple[str, ...]:
        """Why this definition cannot be managed from module options (empty when it can)."""
        reasons: list[str] = []
        for index, action in enumerate(self.actions):
            if isinstance(action, UnsupportedAction):
                reasons.append(f"actions[{index}]: {action.kind} actions are not supported (only Exec)")
        for index, trigger in enumerate(self.triggers):
            if isinstance(trigger, UnsupportedTrigger):
                reasons.append(f"triggers[{index}]: {trigger.tag} is not supported")
        for element in self.unknown_elements:
            reasons.append(f"{element.parent}/{element.tag}: element not supported by the model")
        return tuple(reasons)

    @property
    def supported(self) -> bool:
        return not self.unsupported_reasons
