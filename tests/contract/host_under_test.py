# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host a contract test talks to (built by the ``host`` fixture in conftest.py), and the
knowledge-base set-up the tests start from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from host_samples import b64, register, statuses, synchro_task_xml
from host_sides import HostSide

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import contract

_PARSERS: dict[str, Callable[[object], object]] = {
    "read": contract.ReadResult.from_json,
    "apply": contract.ApplyResult.from_json,
    "run": contract.RunResult.from_json,
    "history": contract.HistoryResult.from_json,
}


@dataclass(frozen=True)
class HostUnderTest:
    """A host, and the corner of it a test may change."""

    kind: str  # "directory" or "winrm"
    send: Callable[[dict[str, Any]], dict[str, Any]]
    folder: str  # a task folder of this test's own, \A\B
    base_dir: str  # a directory of this test's own, D:\A\B
    user: str | None  # an account that has a password
    password: str | None
    history_log: bool | None  # whether the Task Scheduler Operational log is on; None: not told
    gmsa: str | None  # a group managed service account the host may use (DOMAIN\\name$)
    # Makes a script end with this exit code when its task runs. A real host runs the script
    # (whose own ``exit /b`` sets it): nothing to do; the directory host runs nothing and takes
    # the code from its outcomes.json.
    script_exits: Callable[[str, int], None]
    # What the test does to the host beyond the contract (a file held open, a junction, the
    # event log): host_sides.py; the directory host skips what it cannot mirror.
    side: HostSide
    # Where the host keeps the file of a task: %SystemRoot%\System32\Tasks\<folder>\<name>
    # (ROOT/C/Windows/System32/Tasks/... on the directory host).
    system_root: str = "C:\\Windows"

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send ``request``; the response, after checking it against the typed contract."""
        response = self.send(request)
        if not response.get("failed"):
            _PARSERS[request["op"]](response)
        return response

    def task(self, name: str) -> str:
        return f"{self.folder}\\{name}"

    def file(self, *names: str) -> str:
        return "\\".join((self.base_dir, *names))

    def task_file(self, task: str) -> str:
        """The Windows path of the file Task Scheduler keeps ``task`` in."""
        return f"{self.system_root}\\System32\\Tasks{task}"


SCRIPT = b"@echo off\r\nrem synchro stock\r\nexit /b 0\r\n"


@dataclass(frozen=True)
class Installed:
    task: str
    xml: str
    task_hash: str
    directory: str
    script: str


def install(host: HostUnderTest, name: str = "Synchro Stock", script: bytes = SCRIPT, **xml_options: Any) -> Installed:
    """The knowledge-base set-up in one apply: folder, script directory, script, task (SYSTEM)."""
    directory = host.file("stock")
    script_path = host.file("stock", "synchro.bat")
    xml = synchro_task_xml(directory, **xml_options)
    response = host.call(
        {
            "op": "apply",
            "changes": [
                {"id": "c1", "kind": "create_folder", "path": host.folder},
                {"id": "c2", "kind": "create_directory", "path": directory},
                {"id": "c3", "kind": "write_file", "path": script_path, "content_base64": b64(script), "expected_hash": None, "requires": ["c2"]},
                register("c4", host.task(name), xml, user="S-1-5-18", logon_type="service_account", requires=("c1", "c3")),
            ],
        }
    )
    assert statuses(response) == {"c1": "applied", "c2": "applied", "c3": "applied", "c4": "applied"}
    return Installed(host.task(name), xml, response["results"][3]["task_hash"], directory, script_path)


def read_all(host: HostUnderTest, installed: Installed) -> dict[str, Any]:
    return host.call(
        {
            "op": "read",
            "folders": [{"path": host.folder, "recurse": False}],
            "files": [installed.script],
            "directories": [installed.directory],
        }
    )


def task_record(response: dict[str, Any], path: str) -> dict[str, Any] | None:
    return next((task for task in response["tasks"] if task["path"].lower() == path.lower()), None)


def the_task(response: dict[str, Any], path: str) -> dict[str, Any]:
    task = task_record(response, path)
    assert task is not None, f"{path} is not in the read response"
    return task
