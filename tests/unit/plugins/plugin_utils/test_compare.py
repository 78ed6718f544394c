# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two definitions are compared by what they mean, and each difference reads like a sentence."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from shared_data import CORPUS, require

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import (
    FieldChange,
    change_lines,
    compare_definitions,
    trigger_label,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    BootTrigger,
    DailyTrigger,
    EventTrigger,
    ExecAction,
    IdleSettings,
    LogonTrigger,
    LogonType,
    MonthlyDayOfWeekTrigger,
    MonthlyTrigger,
    MultipleInstances,
    Principal,
    RegistrationInfo,
    Repetition,
    Settings,
    TaskDefinition,
    TimeTrigger,
    Trigger,
    UnknownElement,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import parse_boundary, parse_duration

SIX = dt.datetime(2020, 1, 1, 6, 0)
CMD = "C:\\Windows\\System32\\cmd.exe"


def task(**changes: object) -> TaskDefinition:
    """The seed's task: cmd.exe /k synchro.bat & exit, daily at 06:00 every 15 minutes, as SYSTEM."""
    base = TaskDefinition(
        name="Synchro Stock",
        folder="\\Isotools",
        triggers=(DailyTrigger(start_boundary=SIX, repetition=Repetition(interval=dt.timedelta(minutes=15))),),
        principal=Principal(user_id="SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT),
        actions=(ExecAction(command=CMD, arguments="/k synchro.bat & exit", working_directory="D:\\Isotools\\stock\\"),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def lines(desired: TaskDefinition, actual: TaskDefinition, **kwargs: object) -> list[str]:
    return change_lines(compare_definitions(desired, actual, **kwargs))  # type: ignore[arg-type]


def test_the_same_task_has_no_change() -> None:
    assert compare_definitions(task(), task()) == ()


# --- accounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["SYSTEM", "NT AUTHORITY\\SYSTEM", "S-1-5-18", "nt authority\\system", "LocalSystem"])
def test_system_in_any_spelling_is_no_change(spelling: str) -> None:
    actual = task(principal=Principal(id="LocalSystem", user_id=spelling))
    assert lines(task(), actual) == []


def test_domain_and_upn_spellings_compare_by_the_sids_the_host_resolved() -> None:
    desired = task(principal=Principal(user_id="svc_sync@contoso.com", logon_type=LogonType.PASSWORD))
    actual = task(principal=Principal(user_id="CONTOSO\\svc_sync", logon_type=LogonType.PASSWORD))
    sids = {"svc_sync@contoso.com": "S-1-5-21-1-2-3-1104", "CONTOSO\\svc_sync": "S-1-5-21-1-2-3-1104"}
    assert lines(desired, actual, sids=sids) == []
    assert lines(desired, actual) == ["principal.user: CONTOSO\\svc_sync -> svc_sync@contoso.com"]


def test_a_principal_written_as_its_sid_matches_the_name_the_host_resolved() -> None:
    desired = task(principal=Principal(user_id="svc_sync", logon_type=LogonType.PASSWORD))
    actual = task(principal=Principal(user_id="S-1-5-21-1-2-3-1104", logon_type=LogonType.PASSWORD))
    assert lines(desired, actual, sids={"SVC_SYNC": "S-1-5-21-1-2-3-1104"}) == []


def test_another_account_is_a_change_shown_as_written() -> None:
    actual = task(principal=Principal(user_id="S-1-5-20"))
    assert lines(task(), actual) == ["principal.user: S-1-5-20 -> SYSTEM"]


def test_a_logon_trigger_user_is_compared_by_sid() -> None:
    desired = task(triggers=(LogonTrigger(user_id="CONTOSO\\ops"),))
    actual = task(triggers=(LogonTrigger(user_id="ops@contoso.com"),))
    assert lines(desired, actual, sids={"contoso\\ops": "S-1-5-21-7", "ops@contoso.com": "S-1-5-21-7"}) == []


# --- durations, boundaries ---------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["PT60M", "PT1H", "PT1H0M0S", "PT3600S"])
def test_durations_compare_as_durations(spelling: str) -> None:
    desired = task(settings=Settings(execution_time_limit=parse_duration("PT1H")))
    actual = task(settings=Settings(execution_time_limit=parse_duration(spelling)))
    assert lines(desired, actual) == []


def test_a_duration_change_is_shown_in_canonical_iso() -> None:
    desired = task(settings=Settings(execution_time_limit=parse_duration("PT90M")))
    assert lines(desired, task()) == ["settings.execution_time_limit: P3D -> PT1H30M"]


def test_naive_and_aware_boundaries_never_match() -> None:
    aware = task(triggers=(DailyTrigger(start_boundary=parse_boundary("2020-01-01T06:00:00Z")),))
    naive = task(triggers=(DailyTrigger(start_boundary=parse_boundary("2020-01-01T06:00:00")),))
    assert lines(naive, aware) == ["triggers[daily 06:00Z]: daily at 06:00Z -> 06:00"]


@pytest.mark.parametrize(
    ("before", "after", "line"),
    [
        (
            DailyTrigger(start_boundary=dt.datetime(2020, 1, 1, 3, 30)),
            DailyTrigger(start_boundary=dt.datetime(2020, 1, 1, 2)),
            "triggers[daily 03:30]: daily at 03:30 -> 02:00",
        ),
        (
            WeeklyTrigger(start_boundary=dt.datetime(2020, 1, 1, 2), days_of_week=frozenset({"monday", "friday"})),
            WeeklyTrigger(start_boundary=dt.datetime(2020, 1, 1, 4, 15), days_of_week=frozenset({"monday", "friday"})),
            "triggers[weekly mon,fri 02:00]: weekly mon,fri at 02:00 -> 04:15",
        ),
        (
            DailyTrigger(start_boundary=dt.datetime(2012, 3, 1, 6)),
            DailyTrigger(start_boundary=dt.datetime(2020, 1, 1, 6, 30)),
            "triggers[daily 06:00]: daily at 2012-03-01 06:00 -> 06:30",
        ),
        (
            TimeTrigger(start_boundary=dt.datetime(2026, 12, 1, 6)),
            TimeTrigger(start_boundary=dt.datetime(2026, 12, 2, 6)),
            "triggers[once 2026-12-01 06:00]: once at 2026-12-01 06:00 -> 2026-12-02 06:00",
        ),
    ],
    ids=["daily", "weekly", "a first day given", "once"],
)
def test_a_changed_start_reads_as_the_inventory_writes_it(before: Trigger, after: Trigger, line: str) -> None:
    # Issue 11.5: "daily at 03:30 -> 02:00", not two boundaries on the anchor date nobody wrote.
    assert lines(task(triggers=(after,)), task(triggers=(before,))) == [line]


def test_aware_boundaries_are_instants_whatever_the_offset() -> None:
    utc = task(triggers=(DailyTrigger(start_boundary=parse_boundary("2020-01-01T05:00:00Z")),))
    paris = task(triggers=(DailyTrigger(start_boundary=parse_boundary("2020-01-01T06:00:00+01:00")),))
    assert lines(utc, paris) == []


# --- names, triggers, actions ------------------------------------------------------------------


def test_names_and_folders_are_case_insensitive() -> None:
    assert lines(task(), task(name="SYNCHRO STOCK", folder="\\isotools\\")) == []


def test_trigger_order_does_not_matter() -> None:
    boot = BootTrigger()
    weekly = WeeklyTrigger(start_boundary=SIX, days_of_week=frozenset({"monday", "friday"}))
    daily = task().triggers[0]
    assert lines(task(triggers=(daily, boot, weekly)), task(triggers=(weekly, daily, boot))) == []


def test_one_edited_trigger_is_reported_field_by_field() -> None:
    boot = BootTrigger()
    desired = task(triggers=(boot, DailyTrigger(start_boundary=SIX, repetition=Repetition(interval=parse_duration("PT10M")))))
    assert lines(desired, task(triggers=(task().triggers[0], boot))) == ["triggers[daily 06:00].repetition.interval: PT15M -> PT10M"]


def test_a_trigger_added_or_removed_is_named_by_its_schedule() -> None:
    weekly = WeeklyTrigger(start_boundary=dt.datetime(2020, 1, 1, 2), days_of_week=frozenset({"friday", "monday"}))
    assert lines(task(triggers=(*task().triggers, weekly)), task()) == ["triggers[weekly mon,fri 02:00]: (absent) -> weekly mon,fri 02:00"]
    assert lines(task(), task(triggers=(*task().triggers, BootTrigger(enabled=False)))) == ["triggers[boot]: boot, disabled -> (absent)"]


def test_a_repeated_trigger_counts() -> None:
    desired = task(triggers=(BootTrigger(), BootTrigger()))
    assert lines(desired, task(triggers=(BootTrigger(),))) == ["triggers[boot]: (absent) -> boot"]


def test_a_trigger_id_labels_it() -> None:
    desired = task(triggers=(DailyTrigger(id="morning", start_boundary=SIX, enabled=False),))
    actual = task(triggers=(DailyTrigger(id="morning", start_boundary=SIX),))
    assert lines(desired, actual) == ["triggers[morning].enabled: true -> false"]


def test_an_absent_delay_is_windows_default_pt0s() -> None:
    assert lines(task(triggers=(BootTrigger(),)), task(triggers=(BootTrigger(delay=dt.timedelta(0)),))) == []
    assert lines(task(triggers=(BootTrigger(delay=parse_duration("PT5M")),)), task(triggers=(BootTrigger(),))) == ["triggers[boot].delay: PT0S -> PT5M"]


def test_action_order_matters() -> None:
    first = ExecAction(command=CMD, arguments="/c first.bat")
    second = ExecAction(command=CMD, arguments="/c second.bat")
    assert lines(task(actions=(first, second)), task(actions=(second, first))) == [
        "actions[0].arguments: /c second.bat -> /c first.bat",
        "actions[1].arguments: /c first.bat -> /c second.bat",
    ]


def test_arguments_are_data_compared_exactly() -> None:
    actual = task(actions=(ExecAction(command=CMD, arguments="/k synchro.bat && exit", working_directory="D:\\Isotools\\stock\\"),))
    assert lines(task(), actual) == ["actions[0].arguments: /k synchro.bat && exit -> /k synchro.bat & exit"]


def test_an_added_action_is_shown_as_its_command_line() -> None:
    extra = ExecAction(command=CMD, arguments="/c mail.bat")
    assert lines(task(actions=(*task().actions, extra)), task()) == [f"actions[1]: (absent) -> {CMD} /c mail.bat"]


# --- what Windows fills in is not drift ---------------------------------------------------------


def test_registration_date_uri_version_and_source_are_not_drift() -> None:
    info = RegistrationInfo(date="2026-01-01T10:00:00.1234567", uri="\\Isotools\\Synchro Stock", version="1.0.0", source="someone")
    assert lines(task(), task(registration_info=info)) == []


def test_principal_id_and_its_actions_context_are_not_drift() -> None:
    actual = task(principal=Principal(id="LocalSystem", user_id="S-1-5-18"), actions_context="LocalSystem")
    assert lines(task(), actual) == []
    assert lines(task(), task(actions_context="Other")) == ["actions_context: Other -> (absent)"]


def test_idle_durations_left_unset_are_not_drift() -> None:
    filled = Settings(idle_settings=IdleSettings(duration=parse_duration("PT10M"), wait_timeout=parse_duration("PT1H")))
    assert lines(task(), task(settings=filled)) == []
    wanted = Settings(idle_settings=IdleSettings(duration=parse_duration("PT5M")))
    assert lines(task(settings=wanted), task(settings=filled)) == ["settings.idle_settings.duration: PT10M -> PT5M"]


def test_task_version_matters_only_as_the_requested_compatibility() -> None:
    assert lines(task(version="1.2"), task(version="1.4")) == []
    wanted = task(settings=Settings(compatibility="1.4"))
    assert lines(wanted, task(version="1.6")) == []
    assert lines(wanted, task(version="1.2")) == ["settings.compatibility: vista (1.2) -> win8 (1.4)"]


def test_a_full_windows_export_matches_the_sparse_spec_it_came_from() -> None:
    """Corpus 040 is a Windows export: defaults written out, a Date, Context="Author", SID user."""
    from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml

    data = require(CORPUS / "040_logicdaemon-weekly-system.xml").read_bytes()
    actual = parse_xml(data, name="pack_archive", folder="\\")
    desired = TaskDefinition(
        name="pack_archive",
        registration_info=RegistrationInfo(author="El-2\\Anton.Derbenev"),
        triggers=(
            WeeklyTrigger(
                start_boundary=dt.datetime(2017, 10, 10, 7),
                random_delay=parse_duration("PT60M"),
                days_of_week=frozenset({"thursday"}),
            ),
        ),
        principal=Principal(user_id="NT AUTHORITY\\SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT),
        settings=Settings(
            stop_if_going_on_batteries=False,
            allow_hard_terminate=False,
            start_when_available=True,
            idle_settings=IdleSettings(stop_on_idle_end=False),
            run_only_if_idle=True,
            execution_time_limit=parse_duration("PT240M"),
        ),
        actions=(ExecAction(command="D:\\Local_Scripts\\MoveOldFilesToArchive\\pack_archive.cmd"),),
    )
    assert lines(desired, actual) == []
    assert lines(replace(desired, settings=replace(desired.settings, priority=5)), actual) == ["settings.priority: 7 -> 5"]


# --- unknown elements, readable strings ---------------------------------------------------------


def test_unknown_elements_compare_by_their_xml_text() -> None:
    spaced = UnknownElement(parent="Settings", tag="Foo", xml="<Foo>\n  <Bar>1</Bar>\n</Foo>")
    tight = UnknownElement(parent="Settings", tag="Foo", xml="<Foo> <Bar>1</Bar> </Foo>")
    other = UnknownElement(parent="Settings", tag="Foo", xml="<Foo><Bar>2</Bar></Foo>")
    assert lines(task(unknown_elements=(spaced,)), task(unknown_elements=(tight,))) == []
    assert lines(task(unknown_elements=(other,)), task(unknown_elements=(tight,))) == [
        "unknown[Settings/Foo]: <Foo> <Bar>1</Bar> </Foo> -> (absent)",
        "unknown[Settings/Foo]: (absent) -> <Foo><Bar>2</Bar></Foo>",
    ]


def test_field_changes_read_as_sentences() -> None:
    assert str(FieldChange("triggers[daily 06:00].repetition.interval", "PT15M", "PT10M")) == ("triggers[daily 06:00].repetition.interval: PT15M -> PT10M")
    assert str(FieldChange("description", None, "")) == 'description: (absent) -> ""'
    wanted = task(
        settings=Settings(multiple_instances=MultipleInstances.PARALLEL, start_when_available=True),
        principal=Principal(user_id="SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT, required_privileges=("SeBatchLogonRight",)),
        registration_info=RegistrationInfo(description="Stock ERP -> shop"),
    )
    assert lines(wanted, task()) == [
        "description: (absent) -> Stock ERP -> shop",
        "principal.required_privileges: (absent) -> SeBatchLogonRight",
        "settings.multiple_instances: ignore_new -> parallel",
        "settings.start_when_available: false -> true",
    ]


@pytest.mark.parametrize(
    ("trigger", "label"),
    [
        (DailyTrigger(start_boundary=SIX), "daily 06:00"),
        (DailyTrigger(start_boundary=SIX, days_interval=2), "every 2 days 06:00"),
        (
            WeeklyTrigger(start_boundary=dt.datetime(2020, 1, 1, 2, 0, 30), days_of_week=frozenset({"sunday", "monday"})),
            "weekly mon,sun 02:00:30",
        ),
        (
            MonthlyTrigger(start_boundary=SIX, days_of_month=frozenset({15, 1}), last_day_of_month=True),
            "monthly 1,15,last 06:00",
        ),
        (
            MonthlyDayOfWeekTrigger(start_boundary=SIX, weeks=frozenset({"last", "1"}), days_of_week=frozenset({"monday"})),
            "monthly_dow 1,last mon 06:00",
        ),
        (TimeTrigger(start_boundary=parse_boundary("2026-03-01T06:00:00+01:00")), "once 2026-03-01 06:00+01:00"),
        (BootTrigger(), "boot"),
        (LogonTrigger(user_id="CONTOSO\\ops"), "logon CONTOSO\\ops"),
        (EventTrigger(subscription='<QueryList><Query Path="System"/></QueryList>'), "event System"),
        (BootTrigger(id="After boot"), "After boot"),
    ],
)
def test_trigger_labels(trigger: object, label: str) -> None:
    assert trigger_label(trigger) == label  # type: ignore[arg-type]


def test_an_event_query_compares_however_it_is_indented() -> None:
    query = '<QueryList>\n  <Query Id="0" Path="System">\n    <Select Path="System">*[System[EventID=6005]]</Select>\n  </Query>\n</QueryList>'
    desired = task(triggers=(EventTrigger(subscription=" ".join(query.split())),))
    assert lines(desired, task(triggers=(EventTrigger(subscription=query),))) == []
    other = task(triggers=(EventTrigger(subscription=query.replace("6005", "6006")),))
    (change,) = lines(desired, other)
    assert change.startswith("triggers[event System].subscription: <QueryList> <Query")


def test_a_multi_line_description_is_compared_as_written() -> None:
    desired = task(registration_info=RegistrationInfo(description="Stock\n\nERP -> shop"))
    assert lines(desired, task(registration_info=RegistrationInfo(description="Stock ERP -> shop"))) == [
        "description: Stock ERP -> shop -> Stock\\n\\nERP -> shop"
    ]


@pytest.mark.parametrize(
    ("command", "folder"),
    [
        ("c:\\windows\\system32\\CMD.EXE", "D:\\Isotools\\stock"),
        (CMD, "d:\\ISOTOOLS\\stock\\"),
        (CMD, "D:\\Isotools\\stock"),
    ],
)
def test_a_program_or_folder_spelt_otherwise_is_no_change(command: str, folder: str) -> None:
    # Windows finds a program and a folder case-insensitively, and D:\x\ is the folder D:\x.
    respelt = task(actions=(ExecAction(command=command, arguments="/k synchro.bat & exit", working_directory=folder),))
    assert compare_definitions(respelt, task()) == ()


def test_another_folder_is_a_change_shown_as_written() -> None:
    moved = task(actions=(ExecAction(command=CMD, arguments="/k synchro.bat & exit", working_directory="D:\\Isotools\\prix"),))
    assert lines(moved, task()) == ["actions[0].working_directory: D:\\Isotools\\stock\\ -> D:\\Isotools\\prix"]
