# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: the changes before a fault are applied, the faulted one is not (and leaves
nothing half-written), the later ones go on — or, when the connection is lost, never happen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from directory_host_support import SCRIPT, SCRIPT_DIR, SVC_SYNC, TASK, Image, Obstacle, install_seed, new_image, seed_changes, snapshot
from host_samples import record_writers, register, statuses, synchro_task_xml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import HostConnectionError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostUnreachable


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


def inject(image: Image, *faults: dict[str, Any]) -> None:
    image.write_json("faults.json", list(faults))


def faults_left(image: Image) -> list[dict[str, Any]]:
    return list(json.loads((image.root / "faults.json").read_text(encoding="utf-8")))


def leftovers(image: Image) -> list[str]:
    return [path.name for path in image.root.rglob(".shop_sync-tmp-*")]


@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [
        ("access_denied", "failed", 0x80070005),
        ("disk_full", "failed", 0x80070070),
        ("unknown_account", "refused", 0x80070534),
    ],
)
def test_a_faulted_write_leaves_the_earlier_changes_applied_and_no_file(image: Image, fault: str, status: str, code: int) -> None:
    inject(image, {"change": "c3", "fault": fault})

    response = image.call({"op": "apply", "changes": seed_changes()})

    assert statuses(response) == {"c1": "applied", "c2": "applied", "c3": status, "c4": "applied", "c5": "skipped"}
    assert response["results"][2]["error_code"] == code
    assert "fault injected for change c3" in response["results"][2]["message"]
    assert (image.root / "D/Isotools/Synchro_prod/localhost/synchrof00001").is_dir()
    assert not (image.root / "D/Isotools/Synchro_prod/localhost/synchrof00001/synchro.bat").exists()
    assert not image.tasks_dir("Isotools", "Synchro Stock").exists()
    assert leftovers(image) == []
    assert faults_left(image) == []


@pytest.mark.parametrize("fault", ["access_denied", "disk_full"])
def test_a_faulted_registration_keeps_the_previous_definition(image: Image, fault: str) -> None:
    install_seed(image)
    before = snapshot(image.root)
    previous = image.call({"op": "read", "tasks": [TASK]})["tasks"][0]["task_hash"]
    inject(image, {"change": "\\isotools\\*", "fault": fault})
    changed = synchro_task_xml(SCRIPT_DIR, description="changed")

    response = image.call(
        {
            "op": "apply",
            "changes": [register("u", TASK, changed, user="SYSTEM", logon_type="service_account", expected_hash=previous)],
        }
    )

    assert statuses(response) == {"u": "failed"}
    assert snapshot(image.root) == before | {"faults.json": b"[]\n"}
    assert leftovers(image) == []


def test_a_faulted_registration_into_a_new_folder_leaves_no_folder(image: Image) -> None:
    inject(image, {"change": "register_task", "fault": "disk_full"})
    xml = synchro_task_xml(SCRIPT_DIR)

    response = image.call(
        {
            "op": "apply",
            "changes": [register("t", "\\Isotools\\New\\Task", xml, user="SYSTEM", logon_type="service_account")],
        }
    )

    assert statuses(response) == {"t": "failed"}
    assert not image.tasks_dir("Isotools").exists()


@pytest.mark.parametrize("kind", ["register_task", "delete_task"])
def test_a_running_task_cannot_be_changed(image: Image, kind: str) -> None:
    install_seed(image)
    current = image.call({"op": "read", "tasks": [TASK]})["tasks"][0]["task_hash"]
    inject(image, {"change": kind, "fault": "task_running"})
    before = snapshot(image.root)
    change: dict[str, Any] = {"id": "t", "kind": kind, "path": TASK, "expected_hash": current}
    if kind == "register_task":
        change.update(xml=synchro_task_xml(SCRIPT_DIR, description="changed"), user="SYSTEM", logon_type="service_account")

    response = image.call({"op": "apply", "changes": [change]})

    assert (statuses(response), response["results"][0]["error_code"]) == ({"t": "failed"}, 0x8004131F)
    assert snapshot(image.root) == before | {"faults.json": b"[]\n"}


