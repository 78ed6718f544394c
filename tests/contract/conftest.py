# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hosts the contract tests run against: the directory host always, a real Windows host
when one is configured.

A real host is used when ``SHOP_SYNC_WINRM_INVENTORY`` names an inventory, reached through
``host_from_inventory(inventory, host)`` of ``tests/support/winrm_adhoc.py``
(``SHOP_SYNC_WINRM_HOST`` picks the host, default the inventory's first). Each test then works
in its own task folder ``t<random>`` under ``SHOP_SYNC_WINRM_TASK_FOLDER`` (default
``\\ShopSyncContract``) and directory under ``SHOP_SYNC_WINRM_BASE_DIR`` (default
``C:\\ShopSyncContract``); the tasks it registered are
deleted afterwards (empty folders stay: the contract has no change that removes one). Password
logons need ``SHOP_SYNC_WINRM_TEST_USER`` and ``SHOP_SYNC_WINRM_TEST_PASSWORD``, the gMSA
registration ``SHOP_SYNC_WINRM_TEST_GMSA`` (``DOMAIN\\name$``, one the host may use), the
history's availability ``SHOP_SYNC_WINRM_HISTORY_LOG`` (``on``/``off``, as the log is set), the
host's ``%SystemRoot%`` ``SHOP_SYNC_WINRM_SYSTEM_ROOT`` (default ``C:\\Windows``: where the
corrupt-task test finds the file of the task it corrupts), the PowerShell the inventory's
endpoint runs ``SHOP_SYNC_WINRM_POWERSHELL`` (``5.1`` or ``7``: checked when set). What a test does
to the host beyond the contract goes through ``host.side`` (``host_sides.py``): PowerShell run
beside the module on a real host (``powershell_from_inventory``), the image on the directory host.

Every response goes through the typed contract (``contract/``) before a test sees it, so a
host answering a malformed message fails every test.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from host_samples import delete
from host_sides import DirectorySide, WindowsSide
from host_under_test import HostUnderTest
from support.directory_faults import FaultyDirectoryHost
from support.winrm_adhoc import AdHocPowerShell, host_from_inventory, powershell_from_inventory

# The directory host's own account for password logons; it accepts any non-empty password.
_DIRECTORY_USER = "SHOPSYNC\\svc_contract"
_DIRECTORY_USER_SID = "S-1-5-21-1004336348-1177238915-682003330-1104"
# Invented, like the account above: a gMSA of the directory host's domain.
_DIRECTORY_GMSA = "SHOPSYNC\\gmsa_sync$"
_DIRECTORY_GMSA_SID = "S-1-5-21-1004336348-1177238915-682003330-1105"


@pytest.fixture(params=["directory", "winrm"])
def host(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HostUnderTest]:
    if request.param == "directory":
        yield _directory_host(tmp_path)
    else:
        yield from _windows_host()


def _directory_host(tmp_path: Path) -> HostUnderTest:
    root = tmp_path / "image"
    (root / "D").mkdir(parents=True)
    (root / "accounts.json").write_text(json.dumps({_DIRECTORY_USER: _DIRECTORY_USER_SID, _DIRECTORY_GMSA: _DIRECTORY_GMSA_SID}), encoding="utf-8")
    # The faults of its faults.json (what host_sides.DirectorySide plants), as the tests' directory hosts.
    directory_host = FaultyDirectoryHost(root)

    def script_exits(task: str, exit_code: int) -> None:
        (root / "outcomes.json").write_text(json.dumps({task: {"exit_code": exit_code}}), encoding="utf-8")

    return HostUnderTest(
        kind="directory",
        send=directory_host.call,
        folder="\\ShopSyncContract",
        base_dir="D:\\ShopSyncContract",
        user=_DIRECTORY_USER,
        password="contract-test-password",
        history_log=True,  # the directory host always keeps its history.jsonl
        gmsa=_DIRECTORY_GMSA,
        script_exits=script_exits,
        side=DirectorySide(root),
    )


def _windows_host() -> Iterator[HostUnderTest]:
    inventory = os.environ.get("SHOP_SYNC_WINRM_INVENTORY")
    if not inventory:
        pytest.skip("no real Windows host: set SHOP_SYNC_WINRM_INVENTORY to an inventory to run the contract against one")
    history_log = _history_log(os.environ.get("SHOP_SYNC_WINRM_HISTORY_LOG"))  # a typo fails before the host is touched
    windows_host = host_from_inventory(inventory, os.environ.get("SHOP_SYNC_WINRM_HOST"))
    powershell = _powershell(inventory, os.environ.get("SHOP_SYNC_WINRM_HOST"))
    unique = f"t{uuid.uuid4().hex[:8]}"
    base = os.environ.get("SHOP_SYNC_WINRM_BASE_DIR", "C:\\ShopSyncContract").rstrip("\\")
    folder = os.environ.get("SHOP_SYNC_WINRM_TASK_FOLDER", "\\ShopSyncContract").rstrip("\\")
    under_test = HostUnderTest(
        kind="winrm",
        send=windows_host.call,
        folder=f"{folder}\\{unique}",
        base_dir=f"{base}\\{unique}",
        user=os.environ.get("SHOP_SYNC_WINRM_TEST_USER"),
        password=os.environ.get("SHOP_SYNC_WINRM_TEST_PASSWORD"),
        history_log=history_log,
        gmsa=os.environ.get("SHOP_SYNC_WINRM_TEST_GMSA"),
        script_exits=lambda _task, _exit_code: None,
        side=WindowsSide(powershell, f"{base}\\{unique}", os.environ.get("SHOP_SYNC_WINRM_POWERSHELL") or None),
        system_root=os.environ.get("SHOP_SYNC_WINRM_SYSTEM_ROOT", "C:\\Windows").rstrip("\\"),
    )
    yield under_test
    _delete_tasks_of(under_test)


@functools.cache
def _powershell(inventory: str, host: str | None) -> AdHocPowerShell:
    return powershell_from_inventory(inventory, host)  # one inventory look-up for the whole session


def _history_log(setting: str | None) -> bool | None:
    if setting is None or setting == "":
        return None
    if setting.lower() not in ("on", "off"):
        raise pytest.UsageError(f"SHOP_SYNC_WINRM_HISTORY_LOG={setting!r}: say on or off, as the TaskScheduler Operational log is set")
    return setting.lower() == "on"


def _delete_tasks_of(under_test: HostUnderTest) -> None:
    """Leave the real host without the tasks the test registered."""
    read = under_test.send({"op": "read", "folders": [{"path": under_test.folder, "recurse": True}]})
    deletions = [delete(f"d{index}", task["path"], task["task_hash"]) for index, task in enumerate(read.get("tasks", []))]
    if deletions:
        under_test.send({"op": "apply", "changes": deletions})
