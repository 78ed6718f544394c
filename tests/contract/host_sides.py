# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a contract test does to a host that the contract has no request for: hold a file open
as another process would, hold the host-wide apply lock, make a junction, create local accounts,
read the event log, the FIPS policy and the PowerShell version.

Each host does it its own way: the directory host on its image (``ROOT/...``), a Windows host
through PowerShell beside the module (``support.winrm_adhoc.AdHocPowerShell``, the inventory's
own connection). What a directory host cannot mirror it refuses with ``pytest.skip`` and the
reason, so the promise is skipped there and checked on Windows.

Each context manager undoes what it did when the block ends (the link removed, the process
stopped, the accounts deleted); ``holding_apply_lock`` yields a holder whose ``saw_probe()``
says, once it let the lock go, whether the probe path existed while it held the lock.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

import pytest

# The host-wide lock of an apply, as docs/host-contract.md names it.
APPLY_MUTEX = "Global\\isotools.shop_sync.apply"
# "System cryptography: Use FIPS compliant algorithms", as the policy writes it (Enabled = 1).
FIPS_POLICY_KEY = "HKLM:\\System\\CurrentControlSet\\Control\\Lsa\\FipsAlgorithmPolicy"
# Ansible.Basic writes a module's options here ("Invoked with", Ansible.Basic.cs LogEvent).
_NO_EVENT_LOG = "the directory host has no Application event log: only a Windows host writes Ansible.Basic's 'Invoked with' entries"
_NO_POWERSHELL = "no PowerShell runs on the directory host: the module's PowerShell version is a Windows host's"
_NO_FIPS = "FIPS is a Windows security policy: the directory host hashes with Python's hashlib"
_NO_SHARE_MODES = (
    "Linux has no share modes, and the directory host's image is read as its owner: a file held open is read all the same"
    " (tests/unit/plugins/plugin_utils/hosts/test_directory_partial.py shows its record for an unreadable file)"
)
_NO_LOCK_WAIT = "the directory host waits on its file lock as long as it takes: only the Windows mutex is given lock_seconds"


# --- the directory host ---------------------------------------------------------------------------


@dataclass
class _ThreadHolder:
    done: threading.Event = field(default_factory=threading.Event)
    seen: list[bool] = field(default_factory=list)

    def saw_probe(self) -> bool:
        assert self.done.wait(120), "the lock holder never let go"
        return self.seen[0]


@dataclass(frozen=True)
class DirectorySide:
    """A directory host's image at ``root`` (``D:\\x`` is ``ROOT/D/x``)."""

    root: Path

    def image_path(self, windows_path: str) -> Path:
        path = PureWindowsPath(windows_path)
        return self.root.joinpath(path.drive.rstrip(":"), *path.parts[1:])

    @contextmanager
    def make_junction(self, link: str, target: str) -> Iterator[None]:
        # A symbolic link in the image is the directory host's reparse point (docs/directory-host.md).
        self.image_path(link).symlink_to(self.image_path(target), target_is_directory=True)
        yield

    @contextmanager
    def unreadable(self, path: str) -> Iterator[None]:
        pytest.skip(_NO_SHARE_MODES)
        yield

    @contextmanager
    def replace_fails(self, path: str) -> Iterator[None]:
        # faults.json: the write fails at the moment of the replace, as Windows' ReplaceFile does.
        (self.root / "faults.json").write_text(json.dumps([{"change": path, "fault": "access_denied"}]), encoding="utf-8")
        try:
            yield
        finally:
            (self.root / "faults.json").unlink(missing_ok=True)

    @contextmanager
    def holding_apply_lock(self, seconds: int, probe: str) -> Iterator[LockHolder]:
        # The directory host's apply lock is an exclusive flock on ROOT/.lock; a thread holds it.
        holder = _ThreadHolder()
        held = threading.Event()

        def hold() -> None:
            descriptor = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                held.set()
                time.sleep(seconds)
                holder.seen.append(self.image_path(probe).exists())
            finally:
                os.close(descriptor)
                holder.done.set()

        thread = threading.Thread(target=hold, daemon=True)
        thread.start()
        assert held.wait(30), "the lock holder never took the lock"
        try:
            yield holder
        finally:
            thread.join(seconds + 30)

    @contextmanager
    def local_accounts(self) -> Iterator[tuple[str, str]]:
        # Declared as Windows names them: the user as this computer's (HOSTNAME\x, the
        # directory host's default hostname), the group bare. The SIDs are invented.
        unique = uuid.uuid4().hex[:6]
        user, group = f"ssu{unique}", f"ssg{unique}"
        accounts = self.root / "accounts.json"
        declared = json.loads(accounts.read_text(encoding="utf-8")) if accounts.exists() else {}
        declared.update({f"DIRECTORY-HOST\\{user}": "S-1-5-21-1004336348-1177238915-682003330-1201", group: "S-1-5-21-1004336348-1177238915-682003330-1202"})
        accounts.write_text(json.dumps(declared), encoding="utf-8")
        yield user, group

    def names_in(self, directory: str) -> list[str]:
        return sorted(os.listdir(self.image_path(directory)))

    def fips_policy(self) -> tuple[bool | None, bool]:
        pytest.skip(_NO_FIPS)

    def powershell_version(self) -> tuple[int, int]:
        pytest.skip(_NO_POWERSHELL)

    def event_log_mark(self) -> int:
        pytest.skip(_NO_EVENT_LOG)

    def module_log_entries(self, since: int) -> list[str]:
        pytest.skip(_NO_EVENT_LOG)

    def skip_lock_wait(self) -> None:
        pytest.skip(_NO_LOCK_WAIT)