def test_a_running_task_fault_only_meets_task_changes(image: Image) -> None:
    inject(image, {"change": "*", "fault": "task_running"})

    response = image.call({"op": "apply", "changes": seed_changes()})

    assert statuses(response) == {"c1": "applied", "c2": "applied", "c3": "applied", "c4": "applied", "c5": "failed"}
    assert faults_left(image) == []


def test_a_fault_fires_as_many_times_as_asked(image: Image) -> None:
    inject(image, {"change": "c2", "fault": "access_denied", "times": 2})
    outcomes = []

    for _attempt in range(3):
        response = image.call({"op": "apply", "changes": [{"id": "c2", "kind": "create_directory", "path": SCRIPT_DIR}]})
        outcomes.append(statuses(response)["c2"])

    assert outcomes == ["failed", "failed", "applied"]


def test_a_lost_connection_stops_the_apply_after_the_changes_before_it(image: Image) -> None:
    inject(image, {"change": "c3", "fault": "connection_lost"})

    with pytest.raises(HostConnectionError) as raised:
        image.call({"op": "apply", "changes": seed_changes()})

    assert isinstance(raised.value, HostUnreachable)
    assert raised.value.lost_at == "c3"
    assert [(result["id"], result["status"]) for result in raised.value.results] == [
        ("c1", "applied"),
        ("c2", "applied"),
    ]
    assert "lost at change c3 (2 of 5 changes processed" in str(raised.value)
    assert image.tasks_dir("Isotools").is_dir() and (image.root / "D/Isotools/Synchro_prod/localhost/synchrof00001").is_dir()
    read = image.call({"op": "read", "files": [SCRIPT], "tasks": [TASK], "directories": [SCRIPT_DIR]})
    assert (read["files"][0]["exists"], read["tasks"], record_writers(read["directories"][0])) == (
        False,
        [],
        ["S-1-5-18", "S-1-5-32-544", "S-1-5-32-545"],
    )
    assert image.journal()[0] | {"time": ""} == {
        "time": "",
        "op": "apply",
        "changes": 5,
        "applied": 2,
        "unchanged": 0,
        "refused": 0,
        "failed": 0,
        "skipped": 0,
        "connection_lost": True,
    }
    assert faults_left(image) == []


@pytest.mark.parametrize(
    ("faults", "words"),
    [
        ({"change": "c1", "fault": "disk_full"}, "must be a JSON list of faults"),
        ([{"change": "c1"}], "fault None must be one of"),
        ([{"change": "c1", "fault": "meteor_strike"}], "fault 'meteor_strike' must be one of"),
        ([{"change": "c1", "fault": "disk_full", "times": 0}], "times 0 must be a positive integer"),
        ([{"fault": "disk_full"}], "must be an object with a 'change'"),
    ],
)
def test_a_broken_faults_file_fails_the_apply_and_says_why(image: Image, faults: Any, words: str) -> None:
    image.write_json("faults.json", faults)

    response = image.call({"op": "apply", "changes": seed_changes()})

    assert response["failed"] is True
    assert words in response["msg"]
    assert not image.tasks_dir().exists()


def test_a_registration_whose_bookkeeping_cannot_be_written_is_undone(image: Image) -> None:
    install_seed(image)
    before = snapshot(image.root)
    xml = synchro_task_xml(SCRIPT_DIR, user=SVC_SYNC, logon_type="password")
    changes = [
        register("t", "\\Isotools\\Nested\\With Password", xml, user=SVC_SYNC, logon_type="password"),
        {"id": "later", "kind": "create_directory", "path": "D:\\Isotools\\Later"},
    ]
    # "t" reads credentials.json; it is written when the call ends, and by then it cannot be.
    blocked = Obstacle(image.root, "credentials.json", at="later")

    response = image.call_with(blocked, {"op": "apply", "changes": changes, "passwords": {"t": "a password"}})

    blocked.clear()
    assert statuses(response) == {"t": "failed", "later": "failed"}  # undone from the first change that edited it on
    assert response["results"][0]["error_code"] == 0x80070005
    assert "undone because credentials.json could not be written" in response["results"][0]["message"]
    assert snapshot(image.root) == before
    assert not image.tasks_dir("Isotools", "Nested").exists()
    assert not (image.root / "D/Isotools/Later").exists()
