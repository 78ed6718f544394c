# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The owner and DACL of each file and directory of a directory host: ``ROOT/acl.json``.

The file maps Windows paths to their security, as a real server keeps it per object:

    {"d:\\\\isotools\\\\x": {"owner": "S-1-5-21-...-1001", "protected": true,
                          "aces": [{"sid": "S-1-5-18", "type": "allow", "rights": 2032127,
                                    "inherit_only": false}]}}

``rights`` is the access mask (2032127 = FullControl). A list of SIDs is short for a protected
DACL giving each of them FullControl. Like the host's answers, the file holds raw security
only: who may write is judged by the controller (``file_access``).

The owner is a path's own (``owner`` of its entry); without one it is BUILTIN\\Administrators,
who created it (the collection's WinRM session, or an administrator by hand). The DACL is the
path's own entry, else its nearest ancestor's, inherited (an inherit-only entry of the
ancestor applies here); with none at all a path gets what a folder created under ``D:\\`` gets
on a real server, where ordinary users (``BUILTIN\\Users``) may write — the
privilege-escalation risk the collection detects and closes with ``set_acl`` — though not
delete or re-permission it. ``set_acl`` leaves a protected DACL of exactly the SIDs it was
given and BUILTIN\\Administrators as the owner, as the WinRM host does. Under ``C:\\Windows`` and
the program folders, without an entry, TrustedInstaller owns a path and alone with SYSTEM and
Administrators may change it, Users may read and run it, as Windows installs them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import ADMINISTRATORS_SID, SYSTEM_SID, USERS_SID
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract.file_access import (
    FULL_CONTROL,
    READ_AND_EXECUTE,
    TRUSTED_INSTALLER_SID,
    AccessEntry,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import (
    WindowsPath,
    load_json,
    parse_windows_path,
)

__all__ = ["DEFAULT_ACES", "SYSTEM_ACES", "AclBook", "Security", "hardened_entry", "load_acl"]

# Modify without DELETE: what BUILTIN\Users may do in a folder made under D:\ (write, add).
_USERS_WRITE = 0x1201BF
DEFAULT_ACES = (
    AccessEntry(ADMINISTRATORS_SID, True, FULL_CONTROL, inherited=True),
    AccessEntry(SYSTEM_SID, True, FULL_CONTROL, inherited=True),
    AccessEntry(USERS_SID, True, _USERS_WRITE, inherited=True),
)

# C:\Windows and the program folders, as Windows installs them: TrustedInstaller owns them.
_SYSTEM_FOLDERS = ("c:\\windows", "c:\\program files", "c:\\program files (x86)")
SYSTEM_ACES = (
    AccessEntry(TRUSTED_INSTALLER_SID, True, FULL_CONTROL, inherited=True),
    AccessEntry(SYSTEM_SID, True, FULL_CONTROL, inherited=True),
    AccessEntry(ADMINISTRATORS_SID, True, FULL_CONTROL, inherited=True),
    AccessEntry(USERS_SID, True, READ_AND_EXECUTE, inherited=True),
)


@dataclass(frozen=True)
class Security:
    """One path's owner and DACL, as a read returns them."""

    owner: str
    protected: bool
    aces: tuple[AccessEntry, ...]

    def to_json(self) -> dict[str, Any]:
        # Read only for a path reached through no link: the read reports a link instead.
        return {"owner": self.owner, "protected": self.protected, "aces": [entry.to_json() for entry in self.aces], "reparse_point": None}


@dataclass(frozen=True)
class _Entry:
    owner: str | None
    protected: bool
    aces: tuple[AccessEntry, ...]


@dataclass(frozen=True)
class AclBook:
    path: Path
    entries: Mapping[str, _Entry]  # WindowsPath.key -> the path's own security
    stored: Mapping[str, Any]  # WindowsPath.key -> the entry as acl.json holds it

    def security(self, target: WindowsPath) -> Security:
        own = self.entries.get(target.key)
        system = any(target.key == folder or target.key.startswith(folder + "\\") for folder in _SYSTEM_FOLDERS)
        owner = own.owner if own is not None and own.owner else (TRUSTED_INSTALLER_SID if system else ADMINISTRATORS_SID)
        if own is not None:
            return Security(owner, own.protected, own.aces)
        current = target.parent
        while current is not None:
            entry = self.entries.get(current.key)
            if entry is not None:
                inherited = tuple(AccessEntry(ace.sid, ace.allow, ace.rights, inherited=True) for ace in entry.aces)
                return Security(owner, False, inherited)
            current = current.parent
        return Security(owner, False, SYSTEM_ACES if system else DEFAULT_ACES)


def hardened_entry(sids: Sequence[str]) -> dict[str, Any]:
    """What ``set_acl`` leaves: a protected DACL of exactly ``sids``, Administrators the owner."""
    aces = [AccessEntry(sid, True, FULL_CONTROL).to_json() for sid in sorted(set(sids))]
    return {"owner": ADMINISTRATORS_SID, "protected": True, "aces": aces}


def load_acl(path: Path) -> AclBook:
    raw = load_json(path, {})
    if not isinstance(raw, dict):
        raise RequestError(f"{path} must be a JSON object mapping Windows paths to their security (see docs/directory-host.md)")
    entries: dict[str, _Entry] = {}
    stored: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            normalised = parse_windows_path(key).key
            entries[normalised] = _entry(value)
        except (RequestError, ValueError) as error:
            raise RequestError(f"{path}: {key}: {error}") from None
        stored[normalised] = value
    return AclBook(path, entries, stored)


def _entry(value: object) -> _Entry:
    if isinstance(value, list) and all(isinstance(sid, str) for sid in value):
        return _Entry(None, True, tuple(AccessEntry(sid, True, FULL_CONTROL) for sid in value))
    if not isinstance(value, dict):
        raise RequestError("must be a list of SIDs or an object with owner, protected and aces")
    owner = value.get("owner")
    protected = value.get("protected", True)
    aces = value.get("aces", [])
    if (owner is not None and not isinstance(owner, str)) or not isinstance(protected, bool) or not isinstance(aces, list):
        raise RequestError("owner must be a SID, protected true or false, aces a list")
    return _Entry(owner, protected, tuple(AccessEntry.from_json(ace, f"aces[{index}]") for index, ace in enumerate(aces)))
