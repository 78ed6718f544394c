# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules of a job, one set for both ways a job is checked.

A job is checked twice before any host is touched: by the role (:mod:`inventory`, the
inventory's words) and by the action (:mod:`desired`, the ``jobs`` option). Both call the
rules here, so that they cannot disagree: what the role accepts, the action accepts, and one bad
job stops the run in the validate play before any host is contacted. The task itself (schedule,
principal, settings) is checked by :func:`spec.parse_spec` on both ways; the names and paths by
:mod:`windows_paths`; the folders written by :mod:`owned_folders`. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import ntpath
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.owned_folders import owned_folder_problem, root_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import OPTION_PLACES
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import windows_path_problem, working_directory_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import Section, describe, kind_of
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.windows_paths import component_problem, is_drive_path, path_length_problem

__all__ = [
    "DEFAULT_COMMAND",
    "DEFAULT_SCRIPT_NAME",
    "JOB_STATES",
    "SHORTEST_MAX_AGE",
    "JobNames",
    "ScriptSource",
    "job_folder",
    "misplaced_key_hints",
    "owned_root_problem",
    "script_name_problem",
    "script_source",
    "written_folder_problem",
]

# The full path, as the seed's procedure has it: a bare cmd.exe would be looked up along the
# account's PATH, which someone could put a folder of their own in front of.
DEFAULT_COMMAND = "C:\\Windows\\System32\\cmd.exe"
DEFAULT_SCRIPT_NAME = "synchro.bat"
JOB_STATES = ("present", "absent")
# A freshness limit (max_age) shorter than a minute would call every job stale between two reads.
SHORTEST_MAX_AGE = dt.timedelta(minutes=1)


def job_folder(path: str) -> tuple[str, str | None]:
    """A job's working directory as the task registers it and the host creates it, or why it
    cannot be one.

    One spelling for both: ``D:\\Isotools\\A\\`` is ``D:\\Isotools\\A`` (Windows treats them
    alike; registering one and creating the other made every run a change).
    """
    problem = working_directory_problem(path)
    if problem:
        return "", problem
    if not is_drive_path(path):
        return "", f"{describe(path)} must be on a drive of the host ('D:\\Isotools\\...'): the job's script is written there"
    # The host creates this folder: each name as Windows would keep it, not as it would read it.
    problem = windows_path_problem(path)
    if problem:
        return "", problem
    return (path.rstrip("\\") if len(path) > 3 else path), None


# A job's own name and the jobs' folder name its task: never a task option of the job.
_NAMED_BY_THE_JOB = frozenset({"name", "folder"})
# The role's words for a task option, by the option's place, which a job of win_sync_jobs says
# under its task in the task's own words (the role's schedule is its triggers in plain words).
_ROLE_WORDS = {"schedule": "triggers"}


def misplaced_key_hints(known: Collection[str], *, folder: str, under: str | None = None, said_as: Mapping[str, str] | None = None) -> dict[str, str]:
    """Where each option of a task written on a job, and not one of the job's ``known`` keys,
    belongs: the messages of :meth:`Section.check_keys` for the job.

    ``folder``: where the folder of all the jobs' tasks is said (win_sync_jobs: ``an option of
    win_sync_jobs``; the role: ``the variable shop_sync_folder``), never on a job.
    ``under``: the job key holding its task's options (win_sync_jobs' ``task``: ``command belongs
    under task (task.actions[0].command)``, and the role's words there: ``schedule is said as
    task.triggers here``); ``None``: the job says its task's options itself (the role's:
    ``priority belongs under settings (settings.priority)``, as a task spec says it).
    ``said_as``: the job's own words for an option it says otherwise, by its place (the role's
    ``account`` for ``principal.user``).
    """
    hints: dict[str, str] = {}
    for key, place in OPTION_PLACES.items():
        if key in known or key in _NAMED_BY_THE_JOB:
            continue
        own = (said_as or {}).get(place.path)
        if own is not None:
            hints[key] = f"is said as {own} here"
        elif under is not None:
            hints[key] = f"belongs under {under} ({under}.{place.path})"
        elif place.section:
            hints[key] = place.hint
    if under is not None:
        hints.update({word: f"is said as {under}.{path} here ({word} is the role's word)" for word, path in _ROLE_WORDS.items() if word not in known})
    if "folder" not in known:
        hints["folder"] = f"is {folder}, not of a job (the Task Scheduler folder of all the jobs' tasks)"
    return hints


def owned_root_problem(root: str) -> str | None:
    """Why ``root`` (``shop_sync_root``, the ``root`` option) cannot be the folder the collection owns."""
    return working_directory_problem(root) or root_problem(root)


def script_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the file name of a job's script (in its working directory), or ``None``."""
    if name in (".", "..") or any(character in name for character in "\\/:"):
        return f"{describe(name)} must be a file name in the job's working_directory, without \\ / : * ? \" < > |"
    problem = component_problem(name)
    return f"{describe(name)} {problem}: it must be a file name in the job's working_directory" if problem else None


def written_folder_problem(folder: str, script_name: str, root: str | None) -> str | None:
    """Why a job cannot write its script ``script_name`` in ``folder`` (created and locked down
    there): not a folder the collection owns, or a path too long for Windows."""
    problem = owned_folder_problem(folder, root)
    if problem:
        return problem
    problem = path_length_problem(folder, folder=True)
    if problem:
        return f"{describe(folder)} {problem}"
    script = ntpath.join(folder, script_name)
    problem = path_length_problem(script, folder=False)
    return f"{describe(folder)} with its script {describe(script_name)}: {describe(script)} {problem}" if problem else None


@dataclass(frozen=True)
class ScriptSource:
    """Where a script's text comes from: written as it is (``content``) or a template."""

    content: str | None
    template: str | None
    variables: Mapping[object, object] | None


def script_source(options: Section) -> ScriptSource | None:
    """The ``content`` / ``template`` / ``vars`` of a job's ``script``; ``None`` (the problems
    reported) when they contradict each other."""
    content = options.text("content", None)
    template = options.text("template", None, non_empty=True)
    variables = options.raw("vars")
    if variables is not None and not isinstance(variables, Mapping):
        options.problem("vars", f"must be a mapping of template variables, got {kind_of(variables)}")
        return None
    if content is not None and (template is not None or variables is not None):
        options.problem("content", "cannot be given with script.template or script.vars (content is written as it is)")
        return None
    return ScriptSource(content, template, variables)


@dataclass
class JobNames:
    """The jobs of one host seen so far: two tasks of one name, or two jobs writing one script,
    would overwrite each other (Windows compares both case-insensitively)."""

    names: dict[str, str] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)

    def name_problem(self, name: str, label: str) -> str | None:
        first = self.names.get(name.casefold())
        if first is None:
            self.names[name.casefold()] = label
            return None
        return f"is also the name of {first} (task names are case-insensitive on Windows)"

    def script_problem(self, folder: str, script_name: str, label: str) -> str | None:
        key = ntpath.join(folder, script_name).casefold()
        first = self.scripts.get(key)
        if first is None:
            self.scripts[key] = label
            return None
        return f"{describe(folder)} holds {script_name}, which {first} writes too"
