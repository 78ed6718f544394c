# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What win_sync_task_info says about each task the host read. Pure: no I/O.

The ``spec`` of a supported task is exactly valid input for win_sync_task (and the ``task:`` of
a win_sync_jobs job, without ``name`` and ``folder``): applied to the same host it changes
nothing, which is how a hand-made task is adopted. That is checked, not assumed: the spec is
validated again and compared with the task by meaning, and a task whose spec fails either test
is reported unsupported with the reasons (real exports hold values the options refuse, such as
a start-in folder written "[PATH]", or parts a spec cannot say). A task file that cannot be
parsed is reported the same way, never fatal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import compare_definitions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import TaskRecord, UnreadableTask, split_task_path
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import ownership_of
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan.execution_paths import ExecutionCheck
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError, parse_spec, spec_from_definition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import TaskXmlError, parse_xml
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary

__all__ = ["TaskInfoEntry", "task_definition", "task_entry", "unreadable_entry"]


def task_definition(record: TaskRecord) -> TaskDefinition | None:
    """The task as a definition; None when its XML cannot be read."""
    folder, name = split_task_path(record.path)
    try:
        return parse_xml(record.xml, name=name, folder=folder)
    except TaskXmlError:
        return None


@dataclass(frozen=True)
class TaskInfoEntry:
    """One entry of win_sync_task_info's ``tasks``: where the task is, whether it can be managed
    (and why not), its spec, its state as the host read it, its runs, and what it runs that
    someone else may change (``findings``: 'privilege escalation path: ...'; ``unresolved``)."""

    path: str
    name: str
    folder: str
    supported: bool = False
    unsupported_reasons: tuple[str, ...] = ()
    spec: Mapping[str, Any] | None = None  # valid win_sync_task input that changes nothing
    owned: bool = False
    password_version: str | None = None
    enabled: bool | None = None
    state: str = "unknown"
    last_run_time: str | None = None
    last_result: int | None = None
    last_result_text: str | None = None
    next_run_time: str | None = None
    number_of_missed_runs: int | None = None
    history: tuple[Mapping[str, Any], ...] = ()
    findings: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()

    def as_result(self) -> dict[str, Any]:
        """The entry as the result holds it (lists, the spec as built)."""
        return {
            "path": self.path,
            "name": self.name,
            "folder": self.folder,
            "supported": self.supported,
            "unsupported_reasons": list(self.unsupported_reasons),
            "spec": None if self.spec is None else dict(self.spec),
            "owned": self.owned,
            "password_version": self.password_version,
            "enabled": self.enabled,
            "state": self.state,
            "last_run_time": self.last_run_time,
            "last_result": self.last_result,
            "last_result_text": self.last_result_text,
            "next_run_time": self.next_run_time,
            "number_of_missed_runs": self.number_of_missed_runs,
            "history": [dict(run) for run in self.history],
            "findings": list(self.findings),
            "unresolved": list(self.unresolved),
        }


def task_entry(record: TaskRecord, history: Sequence[dict[str, Any]] = (), executed: ExecutionCheck | None = None) -> TaskInfoEntry:
    """The entry of a task the host read: its spec when the task can be managed."""
    folder, name = split_task_path(record.path)
    entry = TaskInfoEntry(
        path=record.path,
        name=name,
        folder=folder,
        enabled=record.enabled,
        state=record.state,
        last_run_time=_time(record.last_run_time),
        last_result=record.last_result,
        last_result_text=record.last_result_text,
        next_run_time=_time(record.next_run_time),
        number_of_missed_runs=record.number_of_missed_runs,
        history=tuple(history),
        findings=executed.findings if executed else (),
        unresolved=executed.unresolved if executed else (),
    )
    try:
        definition = parse_xml(record.xml, name=name, folder=folder)
    except TaskXmlError as error:
        return replace(entry, unsupported_reasons=(f"the task XML could not be read: {error}",))
    ownership = ownership_of(definition)
    entry = replace(
        entry,
        supported=definition.supported,
        unsupported_reasons=tuple(definition.unsupported_reasons),
        owned=ownership.owned,
        password_version=ownership.password_version,
    )
    if not definition.supported:
        return entry
    spec = spec_from_definition(definition)
    if ownership.password_version is not None:
        spec["password_version"] = ownership.password_version
    reasons = _spec_problems(spec, definition)
    if reasons:
        return replace(entry, supported=False, unsupported_reasons=tuple(reasons))
    return replace(entry, spec=spec)


def unreadable_entry(record: UnreadableTask) -> TaskInfoEntry:
    """The entry of a task the host found but could not read: reported, never fatal."""
    folder, name = split_task_path(record.path)
    return TaskInfoEntry(path=record.path, name=name, folder=folder, unsupported_reasons=(f"the host could not read the task: {record.error}",))


def _spec_problems(spec: dict[str, Any], definition: TaskDefinition) -> list[str]:
    """Why ``spec`` would not re-apply to ``definition`` with no change (empty: it would)."""
    try:
        parsed = parse_spec(spec)
    except SpecError as error:
        return [f"the task holds values the options refuse: {problem.field} {problem.message}" for problem in error.problems]
    return [f"{change.path} cannot be said in the task options ({change.before})" for change in compare_definitions(parsed.definition, definition)]


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else format_boundary(value)
