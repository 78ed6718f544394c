# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job options' tables (plugins/plugin_utils/jobs/options.py) and the readers agree.

The role's jobs (``translate_jobs``) and win_sync_jobs' jobs (``desired_jobs``) each read what
their table lists, nothing else, with its words, ranges and defaults; the generated docs are
checked current by tests/tools/test_render_options.py. The task options a role's job lifts
(``actions``, ``triggers``, ``settings``) are the task table's, checked by test_spec_docs.py.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import ScriptTemplateError, desired_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import JobDefaults, translate_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.options import INVENTORY_JOB_OPTIONS, MODULE_JOB_OPTIONS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import Option, keys_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_duration

ROOT = "D:\\Isotools\\Synchro_prod"
ROLE_TEMPLATES = Path(__file__).resolve().parents[4] / "roles" / "sync_jobs" / "templates"
DEFAULTS = JobDefaults(root=ROOT, default_template=str(ROLE_TEMPLATES / "synchro.bat.j2"), template_dir=str(ROLE_TEMPLATES))
LIFTED = ("actions", "triggers", "settings")  # the task table's rows, with the role's words


def _walk(options: tuple[Option, ...], parent: str = "") -> list[tuple[str, Option]]:
    found: list[tuple[str, Option]] = []
    for option in options:
        path = f"{parent}.{option.name}" if parent else option.name
        found.append((path, option))
        if path not in LIFTED:
            found += _walk(option.suboptions, path)
    return found


INVENTORY = _walk(INVENTORY_JOB_OPTIONS)
MODULE = _walk(MODULE_JOB_OPTIONS)
# A value of the wrong kind for each option type; raw options are times of day.
_WRONG = {"str": ["x"], "int": "ten", "bool": "maybe", "dict": "x", "list": "x", "raw": "noon"}


def _render(template: str, variables: object) -> str:
    raise ScriptTemplateError(f"'{template}' is not rendered here")


def _role_job(**given: Any) -> dict[str, Any]:
    return {"name": "Synchro Stock", "working_directory": f"{ROOT}\\stock", "script": {"content": "@echo off\n"}, "schedule": [{"daily": "02:00"}], **given}


def _module_job(**given: Any) -> dict[str, Any]:
    task = {"triggers": [{"type": "daily", "at": "02:00"}], "principal": {"user": "SYSTEM"}}
    return {"name": "Synchro Stock", "working_directory": f"{ROOT}\\stock", "script": {"content": "@echo off\n"}, "task": task, **given}


def _role(job: dict[str, Any]) -> tuple[list[dict[str, object]], list[str]]:
    return translate_jobs([job], DEFAULTS, "shop01", template_exists=os.path.isfile)


def _role_problems(job: dict[str, Any]) -> list[str]:
    return _role(job)[1]


def _module_problems(job: dict[str, Any]) -> list[str]:
    try:
        desired_jobs([job], folder="\\Isotools", secure_acl=True, render=_render, root=ROOT)
    except SpecError as error:
        return str(error).splitlines()
    return []


# A schedule entry that takes each key of the table's schedule rows, the key's value left out.
_ENTRIES: dict[str, dict[str, Any]] = {
    "daily": {},
    "every": {},
    "from": {"every": "1h"},
    "until": {"every": "1h"},
    "for": {"every": "1m"},
    "days": {"every": "1h"},
    "weekly": {},
    "monthly": {},
    "at_boot": {},
    "delay": {"at_boot": True},
    "once": {},
    "enabled": {"daily": "02:00"},
    "random_delay": {"daily": "02:00"},
}
_SCHEDULE_FORMS = {"weekly": {"days": ["mon"], "at": "02:00"}, "monthly": {"days": [1], "at": "02:00"}}


def _role_with(path: str, value: object) -> tuple[dict[str, Any], str]:
    """A valid role job with ``value`` at the table's ``path``, and the field its messages name."""
    head, _dot, rest = path.partition(".")
    if head == "schedule" and rest:
        key, _dot, inner = rest.partition(".")
        entry = dict(_ENTRIES[key])
        entry[key] = {**_SCHEDULE_FORMS[key], inner: value} if inner else value
        return _role_job(schedule=[entry]), f"schedule[0].{rest}"
    if head == "script" and rest:
        return _role_job(script=_script_with(rest, value)), path
    return _role_job(**{head: value}), path


