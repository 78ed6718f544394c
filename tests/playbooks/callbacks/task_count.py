# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: which tasks each host ran, for the fleet cost tests (docs/reliability.md).

Every task a host runs costs a worker process, whatever it does (a skipped task too); a
``run_once`` task costs one, whatever the number of hosts. The callback writes, to the file
``SHOP_SYNC_TASK_COUNT`` names, ``{"per_host": {host: [task, ...]}, "once": [task, ...]}``.
Enabled with ``ANSIBLE_CALLBACK_PLUGINS`` (this folder) and ``ANSIBLE_CALLBACKS_ENABLED=task_count``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_count
type: aggregate
short_description: Which tasks each host ran (test only)
description:
  - Writes the tasks each host ran, and the run_once tasks, to the JSON file SHOP_SYNC_TASK_COUNT names.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_count"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._per_host: dict[str, list[str]] = {}
        self._once: list[str] = []

    def _ran(self, result: Any) -> None:
        task = result._task
        name = task.get_name()
        if task.run_once:
            if name not in self._once:
                self._once.append(name)
            return
        self._per_host.setdefault(result._host.get_name(), []).append(name)

    def v2_runner_on_ok(self, result: Any) -> None:
        self._ran(result)

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._ran(result)

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._ran(result)

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._ran(result)

    def v2_playbook_on_stats(self, stats: Any) -> None:
        with open(os.environ["SHOP_SYNC_TASK_COUNT"], "w", encoding="utf-8") as stream:
            json.dump({"per_host": self._per_host, "once": self._once}, stream, indent=1)
