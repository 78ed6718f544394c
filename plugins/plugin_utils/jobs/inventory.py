# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sync jobs as the inventory says them, translated into ``win_sync_jobs`` jobs (and back).

The role ``isotools.shop_sync.sync_jobs`` lets the inventory say a job in a person's words:
a name, a schedule in plain words, a run-as account, a sync command; everything else follows
from the role's defaults. :func:`translate_jobs` turns that into the jobs of ``win_sync_jobs``
(each with its task spec and its script), collecting every problem of every job with the host,
the job and the field, so a bad inventory is refused before any host is touched;
:func:`resolve_jobs` is that translation with the role's defaults and variables as the role has
them, the one check of the role (its action ``sync_jobs_check``) and of the filters alike.
:func:`adopt_tasks` goes the other way for adoption: existing tasks (``win_sync_task_info``)
become inventory jobs ready for review. Pure functions, no I/O.
"""

from __future__ import annotations

import difflib
import ntpath
import os.path
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_service_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.options import INVENTORY_JOB_OPTIONS, INVENTORY_LOGON_TYPES
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
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.schedule import (
    schedule_to_triggers,
    triggers_to_schedule,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import Principal
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import PASSWORD_LOGON_TYPES, PasswordOrigin
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError, parse_spec
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import (
    name_problem,
    normalise_folder,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import duration_range, keys_at, option_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import (
    Report,
    Section,
    describe,
    index_path,
    kind_of,
    parse_duration_text,
    quoted,
    secret_problem,
    to_int,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_duration

__all__ = [
    "DEFAULT_COMMAND",
    "INVENTORY_JOB_KEYS",
    "INVENTORY_LOGON_TYPES",
    "JobDefaults",
    "DefaultsError",
    "JobsProblem",
    "resolve_jobs",
    "translate_jobs",
    "variable_problems",
    "adopt_tasks",
]

# The keys, words and ranges of a job are those of the job options' table (jobs.options).
INVENTORY_JOB_KEYS = keys_at("", INVENTORY_JOB_OPTIONS)
_SCRIPT_KEYS = keys_at("script", INVENTORY_JOB_OPTIONS)
_PASSWORD_LOGONS = frozenset(item.value for item in PASSWORD_LOGON_TYPES)
_RUN_LEVELS = option_at("run_level", INVENTORY_JOB_OPTIONS).choices
_SHORTEST_MAX_AGE = duration_range("max_age", INVENTORY_JOB_OPTIONS)[0]
_PRINCIPAL_FIELDS = {
    "user": "account",
    "group": "account",
    "logon_type": "logon_type",
    "password": "password",
    "run_level": "run_level",
    "display_name": "account_display_name",
}
_MOST_LOGS_KEPT = 99
_ACCOUNT_WORDS = tuple(dict.fromkeys(_PRINCIPAL_FIELDS.values()))
# A task option written as win_sync_jobs takes it: the role's job says its task's options itself,
# the principal's in words of its own.
_MISPLACED_KEYS = {
    **misplaced_key_hints(
        INVENTORY_JOB_KEYS,
        folder="the variable shop_sync_folder",
        said_as={
            "principal": f"{', '.join(_ACCOUNT_WORDS[:-1])} and {_ACCOUNT_WORDS[-1]}",
            **{f"principal.{key}": word for key, word in _PRINCIPAL_FIELDS.items()},
        },
    ),
    "task": "is said on the job itself (schedule or triggers, command or actions, account, settings, ...): the role's jobs have no task",
}


@dataclass(frozen=True, kw_only=True)
class JobDefaults:
    """What a job gets when the inventory does not say (the role's ``shop_sync_default_*``)."""

    root: str = ""  # shop_sync_root: job folders are <root>\<job name>
    account: str = "SYSTEM"
    logon_type: str = "auto"
    password: str | None = None
    password_version: str | None = None
    run_level: str | None = None
    settings: Mapping[str, object] = field(default_factory=dict)
    folder: str = "\\Isotools"  # shop_sync_folder: the Task Scheduler folder of the jobs
    script_name: str = DEFAULT_SCRIPT_NAME
    default_template: str = ""  # controller path of the role's synchro.bat.j2
    template_dir: str = ""  # relative script templates are looked up here (the inventory's folder)
    log_keep: int = 10
    log_max_kb: int = 1024
    # shop_sync_default_max_age: a duration as people write it (1h, PT1H); empty: none
    max_age: object = ""


class JobsProblem(ValueError):
    """The jobs of a host cannot be deployed; ``problems`` lists every reason, each naming the
    host, the job and the field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the sync jobs:\n" + "\n".join(self.problems))


class DefaultsError(ValueError):
    """The defaults given to :func:`resolve_jobs` are not the role's: the caller's mistake."""


# The defaults that are whole numbers, and the role variable each comes from.
_WHOLE_NUMBERS = {"log_keep": "shop_sync_log_keep", "log_max_kb": "shop_sync_log_max_kb"}
_DEFAULT_FIELDS = tuple(item.name for item in fields(JobDefaults))


def resolve_jobs(
    jobs: object,
    defaults: object,
    host: str,
    *,
    variables: Sequence[str] | None = None,
    known: Sequence[str] | None = None,
    prune: bool = False,
    template_exists: Callable[[str], bool],
    absolute_path: Callable[[str], str],
) -> tuple[list[dict[str, object]], list[str]]:
    """The translated jobs of a host and every problem of its defaults, variables and jobs.

    ``defaults`` are the role's (the keys of :class:`JobDefaults`, as the role's variables give
    them); ``variables`` (the host's ``shop_sync_*`` names) with ``known`` (the role's) also name a
    misspelt variable and a host that declares no jobs; with ``prune``, a host without jobs is
    refused, since prune would delete every task the collection registered in its folder (an
    inventory mistake that left the host without its jobs). Raises :class:`DefaultsError` for
    ``defaults`` that are not the role's (a caller's mistake, not the inventory's).
    ``template_exists`` and ``absolute_path`` are the caller's I/O on the controller: whether a
    template is a file (:func:`translate_jobs`), and a relative ``template_dir`` made absolute
    (the filters and the role's check take it from where ansible-playbook runs).
    """
    problems: list[str] = []
    job_defaults = _job_defaults(defaults, host, problems, absolute_path)
    if variables is not None and known is not None:
        problems += variable_problems([str(name) for name in variables], [str(name) for name in known], host)
    translated, job_problems = translate_jobs(jobs, job_defaults, host, template_exists=template_exists)
    problems += job_problems
    if prune and (jobs is None or jobs == []):
        problems.append(
            f"host '{host}': shop_sync_jobs is empty and shop_sync_prune is true, which would delete every task this collection registered in"
            f" {job_defaults.folder}: list the jobs to remove with state: absent, or set shop_sync_prune: false"
        )
    return translated, problems


def _job_defaults(defaults: object, host: str, problems: list[str], absolute_path: Callable[[str], str]) -> JobDefaults:
    """The defaults, ``template_dir`` made absolute by ``absolute_path``; a number that is not
    one is added to ``problems`` (and its default used), so that the jobs are still checked:
    every problem at once."""
    if defaults is None:
        return JobDefaults()
    if not isinstance(defaults, Mapping):
        raise DefaultsError(f"defaults must be a mapping of {', '.join(_DEFAULT_FIELDS)}")
    unknown = sorted(str(key) for key in defaults if key not in _DEFAULT_FIELDS)
    if unknown:
        raise DefaultsError(f"defaults has unknown keys {', '.join(unknown)}; known: {', '.join(_DEFAULT_FIELDS)}")
    given = {str(key): value for key, value in defaults.items() if value is not None}
    # The role passes "no default password" as None; on cores without native types (before
    # 2.19) that arrives as '', which would be given to every password logon as its password.
    if given.get("password") == "":
        del given["password"]
    if "settings" in given and not isinstance(given["settings"], Mapping):
        raise DefaultsError("defaults.settings (shop_sync_default_settings) must be a mapping of task settings")
    for key, variable in _WHOLE_NUMBERS.items():
        if key in given:
            # The role templates "{{ sync_jobs_log_keep }}": an int on ansible-core 2.19+, but text on
            # 2.17/2.18, which have no native Jinja types; to_int takes both, and nothing else.
            try:
                given[key] = to_int(given[key])
            except ValueError:
                problems.append(f"host '{host}': {variable} must be a whole number, got {describe(given.pop(key))}")
    if given.get("template_dir"):
        # Left relative, the template search path would take it from the role's and the
        # playbook's folders instead of the inventory's.
        given["template_dir"] = absolute_path(str(given["template_dir"]))
    return JobDefaults(**given)


def translate_jobs(jobs: object, defaults: JobDefaults, host: str, *, template_exists: Callable[[str], bool]) -> tuple[list[dict[str, object]], list[str]]:
    """The ``win_sync_jobs`` jobs for a host's ``shop_sync_jobs``, and every problem found.

    A problem reads ``host 'shop01', job 'Synchro Stock': schedule[0].until '25:00' is not a
    time of day ...``. Jobs with problems are left out of the result. ``template_exists`` tells
    whether a script template is a file on the controller (the caller's I/O, so that a job whose
    template is missing is refused with the others, before any host is touched).
    """
    prefix = f"host '{host}'"
    if jobs is None:
        return [], []
    if not isinstance(jobs, list):
        return [], [f"{prefix}: shop_sync_jobs must be a list of jobs, got {kind_of(jobs)}"]
    problems: list[str] = []
    problems.extend(_defaults_problems(defaults, prefix))
    translated: list[dict[str, object]] = []
    seen = JobNames()
    for index, job in enumerate(jobs):
        label = _label(job, index)
        report = Report()
        result = _translate(job, defaults, report, template_exists)
        if result is not None:
            _check_unique(result, label, seen, report)
        problems.extend(f"{prefix}, {label}: {path}{' ' if path else ''}{message}" for path, message in report.problems)
        if result is not None and not report.problems:
            translated.append(result)
    return translated, problems


def variable_problems(given: Sequence[str], known: Sequence[str], host: str) -> list[str]:
    """What the host's ``shop_sync_*`` variables ``given`` say wrong, against the role's ``known`` ones.

    A host without ``shop_sync_jobs`` says so (a host left out of its group, a misspelt variable,
    would else deploy nothing and succeed). A variable that is not the role's but close to one
    (``shop_sync_job``) is named with the likely one; one unlike any (``shop_sync_common_jobs``, a
    helper the inventory combines into shop_sync_jobs) is the inventory's own business.
    """
    prefix = f"host '{host}'"
    problems = []
    for name in sorted(set(given) - set(known)):
        likely = difflib.get_close_matches(name, known, n=1, cutoff=_LIKELY_NAME)
        if likely:
            problems.append(f"{prefix}: {name} is not a variable of the role: did you mean {likely[0]}?")
    if "shop_sync_jobs" not in given:
        problems.append(f"{prefix}: shop_sync_jobs is not set, so no job is declared: list the host's jobs (shop_sync_jobs: [] for none)")
    return problems


# How alike a variable must be to a role variable to be taken for a misspelling of it: a letter
# more or less in shop_sync_jobs (0.96), not a helper such as shop_sync_extra_jobs (0.82).
_LIKELY_NAME = 0.86


def _is_gmsa(account: str) -> bool:
    return Principal(user_id=account).is_gmsa


def _label(job: object, index: int) -> str:
    name = job.get("name") if isinstance(job, Mapping) else None
    if isinstance(name, str) and name.strip():
        return f"job '{name}'"
    return f"job shop_sync_jobs[{index}] (no name)"


def _defaults_problems(defaults: JobDefaults, prefix: str) -> list[str]:
    problems = []
    if defaults.root:
        problem = owned_root_problem(defaults.root)
        if problem:
            problems.append(f"{prefix}: shop_sync_root {problem}")
    try:
        normalise_folder(defaults.folder)
    except ValueError as error:
        problems.append(f"{prefix}: shop_sync_folder {error}")
    problem = script_name_problem(defaults.script_name)
    if problem:
        problems.append(f"{prefix}: shop_sync_script_name {problem}")
    if defaults.password is not None:
        problem = secret_problem(defaults.password)
        if problem:
            problems.append(f"{prefix}: shop_sync_default_password {problem}")
    if not 1 <= defaults.log_keep <= _MOST_LOGS_KEPT:
        problems.append(f"{prefix}: shop_sync_log_keep {defaults.log_keep} must be between 1 and {_MOST_LOGS_KEPT}")
    if defaults.log_max_kb < 1:
        problems.append(f"{prefix}: shop_sync_log_max_kb {defaults.log_max_kb} must be at least 1")
    if _default_max_age(defaults) is not None:
        try:
            parse_duration_text(defaults.max_age)
        except ValueError as error:
            problems.append(f"{prefix}: shop_sync_default_max_age {error}")
    if defaults.logon_type not in INVENTORY_LOGON_TYPES:
        problems.append(f"{prefix}: shop_sync_default_logon_type {describe(defaults.logon_type)} is not one of {', '.join(INVENTORY_LOGON_TYPES)}")
    return problems


def _default_max_age(defaults: JobDefaults) -> object:
    return None if defaults.max_age in ("", None) else defaults.max_age


def _max_age(entry: Section, defaults: JobDefaults) -> str | None:
    """The job's freshness limit in ISO 8601 (``PT1H``), its own or shop_sync_default_max_age."""
    if entry.has("max_age"):
        value = entry.duration("max_age", None, low=_SHORTEST_MAX_AGE)
    else:
        try:
            given = _default_max_age(defaults)
            value = None if given is None else parse_duration_text(given)
        except ValueError:
            value = None  # said once for the host by _defaults_problems
    return None if value is None else format_duration(value)


def _check_unique(job: Mapping[str, object], label: str, seen: JobNames, report: Report) -> None:
    problem = seen.name_problem(str(job["name"]), label)
    if problem:
        report.add("name", problem)
        return
    script = job.get("script")
    if job["state"] != "present" or not isinstance(script, Mapping):
        return
    problem = seen.script_problem(str(job["working_directory"]), str(script["name"]), label)
    if problem:
        report.add("working_directory", problem)


def _translate(job: object, defaults: JobDefaults, report: Report, template_exists: Callable[[str], bool] | None = None) -> dict[str, object] | None:
    """One job translated, its problems in ``report``; without ``template_exists`` a template is
    not looked for (an adopted job keeps the host's script: it names none)."""
    if not isinstance(job, Mapping):
        report.add("", f"must be a mapping with at least a name, got {kind_of(job)}")
        return None
    entry = Section(job, "", report)
    entry.check_keys(INVENTORY_JOB_KEYS, _MISPLACED_KEYS)
    name = entry.text("name", "", required=True, non_empty=True)
    if name:
        problem = name_problem(name)
        if problem:
            entry.problem("name", problem)
    state = entry.choice("state", JOB_STATES, "present")
    working_directory = _working_directory(entry, name, defaults)
    if state == "absent":
        absent: dict[str, object] = {"name": name, "state": "absent"}
        if working_directory:
            absent["working_directory"] = working_directory
        return absent
    script = _script(entry, name, working_directory, defaults, template_exists)
    if script is not None and working_directory:
        _check_owned(entry, working_directory, str(script["name"]), defaults)
    task: dict[str, object] = {}
    for key in ("description", "author", "documentation"):
        text = entry.text(key, None)
        if text is not None:
            task[key] = text
    task["actions"] = _actions(entry, working_directory, script, defaults)
    triggers = schedule_to_triggers(entry.raw("schedule"), "schedule", report)
    from_schedule = len(triggers)
    triggers.extend(_raw_list(entry, "triggers", "[{type: daily, at: '02:00'}]"))
    if triggers:
        task["triggers"] = triggers
    task["principal"], password_from_default = _principal(entry, defaults)
    settings = _settings(entry, defaults)
    if settings:
        task["settings"] = settings
    password_version = entry.text("password_version", defaults.password_version)
    if password_version:
        task["password_version"] = password_version
    # The task is checked whatever else is wrong with the job: a misspelt key must not hide a
    # bad settings.priority until the next run.
    if name:
        _check_task(task, name, from_schedule, entry)
    result: dict[str, object] = {"name": name, "state": "present", "working_directory": working_directory, "task": task}
    if password_from_default:
        # Not the user's word about this account: where the host names it a gMSA, it is not sent
        # (a password written on the job is refused there).
        result["password_origin"] = PasswordOrigin.DEFAULT.value
    if script is not None:
        result["script"] = script
    max_age = _max_age(entry, defaults)
    if max_age is not None:
        result["max_age"] = max_age
    log = _log_path(working_directory, script)
    if log is not None:
        result["log"] = log
    return result


def _log_path(working_directory: str, script: Mapping[str, object] | None) -> str | None:
    """Where a templated script logs: ``<folder>\\<log_stem>.log`` (the role's synchro.bat logs
    there); unknown for a script written as given or one the job does not manage."""
    variables = script.get("vars") if script is not None else None
    stem = variables.get("log_stem") if isinstance(variables, Mapping) else None
    if not working_directory or not isinstance(stem, str) or not stem:
        return None
    return ntpath.join(working_directory, stem + ".log")


def _check_task(task: Mapping[str, object], name: str, from_schedule: int, entry: Section) -> None:
    """What win_sync_jobs would refuse in the task, said in the inventory's words, now rather
    than once the play reaches the host."""
    try:
        parse_spec({**task, "name": name})
    except SpecError as error:
        for problem in error.problems:
            entry.report.add(_user_words(_inventory_field(problem.field, from_schedule, entry.has("actions")), entry), problem.message)


# The job fields a role default fills in when the job does not say (the variable to name then).
_FROM_DEFAULTS = {
    "account": "shop_sync_default_account",
    "logon_type": "shop_sync_default_logon_type",
    "password": "shop_sync_default_password",
    "password_version": "shop_sync_default_password_version",
    "run_level": "shop_sync_default_run_level",
}


def _user_words(field: str, entry: Section) -> str:
    """The field as the user wrote it: a job's own field, or the role variable its value came
    from (``shop_sync_default_password``, not the job's ``password`` it never wrote)."""
    head, _dot, rest = field.partition(".")
    if head in _FROM_DEFAULTS and not entry.has(head):
        return _FROM_DEFAULTS[head] + (f".{rest}" if rest else "")
    if head == "settings" and rest:
        own = entry.raw("settings")
        key = rest.split(".", 1)[0].split("[", 1)[0]
        if not (isinstance(own, Mapping) and key in own) and not (key == "enabled" and entry.has("enabled")):
            return f"shop_sync_default_settings.{rest}"
    return field


def _inventory_field(field: str, from_schedule: int, own_actions: bool) -> str:
    """The job field a task spec field came from (``principal.user`` is the job's ``account``)."""
    head, _dot, rest = field.partition(".")
    trigger = re.match(r"^triggers\[(\d+)\](.*)$", field)
    if trigger:
        index = int(trigger[1])
        path = f"schedule (its trigger {index + 1})" if index < from_schedule else f"triggers[{index - from_schedule}]"
        return path + trigger[2]
    if head == "principal":
        return _PRINCIPAL_FIELDS.get(rest.split(".")[0], "account")
    if not own_actions and field.startswith("actions[0]"):
        return rest or "command"
    return field


def _working_directory(entry: Section, name: str, defaults: JobDefaults) -> str:
    given = entry.text("working_directory", None)
    if given is None and _starts_nowhere({str(key): value for key, value in entry.data.items()}):
        return ""
    if given is None:
        if not defaults.root:
            entry.problem("working_directory", "is required when shop_sync_root is not set")
            return ""
        return ntpath.join(defaults.root, name) if name else ""
    folder, problem = job_folder(given)
    if problem:
        entry.problem("working_directory", problem)
    return folder


def _starts_nowhere(job: Mapping[str, object]) -> bool:
    """A job without a script whose own ``actions`` start in no folder, or in one no job may own
    (``%TEMP%``), has no folder: nothing is created nor locked down for it, and its task starts
    where its actions say (adopted as such)."""
    if job.get("sync_command") is not None or job.get("script") is not None:
        return False
    actions = job.get("actions")
    return isinstance(actions, list) and all(isinstance(action, Mapping) and _no_job_folder(action.get("working_directory")) for action in actions)


def _no_job_folder(start_in: object) -> bool:
    """Whether an action starting in ``start_in`` starts in no folder a job could own."""
    return start_in is None or (isinstance(start_in, str) and job_folder(start_in)[1] is not None)


def _check_owned(entry: Section, working_directory: str, script_name: str, defaults: JobDefaults) -> None:
    """A script is written only in a folder the collection owns (under shop_sync_root when set)."""
    problem = written_folder_problem(working_directory, script_name, defaults.root or None)
    if problem:
        where = "working_directory" if entry.has("working_directory") else "name"
        entry.problem(where, f"{problem}; a job that keeps the host's own script (no sync_command nor script) may start there")


def _script(
    entry: Section, name: str, working_directory: str, defaults: JobDefaults, template_exists: Callable[[str], bool] | None
) -> dict[str, object] | None:
    sync_command = entry.text("sync_command", None, non_empty=True)
    options = entry.child("script", _SCRIPT_KEYS)
    if entry.has("script") and options is None:
        return None
    if options is None and sync_command is None:
        return None
    file_name = defaults.script_name if options is None else options.text("name", defaults.script_name, non_empty=True)
    problem = None if options is None else script_name_problem(file_name)
    if options is not None and problem:
        options.problem("name", problem)
    source = script_source(options) if options is not None else None
    if options is not None and source is None:
        return None
    content = source.content if source else None
    template = source.template if source else None
    user_vars = source.variables if source else None
    # Its content is never shown in a diff or a report (a script that holds a connection string).
    marked = {} if options is None or options.flag("sensitive", False) is not True else {"sensitive": True}
    if content is not None:
        if sync_command is not None:
            entry.problem("sync_command", "is only used by a templated script; script.content is written as it is")
        return {"name": file_name, "content": content, **marked}
    if template is None:
        if sync_command is None:
            entry.problem(
                "sync_command",
                "is required by the role's default synchro.bat (or give script.content or script.template, or leave out script to keep the host's own script)",
            )
            return None
        template = defaults.default_template
    elif options is not None:
        template = _template_path(options, template, defaults, template_exists)
    variables: dict[str, object] = {
        "job_name": name,
        "working_directory": working_directory,
        "script_name": file_name,
        "log_stem": ntpath.splitext(file_name)[0],
        "log_keep": defaults.log_keep,
        "log_max_kb": defaults.log_max_kb,
    }
    if sync_command is not None:
        variables["sync_command"] = sync_command
    variables.update({str(key): value for key, value in (user_vars or {}).items()})
    return {"name": file_name, "template": template, "vars": variables, **marked}


def _template_path(options: Section, given: str, defaults: JobDefaults, template_exists: Callable[[str], bool] | None) -> str:
    """Where the job's own ``script.template`` is on the controller, a problem of ``options`` when
    it is not there. A relative one is looked up in ``shop_sync_template_dir`` (the inventory's
    folder by default); without one (outside the role) it is left to the action's search path."""
    found = os.path.join(defaults.template_dir, given) if not os.path.isabs(given) and defaults.template_dir else given
    if template_exists is not None and os.path.isabs(found) and not template_exists(found):
        where = "" if found == given else f": looked for {quoted(found)} (a relative template is looked up in shop_sync_template_dir)"
        options.problem("template", f"{quoted(given)} was not found{where}")
    return found


def _actions(entry: Section, working_directory: str, script: Mapping[str, object] | None, defaults: JobDefaults) -> list[dict[str, object]]:
    if entry.has("actions"):
        for key in ("command", "arguments"):
            if entry.has(key):
                entry.problem(key, "cannot be given with actions (put it in the action)")
        return _raw_list(entry, "actions", "[{command: 'C:\\Windows\\System32\\cmd.exe', arguments: '/c synchro.bat'}]")
    command = entry.text("command", DEFAULT_COMMAND, non_empty=True)
    script_name = defaults.script_name if script is None else str(script["name"])
    default_arguments = f"/c {script_name}" if command == DEFAULT_COMMAND else None
    arguments = entry.text("arguments", default_arguments)
    action: dict[str, object] = {"command": command}
    if arguments:
        action["arguments"] = arguments
    if working_directory:
        action["working_directory"] = working_directory
    return [action]


def _principal(entry: Section, defaults: JobDefaults) -> tuple[dict[str, object], bool]:
    """The job's task principal, and whether its password is shop_sync_default_password."""
    account = entry.text("account", defaults.account, non_empty=True)
    logon_type = entry.choice("logon_type", INVENTORY_LOGON_TYPES, defaults.logon_type)
    if logon_type == "auto":
        # The seed's "run whether the user is logged on or not": a stored password for a named
        # account; Windows' own choice for service accounts and gMSAs.
        logon_type = "" if is_service_account(account) or _is_gmsa(account) else "password"
    principal: dict[str, object] = {"group": account} if logon_type == "group" else {"user": account}
    if logon_type and logon_type != "group":
        principal["logon_type"] = logon_type
    password = entry.secret("password")
    # shop_sync_default_password goes to a password logon that gives none of its own, never to a gMSA's name.
    from_default = not entry.has("password") and logon_type in _PASSWORD_LOGONS and not _is_gmsa(account) and isinstance(defaults.password, str)
    if from_default:
        password = defaults.password
    if password is not None:
        principal["password"] = password
    run_level = entry.choice("run_level", _RUN_LEVELS, defaults.run_level)
    if run_level:
        principal["run_level"] = run_level
    display_name = entry.text("account_display_name", None)
    if display_name is not None:
        principal["display_name"] = display_name
    return principal, from_default


def _settings(entry: Section, defaults: JobDefaults) -> dict[str, object]:
    own = entry.raw("settings")
    if own is not None and not isinstance(own, Mapping):
        entry.problem("settings", f"must be a mapping of task settings, got {kind_of(own)}")
        own = None
    settings = {**defaults.settings, **(own or {})}
    if entry.has("enabled"):
        if own is not None and "enabled" in own:
            entry.problem("enabled", "cannot be given with settings.enabled (keep one)")
        enabled = entry.flag("enabled", True)
        if enabled is False:
            settings["enabled"] = False
        else:
            settings.pop("enabled", None)
    return settings


def _raw_list(entry: Section, key: str, example: str) -> list[dict[str, object]]:
    items = entry.sequence(key, example)
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            entry.report.add(index_path(key, index), f"must be a mapping, got {kind_of(item)}")
    return [dict(item) for item in items if isinstance(item, Mapping)]


# Existing tasks back to inventory jobs (adoption) ---------------------------------------------

# Where an adopted job's folder would be when shop_sync_root is not set, only to check the job.
_ADOPTION_CHECK_ROOT = "C:\\Isotools"
_PLAIN_ACTION_KEYS = frozenset({"command", "arguments", "working_directory"})
_PLAIN_PRINCIPAL_KEYS = frozenset({"user", "group", "logon_type", "run_level", "display_name"})
_TAKE_OVER_NOTE = (
    "was made by hand: the first deploy that declares it takes it over (outcome taken_over; drift says 'not yet taken over' "
    "until then): it registers the task again as this job says, with the ownership marker, after which a prune or state: absent "
    "can delete it"
)
_TAKE_OVER_PASSWORD = "; it stores a password, so that deploy needs the password (password or shop_sync_default_password) and stops without it"


def adopt_tasks(tasks: Sequence[Mapping[str, object]], root: str = "", folder: str = "\\Isotools") -> dict[str, object]:
    """Inventory jobs for the tasks ``win_sync_task_info`` returned.

    Returns ``{"jobs": [...], "notes": {job name: [what to review]}, "skipped": [{"path",
    "reasons"}]}``: ``jobs`` re-apply with no change to the task except where a note says so
    (whatever can be said in plain words is); ``notes`` tell a reviewer what the adoption could not
    decide; ``skipped`` are the tasks the collection cannot manage as they are (unsupported actions
    or triggers, a start-in folder off the host's drives, ...), with the reasons.
    """
    jobs: list[dict[str, object]] = []
    notes: dict[str, list[str]] = {}
    skipped: list[dict[str, object]] = []
    for task in tasks:
        path = str(task.get("path") or task.get("name") or "?")
        spec = task.get("spec")
        if not task.get("supported", False) or not isinstance(spec, Mapping):
            reasons = task.get("unsupported_reasons")
            skipped.append({"path": path, "reasons": [str(reason) for reason in _sequence(reasons)] or ["the task cannot be read into a spec"]})
            continue
        job, job_notes = _adopt(spec, root)
        problems = _account_problem(spec) + _adoption_problems(job, root)
        if problems:
            skipped.append({"path": path, "reasons": problems})
            continue
        task_folder = str(task.get("folder") or spec.get("folder") or "\\")
        if task_folder.casefold() != folder.casefold():
            job_notes.append(f"was in the folder {task_folder}; deploying creates it in {folder} (delete the original once the new one runs)")
        if not task.get("owned", False):
            job_notes.append(_TAKE_OVER_NOTE + (_TAKE_OVER_PASSWORD if job.get("logon_type") in _PASSWORD_LOGONS else ""))
        if not root and "working_directory" not in job and not _starts_nowhere(job):
            job_notes.append("takes its folder from shop_sync_root, which is not set: set it, or give working_directory")
        jobs.append(job)
        notes[str(job["name"])] = job_notes
    return {"jobs": jobs, "notes": notes, "skipped": skipped}


def _account_problem(spec: Mapping[str, object]) -> list[str]:
    """A task that names no account runs as whoever registered it: a deploy registers it as the
    role's account instead (SYSTEM by default), which no inventory could say back."""
    principal = spec.get("principal")
    principal = principal if isinstance(principal, Mapping) else {}
    if principal.get("user") is not None or principal.get("group") is not None:
        return []
    return ["principal names no account (Windows runs it as whoever registered it; a deploy would run it as the role's account): give it one, then adopt it"]


def _adoption_problems(job: Mapping[str, object], root: str) -> list[str]:
    """Why the adopted job would not deploy (``working_directory '%TEMP%' must be on a drive``)."""
    report = Report()
    _translate(job, JobDefaults(root=root or _ADOPTION_CHECK_ROOT), report)
    return [f"{path} {message}" if path else message for path, message in report.problems]


def _adopt(spec: Mapping[str, object], root: str) -> tuple[dict[str, object], list[str]]:
    name = str(spec["name"])
    job: dict[str, object] = {"name": name}
    notes: list[str] = []
    for key in ("description", "author", "documentation"):
        if spec.get(key) is not None:
            job[key] = spec[key]
    _adopt_actions(spec, job, root, notes)
    schedule, raw = triggers_to_schedule(_mappings(spec.get("triggers")))
    if schedule:
        job["schedule"] = schedule
    if raw:
        job["triggers"] = raw
    _adopt_principal(spec, job, notes)
    settings = dict(spec["settings"]) if isinstance(spec.get("settings"), Mapping) else {}  # type: ignore[call-overload]
    if settings.pop("enabled", True) is False:
        job["enabled"] = False
    if settings:
        job["settings"] = settings
    if spec.get("password_version") is not None:
        job["password_version"] = spec["password_version"]
    notes.append("script not managed: add sync_command (or script) to let the role write synchro.bat")
    return job, notes


def _adopt_actions(spec: Mapping[str, object], job: dict[str, object], root: str, notes: list[str]) -> None:
    actions = _mappings(spec.get("actions"))
    if len(actions) != 1 or not set(actions[0]) <= _PLAIN_ACTION_KEYS:
        job["actions"] = actions
        notes.append("keeps its actions as they are (several actions, or action ids)")
        return
    action = actions[0]
    directory = action.get("working_directory")
    command = str(action.get("command", ""))
    arguments = action.get("arguments")
    if isinstance(arguments, str) and "/k" in arguments.lower():
        notes.append("runs cmd.exe /k: the task's last result is cmd's, not the script's (use /c to see failures)")
    if directory is None:
        # Said as actions with no folder: command and arguments would start it in the job's folder.
        job["actions"] = actions
        notes.append("has no start-in folder: kept as actions (add working_directory to start it in a folder)")
        return
    if _no_job_folder(directory):
        # A job's folder is one the collection writes and locks down, which %TEMP% must never be:
        # the action keeps its start-in folder, and the job has none of its own.
        job["actions"] = actions
        notes.append(f"starts in {describe(directory)}, which cannot be a job's folder (the collection writes and locks down a job's folder): kept as actions")
        return
    if not root or directory != ntpath.join(root, str(job["name"])):
        job["working_directory"] = directory
    if command != DEFAULT_COMMAND or arguments != "/c synchro.bat":
        job["command"] = command
        job["arguments"] = arguments if arguments is not None else ""


def _adopt_principal(spec: Mapping[str, object], job: dict[str, object], notes: list[str]) -> None:
    principal = spec.get("principal")
    principal = principal if isinstance(principal, Mapping) else {}
    if principal.get("group") is not None:
        job["account"] = principal["group"]
        job["logon_type"] = "group"
    elif principal.get("user") is not None:
        account = str(principal["user"])
        job["account"] = account
        # Left out of a spec, the logon type is Windows' default for the account: the service
        # logon for SYSTEM and gMSAs (which "auto" gives too), else only-when-logged-on.
        logon_type = principal.get("logon_type")
        if logon_type is None and not (is_service_account(account) or _is_gmsa(account)):
            logon_type = "interactive_token"
        if logon_type is not None:
            job["logon_type"] = logon_type
    if principal.get("run_level") is not None:
        job["run_level"] = principal["run_level"]
    if principal.get("display_name") is not None:
        job["account_display_name"] = principal["display_name"]
    if job.get("logon_type") in _PASSWORD_LOGONS:
        notes.append("stores a password: put it in the vault (password, password_version) before a rotation or a rebuild")
    for key in sorted(set(principal) - _PLAIN_PRINCIPAL_KEYS):
        notes.append(f"principal.{key} is not kept by the inventory")


def _sequence(value: object) -> list[object]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _mappings(value: object) -> list[dict[str, object]]:
    if not isinstance(value, (list, tuple)):
        return []
    return [dict(item) for item in value if isinstance(item, Mapping)]
