# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.win_sync_task``: one task present or absent.

Documentation: plugins/modules/win_sync_task.py. The task is a job without a script, run
through the same :func:`plugin_utils.sync.sync` as win_sync_jobs; this action only reshapes the one
job's result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ansible.errors import AnsibleActionFail

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import ActionCall, HostAction, Result, folder_option, owner_option
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import task_job
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import UPDATE_PASSWORD_CHOICES, DesiredJob, JobPlan, PlanOptions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import TOP_KEYS, parse_spec
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import name_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.sync import SyncRun, empty_sync_result, sync
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import render_xml

# The task options are checked deeply by spec.parse_spec; here they are only named, so that
# anything else is refused as an unknown option.
ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    **{key: {"type": "raw"} for key in TOP_KEYS},
    "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    "update_password": {"type": "str", "choices": list(UPDATE_PASSWORD_CHOICES), "default": "on_create", "no_log": False},
    # Its own owner by default: a role deploy with prune in the same folder leaves its tasks alone.
    "owner": {"type": "str", "default": "win_sync_task"},
    "allow_unencrypted_password": {"type": "bool", "default": False, "no_log": False},
}


class ActionModule(HostAction):
    NAME = "win_sync_task"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def empty_result(self) -> Result:
        return {"changed": False, "path": None, "outcome": None, "changes": [], "xml": None, "previous_xml": None, "diff": {}, "warnings": []}

    def arguments(self) -> dict[str, Any]:
        _refuse_misplaced(self._task.args)
        return super().arguments()

    def act(self, call: ActionCall, result: Result) -> None:
        args = call.args
        job, folder = _job(args)
        owner = owner_option(args["owner"])
        host = call.host()
        run = SyncRun(
            PlanOptions(folder, update_password=args["update_password"], secure_acl=False, owner=owner),
            now=dt.datetime.now(dt.timezone.utc),
            check_mode=call.check_mode,
            diff=call.diff,
            host_name=call.host_name,
        )
        synced = empty_sync_result()
        try:
            the_plan = sync(host, [job], run, synced, call.trace)
        finally:
            _reshape(synced, result)
        planned = the_plan.jobs[0]
        result["path"] = planned.path
        result["xml"] = _registered_xml(planned)
        if planned.changed:
            result["previous_xml"] = planned.xml_before


def _registered_xml(planned: JobPlan) -> str | None:
    """The XML of the task as the plan registers it (or would, in check mode): the plan's own
    rendering for a task it registers, else its definition rendered here, once. Never the options
    as written: the plan names the accounts as the host does and drops a password version from a
    logon that stores no password."""
    if planned.xml_after is not None or planned.registered is None:
        return planned.xml_after
    return render_xml(planned.registered)


def _refuse_misplaced(given: Mapping[str, Any]) -> None:
    """An unknown option said the way win_sync_jobs says it of a job's task (``priority belongs
    under settings (settings.priority)``), with the task's other problems, rather than Ansible's
    bare "Unsupported parameters"."""
    if any(key not in ARGUMENT_SPEC for key in given):
        parse_spec({key: value for key, value in given.items() if key not in ARGUMENT_SPEC or key in TOP_KEYS})


def _job(args: Mapping[str, Any]) -> tuple[DesiredJob, str]:
    """The one job and its folder; an absent task needs only its name and folder."""
    options = {key: args[key] for key in TOP_KEYS if args.get(key) is not None}
    if args["state"] == "present":
        spec = parse_spec(options)
        return task_job(spec), spec.definition.folder
    name = options.get("name")
    if not isinstance(name, str) or not name:
        raise AnsibleActionFail("name is required: the task to remove")
    problem = name_problem(name)
    if problem:
        raise AnsibleActionFail(f"task '{name}': name {problem}")
    return DesiredJob(name=name, state="absent"), folder_option(str(options.get("folder", "\\")))


def _reshape(synced: Mapping[str, Any], result: Result) -> None:
    """The one job's entry of the jobs result, as this module's own keys."""
    for key in ("changed", "warnings", "failed", "unreachable", "msg"):
        if key in synced:
            result[key] = synced[key]
    if synced["jobs"]:
        job = synced["jobs"][0]
        result.update(path=job["path"], outcome=job["outcome"], changes=job["changes"])
        if job["message"]:
            result["msg"] = job["message"]
    if synced["diff"]:
        result["diff"] = synced["diff"][0]
