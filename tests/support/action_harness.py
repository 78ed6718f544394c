# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's actions as Ansible would, against a real directory host on disk.

``Harness.run(action, args)`` builds the action with a mocked task and connection and a real
loader and templar (so templates are found and rendered as in a playbook), with the inventory
variables that select the directory host at ``Harness.root``. ``journal()`` returns the host's
calls; ``ops()`` just their operations, the round trips a test counts.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.task import Task
from ansible.template import Templar

from ansible_collections.isotools.shop_sync.plugins.action import (
    sync_jobs_check,
    sync_report,
    win_sync_jobs,
    win_sync_snapshot,
    win_sync_task,
    win_sync_task_info,
    win_sync_task_run,
)
from support.directory_faults import faulty_hosts

ACTIONS: dict[str, ModuleType] = {
    "sync_jobs_check": sync_jobs_check,
    "sync_report": sync_report,
    "win_sync_task": win_sync_task,
    "win_sync_jobs": win_sync_jobs,
    "win_sync_snapshot": win_sync_snapshot,
    "win_sync_task_info": win_sync_task_info,
    "win_sync_task_run": win_sync_task_run,
}
TASKS_DIR = ("C", "Windows", "System32", "Tasks")
SVC_SYNC = "CONTOSO\\svc_sync"
SVC_SYNC_SID = "S-1-5-21-3623811015-3361044348-30300820-1104"


def build_action(
    name: str,
    args: dict[str, Any],
    *,
    playbook_dir: Path,
    check_mode: bool = False,
    diff: bool = False,
    no_log: bool = False,
    connection: Any = None,
) -> Any:
    """The action plugin ``name`` for a task with ``args``, as the task executor builds it."""
    task = MagicMock(Task)
    task.args = copy.deepcopy(args)
    task.action = f"isotools.shop_sync.{name}"
    task.check_mode = check_mode
    task.diff = diff
    task.no_log = no_log
    task.async_val = 0
    # A task whose failure is its own (neither ignore_errors, failed_when nor until), as by default.
    task.ignore_errors = False
    task.failed_when = []
    task.until = []
    task.get_search_path.return_value = [str(playbook_dir)]
    if connection is None:
        connection = MagicMock()
        connection._shell.tmpdir = None
    play_context = MagicMock()
    play_context.check_mode = check_mode
    play_context.diff = diff
    play_context.no_log = no_log
    loader = DataLoader()
    loader.set_basedir(str(playbook_dir))
    templar = Templar(loader=loader)
    action = ACTIONS[name].ActionModule(task, connection, play_context, loader=loader, templar=templar, shared_loader_obj=None)
    # The plugin loader names each plugin it loads; ansible-core < 2.19 has no default for it.
    action._load_name = task.action
    return action


@dataclass
class Harness:
    """A directory host image under ``root`` and a playbook directory beside it."""

    root: Path
    playbook_dir: Path
    host_vars: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, tmp_path: Path) -> Harness:
        root = tmp_path / "image"
        (root / "D").mkdir(parents=True)
        (root / "host.json").write_text(json.dumps({"hostname": "SHOP01", "domain": "CONTOSO"}), encoding="utf-8")
        (root / "accounts.json").write_text(json.dumps({SVC_SYNC: SVC_SYNC_SID}), encoding="utf-8")
        playbook_dir = tmp_path / "playbook"
        (playbook_dir / "templates").mkdir(parents=True)
        host_vars = {
            "inventory_hostname": "shop01",
            "playbook_dir": str(playbook_dir),
            "shop_sync_backend": "directory",
            "shop_sync_directory_root": str(root),
        }
        return cls(root, playbook_dir, host_vars)

    def run(self, name: str, args: dict[str, Any], *, check_mode: bool = False, diff: bool = False) -> dict[str, Any]:
        action = build_action(name, args, playbook_dir=self.playbook_dir, check_mode=check_mode, diff=diff)
        with faulty_hosts():  # the faults a test writes to faults.json, through the action's own host selection
            result: dict[str, Any] = action.run(task_vars=copy.deepcopy(self.host_vars))
        json.dumps(result)  # what Ansible does with it: it must serialise
        return result

    def journal(self) -> list[dict[str, Any]]:
        path = self.root / "journal.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def ops(self) -> list[str]:
        return [entry["op"] for entry in self.journal()]

    def forget_journal(self) -> None:
        (self.root / "journal.jsonl").unlink(missing_ok=True)

    def windows_path(self, path: str) -> Path:
        """The file in the image for ``D:\\a\\b`` (drive letter and names as written)."""
        drive, _separator, rest = path.partition(":\\")
        return self.root.joinpath(drive, *[part for part in rest.split("\\") if part])

    def task_file(self, folder: str, name: str) -> Path:
        return self.root.joinpath(*TASKS_DIR, *[part for part in folder.split("\\") if part], name)

    def put_task(self, folder: str, name: str, xml: str) -> Path:
        """A task registered by hand: its XML stored as Windows stores it (UTF-16 with a BOM)."""
        path = self.task_file(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xfe" + xml.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-16-le"))
        return path

    def write_json(self, name: str, value: Any) -> None:
        (self.root / name).write_text(json.dumps(value), encoding="utf-8")


def daily_job(name: str, directory: str, *, at: str = "06:00", content: str = "@echo off\nsynchro.exe\n", **task: Any) -> dict[str, Any]:
    """A job with a script and a daily trigger, run as SYSTEM unless ``principal`` says otherwise."""
    spec: dict[str, Any] = {"triggers": [{"type": "daily", "at": at}], "principal": {"user": "SYSTEM"}, **task}
    return {"name": name, "working_directory": directory, "script": {"content": content}, "task": spec}
