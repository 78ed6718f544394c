# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What users read about the spec stays true: the task options' table, the doc fragment and
docs/task-options.md (which tests/tools/test_render_options.py checks are written from the table)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
import yaml
from shared_data import REPO

from ansible_collections.isotools.shop_sync.plugins.doc_fragments.task import ModuleDocFragment
from ansible_collections.isotools.shop_sync.plugins.plugin_utils import model
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError, parse_spec, spec_from_definition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import TASK_OPTIONS, Option, option_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_duration

CMD = "C:\\Windows\\System32\\cmd.exe"
OPTIONS: dict[str, Any] = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
DOC_EXAMPLES = re.findall(r"```yaml\n(.*?)```", (REPO / "docs" / "task-options.md").read_text(encoding="utf-8"), re.DOTALL)


def _documented(path: str) -> dict[str, Any]:
    """The options documented at ``path`` (``""``, ``triggers``, ``settings.maintenance``)."""
    options = OPTIONS
    for key in filter(None, path.split(".")):
        options = options[key]["suboptions"]
    return options


# A valid trigger of each type, and the mappings a section needs to be read at all.
_TRIGGERS: dict[str, dict[str, object]] = {
    "once": {"at": "06:00"},
    "daily": {"at": "06:00"},
    "weekly": {"at": "06:00", "days_of_week": ["mon"]},
    "monthly": {"at": "06:00", "days_of_month": [1]},
    "monthly_dow": {"at": "06:00", "weeks": [1], "days_of_week": ["mon"]},
    "boot": {},
    "logon": {},
    "idle": {},
    "registration": {},
    "session_state_change": {"state_change": "session_lock"},
    "event": {"subscription": '<QueryList><Query Id="0" Path="System"><Select Path="System">*</Select></Query></QueryList>'},
}
_SECTIONS: dict[str, dict[str, object]] = {
    "triggers.repetition": {"interval": "15m"},
    "principal": {"user": "ISOTOOLS\\svc_sync", "logon_type": "password"},
    "settings.restart_on_failure": {"interval": "5m", "count": 3},
    "settings.maintenance": {"period": "P1D"},
}
# A value of the wrong kind for each option type.
_WRONG = {"str": ["x"], "int": "ten", "bool": "maybe", "dict": "x", "list": "x"}


def _walk(options: tuple[Option, ...], parent: str = "") -> list[tuple[str, Option]]:
    found: list[tuple[str, Option]] = []
    for option in options:
        path = f"{parent}.{option.name}" if parent else option.name
        found += [(path, option), *_walk(option.suboptions, path)]
    return found


TABLE = _walk(TASK_OPTIONS)
SECTION_PATHS = ["", *(path for path, option in TABLE if option.suboptions)]


def _with(path: str, value: object, trigger_type: str = "daily") -> tuple[dict[str, Any], str]:
    """A valid spec with ``value`` at the table's ``path``, and the field its messages name."""
    spec: dict[str, Any] = {"name": "Synchro Stock", "actions": [{"command": CMD}]}
    *parents, key = path.split(".")
    if parents and parents[0] == "triggers":
        spec["triggers"] = [{"type": trigger_type, **_TRIGGERS[trigger_type]}]
    node: dict[str, Any] = spec
    field = ""
    for depth, name in enumerate(parents):
        field = f"{field}.{name}" if field else name
        child = node.get(name) or dict(_SECTIONS.get(".".join(parents[: depth + 1]), {}))
        node[name] = child
        if isinstance(child, list):
            node, field = child[0], f"{field}[0]"
        else:
            node = child
    node[key] = value
    if key == "start_boundary":
        node.pop("at", None)  # one start, given once
    return spec, f"{field}.{key}" if field else key


def _problems(spec: dict[str, Any], field: str) -> list[str]:
    try:
        parse_spec(spec)
    except SpecError as error:
        return [problem.message for problem in error.problems if problem.field == field]
    return []


