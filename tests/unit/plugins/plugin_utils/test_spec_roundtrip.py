# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A canonical spec re-applies with no change: spec -> definition -> spec -> the same definition.

Random valid specs, written the friendly way or the canonical way, go through
``parse_spec`` -> ``spec_from_definition`` -> ``parse_spec``: the definition must come back
identical, and the canonical spec must be a fixed point.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_data import CORPUS, require

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import model
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError, parse_spec, spec_from_definition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary, format_duration

CALENDAR = ("once", "daily", "weekly", "monthly", "monthly_dow")
TYPES = (*CALENDAR, "boot", "logon", "idle", "registration", "session_state_change", "event")
DAY = 86400
ZONES = (
    dt.timezone.utc,
    dt.timezone(dt.timedelta(hours=1)),
    dt.timezone(dt.timedelta(hours=-6)),
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
)
ACCOUNTS = (
    "svc_sync",
    "ISOTOOLS\\svc_sync",
    "svc_sync@isotools.local",
    "S-1-5-21-1004336348-1177238915-682003330-1001",
)


def friendly(seconds: int) -> str:
    """``1d2h3m4s`` with the zero parts left out."""
    days, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(f"{amount}{unit}" for amount, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if amount)
    return text or "0s"


# Strategies are built once: building them per draw costs more than the whole test.
RENDERINGS = st.sampled_from([lambda seconds: format_duration(dt.timedelta(seconds=seconds)), friendly])


def durations(low: int, high: int) -> st.SearchStrategy[str]:
    """Between ``low`` and ``high`` seconds, written ISO or the friendly way."""
    return st.builds(lambda seconds, how: how(seconds), st.integers(low, high), RENDERINGS)


def written(draw: st.DrawFn, seconds: int) -> str:
    return draw(RENDERINGS)(seconds)


BOOLEANS = st.one_of(st.booleans(), st.sampled_from(["yes", "no", "true", "false", "Yes", "FALSE"]))
NAME_SPELLINGS = st.sampled_from([str.lower, str.upper, str.title, lambda name: name[:3]])
TYPE_SPELLINGS = st.sampled_from([str.lower, str.upper, lambda kind: kind.replace("_", "-")])
MOMENTS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1))
MICROSECONDS = st.sampled_from([0, 0, 0, 500000, 123456])
CALENDAR_STARTS = st.sampled_from(["iso", "aware", "yaml", "at-time", "at-date"])
OTHER_STARTS = st.sampled_from(["iso", "aware", "yaml"])
REPETITION_FORMS = st.sampled_from(["none", "canonical", "every", "every-for", "every-until"])
INTERVALS = st.integers(60, 31 * DAY)
EXTRA = st.integers(0, 40 * DAY)
LIFETIMES = st.integers(0, 400 * DAY)


