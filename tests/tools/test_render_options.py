# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The doc fragment, the role's task options and the tables of docs/task-options.md are what the
task options' table (plugins/plugin_utils/spec/options.py) gives, and a job's options in the role's
argument specs and in win_sync_jobs' docs what the job tables (plugins/plugin_utils/jobs/options.py)
give: `make docs` writes them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import render_options
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.isotools.shop_sync.plugins.doc_fragments.task import ModuleDocFragment
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs import options as job_options
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import MODULE_JOB_KEYS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import INVENTORY_JOB_KEYS, JobDefaults, translate_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import options, parse_spec


def _stale() -> list[str]:
    files = render_options.rendered_files()
    return sorted(str(path.relative_to(render_options.REPO)) for path, text in files.items() if path.read_text(encoding="utf-8") != text)


def test_the_generated_files_are_current() -> None:
    stale = _stale()
    assert not stale, f"written from plugins/plugin_utils/spec/options.py, and stale: run make docs (differs: {', '.join(stale)})"


def test_a_change_to_the_table_makes_every_generated_file_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = options.option_at("settings")
    priority = next(option for option in settings.suboptions if option.name == "priority")
    changed = dataclasses.replace(priority, summary="changed", description=("Changed.",), default=5)
    table = tuple(
        dataclasses.replace(option, suboptions=tuple(changed if child is priority else child for child in option.suboptions)) if option is settings else option
        for option in options.TASK_OPTIONS
    )
    monkeypatch.setattr(options, "TASK_OPTIONS", table)
    monkeypatch.setattr(render_options, "TASK_OPTIONS", table)

    assert _stale() == ["docs/task-options.md", "plugins/doc_fragments/task.py", "roles/sync_jobs/meta/argument_specs.yml"]


def test_a_range_of_the_table_is_what_every_generated_file_says(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = options.option_at("settings")
    priority = options.option_at("settings.priority")
    narrower = dataclasses.replace(priority, high=9)
    table = tuple(
        dataclasses.replace(option, suboptions=tuple(narrower if child is priority else child for child in option.suboptions)) if option is settings else option
        for option in options.TASK_OPTIONS
    )
    monkeypatch.setattr(options, "TASK_OPTIONS", table)
    monkeypatch.setattr(render_options, "TASK_OPTIONS", table)

    assert _stale() == ["docs/task-options.md", "plugins/doc_fragments/task.py", "roles/sync_jobs/meta/argument_specs.yml"]
    assert "- From V(0) to V(9).\n" in render_options.render_fragment()
    page = render_options.render_page(render_options.TASK_OPTIONS_PAGE.read_text(encoding="utf-8"))
    assert "| `priority` | `7` | the lowest number the highest priority; from `0` to `9` |" in page


@pytest.mark.parametrize(
    ("table", "generated"),
    [("INVENTORY_JOB_OPTIONS", "roles/sync_jobs/meta/argument_specs.yml"), ("MODULE_JOB_OPTIONS", "plugins/modules/win_sync_jobs.py")],
)
def test_a_change_to_a_job_table_makes_its_reader_s_docs_stale(monkeypatch: pytest.MonkeyPatch, table: str, generated: str) -> None:
    rows = getattr(job_options, table)
    max_age = next(option for option in rows if option.name == "max_age")
    changed = tuple(dataclasses.replace(option, description=("Changed.",)) if option is max_age else option for option in rows)
    monkeypatch.setattr(job_options, table, changed)

    assert _stale() == [generated]


def _role_job_options() -> dict[str, dict[str, object]]:
    specs = yaml.safe_load(render_options.ROLE_SPECS.read_text(encoding="utf-8"))["argument_specs"]["main"]["options"]
    return specs["shop_sync_jobs"]["options"]  # type: ignore[no-any-return]


def test_the_role_documents_a_job_as_the_role_reads_it() -> None:
    documented = _role_job_options()

    assert tuple(documented) == INVENTORY_JOB_KEYS
    # The role's check matches words as the spec does (ignoring case, _ and -): Ansible's exact
    # choices would refuse what the check takes, so the words are in the description.
    assert "choices" not in documented["logon_type"]
    assert "V(auto)" in documented["logon_type"]["description"][-1]  # type: ignore[index]
    assert documented["password"]["no_log"] is True
    assert documented["max_age"]["description"][-1] == "At least V(PT1M)."  # type: ignore[index]


def test_win_sync_jobs_documents_a_job_as_it_reads_it() -> None:
    text = render_options.JOBS_MODULE.read_text(encoding="utf-8")
    documentation = yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])
    jobs = documentation["options"]["jobs"]["suboptions"]

    assert tuple(jobs) == MODULE_JOB_KEYS
    assert jobs["state"]["choices"] == ["present", "absent"]
    assert jobs["task"]["default"] == {}


