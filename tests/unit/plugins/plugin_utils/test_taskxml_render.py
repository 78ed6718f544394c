# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""render_xml: schema-valid XML laid out like a Windows export, at the lowest version needed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import xmlschema
from shared_data import SCHEMA, TASK_XML, require
from taskxml_samples import SEED_TASK, by_meaning

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    NAMESPACE,
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
    MultipleInstances,
    NetworkSettings,
    Principal,
    RegistrationInfo,
    RegistrationTrigger,
    Repetition,
    RestartOnFailure,
    RunLevel,
    SessionStateChange,
    SessionStateChangeTrigger,
    Settings,
    TaskDefinition,
    TimeTrigger,
    UnknownElement,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import (
    TaskXmlError,
    encode_for_host,
    parse_xml,
    render_xml,
    required_version,
)

DAHALL_LATEST = TASK_XML / "schema" / "TaskSchedulerV2Schema.dahall-latest.xsd"
AT_SIX = dt.datetime(2026, 1, 1, 6, 0)
PARIS = dt.timezone(dt.timedelta(hours=1))
MINUTES = dt.timedelta(minutes=1)


def task(**parts: Any) -> TaskDefinition:
    parts.setdefault("actions", (ExecAction(command="C:\\Windows\\System32\\cmd.exe", arguments="/c exit 0"),))
    return TaskDefinition(name="Matrix", folder="\\Isotools", **parts)


def settings(**values: Any) -> Settings:
    return Settings(**values)


