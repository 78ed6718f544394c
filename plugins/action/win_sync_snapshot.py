# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.win_sync_snapshot``: a host's read, kept as a directory-host image.

Documentation: plugins/modules/win_sync_snapshot.py. The jobs are validated as win_sync_jobs
validates them, only to ask the host the read a deploy of them would make; nothing is planned
or applied. :mod:`hosts.directory.image` writes the image on the controller.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import ActionCall, HostAction, Result, folder_option, jobs_options
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadResult, path_key
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory.image import snapshot_of, write_image
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import desired_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import PlanOptions, read_request_for

ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    **jobs_options(),
    "dest": {"type": "path", "required": True},
    # The host fragment's option, as every action takes it; a read sends no password.
    "allow_unencrypted_password": {"type": "bool", "default": False, "no_log": False},
}


class ActionModule(HostAction):
    NAME = "win_sync_snapshot"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def empty_result(self) -> Result:
        return {"changed": False, "dest": None, "counts": {}, "left_out": []}

    def act(self, call: ActionCall, result: Result) -> None:
        args = call.args
        folder = folder_option(args["folder"])
        jobs = desired_jobs(args["jobs"], folder=folder, secure_acl=args["secure_acl"], render=call.script_renderer(), root=args["root"])
        dest = call.controller_path(args["dest"])
        host = call.host()
        request = read_request_for(jobs, PlanOptions(folder, secure_acl=args["secure_acl"]))
        call.trace(f"read: {len(request.folders)} folder(s), {len(request.tasks)} task(s), {len(request.files)} file(s)")
        # A script its job marks sensitive is kept as its hash: the image is published.
        sensitive = {path_key(item.path) for job in jobs for item in job.files if item.sensitive}
        snapshot = snapshot_of(ReadResult.from_json(host.call(request.to_json())), sensitive)
        write_image(dest, snapshot, host=call.host_name, taken=dt.datetime.now(dt.timezone.utc))
        result.update(dest=dest, counts=dict(snapshot.counts), left_out=list(snapshot.left_out))
        if snapshot.left_out:
            result["warnings"] = [f"not in the image {dest}: {line}" for line in snapshot.left_out]
