# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bookkeeping of an apply (acl.json, state.json, credentials.json) is written once per call,
and still never disagrees with the changes the call reports: what cannot be recorded is undone."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from directory_host_support import SCRIPT, SCRIPT_BYTES, SCRIPT_DIR, TASK, Image, Obstacle, install_seed, new_image, seed_changes, snapshot
from host_samples import b64, record_writers, register, sha256, statuses, synchro_task_xml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import HostConnectionError, Interruption

ADMINS_AND_SYSTEM = ["S-1-5-18", "S-1-5-32-544"]
DEFAULT_WRITERS = ["S-1-5-18", "S-1-5-32-544", "S-1-5-32-545"]
BOOKKEEPING = ("acl.json", "state.json", "credentials.json")


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


@dataclass
class Replacements:
    """The bookkeeping files of an image as an apply goes, noted by its ``interrupt`` before each
    change and by the test before and after the call. Every write moves a new file into place
    (a new inode), so a file whose identity differs between two notes was written in between."""

    root: Path
    notes: list[dict[str, tuple[int, int] | None]] = field(default_factory=list)

    def __call__(self, _change: Mapping[str, Any]) -> Interruption | None:
        self.note()
        return None

    def note(self) -> None:
        self.notes.append({name: _identity(self.root / name) for name in BOOKKEEPING})

    def counts(self) -> Counter[str]:
        """For each file, between how many successive notes it was written."""
        return Counter(name for earlier, later in pairwise(self.notes) for name in BOOKKEEPING if earlier[name] != later[name])


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


def job_changes(count: int) -> list[dict[str, Any]]:
    """``count`` jobs the way the controller plans them: directory, ACL, script, task."""
    changes: list[dict[str, Any]] = [{"id": "folder", "kind": "create_folder", "path": "\\Isotools"}]
    for number in range(count):
        directory = f"D:\\Isotools\\Synchro_prod\\shop\\job{number:03d}"
        changes += [
            {"id": f"d{number}", "kind": "create_directory", "path": directory},
            {"id": f"a{number}", "kind": "set_acl", "path": directory, "full_control": ADMINS_AND_SYSTEM, "requires": [f"d{number}"]},
            {
                "id": f"s{number}",
                "kind": "write_file",
                "path": directory + "\\synchro.bat",
                "content_base64": b64(b"@echo off\r\n"),
                "expected_hash": None,
                "requires": [f"a{number}"],
            },
            register(
                f"t{number}",
                f"\\Isotools\\Job {number:03d}",
                synchro_task_xml(directory),
                user="SYSTEM",
                logon_type="service_account",
                requires=("folder", f"s{number}"),
            ),
        ]
    return changes


def writers(image: Image, *directories: str) -> list[list[str]]:
    return [record_writers(record) for record in image.call({"op": "read", "directories": list(directories)})["directories"]]


def test_an_apply_of_many_jobs_writes_each_bookkeeping_file_once(image: Image) -> None:
    changes = job_changes(40)
    seen = Replacements(image.root)
    seen.note()

    response = image.call_with(seen, {"op": "apply", "changes": changes})

    seen.note()
    assert set(statuses(response).values()) == {"applied"}
    assert len(seen.notes) == len(changes) + 2  # before the call, before each change, after the call
    assert seen.counts() == {"acl.json": 1}
    assert seen.notes[-2]["acl.json"] is None  # written when the call ended, not as the changes went
    acl = json.loads((image.root / "acl.json").read_text(encoding="utf-8"))
    assert len(acl) == 40 and {tuple(ace["sid"] for ace in entry["aces"]) for entry in acl.values()} == {tuple(ADMINS_AND_SYSTEM)}
    assert len(image.call({"op": "read", "folders": [{"path": "\\Isotools", "recurse": False}]})["tasks"]) == 40


