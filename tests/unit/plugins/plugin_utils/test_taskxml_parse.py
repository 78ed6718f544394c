# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""parse_xml: what real files do that the schema does not allow, the model mapping, hostile input."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import time

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    MONTHS,
    NAMESPACE,
    DailyTrigger,
    EventTrigger,
    ExecAction,
    IdleSettings,
    LogonType,
    MaintenanceSettings,
    MonthlyDayOfWeekTrigger,
    MonthlyTrigger,
    MultipleInstances,
    NetworkSettings,
    Principal,
    Repetition,
    RestartOnFailure,
    RunLevel,
    Settings,
    TaskDefinition,
    UnknownElement,
    UnsupportedAction,
    UnsupportedTrigger,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import (
    MAX_XML_BYTES,
    TaskXmlError,
    parse_xml,
    render_xml,
)

EXEC = "<Actions Context='Author'><Exec><Command>cmd.exe</Command></Exec></Actions>"


def document(body: str, *, task_attributes: str = f'version="1.2" xmlns="{NAMESPACE}"') -> str:
    return f'<?xml version="1.0" encoding="UTF-16"?>\n<Task {task_attributes}>{body}</Task>'


def read(body: str, **attributes: str) -> TaskDefinition:
    return parse_xml(document(body, **attributes), name="Sync", folder="\\Isotools")


def test_trigger_children_are_read_in_any_order() -> None:
    windows_export = (
        "<Triggers><CalendarTrigger><Repetition><Interval>PT1H</Interval></Repetition>"
        "<StartBoundary>2026-01-01T06:00:00</StartBoundary><Enabled>true</Enabled>"
        "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay><RandomDelay>PT5M</RandomDelay>"
        "</CalendarTrigger></Triggers>"
    )
    published_order = (
        "<Triggers><CalendarTrigger><Enabled>true</Enabled><StartBoundary>2026-01-01T06:00:00</StartBoundary>"
        "<Repetition><Interval>PT60M</Interval></Repetition><RandomDelay>PT300S</RandomDelay>"
        "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger></Triggers>"
    )
    expected = DailyTrigger(
        start_boundary=dt.datetime(2026, 1, 1, 6, 0),
        repetition=Repetition(interval=dt.timedelta(hours=1)),
        random_delay=dt.timedelta(minutes=5),
    )
    assert read(windows_export + EXEC).triggers == read(published_order + EXEC).triggers == (expected,)


@pytest.mark.parametrize("trigger_id", ["Daily run", "06688f40-e0af-4efa-8a89-2617bd993d71", "a:b"])
def test_trigger_ids_need_not_be_ncnames(trigger_id: str) -> None:
    definition = read(f'<Triggers><BootTrigger id="{trigger_id}"/></Triggers>' + EXEC)
    assert definition.triggers[0].id == trigger_id


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("<UserId>S-1-5-18</UserId>", Principal(user_id="S-1-5-18", logon_type=LogonType.SERVICE_ACCOUNT)),
        (
            "<UserId>SYSTEM</UserId><LogonType>ServiceAccount</LogonType>",
            Principal(user_id="SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT),
        ),
        (
            "<UserId>NT AUTHORITY\\NETWORK SERVICE</UserId><LogonType>InteractiveToken</LogonType>",
            Principal(user_id="NT AUTHORITY\\NETWORK SERVICE", logon_type=LogonType.SERVICE_ACCOUNT),
        ),
        (
            "<UserId>LOCAL SERVICE</UserId><LogonType>Password</LogonType>",
            Principal(user_id="LOCAL SERVICE", logon_type=LogonType.SERVICE_ACCOUNT),
        ),
        # S4U for SYSTEM is not a service-account logon: kept as written.
        (
            "<UserId>S-1-5-19</UserId><LogonType>S4U</LogonType>",
            Principal(user_id="S-1-5-19", logon_type=LogonType.S4U),
        ),
        (
            "<GroupId>S-1-5-32-545</GroupId><LogonType>InteractiveToken</LogonType>",
            Principal(group_id="S-1-5-32-545", logon_type=LogonType.GROUP),
        ),
        (
            "<UserId>SHOP\\gmsa_sync$</UserId><LogonType>Password</LogonType>",
            Principal(user_id="SHOP\\gmsa_sync$", logon_type=LogonType.PASSWORD),
        ),
        (
            "<UserId>svc</UserId><LogonType>interactivetokenorpassword</LogonType><RunLevel>HighestAvailable</RunLevel>",
            Principal(user_id="svc", logon_type=LogonType.INTERACTIVE_TOKEN_OR_PASSWORD, run_level=RunLevel.HIGHEST),
        ),
        ("<UserId>svc</UserId>", Principal(user_id="svc")),
        ("<UserId/><LogonType>S4U</LogonType>", Principal(logon_type=LogonType.S4U)),
    ],
    ids=[
        "system-sid",
        "service-account-word",
        "network-service-interactive",
        "local-service-password",
        "service-s4u",
        "group",
        "gmsa",
        "any-case",
        "logon-absent",
        "empty-user",
    ],
)
def test_principal_logon_types(principal: str, expected: Principal) -> None:
    definition = read(f'<Principals><Principal id="Author">{principal}</Principal></Principals>' + EXEC)
    assert definition.principal == expected