def _script_with(key: str, value: object) -> dict[str, Any]:
    """A script with ``value`` at ``key``: its text, unless the text is what ``key`` gives."""
    return {key: value} if key in ("content", "template") else {"content": "@echo off\n", key: value}


def _module_with(path: str, value: object) -> tuple[dict[str, Any], str]:
    head, _dot, rest = path.partition(".")
    if head == "script" and rest:
        return _module_job(script=_script_with(rest, value)), path
    return _module_job(**{head: value}), path


def _at(problems: list[str], field: str) -> list[str]:
    """The problems said of ``field`` (``..., job 'Synchro Stock': schedule[0].every '0m' ...``)."""
    return [problem.split(f": {field} ", 1)[1] for problem in problems if f": {field} " in problem]


def _unknown(messages: list[str]) -> list[str]:
    return [message for message in messages if "not a known option" in message or "is not an option" in message]


@pytest.mark.parametrize(("path", "option"), INVENTORY, ids=[path for path, _option in INVENTORY])
def test_every_option_of_the_role_s_table_is_read_by_the_role(path: str, option: Option) -> None:
    """A value of the wrong kind is refused at that option, as a bad value, not an unknown key."""
    job, field = _role_with(path, _WRONG[option.type])
    problems = _at(_role_problems(job), field)
    assert problems, f"{field} {_WRONG[option.type]!r} is not refused: {_role_problems(job)}"
    assert not _unknown(problems)


@pytest.mark.parametrize(("path", "option"), MODULE, ids=[path for path, _option in MODULE])
def test_every_option_of_the_module_s_table_is_read_by_win_sync_jobs(path: str, option: Option) -> None:
    job, field = _module_with(path, _WRONG[option.type])
    problems = _at(_module_problems(job), field)
    assert problems, f"{field} {_WRONG[option.type]!r} is not refused: {_module_problems(job)}"
    assert not _unknown(problems)


def test_each_reader_takes_no_key_its_table_does_not_list() -> None:
    """The two tables differ on purpose (a role's job says its task in plain words, win_sync_jobs
    takes it whole): each reader refuses the other's own keys (some named with where they go
    instead), as it refuses a misspelt one."""
    role_keys, module_keys = set(keys_at("", INVENTORY_JOB_OPTIONS)), set(keys_at("", MODULE_JOB_OPTIONS))
    assert {"task", "log"} <= module_keys - role_keys and {"schedule", "account", "sync_command"} <= role_keys - module_keys
    for key in sorted(module_keys - role_keys):
        assert _at(_role_problems(_role_job(**{key: "x"})), key), key
    for key in sorted(role_keys - module_keys):
        assert _at(_module_problems(_module_job(**{key: "x"})), key), key
    assert _unknown(_at(_role_problems(_role_job(bogus="x")), "bogus"))
    assert _unknown(_at(_module_problems(_module_job(bogus="x")), "bogus"))
    assert _unknown(_at(_role_problems(_role_job(script={"content": "x", "bogus": 1})), "script.bogus"))
    assert _unknown(_at(_module_problems(_module_job(script={"content": "x", "bogus": 1})), "script.bogus"))
    for form in _SCHEDULE_FORMS:
        assert _unknown(_at(_role_problems(_role_job(schedule=[{form: {**_SCHEDULE_FORMS[form], "bogus": 1}}])), f"schedule[0].{form}.bogus"))


def test_every_key_of_a_schedule_entry_is_in_the_table() -> None:
    """Which keys go with which kind of entry is the schedule's rule: each one it takes is a row."""
    rows = set(keys_at("schedule", INVENTORY_JOB_OPTIONS))
    assert set(_ENTRIES) == rows
    assert _unknown(_at(_role_problems(_role_job(schedule=[{"daily": "02:00", "bogus": 1}])), "schedule[0].bogus"))


CHOICES = [(name, path, option, choice) for name, table in (("role", INVENTORY), ("module", MODULE)) for path, option in table for choice in option.choices]


