# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The jobs option of win_sync_jobs into desired jobs: defaults, scripts, and every problem at once."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import (
    ScriptTemplateError,
    desired_jobs,
    script_bytes,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import ExecAction
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError

STOCK_DIR = "D:\\Isotools\\Synchro_prod\\stock"


def no_templates(template: str, variables: Mapping[str, object]) -> str:
    raise ScriptTemplateError(f"'{template}' was not found")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("synchro.bat", "@echo off\ncall sync\n", b"@echo off\r\ncall sync\r\n"),
        ("synchro.bat", "@echo off\r\ncall sync\r\n", b"@echo off\r\ncall sync\r\n"),
        ("RUN.CMD", "a\rb\n", b"a\r\nb\r\n"),
        ("sync.ps1", "Write-Output 1\n", b"Write-Output 1\n"),
        ("synchro.bat", "rem \u00e9t\u00e9\n", "rem \u00e9t\u00e9\r\n".encode()),
    ],
    ids=["lf", "crlf-kept", "cmd-and-cr", "not-batch", "utf8-no-bom"],
)
def test_script_bytes(name: str, text: str, expected: bytes) -> None:
    assert script_bytes(name, text) == expected


def test_a_job_gets_the_seed_action_its_directory_and_a_locked_down_acl() -> None:
    job = {"name": "Stock", "working_directory": STOCK_DIR + "\\", "script": {"content": "@echo off\n"}, "task": {"principal": {"user": "CONTOSO\\svc"}}}
    [desired] = desired_jobs([job], folder="\\Isotools", secure_acl=True, render=no_templates)
    assert desired.definition is not None
    assert desired.definition.path == "\\Isotools\\Stock"
    assert desired.definition.actions == (ExecAction(command="C:\\Windows\\System32\\cmd.exe", arguments="/c synchro.bat", working_directory=STOCK_DIR),)
    assert desired.directories == (STOCK_DIR,)
    assert [item.path for item in desired.files] == [STOCK_DIR + "\\synchro.bat"]
    assert desired.acl_sids == ("S-1-5-32-544", "S-1-5-18", "CONTOSO\\svc")
    [loose] = desired_jobs([job], folder="\\Isotools", secure_acl=False, render=no_templates)
    assert loose.acl_sids == ()


def test_a_job_without_script_keeps_the_hosts_script_and_runs_synchro_bat() -> None:
    [desired] = desired_jobs([{"name": "Stock", "working_directory": STOCK_DIR}], folder="\\Isotools", secure_acl=True, render=no_templates)
    assert desired.files == ()
    assert desired.definition is not None
    assert desired.definition.actions[0] == ExecAction(command="C:\\Windows\\System32\\cmd.exe", arguments="/c synchro.bat", working_directory=STOCK_DIR)


def test_the_template_gets_its_vars_and_the_job_without_the_password() -> None:
    seen: dict[str, object] = {}

    def render(template: str, variables: Mapping[str, object]) -> str:
        seen.update(variables, template=template)
        return "@echo off\n"

    job = {
        "name": "Stock",
        "working_directory": STOCK_DIR,
        "script": {"template": "synchro.bat.j2", "vars": {"sync_command": "php sync.php"}},
        "task": {"principal": {"user": "CONTOSO\\svc", "logon_type": "password", "password": "hunter2"}},
    }
    desired_jobs([job], folder="\\Isotools", secure_acl=True, render=render)
    assert seen["template"] == "synchro.bat.j2" and seen["sync_command"] == "php sync.php"
    assert seen["job"] == seen["shop_sync_job"]
    assert "hunter2" not in repr(seen)
    assert seen["job"]["task"]["principal"] == {"user": "CONTOSO\\svc", "logon_type": "password"}  # type: ignore[index]


def test_every_problem_names_the_job_and_the_field() -> None:
    jobs = [
        {"name": "a", "working_directory": STOCK_DIR, "script": {"content": "x", "template": "t.j2"}},
        {"name": "b", "state": "gone"},
        {"name": "c", "working_directory": "%TEMP%\\c", "script": {"content": "x"}},
        {"name": "d", "working_directory": STOCK_DIR, "script": {"name": "..\\evil.bat", "content": "x"}},
        {"name": "e", "working_directory": STOCK_DIR, "task": {"name": "other", "triggers": "daily"}},
        "f",
        {"working_directory": STOCK_DIR},
        {"name": "g", "state": "absent", "colour": "red"},
    ]
    with pytest.raises(SpecError) as raised:
        desired_jobs(jobs, folder="\\Isotools", secure_acl=True, render=no_templates)
    lines = str(raised.value).splitlines()
    assert lines == [
        "job 'a': script.content cannot be given with script.template or script.vars (content is written as it is)",
        "job 'b': state 'gone' is not one of present, absent",
        "job 'c': working_directory '%TEMP%\\c' must be on a drive of the host ('D:\\Isotools\\...'): the job's script is written there",
        "job 'd': script.name '..\\evil.bat' must be a file name in the job's working_directory, without \\ / : * ? \" < > |",
        "job 'e': task.name is set by the job's name: remove it from task",
        lines[5],
        "jobs[5]: must be a mapping with at least a name, got a string",
        "jobs[6]: name is required",
        "job 'g': colour is not a known option",
    ]
    assert lines[5].startswith("job 'e': task.triggers must be a list, got a string")


def test_a_job_whose_task_says_its_actions_needs_no_folder_unless_it_has_a_script() -> None:
    actions = [{"command": "C:\\Tools\\sync.exe", "arguments": "/all"}]
    [desired] = desired_jobs([{"name": "Adopted", "task": {"actions": actions}}], folder="\\Isotools", secure_acl=True, render=no_templates)
    assert desired.definition is not None
    assert desired.definition.actions == (ExecAction(command="C:\\Tools\\sync.exe", arguments="/all"),)
    assert desired.directories == () and desired.files == ()
    with pytest.raises(SpecError) as raised:
        desired_jobs(
            [{"name": "Plain"}, {"name": "Script", "script": {"content": "x"}, "task": {"actions": actions}}],
            folder="\\Isotools",
            secure_acl=True,
            render=no_templates,
        )
    assert str(raised.value).splitlines() == ["job 'Plain': working_directory is required", "job 'Script': working_directory is required"]
