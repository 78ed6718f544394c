# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task options, in one table: every option a task spec takes, its type, default and words.

The spec readers take their option names from it (which keys a section accepts, which trigger
types take which key), and ``make docs`` (``tests/tools/render_options.py``) writes from it the
doc fragment ``plugins/doc_fragments/task.py``, the task options of the role's
``meta/argument_specs.yml`` and the tables of ``docs/task-options.md``; a test fails when one
of them differs from what the table gives. Defaults and choices come from :mod:`model`, which
the readers use too, so a default is written once. A range (``low``, ``high``: priority 0 to 10,
at most 48 triggers) is the table's alone: the readers check it (:func:`int_range`,
:func:`duration_range`, :func:`most_items`) and the generated docs state it, so a description
never repeats it. Adding a setting: the model, the XML
(``taskxml``), its reader in ``spec``, and its row here.

``description`` is the documentation (Ansible markup: C(), O(), V()), ``summary`` the
Markdown cell of the page's table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import KW_ONLY, dataclass
from enum import Enum
from typing import Literal

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import model
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import MAX_NAME_LENGTH
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_duration

__all__ = [
    "COMPATIBILITY_VERSIONS",
    "TASK_OPTIONS",
    "Bound",
    "Option",
    "OptionType",
    "duration_range",
    "int_range",
    "keys_at",
    "most_items",
    "option_at",
    "trigger_keys",
]

OptionType = Literal["str", "int", "bool", "list", "dict", "raw"]
# A limit of an option: a number for an ``int`` option and a list's length, a duration for a
# ``str`` option that takes one.
Bound = int | dt.timedelta


@dataclass(frozen=True)
class Option:
    """One option of a task spec (or of a job, :mod:`jobs.options`), as Ansible documents options (plus the page's summary)."""

    name: str
    type: OptionType
    _keywords: KW_ONLY  # the rest by name
    description: tuple[str, ...]
    summary: str = ""
    elements: OptionType | None = None
    required: bool = False
    default: str | int | bool | dict[str, object] | None = None  # None: no default (an omitted option is absent)
    choices: tuple[str, ...] = ()
    choice_summaries: tuple[tuple[str, str], ...] = ()  # (choice, what it means), for the page's table
    no_log: bool = False
    # A trigger's option: the types that take it; empty, every type.
    trigger_types: tuple[str, ...] = ()
    suboptions: tuple[Option, ...] = ()
    # The range the readers check and the docs state: the least and the most value of an ``int``,
    # the shortest and the longest duration of a ``str`` duration, the most items of a ``list``.
    low: Bound | None = None
    high: Bound | None = None

    def __post_init__(self) -> None:
        kinds = {"int": int, "list": int, "str": dt.timedelta}
        for bound in (self.low, self.high):
            if bound is not None and (self.type not in kinds or not isinstance(bound, kinds[self.type]) or isinstance(bound, bool)):
                raise TypeError(f"option {self.name} ({self.type}) cannot have the bound {bound!r}")
        if self.type == "list" and self.low is not None:
            raise TypeError(f"option {self.name}: a list's fewest items are said by required, not low")


# The Windows release that introduced each Task/@version, as a user thinks of it.
COMPATIBILITY_VERSIONS = {"vista": "1.2", "win7": "1.3", "win8": "1.4", "win10": "1.6"}
_SETTINGS = model.Settings()
# A repetition's interval, as Task Scheduler takes it (RepetitionType/Interval); every says it too.
_REPEAT_LOW, _REPEAT_HIGH = dt.timedelta(minutes=1), dt.timedelta(days=31)
# Regular maintenance runs at most daily (MaintenanceSettings/Period).
_MAINTENANCE_LOW = dt.timedelta(days=1)
_IDLE = model.IdleSettings()


def _words(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(item.value) for item in enum)


def _flag_default(cls: type[object], name: str) -> bool:
    """The default of a boolean field of a model class that has required fields too."""
    default = next(item.default for item in dataclasses.fields(cls) if item.name == name)  # type: ignore[arg-type]
    if not isinstance(default, bool):
        raise TypeError(f"{cls.__name__}.{name} has no boolean default")
    return default