def test_version_less_task_without_settings_or_principal_takes_defaults() -> None:
    definition = read(EXEC, task_attributes=f'xmlns="{NAMESPACE}"')
    assert definition == TaskDefinition(name="Sync", folder="\\Isotools", actions=(ExecAction(command="cmd.exe"),), actions_context="Author")
    assert definition.settings == Settings() and definition.principal == Principal()
    assert '<Task version="1.2"' in render_xml(definition)


def test_empty_elements_mean_absent() -> None:
    definition = read(
        "<RegistrationInfo><Date></Date><Description/><Author>me</Author></RegistrationInfo>"
        "<Principals><Principal id='Author'><UserId></UserId></Principal></Principals>"
        "<Settings><Priority/><IdleSettings/></Settings>"
        "<Actions><Exec><Command></Command><Arguments></Arguments></Exec></Actions>"
    )
    assert definition.registration_info.date is None and definition.registration_info.description is None
    assert definition.principal.user_id is None
    assert definition.settings == Settings()
    assert definition.actions == (ExecAction(command=""),)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("<ScheduleByDay><DaysInterval>3</DaysInterval></ScheduleByDay>", DailyTrigger(days_interval=3)),
        ("<ScheduleByDay/>", DailyTrigger()),
        (
            "<ScheduleByWeek><WeeksInterval>2</WeeksInterval><DaysOfWeek><Monday/><Friday/></DaysOfWeek></ScheduleByWeek>",
            WeeklyTrigger(weeks_interval=2, days_of_week=frozenset({"monday", "friday"})),
        ),
        (
            "<ScheduleByMonth><DaysOfMonth><Day>1</Day><Day>15</Day><Day>Last</Day></DaysOfMonth><Months><January/><July/></Months></ScheduleByMonth>",
            MonthlyTrigger(days_of_month=frozenset({1, 15}), last_day_of_month=True, months=frozenset({"january", "july"})),
        ),
        (
            "<ScheduleByMonth><DaysOfMonth><Day>Last</Day></DaysOfMonth></ScheduleByMonth>",
            MonthlyTrigger(last_day_of_month=True, months=frozenset(MONTHS)),
        ),
        (
            "<ScheduleByMonthDayOfWeek><Weeks><Week>2</Week><Week>Last</Week></Weeks><DaysOfWeek><Sunday/></DaysOfWeek></ScheduleByMonthDayOfWeek>",
            MonthlyDayOfWeekTrigger(weeks=frozenset({"2", "last"}), days_of_week=frozenset({"sunday"})),
        ),
    ],
    ids=["daily", "daily-default", "weekly", "monthly-last", "monthly-all-months", "monthly-dow-last-week"],
)
def test_calendar_schedules(schedule: str, expected: DailyTrigger) -> None:
    definition = read(f"<Triggers><CalendarTrigger>{schedule}</CalendarTrigger></Triggers>" + EXEC)
    assert definition.triggers == (expected,)


