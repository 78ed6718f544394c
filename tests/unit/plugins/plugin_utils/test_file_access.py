# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may write a file or folder, judged from its owner and DACL: one rule for both hosts.

The DACLs are invented, each the shape a Windows folder or file takes (icacls words in the ids).
"""

from __future__ import annotations

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ContractError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract.file_access import (
    FULL_CONTROL,
    OWNER_RIGHTS_SID,
    READ_AND_EXECUTE,
    TRUSTED_INSTALLER_SID,
    AccessEntry,
    replacers,
    writers,
)

ADMINISTRATORS, SYSTEM, USERS, EVERYONE = "S-1-5-32-544", "S-1-5-18", "S-1-5-32-545", "S-1-1-0"
CLERK = "S-1-5-21-1180699209-877415012-3182924384-1001"  # an ordinary local user
MODIFY = 0x1301BF
APPEND_DATA, WRITE_DAC, DELETE = 0x4, 0x40000, 0x10000
GENERIC_WRITE, GENERIC_ALL, GENERIC_READ = 0x40000000, 0x10000000, 0x80000000


def allow(sid: str, rights: int, **flags: bool) -> AccessEntry:
    return AccessEntry(sid, True, rights, **flags)


def deny(sid: str, rights: int, **flags: bool) -> AccessEntry:
    return AccessEntry(sid, False, rights, **flags)


HARDENED = (allow(ADMINISTRATORS, FULL_CONTROL), allow(SYSTEM, FULL_CONTROL))
# (id, owner, DACL, writers, replacers)
CASES: list[tuple[str, str | None, tuple[AccessEntry, ...], tuple[str, ...], tuple[str, ...]]] = [
    ("hardened", ADMINISTRATORS, HARDENED, (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
    ("users-modify", ADMINISTRATORS, (*HARDENED, allow(USERS, MODIFY)), (ADMINISTRATORS, SYSTEM, USERS), (ADMINISTRATORS, SYSTEM, USERS)),
    ("users-read-execute", ADMINISTRATORS, (*HARDENED, allow(USERS, READ_AND_EXECUTE)), (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
    # D:\ as formatted: Users may add folders (AD), which lets nobody swap an existing one.
    ("users-add-folder", ADMINISTRATORS, (*HARDENED, allow(USERS, READ_AND_EXECUTE | APPEND_DATA)), (ADMINISTRATORS, SYSTEM, USERS), (ADMINISTRATORS, SYSTEM)),
    ("users-write-children-only", ADMINISTRATORS, (*HARDENED, allow(USERS, MODIFY, inherit_only=True)), (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
    ("generic-write", ADMINISTRATORS, (*HARDENED, allow(EVERYONE, GENERIC_WRITE)), (ADMINISTRATORS, SYSTEM, EVERYONE), (ADMINISTRATORS, SYSTEM)),
    ("generic-all", ADMINISTRATORS, (*HARDENED, allow(EVERYONE, GENERIC_ALL)), (ADMINISTRATORS, SYSTEM, EVERYONE), (ADMINISTRATORS, SYSTEM, EVERYONE)),
    ("generic-read", ADMINISTRATORS, (*HARDENED, allow(EVERYONE, GENERIC_READ)), (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
    ("change-permissions-only", ADMINISTRATORS, (*HARDENED, allow(CLERK, WRITE_DAC)), (ADMINISTRATORS, SYSTEM, CLERK), (ADMINISTRATORS, SYSTEM, CLERK)),
    ("delete-only", ADMINISTRATORS, (*HARDENED, allow(CLERK, DELETE)), (ADMINISTRATORS, SYSTEM, CLERK), (ADMINISTRATORS, SYSTEM, CLERK)),
    # The owner keeps WRITE_DAC whatever the DACL says: it can grant itself write again.
    ("owned-by-a-user", CLERK, HARDENED, (ADMINISTRATORS, CLERK, SYSTEM), (ADMINISTRATORS, CLERK, SYSTEM)),
    ("owner-rights-read-only", CLERK, (*HARDENED, allow(OWNER_RIGHTS_SID, READ_AND_EXECUTE)), (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
    ("owner-rights-modify", CLERK, (*HARDENED, allow(OWNER_RIGHTS_SID, MODIFY)), (ADMINISTRATORS, CLERK, SYSTEM), (ADMINISTRATORS, CLERK, SYSTEM)),
    # An inherit-only OWNER RIGHTS entry limits the owners of the children, not this owner.
    (
        "owner-rights-children-only",
        CLERK,
        (*HARDENED, allow(OWNER_RIGHTS_SID, READ_AND_EXECUTE, inherit_only=True)),
        (ADMINISTRATORS, CLERK, SYSTEM),
        (ADMINISTRATORS, CLERK, SYSTEM),
    ),
    (
        "system-file",
        TRUSTED_INSTALLER_SID,
        (allow(TRUSTED_INSTALLER_SID, FULL_CONTROL), allow(ADMINISTRATORS, READ_AND_EXECUTE), allow(USERS, READ_AND_EXECUTE)),
        (TRUSTED_INSTALLER_SID,),
        (TRUSTED_INSTALLER_SID,),
    ),
    ("deny-first", ADMINISTRATORS, (*HARDENED, deny(CLERK, MODIFY), allow(CLERK, MODIFY)), (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
    # Out of canonical order, the allow comes first and wins, as Windows evaluates it.
    (
        "allow-before-deny",
        ADMINISTRATORS,
        (*HARDENED, allow(CLERK, MODIFY), deny(CLERK, MODIFY)),
        (ADMINISTRATORS, SYSTEM, CLERK),
        (ADMINISTRATORS, SYSTEM, CLERK),
    ),
    (
        "deny-generic-write",
        ADMINISTRATORS,
        (*HARDENED, deny(CLERK, GENERIC_WRITE), allow(CLERK, MODIFY)),
        (ADMINISTRATORS, SYSTEM, CLERK),
        (ADMINISTRATORS, SYSTEM, CLERK),
    ),
    # A deny of the group is no deny of a member allowed by name (nor proof of membership).
    (
        "deny-another-sid",
        ADMINISTRATORS,
        (*HARDENED, deny(USERS, MODIFY), allow(CLERK, MODIFY)),
        (ADMINISTRATORS, SYSTEM, CLERK),
        (ADMINISTRATORS, SYSTEM, CLERK),
    ),
    (
        "inherit-only-deny",
        ADMINISTRATORS,
        (*HARDENED, deny(CLERK, MODIFY, inherit_only=True), allow(CLERK, MODIFY)),
        (ADMINISTRATORS, SYSTEM, CLERK),
        (ADMINISTRATORS, SYSTEM, CLERK),
    ),
    ("empty-dacl", CLERK, (), (CLERK,), (CLERK,)),
    ("no-owner-read", None, HARDENED, (ADMINISTRATORS, SYSTEM), (ADMINISTRATORS, SYSTEM)),
]


@pytest.mark.parametrize(("owner", "entries", "expected_writers", "expected_replacers"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_who_may_write_and_who_may_replace(
    owner: str | None, entries: tuple[AccessEntry, ...], expected_writers: tuple[str, ...], expected_replacers: tuple[str, ...]
) -> None:
    assert writers(owner, entries) == tuple(sorted(expected_writers))
    assert replacers(owner, entries) == tuple(sorted(expected_replacers))


def test_an_entry_round_trips_through_json() -> None:
    entry = deny(CLERK, GENERIC_WRITE | GENERIC_READ, inherit_only=True, inherited=True)
    assert entry.to_json() == {"sid": CLERK, "access_control_type": 1, "rights": 0xC0000000, "propagation_flags": 2, "inherited": True}
    assert AccessEntry.from_json(entry.to_json(), "files[0].aces[0]") == entry


@pytest.mark.parametrize(
    ("kind", "propagation", "allow", "inherit_only"),
    [(0, 0, True, False), (1, 0, False, False), (0, 2, True, True), (0, 1, True, False), (1, 3, False, True), (0, None, True, False)],
)
def test_allow_and_inherit_only_are_judged_from_the_raw_enums(kind: int, propagation: int | None, allow: bool, inherit_only: bool) -> None:
    # AccessControlType 0 Allow, 1 Deny; PropagationFlags 1 NoPropagateInherit, 2 InheritOnly.
    entry = AccessEntry.from_json({"sid": USERS, "access_control_type": kind, "rights": 1, "propagation_flags": propagation}, "aces[0]")

    assert (entry.allow, entry.inherit_only) == (allow, inherit_only)


def test_an_older_hosts_named_entry_is_read_as_before() -> None:
    entry = AccessEntry.from_json({"sid": USERS, "type": "deny", "rights": 1, "inherit_only": True}, "aces[0]")

    assert (entry.allow, entry.inherit_only) == (False, True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sid": "Everyone", "type": "allow", "rights": 1}, "files[0].aces[0].sid must be a SID (S-1-5-...), got string 'Everyone'"),
        ({"sid": USERS, "type": "audit", "rights": 1}, "files[0].aces[0].type must be one of"),
        ({"sid": USERS, "type": "allow", "rights": 1 << 32}, "files[0].aces[0].rights"),
        ({"sid": USERS, "type": "allow"}, "files[0].aces[0].rights is required"),
        ({"sid": USERS, "access_control_type": 2, "rights": 1}, "files[0].aces[0].access_control_type must be 0 (Allow) or 1 (Deny), got 2"),
        ({"sid": USERS, "access_control_type": "allow", "rights": 1}, "files[0].aces[0].access_control_type must be an integer"),
    ],
)
def test_a_malformed_entry_is_refused_naming_its_place(data: dict[str, object], message: str) -> None:
    with pytest.raises(ContractError) as raised:
        AccessEntry.from_json(data, "files[0].aces[0]")
    assert str(raised.value).startswith(message)


def test_a_mask_windows_hands_out_signed_is_read_unsigned() -> None:
    # FileSystemAccessRule.FileSystemRights is an int: GENERIC_WRITE | GENERIC_READ is negative
    # there, and the Windows host sends it as it is.
    entry = AccessEntry.from_json({"sid": USERS, "type": "allow", "rights": -(1 << 31) | (1 << 30)}, "aces[0]")

    assert entry.rights == 0xC0000000
    assert writers(None, [entry]) == (USERS,)
