# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's files the core asks for through its callers (``actions/controller.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.controller import BackupFolder, working_directory_path


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
