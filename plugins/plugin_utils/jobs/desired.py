# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``jobs`` option of win_sync_jobs (and the one task of win_sync_task) as desired jobs.

A job is a task plus, optionally, the script it runs in its own working directory:

    {name: 'Synchro Stock', state: present, working_directory: 'D:\\Isotools\\...\\stock',
     script: {name: synchro.bat, content: ... | template: synchro.bat.j2, vars: {...}},
     task: {triggers: [...], principal: {...}, settings: {...}}}

:func:`desired_jobs` validates every job before anything else happens and raises one
:class:`spec.SpecError` listing every problem of every job, each naming the job and the field
(``job 'stock': task.triggers[0].at '25:00' ...``). Templates are rendered through the
``render`` callback the action passes in (Jinja2 lives on the controller, not here). Pure: no I/O.
"""

from __future__ import annotations

import ntpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import (
    ADMINISTRATORS_SID,
    SYSTEM_SID,
    canonical_account,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.options import MODULE_JOB_OPTIONS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.rules import (
    DEFAULT_COMMAND,
    DEFAULT_SCRIPT_NAME,
    JOB_STATES,
    JobNames,
    job_folder,
    misplaced_key_hints,
    owned_root_problem,
    script_name_problem,
    script_source,
    written_folder_problem,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import DesiredFile, DesiredJob, PasswordOrigin
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import Problem, SpecError, TaskSpec, parse_spec
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import (
    name_problem,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import duration_range, keys_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import (
    Report,
    Section,
    kind_of,
)

__all__ = [
    "DEFAULT_COMMAND",
    "DEFAULT_SCRIPT_NAME",
    "MODULE_JOB_KEYS",
    "SCRIPT_KEYS",
    "ScriptTemplateError",
    "TemplateRender",
    "task_job",
    "desired_jobs",
    "script_bytes",
]

# The keys and ranges of a job are those of the job options' table (jobs.options).
MODULE_JOB_KEYS = keys_at("", MODULE_JOB_OPTIONS)
SCRIPT_KEYS = keys_at("script", MODULE_JOB_OPTIONS)
_SHORTEST_MAX_AGE = duration_range("max_age", MODULE_JOB_OPTIONS)[0]
_PASSWORD_ORIGINS = tuple(origin.value for origin in PasswordOrigin)
# A task option written on the job, not under task (command belongs under task (task.actions[0].command)),
# the role's schedule, and the module's folder.
_MISPLACED_KEYS = misplaced_key_hints(MODULE_JOB_KEYS, under="task", folder="an option of win_sync_jobs")
# The job sets these itself; a task spec that repeats them would be ambiguous.
_SET_BY_JOB = {
    "name": "is set by the job's name: remove it from task",
    "folder": "is set by the module's folder option: remove it from task",
}
# cmd.exe reads a batch file line by line and needs CRLF line ends (a lone LF can make it skip
# or merge lines after a label or a parenthesised block).
_CRLF_EXTENSIONS = frozenset({".bat", ".cmd"})


class ScriptTemplateError(ValueError):
    """A script template could not be found or rendered; the message says why."""


# (template path as given, template variables) -> rendered text; raises ScriptTemplateError.
TemplateRender = Callable[[str, Mapping[str, object]], str]


def task_job(spec: TaskSpec) -> DesiredJob:
    """The single task of win_sync_task as a job: no script, no directory, ACLs left alone."""
    return DesiredJob(
        name=spec.definition.name,
        definition=spec.definition,
        password=spec.password,
        password_version=spec.password_version,
    )


def desired_jobs(jobs: Sequence[object], *, folder: str, secure_acl: bool, render: TemplateRender, root: str | None = None) -> tuple[DesiredJob, ...]:
    """Every job of the ``jobs`` option, validated; raises :class:`SpecError` listing all problems.

    ``root`` is the folder the collection owns (the ``root`` option): a job writes its script,
    creates and locks down its working directory only under it. Without it, a job owns its own
    working directory. Either way never a drive root or a system folder (:mod:`owned_folders`).
    """
    problems: list[Problem] = []
    if root is not None:
        problem = owned_root_problem(root)
        if problem:
            raise SpecError([Problem("", "", problem, "root")])
    desired: list[DesiredJob] = []
    seen = JobNames()
    for index, job in enumerate(jobs):
        built, found = _job(job, index, _Context(folder, secure_acl, render, root))
        problems += found
        name = _given_name(job)
        if name:
            duplicate = seen.name_problem(name, _label(name))
            if duplicate:
                problems.append(Problem(name, "name", duplicate, _label(name)))
                continue
        if built is not None:
            script = built.files[0].path if built.files else None
            duplicate = seen.script_problem(ntpath.dirname(script), ntpath.basename(script), _label(built.name)) if script else None
            if duplicate:
                problems.append(Problem(built.name, "working_directory", duplicate, _label(built.name)))
                continue
            desired.append(built)
    if problems:
        raise SpecError(problems)
    return tuple(desired)


def _label(name: str) -> str:
    return f"job '{name}'"


def _given_name(job: object) -> str | None:
    """The job's name as its task is named: a whole number counts as its digits (``name: 42``
    names the task '42'), as every other text option of a spec takes it."""
    name = job.get("name") if isinstance(job, Mapping) else None
    if isinstance(name, int) and not isinstance(name, bool):
        return str(name)
    return name if isinstance(name, str) else None


def script_bytes(file_name: str, text: str) -> bytes:
    """The bytes written for a script: UTF-8 without a byte order mark (cmd.exe would run the
    mark as a command), CRLF line ends for ``.bat``/``.cmd``."""
    if ntpath.splitext(file_name)[1].lower() in _CRLF_EXTENSIONS:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return text.encode("utf-8")


@dataclass(frozen=True)
class _Context:
    """What every job of one call shares: the module's options."""

    folder: str
    secure_acl: bool
    render: TemplateRender
    root: str | None


