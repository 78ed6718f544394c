# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.win_sync_jobs``: a host's sync jobs, one read and one apply.

Documentation: plugins/modules/win_sync_jobs.py. Every job is validated before the host is
contacted; the rest is :func:`plugin_utils.sync.sync`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.controller import BackupFolder
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import (
    ActionCall,
    HostAction,
    Result,
    folder_option,
    jobs_options,
    owner_option,
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


class ActionModule(HostAction):
    NAME = "win_sync_jobs"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def empty_result(self) -> Result:
        return empty_sync_result()

    def act(self, call: ActionCall, result: Result) -> None:
        args = call.args
        folder = folder_option(args["folder"])
        jobs = desired_jobs(args["jobs"], folder=folder, secure_acl=args["secure_acl"], render=call.script_renderer(), root=args["root"])
        host = call.host()
        backup_dir = args["backup_dir"]
        run = SyncRun(
            PlanOptions(folder, prune=args["prune"], update_password=args["update_password"], secure_acl=args["secure_acl"], owner=owner_option(args["owner"])),
            now=dt.datetime.now(dt.timezone.utc),
            check_mode=call.check_mode,
            diff=call.diff,
            backup=args["backup"],
            backup_files=BackupFolder(call.controller_path(backup_dir)) if args["backup"] and backup_dir else None,
            host_name=call.host_name,
        )
        sync(host, jobs, run, result, call.trace)
