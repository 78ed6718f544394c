# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one failure does not take down: a read with one unreadable file, an apply stopped
between two changes. The Windows host does the same (a try per record, and the rest of an
apply reported ``skipped``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from directory_host_support import SCRIPT, SCRIPT_DIR, install_seed, new_image
from host_samples import b64, statuses
from support.directory_faults import FaultsFile

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import contract


def test_a_file_that_cannot_be_read_is_reported_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image = new_image(tmp_path)
    install_seed(image)
    other = SCRIPT_DIR + "\\other.bat"
    image.call({"op": "apply", "changes": [{"id": "w", "kind": "write_file", "path": other, "content_base64": b64(b"rem\r\n"), "expected_hash": None}]})
    real_read_bytes = Path.read_bytes

    def locked(path: Path) -> bytes:
        # Invented: a file another process holds open without sharing, as a sync in progress does.
        if path.name == "synchro.bat":
            raise PermissionError(13, "The process cannot access the file because it is being used by another process", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", locked)

    response = image.call({"op": "read", "files": [SCRIPT, other], "directories": [SCRIPT_DIR]})

    unreadable, readable = response["files"]
    # Only whether it exists and why, as the Windows host sends it: no hash, no security.
    assert set(unreadable) == {"path", "exists", "error"}
    assert (unreadable["path"], unreadable["exists"]) == (SCRIPT, True)
    assert unreadable["error"].startswith("Access is denied.")
    assert readable["file_hash"] and "error" not in readable
    parsed = contract.ReadResult.from_json(response)
    assert parsed.file(SCRIPT) is not None and parsed.file(SCRIPT).error == unreadable["error"]  # type: ignore[union-attr]


def test_an_apply_stopped_between_changes_returns_what_was_done_and_skips_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image = new_image(tmp_path)
    real_take = FaultsFile.__call__

    def failing_take(self: Any, change: Any) -> Any:
        if change["id"] == "b":
            raise OSError(5, "Access is denied", "faults.json")  # invented: the host fails between two changes
        return real_take(self, change)

    monkeypatch.setattr(FaultsFile, "__call__", failing_take)
    changes = [{"id": name, "kind": "create_folder", "path": f"\\{name}"} for name in ("a", "b", "c")]

    response = image.call({"op": "apply", "changes": changes})

    # What was done, and why the rest was not reached: the controller counts that rest skipped.
    assert statuses(response) == {"a": "applied"}
    assert "Access is denied" in response["stopped"]
    parsed = contract.ApplyResult.from_json(response)
    rest = [parsed.result(change_id) for change_id in ("b", "c")]
    assert [(result.status, "Access is denied" in (result.message or "")) for result in rest if result is not None] == [("skipped", True)] * 2
    assert image.tasks_dir("a").is_dir()


@pytest.mark.parametrize("lock_seconds", [0, "300", True])
def test_an_apply_with_a_wait_the_mutex_cannot_take_fails_whole(tmp_path: Path, lock_seconds: object) -> None:
    image = new_image(tmp_path)

    response = image.call({"op": "apply", "changes": [], "lock_seconds": lock_seconds})

    assert response["failed"] is True and "'lock_seconds' must be a positive integer" in response["msg"]
