# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""win_sync_snapshot: a host's read kept as a directory-host image a drift plans against alike.

The source is a directory host standing in for a server. What matters is that a comparison
against the image says what the same comparison against the server says, for the jobs as they
are and for a proposed change; that the image holds no password; that host text that would lead
out of the image, links and what could not be read are left out and said so; and that only a
new folder or an earlier snapshot is ever written.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from host_samples import synchro_task_xml
from support.action_harness import SVC_SYNC, Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    AccountRecord,
    DirectoryRecord,
    FileRecord,
    FolderRecord,
    HostFacts,
    ReadResult,
    TaskRecord,
    UnreadableTask,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory.image import SNAPSHOT_FILE, snapshot_of, write_image

ROOT = "D:\\Isotools\\Synchro_prod\\shop01"
PASSWORD = "Sn4psh0t-S3cret!"


def jobs() -> list[dict[str, Any]]:
    stored = daily_job("Prix", f"{ROOT}\\prix", at="02:00", principal={"user": SVC_SYNC, "logon_type": "password", "password": PASSWORD})
    return [daily_job("Stock", f"{ROOT}\\stock"), stored]


@pytest.fixture
def server(tmp_path: Path) -> Harness:
    harness = Harness.create(tmp_path)
    deployed = harness.run("win_sync_jobs", {"root": ROOT, "jobs": jobs()})
    assert deployed["changed"] is True and "failed" not in deployed, deployed.get("msg")
    hand_made = synchro_task_xml(f"{ROOT}\\kevin").replace("<Source>isotools.shop_sync</Source>", "")
    harness.put_task("\\Isotools", "Synchro Test Kevin", hand_made)
    return harness


def image_of(server: Harness, tmp_path: Path, job_list: list[dict[str, Any]]) -> Harness:
    result = server.run("win_sync_snapshot", {"root": ROOT, "jobs": job_list, "dest": str(tmp_path / "snapshot")})
    assert "failed" not in result, result.get("msg")
    assert result["dest"] == str(tmp_path / "snapshot")
    return Harness(tmp_path / "snapshot", server.playbook_dir, {**server.host_vars, "shop_sync_directory_root": str(tmp_path / "snapshot")})


