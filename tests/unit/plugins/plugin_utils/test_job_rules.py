# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One set of job rules: the role's check and the action give every bad job the same verdict.

A job is checked by the role (``translate_jobs``, the inventory's words) before any host is
touched, and again by the action (``desired_jobs``). Each row of the table is one bad job, said
both ways; both must refuse it, with the same reason. What the role accepts, the action accepts
too (else the role's check lets a run start that the action stops half way, host after host).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.messages import assert_copyable

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import ScriptTemplateError, desired_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import JobDefaults, translate_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import ExecAction
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError

ROOT = "D:\\Isotools\\Synchro_prod"
ROLE_TEMPLATES = Path(__file__).resolve().parents[4] / "roles" / "sync_jobs" / "templates"
DEFAULTS = JobDefaults(root=ROOT, default_template=str(ROLE_TEMPLATES / "synchro.bat.j2"), template_dir=str(ROLE_TEMPLATES))
LONG = "x" * 120


def render(template: str, variables: Mapping[str, object]) -> str:
    """The action's renderer in short: a template is looked up in the role's templates/."""
    if not (ROLE_TEMPLATES / template).is_file():
        raise ScriptTemplateError(f"'{template}' was not found in the templates search path")
    return f"rem {template}\r\n"


def role_job(**given: Any) -> dict[str, Any]:
    """A job as the inventory says it: a script written as it is, run daily."""
    name = given.get("name", "Synchro Stock")
    return {"name": name, "working_directory": f"{ROOT}\\stock", "script": {"content": "@echo off\n"}, "schedule": [{"daily": "02:00"}], **given}


def action_job(**given: Any) -> dict[str, Any]:
    """The same job as win_sync_jobs takes it."""
    name = given.get("name", "Synchro Stock")
    task = {"triggers": [{"type": "daily", "at": "02:00"}], "principal": {"user": "SYSTEM"}}
    return {"name": name, "working_directory": f"{ROOT}\\stock", "script": {"content": "@echo off\n"}, "task": task, **given}


def role_problems(jobs: list[dict[str, Any]]) -> list[str]:
    return translate_jobs(jobs, DEFAULTS, "shop01", template_exists=os.path.isfile)[1]


def action_problems(jobs: list[dict[str, Any]]) -> list[str]:
    try:
        desired_jobs(jobs, folder="\\Isotools", secure_acl=True, render=render, root=ROOT)
    except SpecError as error:
        return str(error).splitlines()
    return []


# (id, what both ways say differently from the base job, a phrase both messages hold)
BAD_JOBS: list[tuple[str, dict[str, Any], str]] = [
    ("name with a slash", {"name": "a/b"}, "must not contain /"),
    ("name is a device", {"name": "NUL"}, "reserved Windows device name"),
    ("name is a device with a superscript digit", {"name": "COM\u00b9"}, "reserved Windows device name"),
    ("name ends in a dot", {"name": "Stock."}, "end with a dot"),
    ("state means nothing", {"state": "gone"}, "state 'gone' is not one of present, absent"),
    ("folder with ..", {"working_directory": f"{ROOT}\\..\\Windows"}, "'..'"),
    ("folder with .", {"working_directory": f"{ROOT}\\.\\stock"}, "the component '.'"),
    ("folder component ends in a space", {"working_directory": f"{ROOT}\\stock \\a"}, "ends in a dot or a space"),
    ("folder component ends in a dot", {"working_directory": f"{ROOT}\\stock.\\a"}, "ends in a dot or a space"),
    ("folder component is NUL", {"working_directory": f"{ROOT}\\NUL"}, "the device NUL"),
    ("folder component is a device with an extension", {"working_directory": f"{ROOT}\\con.txt\\a"}, "the device CON"),
    ("folder component is COM0", {"working_directory": f"{ROOT}\\COM0"}, "the device COM0"),
    ("folder component is LPT superscript", {"working_directory": f"{ROOT}\\lpt\u00b2"}, "the device LPT\u00b2"),
    ("folder component is CONIN$", {"working_directory": f"{ROOT}\\CONIN$"}, "the device CONIN$"),
    ("folder component is CONOUT$", {"working_directory": f"{ROOT}\\conout$.log"}, "the device CONOUT$"),
    ("folder with an invalid character", {"working_directory": f"{ROOT}\\a|b"}, "must not contain |"),
    ("folder with a colon", {"working_directory": f"{ROOT}\\a:b"}, "':' only after a drive letter"),
    ("folder with a control character", {"working_directory": f"{ROOT}\\a\tb"}, "control characters"),
    ("folder with two backslashes", {"working_directory": f"{ROOT}\\\\stock"}, "two \\ in a row"),
    ("folder on a share", {"working_directory": "\\\\fileserver\\share\\stock"}, "must be on a drive of the host"),
    ("folder in the device namespace", {"working_directory": "\\\\.\\pipe\\stock"}, "must be an absolute folder"),
    ("folder in the Win32 namespace", {"working_directory": "\\\\?\\D:\\Isotools\\stock"}, "must not contain ?"),
    ("folder with a variable", {"working_directory": "%TEMP%\\stock"}, "must be on a drive of the host"),
    ("folder relative to the drive", {"working_directory": "D:Isotools\\stock"}, "must be an absolute folder"),
    ("folder outside the owned root", {"working_directory": "D:\\Data\\stock"}, "is not under the owned root"),
    ("folder in Windows", {"working_directory": "C:\\Windows\\Temp\\stock"}, "belongs to Windows"),
    ("folder with an 8.3 name", {"working_directory": "D:\\ISOTOO~1\\Synchro_prod\\stock"}, "8.3 short name"),
    ("folder too long to create", {"working_directory": f"{ROOT}\\{LONG}\\{'x' * 105}"}, "Windows allows at most 247 for a folder it creates"),
    (
        "folder too long for its script",
        {"working_directory": f"{ROOT}\\{LONG}\\{'y' * 100}", "script": {"name": "z" * 30 + ".bat", "content": "x"}},
        "at most 259",
    ),
    ("script name ..", {"script": {"name": "..", "content": "x"}}, "must be a file name in the job's working_directory"),
    ("script name .", {"script": {"name": ".", "content": "x"}}, "must be a file name in the job's working_directory"),
    ("script name in another folder", {"script": {"name": "..\\evil.bat", "content": "x"}}, "must be a file name in the job's working_directory"),
    ("script name with a colon", {"script": {"name": "a:b.bat", "content": "x"}}, "must be a file name in the job's working_directory"),
    ("script name with a star", {"script": {"name": "a*.bat", "content": "x"}}, "holds *"),
    ("script name is a device", {"script": {"name": "nul.bat", "content": "x"}}, "the device NUL"),
    ("script name ends in a space", {"script": {"name": "synchro.bat ", "content": "x"}}, "ends in a dot or a space"),
    ("script name ends in a dot", {"script": {"name": "synchro.", "content": "x"}}, "ends in a dot or a space"),
    ("script content and template", {"script": {"content": "x", "template": "t.j2"}}, "cannot be given with script.template or script.vars"),
    ("script vars not a mapping", {"script": {"template": "t.j2", "vars": "x"}}, "must be a mapping of template variables"),
    ("script not a mapping", {"script": "synchro.bat"}, "must be a mapping of options"),
]


@pytest.mark.parametrize(("changes", "phrase"), [case[1:] for case in BAD_JOBS], ids=[case[0] for case in BAD_JOBS])
def test_a_bad_job_gets_the_same_verdict_from_the_role_and_the_action(changes: dict[str, Any], phrase: str) -> None:
    role = role_problems([role_job(**changes)])
    action = action_problems([action_job(**changes)])

    assert role, "the role accepted it"
    assert action, "the action accepted it"
    assert any(phrase in problem for problem in role), role
    assert any(phrase in problem for problem in action), action
    assert_copyable("\n".join(role + action), changes)


TWO_JOBS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("one name twice", {"name": "Stock", "working_directory": f"{ROOT}\\a"}, {"name": "STOCK", "working_directory": f"{ROOT}\\b"}, "is also the name of"),
    ("one script twice", {"name": "A"}, {"name": "B"}, "holds synchro.bat, which job 'A' writes too"),
    ("one script twice, spelt otherwise", {"name": "A"}, {"name": "B", "working_directory": f"{ROOT}\\STOCK\\"}, "which job 'A' writes too"),
]


@pytest.mark.parametrize(("first", "second", "phrase"), [case[1:] for case in TWO_JOBS], ids=[case[0] for case in TWO_JOBS])
def test_two_jobs_in_each_others_way_get_the_same_verdict(first: dict[str, Any], second: dict[str, Any], phrase: str) -> None:
    first.setdefault("script", {"name": "synchro.bat", "content": "x"})
    second.setdefault("script", {"name": "synchro.bat", "content": "x"})
    role = role_problems([role_job(**first), role_job(**second)])
    action = action_problems([action_job(**first), action_job(**second)])

    assert any(phrase in problem for problem in role), role
    assert any(phrase in problem for problem in action), action


# A task option, or a word of the other way, written on the job itself: (key, value, what win_sync_jobs says, what the role
# says). None: that job takes the key there (the role's job says its task's options itself).
MISPLACED: list[tuple[str, object, str | None, str | None]] = [
    ("command", "D:\\Isotools\\sync.exe", "belongs under task (task.actions[0].command)", None),
    ("arguments", "/c synchro.bat", "belongs under task (task.actions[0].arguments)", None),
    ("id", "main", "belongs under task (task.actions[0].id)", "belongs to an action (actions[0].id)"),
    ("triggers", [{"type": "daily", "at": "03:00"}], "belongs under task (task.triggers)", None),
    ("at", "03:00", "belongs under task (task.triggers[0].at)", "belongs to a trigger (triggers[0].at)"),
    ("priority", 5, "belongs under task (task.settings.priority)", "belongs under settings (settings.priority)"),
    ("principal", {"user": "SYSTEM"}, "belongs under task (task.principal)", "is said as account, logon_type, password, run_level and account_display_name"),
    ("user", "SYSTEM", "belongs under task (task.principal.user)", "is said as account"),
    ("display_name", "Sync", "belongs under task (task.principal.display_name)", "is said as account_display_name"),
    ("description", "Stock", "belongs under task (task.description)", None),
    ("password_version", "2026-11", "belongs under task (task.password_version)", None),
    ("task", {"settings": {"priority": 5}}, None, "is said on the job itself"),
    ("schedule", [{"daily": "03:00"}], "is said as task.triggers here (schedule is the role's word)", None),
    (
        "folder",
        "\\Isotools",
        "is an option of win_sync_jobs, not of a job (the Task Scheduler folder of all the jobs' tasks)",
        "is the variable shop_sync_folder, not of a job (the Task Scheduler folder of all the jobs' tasks)",
    ),
]


@pytest.mark.parametrize(("key", "value", "action_says", "role_says"), MISPLACED, ids=[case[0] for case in MISPLACED])
def test_a_task_option_written_on_the_job_is_named_with_where_it_belongs(key: str, value: object, action_says: str | None, role_says: str | None) -> None:
    role = role_problems([role_job(**{key: value})])
    action = action_problems([action_job(**{key: value})])

    for problems, says, subject in ((role, role_says, "host 'shop01', job 'Synchro Stock'"), (action, action_says, "job 'Synchro Stock'")):
        if says is None:
            assert problems == [], problems
        else:
            assert any(problem.startswith(f"{subject}: {key} {says}") for problem in problems), problems


GOOD_JOBS: list[tuple[str, dict[str, Any]]] = [
    ("as it is", {}),
    ("a trailing backslash", {"working_directory": f"{ROOT}\\stock\\"}),
    ("a dot inside a name", {"working_directory": f"{ROOT}\\v1.2\\stock", "script": {"name": "sync.v2.bat", "content": "x"}}),
    ("a name that only starts like a device", {"name": "Console", "working_directory": f"{ROOT}\\CONSOLE\\COM10\\nullable"}),
    ("the owned root itself", {"working_directory": ROOT}),
    ("a template", {"script": {"template": "synchro.bat.j2", "vars": {"x": 1}}}),
    ("only starting in a system folder", {"working_directory": "C:\\Windows\\System32", "script": None}),
]


@pytest.mark.parametrize("changes", [case[1] for case in GOOD_JOBS], ids=[case[0] for case in GOOD_JOBS])
def test_what_the_role_accepts_the_action_accepts_as_it_was_translated(changes: dict[str, Any]) -> None:
    def without_nones(job: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in job.items() if value is not None}

    translated, problems = translate_jobs([without_nones(role_job(**changes))], DEFAULTS, "shop01", template_exists=os.path.isfile)
    assert problems == []

    [desired] = desired_jobs(translated, folder="\\Isotools", secure_acl=True, render=render, root=ROOT)

    assert action_problems([without_nones(action_job(**changes))]) == []
    assert desired.definition is not None
    [action] = desired.definition.actions
    assert isinstance(action, ExecAction)
    if desired.directories:
        # The folder the task starts in is the folder the host creates: one spelling.
        assert desired.directories == (action.working_directory,)


def test_a_trailing_backslash_registers_the_folder_the_host_creates() -> None:
    translated, problems = translate_jobs([role_job(working_directory=f"{ROOT}\\A\\")], DEFAULTS, "shop01", template_exists=os.path.isfile)
    assert problems == []
    [desired] = desired_jobs(translated, folder="\\Isotools", secure_acl=True, render=render, root=ROOT)

    assert desired.directories == (f"{ROOT}\\A",)
    assert desired.definition is not None
    assert [action.working_directory for action in desired.definition.actions if isinstance(action, ExecAction)] == [f"{ROOT}\\A"]
    assert [item.path for item in desired.files] == [f"{ROOT}\\A\\synchro.bat"]


# The action's own table of bad jobs (tests/unit/hardening/data/bad_jobs.yml), said in the
# inventory's words: the role must refuse each for the same reason.
ACTION_TABLE = Path(__file__).resolve().parents[2] / "hardening" / "data" / "bad_jobs.yml"
# Where the role's words differ from the action's, and why.
_ROLE_SAYS = {
    "script-without-content-or-template": "sync_command is required by the role's default synchro.bat",  # the role has a default template
    # The role looks in shop_sync_template_dir (and says where), the action in its search path.
    "template-not-found": "'missing.bat.j2' was not found: looked for",
    "job-task-option-on-the-job": "priority belongs under settings (settings.priority)",  # the role's job has no task
}
_ROLE_DIFFERS = {
    "job-working-directory-missing": "the role's jobs are in shop_sync_root\\<name> by default",
    # The role says it itself, for a job given shop_sync_default_password.
    "job-password-origin-typo": "the role's jobs have no password_origin: the role sets it",
    "job-password-origin-without-password": "the role's jobs have no password_origin: the role sets it",
}
_PRINCIPAL_WORDS = {"user": "account", "group": "account", "logon_type": "logon_type", "password": "password", "run_level": "run_level"}


def in_inventory_words(job: object) -> object:
    """A win_sync_jobs job as the inventory says it (``task.principal.user`` is ``account``)."""
    if not isinstance(job, Mapping):
        return job
    said = {key: value for key, value in job.items() if key != "task"}
    task = job.get("task") or {}
    assert isinstance(task, Mapping)
    for key, value in task.items():
        if key == "principal" and isinstance(value, Mapping):
            said.update({_PRINCIPAL_WORDS.get(str(field), str(field)): item for field, item in value.items()})
            if "group" in value:
                said["logon_type"] = "group"
        else:
            said[key] = value
    return said


def _inventory_cases() -> list[Any]:
    cases = []
    for case in yaml.safe_load(ACTION_TABLE.read_text(encoding="utf-8")):
        jobs = case["jobs"]
        tasks = [job.get("task") for job in jobs if isinstance(job, Mapping)]
        # Options of the module, the role's own templates, what only the host's read shows, and
        # a task option the inventory has no word for (task.name: the job's name is the task's).
        only_the_action = case.get("options") or case.get("templates") or case.get("reads_host")
        no_words = any(task is not None and (not isinstance(task, Mapping) or {"name", "folder"} & set(task)) for task in tasks)
        marks = [pytest.mark.skip(reason="said only to win_sync_jobs")] if only_the_action or no_words else []
        if case["id"] in _ROLE_DIFFERS:
            marks = [pytest.mark.skip(reason=_ROLE_DIFFERS[case["id"]])]
        cases.append(pytest.param(jobs, case["message"], _ROLE_SAYS.get(case["id"], case["message"]), id=case["id"], marks=marks))
    return cases


@pytest.mark.parametrize(("jobs", "phrase", "role_phrase"), _inventory_cases())
def test_every_job_the_action_refuses_the_role_refuses_for_the_same_reason(jobs: list[Any], phrase: str, role_phrase: str) -> None:
    action = action_problems(jobs)
    assert any(phrase in problem for problem in action), action
    role = role_problems([in_inventory_words(job) for job in jobs])  # type: ignore[misc]
    assert any(role_phrase in problem for problem in role), role
