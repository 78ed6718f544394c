# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role ``sync_jobs``: inventory jobs to ``win_sync_jobs`` jobs, and back.

``to_sync_jobs`` and ``sync_job_problems`` read a host's ``shop_sync_jobs`` the way the role
documents them; ``to_inventory_jobs`` turns existing tasks into inventory jobs (adoption) and
``to_inventory_yaml`` writes those as YAML whose host text is ``!unsafe``. What they return is
data, never a template (:func:`inert`): after the inventory's own templates have been resolved on
the way in, any ``{{`` left is text, from the inventory's literals or from a host.
Documentation: the ``.yml`` files beside this one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields

from ansible.errors import AnsibleFilterError

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.inert import inert
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.inventory_yaml import render_inventory_yaml
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import (
    JobDefaults,
    JobsProblem,
    adopt_tasks,
    translate_jobs,
    variable_problems,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe, to_int

__all__ = ["FilterModule", "to_sync_jobs", "sync_job_problems", "to_inventory_jobs", "to_inventory_yaml"]

_DEFAULT_FIELDS = tuple(item.name for item in fields(JobDefaults))
# The defaults that are numbers, and the role variable each comes from.
_WHOLE_NUMBERS = {"log_keep": "shop_sync_log_keep", "log_max_kb": "shop_sync_log_max_kb"}


def _job_defaults(defaults: object, host: str, problems: list[str] | None = None) -> JobDefaults:
    """The defaults; a number that is not one is added to ``problems`` (and its default used)
    when given, so that the jobs are still checked: every problem at once."""
    if defaults is None:
        return JobDefaults()
    if not isinstance(defaults, Mapping):
        raise AnsibleFilterError(f"defaults must be a mapping of {', '.join(_DEFAULT_FIELDS)}")
    unknown = sorted(str(key) for key in defaults if key not in _DEFAULT_FIELDS)
    if unknown:
        raise AnsibleFilterError(f"defaults has unknown keys {', '.join(unknown)}; known: {', '.join(_DEFAULT_FIELDS)}")
    given = {str(key): value for key, value in defaults.items() if value is not None}
    # The role passes "no default password" as None; on cores without native types (before
    # 2.19) that arrives as '', which would be given to every password logon as its password.
    if given.get("password") == "":
        del given["password"]
    if "settings" in given and not isinstance(given["settings"], Mapping):
        raise AnsibleFilterError("defaults.settings (shop_sync_default_settings) must be a mapping of task settings")
    for key, variable in _WHOLE_NUMBERS.items():
        if key in given:
            try:
                given[key] = _whole_number(given[key], f"host '{host}': {variable}")
            except AnsibleFilterError as error:
                if problems is None:
                    raise
                problems.append(str(error))
                del given[key]
    if given.get("template_dir"):
        # A relative shop_sync_template_dir is a folder of the inventory repository, taken from
        # where ansible-playbook runs: the project's checkout under AWX (ansible-runner runs a
        # playbook there; AWX's inventory is a generated script elsewhere), the repository's
        # root on a workstation. Left relative, the template search path would take it from the
        # role's and the playbook's folders instead.
        given["template_dir"] = os.path.abspath(os.path.expanduser(str(given["template_dir"])))
    return JobDefaults(**given)


def _whole_number(value: object, subject: str) -> int:
    # The role templates "{{ sync_jobs_log_keep }}": an int on ansible-core 2.19+, but text on
    # 2.17/2.18, which have no native Jinja types; to_int takes both, and nothing else.
    try:
        return to_int(value)
    except ValueError:
        raise AnsibleFilterError(f"{subject} must be a whole number, got {describe(value)}") from None


def _builtin(value: object) -> object:
    """``value`` in plain dicts and lists. ansible-core 2.19+ hands a filter lazy containers,
    which cannot be built from outside: ``inert`` (``wrap_var``) rebuilds each sequence by its
    type, so a list passed through from the input (a raw trigger's ``days_of_week``) failed with
    "Direct construction of lazy containers is not supported"."""
    if isinstance(value, Mapping):
        return {key: _builtin(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_builtin(item) for item in value]
    return value


def to_sync_jobs(
    jobs: object, host: str = "", defaults: object = None, variables: Sequence[str] | None = None, known: Sequence[str] | None = None
) -> list[dict[str, object]]:
    """The ``win_sync_jobs`` jobs for ``jobs``; fails listing every problem :func:`sync_job_problems`
    lists. The role's check is this one call per host, kept as a fact, so that a host's jobs are
    translated once per run."""
    translated, problems = _checked(jobs, host, defaults, variables, known)
    if problems:
        raise AnsibleFilterError(str(JobsProblem(problems)))
    return inert(translated)


def sync_job_problems(
    jobs: object, host: str = "", defaults: object = None, variables: Sequence[str] | None = None, known: Sequence[str] | None = None
) -> list[str]:
    """Every problem of ``jobs``, each naming the host, the job and the field (empty: all good);
    with ``variables`` (the host's ``shop_sync_*`` names) and ``known`` (the role's), also a
    misspelt variable and a host that declares no jobs."""
    return inert(_checked(jobs, host, defaults, variables, known)[1])


def _checked(
    jobs: object, host: str, defaults: object, variables: Sequence[str] | None, known: Sequence[str] | None
) -> tuple[list[dict[str, object]], list[str]]:
    """The translated jobs and every problem of the defaults, the variables and the jobs."""
    problems: list[str] = []
    job_defaults = _job_defaults(defaults, host, problems)
    if variables is not None and known is not None:
        problems += variable_problems([str(name) for name in variables], [str(name) for name in known], host)
    translated, job_problems = translate_jobs(_builtin(jobs), job_defaults, host, template_exists=os.path.isfile)
    return translated, problems + job_problems


def to_inventory_jobs(tasks: object, root: str = "", folder: str = "\\Isotools") -> dict[str, object]:
    """Inventory jobs (with review notes and skipped tasks) for ``win_sync_task_info`` tasks."""
    if not isinstance(tasks, Sequence) or isinstance(tasks, (str, bytes)):
        raise AnsibleFilterError("to_inventory_jobs expects the tasks list of win_sync_task_info")
    plain = [_builtin(task) for task in tasks if isinstance(task, Mapping)]
    return inert(adopt_tasks([task for task in plain if isinstance(task, Mapping)], root=root, folder=folder))


def to_inventory_yaml(adopted: object) -> str:
    """``shop_sync_jobs`` YAML of ``to_inventory_jobs``'s result, every host string ``!unsafe``."""
    if not isinstance(adopted, Mapping):
        raise AnsibleFilterError("to_inventory_yaml expects the result of to_inventory_jobs")
    return inert(render_inventory_yaml(adopted))


class FilterModule:
    """isotools.shop_sync sync job filters."""

    def filters(self) -> dict[str, Callable[..., object]]:
        return {
            "to_sync_jobs": to_sync_jobs,
            "sync_job_problems": sync_job_problems,
            "to_inventory_jobs": to_inventory_jobs,
            "to_inventory_yaml": to_inventory_yaml,
        }