def test_settings_are_read_by_name() -> None:
    definition = read(
        "<Settings><Volatile>true</Volatile><Priority>4</Priority><MultipleInstancesPolicy>Queue</MultipleInstancesPolicy>"
        "<RestartOnFailure><Count>3</Count><Interval>PT2M</Interval></RestartOnFailure>"
        "<NetworkSettings><Id>{6A7D3E2C-8B1F-4C5D-9E0A-1B2C3D4E5F60}</Id></NetworkSettings>"
        "<MaintenanceSettings><Period>P1D</Period><Deadline>P1M</Deadline></MaintenanceSettings>"
        "<IdleSettings><Duration>PT5M</Duration><StopOnIdleEnd>false</StopOnIdleEnd></IdleSettings>"
        "<ExecutionTimeLimit>PT0S</ExecutionTimeLimit><DeleteExpiredTaskAfter>P30D</DeleteExpiredTaskAfter>"
        "<UseUnifiedSchedulingEngine>1</UseUnifiedSchedulingEngine><Enabled>False</Enabled></Settings>" + EXEC
    )
    assert definition.settings == Settings(
        volatile=True,
        priority=4,
        multiple_instances=MultipleInstances.QUEUE,
        restart_on_failure=RestartOnFailure(interval=dt.timedelta(minutes=2), count=3),
        network_settings=NetworkSettings(id="{6A7D3E2C-8B1F-4C5D-9E0A-1B2C3D4E5F60}"),
        maintenance_settings=MaintenanceSettings(period=dt.timedelta(days=1), deadline=dt.timedelta(days=30)),
        idle_settings=IdleSettings(duration=dt.timedelta(minutes=5), stop_on_idle_end=False),
        execution_time_limit=dt.timedelta(0),
        delete_expired_task_after=dt.timedelta(days=30),
        use_unified_scheduling_engine=True,
        enabled=False,
    )


def test_what_the_model_does_not_know_is_kept_and_explained() -> None:
    wnf = "<WnfStateChangeTrigger><Enabled>false</Enabled><StateName>7508BCA3380C960C</StateName></WnfStateChangeTrigger>"
    definition = read(
        "<Triggers><EventTrigger><Subscription>&lt;QueryList/&gt;</Subscription>"
        "<PeriodOfOccurrence>PT1H</PeriodOfOccurrence></EventTrigger>" + wnf + "</Triggers>"
        "<Settings><NetworkProfileName>Lan</NetworkProfileName></Settings><Data>7b</Data>"
        "<Actions><ComHandler><ClassId>{58FB76B9-AC85-4E55-AC04-427593B1D060}</ClassId><Data>KEY</Data></ComHandler>"
        "<Exec><Command>cmd.exe</Command></Exec><SendEmail><Server>smtp</Server></SendEmail>"
        "<ShowMessage><Title>t</Title><Body>b</Body></ShowMessage></Actions>"
    )
    assert definition.triggers[0] == EventTrigger(subscription="<QueryList/>")
    assert isinstance(definition.triggers[1], UnsupportedTrigger)
    assert (definition.triggers[1].tag, definition.triggers[1].enabled) == ("WnfStateChangeTrigger", False)
    assert [type(action).__name__ for action in definition.actions] == [
        "UnsupportedAction",
        "ExecAction",
        "UnsupportedAction",
        "UnsupportedAction",
    ]
    assert isinstance(definition.actions[3], UnsupportedAction) and definition.actions[3].kind == "ShowMessage"
    assert definition.unsupported_reasons == (
        "actions[0]: ComHandler actions are not supported (only Exec)",
        "actions[2]: SendEmail actions are not supported (only Exec)",
        "actions[3]: ShowMessage actions are not supported (only Exec)",
        "triggers[1]: WnfStateChangeTrigger is not supported",
        "Triggers/EventTrigger[0]/PeriodOfOccurrence: element not supported by the model",
        "Settings/NetworkProfileName: element not supported by the model",
        "Task/Data: element not supported by the model",
    )
    assert definition.unknown_elements[2] == UnknownElement(parent="Task", tag="Data", xml=f'<Data xmlns="{NAMESPACE}">7b</Data>')
    rendered = render_xml(definition)
    for kept in (
        "<PeriodOfOccurrence>PT1H</PeriodOfOccurrence>",
        "<StateName>7508BCA3380C960C</StateName>",
        "<NetworkProfileName>Lan</NetworkProfileName>",
        "<Data>KEY</Data>",
        "<Server>smtp</Server>",
    ):
        assert kept in rendered
    assert parse_xml(rendered, name="Sync", folder="\\Isotools").unsupported_reasons == definition.unsupported_reasons


