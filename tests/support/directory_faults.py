# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST-ONLY, never shipped (galaxy.yml build_ignore): faults injected into a directory host's
``apply`` from ``ROOT/faults.json`` (docs/directory-host.md, "Interruptions").

The file is a list of ``{"change": <id, kind or path glob>, "fault": <kind>, "times": n}``
(``times`` defaults to 1). When a change comes up for applying, the first fault that matches it
fires and uses up one of its ``times``; a fault used up is removed from the file. The shipped
host knows nothing of the file: :class:`FaultyDirectoryHost` hands each change it applies to
:class:`FaultsFile` through the host's ``interrupt`` seam, and :func:`faulty_hosts` has the
actions select that host, so that a test drives faults through a whole action run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions import select
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost, Interruption, RequestError

__all__ = ["FAULTS_FILE", "FAULT_KINDS", "Fault", "FaultsFile", "FaultyDirectoryHost", "faulty_hosts"]

FAULTS_FILE = "faults.json"
FAULT_KINDS = tuple(interruption.value for interruption in Interruption)
# A running task only blocks changes to tasks; other kinds never meet this fault.
_ONLY_FOR: Mapping[Interruption, frozenset[str]] = {Interruption.TASK_RUNNING: frozenset({"register_task", "delete_task"})}


@dataclass(frozen=True)
class Fault:
    change: str  # a change id, a change kind, or a glob over the change's path
    fault: Interruption
    times: int = 1

    def matches(self, change: Mapping[str, Any]) -> bool:
        kind = str(change.get("kind", ""))
        if kind not in _ONLY_FOR.get(self.fault, frozenset([kind])):
            return False
        if self.change in (change.get("id"), kind):
            return True
        path = change.get("path")
        return isinstance(path, str) and fnmatch.fnmatchcase(path.lower(), self.change.lower())

    def to_json(self) -> dict[str, object]:
        return {"change": self.change, "fault": self.fault.value, "times": self.times}


class FaultsFile:
    """The faults of one image's ``faults.json``, the host's ``interrupt``: read as each change
    comes up, and written back when one fired (the host holds its lock meanwhile)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, change: Mapping[str, Any]) -> Interruption | None:
        faults = self._load()
        for index, fault in enumerate(faults):
            if fault.matches(change):
                if fault.times > 1:
                    faults[index] = Fault(fault.change, fault.fault, fault.times - 1)
                else:
                    del faults[index]
                self._save(faults)
                return fault.fault
        return None

    def _load(self) -> list[Fault]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except ValueError as error:
            raise RequestError(f"{self.path} is not valid JSON: {error}") from None
        if not isinstance(raw, list):
            raise RequestError(f"{self.path} must be a JSON list of faults")
        faults: list[Fault] = []
        for index, item in enumerate(raw):
            where = f"{self.path}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("change"), str):
                raise RequestError(f"{where} must be an object with a 'change' (id, kind or path glob)")
            if item.get("fault") not in FAULT_KINDS:
                raise RequestError(f"{where}: fault {item.get('fault')!r} must be one of {', '.join(FAULT_KINDS)}")
            times = item.get("times", 1)
            if not isinstance(times, int) or isinstance(times, bool) or times < 1:
                raise RequestError(f"{where}: times {times!r} must be a positive integer")
            faults.append(Fault(item["change"], Interruption(item["fault"]), times))
        return faults

    def _save(self, faults: list[Fault]) -> None:
        # As the host writes its own files (indent 1, sorted keys), so image snapshots compare.
        self.path.write_text(json.dumps([fault.to_json() for fault in faults], indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


class FaultyDirectoryHost(DirectoryHost):
    """The directory host of ``root`` whose applies meet the faults of ``root/faults.json``."""

    def __init__(self, root: str | Path, *, clock: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__(root, clock=clock, interrupt=FaultsFile(Path(root) / FAULTS_FILE))


@contextlib.contextmanager
def faulty_hosts() -> Iterator[None]:
    """While it lasts, an action that selects a directory host gets a :class:`FaultyDirectoryHost`;
    a host class a test put in its place itself (a host pausing between calls) is kept."""
    if select.DirectoryHost is not DirectoryHost:
        yield
        return
    with mock.patch.object(select, "DirectoryHost", FaultyDirectoryHost):
        yield
