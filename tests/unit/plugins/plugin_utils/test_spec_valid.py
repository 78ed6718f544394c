# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Valid specs, friendly or canonical, become the model values a user means; and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import model
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import (
    AT_ANCHOR_DATE,
    TaskSpec,
    parse_duration_text,
    parse_spec,
    parse_time_of_day,
    spec_from_definition,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import TimeFormatError

CMD = "C:\\Windows\\System32\\cmd.exe"
SEED_DIRECTORY = "D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\"
UTC = dt.timezone.utc
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))

# The knowledge-base task: cmd.exe /k synchro.bat & exit, in the script's folder, daily, "run
# whether the user is logged on or not" with the account's password.
SEED_SPEC: dict[str, object] = {
    "name": "Synchro Isotools Stock",
    "folder": "\\Isotools",
    "description": "Synchronisation du stock de l'ERP vers la boutique",
    "actions": [{"command": CMD, "arguments": "/k synchro.bat & exit", "working_directory": SEED_DIRECTORY}],
    "triggers": [{"type": "daily", "at": "06:00"}],
    "principal": {"user": "ISOTOOLS\\svc_sync", "logon_type": "password", "password": "Sup3r-S3cret"},
    "password_version": "2026-03",
}

SYSTEM_QUERY = '<QueryList><Query Id="0" Path="System"><Select Path="System">*[System[(EventID=41)]]</Select></Query></QueryList>'


def parse(**options: object) -> model.TaskDefinition:
    """The definition of a task named Synchro Stock running cmd.exe, with ``options`` on top."""
    return parse_spec({"name": "Synchro Stock", "actions": [{"command": CMD}], **options}).definition


def trigger(**options: object) -> model.Trigger:
    return parse(triggers=[options]).triggers[0]


def test_seed_task_is_the_knowledge_base_procedure() -> None:
    spec = parse_spec(SEED_SPEC)
    assert spec == TaskSpec(
        definition=model.TaskDefinition(
            name="Synchro Isotools Stock",
            folder="\\Isotools",
            registration_info=model.RegistrationInfo(description="Synchronisation du stock de l'ERP vers la boutique"),
            triggers=(model.DailyTrigger(start_boundary=dt.datetime(2020, 1, 1, 6, 0)),),
            principal=model.Principal(user_id="ISOTOOLS\\svc_sync", logon_type=model.LogonType.PASSWORD),
            actions=(model.ExecAction(command=CMD, arguments="/k synchro.bat & exit", working_directory=SEED_DIRECTORY),),
        ),
        password="Sup3r-S3cret",
        password_version="2026-03",
    )
    assert spec.definition.path == "\\Isotools\\Synchro Isotools Stock"


def test_seed_task_canonical_spec() -> None:
    assert spec_from_definition(parse_spec(SEED_SPEC).definition) == {
        "name": "Synchro Isotools Stock",
        "folder": "\\Isotools",
        "description": "Synchronisation du stock de l'ERP vers la boutique",
        "actions": [{"command": CMD, "arguments": "/k synchro.bat & exit", "working_directory": SEED_DIRECTORY}],
        "triggers": [{"type": "daily", "start_boundary": "2020-01-01T06:00:00"}],
        "principal": {"user": "ISOTOOLS\\svc_sync", "logon_type": "password"},
    }


MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
CASES: list[tuple[str, Callable[[], object], object]] = [
    # where the task lives
    ("folder defaults to the root", lambda: parse().folder, "\\"),
    ("folder without leading backslash", lambda: parse(folder="Isotools").folder, "\\Isotools"),
    ("folder trailing backslash dropped", lambda: parse(folder="\\Isotools\\Prod\\").folder, "\\Isotools\\Prod"),
    (
        "name keeps accents and spaces",
        lambda: parse_spec({"name": "Synchro Prix & Stock é", "actions": [{"command": CMD}]}).definition.name,
        "Synchro Prix & Stock é",
    ),
    # actions
    (
        "arguments are data",
        lambda: parse(actions=[{"command": CMD, "arguments": '/c "a b" < in > out & exit'}]).actions[0],
        model.ExecAction(command=CMD, arguments='/c "a b" < in > out & exit'),
    ),
    (
        "working directory UNC",
        lambda: parse(actions=[{"command": CMD, "working_directory": "\\\\files\\isotools\\synchro"}]).actions[0],
        model.ExecAction(command=CMD, working_directory="\\\\files\\isotools\\synchro"),
    ),
    (
        "working directory variable",
        lambda: parse(actions=[{"command": CMD, "working_directory": "%SystemRoot%\\Temp"}]).actions[0],
        model.ExecAction(command=CMD, working_directory="%SystemRoot%\\Temp"),
    ),
    (
        "working directory drive root",
        lambda: parse(actions=[{"command": CMD, "working_directory": "D:\\"}]).actions[0].working_directory,
        "D:\\",
    ),
    (
        "quoted command with spaces",
        lambda: parse(actions=[{"command": '"C:\\Program Files\\Isotools\\sync.exe"'}]).actions[0].command,
        '"C:\\Program Files\\Isotools\\sync.exe"',
    ),
    (
        "action order and numeric id",
        lambda: [a.id for a in parse(actions=[{"command": CMD, "id": 1}, {"command": CMD, "id": "mail"}]).actions],
        ["1", "mail"],
    ),
    # starts
    (
        "at is a time on the anchor date",
        lambda: trigger(type="daily", at="06:00").start_boundary,
        dt.datetime.combine(AT_ANCHOR_DATE, dt.time(6)),
    ),
    (
        "at with a date",
        lambda: trigger(type="once", at="2026-03-01 06:30").start_boundary,
        dt.datetime(2026, 3, 1, 6, 30),
    ),
    ("at with seconds", lambda: trigger(type="once", at="6:05:30").start_boundary, dt.datetime(2020, 1, 1, 6, 5, 30)),
    (
        "start boundary local",
        lambda: trigger(type="daily", start_boundary="2026-01-01T06:00:00").start_boundary,
        dt.datetime(2026, 1, 1, 6),
    ),
    (
        "start boundary with a space",
        lambda: trigger(type="daily", start_boundary="2026-01-01 06:00").start_boundary,
        dt.datetime(2026, 1, 1, 6),
    ),
    (
        "start boundary offset",
        lambda: trigger(type="daily", start_boundary="2026-01-01T06:00:00+01:00").start_boundary,
        dt.datetime(2026, 1, 1, 6, tzinfo=PLUS_ONE),
    ),
    (
        "start boundary Z",
        lambda: trigger(type="daily", start_boundary="2026-01-01T05:00:00Z").start_boundary,
        dt.datetime(2026, 1, 1, 5, tzinfo=UTC),
    ),
    (
        "start boundary YAML timestamp",
        lambda: trigger(type="daily", start_boundary=dt.datetime(2026, 1, 1, 6)).start_boundary,
        dt.datetime(2026, 1, 1, 6),
    ),
    (
        "end boundary equal to start",
        lambda: trigger(type="once", at="2026-01-01 06:00", end_boundary="2026-01-01T06:00:00").end_boundary,
        dt.datetime(2026, 1, 1, 6),
    ),
    ("boot trigger needs no start", lambda: trigger(type="boot"), model.BootTrigger()),
    ("XML name of a once trigger", lambda: trigger(type="time", at="06:00").TYPE, "once"),
    # repetition
    (
        "every until",
        lambda: trigger(type="daily", at="06:00", every="15m", until="22:00").repetition,
        model.Repetition(interval=15 * MINUTE, duration=16 * HOUR),
    ),
    (
        "every for",
        lambda: trigger(type="daily", at="06:00", every="1h30m", **{"for": "2d"}).repetition,
        model.Repetition(interval=90 * MINUTE, duration=dt.timedelta(days=2)),
    ),
    (
        "every ISO indefinitely",
        lambda: trigger(type="boot", every="PT15M").repetition,
        model.Repetition(interval=15 * MINUTE),
    ),
    (
        "canonical repetition",
        lambda: (
            trigger(
                type="daily",
                at="06:00",
                repetition={"interval": "PT1H", "duration": "PT1H", "stop_at_duration_end": True},
            ).repetition
        ),
        model.Repetition(interval=HOUR, duration=HOUR, stop_at_duration_end=True),
    ),
    (
        "repetition up to 31 days",
        lambda: trigger(type="boot", every="31d").repetition,
        model.Repetition(interval=dt.timedelta(days=31)),
    ),
    # delays and limits
    (
        "boot delay in seconds",
        lambda: trigger(type="boot", delay="90s"),
        model.BootTrigger(delay=dt.timedelta(seconds=90)),
    ),
    (
        "random delay with spaces",
        lambda: trigger(type="daily", at="06:00", random_delay="1h 30m").random_delay,
        90 * MINUTE,
    ),
    ("delay zero kept", lambda: trigger(type="logon", delay="PT0S"), model.LogonTrigger(delay=dt.timedelta(0))),
    ("trigger time limit", lambda: trigger(type="boot", execution_time_limit="2h").execution_time_limit, 2 * HOUR),
    # calendar details
    (
        "daily interval",
        lambda: trigger(type="daily", at="06:00", days_interval=30),
        model.DailyTrigger(start_boundary=dt.datetime(2020, 1, 1, 6), days_interval=30),
    ),
    ("days interval as text", lambda: trigger(type="daily", at="06:00", days_interval="2").days_interval, 2),
    (
        "weekly abbreviations",
        lambda: trigger(type="weekly", at="06:00", days_of_week=["mon", "Friday", "SUN", "monday"]).days_of_week,
        frozenset({"monday", "friday", "sunday"}),
    ),
    (
        "weeks interval",
        lambda: trigger(type="weekly", at="06:00", days_of_week=["sat"], weeks_interval=2).weeks_interval,
        2,
    ),
    (
        "monthly days and last",
        lambda: trigger(type="monthly", at="03:00", days_of_month=[1, "15", "last"]),
        model.MonthlyTrigger(start_boundary=dt.datetime(2020, 1, 1, 3), days_of_month=frozenset({1, 15}), last_day_of_month=True),
    ),
    ("monthly only last", lambda: trigger(type="monthly", at="03:00", days_of_month=["LAST"]).last_day_of_month, True),
    (
        "months abbreviations",
        lambda: trigger(type="monthly", at="03:00", days_of_month=[1], months=["jan", "Jul"]).months,
        frozenset({"january", "july"}),
    ),
    (
        "monthly day of week",
        lambda: trigger(type="monthly-dow", at="03:00", weeks=[2, "last", "first"], days_of_week=["tue"]),
        model.MonthlyDayOfWeekTrigger(
            start_boundary=dt.datetime(2020, 1, 1, 3),
            weeks=frozenset({"1", "2", "last"}),
            days_of_week=frozenset({"tuesday"}),
        ),
    ),
    ("trigger type ignores case", lambda: trigger(type="Daily", at="06:00").TYPE, "daily"),
    ("disabled by word", lambda: trigger(type="boot", enabled="no").enabled, False),
    ("enabled by word", lambda: trigger(type="boot", enabled="Yes").enabled, True),
    # event-driven triggers
    (
        "logon of a user",
        lambda: trigger(type="logon", user="ISOTOOLS\\svc_sync"),
        model.LogonTrigger(user_id="ISOTOOLS\\svc_sync"),
    ),
    (
        "session lock in XML words",
        lambda: trigger(type="session_state_change", state_change="SessionLock"),
        model.SessionStateChangeTrigger(state_change=model.SessionStateChange.SESSION_LOCK),
    ),
    (
        "event with value queries",
        lambda: trigger(
            type="event",
            subscription=SYSTEM_QUERY,
            value_queries={"id": "Event/System/EventID", "channel": "Event/System/Channel"},
        ),
        model.EventTrigger(
            subscription=SYSTEM_QUERY,
            value_queries=(("channel", "Event/System/Channel"), ("id", "Event/System/EventID")),
        ),
    ),
    ("idle trigger", lambda: trigger(type="idle", id="when idle"), model.IdleTrigger(id="when idle")),
    ("registration trigger", lambda: trigger(type="registration", delay="1m"), model.RegistrationTrigger(delay=MINUTE)),
    # principal and its defaults
    ("no principal", lambda: parse().principal, model.Principal()),
    (
        "SYSTEM is a service account",
        lambda: parse(principal={"user": "SYSTEM"}).principal.logon_type,
        model.LogonType.SERVICE_ACCOUNT,
    ),
    (
        "NT AUTHORITY spelling",
        lambda: parse(principal={"user": "NT AUTHORITY\\NETWORK SERVICE"}).principal.logon_type,
        model.LogonType.SERVICE_ACCOUNT,
    ),
    (
        "LOCAL SERVICE SID",
        lambda: parse(principal={"user": "S-1-5-19"}).principal.logon_type,
        model.LogonType.SERVICE_ACCOUNT,
    ),
    (
        "SYSTEM interactive as Windows writes it",
        lambda: parse(principal={"user": "S-1-5-18", "logon_type": "InteractiveToken"}).principal.logon_type,
        model.LogonType.INTERACTIVE_TOKEN,
    ),
    (
        "group logon",
        lambda: parse(principal={"group": "BUILTIN\\Users"}).principal,
        model.Principal(group_id="BUILTIN\\Users", logon_type=model.LogonType.GROUP),
    ),
    (
        "gMSA logs on with password",
        lambda: parse(principal={"user": "ISOTOOLS\\gmsa_sync$"}).principal.logon_type,
        model.LogonType.PASSWORD,
    ),
    (
        "user defaults to interactive",
        lambda: parse(principal={"user": "svc_sync@isotools.local"}).principal.logon_type,
        model.LogonType.INTERACTIVE_TOKEN,
    ),
    (
        "s4u",
        lambda: parse(principal={"user": "svc_sync", "logon_type": "s4u"}).principal.logon_type,
        model.LogonType.S4U,
    ),
    (
        "run level in XML words",
        lambda: parse(principal={"user": "SYSTEM", "run_level": "HighestAvailable"}).principal.run_level,
        model.RunLevel.HIGHEST,
    ),
    (
        "logon type alone",
        lambda: parse(principal={"logon_type": "password"}).principal,
        model.Principal(logon_type=model.LogonType.PASSWORD),
    ),
    # settings
    ("default settings", lambda: parse().settings, model.Settings()),
    ("priority as text", lambda: parse(settings={"priority": "4"}).settings.priority, 4),
    ("priority zero", lambda: parse(settings={"priority": 0}).settings.priority, 0),
    (
        "no time limit",
        lambda: parse(settings={"execution_time_limit": "PT0S"}).settings.execution_time_limit,
        dt.timedelta(0),
    ),
    (
        "multiple instances in XML words",
        lambda: parse(settings={"multiple_instances": "StopExisting"}).settings.multiple_instances,
        model.MultipleInstances.STOP_EXISTING,
    ),
    (
        "booleans",
        lambda: parse(settings={"hidden": True, "wake_to_run": "yes", "allow_demand_start": "false"}).settings,
        model.Settings(hidden=True, wake_to_run=True, allow_demand_start=False),
    ),
    (
        "restart on failure",
        lambda: parse(settings={"restart_on_failure": {"interval": "5m", "count": 3}}).settings.restart_on_failure,
        model.RestartOnFailure(interval=5 * MINUTE, count=3),
    ),
    (
        "maintenance",
        lambda: parse(settings={"maintenance": {"period": "1d", "deadline": "P7D", "exclusive": True}}).settings.maintenance_settings,
        model.MaintenanceSettings(period=dt.timedelta(days=1), deadline=dt.timedelta(days=7), exclusive=True),
    ),
    (
        "idle settings",
        lambda: parse(settings={"idle_settings": {"duration": "10m", "stop_on_idle_end": False}}).settings.idle_settings,
        model.IdleSettings(duration=10 * MINUTE, stop_on_idle_end=False),
    ),
    (
        "network profile",
        lambda: parse(settings={"network_profile": {"name": "Office", "id": "{8b0c9a3e-0d9b-4d3a-9d59-3f4f3c1a2b7e}"}}).settings.network_settings,
        model.NetworkSettings(name="Office", id="{8b0c9a3e-0d9b-4d3a-9d59-3f4f3c1a2b7e}"),
    ),
    (
        "compatibility names the version",
        lambda: parse(settings={"compatibility": "win7"}).settings.compatibility,
        "1.3",
    ),
    (
        "expiry with an end",
        lambda: (
            parse(
                triggers=[{"type": "once", "at": "2026-01-01 06:00", "end_boundary": "2026-02-01T00:00:00"}],
                settings={"delete_expired_task_after": "30d"},
            ).settings.delete_expired_task_after
        ),
        dt.timedelta(days=30),
    ),
    # registration info and labels
    (
        "registration info",
        lambda: parse(description="Stock", author="Isotools", documentation="KB_2010SYNC_PLAN").registration_info,
        model.RegistrationInfo(description="Stock", author="Isotools", documentation="KB_2010SYNC_PLAN"),
    ),
    ("null options are absent", lambda: parse(description=None, triggers=None, principal=None, settings=None), parse()),
    (
        "password version as a number",
        lambda: parse_spec({"name": "X", "actions": [{"command": CMD}], "password_version": 3}).password_version,
        "3",
    ),
]