def _job(job: object, index: int, context: _Context) -> tuple[DesiredJob | None, list[Problem]]:
    if not isinstance(job, Mapping):
        label = f"jobs[{index}]"
        return None, [Problem(label, "", f"must be a mapping with at least a name, got {kind_of(job)}", label)]
    given_name = _given_name(job)
    name = given_name if given_name is not None and given_name.strip() else f"jobs[{index}]"
    label = _label(name) if name == given_name else name
    report = Report()
    entry = Section(job, "", report)
    entry.check_keys(MODULE_JOB_KEYS, _MISPLACED_KEYS)
    entry.text("name", "", required=True, non_empty=True)
    if name == given_name:
        problem = name_problem(name)
        if problem:
            entry.problem("name", problem)
    before_state = report.mark()
    state = entry.choice("state", JOB_STATES, "present")
    built: DesiredJob | None = None
    problems: list[Problem] = []
    # With a state that means nothing, what else the job needs is unknown: say only that.
    if report.clean_since(before_state):
        built, problems = _build(entry, state, name, label, context)
    own = [Problem(name, path, message, label) for path, message in report.problems]
    return (built if not own and not problems else None), own + problems


def _build(entry: Section, state: str, name: str, label: str, context: _Context) -> tuple[DesiredJob | None, list[Problem]]:
    working_directory = _working_directory(entry, state)
    if state == "absent":
        return DesiredJob(name=name, state="absent"), []
    files = _script(entry, working_directory, context.render)
    # A folder the collection does not own may be where a task starts, never where it writes.
    script_name = ntpath.basename(files[0].path) if files else DEFAULT_SCRIPT_NAME
    not_owned = written_folder_problem(working_directory, script_name, context.root) if working_directory else None
    if files and not_owned:
        entry.problem("working_directory", f"{not_owned}; a job that keeps the host's own script (no script) may start there")
    task_spec, problems = _task(entry, name, label, context.folder, working_directory, files)
    origin = PasswordOrigin(entry.choice("password_origin", _PASSWORD_ORIGINS, PasswordOrigin.JOB.value))
    if task_spec is None or files is None:
        return None, problems
    if entry.has("password_origin") and task_spec.password is None:
        entry.problem("password_origin", "says where task.principal.password comes from, which is not given")
    job = DesiredJob(
        name=name,
        definition=task_spec.definition,
        password=task_spec.password,
        password_origin=origin,
        password_version=task_spec.password_version,
        files=files,
        directories=(working_directory,) if working_directory and not not_owned else (),
        acl_sids=_acl_accounts(task_spec) if context.secure_acl else (),
        owned_root=context.root or working_directory,
        max_age=entry.duration("max_age", None, low=_SHORTEST_MAX_AGE),
        log=entry.text("log", None, non_empty=True),
    )
    return job, problems


def _working_directory(entry: Section, state: str) -> str:
    # Only a script, or the default action (cmd.exe /c synchro.bat), needs the job's folder: a job
    # whose task says its own actions may have none (an adopted task that starts in no folder).
    needed = state == "present" and (entry.has("script") or not _own_actions(entry.raw("task")))
    given = entry.text("working_directory", "", required=needed, non_empty=needed)
    if not given:
        return ""
    folder, problem = job_folder(given)
    if problem:
        entry.problem("working_directory", problem)
    return folder


