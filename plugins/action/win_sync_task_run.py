# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.win_sync_task_run``: run a task now, one host call.

Documentation: plugins/modules/win_sync_task_run.py. In check mode the task is read, not run:
the result says whether it would start, and fails where the start would be refused.
"""

from __future__ import annotations

import ntpath
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import ActionCall, HostAction, Result, folder_option
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadRequest, ReadResult, RunRequest, RunResult, TaskRecord, TaskRun
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import name_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.task_runs import run_message, run_summary, start_refusal
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml

ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "name": {"type": "str", "required": True},
    "folder": {"type": "str", "default": "\\Isotools"},
    "wait": {"type": "bool", "default": True},
    "timeout": {"type": "int", "default": 600},
    "fail_on_error": {"type": "bool", "default": True},
    "allow_unencrypted_password": {"type": "bool", "default": False, "no_log": False},
}


class ActionModule(HostAction):
    NAME = "win_sync_task_run"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def empty_result(self) -> Result:
        return {
            "changed": False,
            "path": None,
            "started": False,
            "finished": False,
            "timed_out": False,
            "exit_code": None,
            "last_result": None,
            "last_result_text": None,
            "start_time": None,
            "end_time": None,
            "duration": None,
            "message": None,
            "would_run": None,
        }

    def act(self, call: ActionCall, result: Result) -> None:
        args = call.args
        problem = name_problem(args["name"])
        if problem:
            result.update(failed=True, msg=f"name {problem}")
            return
        if args["timeout"] < 0:
            result.update(failed=True, msg=f"timeout must be a number of seconds >= 0, got {args['timeout']}")
            return
        path = folder_option(args["folder"]).rstrip("\\") + "\\" + args["name"]
        result["path"] = path
        host = call.host()
        if call.check_mode:
            call.trace(f"check mode: read {path}")
            state = ReadResult.from_json(host.call(ReadRequest(tasks=(path,)).to_json()))
            record = state.task(path)
            refusal = start_refusal(record, state.unreadable_task(path), _definition(record))
            result.update(would_run=refusal is None, changed=refusal is None)
            if refusal is None:
                result["message"] = f"check mode: {path} would be run; nothing was run"
            else:
                result.update(failed=True, msg=f"task '{path}' would not be started: {refusal}")
            return
        call.trace(f"run {path} (wait: {args['wait']}, timeout: {args['timeout']} s)")
        answer = RunResult.from_json(host.call(RunRequest((path,), wait=args["wait"], timeout=args["timeout"]).to_json()), waited=args["wait"])
        run = answer.runs[0] if answer.runs else TaskRun(path=path, started=False, message="the host reported no run")
        result.update(run_summary(run), path=run.path, changed=run.started)
        failure = _failure(run, wait=args["wait"], timeout=args["timeout"], fail_on_error=args["fail_on_error"])
        if failure:
            result.update(failed=True, msg=failure)


def _definition(record: TaskRecord | None) -> TaskDefinition | None:
    """The task as parsed, or None: a task this collection cannot parse may still run."""
    if record is None:
        return None
    try:
        return parse_xml(record.xml, name=ntpath.basename(record.path), folder=ntpath.dirname(record.path) or "\\")
    except ValueError:
        return None


def _failure(run: TaskRun, *, wait: bool, timeout: int, fail_on_error: bool) -> str | None:
    """Why the task fails: it did not start; or, when waited for with ``fail_on_error``, it is
    still running after ``timeout`` or its last result is not 0."""
    if not run.started:
        return f"task '{run.path}' was not started: {run_message(run) or 'the host gave no reason'}"
    if not (wait and fail_on_error):
        return None
    if run.timed_out or not run.finished:
        return f"task '{run.path}' is still running after {timeout} s (timeout); it was not stopped"
    if run.last_result != 0:
        return f"task '{run.path}' ended with {run.last_result_text}"
    return None