# --- a Windows host -------------------------------------------------------------------------------


def ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _encoded_command(script: str) -> str:
    # powershell.exe -EncodedCommand takes UTF-16LE in base64.
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


@dataclass(frozen=True)
class _ProcessHolder:
    powershell: Callable[[str], Any]
    result: str
    seconds: int

    def saw_probe(self) -> bool:
        said = self.powershell(
            f"$deadline = [DateTime]::UtcNow.AddSeconds({self.seconds + 60}); "
            f"while (-not (Test-Path -LiteralPath {ps_quote(self.result)})) {{ "
            "if ([DateTime]::UtcNow -gt $deadline) { throw 'the lock holder never let go' }; Start-Sleep -Milliseconds 250 }; "
            f"@{{ seen = [IO.File]::ReadAllText({ps_quote(self.result)}).Trim() }}"
        )
        return bool(said["seen"] == "True")


@dataclass(frozen=True)
class WindowsSide:
    """A real host, through PowerShell run beside the module on the inventory's connection.

    A process that must outlive one WinRM command (a file held open, the mutex held) is started
    through WMI's ``Win32_Process.Create``, outside the WinRM shell's job object that ends every
    process of the shell with it, and stopped by its id.
    """

    powershell: Callable[[str], Any]
    scratch: str  # a directory of this test's own, for the helper's marker files
    expected_powershell: str | None = None  # SHOP_SYNC_WINRM_POWERSHELL: 5.1 or 7, as the inventory's endpoint runs it

    def _start(self, script: str, marker: str) -> int:
        command = f"powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand {_encoded_command(script)}"
        started = self.powershell(
            f"$null = New-Item -ItemType Directory -Force -Path {ps_quote(self.scratch)}; "
            f"$created = Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{{ CommandLine = {ps_quote(command)} }}; "
            "if ($created.ReturnValue -ne 0) { throw ('Win32_Process.Create returned ' + $created.ReturnValue) }; "
            "$deadline = [DateTime]::UtcNow.AddSeconds(60); "
            f"while (-not (Test-Path -LiteralPath {ps_quote(marker)})) {{ "
            "if ([DateTime]::UtcNow -gt $deadline) { Stop-Process -Id $created.ProcessId -Force; throw 'the helper process never got ready' }; "
            "Start-Sleep -Milliseconds 250 }; "
            "@{ pid = [int]$created.ProcessId }"
        )
        return int(started["pid"])

    def _stop(self, pid: int) -> None:
        self.powershell(f"Stop-Process -Id {pid} -Force -ErrorAction SilentlyContinue; Start-Sleep -Milliseconds 500; @{{ stopped = {pid} }}")

    def _marker(self, what: str) -> str:
        return f"{self.scratch}\\{what}-{uuid.uuid4().hex[:8]}"

    @contextmanager
    def _holding_open(self, path: str, share: str) -> Iterator[None]:
        marker = self._marker("held")
        pid = self._start(
            f"$file = [IO.File]::Open({ps_quote(path)}, 'Open', 'Read', '{share}'); "
            f"[IO.File]::WriteAllText({ps_quote(marker)}, 'held'); Start-Sleep -Seconds 900",
            marker,
        )
        try:
            yield
        finally:
            self._stop(pid)

    @contextmanager
    def make_junction(self, link: str, target: str) -> Iterator[None]:
        self.powershell(f"$null = New-Item -ItemType Junction -Path {ps_quote(link)} -Target {ps_quote(target)}; @{{ made = {ps_quote(link)} }}")
        try:
            yield
        finally:
            # Directory.Delete of a junction removes the link, never what it points to.
            self.powershell(f"if (Test-Path -LiteralPath {ps_quote(link)}) {{ [IO.Directory]::Delete({ps_quote(link)}) }}; @{{ removed = {ps_quote(link)} }}")

    @contextmanager
    def unreadable(self, path: str) -> Iterator[None]:
        # Opened without sharing, as a running synchro.bat's writer may hold its file.
        with self._holding_open(path, "None"):
            yield

    @contextmanager
    def replace_fails(self, path: str) -> Iterator[None]:
        # Held open for reading, sharing reads only: the hash check still reads it, and
        # ReplaceFile, which must delete the target, fails with a sharing violation.
        with self._holding_open(path, "Read"):
            yield

    @contextmanager
    def holding_apply_lock(self, seconds: int, probe: str) -> Iterator[LockHolder]:
        marker, result = self._marker("locked"), self._marker("probe")
        pid = self._start(
            f"$mutex = [Threading.Mutex]::new($false, {ps_quote(APPLY_MUTEX)}); "
            "try { $null = $mutex.WaitOne() } catch [Threading.AbandonedMutexException] { $null = $_ }; "
            f"[IO.File]::WriteAllText({ps_quote(marker)}, 'held'); Start-Sleep -Seconds {seconds}; "
            f"[IO.File]::WriteAllText({ps_quote(result)}, [string](Test-Path -LiteralPath {ps_quote(probe)})); $mutex.ReleaseMutex()",
            marker,
        )
        try:
            yield _ProcessHolder(self.powershell, result, seconds)
        finally:
            self._stop(pid)

    @contextmanager
    def local_accounts(self) -> Iterator[tuple[str, str]]:
        # A local user (its password made on the host and never sent) and a local group, through
        # the WinNT provider, deleted afterwards.
        unique = uuid.uuid4().hex[:6]
        user, group = f"ssu{unique}", f"ssg{unique}"
        self.powershell(
            "$computer = [ADSI]('WinNT://' + $env:COMPUTERNAME + ',computer'); "
            f"$user = $computer.Create('User', {ps_quote(user)}); $user.SetPassword([Guid]::NewGuid().ToString('N') + 'Aa1!'); $user.SetInfo(); "
            f"$group = $computer.Create('Group', {ps_quote(group)}); $group.SetInfo(); @{{ made = {ps_quote(user)} }}"
        )
        try:
            yield user, group
        finally:
            self.powershell(
                "$computer = [ADSI]('WinNT://' + $env:COMPUTERNAME + ',computer'); "
                f"$computer.Delete('User', {ps_quote(user)}); $computer.Delete('Group', {ps_quote(group)}); @{{ removed = {ps_quote(user)} }}"
            )

    def names_in(self, directory: str) -> list[str]:
        said = self.powershell(f"@{{ names = [string[]]@(Get-ChildItem -LiteralPath {ps_quote(directory)} -Force -Name) }}")
        return sorted(said["names"] or [])

    def fips_policy(self) -> tuple[bool | None, bool]:
        """The policy as the registry sets it (``None``: not set), and whether .NET enforces it."""
        said = self.powershell(
            f"$policy = Get-ItemProperty -LiteralPath {ps_quote(FIPS_POLICY_KEY)} -Name Enabled -ErrorAction SilentlyContinue; "
            "@{ enabled = $(if ($null -eq $policy) { $null } else { [int]$policy.Enabled -ne 0 }); "
            "enforced = [bool][Security.Cryptography.CryptoConfig]::AllowOnlyFipsAlgorithms }"
        )
        return said["enabled"], bool(said["enforced"])

    def powershell_version(self) -> tuple[int, int]:
        said = self.powershell("@{ major = $PSVersionTable.PSVersion.Major; minor = $PSVersionTable.PSVersion.Minor }")
        return int(said["major"]), int(said["minor"])

    def event_log_mark(self) -> int:
        said = self.powershell(
            "$newest = Get-WinEvent -LogName Application -MaxEvents 1 -ErrorAction SilentlyContinue; "
            "@{ mark = $(if ($newest) { [long]$newest.RecordId } else { 0 }) }"
        )
        return int(said["mark"])

    def module_log_entries(self, since: int) -> list[str]:
        """The Application log's messages after ``since`` that name win_sync_host (Ansible.Basic
        writes "<module> - Invoked with: ..." under the source Ansible, else Application)."""
        said = self.powershell(
            f"$events = @(Get-WinEvent -LogName Application -FilterXPath '*[System[EventRecordID > {since}]]' -ErrorAction SilentlyContinue); "
            # An entry whose source has no message file renders no Message: its text is then the
            # insertion strings (EventLog.WriteEntry writes the message as one).
            "$texts = @($events | ForEach-Object { if ($_.Message) { $_.Message } else { (@($_.Properties | ForEach-Object { $_.Value }) -join ' ') } }); "
            "@{ messages = [string[]]@($texts | Where-Object { $_ -like '*win_sync_host*' }) }"
        )
        return list(said["messages"] or [])

    def skip_lock_wait(self) -> None:
        return None


HostSide = DirectorySide | WindowsSide
LockHolder = _ThreadHolder | _ProcessHolder
