# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.win_sync_jobs``: a host's sync jobs, one read and one apply.

Documentation: plugins/modules/win_sync_jobs.py. Every job is validated before the host is
contacted; the rest is :func:`plugin_utils.sync.sync`.
"""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.select import host_for, host_label
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import (
    Result,
    controller_path,
    folder_option,
    jobs_options,
    owner_option,
    passwords_in,
    run_guarded,
    script_renderer,
    trace,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import desired_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import DEFAULT_OWNER
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import UPDATE_PASSWORD_CHOICES, PlanOptions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.sync import SyncRun, empty_sync_result, sync

ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    **jobs_options(),
    "owner": {"type": "str", "default": DEFAULT_OWNER},
    "prune": {"type": "bool", "default": False},
    "backup": {"type": "bool", "default": False},
    "backup_dir": {"type": "str"},
    "update_password": {"type": "str", "choices": list(UPDATE_PASSWORD_CHOICES), "default": "on_create", "no_log": False},
    "allow_unencrypted_password": {"type": "bool", "default": False, "no_log": False},
}


class ActionModule(ActionBase):
    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> Result:
        self._supports_check_mode = True
        self._supports_async = False
        variables = task_vars or {}
        secrets = passwords_in(self._task.args)

        def body(result: Result) -> None:
            super(ActionModule, self).run(tmp, variables)
            args = self.validate_argument_spec(ARGUMENT_SPEC)[1]
            folder = folder_option(args["folder"])
            jobs = desired_jobs(args["jobs"], folder=folder, secure_acl=args["secure_acl"], render=script_renderer(self, variables), root=args["root"])
            host = host_for(self, variables, allow_unencrypted_password=args["allow_unencrypted_password"])
            backup_dir = args["backup_dir"]
            run = SyncRun(
                PlanOptions(
                    folder, prune=args["prune"], update_password=args["update_password"], secure_acl=args["secure_acl"], owner=owner_option(args["owner"])
                ),
                check_mode=bool(self._task.check_mode),
                diff=bool(self._task.diff),
                backup=args["backup"],
                backup_dir=controller_path(self, variables, backup_dir) if args["backup"] and backup_dir else None,
                host_name=host_label(variables),
            )
            sync(host, jobs, run, result, lambda message: trace("win_sync_jobs", message, secrets=secrets, host=run.host_name))

        return run_guarded(empty_sync_result(), body, secrets=secrets)
