# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What users read about the spec stays true: the doc fragment and docs/task-options.md."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from shared_data import REPO

from ansible_collections.isotools.shop_sync.plugins.doc_fragments.task import ModuleDocFragment
from ansible_collections.isotools.shop_sync.plugins.plugin_utils import model
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import ACTION_KEYS, TOP_KEYS, parse_spec, spec_from_definition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import _settings as _spec_settings
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import _triggers as _spec_triggers
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec._principal import PRINCIPAL_KEYS

CMD = "C:\\Windows\\System32\\cmd.exe"
OPTIONS: dict[str, Any] = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
DOC_EXAMPLES = re.findall(r"```yaml\n(.*?)```", (REPO / "docs" / "task-options.md").read_text(encoding="utf-8"), re.DOTALL)


def _documented(path: str) -> dict[str, Any]:
    """The options documented at ``path`` (``""``, ``triggers``, ``settings.maintenance``)."""
    options = OPTIONS
    for key in filter(None, path.split(".")):
        options = options[key]["suboptions"]
    return options


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("", TOP_KEYS),
        ("actions", ACTION_KEYS),
        ("triggers", _spec_triggers.ALL_TRIGGER_KEYS),
        ("triggers.repetition", _spec_triggers.REPETITION_KEYS),
        ("principal", PRINCIPAL_KEYS),
        ("settings", _spec_settings.SETTINGS_KEYS),
        ("settings.network_profile", _spec_settings.NETWORK_KEYS),
        ("settings.idle_settings", _spec_settings.IDLE_KEYS),
        ("settings.restart_on_failure", _spec_settings.RESTART_KEYS),
        ("settings.maintenance", _spec_settings.MAINTENANCE_KEYS),
    ],
)
def test_doc_fragment_documents_exactly_the_options_the_spec_reads(path: str, keys: object) -> None:
    assert set(_documented(path)) == set(keys)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("path", "key", "values"),
    [
        ("triggers", "type", tuple(model.TRIGGER_TYPES)),
        ("triggers", "state_change", tuple(item.value for item in model.SessionStateChange)),
        ("principal", "logon_type", tuple(item.value for item in model.LogonType)),
        ("principal", "run_level", tuple(item.value for item in model.RunLevel)),
        ("settings", "multiple_instances", tuple(item.value for item in model.MultipleInstances)),
        ("settings", "compatibility", tuple(_spec_settings.COMPATIBILITY_VERSIONS)),
    ],
)
def test_doc_fragment_choices_are_the_spec_words(path: str, key: str, values: tuple[str, ...]) -> None:
    assert tuple(_documented(path)[key]["choices"]) == values


def test_documented_defaults_are_what_an_omitted_option_means() -> None:
    """Spelling out every documented default changes nothing."""
    daily_keys = {*_spec_triggers.COMMON_TRIGGER_KEYS, *_spec_triggers.TRIGGER_KEYS["daily"]}
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
