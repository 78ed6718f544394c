# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property: for any definition the model can hold, parse(render(definition)) is the definition.

"Any" within what a definition read from XML can be: optional text is absent rather than empty,
durations are whole seconds, a group principal is a group logon, SYSTEM / LOCAL SERVICE /
NETWORK SERVICE run as service accounts, SIDs are resolved on the host (not here), and
``settings.compatibility`` (a wish, carried by Task/@version) is unset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from taskxml_samples import by_meaning

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_service_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    MONTHS,
    NAMESPACE,
    WEEKDAYS,
    WEEKS_OF_MONTH,
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
    UnsupportedAction,
    UnsupportedTrigger,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import encode_for_host, parse_xml, render_xml

# Any character XML 1.0 can carry, with markup and line-end characters made likely.
text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from("\t\n\r&<>\"']]>"),
    min_size=1,
    max_size=16,
)
maybe_text = st.none() | text
durations = st.integers(0, 400 * 86400).map(lambda seconds: dt.timedelta(seconds=seconds))
maybe_duration = st.none() | durations
offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
boundaries = st.none() | st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1), timezones=st.one_of(st.none(), offsets))
KEPT_TRIGGER = UnsupportedTrigger(
    enabled=False,
    tag="WnfStateChangeTrigger",
    xml=f'<WnfStateChangeTrigger xmlns="{NAMESPACE}">\n  <Enabled>false</Enabled>\n  <StateName>7508BCA3380C960C</StateName>\n</WnfStateChangeTrigger>',
)
KEPT_ACTION = UnsupportedAction(
    kind="ComHandler",
    xml=f'<ComHandler xmlns="{NAMESPACE}">\n  <ClassId>{{58FB76B9-AC85-4E55-AC04-427593B1D060}}</ClassId>\n  <Data>KEYROAMING</Data>\n</ComHandler>',
)
# In the order a read collects them: sections first (registration, triggers, principal, settings,
# actions), task-level elements last.
KEPT_ELEMENTS = (
    UnknownElement(parent="RegistrationInfo", tag="Note", xml=f'<Note xmlns="{NAMESPACE}">kept</Note>'),
    UnknownElement(
        parent="Settings",
        tag="NetworkProfileName",
        xml=f'<NetworkProfileName xmlns="{NAMESPACE}">Lan</NetworkProfileName>',
    ),
    UnknownElement(parent="Task", tag="Data", xml=f'<Data xmlns="{NAMESPACE}">7b</Data>'),
)


@st.composite
def trigger_base(draw: st.DrawFn) -> dict[str, Any]:
    repetition = st.builds(Repetition, interval=durations, duration=maybe_duration, stop_at_duration_end=st.booleans())
    return {
        "id": draw(maybe_text),
        "enabled": draw(st.booleans()),
        "start_boundary": draw(boundaries),
        "end_boundary": draw(boundaries),
        "execution_time_limit": draw(maybe_duration),
        "repetition": draw(st.none() | repetition),
    }


def subsets(values: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values))


@st.composite
def triggers(draw: st.DrawFn) -> Any:
    base = draw(trigger_base())
    kind = draw(
        st.sampled_from(
            (
                "once",
                "daily",
                "weekly",
                "monthly",
                "monthly_dow",
                "boot",
                "logon",
                "idle",
                "registration",
                "session",
                "event",
                "kept",
            )
        )
    )
    if kind == "kept":
        return KEPT_TRIGGER
    random_delay = draw(maybe_duration)
    delay = draw(maybe_duration)
    built: dict[str, Any] = {
        "once": lambda: TimeTrigger(**base, random_delay=random_delay),
        "daily": lambda: DailyTrigger(**base, random_delay=random_delay, days_interval=draw(st.integers(1, 365))),
        "weekly": lambda: WeeklyTrigger(
            **base,
            random_delay=random_delay,
            weeks_interval=draw(st.integers(1, 52)),
            days_of_week=draw(subsets(WEEKDAYS)),
        ),
        "monthly": lambda: MonthlyTrigger(
            **base,
            random_delay=random_delay,
            months=draw(subsets(MONTHS)),
            days_of_month=draw(st.frozensets(st.integers(1, 31))),
            last_day_of_month=draw(st.booleans()),
        ),
        "monthly_dow": lambda: MonthlyDayOfWeekTrigger(
            **base,
            random_delay=random_delay,
            months=draw(subsets(MONTHS)),
            weeks=draw(subsets(WEEKS_OF_MONTH)),
            days_of_week=draw(subsets(WEEKDAYS)),
        ),
        "boot": lambda: BootTrigger(**base, delay=delay),
        "logon": lambda: LogonTrigger(**base, delay=delay, user_id=draw(maybe_text)),
        "idle": lambda: IdleTrigger(**base),
        "registration": lambda: RegistrationTrigger(**base, delay=delay),
        "session": lambda: SessionStateChangeTrigger(**base, delay=delay, user_id=draw(maybe_text), state_change=draw(st.sampled_from(SessionStateChange))),
        "event": lambda: EventTrigger(
            **base,
            delay=delay,
            subscription=draw(text),
            value_queries=tuple(sorted(draw(st.dictionaries(text, text, max_size=3)).items())),
        ),
    }
    return built[kind]()