def names(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """A list of weekday/month names, each full, abbreviated or in another case."""
    return st.lists(st.builds(lambda value, how: how(value), st.sampled_from(values), NAME_SPELLINGS), min_size=1, max_size=len(values))


@st.composite
def starts(draw: st.DrawFn, calendar: bool) -> tuple[dt.datetime, dict[str, object]]:
    """A start and the way the spec writes it (``at`` only exists on calendar triggers)."""
    moment = draw(MOMENTS).replace(microsecond=draw(MICROSECONDS))
    how = draw(CALENDAR_STARTS if calendar else OTHER_STARTS)
    if how == "aware":
        moment = moment.replace(tzinfo=draw(st.sampled_from(ZONES)))
        return moment, {"start_boundary": format_boundary(moment)}
    if how == "yaml":
        return moment, {"start_boundary": moment}
    if how == "at-time":
        moment = dt.datetime.combine(dt.date(2020, 1, 1), moment.time().replace(microsecond=0))
        return moment, {"at": moment.strftime("%H:%M:%S")}
    if how == "at-date":
        moment = moment.replace(second=0, microsecond=0)
        return moment, {"at": moment.strftime("%Y-%m-%d %H:%M")}
    return moment, {"start_boundary": format_boundary(moment)}


@st.composite
def repetitions(draw: st.DrawFn, start: dt.datetime | None) -> dict[str, object]:
    how = draw(REPETITION_FORMS)
    interval = draw(INTERVALS)
    if how == "none":
        return {}
    if how == "every":
        return {"every": written(draw, interval)}
    if how == "every-for":
        return {"every": written(draw, interval), "for": written(draw, interval + draw(EXTRA))}
    if how == "every-until" and start is not None and start.hour < 23:
        seconds_into_day = start.hour * 3600 + start.minute * 60 + start.second
        room = DAY - 1 - seconds_into_day
        interval = draw(st.integers(60, room))
        until = dt.datetime.combine(dt.date(2020, 1, 1), start.time()) + dt.timedelta(seconds=draw(st.integers(interval, room)))
        return {"every": written(draw, interval), "until": until.strftime("%H:%M:%S")}
    repetition: dict[str, object] = {"interval": written(draw, interval)}
    if draw(st.booleans()):
        repetition["duration"] = written(draw, interval + draw(EXTRA))
    if draw(st.booleans()):
        repetition["stop_at_duration_end"] = draw(BOOLEANS)
    return {"repetition": repetition}


@st.composite
def triggers(draw: st.DrawFn, index: int) -> dict[str, object]:
    kind = draw(st.sampled_from(TYPES))
    trigger: dict[str, object] = {"type": draw(TYPE_SPELLINGS)(kind)}
    if draw(st.booleans()):
        trigger["id"] = f"trigger {index}"
    if draw(st.booleans()):
        trigger["enabled"] = draw(BOOLEANS)
    start = None
    if kind in CALENDAR or draw(st.booleans()):
        start, start_options = draw(starts(kind in CALENDAR))
        trigger.update(start_options)
        if draw(st.booleans()):
            trigger["end_boundary"] = format_boundary(start + dt.timedelta(seconds=draw(LIFETIMES)))
    if draw(st.booleans()):
        trigger["execution_time_limit"] = draw(TIME_LIMITS)
    trigger.update(draw(repetitions(start)))
    trigger.update(draw(SPECIFIC[kind]))
    return trigger


def _specific(kind: str) -> st.SearchStrategy[dict[str, object]]:
    delay = {"delay": durations(0, 2 * DAY)}
    random_delay = {"random_delay": durations(0, 2 * DAY)}
    user = {"user": st.sampled_from(ACCOUNTS)}
    months = {"months": names(model.MONTHS), **random_delay}
    weekdays = names(model.WEEKDAYS)
    by_kind: dict[str, tuple[dict[str, st.SearchStrategy[Any]], dict[str, st.SearchStrategy[Any]]]] = {
        "once": ({}, random_delay),
        "daily": ({}, {"days_interval": st.one_of(st.integers(1, 365), st.integers(1, 365).map(str)), **random_delay}),
        "weekly": ({"days_of_week": weekdays}, {"weeks_interval": st.integers(1, 52), **random_delay}),
        "monthly": (
            {"days_of_month": st.lists(st.one_of(st.integers(1, 31), st.just("last")), min_size=1, max_size=8)},
            months,
        ),
        "monthly_dow": (
            {"weeks": st.lists(st.sampled_from([1, 2, 3, 4, "last", "first"]), min_size=1), "days_of_week": weekdays},
            months,
        ),
        "boot": ({}, delay),
        "logon": ({}, {**delay, **user}),
        "idle": ({}, {}),
        "registration": ({}, delay),
        "session_state_change": (
            {"state_change": st.sampled_from([item.value for item in model.SessionStateChange])},
            {**delay, **user},
        ),
        "event": (
            {"subscription": st.just('<QueryList><Query Id="0" Path="System"><Select Path="System">*</Select></Query></QueryList>')},
            {
                **delay,
                "value_queries": st.dictionaries(st.sampled_from(["id", "channel", "level"]), st.just("Event/System/EventID"), min_size=1),
            },
        ),
    }
    required, optional = by_kind[kind]
    return st.fixed_dictionaries(required, optional=optional)


TIME_LIMITS = durations(0, 10 * DAY)
SPECIFIC = {kind: _specific(kind) for kind in TYPES}
PRINCIPALS = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {"user": st.sampled_from(["SYSTEM", "NT AUTHORITY\\SYSTEM", "S-1-5-18", "LOCAL SERVICE", "S-1-5-20"])},
        optional={"logon_type": st.sampled_from(["service_account", "interactive_token"])},
    ),
    st.fixed_dictionaries(
        {
            "user": st.sampled_from(ACCOUNTS),
            "logon_type": st.sampled_from(["password", "interactive_token_or_password"]),
        },
        optional={"password": st.text(min_size=1, max_size=12).filter(str.strip)},
    ),
    st.fixed_dictionaries({"user": st.sampled_from(ACCOUNTS)}, optional={"logon_type": st.sampled_from(["s4u", "interactive_token"])}),
    st.fixed_dictionaries({"group": st.sampled_from(["BUILTIN\\Users", "S-1-5-32-544"])}, optional={"logon_type": st.just("group")}),
    st.fixed_dictionaries({"user": st.just("ISOTOOLS\\gmsa_sync$")}, optional={"logon_type": st.just("password")}),
    st.fixed_dictionaries({"logon_type": st.sampled_from(["password", "s4u", "interactive_token"])}),
).flatmap(
    lambda principal: st.fixed_dictionaries(
        {key: st.just(value) for key, value in principal.items()},
        optional={
            "run_level": st.sampled_from(["limited", "highest", "HighestAvailable"]),
            "display_name": st.just("Synchro"),
        },
    )
)

