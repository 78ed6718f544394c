# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs-only module files say what the actions do: same options, same defaults, and
examples that run."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.action_harness import ACTIONS, Harness

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import MODULE_JOB_KEYS, SCRIPT_KEYS

REPO = Path(__file__).resolve().parents[4]
MODULES = REPO / "plugins" / "modules"
FRAGMENTS = REPO / "plugins" / "doc_fragments"
TEMPLATED = re.compile(r"\{\{.*?\}\}")


def _strings(path: Path) -> dict[str, Any]:
    """The YAML of each documentation string assigned in a Python file (or a fragment class)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = yaml.safe_load(node.value.value)
    return found


def documented_options(module: str) -> dict[str, Any]:
    docs = _strings(MODULES / f"{module}.py")["DOCUMENTATION"]
    options = dict(docs.get("options") or {})
    for fragment in docs.get("extends_documentation_fragment", []):
        namespace, collection, name = fragment.split(".", 2)
        if (namespace, collection) == ("isotools", "shop_sync"):
            options.update(_strings(FRAGMENTS / f"{name}.py")["DOCUMENTATION"].get("options") or {})
    return options


@pytest.mark.parametrize("module", sorted(ACTIONS))
def test_every_option_is_documented_with_its_default(module: str) -> None:
    spec = ACTIONS[module].ARGUMENT_SPEC
    options = documented_options(module)
    assert set(options) == set(spec)
    for name, option in spec.items():
        if "default" in option:
            assert options[name].get("default") == option["default"], name
        if "choices" in option:
            assert options[name].get("choices") == option["choices"], name
        if option["type"] != "raw":  # raw options are the task spec, whose rules parse_spec applies
            assert options[name].get("required", False) == option.get("required", False), name


@pytest.mark.parametrize("module", sorted(ACTIONS))
def test_the_docs_have_examples_and_return_values(module: str) -> None:
    strings = _strings(MODULES / f"{module}.py")
    assert set(strings) == {"DOCUMENTATION", "EXAMPLES", "RETURN"}
    assert strings["DOCUMENTATION"]["module"] == module
    assert any(f"isotools.shop_sync.{module}" in task for task in strings["EXAMPLES"])
    assert strings["RETURN"]


def test_job_suboptions_are_the_keys_the_action_reads() -> None:
    jobs = documented_options("win_sync_jobs")["jobs"]["suboptions"]
    assert tuple(jobs) == MODULE_JOB_KEYS
    assert tuple(jobs["script"]["suboptions"]) == SCRIPT_KEYS


def _literal(value: Any) -> Any:
    """Example arguments with their Jinja2 expressions replaced by a plain value."""
    if isinstance(value, str):
        return TEMPLATED.sub("example-secret", value)
    if isinstance(value, dict):
        return {key: _literal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_literal(item) for item in value]
    return value


@pytest.mark.parametrize("module", ["win_sync_task", "win_sync_jobs"])
def test_the_examples_are_accepted(tmp_path: Path, module: str) -> None:
    harness = Harness.create(tmp_path)
    harness.write_json("accounts.json", {"SHOP01\\svc_sync": "S-1-5-21-1180699209-877415012-3182924384-1104"})
    (harness.playbook_dir / "templates" / "synchro.bat.j2").write_text("@echo off\ncall {{ sync_command }}\n", encoding="utf-8")
    examples = [task[f"isotools.shop_sync.{module}"] for task in _strings(MODULES / f"{module}.py")["EXAMPLES"] if f"isotools.shop_sync.{module}" in task]
    assert examples
    for example in examples:
        result = harness.run(module, _literal(example), check_mode=True)
        assert "failed" not in result, json.dumps(result)[:500]


def test_the_report_examples_read_each_host_once_as_the_drift_playbook_does() -> None:
    # win_sync_jobs' result carries the last runs and the unlisted tasks: a second read of the
    # host (win_sync_task_info) is what drift did before, not what the examples should teach.
    examples = _strings(MODULES / "sync_report.py")["EXAMPLES"]
    actions = [name for task in examples for name in task if name.startswith(("isotools.", "ansible."))]
    assert actions.count("isotools.shop_sync.win_sync_jobs") == 1 and "isotools.shop_sync.win_sync_task_info" not in actions, actions
    [kept] = [task["ansible.builtin.set_fact"]["shop_sync_drift"] for task in examples if "ansible.builtin.set_fact" in task]
    assert set(kept) == {"host", "jobs", "accepted_extras"}