def test_containers_holding_only_kept_elements_are_written_back() -> None:
    definition = read(
        "<Triggers><EventTrigger><Subscription>*</Subscription><ValueQueries><Query>x</Query></ValueQueries></EventTrigger>"
        "</Triggers><Principals><Principal id='Author'><RequiredPrivileges><SeFuturePrivilege/></RequiredPrivileges>"
        "</Principal></Principals>" + EXEC
    )
    assert [element.parent for element in definition.unknown_elements] == [
        "Triggers/EventTrigger[0]/ValueQueries",
        "Principals/Principal/RequiredPrivileges",
    ]
    assert parse_xml(render_xml(definition), name="Sync", folder="\\Isotools") == definition


def test_elements_of_other_namespaces_are_kept_not_read_as_ours() -> None:
    definition = read(f'<Settings><Priority xmlns="">2</Priority><x:Priority xmlns:x="urn:x">3</x:Priority></Settings>{EXEC}')
    assert definition.settings.priority == 7
    assert [element.tag for element in definition.unknown_elements] == ["{}Priority", "{urn:x}Priority"]
    assert parse_xml(render_xml(definition), name="Sync").unknown_elements == definition.unknown_elements


SEED_XML = document(
    "<Triggers><CalendarTrigger><StartBoundary>2020-01-01T06:00:00</StartBoundary>"
    "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger></Triggers>"
    "<Actions><Exec><Command>C:\\Windows\\System32\\cmd.exe</Command>"
    "<Arguments>/k synchro.bat &amp; exit</Arguments></Exec></Actions>"
)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + SEED_XML.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SEED_XML.encode("utf-16-be"),
        SEED_XML.encode("utf-16-le"),
        SEED_XML.encode("utf-16-be"),
        codecs.BOM_UTF8 + SEED_XML.encode("utf-8"),
        SEED_XML.encode("utf-8"),
        "\ufeff" + SEED_XML,
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf8-bom", "utf8-declaring-utf16", "text"],
)
def test_encodings(data: bytes | str) -> None:
    definition = parse_xml(data, name="Sync")
    assert definition.actions == (ExecAction(command="C:\\Windows\\System32\\cmd.exe", arguments="/k synchro.bat & exit"),)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ("<Settings><Enabled>yes</Enabled></Settings>", "Settings/Enabled", "'yes' is not a boolean"),
        (
            "<Settings><Priority>11</Priority></Settings>",
            "Settings/Priority",
            "'11' is not a whole number from 0 to 10",
        ),
        (
            "<Settings><ExecutionTimeLimit>72 hours</ExecutionTimeLimit></Settings>",
            "Settings/ExecutionTimeLimit",
            "'72 hours' is not an ISO 8601 duration",
        ),
        (
            "<Settings><MultipleInstancesPolicy>Twice</MultipleInstancesPolicy></Settings>",
            "Settings/MultipleInstancesPolicy",
            "'Twice' is not one of Parallel, Queue, IgnoreNew, StopExisting",
        ),
        (
            "<Triggers><TimeTrigger><StartBoundary>tomorrow</StartBoundary></TimeTrigger></Triggers>",
            "Triggers/TimeTrigger[0]/StartBoundary",
            "'tomorrow' is not an ISO 8601 date-time",
        ),
        (
            "<Triggers><BootTrigger/><CalendarTrigger/></Triggers>",
            "Triggers/CalendarTrigger[1]",
            "needs exactly one of ScheduleByDay, ScheduleByWeek, ScheduleByMonth, ScheduleByMonthDayOfWeek (found none)",
        ),
        (
            "<Triggers><SessionStateChangeTrigger/></Triggers>",
            "Triggers/SessionStateChangeTrigger[0]/StateChange",
            "is missing",
        ),
        (
            "<Triggers><LogonTrigger><Repetition><Duration>PT1H</Duration></Repetition></LogonTrigger></Triggers>",
            "Triggers/LogonTrigger[0]/Repetition/Interval",
            "is missing",
        ),
        (
            "<Triggers><CalendarTrigger><ScheduleByMonth><DaysOfMonth><Day>32</Day></DaysOfMonth></ScheduleByMonth></CalendarTrigger></Triggers>",
            "Triggers/CalendarTrigger[0]/ScheduleByMonth/DaysOfMonth/Day",
            "'32' is not a day of the month (1 to 31, or Last)",
        ),
        (
            "<Principals><Principal><LogonType>Group</LogonType></Principal></Principals>",
            "Principals/Principal/LogonType",
            "'Group' is not one of",
        ),
        (
            "<RegistrationInfo><Description>a <b>bold</b> move</Description></RegistrationInfo>",
            "RegistrationInfo/Description",
            "holds child elements where text is expected",
        ),
        ("<Actions><Exec/></Actions>", "Actions/Exec[0]/Command", "is missing"),
    ],
    ids=[
        "boolean",
        "priority",
        "duration",
        "enum",
        "boundary",
        "calendar-without-schedule",
        "state-change",
        "repetition-interval",
        "day-of-month",
        "logon-type",
        "markup-in-text",
        "command",
    ],
)
def test_invalid_values_are_reported_with_their_element(body: str, field: str, message: str) -> None:
    with pytest.raises(TaskXmlError, match=re.escape(message)) as raised:
        read(body)
    assert raised.value.field == field
    assert str(raised.value).startswith(f"task '\\Isotools\\Sync': {field}")