SETTINGS = st.fixed_dictionaries(
    {},
    optional={
        "multiple_instances": st.sampled_from([item.value for item in model.MultipleInstances]),
        "disallow_start_if_on_batteries": BOOLEANS,
        "stop_if_going_on_batteries": BOOLEANS,
        "start_when_available": BOOLEANS,
        "run_only_if_network_available": BOOLEANS,
        "network_profile": st.fixed_dictionaries({}, optional={"name": st.just("Office"), "id": st.just("8b0c9a3e-0d9b-4d3a-9d59-3f4f3c1a2b7e")}),
        "idle_settings": st.fixed_dictionaries(
            {},
            optional={
                "duration": durations(60, DAY),
                "wait_timeout": durations(60, DAY),
                "stop_on_idle_end": BOOLEANS,
                "restart_on_idle": BOOLEANS,
            },
        ),
        "hidden": BOOLEANS,
        "wake_to_run": BOOLEANS,
        "execution_time_limit": durations(0, 10 * DAY),
        "priority": st.integers(0, 10),
        "delete_expired_task_after": durations(0, 60 * DAY),
        "restart_on_failure": st.fixed_dictionaries({"interval": durations(60, 31 * DAY), "count": st.integers(1, 999)}),
        "volatile": BOOLEANS,
        "maintenance": st.integers(DAY, 30 * DAY).flatmap(
            lambda period: st.fixed_dictionaries(
                {"period": durations(period, period)},
                optional={"deadline": durations(period + 1, 60 * DAY), "exclusive": BOOLEANS},
            )
        ),
        "compatibility": st.sampled_from(["vista", "win7", "win8", "win10"]),
    },
)

ACTIONS = st.lists(
    st.fixed_dictionaries(
        {"command": st.sampled_from(["C:\\Windows\\System32\\cmd.exe", "powershell.exe", '"C:\\Program Files\\Isotools\\sync.exe"'])},
        optional={
            "arguments": st.sampled_from(["/k synchro.bat & exit", '/c "a b" < in > out', "", "-File %APPDATA%\\x.ps1"]),
            "working_directory": st.sampled_from(["D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\", "\\\\files\\share", "%TEMP%"]),
        },
    ),
    min_size=1,
    max_size=4,
)


NAMES = st.from_regex(r"[A-Za-z0-9é][A-Za-z0-9é _&()-]{0,20}", fullmatch=True).map(lambda text: "Synchro " + text.strip())
OPTIONAL_TOP = st.fixed_dictionaries(
    {},
    optional={
        "folder": st.sampled_from(["\\", "\\Isotools", "Isotools", "\\Isotools\\Prod\\"]),
        "description": st.text(max_size=40),
        "author": st.just("Isotools"),
        "documentation": st.just("KB_2010SYNC_PLAN"),
        "password_version": st.just("2026-03"),
    },
)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, object]:
    spec: dict[str, object] = {
        "name": draw(NAMES),
        "actions": [{**action, "id": f"action {index}"} if draw(st.booleans()) else action for index, action in enumerate(draw(ACTIONS))],
    }
    spec.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "folder": st.sampled_from(["\\", "\\Isotools", "Isotools", "\\Isotools\\Prod\\"]),
                    "description": st.text(max_size=40),
                    "author": st.just("Isotools"),
                    "documentation": st.just("KB_2010SYNC_PLAN"),
                    "password_version": st.just("2026-03"),
                },
            )
        )
    )
    trigger_list = [draw(triggers(index)) for index in range(draw(st.integers(0, 4)))]
    if trigger_list:
        spec["triggers"] = trigger_list
    principal = draw(PRINCIPALS)
    if principal:
        spec["principal"] = principal
    task_settings = draw(SETTINGS)
    if not any("end_boundary" in trigger for trigger in trigger_list):
        task_settings.pop("delete_expired_task_after", None)
    if task_settings:
        spec["settings"] = task_settings
    return spec


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_canonical_spec_gives_back_the_same_definition_and_is_a_fixed_point(spec: dict[str, object]) -> None:
    definition = parse_spec(spec).definition
    canonical = spec_from_definition(definition)
    assert parse_spec(canonical).definition == definition
    assert spec_from_definition(parse_spec(canonical).definition) == canonical
    assert json.loads(json.dumps(canonical)) == canonical  # plain data, returnable as a module result