def compared(host: Harness, job_list: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    result = host.run("win_sync_jobs", {"root": ROOT, "prune": True, "jobs": job_list}, check_mode=True)
    assert "failed" not in result, result.get("msg")
    listed = [(job["name"], job["outcome"], job["changes"]) for job in result["jobs"]]
    return listed + [(task["name"], "owned" if task["owned"] else "hand-made", []) for task in result["unlisted"]]


def test_a_drift_against_the_image_says_what_it_says_against_the_server(server: Harness, tmp_path: Path) -> None:
    image = image_of(server, tmp_path, jobs())
    assert (
        compared(image, jobs())
        == compared(server, jobs())
        == [
            ("Stock", "unchanged", []),
            ("Prix", "unchanged", []),
            ("Synchro Test Kevin", "hand-made", []),
        ]
    )
    proposed = copy.deepcopy(jobs())
    proposed[1]["task"]["triggers"] = [{"type": "daily", "at": "03:30"}]
    proposed[0]["script"] = {"content": "@echo off\nsynchro.exe --full\n"}
    assert compared(image, proposed) == compared(server, proposed)
    assert [outcome for _name, outcome, _changes in compared(image, proposed)] == ["updated", "updated", "hand-made"]
    assert server.ops().count("apply") == 1, "the snapshot wrote to the server"


def test_the_image_holds_no_password_and_no_credentials(server: Harness, tmp_path: Path) -> None:
    result = server.run("win_sync_snapshot", {"root": ROOT, "jobs": jobs(), "dest": str(tmp_path / "snapshot")})
    assert PASSWORD not in json.dumps(result)
    image = tmp_path / "snapshot"
    assert (server.root / "credentials.json").exists() and not (image / "credentials.json").exists()
    secrets = [PASSWORD.encode(encoding) for encoding in ("utf-8", "utf-16-le")]
    assert [path for path in image.rglob("*") if path.is_file() and any(secret in path.read_bytes() for secret in secrets)] == []
    about = json.loads((image / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    assert about["host"] == "shop01" and about["counts"]["tasks"] == 3 and about["left_out"] == []


def _state(**records: Any) -> ReadResult:
    return ReadResult(HostFacts("SHOP01"), **records)


def test_host_text_that_would_leave_the_image_links_and_the_unreadable_are_left_out() -> None:
    xml = synchro_task_xml(f"{ROOT}\\stock")
    snapshot = snapshot_of(
        _state(
            folders=(FolderRecord("\\Isotools", True), FolderRecord("\\Linked", True, reparse_point="C:\\Elsewhere")),
            tasks=(TaskRecord("\\Isotools\\Stock", xml, "0" * 64, True, "ready"), TaskRecord("\\..\\..\\escape", xml, "0" * 64, True, "ready")),
            files=(
                FileRecord("D:\\Isotools\\..\\..\\..\\etc\\passwd", True, "0" * 64, 1, b"x"),
                FileRecord("D:\\Isotools\\link\\synchro.bat", True, "0" * 64, 1, b"x", reparse_point="D:\\Isotools\\link"),
                FileRecord("D:\\Isotools\\big\\synchro.bat", True, "0" * 64, 2 << 20, None),
                FileRecord("D:\\Isotools\\locked\\synchro.bat", False, error="the file is in use"),
                FileRecord("D:\\Isotools\\ok\\synchro.bat", True, "0" * 64, 3, b"ok\n", owner="S-1-5-32-544"),
            ),
            directories=(DirectoryRecord("D:\\Isotools\\ok", True, owner="S-1-5-32-544", protected=True),),
            accounts=(AccountRecord("svc_sync", "S-1-5-21-1-2-3-1104", account="CONTOSO\\svc_sync"), AccountRecord("ghost", None, "not found")),
            unreadable=(UnreadableTask("\\Isotools\\Broken", "not XML"),),
        )
    )
    assert sorted("\\".join(key) for key in snapshot.files) == ["C\\Windows\\System32\\Tasks\\Isotools\\Stock", "D\\Isotools\\ok\\synchro.bat"]
    assert snapshot.files[("D", "Isotools", "ok", "synchro.bat")] == b"ok\n"
    assert snapshot.files[("C", "Windows", "System32", "Tasks", "Isotools", "Stock")].startswith(b"\xff\xfe<\x00")
    assert ("C", "Windows", "System32", "Tasks", "Linked") not in snapshot.directories
    assert sorted(snapshot.acl) == ["d:\\isotools\\ok", "d:\\isotools\\ok\\synchro.bat"]
    assert dict(snapshot.accounts) == {"CONTOSO\\svc_sync": "S-1-5-21-1-2-3-1104", "svc_sync": "S-1-5-21-1-2-3-1104"}
    left_out = "\n".join(snapshot.left_out)
    for what in ("\\Linked", "\\..\\..\\escape", "etc\\passwd", "link\\synchro.bat", "big\\synchro.bat", "locked\\synchro.bat", "\\Isotools\\Broken"):
        assert what in left_out, left_out
    assert len(snapshot.left_out) == 7 == snapshot.counts["left_out"]


def test_only_a_new_folder_or_an_earlier_snapshot_is_written(tmp_path: Path) -> None:
    taken = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.timezone.utc)
    files = FileRecord("D:\\Isotools\\ok\\synchro.bat", True, "0" * 64, 3, b"ok\n")
    first = write_image(tmp_path / "shop01", snapshot_of(_state(files=(files,))), host="shop01", taken=taken)
    assert first.joinpath("D", "Isotools", "ok", "synchro.bat").read_bytes() == b"ok\n"
    # The next snapshot replaces the earlier one as a whole: what left the host leaves the image.
    write_image(tmp_path / "shop01", snapshot_of(_state()), host="shop01", taken=taken)
    assert not first.joinpath("D", "Isotools", "ok").exists()
    assert json.loads((first / SNAPSHOT_FILE).read_text(encoding="utf-8"))["taken"] == "2026-12-03T06:00:00+00:00"
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RequestError, match="is not a snapshot of this collection"):
        write_image(precious, snapshot_of(_state()), host="shop01", taken=taken)
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["precious", "shop01"], "a temporary folder was left"


def test_a_snapshot_that_cannot_be_moved_into_place_leaves_the_earlier_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.timezone.utc)
    files = FileRecord("D:\\Isotools\\ok\\synchro.bat", True, "0" * 64, 3, b"ok\n")
    earlier = write_image(tmp_path / "shop01", snapshot_of(_state(files=(files,))), host="shop01", taken=taken)
    rename = Path.rename

    def refuse_the_new_image(self: Path, target: Any) -> Any:
        if self.name.startswith(".shop01-") and "-old-" not in self.name:
            raise OSError(28, "No space left on device")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_the_new_image)
    with pytest.raises(OSError, match="No space left"):
        write_image(tmp_path / "shop01", snapshot_of(_state()), host="shop01", taken=taken)
    assert earlier.joinpath("D", "Isotools", "ok", "synchro.bat").read_bytes() == b"ok\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["shop01"]


def test_a_sensitive_script_leaves_the_server_as_its_hash_only_and_every_file_is_the_owners_alone(server: Harness, tmp_path: Path) -> None:
    secret = "@echo off\nsynchro.exe --token Sn4psh0t-T0ken\n"
    marked = copy.deepcopy(jobs())
    marked[0]["script"] = {"content": secret, "sensitive": True}
    deployed = server.run("win_sync_jobs", {"root": ROOT, "jobs": marked})
    assert "failed" not in deployed, deployed.get("msg")

    image = image_of(server, tmp_path, marked)
    root = tmp_path / "snapshot"
    written = [path for path in root.rglob("*") if path.is_file()]
    assert all(b"Sn4psh0t-T0ken" not in path.read_bytes() for path in written), "a sensitive script's content was copied"
    script = f"{ROOT}\\stock\\synchro.bat"
    about = json.loads((root / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    assert any(line.startswith(f"file '{script}' is marked sensitive") for line in about["left_out"]), about["left_out"]
    # The image is published as a CI artifact: its files are the owner's alone.
    assert {oct(path.stat().st_mode & 0o777) for path in written} == {"0o600"}
    assert {oct(path.stat().st_mode & 0o777) for path in [root, *root.rglob("*")] if path.is_dir()} == {"0o700"}
    # Its hash, owner and ACL stay: drift compares it as against the server.
    assert compared(image, marked) == compared(server, marked)
    changed = copy.deepcopy(marked)
    changed[0]["script"]["content"] = secret.replace("--token", "--full --token")
    assert compared(image, changed) == compared(server, changed)
    assert [outcome for name, outcome, _changes in compared(image, changed) if name == "Stock"] == ["updated"]
