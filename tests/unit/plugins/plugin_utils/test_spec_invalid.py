# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Specs a user gets wrong are refused with the field, the reason and the task's name.

The cases are data (data/bad_specs.yml): adding a case means adding an entry there.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import Problem, SpecError, parse_spec

CASES = yaml.safe_load((Path(__file__).parent / "data" / "bad_specs.yml").read_text(encoding="utf-8"))
SEED_ACTION = {"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/k synchro.bat & exit"}


def _refusal(spec: object, label: str | None = None) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(spec, task_label=label)  # type: ignore[arg-type]  # YAML data of any shape
    return caught.value


def test_the_table_covers_every_kind_of_field() -> None:
    fields = {case["field"].split("[")[0].split(".")[0] for case in CASES}
    assert len(CASES) >= 70
    assert {"name", "folder", "actions", "triggers", "principal", "settings", "source"} <= fields


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_spec_is_refused_at_its_field_with_its_reason(case: dict[str, object]) -> None:
    label = case.get("label")
    error = _refusal(case["spec"], label if isinstance(label, str) else None)
    assert error.task == case["task"]
    assert error.field == case["field"], str(error)
    first = error.problems[0]
    assert str(case["message"]) in first.message, str(error)
    shown_task = str(case["task"]).replace("\n", "\\n")  # one problem, one line
    subject = label if isinstance(label, str) else f"task '{shown_task}'"
    expected_line = f"{subject}: {case['field']} {first.message}" if case["field"] else f"{subject}: {first.message}"
    assert str(error).splitlines()[0] == str(first) == expected_line


def test_message_reads_task_field_value_and_allowed_range() -> None:
    spec = {
        "name": "Synchro Stock",
        "actions": [SEED_ACTION],
        "triggers": [{"type": "boot"}, {"type": "daily", "at": "06:00", "repetition": {"interval": "PT0M"}}],
    }
    first_line = str(_refusal(spec)).splitlines()[0]
    assert first_line == "task 'Synchro Stock': triggers[1].repetition.interval 'PT0M' must be between PT1M and P31D"


def test_unknown_option_message_suggests_the_close_one() -> None:
    error = _refusal({"name": "X", "actions": [SEED_ACTION], "settings": {"priorty": 5}})
    assert str(error) == "task 'X': settings.priorty is not a known option (did you mean priority?)"


def test_every_problem_is_reported_at_once_in_spec_order() -> None:
    spec = {
        "name": "Synchro Stock",
        "folder": "/Isotools",
        "actions": [{"command": ""}],
        "triggers": [{"type": "daily", "every": "15"}],
        "principal": {"user": "svc_sync", "logon_type": "service_account"},
        "settings": {"priority": 11},
    }
    error = _refusal(spec)
    assert [problem.field for problem in error.problems] == [
        "folder",
        "actions[0].command",
        "triggers[0].start_boundary",
        "triggers[0].every",
        "principal.logon_type",
        "settings.priority",
    ]
    assert error.field == "folder"
    assert len(str(error).splitlines()) == 6
    assert all(problem.task == "Synchro Stock" for problem in error.problems)


def test_task_label_names_the_job_in_every_line() -> None:
    spec = {"name": "Synchro Stock", "actions": [], "settings": {"priority": "high"}}
    error = _refusal(spec, "job 'stock'")
    assert error.task == "Synchro Stock"
    assert all(line.startswith("job 'stock': ") for line in str(error).splitlines())
    assert str(error).splitlines()[0] == "job 'stock': actions must have at least one action " + (
        "(e.g. [{command: 'C:\\Windows\\System32\\cmd.exe', arguments: '/k synchro.bat & exit'}])"
    )


def test_spec_error_is_a_value_error_that_survives_pickling() -> None:
    error = _refusal({"name": "Synchro Stock", "actions": [SEED_ACTION], "settings": {"priority": 11}})
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems
    assert (copy.task, copy.field, str(copy)) == (error.task, error.field, str(error))


def test_problem_without_a_field_reads_as_a_sentence() -> None:
    assert str(Problem("<unnamed>", "", "the task options must be a mapping, got a list")) == (
        "task '<unnamed>': the task options must be a mapping, got a list"
    )


def test_a_spec_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        raise SpecError(())


def test_actions_and_triggers_are_read_alike_each_item_named_by_its_index() -> None:
    # Over the limit, an item that is not a mapping and an id used twice, in both lists: every
    # problem is said, in order, and the item's problems do not stop the items after it.
    spec = {
        "name": "Synchro Stock",
        "actions": ["cmd.exe", {**SEED_ACTION, "id": "sync"}, {**SEED_ACTION, "id": "sync"}, *[SEED_ACTION] * 30],
        "triggers": ["daily", {"type": "boot", "id": "start"}, {"type": "boot", "id": "start"}, *[{"type": "boot"}] * 46],
    }
    assert [(problem.field, problem.message) for problem in _refusal(spec).problems] == [
        ("actions", "has 33 actions; Task Scheduler allows at most 32"),
        ("actions[0]", "must be a mapping with a command (e.g. {command: 'C:\\Windows\\System32\\cmd.exe'}), got a string"),
        ("actions[2].id", "'sync' is already the id of actions[1]"),
        ("triggers", "has 49 triggers; Task Scheduler allows at most 48"),
        ("triggers[0]", "must be a mapping with a type (e.g. {type: daily, at: '06:00'}), got a string"),
        ("triggers[2].id", "'start' is already the id of triggers[1]"),
    ]
