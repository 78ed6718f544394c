# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.sync_jobs_check``: a host's inventory jobs, checked and translated.

Documentation: plugins/modules/sync_jobs_check.py. The role's check, on the controller only: the
one translation of :func:`plugin_utils.jobs.inventory.resolve_jobs` (the filters' too), failing
with every problem, each once, through :func:`run_guarded` like every other action.
"""

from __future__ import annotations

import os
from typing import Any

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.controller import working_directory_path
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.inert import plain
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.select import host_label
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import Result, inert, passwords_in, run_guarded
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import DefaultsError, JobsProblem, resolve_jobs

ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    # Read by resolve_jobs, which names a job that is not a mapping, and jobs that are not a list.
    "jobs": {"type": "raw", "required": True},
    "defaults": {"type": "dict"},
    "variables": {"type": "list", "elements": "str"},
    "known": {"type": "list", "elements": "str"},
    "prune": {"type": "bool", "default": False},
}


class ActionModule(ActionBase):
    NAME = "sync_jobs_check"
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> Result:
        variables = task_vars or {}
        host = host_label(variables)
        translated: list[dict[str, object]] = []

        def body(result: Result) -> None:
            super(ActionModule, self).run(tmp, variables)
            # Safe by construction: the jobs this returns keep their passwords (for
            # win_sync_jobs), which any callback would print at -v unless the task hides them.
            # The play context holds the no_log the task runs with (its own, or the run's).
            if not (self._task.no_log or self._play_context.no_log):
                raise AnsibleActionFail(
                    f"host '{host}': {self.NAME} returns the jobs with their passwords, so it runs only with no_log: true; add no_log: true to the task"
                )
            args = self.validate_argument_spec(ARGUMENT_SPEC)[1]
            try:
                jobs, problems = resolve_jobs(
                    plain(args["jobs"]),
                    args["defaults"],
                    host,
                    variables=args["variables"],
                    known=args["known"],
                    prune=args["prune"],
                    template_exists=os.path.isfile,
                    absolute_path=working_directory_path,
                )
            except DefaultsError as error:
                raise AnsibleActionFail(str(error)) from None
            if problems:
                raise AnsibleActionFail(str(JobsProblem(problems)))
            translated.extend(jobs)
            result["msg"] = f"{len(jobs)} job{'s' if len(jobs) != 1 else ''} checked"

        result = run_guarded({"changed": False, "jobs": []}, body, secrets=passwords_in(self._task.args), action=self, name=self.NAME, host=host)
        # Added after run_guarded scrubbed the result: the jobs keep their passwords for
        # win_sync_jobs, which is why the task runs with no_log (plugins/modules/sync_jobs_check.py).
        if not result.get("failed"):
            result["jobs"] = inert(translated)
        return result
