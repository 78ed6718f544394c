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

from ansible.errors import AnsibleFilterError

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.controller import working_directory_path
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.inert import inert, plain
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.inventory_yaml import render_inventory_yaml
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import DefaultsError, JobsProblem, adopt_tasks, resolve_jobs

__all__ = ["FilterModule", "to_sync_jobs", "sync_job_problems", "to_inventory_jobs", "to_inventory_yaml"]


def to_sync_jobs(
    jobs: object, host: str = "", defaults: object = None, variables: Sequence[str] | None = None, known: Sequence[str] | None = None
) -> list[dict[str, object]]:
    """The ``win_sync_jobs`` jobs for ``jobs``; fails listing every problem :func:`sync_job_problems`
    lists (the role's check, action ``sync_jobs_check``, is the same translation)."""
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
    try:
        return resolve_jobs(plain(jobs), defaults, host, variables=variables, known=known, template_exists=os.path.isfile, absolute_path=working_directory_path)
    except DefaultsError as error:
        raise AnsibleFilterError(str(error)) from None


def to_inventory_jobs(tasks: object, root: str = "", folder: str = "\\Isotools") -> dict[str, object]:
    """Inventory jobs (with review notes and skipped tasks) for ``win_sync_task_info`` tasks."""
    if not isinstance(tasks, Sequence) or isinstance(tasks, (str, bytes)):
        raise AnsibleFilterError("to_inventory_jobs expects the tasks list of win_sync_task_info")
    tasks_given = [plain(task) for task in tasks if isinstance(task, Mapping)]
    return inert(adopt_tasks([task for task in tasks_given if isinstance(task, Mapping)], root=root, folder=folder))


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
