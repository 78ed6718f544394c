# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who can change a file or folder on Windows, judged from its owner and its DACL as read.

Both hosts send the raw security of each file and directory (owner SID, whether the DACL is
protected, each access entry: SID, AccessControlType, rights mask, PropagationFlags, inherited); the
rule of who may write lives here only, so a Windows host and the directory host are judged
alike. The rule, as Windows evaluates a DACL (``AccessCheck``), kept on the cautious side:

- only entries that apply to the object itself count (an inherit-only entry applies to its
  children); generic rights are first mapped to the file rights they stand for;
- entries are taken in DACL order, per SID: an allow grants what no earlier deny of that same
  SID took. A deny of one SID never takes rights from another one (a deny for a group does not
  stop a member allowed by name, and the group's other members are unknown here), so a writer
  is never missed because of a deny;
- the owner may always change the DACL (``WRITE_DAC``, hence grant itself anything), unless an
  ``OWNER RIGHTS`` (``S-1-3-4``) entry applies: then the owner has exactly what those entries
  give (Windows Server 2008 and later).

:func:`writers` holds who may change what the object says or who may change it (write data,
append, delete, delete child, change permissions, take ownership); :func:`replacers` who may
swap a folder for another one (rename or delete it or what it holds, or take control of it),
which is what matters for the folders above a file a task runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract._json import ContractError, Fields

__all__ = [
    "ACE_TYPES",
    "FULL_CONTROL",
    "OWNER_RIGHTS_SID",
    "READ_AND_EXECUTE",
    "TRUSTED_INSTALLER_SID",
    "AccessEntry",
    "replacers",
    "writers",
]

OWNER_RIGHTS_SID = "S-1-3-4"
TRUSTED_INSTALLER_SID = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
ACE_TYPES = ("allow", "deny")  # AccessControlType 0 and 1, in that order
_INHERIT_ONLY = 0x2  # PropagationFlags.InheritOnly: the entry applies to the children only

# Access mask bits (winnt.h; FileSystemRights in .NET).
_WRITE_DATA = 0x2  # on a folder: add a file
_APPEND_DATA = 0x4  # on a folder: add a sub-folder
_DELETE_CHILD = 0x40
_DELETE = 0x10000
_WRITE_DAC = 0x40000
_WRITE_OWNER = 0x80000
_GENERIC_ALL = 0x10000000
_GENERIC_EXECUTE = 0x20000000
_GENERIC_WRITE = 0x40000000
_GENERIC_READ = 0x80000000
FULL_CONTROL = 0x1F01FF  # FILE_ALL_ACCESS
READ_AND_EXECUTE = 0x1200A9
# What each generic right means for a file or folder (the file object's generic mapping).
_GENERIC_MAPPING = ((_GENERIC_ALL, FULL_CONTROL), (_GENERIC_WRITE, 0x120116), (_GENERIC_READ, 0x120089), (_GENERIC_EXECUTE, 0x1200A0))
_WRITE_RIGHTS = _WRITE_DATA | _APPEND_DATA | _DELETE_CHILD | _DELETE | _WRITE_DAC | _WRITE_OWNER
_REPLACE_RIGHTS = _DELETE_CHILD | _DELETE | _WRITE_DAC | _WRITE_OWNER


@dataclass(frozen=True)
class AccessEntry:
    """One access control entry of a DACL, as the host read it."""

    sid: str
    allow: bool
    rights: int  # the access mask, unsigned
    inherit_only: bool = False  # applies to the children only, not to the object itself
    inherited: bool = False

    def to_json(self) -> dict[str, object]:
        # As .NET hands an ACE out (FileSystemAccessRule): the numbers, judged in from_json.
        return {
            "sid": self.sid,
            "access_control_type": ACE_TYPES.index("allow" if self.allow else "deny"),
            "rights": self.rights,
            "propagation_flags": _INHERIT_ONLY if self.inherit_only else 0,
            "inherited": self.inherited,
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> AccessEntry:
        fields_ = Fields(data, where)
        sid = fields_.required_sid("sid")
        # An access mask as Windows hands it out (a signed 32-bit integer, GENERIC_READ negative)
        # or unsigned: read unsigned.
        rights = fields_.required_code("rights")
        allow, inherit_only = _kind(fields_)
        return cls(sid="S" + sid.strip()[1:], allow=allow, rights=rights, inherit_only=inherit_only, inherited=fields_.optional_bool("inherited") or False)


def _kind(fields_: Fields) -> tuple[bool, bool]:
    """Whether the entry allows, and whether it applies to the children only, from the raw
    ``access_control_type`` (AccessControlType: 0 Allow, 1 Deny) and ``propagation_flags``
    (PropagationFlags: InheritOnly 2) .NET gives (Microsoft docs); an older host's, and an
    ``acl.json``'s, ``type`` and ``inherit_only`` are read as they are."""
    if fields_.optional_value("access_control_type") is None:
        return fields_.choice("type", ACE_TYPES) == "allow", fields_.optional_bool("inherit_only") or False
    kind = fields_.required_int("access_control_type")
    if not 0 <= kind < len(ACE_TYPES):
        raise ContractError(f"{fields_.at('access_control_type')} must be 0 (Allow) or 1 (Deny), got {kind}")
    return kind == 0, bool((fields_.optional_int("propagation_flags", minimum=0) or 0) & _INHERIT_ONLY)


def writers(owner: str | None, entries: Sequence[AccessEntry]) -> tuple[str, ...]:
    """The SIDs that may write, delete or re-permission the object, sorted."""
    return _holding(_WRITE_RIGHTS, owner, entries)


def replacers(owner: str | None, entries: Sequence[AccessEntry]) -> tuple[str, ...]:
    """The SIDs that may rename or delete a folder or what it holds, or take control of it, sorted."""
    return _holding(_REPLACE_RIGHTS, owner, entries)


def _holding(wanted: int, owner: str | None, entries: Sequence[AccessEntry]) -> tuple[str, ...]:
    rights = _granted(entries)
    owner_rights = [entry for entry in entries if entry.sid == OWNER_RIGHTS_SID and not entry.inherit_only]
    holders = {sid for sid, mask in rights.items() if mask & wanted and sid != OWNER_RIGHTS_SID}
    if owner is not None:
        owner_mask = rights.get(OWNER_RIGHTS_SID, 0) if owner_rights else _WRITE_DAC
        if owner_mask & wanted:
            holders.add(owner)
    return tuple(sorted(holders))


def _granted(entries: Iterable[AccessEntry]) -> dict[str, int]:
    """SID -> the rights its own entries grant it on the object itself, in DACL order."""
    granted: dict[str, int] = {}
    denied: dict[str, int] = {}
    for entry in entries:
        if entry.inherit_only:
            continue
        mask = _mapped(entry.rights)
        if entry.allow:
            granted[entry.sid] = granted.get(entry.sid, 0) | (mask & ~denied.get(entry.sid, 0))
        else:
            denied[entry.sid] = denied.get(entry.sid, 0) | mask
    return granted


def _mapped(rights: int) -> int:
    mask = rights
    for generic, specific in _GENERIC_MAPPING:
        if rights & generic:
            mask = (mask & ~generic) | specific
    return mask