LAUGHS = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
BILLION_LAUGHS = (
    f'<?xml version="1.0"?><!DOCTYPE Task [{LAUGHS}]>'
    f'<Task xmlns="{NAMESPACE}"><RegistrationInfo><Description>&lol9;</Description></RegistrationInfo>{EXEC}</Task>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE Task [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<Task xmlns="{NAMESPACE}"><RegistrationInfo><Description>&xxe;</Description></RegistrationInfo>{EXEC}</Task>'
)
HOSTILE: dict[str, tuple[bytes | str, str]] = {
    "billion-laughs": (BILLION_LAUGHS, "document type declaration"),
    "external-entity": (EXTERNAL_ENTITY, "document type declaration"),
    "dtd": (
        f'<!DOCTYPE Task SYSTEM "http://example.invalid/task.dtd"><Task xmlns="{NAMESPACE}">{EXEC}</Task>',
        "document type",
    ),
    "truncated": (SEED_XML[: len(SEED_XML) // 2].encode("utf-16-le"), "not well-formed (truncated or damaged?)"),
    "wrong-namespace": (document(EXEC, task_attributes='xmlns="urn:not-tasks"'), "not in the Task Scheduler namespace"),
    "no-namespace": (document(EXEC, task_attributes='version="1.2"'), "not in the Task Scheduler namespace"),
    "wrong-root": (f'<Job xmlns="{NAMESPACE}"/>', "the root element is 'Job', not a Task Scheduler Task"),
    "padding-10mb": (SEED_XML.replace("</Task>", " " * 10_000_000 + "</Task>").encode(), "more than the 4194304"),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not UTF-16 or UTF-8 text"),
    "binary-zeros": (b"\x00" * 64, "not well-formed"),
    "text-not-xml": (b"Synchro Stock: daily at 06:00", "not well-formed"),
    "empty": (b"", "not well-formed"),
    "lone-surrogate": (document("<RegistrationInfo><Author>\ud800</Author></RegistrationInfo>" + EXEC), "'\\ud800', which is not a character"),
    "bad-version": (document(EXEC, task_attributes=f'version="latest" xmlns="{NAMESPACE}"'), "Task/@version 'latest'"),
}


@pytest.mark.parametrize(("data", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_or_broken_xml_is_refused_quickly(data: bytes | str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TaskXmlError, match=re.escape(message)) as raised:
        parse_xml(data, name="Sync", folder="\\Isotools")
    assert time.perf_counter() - started < 1.0
    assert str(raised.value).startswith("task '\\Isotools\\Sync': ")


def test_size_cap_can_be_lowered() -> None:
    assert MAX_XML_BYTES == 4 * 1024 * 1024
    with pytest.raises(TaskXmlError, match="more than the 100 a task definition may have"):
        parse_xml(SEED_XML, name="Sync", max_bytes=100)
