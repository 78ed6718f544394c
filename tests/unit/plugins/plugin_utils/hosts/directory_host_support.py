# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A directory host on a fresh image, with a clock the test moves, and the seed's set-up."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from host_samples import b64, register, synchro_task_xml
from support.directory_faults import FaultyDirectoryHost

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost, Interrupt, Interruption

START = dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.timezone.utc)
SVC_SYNC = "CONTOSO\\svc_sync"
SVC_SYNC_SID = "S-1-5-21-3623811015-3361044348-30300820-1104"
LOCAL_USER = "SHOP01\\operator"
LOCAL_USER_SID = "S-1-5-21-1180699209-877415012-3182924384-1001"
GMSA = "CONTOSO\\gmsa_sync$"
GMSA_SID = "S-1-5-21-3623811015-3361044348-30300820-2201"
TASK = "\\Isotools\\Synchro Stock"
SCRIPT_DIR = "D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001"
SCRIPT = SCRIPT_DIR + "\\synchro.bat"
SCRIPT_BYTES = b"@echo off\r\ncall php sync.php stock\r\n"
TASKS = ("C", "Windows", "System32", "Tasks")


@dataclass
class Clock:
    """The host's clock: fixed until a test moves it."""

    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@dataclass
class Image:
    """One image folder and the host serving it."""

    root: Path
    clock: Clock = field(default_factory=Clock)

    @property
    def host(self) -> DirectoryHost:
        # With the faults a test writes to faults.json (support.directory_faults).
        return FaultyDirectoryHost(self.root, clock=self.clock)

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.host.call(request)

    def call_with(self, interrupt: Interrupt, request: dict[str, Any]) -> dict[str, Any]:
        """``request`` served by a host whose applies ask ``interrupt`` before each change."""
        return DirectoryHost(self.root, clock=self.clock, interrupt=interrupt).call(request)

    def tasks_dir(self, *names: str) -> Path:
        return self.root.joinpath(*TASKS, *names)

    def write_json(self, name: str, value: Any) -> None:
        (self.root / name).write_text(json.dumps(value), encoding="utf-8")

    def journal(self) -> list[dict[str, Any]]:
        path = self.root / "journal.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@dataclass
class Obstacle:
    """An ``interrupt`` that meets nothing, but puts a directory where the image's bookkeeping
    file ``name`` is when change ``at`` comes up: the call has read the file by then, and the
    write that ends it fails for real (a file cannot be moved over a directory: EISDIR, which
    the host reports as Windows refuses it, access denied). ``clear()`` puts the file back."""

    root: Path
    name: str
    at: str
    _kept: bytes | None = None

    def __call__(self, change: Mapping[str, Any]) -> Interruption | None:
        if change["id"] == self.at:
            path = self.root / self.name
            self._kept = path.read_bytes() if path.exists() else None
            path.unlink(missing_ok=True)
            path.mkdir()
        return None

    def clear(self) -> None:
        path = self.root / self.name
        path.rmdir()  # FileNotFoundError when change ``at`` never came up
        if self._kept is not None:
            path.write_bytes(self._kept)


def new_image(tmp_path: Path) -> Image:
    """An image with a D: drive, host SHOP01 of domain CONTOSO, and three declared accounts."""
    root = tmp_path / "image"
    (root / "D").mkdir(parents=True)
    image = Image(root)
    image.write_json(
        "host.json",
        {"hostname": "SHOP01", "domain": "CONTOSO", "time_zone": "Romance Standard Time", "utc_offset_minutes": 60},
    )
    image.write_json("accounts.json", {SVC_SYNC: SVC_SYNC_SID, LOCAL_USER: LOCAL_USER_SID, GMSA: GMSA_SID})
    return image


def seed_changes(*, xml: str | None = None, user: str = "SYSTEM", logon_type: str = "service_account") -> list[dict[str, Any]]:
    """The knowledge-base set-up: folder, script directory, script, ACL, task."""
    return [
        {"id": "c1", "kind": "create_folder", "path": "\\Isotools"},
        {"id": "c2", "kind": "create_directory", "path": SCRIPT_DIR},
        {
            "id": "c3",
            "kind": "write_file",
            "path": SCRIPT,
            "content_base64": b64(SCRIPT_BYTES),
            "expected_hash": None,
            "requires": ["c2"],
        },
        {
            "id": "c4",
            "kind": "set_acl",
            "path": SCRIPT_DIR,
            "full_control": ["S-1-5-32-544", "S-1-5-18"],
            "requires": ["c2"],
        },
        register("c5", TASK, xml or synchro_task_xml(SCRIPT_DIR), user=user, logon_type=logon_type, requires=("c1", "c3")),
    ]


def install_seed(image: Image, **options: Any) -> dict[str, Any]:
    response = image.call({"op": "apply", "changes": seed_changes(**options)})
    assert {result["status"] for result in response["results"]} == {"applied"}, response
    return response


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (journal aside) with its bytes: "nothing else changed" checks."""
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file() and path.name not in ("journal.jsonl", ".lock")
    }