def test_the_specs_the_checks_below_start_from_are_valid() -> None:
    assert set(_TRIGGERS) == set(option_at("triggers.type").choices)
    for trigger_type in _TRIGGERS:
        for section, given in _SECTIONS.items():
            key, value = next(iter(given.items()))
            spec, _field = _with(f"{section}.{key}", value, trigger_type)
            parse_spec(spec)


@pytest.mark.parametrize(("path", "option"), TABLE, ids=[path for path, _option in TABLE])
def test_every_option_of_the_table_is_read_by_the_spec(path: str, option: Option) -> None:
    """A value of the wrong kind is refused at that option, as a bad value, not an unknown key."""
    spec, field = _with(path, _WRONG[option.type], option.trigger_types[0] if option.trigger_types else "daily")
    problems = _problems(spec, field)
    assert problems, f"{field} {_WRONG[option.type]!r} is not refused"
    assert not [message for message in problems if "not a known option" in message or "is not an option of" in message]


@pytest.mark.parametrize("section", SECTION_PATHS, ids=[path or "top" for path in SECTION_PATHS])
def test_the_spec_takes_no_option_the_table_does_not_list(section: str) -> None:
    """Every option name of the table, put where the table does not list it, is refused there."""
    listed = {option.name for option in (option_at(section).suboptions if section else TASK_OPTIONS)}
    for name in sorted({option.name for _path, option in TABLE} - listed):
        spec, field = _with(f"{section}.{name}" if section else name, "x")
        assert _problems(spec, field), f"{field} is taken, but the table does not list it"


def test_a_trigger_takes_the_options_of_its_type_only() -> None:
    for path, option in TABLE:
        if path.count(".") != 1 or not path.startswith("triggers.") or not option.trigger_types:
            continue
        for trigger_type in _TRIGGERS:
            spec, field = _with(path, _WRONG[option.type], trigger_type)
            not_of_its_type = [message for message in _problems(spec, field) if "is not an option of" in message]
            assert bool(not_of_its_type) == (trigger_type not in option.trigger_types), (field, trigger_type)


CHOICES = [(path, option, choice) for path, option in TABLE for choice in option.choices]


@pytest.mark.parametrize(("path", "option", "choice"), CHOICES, ids=[f"{path}={choice}" for path, _option, choice in CHOICES])
def test_every_word_of_the_table_is_a_word_of_the_spec(path: str, option: Option, choice: str) -> None:
    trigger_type = option.trigger_types[0] if option.trigger_types else "daily"
    spec, field = _with(path, choice, trigger_type)
    assert not [message for message in _problems(spec, field) if "is not one of" in message]
    wrong, field = _with(path, "no_such_word", trigger_type)
    assert any("is not one of" in message for message in _problems(wrong, field))


RANGED = [(path, option) for path, option in TABLE if option.low is not None or option.high is not None]
_ACTION = {"command": CMD}
_TRIGGER = {"type": "daily", "at": "06:00"}


def _range_problems(path: str, option: Option, value: object) -> list[str]:
    if option.type == "list":
        assert isinstance(value, int)
        spec, field = _with(path, [dict(_ACTION if path == "actions" else _TRIGGER) for _item in range(value)])
        return [message for message in _problems(spec, field) if "allows at most" in message]
    given = format_duration(value) if isinstance(value, dt.timedelta) else value
    spec, field = _with(path, given, option.trigger_types[0] if option.trigger_types else "daily")
    return [message for message in _problems(spec, field) if "must be between" in message or "must be at least" in message]


def _expected(option: Option) -> str:
    if option.type == "list":
        return f"allows at most {option.high}"
    words = [format_duration(bound) if isinstance(bound, dt.timedelta) else str(bound) for bound in (option.low, option.high)]
    return f"must be between {words[0]} and {words[1]}" if option.high is not None else f"must be at least {words[0]}"