TASK_OPTIONS: tuple[Option, ...] = (
    Option(
        "name",
        "str",
        description=(
            "Name of the task, as shown in Task Scheduler (for example C(Synchro Stock)).",
            f'1 to {MAX_NAME_LENGTH} characters; none of C(\\ / : * ? " < > |); not C(.) or C(..), not a Windows device name such as C(CON) or C(NUL), and no '
            "leading or trailing space or trailing dot.",
            "Task names are case-insensitive on Windows.",
        ),
        summary=(
            f'1 to {MAX_NAME_LENGTH} characters; none of `\\ / : * ? " < > \\|`; not `.` or `..` nor a device name (`CON`, `NUL`, `COM1`...); no '
            "leading/trailing space, no trailing dot. Case-insensitive on Windows."
        ),
        required=True,
    ),
    Option(
        "folder",
        "str",
        description=(
            "Task Scheduler folder holding the task. C(\\) is the root folder, C(\\Isotools) a folder under it; a trailing C(\\) is ignored and a "
            "missing leading C(\\) is added.",
            "Each folder name follows the rules of O(name). Folders are case-insensitive on Windows.",
            "Write it in single quotes in YAML (C('\\Isotools')) so the backslash stays a backslash.",
        ),
        summary="`\\Isotools`, `\\Isotools\\Prod`; a trailing `\\` is dropped and a missing leading one added. Each folder name follows the rules of `name`.",
        default="\\",
    ),
    Option(
        "description",
        "str",
        description=("Free text shown on the task's General tab (C(RegistrationInfo/Description)).",),
        summary="free text shown on the General tab (RegistrationInfo/Description)",
    ),
    Option(
        "author",
        "str",
        description=("Author shown on the task's General tab (C(RegistrationInfo/Author)).",),
        summary="the author shown on the General tab (RegistrationInfo/Author)",
    ),
    Option(
        "documentation",
        "str",
        description=("Free text kept with the task (C(RegistrationInfo/Documentation)), for example where its procedure is written down.",),
        summary="free text kept with the task (RegistrationInfo/Documentation)",
    ),
    Option(
        "actions",
        "list",
        description=(
            "The programs the task starts, in order, at least one. The order matters.",
            "Only C(Exec) actions (start a program) are supported.",
        ),
        summary="the programs, run in order, at least one ([Actions](#actions))",
        elements="dict",
        required=True,
        high=32,
        suboptions=(
            Option(
                "command",
                "str",
                description=(
                    "The program to start, alone, for example C(C:\\Windows\\System32\\cmd.exe).",
                    "Put its arguments in O(actions[].arguments); a command such as C(C:\\Windows\\System32\\cmd.exe /k synchro.bat) is refused with "
                    "the split to write.",
                    "C(%VARIABLE%) references are expanded by Windows on the host.",
                ),
                summary=(
                    'the program alone (`C:\\Windows\\System32\\cmd.exe`, `powershell.exe`, `"C:\\Program Files\\x\\y.exe"`). `%VARIABLE%` is '
                    "expanded on the host."
                ),
                required=True,
            ),
            Option(
                "arguments",
                "str",
                description=(
                    "The command line arguments, as one string, for example C(/k synchro.bat & exit).",
                    "C(&), C(<), C(>) and quotes are passed as they are.",
                ),
                summary="the arguments as one string; `&`, `<`, `>` and quotes are data (`/k synchro.bat & exit` is kept as written).",
            ),
            Option(
                "working_directory",
                "str",
                description=(
                    'The folder the program starts in (the task\'s "Start in"), so that a script can call its neighbours by name, for example '
                    "C(D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\).",
                    "Absolute: C(X:\\...), a UNC path C(\\\\server\\share\\...), or C(%VARIABLE%\\...); without quotes and with backslashes "
                    "(C(D://Isotools/...) is refused with the path to write).",
                ),
                summary='"Start in": absolute, `X:\\...`, `\\\\server\\share\\...` or `%VARIABLE%\\...`; no quotes, no `/`.',
            ),
            Option(
                "id",
                "str",
                description=("Optional identifier of the action, unique among the task's actions.",),
                summary="optional identifier, unique among the actions.",
            ),
        ),
    ),
    Option(
        "triggers",
        "list",
        description=(
            "When the task starts. The triggers form a set; their order does not matter.",
            "Without triggers the task only runs on demand.",
            "Calendar triggers (V(once), V(daily), V(weekly), V(monthly), V(monthly_dow)) need a start, O(triggers[].at) or O(triggers[].start_boundary).",
            "Durations are written C(15m), C(1h30m), C(2d), C(90s), C(1w) or in ISO 8601 (C(PT15M), C(P1D)); a bare number is refused because it "
            "could mean minutes or seconds.",
        ),
        summary="a set (order has no meaning); without triggers the task runs on demand only ([Triggers](#triggers))",
        elements="dict",
        high=48,
        suboptions=(
            Option(
                "type",
                "str",
                description=(
                    "The kind of trigger.",
                    "V(once) runs at the start time; V(daily), V(weekly), V(monthly) (days of the month) and V(monthly_dow) (days of given weeks of"
                    " the month) repeat from it.",
                    "V(boot) runs at system start, V(logon) when a user logs on, V(idle) when the computer becomes idle, V(registration) when the "
                    "task is created or changed, V(session_state_change) on a session connect/disconnect/lock/unlock, V(event) when an event log "
                    "entry matches O(triggers[].subscription).",
                ),
                summary="the kind of trigger (below)",
                required=True,
                choices=tuple(model.TRIGGER_TYPES),
                choice_summaries=(
                    ("once", "the start time"),
                    ("daily", "every `days_interval` days at the start time"),
                    ("weekly", "every `weeks_interval` weeks on `days_of_week`"),
                    ("monthly", "on `days_of_month` of `months`"),
                    ("monthly_dow", "on `days_of_week` of `weeks` of `months`"),
                    ("boot", "system start"),
                    ("logon", "a user logs on (`user`, or any user)"),
                    ("idle", "the computer becomes idle (see `settings.idle_settings`)"),
                    ("registration", "the task is created or changed"),
                    ("session_state_change", "a session is connected, disconnected, locked or unlocked (`state_change`)"),
                    ("event", "an event log entry matches `subscription`"),
                ),
            ),
            Option(
                "id",
                "str",
                description=("Optional identifier of the trigger, unique among the task's triggers.",),
                summary="identifier, unique among the triggers",
            ),
            Option(
                "enabled",
                "bool",
                description=("Whether the trigger is active.",),
                summary="whether the trigger is active",
                default=model.TriggerBase().enabled,
            ),
            Option(
                "start_boundary",
                "str",
                description=(
                    "When the trigger is activated, in ISO 8601, for example C(2026-01-01T06:00:00).",
                    "Without an offset the time is the host's local time; with C(Z) or C(+01:00) it is synchronised across time zones. Windows "
                    "keeps the difference, and so does the task.",
                    "For calendar triggers the time of day is when the task runs.",
                    'Mutually exclusive with O(triggers[].at). Never defaults to "now".',
                ),
                summary="when the trigger is activated, ISO 8601; a calendar trigger needs it or `at`, and runs at its time of day",
            ),
            Option(
                "at",
                "str",
                description=(
                    "Friendly start time for calendar triggers, C(HH:MM) (24-hour clock). It means that time on the fixed date 2020-01-01, so the "
                    "schedule is active at once and the task does not change from one run to the next.",
                    "C(YYYY-MM-DD HH:MM) starts on a given day instead.",
                    "Quote it in YAML (C('06:00')); an unquoted C(6:00) is read by YAML as a number.",
                    "Mutually exclusive with O(triggers[].start_boundary).",
                ),
                summary="friendly start: `'06:00'` (on 2020-01-01) or `'2026-03-01 06:00'`; not together with `start_boundary`",
                trigger_types=("once", "daily", "weekly", "monthly", "monthly_dow"),
            ),
            Option(
                "end_boundary",
                "str",
                description=(
                    "When the trigger expires, in ISO 8601; not before the start.",
                    "Both boundaries must be of the same kind, both local (no offset) or both synchronised (C(Z) or an offset).",
                ),
                summary="when it expires; not before the start, and of the same kind (both local or both with an offset)",
            ),
            Option(
                "execution_time_limit",
                "str",
                description=("Longest run of the task when started by this trigger (a duration).",),
                summary="longest run when started by this trigger",
            ),
            Option(
                "delay",
                "str",
                description=(
                    "Wait this long after the event before starting (a duration).",
                    "Only for V(boot), V(logon), V(registration), V(session_state_change) and V(event) triggers; calendar triggers take "
                    "O(triggers[].random_delay).",
                ),
                summary="wait this long after the event before starting",
                trigger_types=("boot", "logon", "registration", "session_state_change", "event"),
            ),
            Option(
                "random_delay",
                "str",
                description=(
                    "Start at a random moment up to this long after the scheduled time (a duration).",
                    "Only for V(once), V(daily), V(weekly), V(monthly) and V(monthly_dow) triggers.",
                ),
                summary="start up to this long after the scheduled time, at random",
                trigger_types=("once", "daily", "weekly", "monthly", "monthly_dow"),
            ),
            Option(
                "repetition",
                "dict",
                description=(
                    "Repeat the task after each start. The friendly O(triggers[].every), O(triggers[].until) and O(triggers[].for) say the same and"
                    " cannot be combined with it.",
                ),
                summary="repeat after each start: `{interval, duration, stop_at_duration_end}` ([Repetition](#repetition))",
                suboptions=(
                    Option(
                        "interval",
                        "str",
                        description=("Time between two starts.",),
                        required=True,
                        low=_REPEAT_LOW,
                        high=_REPEAT_HIGH,
                    ),
                    Option(
                        "duration",
                        "str",
                        description=("How long to keep repeating, at least the interval. Omitted, it repeats indefinitely.",),
                    ),
                    Option(
                        "stop_at_duration_end",
                        "bool",
                        description=("Stop a running instance when the repetition duration ends.",),
                        default=_flag_default(model.Repetition, "stop_at_duration_end"),
                    ),
                ),
            ),
            Option(
                "every",
                "str",
                description=("Friendly O(triggers[].repetition.interval), for example C(15m).",),
                summary="friendly `repetition.interval` (`15m`)",
                low=_REPEAT_LOW,
                high=_REPEAT_HIGH,
            ),
            Option(
                "until",
                "str",
                description=(
                    "Friendly end of the repetition, a time of day later than the start on the same day, for example C('22:00'); it sets "
                    "O(triggers[].repetition.duration) to the time between the start and this time. Needs O(triggers[].every).",
                    "Mutually exclusive with O(triggers[].for).",
                ),
                summary="friendly end of the repetition, a later time of day the same day (`'22:00'`); needs `every`, not with `for`",
            ),
            Option(
                "for",
                "str",
                description=("Friendly O(triggers[].repetition.duration), for example C(16h). Needs O(triggers[].every).",),
                summary="friendly `repetition.duration` (`16h`); needs `every`",
            ),
            Option(
                "days_interval",
                "int",
                description=("V(daily) triggers run every this many days.",),
                summary="every this many days",
                default=model.DailyTrigger().days_interval,
                low=1,
                high=365,
                trigger_types=("daily",),
            ),
            Option(
                "weeks_interval",
                "int",
                description=("V(weekly) triggers run every this many weeks.",),
                summary="every this many weeks",
                default=model.WeeklyTrigger().weeks_interval,
                low=1,
                high=52,
                trigger_types=("weekly",),
            ),
            Option(
                "days_of_week",
                "list",
                description=(
                    "Required by V(weekly) and V(monthly_dow) triggers, the days the task runs.",
                    "Each one of C(monday), C(tuesday), C(wednesday), C(thursday), C(friday), C(saturday), C(sunday), or its first three letters (C(mon)).",
                ),
                summary="required: the weekdays (`mon` .. `sun`, or full names)",
                elements="str",
                trigger_types=("weekly", "monthly_dow"),
            ),
            Option(
                "months",
                "list",
                description=(
                    "The months V(monthly) and V(monthly_dow) triggers run in; all twelve when omitted.",
                    "Each one of C(january) ... C(december), or its first three letters (C(jan)).",
                ),
                summary="the months (`jan` .. `dec`, or full names); all twelve when omitted",
                elements="str",
                trigger_types=("monthly", "monthly_dow"),
            ),
            Option(
                "days_of_month",
                "list",
                description=(
                    "Required by V(monthly) triggers, the days of the month the task runs, 1 to 31, and/or C(last) for the last day of each month, "
                    "for example C([1, 15, last]).",
                ),
                summary="required: days 1..31 and/or `last` (`[1, 15, last]`)",
                elements="raw",
                trigger_types=("monthly",),
            ),
            Option(
                "weeks",
                "list",
                description=(
                    "Required by V(monthly_dow) triggers, the weeks of the month the task runs in.",
                    "Each one of C(1), C(2), C(3), C(4) or C(last).",
                ),
                summary="required: the weeks of the month, `1`..`4` and/or `last`",
                elements="raw",
                trigger_types=("monthly_dow",),
            ),
            Option(
                "user",
                "str",
                description=(
                    "V(logon) and V(session_state_change) triggers only react to this user (C(name), C(DOMAIN\\name) or C(name@domain)); any user "
                    "when omitted.",
                ),
                summary="only this user's logon or session (`name`, `DOMAIN\\name`, `name@domain`); any user when omitted",
                trigger_types=("logon", "session_state_change"),
            ),
            Option(
                "state_change",
                "str",
                description=("Required by V(session_state_change) triggers, the change they react to.",),
                summary="required: the session change",
                choices=_words(model.SessionStateChange),
                trigger_types=("session_state_change",),
            ),
            Option(
                "subscription",
                "str",
                description=(
                    'Required by V(event) triggers, the event query as Event Viewer writes it (C(<QueryList><Query Id="0" '
                    'Path="System">...</Query></QueryList>)).',
                ),
                summary="required: the event query, an Event Viewer `<QueryList>`",
                trigger_types=("event",),
            ),
            Option(
                "value_queries",
                "dict",
                description=("V(event) triggers, named values to take from the event (name to XPath), usable as C($(name)) in the action's arguments.",),
                summary="`name: XPath` values of the event, usable as `$(name)` in the arguments",
                trigger_types=("event",),
            ),
        ),
    ),
    Option(
        "principal",
        "dict",
        description=("The account the task runs as, and how it logs on. When omitted, Windows runs the task as the account that registers it.",),
        summary="the account and how it logs on ([Principal](#principal)). Omitted: the account that registers the task.",
        suboptions=(
            Option(
                "user",
                "str",
                description=(
                    "The account, as C(name), C(DOMAIN\\name), C(name@domain) or a SID. C(SYSTEM), C(NT AUTHORITY\\SYSTEM) and C(S-1-5-18) are one "
                    "account (likewise LOCAL SERVICE, NETWORK SERVICE). A name ending in C($) is a group managed service account (gMSA), "
                    "and so is a SID the host names so.",
                    "Mutually exclusive with O(principal.group).",
                ),
                summary=(
                    "`name`, `DOMAIN\\name`, `name@domain` or a SID. `SYSTEM`, `NT AUTHORITY\\SYSTEM` and `S-1-5-18` are one account (likewise "
                    "LOCAL SERVICE `S-1-5-19`, NETWORK SERVICE `S-1-5-20`). A name ending in `$` is a group managed service account (gMSA), "
                    "and so is a SID the host names so (its read gives the name)."
                ),
            ),
            Option(
                "group",
                "str",
                description=(
                    "Run for any logged-on member of this group, for example C(BUILTIN\\Users).",
                    "Mutually exclusive with O(principal.user).",
                ),
                summary="any logged-on member of this group (`BUILTIN\\Users`); not together with `user`",
            ),
            Option(
                "logon_type",
                "str",
                description=(
                    'V(password) runs whether the user is logged on or not, with the password stored by Windows ("Run whether user is logged on or '
                    'not"); give O(principal.password) when the task is created or the password changes.',
                    "V(s4u) runs whether the user is logged on or not without storing a password (no access to network resources).",
                    "V(interactive_token) runs only while the user is logged on, in their session.",
                    "V(interactive_token_or_password) runs in the user's session when logged on, else with the stored password.",
                    "V(service_account) is for C(SYSTEM), C(LOCAL SERVICE) and C(NETWORK SERVICE) only.",
                    "V(group) is for O(principal.group) only.",
                    "Default: V(service_account) for SYSTEM, LOCAL SERVICE and NETWORK SERVICE; V(group) when O(principal.group) is set; "
                    "V(password) for a gMSA; else V(interactive_token).",
                ),
                summary="how the account logs on (below)",
                choices=_words(model.LogonType),
            ),
            Option(
                "password",
                "str",
                description=(
                    "The account's password, for O(principal.logon_type=password) and O(principal.logon_type=interactive_token_or_password) only. "
                    "Refused for V(s4u), V(service_account), V(group) and gMSAs, which have no password to give.",
                    "Secret (C(no_log)) - it never appears in output, diffs, results or error messages, and it is not part of the task definition "
                    "that is compared.",
                    "A string as written - quote it in YAML. A value YAML read as a number or a boolean (an unquoted C(12:34:56) is the base-60 "
                    "number 45296) is refused, the value never shown.",
                    "Windows cannot give a stored password back, so setting it does not report a change on every run; change O(password_version) to"
                    " store a new one.",
                ),
                summary="the account's password; secret ([Passwords](#passwords))",
            ),
            Option(
                "run_level",
                "str",
                description=('V(highest) runs with the account\'s highest privileges ("Run with highest privileges"); V(limited) with standard ones.',),
                summary='`highest` is "Run with highest privileges"',
                default=model.Principal().run_level.value,
                choices=_words(model.RunLevel),
            ),
            Option(
                "display_name",
                "str",
                description=("Display name of the principal.",),
                summary="display name of the principal",
            ),
        ),
    ),
    Option(
        "settings",
        "dict",
        description=("The task's conditions and settings. Every key is optional; an omitted key keeps Windows' own default.",),
        summary="conditions and settings; every key optional ([Settings](#settings)).",
        suboptions=(
            Option(
                "multiple_instances",
                "str",
                description=("What to do when the task is started while it already runs.",),
                summary="when started while running",
                default=_SETTINGS.multiple_instances.value,
                choices=_words(model.MultipleInstances),
            ),
            Option(
                "disallow_start_if_on_batteries",
                "bool",
                description=("Do not start the task while the computer runs on batteries.",),
                summary="do not start on batteries",
                default=_SETTINGS.disallow_start_if_on_batteries,
            ),
            Option(
                "stop_if_going_on_batteries",
                "bool",
                description=("Stop the task when the computer switches to batteries.",),
                summary="stop when switching to batteries",
                default=_SETTINGS.stop_if_going_on_batteries,
            ),
            Option(
                "allow_hard_terminate",
                "bool",
                description=("Allow the task to be terminated when it does not stop on request.",),
                summary="allow the task to be killed",
                default=_SETTINGS.allow_hard_terminate,
            ),
            Option(
                "start_when_available",
                "bool",
                description=("Run the task as soon as possible after a scheduled start was missed.",),
                summary="run as soon as possible after a missed start",
                default=_SETTINGS.start_when_available,
            ),
            Option(
                "run_only_if_network_available",
                "bool",
                description=("Start only when a network connection (see O(settings.network_profile)) is available.",),
                summary="start only with a network (`network_profile`)",
                default=_SETTINGS.run_only_if_network_available,
            ),
            Option(
                "network_profile",
                "dict",
                description=("The network connection O(settings.run_only_if_network_available) waits for.",),
                summary="`{name: ..., id: <GUID>}`",
                suboptions=(
                    Option(
                        "name",
                        "str",
                        description=("Name of the network profile.",),
                    ),
                    Option(
                        "id",
                        "str",
                        description=("GUID of the network profile.",),
                    ),
                ),
            ),
            Option(
                "idle_settings",
                "dict",
                description=("How the task behaves around idle time (for V(idle) triggers and O(settings.run_only_if_idle)).",),
                summary="`{duration, wait_timeout, stop_on_idle_end: true, restart_on_idle: false}`",
                suboptions=(
                    Option(
                        "duration",
                        "str",
                        description=("How long the computer must be idle before the task starts (a duration).",),
                    ),
                    Option(
                        "wait_timeout",
                        "str",
                        description=("How long to wait for the computer to become idle (a duration).",),
                    ),
                    Option(
                        "stop_on_idle_end",
                        "bool",
                        description=("Stop the task when the computer stops being idle.",),
                        default=_IDLE.stop_on_idle_end,
                    ),
                    Option(
                        "restart_on_idle",
                        "bool",
                        description=("Start the task again when the computer becomes idle again.",),
                        default=_IDLE.restart_on_idle,
                    ),
                ),
            ),
            Option(
                "allow_demand_start",
                "bool",
                description=('Allow the task to be run on demand ("Run" in Task Scheduler, or win_sync_task_info).',),
                summary='allow "Run" on demand',
                default=_SETTINGS.allow_demand_start,
            ),
            Option(
                "enabled",
                "bool",
                description=("Whether the task is enabled.",),
                summary="the task is enabled",
                default=_SETTINGS.enabled,
            ),
            Option(
                "hidden",
                "bool",
                description=("Hide the task in the Task Scheduler window.",),
                summary="hidden in the Task Scheduler window",
                default=_SETTINGS.hidden,
            ),
            Option(
                "run_only_if_idle",
                "bool",
                description=("Start only while the computer is idle.",),
                summary="start only when idle",
                default=_SETTINGS.run_only_if_idle,
            ),
            Option(
                "wake_to_run",
                "bool",
                description=("Wake the computer to run the task.",),
                summary="wake the computer to run",
                default=_SETTINGS.wake_to_run,
            ),
            Option(
                "execution_time_limit",
                "str",
                description=("Stop the task when it runs longer than this (a duration); C(PT0S) means no limit.",),
                summary="stop after this long; `PT0S` means no limit",
                default=format_duration(_SETTINGS.execution_time_limit),
            ),
            Option(
                "priority",
                "int",
                description=("Priority of the task's process, the lowest number the highest priority; 7 is Windows' default for background tasks.",),
                summary="the lowest number the highest priority",
                default=_SETTINGS.priority,
                low=0,
                high=10,
            ),
            Option(
                "delete_expired_task_after",
                "str",
                description=("Delete the task this long after it expires (a duration). Needs an O(triggers[].end_boundary) on at least one trigger.",),
                summary="delete the task this long after it expires; needs an `end_boundary` on a trigger",
            ),
            Option(
                "restart_on_failure",
                "dict",
                description=("Restart the task when it fails.",),
                summary="`{interval, count}`, both required",
                suboptions=(
                    Option(
                        "interval",
                        "str",
                        description=("Time between restarts.",),
                        required=True,
                        low=dt.timedelta(minutes=1),
                        high=dt.timedelta(days=31),
                    ),
                    Option(
                        "count",
                        "int",
                        description=("How many restarts to attempt.",),
                        required=True,
                        low=1,
                        high=999,
                    ),
                ),
            ),
            Option(
                "disallow_start_on_remote_app_session",
                "bool",
                description=("Do not start the task in a RemoteApp session.",),
                summary="do not start in a RemoteApp session",
                default=_SETTINGS.disallow_start_on_remote_app_session,
            ),
            Option(
                "use_unified_scheduling_engine",
                "bool",
                description=("Use the unified scheduling engine (Windows 8 and later).",),
                summary="use the unified scheduling engine (Windows 8 and later)",
                default=_SETTINGS.use_unified_scheduling_engine,
            ),
            Option(
                "volatile",
                "bool",
                description=("Disable the task at the next system start.",),
                summary="disable the task at the next system start",
                default=_SETTINGS.volatile,
            ),
            Option(
                "maintenance",
                "dict",
                description=("Run the task during Windows automatic maintenance (Windows 8 and later).",),
                summary="`{period (required), deadline: > period, exclusive: false}` (automatic maintenance)",
                suboptions=(
                    Option(
                        "period",
                        "str",
                        description=("How often the task must run during regular maintenance.",),
                        required=True,
                        low=_MAINTENANCE_LOW,
                    ),
                    Option(
                        "deadline",
                        "str",
                        description=("Run during emergency maintenance when the task has not run for this long; longer than O(settings.maintenance.period).",),
                        low=_MAINTENANCE_LOW,
                    ),
                    Option(
                        "exclusive",
                        "bool",
                        description=("Run alone, not together with other maintenance tasks.",),
                        default=_flag_default(model.MaintenanceSettings, "exclusive"),
                    ),
                ),
            ),
            Option(
                "compatibility",
                "str",
                description=(
                    'The oldest Windows the task must stay readable on (the "Configure for" setting), V(vista) (task version 1.2), V(win7) (1.3), '
                    "V(win8) (1.4) or V(win10) (1.6).",
                    "The task is written with this version or the lowest one its settings need, whichever is higher. Omitted, only what the settings need.",
                ),
                summary=(
                    'oldest Windows the task must stay readable on ("Configure for"); the task is written with that version or what its '
                    "settings need, whichever is higher"
                ),
                choices=tuple(COMPATIBILITY_VERSIONS),
            ),
        ),
    ),
    Option(
        "password_version",
        "str",
        description=(
            "A label of your choice for the password given in O(principal.password), recorded with the task (for example C(2026-03) or a vault "
            "secret's version).",
            "Windows cannot give a stored password back, so giving the same password again is not a change. To store a new password, change this "
            "label; the task then differs from the label recorded with it and is registered again, with the password.",
            "Only a logon that stores a password (V(password) or V(interactive_token_or_password) of a user) takes the label; for any other "
            "(SYSTEM, a gMSA, S4U, a group) it is ignored, and changing it registers nothing again.",
        ),
        summary="your label for the password given in `principal.password` ([Passwords](#passwords)).",
    ),
)