@pytest.mark.parametrize(("reader", "path", "option", "choice"), CHOICES, ids=[f"{reader}-{path}={choice}" for reader, path, _option, choice in CHOICES])
def test_every_word_of_a_job_table_is_a_word_of_its_reader(reader: str, path: str, option: Option, choice: str) -> None:
    with_value, problems_of = (_role_with, _role_problems) if reader == "role" else (_module_with, _module_problems)
    job, field = with_value(path, choice)
    assert not [message for message in _at(problems_of(job), field) if "is not one of" in message]
    job, field = with_value(path, "no_such_word")
    assert any("is not one of" in message for message in _at(problems_of(job), field))


# The lifted task options' ranges are the task table's (test_spec_docs.py).
RANGED = [
    (name, path, option)
    for name, table in (("role", INVENTORY), ("module", MODULE))
    for path, option in table
    if (option.low or option.high) and path not in LIFTED
]


@pytest.mark.parametrize(("reader", "path", "option"), RANGED, ids=[f"{reader}-{path}" for reader, path, _option in RANGED])
def test_a_job_s_reader_takes_the_range_of_its_table_and_no_more(reader: str, path: str, option: Option) -> None:
    with_value, problems_of = (_role_with, _role_problems) if reader == "role" else (_module_with, _module_problems)
    assert isinstance(option.low, dt.timedelta)
    for bound, beyond, words in (
        (option.low, -1, f"must be at least {format_duration(option.low)}" if option.high is None else "must be between"),
        (option.high, 1, "must be between"),
    ):
        if not isinstance(bound, dt.timedelta):
            continue
        job, field = with_value(path, format_duration(bound))
        assert not [message for message in _at(problems_of(job), field) if "must be" in message], (field, bound)
        job, field = with_value(path, format_duration(bound + beyond * dt.timedelta(seconds=1)))
        assert any(words in message for message in _at(problems_of(job), field)), (field, problems_of(job))


def test_documented_defaults_are_what_an_omitted_option_means() -> None:
    """Spelling out a job table's defaults changes nothing, for the role and for win_sync_jobs."""
    role = {path: option.default for path, option in INVENTORY if option.default is not None}
    assert set(role) == {"state", "script.name", "script.sensitive", "command", "schedule.from", "schedule.weekly.at", "schedule.monthly.at"}
    spelled = _role_job(
        state=role["state"],
        command=role["command"],
        script={"content": "@echo off\n", "name": role["script.name"], "sensitive": role["script.sensitive"]},
        schedule=[
            {"every": "1h", "from": role["schedule.from"]},
            {"weekly": {"days": ["mon"], "at": role["schedule.weekly.at"]}},
            {"monthly": {"days": [1], "at": role["schedule.monthly.at"]}},
        ],
    )
    bare = _role_job(schedule=[{"every": "1h"}, {"weekly": {"days": ["mon"]}}, {"monthly": {"days": [1]}}])
    assert _role(spelled) == _role(bare)
    assert _role(bare)[1] == []

    module = {path: option.default for path, option in MODULE if option.default is not None}
    assert set(module) == {"state", "script.name", "script.sensitive", "task", "password_origin"}
    with_password = {"triggers": [{"type": "daily", "at": "02:00"}], "principal": {"user": "svc_sync", "password": "x", "logon_type": "password"}}  # invented
    [origin_spelled], [origin_bare] = (
        desired_jobs([_module_job(task=with_password, **given)], folder="\\Isotools", secure_acl=True, render=_render, root=ROOT)
        for given in ({"password_origin": module["password_origin"]}, {})
    )
    assert origin_spelled == origin_bare
    [spelled_job] = desired_jobs(
        [{**_module_job(state=module["state"]), "script": {"content": "@echo off\n", "name": module["script.name"], "sensitive": module["script.sensitive"]}}],
        folder="\\Isotools",
        secure_acl=True,
        render=_render,
        root=ROOT,
    )
    [bare_job] = desired_jobs([_module_job()], folder="\\Isotools", secure_acl=True, render=_render, root=ROOT)
    assert spelled_job == bare_job
    [no_task, empty_task] = desired_jobs(
        [{"name": "A", "working_directory": f"{ROOT}\\a"}, {"name": "B", "working_directory": f"{ROOT}\\b", "task": module["task"]}],
        folder="\\Isotools",
        secure_acl=True,
        render=_render,
        root=ROOT,
    )
    assert no_task.definition is not None and empty_task.definition is not None
    assert no_task.definition.settings == empty_task.definition.settings and no_task.definition.triggers == empty_task.definition.triggers