def _without_registration_details(definition: model.TaskDefinition) -> model.TaskDefinition:
    """Drop what a spec does not carry: RegistrationInfo date/URI/source/version, Task/@version."""
    info = replace(definition.registration_info, date=None, uri=None, source=None, version=None)
    return replace(definition, registration_info=info, version=None)


def _as_a_spec_says_it(definition: model.TaskDefinition) -> model.TaskDefinition:
    """Also drop what Windows writes on its own (principal id, SID and privileges, Actions/@Context,
    the security descriptor) and what the model keeps verbatim but a spec cannot say."""
    plain = _without_registration_details(definition)
    return replace(
        plain,
        registration_info=replace(plain.registration_info, security_descriptor=None),
        principal=replace(plain.principal, id="Author", sid=None, required_privileges=(), process_token_sid_type=None),
        actions_context=None,
        triggers=tuple(trigger for trigger in plain.triggers if not isinstance(trigger, model.UnsupportedTrigger)),
        actions=tuple(action for action in plain.actions if isinstance(action, model.ExecAction)),
        unknown_elements=(),
    )


# Real exports whose own values a spec refuses (an adoption reports the field instead of a spec).
CORPUS_REFUSED = {
    "024_smartmontools-monthly-days-placeholders.xml": "actions[0].working_directory",  # '[PATH]', a template placeholder
    "044_webpier-boot-s4u-empty-date.xml": "actions[0].command",  # empty <Command>
    "046_bluscream-boot-logon-sessionstate-restart.xml": "actions[0].working_directory",  # quoted Start in
}
CORPUS_FILES = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.name for path in CORPUS_FILES])
def test_corpus_task_adopts_as_a_spec_that_reapplies_unchanged(path: Path) -> None:
    """Supported tasks come back whole; unsupported ones as their supported part (or are refused
    for want of an Exec action, which is the spec's one required part)."""
    require(CORPUS)
    definition = parse_xml(path.read_bytes(), name=path.stem, folder="\\Corpus")
    expected = _as_a_spec_says_it(definition)
    spec = spec_from_definition(definition)
    refused_at = CORPUS_REFUSED.get(path.name) or (None if expected.actions else "actions")
    if refused_at:
        with pytest.raises(SpecError) as caught:
            parse_spec(spec)
        assert caught.value.field == refused_at
    else:
        assert _as_a_spec_says_it(parse_spec(spec).definition) == expected


def test_corpus_is_there_to_adopt() -> None:
    require(CORPUS)
    assert len(CORPUS_FILES) >= 60


def test_registration_details_and_unsupported_parts_are_left_out_of_the_spec() -> None:
    read = model.TaskDefinition(
        name="Synchro Stock",
        folder="\\Isotools",
        registration_info=model.RegistrationInfo(
            description="Stock",
            date="2012-03-01T10:00:00",
            uri="\\Isotools\\Synchro Stock",
            source="isotools.shop_sync",
            version="1.0",
        ),
        triggers=(
            model.DailyTrigger(start_boundary=dt.datetime(2012, 3, 1, 6)),
            model.UnsupportedTrigger(tag="WnfStateChangeTrigger", xml="<W/>"),
        ),
        principal=model.Principal(user_id="ISOTOOLS\\svc_sync", logon_type=model.LogonType.PASSWORD),
        actions=(
            model.ExecAction(command="C:\\Windows\\System32\\cmd.exe"),
            model.UnsupportedAction(kind="SendEmail", xml="<SendEmail/>"),
        ),
        version="1.2",
    )
    assert not read.supported
    spec = spec_from_definition(read)
    assert spec == {
        "name": "Synchro Stock",
        "folder": "\\Isotools",
        "description": "Stock",
        "actions": [{"command": "C:\\Windows\\System32\\cmd.exe"}],
        "triggers": [{"type": "daily", "start_boundary": "2012-03-01T06:00:00"}],
        "principal": {"user": "ISOTOOLS\\svc_sync", "logon_type": "password"},
    }
    supported = replace(read, triggers=read.triggers[:1], actions=read.actions[:1])
    assert parse_spec(spec).definition == _without_registration_details(supported)


def test_the_weeks_of_a_monthly_dow_trigger_come_back_as_they_are_written() -> None:
    given = {"type": "monthly_dow", "at": "06:00", "weeks": [3, 1, "last"], "days_of_week": ["monday"]}
    spec = parse_spec({"name": "x", "actions": [{"command": "C:\\Tools\\x.exe"}], "triggers": [given]})

    [trigger] = spec_from_definition(spec.definition)["triggers"]  # type: ignore[misc]
    assert trigger["weeks"] == [1, 3, "last"]
    assert parse_spec({"name": "x", "actions": [{"command": "C:\\Tools\\x.exe"}], "triggers": [trigger]}).definition == spec.definition