def option_at(path: str, table: tuple[Option, ...] | None = None) -> Option:
    """The option at a dotted path of ``table`` (the task options' by default): ``settings``,
    ``settings.maintenance``, ``triggers.repetition``."""
    options, found = TASK_OPTIONS if table is None else table, None
    for name in path.split("."):
        found = next((option for option in options if option.name == name), None)
        if found is None:
            raise KeyError(f"no option {path}")
        options = found.suboptions
    if found is None:
        raise KeyError("no option at an empty path")
    return found


def int_range(path: str, table: tuple[Option, ...] | None = None) -> tuple[int, int]:
    """The least and the most value of the ``int`` option at ``path``, as the readers check it."""
    option = option_at(path, table)
    if not isinstance(option.low, int) or not isinstance(option.high, int):
        raise TypeError(f"option {path} has no range of whole numbers")
    return option.low, option.high


def duration_range(path: str, table: tuple[Option, ...] | None = None) -> tuple[dt.timedelta | None, dt.timedelta | None]:
    """The shortest and the longest duration the option at ``path`` takes (``None``: no limit)."""
    option = option_at(path, table)
    if isinstance(option.low, int) or isinstance(option.high, int):
        raise TypeError(f"option {path} is no duration")
    return option.low, option.high


def most_items(path: str, table: tuple[Option, ...] | None = None) -> int:
    """How many items the list option at ``path`` takes at most (Task Scheduler's limit)."""
    option = option_at(path, table)
    if option.type != "list" or not isinstance(option.high, int):
        raise TypeError(f"option {path} is no list with a limit")
    return option.high


def keys_at(path: str, table: tuple[Option, ...] | None = None) -> tuple[str, ...]:
    """The option names of the mapping at ``path`` of ``table`` (``""``: the top level), in table order."""
    options = option_at(path, table).suboptions if path else (TASK_OPTIONS if table is None else table)
    return tuple(option.name for option in options)


def trigger_keys() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The keys every trigger takes, and those each type takes besides."""
    options = option_at("triggers").suboptions
    common = tuple(option.name for option in options if not option.trigger_types)
    by_type = {name: tuple(option.name for option in options if name in option.trigger_types) for name in option_at("triggers.type").choices}
    return common, by_type