# Every trigger type, logon type, run level and setting, each in a definition of its own so that
# a schema error names the feature that caused it.
MATRIX: dict[str, TaskDefinition] = {
    "seed": SEED_TASK,
    "once-random-delay": task(triggers=(TimeTrigger(start_boundary=AT_SIX, random_delay=30 * MINUTES),)),
    "once-utc-fraction": task(triggers=(TimeTrigger(start_boundary=dt.datetime(2026, 1, 1, 6, 0, 0, 250000, tzinfo=dt.timezone.utc)),)),
    "daily-repetition-aware-end": task(
        triggers=(
            DailyTrigger(
                id="Every15Minutes",
                start_boundary=AT_SIX.replace(tzinfo=PARIS),
                end_boundary=dt.datetime(2027, 1, 1, tzinfo=PARIS),
                execution_time_limit=dt.timedelta(hours=2),
                repetition=Repetition(interval=15 * MINUTES, duration=dt.timedelta(hours=16), stop_at_duration_end=True),
                days_interval=2,
                random_delay=5 * MINUTES,
            ),
        ),
        settings=settings(delete_expired_task_after=dt.timedelta(days=30)),
    ),
    "daily-repeat-indefinitely": task(triggers=(DailyTrigger(start_boundary=AT_SIX, repetition=Repetition(interval=dt.timedelta(hours=1))),)),
    "weekly": task(triggers=(WeeklyTrigger(start_boundary=AT_SIX, weeks_interval=2, days_of_week=frozenset({"monday", "wednesday", "sunday"})),)),
    "monthly-days-and-last": task(
        triggers=(
            MonthlyTrigger(
                start_boundary=AT_SIX,
                days_of_month=frozenset({1, 15}),
                last_day_of_month=True,
                months=frozenset({"january", "july"}),
            ),
        )
    ),
    "monthly-last-day-only": task(triggers=(MonthlyTrigger(start_boundary=AT_SIX, last_day_of_month=True),)),
    "monthly-dow-last-week": task(
        triggers=(MonthlyDayOfWeekTrigger(start_boundary=AT_SIX, weeks=frozenset({"1", "last"}), days_of_week=frozenset({"friday"})),)
    ),
    "boot-delay": task(triggers=(BootTrigger(delay=dt.timedelta(seconds=90)),)),
    "logon-user-delay": task(triggers=(LogonTrigger(user_id="SHOP\\operator", delay=MINUTES),)),
    "logon-any-user-disabled": task(triggers=(LogonTrigger(enabled=False),)),
    "idle": task(
        triggers=(IdleTrigger(),),
        settings=settings(
            run_only_if_idle=True,
            idle_settings=IdleSettings(
                duration=dt.timedelta(minutes=10),
                wait_timeout=dt.timedelta(hours=1),
                stop_on_idle_end=False,
                restart_on_idle=True,
            ),
        ),
    ),
    "registration-delay": task(triggers=(RegistrationTrigger(delay=dt.timedelta(seconds=30)),)),
    "session-state-changes": task(
        triggers=tuple(
            SessionStateChangeTrigger(state_change=state, user_id="SHOP\\operator" if index % 2 else None) for index, state in enumerate(SessionStateChange)
        )
    ),
    "event-value-queries": task(
        triggers=(
            EventTrigger(
                subscription='<QueryList><Query Id="0" Path="Application"><Select Path="Application">*[System[EventID=1000]]</Select></Query></QueryList>',
                delay=MINUTES,
                value_queries=(("eventID", "Event/System/EventID"), ("level", "Event/System/Level")),
            ),
        )
    ),
    "logon-password": task(principal=Principal(user_id="SHOP\\svc_sync", logon_type=LogonType.PASSWORD)),
    "logon-s4u": task(principal=Principal(user_id="svc_sync@shop.example", logon_type=LogonType.S4U)),
    "logon-interactive-token": task(principal=Principal(user_id="operator", logon_type=LogonType.INTERACTIVE_TOKEN)),
    "logon-interactive-or-password": task(principal=Principal(user_id="operator", logon_type=LogonType.INTERACTIVE_TOKEN_OR_PASSWORD)),
    "logon-service-account-system": task(principal=Principal(user_id="SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT)),
    "logon-service-account-sid": task(principal=Principal(user_id="S-1-5-20", logon_type=LogonType.SERVICE_ACCOUNT)),
    "logon-gmsa": task(principal=Principal(user_id="SHOP\\gmsa_sync$", logon_type=LogonType.PASSWORD)),
    "logon-group": task(principal=Principal(group_id="BUILTIN\\Users", logon_type=LogonType.GROUP)),
    "logon-absent": task(principal=Principal(user_id="operator")),
    "run-level-highest": task(principal=Principal(user_id="SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT, run_level=RunLevel.HIGHEST)),
    "principal-1.3-token": task(
        principal=Principal(
            user_id="SYSTEM",
            logon_type=LogonType.SERVICE_ACCOUNT,
            display_name="Sync",
            process_token_sid_type="Unrestricted",
            required_privileges=("SeBackupPrivilege", "SeRestorePrivilege"),
        )
    ),
    **{f"multiple-instances-{policy.value}": task(settings=settings(multiple_instances=policy)) for policy in MultipleInstances},
    "restart-on-failure": task(settings=settings(restart_on_failure=RestartOnFailure(interval=dt.timedelta(minutes=5), count=3))),
    "network": task(
        settings=settings(
            run_only_if_network_available=True,
            network_settings=NetworkSettings(name="Shop LAN", id="{6A7D3E2C-8B1F-4C5D-9E0A-1B2C3D4E5F60}"),
        )
    ),
    "priority-highest": task(settings=settings(priority=0)),
    "priority-lowest": task(settings=settings(priority=10)),
    "booleans-flipped": task(
        settings=settings(
            disallow_start_if_on_batteries=False,
            stop_if_going_on_batteries=False,
            allow_hard_terminate=False,
            start_when_available=True,
            allow_demand_start=False,
            enabled=False,
            hidden=True,
            wake_to_run=True,
            execution_time_limit=dt.timedelta(0),
        )
    ),
    "settings-1.3": task(settings=settings(disallow_start_on_remote_app_session=True, use_unified_scheduling_engine=True)),
    "compatibility-1.6": task(settings=settings(compatibility="1.6")),
    "multiple-exec-actions": task(
        actions=(
            ExecAction(id="Prepare", command="C:\\Windows\\System32\\cmd.exe", arguments='/c echo "<start>" > log.txt'),
            ExecAction(id="Sync", command="D:\\Isotools\\synchro.bat", working_directory="D:\\Isotools"),
        ),
        actions_context="Author",
    ),
    "registration-info": task(
        registration_info=RegistrationInfo(
            description="Stock sync & prices <ERP>",
            author="SHOP\\admin",
            documentation="https://kb.example/synchro",
            source="isotools.shop_sync",
            version="3",
            security_descriptor="D:(A;;FA;;;BA)(A;;FA;;;SY)",
        )
    ),
}
# Features Microsoft's Learn schema (task.xsd) does not declare; dahall's latest schema does, but
# only under XSD 1.1 and with Windows' export order inside triggers, so these use trigger-less
# definitions or triggers with Enabled only.
MATRIX_BEYOND_TASK_XSD: dict[str, TaskDefinition] = {
    "volatile": task(triggers=(BootTrigger(),), settings=settings(volatile=True)),
    "maintenance": task(
        settings=settings(maintenance_settings=MaintenanceSettings(period=dt.timedelta(days=1), deadline=dt.timedelta(days=7), exclusive=True))
    ),
}


@pytest.fixture(scope="module")
def task_xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(require(SCHEMA)))


@pytest.fixture(scope="module")
def dahall_xsd11() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(require(DAHALL_LATEST)))


def children(xml_text: str, *path: str) -> list[str]:
    """The element names under ``path`` (from the Task element), in document order."""
    element = ET.fromstring(xml_text.split("?>", 1)[1])
    for name in path:
        found = element.find(f"{{{NAMESPACE}}}{name}")
        assert found is not None, f"{name} is missing"
        element = found
    return [child.tag.split("}", 1)[1] for child in element]


@pytest.mark.parametrize("definition", MATRIX.values(), ids=MATRIX.keys())
def test_rendered_xml_is_valid_against_task_xsd(definition: TaskDefinition, task_xsd: xmlschema.XMLSchema) -> None:
    xml_text = render_xml(definition)
    errors = list(task_xsd.iter_errors(xml_text))
    assert not errors, f"{errors[0].reason} at {errors[0].path}\n{xml_text}"
    read_back = parse_xml(encode_for_host(xml_text), name=definition.name, folder=definition.folder)
    # compatibility is a wish about Task/@version, which the XML carries instead of the wish.
    assert by_meaning(read_back) == dataclasses.replace(definition, settings=dataclasses.replace(definition.settings, compatibility=None))


@pytest.mark.parametrize("definition", MATRIX_BEYOND_TASK_XSD.values(), ids=MATRIX_BEYOND_TASK_XSD.keys())
def test_features_task_xsd_lacks_are_valid_against_dahall_latest(definition: TaskDefinition, dahall_xsd11: xmlschema.XMLSchema11) -> None:
    xml_text = render_xml(definition)
    errors = list(dahall_xsd11.iter_errors(xml_text))
    assert not errors, f"{errors[0].reason} at {errors[0].path}\n{xml_text}"
    assert by_meaning(parse_xml(xml_text, name="Matrix", folder="\\Isotools")) == definition


def test_seed_task_keeps_its_ampersand(task_xsd: xmlschema.XMLSchema) -> None:
    xml_text = render_xml(SEED_TASK)
    assert xml_text.startswith('<?xml version="1.0" encoding="UTF-16"?>\n<Task version="1.2" xmlns=')
    assert "<Arguments>/k synchro.bat &amp; exit</Arguments>" in xml_text
    assert task_xsd.is_valid(io.BytesIO(encode_for_host(xml_text)))
    read_back = parse_xml(encode_for_host(xml_text), name="Synchro Stock", folder="\\Isotools")
    assert read_back.actions[0] == SEED_TASK.actions[0]
    assert by_meaning(read_back) == SEED_TASK


def test_parts_and_settings_come_in_windows_export_order() -> None:
    definition = task(
        triggers=(DailyTrigger(start_boundary=AT_SIX),),
        settings=settings(
            use_unified_scheduling_engine=True,
            network_settings=NetworkSettings(name="Shop LAN"),
            idle_settings=IdleSettings(duration=dt.timedelta(minutes=10), wait_timeout=dt.timedelta(hours=1)),
            volatile=True,
            maintenance_settings=MaintenanceSettings(period=dt.timedelta(days=1)),
            delete_expired_task_after=dt.timedelta(0),
            restart_on_failure=RestartOnFailure(interval=MINUTES, count=3),
        ),
    )
    xml_text = render_xml(definition)
    assert children(xml_text) == ["RegistrationInfo", "Triggers", "Principals", "Settings", "Actions"]
    assert children(xml_text, "Settings") == [
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
        "DisallowStartOnRemoteAppSession",
        "UseUnifiedSchedulingEngine",
        "Volatile",
        "MaintenanceSettings",
        "WakeToRun",
        "ExecutionTimeLimit",
        "DeleteExpiredTaskAfter",
        "Priority",
        "RestartOnFailure",
    ]
    assert children(xml_text, "Settings", "IdleSettings") == [
        "Duration",
        "WaitTimeout",
        "StopOnIdleEnd",
        "RestartOnIdle",
    ]
    assert "<URI>" not in xml_text and "<Date>" not in xml_text


def test_trigger_children_follow_the_published_sequence() -> None:
    xml_text = render_xml(MATRIX["daily-repetition-aware-end"])
    assert children(xml_text, "Triggers", "CalendarTrigger") == [
        "Enabled",
        "StartBoundary",
        "EndBoundary",
        "Repetition",
        "ExecutionTimeLimit",
        "RandomDelay",
        "ScheduleByDay",
    ]
    assert "<StartBoundary>2026-01-01T06:00:00+01:00</StartBoundary>" in xml_text
    assert "<Interval>PT15M</Interval>" in xml_text and "<Duration>PT16H</Duration>" in xml_text


@pytest.mark.parametrize(
    ("principal", "present", "absent"),
    [
        (Principal(user_id="svc", logon_type=LogonType.PASSWORD), ["<LogonType>Password</LogonType>"], ["GroupId"]),
        (Principal(user_id="svc", logon_type=LogonType.S4U), ["<LogonType>S4U</LogonType>"], []),
        (Principal(user_id="u", logon_type=LogonType.INTERACTIVE_TOKEN), ["<LogonType>InteractiveToken</"], []),
        (
            Principal(user_id="u", logon_type=LogonType.INTERACTIVE_TOKEN_OR_PASSWORD),
            ["<LogonType>InteractiveTokenOrPassword</LogonType>"],
            [],
        ),
        (
            Principal(user_id="NT AUTHORITY\\LOCAL SERVICE", logon_type=LogonType.SERVICE_ACCOUNT),
            ["<UserId>NT AUTHORITY\\LOCAL SERVICE</UserId>"],
            ["LogonType"],
        ),
        (
            Principal(group_id="S-1-5-32-545", logon_type=LogonType.GROUP),
            ["<GroupId>S-1-5-32-545</GroupId>"],
            ["LogonType", "UserId"],
        ),
        (Principal(run_level=RunLevel.HIGHEST), ["<RunLevel>HighestAvailable</RunLevel>"], ["LogonType", "UserId"]),
    ],
    ids=["password", "s4u", "interactive", "interactive-or-password", "service-account", "group", "highest"],
)
def test_principal_words(principal: Principal, present: list[str], absent: list[str]) -> None:
    xml_text = render_xml(task(principal=principal))
    for text in present:
        assert text in xml_text
    for text in absent:
        assert f"<{text}>" not in xml_text


@pytest.mark.parametrize(
    ("definition", "version"),
    [
        (task(), "1.2"),
        (task(settings=settings(disallow_start_on_remote_app_session=True)), "1.3"),
        (task(settings=settings(use_unified_scheduling_engine=True)), "1.3"),
        (task(principal=Principal(process_token_sid_type="None")), "1.3"),
        (task(principal=Principal(required_privileges=("SeBackupPrivilege",))), "1.3"),
        (task(settings=settings(volatile=True)), "1.4"),
        (task(settings=settings(maintenance_settings=MaintenanceSettings(period=dt.timedelta(days=1)))), "1.4"),
        (task(settings=settings(compatibility="1.6")), "1.6"),
        (task(settings=settings(compatibility="1.3", volatile=True)), "1.4"),
        # Kept-verbatim content may need the version it was read with.
        (
            task(version="1.6", unknown_elements=(UnknownElement(parent="Task", tag="Data", xml="<Data>7b</Data>"),)),
            "1.6",
        ),
        (task(version="1.6"), "1.2"),
    ],
    ids=[
        "baseline",
        "remote-app-session",
        "unified-engine",
        "process-token",
        "privileges",
        "volatile",
        "maintenance",
        "compatibility",
        "features-above-compatibility",
        "verbatim-keeps-version",
        "supported-lowest",
    ],
)
def test_required_version(definition: TaskDefinition, version: str) -> None:
    assert required_version(definition) == version
    assert f'<Task version="{version}"' in render_xml(definition)


def test_windows_7_elements_are_written_only_from_version_1_3() -> None:
    assert "DisallowStartOnRemoteAppSession" not in render_xml(task())
    xml_text = render_xml(task(settings=settings(compatibility="1.3")))
    assert "<DisallowStartOnRemoteAppSession>false</DisallowStartOnRemoteAppSession>" in xml_text
    assert "<UseUnifiedSchedulingEngine>false</UseUnifiedSchedulingEngine>" in xml_text


def test_encode_for_host_is_utf16le_with_bom_and_crlf() -> None:
    data = encode_for_host(render_xml(SEED_TASK))
    assert data.startswith(b"\xff\xfe<\x00?\x00x\x00m\x00l\x00")
    text = data[2:].decode("utf-16-le")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")


def test_carriage_returns_and_markup_in_text_survive() -> None:
    definition = task(
        registration_info=RegistrationInfo(description="line 1\r\nline 2\r"),
        actions=(ExecAction(command="cmd.exe", arguments="/c \"a & b\" < in.txt > 'out'\ttab"),),
    )
    assert by_meaning(parse_xml(encode_for_host(render_xml(definition)), name="Matrix", folder="\\Isotools")) == definition


@pytest.mark.parametrize(
    ("definition", "field", "message"),
    [
        (
            task(principal=Principal(user_id="SHOP\\bob", logon_type=LogonType.SERVICE_ACCOUNT)),
            "Principals/Principal/UserId",
            "needs SYSTEM, LOCAL SERVICE or NETWORK SERVICE",
        ),
        (task(principal=Principal(logon_type=LogonType.GROUP)), "Principals/Principal/GroupId", "needs a group"),
        (
            task(actions=(ExecAction(command="cmd.exe", arguments="bell \x07"),)),
            "Actions/Exec[0]/Arguments",
            "contains U+0007",
        ),
        (
            task(unknown_elements=(UnknownElement(parent="Triggers/WnfStateChangeTrigger[0]", tag="X", xml="<X/>"),)),
            "Triggers/WnfStateChangeTrigger[0]/X",
            "has no Triggers/WnfStateChangeTrigger[0] to put it back in",
        ),
        (
            task(unknown_elements=(UnknownElement(parent="Settings", tag="X", xml="<X>"),)),
            "Settings/X",
            "not well-formed",
        ),
        (task(settings=settings(compatibility="win10")), "settings.compatibility", "is not a Task Scheduler schema"),
        (task(triggers=(WeeklyTrigger(days_of_week=frozenset({"funday"})),)), None, "'funday' is not one of"),
    ],
    ids=[
        "service-account-other-user",
        "group-without-group",
        "control-char",
        "no-parent",
        "broken-kept",
        "compat",
        "day",
    ],
)
def test_render_refuses_what_it_cannot_write(definition: TaskDefinition, field: str | None, message: str) -> None:
    with pytest.raises(TaskXmlError, match=re.escape(message)) as raised:
        render_xml(definition)
    assert str(raised.value).startswith("task '\\Isotools\\Matrix': ")
    if field is not None:
        assert raised.value.field == field


def test_kept_elements_go_back_where_they_were_read() -> None:
    kept = (
        UnknownElement(
            parent="Settings",
            tag="NetworkProfileName",
            xml=f'<NetworkProfileName xmlns="{NAMESPACE}">Lan</NetworkProfileName>',
        ),
        UnknownElement(parent="Task", tag="Data", xml=f'<Data xmlns="{NAMESPACE}">7b</Data>'),
    )
    xml_text = render_xml(task(unknown_elements=kept))
    assert children(xml_text, "Settings")[-1] == "NetworkProfileName"
    assert children(xml_text)[-1] == "Data"
    assert parse_xml(xml_text, name="Matrix").unknown_elements == kept