@st.composite
def principals(draw: st.DrawFn) -> Principal:
    kind = draw(st.sampled_from(("user", "service", "group", "nobody")))
    user_id = group_id = None
    if kind == "service":
        user_id = draw(st.sampled_from(("SYSTEM", "S-1-5-18", "NT AUTHORITY\\LOCAL SERVICE", "network service", "S-1-5-20")))
        logon_type: LogonType | None = LogonType.SERVICE_ACCOUNT
    elif kind == "group":
        group_id = draw(text)
        logon_type = LogonType.GROUP
    else:
        if kind == "user":
            user_id = draw(text.filter(lambda name: not is_service_account(name)))
        logon_type = draw(
            st.sampled_from(
                (
                    None,
                    LogonType.PASSWORD,
                    LogonType.S4U,
                    LogonType.INTERACTIVE_TOKEN,
                    LogonType.INTERACTIVE_TOKEN_OR_PASSWORD,
                )
            )
        )
    return Principal(
        id=draw(text),
        user_id=user_id,
        group_id=group_id,
        logon_type=logon_type,
        run_level=draw(st.sampled_from(RunLevel)),
        display_name=draw(maybe_text),
        required_privileges=tuple(draw(st.lists(st.sampled_from(("SeBackupPrivilege", "SeRestorePrivilege")), max_size=2))),
        process_token_sid_type=draw(st.none() | st.sampled_from(("None", "Unrestricted", "Default"))),
    )


task_settings = st.builds(
    Settings,
    multiple_instances=st.sampled_from(MultipleInstances),
    disallow_start_if_on_batteries=st.booleans(),
    stop_if_going_on_batteries=st.booleans(),
    allow_hard_terminate=st.booleans(),
    start_when_available=st.booleans(),
    run_only_if_network_available=st.booleans(),
    network_settings=st.none() | st.builds(NetworkSettings, name=maybe_text, id=st.none() | st.uuids().map(lambda uuid: f"{{{uuid}}}")),
    idle_settings=st.builds(
        IdleSettings,
        duration=maybe_duration,
        wait_timeout=maybe_duration,
        stop_on_idle_end=st.booleans(),
        restart_on_idle=st.booleans(),
    ),
    allow_demand_start=st.booleans(),
    enabled=st.booleans(),
    hidden=st.booleans(),
    run_only_if_idle=st.booleans(),
    wake_to_run=st.booleans(),
    execution_time_limit=durations,
    priority=st.integers(0, 10),
    delete_expired_task_after=maybe_duration,
    restart_on_failure=st.none() | st.builds(RestartOnFailure, interval=durations, count=st.integers(1, 999)),
    disallow_start_on_remote_app_session=st.booleans(),
    use_unified_scheduling_engine=st.booleans(),
    volatile=st.booleans(),
    maintenance_settings=st.none() | st.builds(MaintenanceSettings, period=durations, deadline=maybe_duration, exclusive=st.booleans()),
)
actions = st.builds(ExecAction, command=text, arguments=maybe_text, working_directory=maybe_text, id=maybe_text) | st.just(KEPT_ACTION)
definitions = st.builds(
    TaskDefinition,
    name=st.just("Random"),
    folder=st.just("\\Isotools"),
    registration_info=st.builds(
        RegistrationInfo,
        description=maybe_text,
        author=maybe_text,
        documentation=maybe_text,
        source=maybe_text,
        version=maybe_text,
        security_descriptor=maybe_text,
    ),
    triggers=st.lists(triggers(), max_size=4).map(tuple),
    principal=principals(),
    settings=task_settings,
    actions=st.lists(actions, min_size=1, max_size=3).map(tuple),
    actions_context=maybe_text,
    unknown_elements=st.lists(st.sampled_from(KEPT_ELEMENTS), unique=True).map(lambda kept: tuple(sorted(kept, key=KEPT_ELEMENTS.index))),
)


@settings(max_examples=100, deadline=None)
@given(definitions)
def test_parse_of_render_is_the_identity(definition: TaskDefinition) -> None:
    assert by_meaning(parse_xml(render_xml(definition), name="Random", folder="\\Isotools")) == definition


@settings(max_examples=25, deadline=None)
@given(definitions)
def test_the_bytes_windows_stores_read_back_the_same(definition: TaskDefinition) -> None:
    data = encode_for_host(render_xml(definition))
    assert by_meaning(parse_xml(data, name="Random", folder="\\Isotools")) == definition
