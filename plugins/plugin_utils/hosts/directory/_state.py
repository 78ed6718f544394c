# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runtime state of a directory host's tasks: ``ROOT/state.json``.

Keyed by the lowercase task path, each entry holds what Task Scheduler keeps beside the XML:
``last_run_time``, ``last_result``, ``next_run_time``, ``number_of_missed_runs``, and
``running`` while a started run has not finished. Whether a task is enabled is not kept here:
it is the XML's ``Settings/Enabled``, read each time. A task without an entry (a copied task
store, a new registration) has never run: ``last_result`` 0x41303. ``next_run_time`` is only
what an entry says: the directory host computes no schedules, so it is ``null`` unless a test
or a copied server state sets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import (
    SCHED_S_TASK_HAS_NOT_RUN,
    RequestError,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import load_json, save_json

__all__ = ["StateBook", "load_state", "runtime_fields"]


@dataclass
class StateBook:
    path: Path
    entries: dict[str, dict[str, Any]]

    def entry(self, task_key: str) -> dict[str, Any]:
        """The entry of a task, created empty when it has none (saved only by :meth:`save`)."""
        return self.entries.setdefault(task_key, {})

    def save(self) -> None:
        save_json(self.path, {key: value for key, value in self.entries.items() if value})


def load_state(path: Path) -> StateBook:
    raw = load_json(path, {})
    if not isinstance(raw, dict) or not all(isinstance(value, dict) for value in raw.values()):
        raise RequestError(f"{path} must be a JSON object mapping task paths to objects")
    return StateBook(path, {str(key).lower(): value for key, value in raw.items()})


def runtime_fields(entry: dict[str, Any] | None, enabled: bool | None) -> dict[str, Any]:
    """The runtime part of a task record, from its entry and whether its XML enables it."""
    entry = entry or {}
    # TASK_STATE as IRegisteredTask.State gives it: 0 unknown, 1 disabled, 3 ready, 4 running.
    if enabled is None:
        state = 0
    elif not enabled:
        state = 1
    else:
        state = 4 if entry.get("running") else 3
    return {
        "enabled": enabled,
        "state": state,
        "last_run_time": entry.get("last_run_time"),
        "last_result": entry.get("last_result", SCHED_S_TASK_HAS_NOT_RUN),
        "next_run_time": entry.get("next_run_time"),
        "number_of_missed_runs": entry.get("number_of_missed_runs", 0),
    }
