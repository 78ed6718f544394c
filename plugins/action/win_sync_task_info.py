# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.win_sync_task_info``: read tasks, and what they run.

Documentation: plugins/modules/win_sync_task_info.py. What each task runs is checked by the one
rule the jobs' tasks are checked with (:mod:`execution_paths`): a follow-up read brings those
paths, which the first read could not know. With ``history``, one more host call fetches the
tasks' recent events, folded into runs by :func:`task_runs.runs_from_events`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import BOOLEANS, boolean

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import ActionCall, HostAction, Result, folder_option
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    FolderQuery,
    HistoryRequest,
    HistoryResult,
    ReadRequest,
    ReadResult,
    TaskRecord,
    path_key,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan.execution_paths import ExecutionCheck, execution_paths, reported_check, unread
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import name_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.sync import read_more
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.task_info import task_definition, task_entry, unreadable_entry
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.task_runs import runs_from_events

ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "folder": {"type": "str", "default": "\\Isotools"},
    "name": {"type": "str"},
    "recurse": {"type": "bool", "default": False},
    # false, true (DEFAULT_HISTORY_EVENTS) or the number of events to fetch per task.
    "history": {"type": "raw", "default": False},
    "allow_unencrypted_password": {"type": "bool", "default": False, "no_log": False},
}
DEFAULT_HISTORY_EVENTS = 50


class ActionModule(HostAction):
    NAME = "win_sync_task_info"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def empty_result(self) -> Result:
        return {"changed": False, "folder": None, "exists": False, "host": {}, "tasks": [], "history_available": None}

    def act(self, call: ActionCall, result: Result) -> None:
        args = call.args
        folder = folder_option(args["folder"])
        events_per_task = _history_events(args["history"])
        request = _read_request(folder, args["name"], args["recurse"])
        result["folder"] = folder
        host = call.host()
        call.trace(f"read {folder} (recurse: {args['recurse']}, name: {args['name']})")
        first = ReadResult.from_json(host.call(request.to_json()))
        records = [record for record in first.tasks if _wanted(record.path, request)]
        definitions = {record.path: task_definition(record) for record in records}

        def what_they_run(current: ReadResult) -> ReadRequest:
            return unread([execution_paths(definition, current.variables()) for definition in definitions.values() if definition], current)

        state = read_more(host, first, request, what_they_run, call.trace)
        folder_record = state.folder(folder)
        result["exists"] = folder_record.exists if folder_record is not None else bool(state.tasks)
        result["host"] = state.host.to_json()
        runs: Mapping[str, list[dict[str, Any]]] = {}
        if events_per_task and records:
            history = HistoryRequest(tuple(record.path for record in records), events_per_task * len(records))
            answer = HistoryResult.from_json(host.call(history.to_json()), history.tasks)
            result["history_available"] = answer.available
            runs = {path_key(path): items for path, items in runs_from_events(answer.events).items()}
        entries = [task_entry(record, runs.get(path_key(record.path), []), _checked(definitions[record.path], state, record)) for record in records]
        entries += [unreadable_entry(record) for record in state.unreadable if _wanted(record.path, request)]
        result["tasks"] = [entry.as_result() for entry in entries]


def _checked(definition: TaskDefinition | None, state: ReadResult, record: TaskRecord) -> ExecutionCheck | None:
    """What the task runs, judged as a job's task is, and never fixed: info only reports."""
    return None if definition is None else reported_check(definition, state, record.principal_sid)


def _read_request(folder: str, name: str | None, recurse: bool) -> ReadRequest:
    if name is None:
        return ReadRequest(folders=(FolderQuery(folder, recurse=recurse),))
    problem = name_problem(name)
    if problem:
        raise AnsibleActionFail(f"name {problem}")
    return ReadRequest(tasks=(folder.rstrip("\\") + "\\" + name,))


def _wanted(path: str, request: ReadRequest) -> bool:
    """With ``name``, only that task, whatever else the host sent."""
    return not request.tasks or path_key(path) in {path_key(task) for task in request.tasks}


def _history_events(value: object) -> int:
    """``history``: false/true, or how many events to fetch per task (a run logs about five)."""
    if isinstance(value, bool) or (isinstance(value, str) and value.lower() in BOOLEANS):
        return DEFAULT_HISTORY_EVENTS if boolean(value) else 0
    try:
        count = int(str(value))
    except ValueError:
        raise AnsibleActionFail(f"history must be true, false or a number of events per task, got '{value}'") from None
    if count < 0:
        raise AnsibleActionFail(f"history must be a positive number of events per task, got {count}")
    return count