def _own_actions(task: object) -> bool:
    return isinstance(task, Mapping) and task.get("actions") is not None


def _script(entry: Section, working_directory: str, render: TemplateRender) -> tuple[DesiredFile, ...] | None:
    """The job's script file (empty: the job has none); ``None`` when it could not be built."""
    options = entry.child("script", SCRIPT_KEYS)
    if options is None:
        return None if entry.has("script") else ()
    start = entry.report.mark()
    file_name = options.text("name", DEFAULT_SCRIPT_NAME, non_empty=True)
    problem = script_name_problem(file_name)
    if problem:
        options.problem("name", problem)
    source = script_source(options)
    content = source.content if source else None
    template = source.template if source else None
    variables = source.variables if source else None
    if source is not None and content is None and template is None:
        options.problem("content", "or script.template is required (or leave out script to keep the host's own script)")
    if not entry.report.clean_since(start) or not working_directory:
        return None
    if content is None:
        job = _plain(entry.data)
        try:
            content = render(str(template), {**_template_vars(variables), "job": job, "shop_sync_job": job})
        except ScriptTemplateError as error:
            options.problem("template", str(error))
            return None
    sensitive = options.flag("sensitive", False)
    return (DesiredFile(ntpath.join(working_directory, file_name), script_bytes(file_name, content), sensitive=sensitive is True),)


def _task(
    entry: Section,
    name: str,
    label: str,
    folder: str,
    working_directory: str,
    files: tuple[DesiredFile, ...] | None,
) -> tuple[TaskSpec | None, list[Problem]]:
    task = entry.raw("task")
    if task is None:
        task = {}
    if not isinstance(task, Mapping):
        return None, [Problem(name, "task", f"must be a mapping of task options, got {kind_of(task)}", label)]
    problems = [Problem(name, f"task.{key}", message, label) for key, message in _SET_BY_JOB.items() if task.get(key) is not None]
    # Keys stay as given: a non-string key is reported by parse_spec, not hidden by str().
    options: dict[Any, object] = {key: value for key, value in task.items() if key not in _SET_BY_JOB}
    options["name"] = name
    options["folder"] = folder
    if options.get("actions") is None:
        options["actions"] = [_default_action(working_directory, files)]
    try:
        spec = parse_spec(options, task_label=label)
    except SpecError as error:
        problems += [_under_task(problem, label) for problem in error.problems]
        return None, problems
    return (None if problems else spec), problems


def _default_action(working_directory: str, files: tuple[DesiredFile, ...] | None) -> dict[str, object]:
    script_name = ntpath.basename(files[0].path) if files else DEFAULT_SCRIPT_NAME
    action: dict[str, object] = {"command": DEFAULT_COMMAND, "arguments": f"/c {script_name}"}
    if working_directory:
        action["working_directory"] = working_directory
    return action


def _under_task(problem: Problem, label: str) -> Problem:
    """A problem of the task spec, its field named from the job (``task.triggers[0].at``)."""
    field = problem.field
    if field and not field.startswith(("name", "folder")):
        field = f"task.{field}"
    return Problem(problem.task, field, problem.message, label)


def _acl_accounts(spec: TaskSpec) -> tuple[str, ...]:
    """Who may write a job's directory and script: Administrators, SYSTEM and the run-as account."""
    principal = spec.definition.principal
    accounts = [ADMINISTRATORS_SID, SYSTEM_SID]
    run_as = principal.user_id or principal.group_id
    if run_as and canonical_account(run_as) not in accounts:
        accounts.append(run_as)
    return tuple(accounts)


def _template_vars(variables: object) -> dict[str, object]:
    if not isinstance(variables, Mapping):
        return {}
    return {str(key): value for key, value in variables.items()}


def _plain(job: Mapping[object, object]) -> dict[str, object]:
    """The job as the template sees it (``job.name``, ``job.task.description``), without the
    password: a script must never carry it."""
    plain = {str(key): value for key, value in job.items()}
    task = plain.get("task")
    principal = task.get("principal") if isinstance(task, Mapping) else None
    if isinstance(task, Mapping) and isinstance(principal, Mapping) and "password" in principal:
        safe_principal = {key: value for key, value in principal.items() if key != "password"}
        plain["task"] = {**task, "principal": safe_principal}
    return plain