@pytest.mark.parametrize(("read", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_valid_spec_gives_the_model_value(read: Callable[[], object], expected: object) -> None:
    assert read() == expected


CANONICAL: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "principal default logon omitted",
        {"principal": {"user": "SYSTEM", "logon_type": "service_account"}},
        {"principal": {"user": "SYSTEM"}},
    ),
    (
        "months all omitted",
        {"triggers": [{"type": "monthly", "at": "03:00", "days_of_month": ["last", 15], "months": list(model.MONTHS)}]},
        {"triggers": [{"type": "monthly", "start_boundary": "2020-01-01T03:00:00", "days_of_month": [15, "last"]}]},
    ),
    (
        "days in week order",
        {"triggers": [{"type": "weekly", "at": "06:00", "days_of_week": ["sun", "wed", "mon"]}]},
        {
            "triggers": [
                {
                    "type": "weekly",
                    "start_boundary": "2020-01-01T06:00:00",
                    "days_of_week": ["monday", "wednesday", "sunday"],
                }
            ]
        },
    ),
    (
        "friendly repetition in ISO",
        {"triggers": [{"type": "daily", "at": "06:00", "every": "15m", "until": "22:00"}]},
        {
            "triggers": [
                {
                    "type": "daily",
                    "start_boundary": "2020-01-01T06:00:00",
                    "repetition": {"interval": "PT15M", "duration": "PT16H"},
                }
            ]
        },
    ),
    (
        "zone kept",
        {"triggers": [{"type": "once", "start_boundary": "2026-01-01T06:00:00Z", "end_boundary": "2026-01-02T06:00:00+01:00"}]},
        {"triggers": [{"type": "once", "start_boundary": "2026-01-01T06:00:00Z", "end_boundary": "2026-01-02T06:00:00+01:00"}]},
    ),
    (
        "settings defaults omitted",
        {"settings": {"priority": 7, "enabled": True, "hidden": "yes", "execution_time_limit": "3d"}},
        {"settings": {"hidden": True}},
    ),
    (
        "settings non-defaults",
        {"settings": {"multiple_instances": "queue", "execution_time_limit": "2h", "compatibility": "win10"}},
        {"settings": {"multiple_instances": "queue", "execution_time_limit": "PT2H", "compatibility": "win10"}},
    ),
]