def test_the_fragment_documents_the_table() -> None:
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]

    assert list(documented) == [option.name for option in options.TASK_OPTIONS]
    assert documented["settings"]["suboptions"]["priority"]["default"] == options.option_at("settings.priority").default
    assert documented["principal"]["suboptions"]["logon_type"]["choices"] == list(options.option_at("principal.logon_type").choices)


def test_the_role_validates_a_job_s_task_options_without_refusing_the_spec_s_spellings() -> None:
    """The role's argument spec lists the settings, and leaves their words to the spec (``StopExisting``)."""
    specs = yaml.safe_load(render_options.ROLE_SPECS.read_text(encoding="utf-8"))["argument_specs"]["main"]["options"]
    job = specs["shop_sync_jobs"]["options"]

    for role_options in (job["settings"]["options"], specs["shop_sync_default_settings"]["options"]):
        assert list(role_options) == list(options.keys_at("settings"))
        assert "choices" not in role_options["multiple_instances"]
        assert "V(stop_existing)" in role_options["multiple_instances"]["description"][-1]
    assert list(job["triggers"]["options"]) == list(options.keys_at("triggers"))
    assert list(job["actions"]["options"]) == list(options.keys_at("actions"))


def test_a_file_without_the_markers_of_a_region_is_refused(tmp_path: Path) -> None:
    page = render_options.TASK_OPTIONS_PAGE.read_text(encoding="utf-8").replace("<!-- END generated: settings -->", "")

    with pytest.raises(render_options.GeneratedRegionError, match="0 regions marked '<!-- BEGIN generated: settings'"):
        render_options.render_page(page)


def test_check_mode_writes_nothing_and_says_what_is_stale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fragment = tmp_path / "task.py"
    fragment.write_text("stale\n", encoding="utf-8")
    monkeypatch.setattr(render_options, "FRAGMENT", fragment)
    monkeypatch.setattr(render_options, "REPO", tmp_path.parent)

    assert render_options.main(["--check"]) == 1
    assert fragment.read_text(encoding="utf-8") == "stale\n"
    assert f"{tmp_path.name}/task.py is stale: run make docs" in capsys.readouterr().err


def _role_errors(job: dict[str, object]) -> list[str]:
    specs = yaml.safe_load(render_options.ROLE_SPECS.read_text(encoding="utf-8"))["argument_specs"]["main"]["options"]
    result = ArgumentSpecValidator(specs).validate({"shop_sync_jobs": [{"name": "stock", **job}]})
    return [str(error) for error in result.error_messages]


def test_the_role_takes_the_task_options_as_the_spec_takes_them() -> None:
    task = {
        "actions": [{"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c synchro.bat", "id": 1}],
        "triggers": [
            {"type": "monthly-dow", "at": "06:00", "weeks": [1, "last"], "days_of_week": ["Mon"], "every": "15m", "for": "8h"},
            {"type": "SessionStateChange", "state_change": "SessionLock", "delay": "PT1M"},
        ],
        "settings": {"multiple_instances": "StopExisting", "priority": "5", "idle_settings": {"stop_on_idle_end": "yes"}, "compatibility": "Win10"},
    }
    parse_spec({"name": "stock", **task})

    assert _role_errors(task) == []
    assert _role_errors({"settings": {"priorty": 5}}) != []


def test_the_role_takes_a_job_s_words_as_its_check_takes_them() -> None:
    """``logon_type: Password`` is the role's check's ``password``: Ansible's validation, which
    runs first through the role's main, must not refuse it for its letter case."""
    job = {"state": "Present", "logon_type": "Password", "run_level": "HIGHEST", "account": "svc_sync", "sync_command": "sync.exe"}
    translated, problems = translate_jobs([{"name": "stock", **job}], JobDefaults(root="D:\\Isotools"), "shop01", template_exists=lambda _path: True)

    assert problems == []
    assert translated[0]["task"]["principal"] == {"user": "svc_sync", "logon_type": "password", "run_level": "highest"}  # type: ignore[index]
    assert _role_errors(job) == []