def test_a_bookkeeping_file_that_cannot_be_written_undoes_the_changes_from_its_first_edit_on(image: Image) -> None:
    blocked = Obstacle(image.root, "acl.json", at="c5")  # c4 read and edited it

    response = image.call_with(blocked, {"op": "apply", "changes": seed_changes()})

    blocked.clear()
    assert statuses(response) == {"c1": "applied", "c2": "applied", "c3": "applied", "c4": "failed", "c5": "failed"}
    for result in response["results"][3:]:
        assert result["error_code"] == 0x80070005
        assert "undone because acl.json could not be written" in result["message"]
        assert "task_hash" not in result
    assert (image.root / "D/Isotools/Synchro_prod/localhost/synchrof00001/synchro.bat").is_file()
    assert image.call({"op": "read", "tasks": [TASK]})["tasks"] == []
    assert writers(image, SCRIPT_DIR) == [DEFAULT_WRITERS]
    rerun = seed_changes()
    rerun[2]["expected_hash"] = sha256(SCRIPT_BYTES)  # the script is there now, with this content
    assert statuses(image.call({"op": "apply", "changes": rerun})) == {
        "c1": "unchanged",
        "c2": "unchanged",
        "c3": "applied",  # the same content written again: judging that is the controller's, when it plans
        "c4": "applied",
        "c5": "applied",
    }


def test_a_file_written_before_the_one_that_fails_is_put_back_as_the_kept_changes_left_it(image: Image) -> None:
    install_seed(image)
    image.call({"op": "run", "tasks": [TASK]})  # the task now has runtime state to forget
    task_hash = image.call({"op": "read", "tasks": [TASK]})["tasks"][0]["task_hash"]
    before = snapshot(image.root)
    blocked = Obstacle(image.root, "state.json", at="delete")  # read when the call began
    changes = [
        {"id": "delete", "kind": "delete_task", "path": TASK, "expected_hash": task_hash},
        {"id": "acl", "kind": "set_acl", "path": SCRIPT_DIR, "full_control": ["S-1-5-18"]},
    ]

    response = image.call_with(blocked, {"op": "apply", "changes": changes})

    blocked.clear()
    assert statuses(response) == {"delete": "failed", "acl": "failed"}
    assert "undone because state.json could not be written" in response["results"][1]["message"]
    assert snapshot(image.root) == before  # acl.json, written first with the ACL, is put back too


def test_what_was_applied_before_a_lost_connection_is_recorded(image: Image) -> None:
    image.write_json("faults.json", [{"change": "c5", "fault": "connection_lost"}])

    with pytest.raises(HostConnectionError) as raised:
        image.call({"op": "apply", "changes": seed_changes()})

    assert [result["status"] for result in raised.value.results] == ["applied"] * 4
    assert writers(image, SCRIPT_DIR) == [ADMINS_AND_SYSTEM]


def test_names_created_in_a_call_are_matched_case_insensitively_later_in_the_same_call(image: Image) -> None:
    xml = synchro_task_xml(SCRIPT_DIR)
    changes = [
        {"id": "dir", "kind": "create_directory", "path": "D:\\Isotools\\Jobs"},
        {"id": "same dir", "kind": "create_directory", "path": "d:\\ISOTOOLS\\jobs"},
        {"id": "script", "kind": "write_file", "path": "D:\\isotools\\JOBS\\synchro.bat", "content_base64": b64(b"@echo off\r\n"), "expected_hash": None},
        register("first", "\\Isotools\\Job", xml, user="SYSTEM", logon_type="service_account"),
        # The hash "first" registers: the XML's text as the host gives it back.
        {"id": "delete", "kind": "delete_task", "path": "\\ISOTOOLS\\JOB", "expected_hash": sha256(xml.encode("utf-8"))},
        register("second", "\\isotools\\job", xml, user="SYSTEM", logon_type="service_account"),
    ]

    response = image.call({"op": "apply", "changes": changes})

    assert statuses(response) == {"dir": "applied", "same dir": "unchanged", "script": "applied", "first": "applied", "delete": "applied", "second": "applied"}
    assert sorted(path.name for path in (image.root / "D").rglob("*")) == ["Isotools", "Jobs", "synchro.bat"]
    assert [task["path"] for task in image.call({"op": "read", "folders": [{"path": "\\", "recurse": True}]})["tasks"]] == ["\\Isotools\\job"]
    assert image.call({"op": "read", "files": [SCRIPT]})["files"][0]["exists"] is False