@pytest.mark.parametrize(("options", "expected"), [case[1:] for case in CANONICAL], ids=[case[0] for case in CANONICAL])
def test_canonical_spec_keeps_only_what_differs_from_the_default(options: dict[str, Any], expected: dict[str, Any]) -> None:
    base = {"name": "Synchro Stock", "actions": [{"command": CMD}]}
    assert spec_from_definition(parse_spec({**base, **options}).definition) == {**base, "folder": "\\", **expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", dt.timedelta(minutes=15)),
        ("1h30m", dt.timedelta(hours=1, minutes=30)),
        ("2d", dt.timedelta(days=2)),
        ("90s", dt.timedelta(seconds=90)),
        ("1w", dt.timedelta(weeks=1)),
        ("PT15M", dt.timedelta(minutes=15)),
        ("pt1h", dt.timedelta(hours=1)),
        ("P1DT2H", dt.timedelta(days=1, hours=2)),
        ("PT0S", dt.timedelta(0)),
        (dt.timedelta(minutes=5), dt.timedelta(minutes=5)),
    ],
)
def test_parse_duration_text(text: object, expected: dt.timedelta) -> None:
    assert parse_duration_text(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (15, "bare number"),
        ("15", "bare number"),
        ("1.5h", "not a duration"),
        ("PT1.5S", "fraction"),
        (True, "got a boolean"),
        ("", "not a duration"),
    ],
)
def test_parse_duration_text_refuses(text: object, reason: str) -> None:
    with pytest.raises(TimeFormatError, match=reason):
        parse_duration_text(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("06:00", dt.time(6)), ("6:05", dt.time(6, 5)), ("23:59:59", dt.time(23, 59, 59)), (dt.time(22), dt.time(22))],
)
def test_parse_time_of_day(text: object, expected: dt.time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("24:00", "not a time of day"), (1320, "unquoted 22:00"), ("noon", "not a time of day"), (None, "got null")],
)
def test_parse_time_of_day_refuses(text: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_time_of_day(text)