@pytest.mark.parametrize(("path", "option"), RANGED, ids=[path for path, _option in RANGED])
def test_the_spec_takes_the_range_of_the_table_and_no_more(path: str, option: Option) -> None:
    """Each limit of the table is taken, a step beyond it refused with the table's words."""
    step: int | dt.timedelta = dt.timedelta(seconds=1) if isinstance(option.low or option.high, dt.timedelta) else 1
    for bound, beyond in ((option.low, -1), (option.high, 1)):
        if bound is None:
            continue
        assert not _range_problems(path, option, bound), f"{path} {bound} is the table's limit, and refused"
        problems = _range_problems(path, option, bound + beyond * step)  # type: ignore[operator]
        assert problems and all(_expected(option) in message for message in problems), (path, problems)


def test_a_range_fits_its_option() -> None:
    priority = option_at("settings.priority")
    with pytest.raises(TypeError, match=r"priority \(int\) cannot have the bound"):
        dataclasses.replace(priority, high=dt.timedelta(days=1))
    with pytest.raises(TypeError, match=r"hidden \(bool\) cannot have the bound"):
        dataclasses.replace(option_at("settings.hidden"), low=0)


def test_documented_defaults_are_what_an_omitted_option_means() -> None:
    """Spelling out every documented default changes nothing."""
    daily_keys = {option.name for option in option_at("triggers").suboptions if not option.trigger_types or "daily" in option.trigger_types}
    trigger_defaults = {key: option["default"] for key, option in _documented("triggers").items() if "default" in option and key in daily_keys}
    repetition_defaults = {key: option["default"] for key, option in _documented("triggers.repetition").items() if "default" in option}
    settings_defaults = {key: option["default"] for key, option in _documented("settings").items() if "default" in option}
    bare = {"name": "Synchro Stock", "actions": [{"command": CMD}], "triggers": [{"type": "daily", "at": "06:00"}]}
    spelled = {
        **bare,
        "folder": OPTIONS["folder"]["default"],
        "triggers": [{"type": "daily", "at": "06:00", "repetition": {"interval": "15m", **repetition_defaults}, **trigger_defaults}],
        "principal": {"user": "SYSTEM", "run_level": _documented("principal")["run_level"]["default"]},
        "settings": settings_defaults,
    }
    bare_with_same_parts = {**bare, "triggers": [{"type": "daily", "at": "06:00", "repetition": {"interval": "15m"}}], "principal": {"user": "SYSTEM"}}
    assert trigger_defaults == {"enabled": True, "days_interval": 1}
    assert parse_spec(spelled).definition == parse_spec(bare_with_same_parts).definition
    assert "settings" not in spec_from_definition(parse_spec(spelled).definition)


def test_password_is_documented_as_secret() -> None:
    text = " ".join(_documented("principal")["password"]["description"])
    assert "no_log" in text and "never appears" in text


def _specs_in(example: object) -> list[dict[str, Any]]:
    """The specs a docs/task-options.md example shows: a module call, alternatives, or a fragment."""
    base: dict[str, Any] = {"name": "Synchro Stock", "actions": [{"command": CMD}]}
    if isinstance(example, list):
        return [item.get("isotools.shop_sync.win_sync_task") or {**base, **item} for item in example]
    assert isinstance(example, dict)
    if "triggers" in example:
        return [{**base, **example}]
    return [{**base, "triggers": [{"type": "daily", "at": "06:00", **example}]}]


@pytest.mark.parametrize("example", DOC_EXAMPLES, ids=[f"example-{index}" for index in range(len(DOC_EXAMPLES))])
def test_every_example_of_the_user_reference_is_a_valid_spec(example: str) -> None:
    specs = _specs_in(yaml.safe_load(example))
    assert specs
    for spec in specs:
        parse_spec(spec)


def test_the_user_reference_opens_with_the_seed_task() -> None:
    seed = parse_spec(_specs_in(yaml.safe_load(DOC_EXAMPLES[0]))[0]).definition
    assert seed.actions == (
        model.ExecAction(
            command=CMD,
            arguments="/k synchro.bat & exit",
            working_directory="D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\",
        ),
    )
    assert seed.principal.logon_type is model.LogonType.PASSWORD
