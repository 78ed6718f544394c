# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults a test injects into a directory host's ``apply``: ``ROOT/faults.json``.

The file is a list of ``{"change": <id, kind or path glob>, "fault": <kind>, "times": n}``
(``times`` defaults to 1). When a change comes up for applying, the first fault that matches it
fires and uses up one of its ``times``; a fault used up is removed from the file.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import load_json, save_json

__all__ = ["FAULT_KINDS", "Fault", "FaultBook", "load_faults"]

FAULT_KINDS = ("access_denied", "unknown_account", "disk_full", "task_running", "connection_lost")
# A running task only blocks changes to tasks; other kinds never meet this fault.
_ONLY_FOR: Mapping[str, frozenset[str]] = {"task_running": frozenset({"register_task", "delete_task"})}


@dataclass(frozen=True)
class Fault:
    change: str  # a change id, a change kind, or a glob over the change's path
    fault: str
    times: int = 1

    def matches(self, change: Mapping[str, Any]) -> bool:
        kind = str(change.get("kind", ""))
        if kind not in _ONLY_FOR.get(self.fault, frozenset([kind])):
            return False
        if self.change in (change.get("id"), kind):
            return True
        path = change.get("path")
        return isinstance(path, str) and fnmatch.fnmatchcase(path.lower(), self.change.lower())


class FaultBook:
    """The faults of one ``apply``, used up as changes meet them and saved once at the end."""

    def __init__(self, path: Path, faults: list[Fault]) -> None:
        self._path = path
        self._faults = faults
        self._used = False

    def take(self, change: Mapping[str, Any]) -> str | None:
        """The fault ``change`` meets (one of its ``times`` used up), or ``None``."""
        for index, fault in enumerate(self._faults):
            if fault.matches(change):
                self._used = True
                if fault.times > 1:
                    self._faults[index] = replace(fault, times=fault.times - 1)
                else:
                    del self._faults[index]
                return fault.fault
        return None

    def save(self) -> None:
        if self._used:
            save_json(self._path, [{"change": f.change, "fault": f.fault, "times": f.times} for f in self._faults])
            self._used = False


def load_faults(path: Path) -> FaultBook:
    raw = load_json(path, [])
    if not isinstance(raw, list):
        raise RequestError(f"{path} must be a JSON list of faults")
    faults: list[Fault] = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("change"), str):
            raise RequestError(f"{where} must be an object with a 'change' (id, kind or path glob)")
        if item.get("fault") not in FAULT_KINDS:
            raise RequestError(f"{where}: fault {item.get('fault')!r} must be one of {', '.join(FAULT_KINDS)}")
        times = item.get("times", 1)
        if not isinstance(times, int) or isinstance(times, bool) or times < 1:
            raise RequestError(f"{where}: times {times!r} must be a positive integer")
        faults.append(Fault(item["change"], item["fault"], times))
    return FaultBook(path, faults)
