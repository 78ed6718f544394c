# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's files the core asks for through its callers (``actions/controller.py``)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.controller import BackupFolder, working_directory_path, write_atomically


def test_a_backup_is_written_where_the_run_names_it_readable_by_the_controller_s_user_only(tmp_path: Path) -> None:
    folder = BackupFolder(str(tmp_path / "backups"))
    written = folder.write(("shop01", "20261203T175600.000000Z", "Synchro Stock.xml"), b"<Task/>")
    assert written == str(tmp_path / "backups" / "shop01" / "20261203T175600.000000Z" / "Synchro Stock.xml")
    assert Path(written).read_bytes() == b"<Task/>"
    assert Path(written).stat().st_mode & 0o777 == 0o600
    assert Path(written).parent.stat().st_mode & 0o777 == 0o700


def test_a_file_an_earlier_run_left_is_replaced_and_made_private(tmp_path: Path) -> None:
    earlier = tmp_path / "shop01" / "synchro.bat"
    earlier.parent.mkdir()
    earlier.write_bytes(b"an earlier, longer content\r\n")
    earlier.chmod(0o644)
    written = BackupFolder(str(tmp_path)).write(("shop01", "synchro.bat"), b"@echo off\r\n")
    assert Path(written).read_bytes() == b"@echo off\r\n"
    assert Path(written).stat().st_mode & 0o777 == 0o600


def test_a_relative_path_is_taken_from_where_ansible_playbook_runs_and_home_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert working_directory_path("production") == str(tmp_path / "production")
    assert working_directory_path("~/inventory") == str(tmp_path / "home" / "inventory")
    assert working_directory_path(os.sep + "srv") == os.sep + "srv"


_FILE_SIZE_LIMIT = 16


def _write_with_a_full_disk(call: str) -> subprocess.CompletedProcess[str]:
    """``call`` (Python, with ``controller`` imported) in a child process whose writes beyond
    16 bytes fail as on a full disk (EFBIG from the kernel, a real fault); a child because the
    limit holds for every file of the process, pytest's own output included."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (_FILE_SIZE_LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    code = f"from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions import controller\n{call}"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-c", code], env=environment, preexec_fn=limited, capture_output=True, text=True, check=False)


def test_a_backup_that_cannot_be_written_whole_leaves_the_earlier_file_and_no_part(tmp_path: Path) -> None:
    earlier = tmp_path / "shop01" / "synchro.bat"
    earlier.parent.mkdir()
    earlier.write_bytes(b"@echo off\r\n")
    child = _write_with_a_full_disk(f"controller.BackupFolder({str(tmp_path)!r}).write(('shop01', 'synchro.bat'), b'x' * {_FILE_SIZE_LIMIT * 4})")
    assert "File too large" in child.stderr, child.stderr
    assert earlier.read_bytes() == b"@echo off\r\n"
    assert sorted(path.name for path in earlier.parent.iterdir()) == ["synchro.bat"]


def test_a_report_that_cannot_be_written_whole_leaves_the_earlier_report(tmp_path: Path) -> None:
    earlier = tmp_path / "report.md"
    earlier.write_text("# in sync\n")
    child = _write_with_a_full_disk(f"controller.write_atomically({str(earlier)!r}, b'x' * {_FILE_SIZE_LIMIT * 4}, mode=0o644)")
    assert "File too large" in child.stderr, child.stderr
    assert earlier.read_text() == "# in sync\n"
    assert [path.name for path in tmp_path.iterdir()] == ["report.md"]
    write_atomically(str(earlier), b"# drift\n", mode=0o644)
    assert earlier.read_text() == "# drift\n" and earlier.stat().st_mode & 0o777 == 0o644
