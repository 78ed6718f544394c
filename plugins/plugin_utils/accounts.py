# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows accounts compared by SID, never by spelling.

``NT AUTHORITY\\SYSTEM``, ``SYSTEM`` and ``S-1-5-18`` are one account. Well-known accounts are
resolved from a built-in table; every other name is resolved through the SIDs the host read
returned (``sids``: name as asked -> SID, any spelling, case-insensitive). A name nobody could
resolve is compared by its lowercased spelling, the best that can be done without a SID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ADMINISTRATORS_SID",
    "LOCAL_SERVICE_SID",
    "NETWORK_SERVICE_SID",
    "SERVICE_ACCOUNT_SIDS",
    "SYSTEM_SID",
    "USERS_SID",
    "WELL_KNOWN_SIDS",
    "canonical_account",
    "is_gmsa_name",
    "is_service_account",
    "is_sid",
    "well_known_sid",
]

SYSTEM_SID = "S-1-5-18"
LOCAL_SERVICE_SID = "S-1-5-19"
NETWORK_SERVICE_SID = "S-1-5-20"
ADMINISTRATORS_SID = "S-1-5-32-544"
USERS_SID = "S-1-5-32-545"

# Every spelling Windows accepts for the well-known accounts, lowercased.
WELL_KNOWN_SIDS: Mapping[str, str] = {
    "system": SYSTEM_SID,
    "localsystem": SYSTEM_SID,
    "local system": SYSTEM_SID,
    "nt authority\\system": SYSTEM_SID,
    "local service": LOCAL_SERVICE_SID,
    "localservice": LOCAL_SERVICE_SID,
    "nt authority\\local service": LOCAL_SERVICE_SID,
    "nt authority\\localservice": LOCAL_SERVICE_SID,
    "network service": NETWORK_SERVICE_SID,
    "networkservice": NETWORK_SERVICE_SID,
    "nt authority\\network service": NETWORK_SERVICE_SID,
    "nt authority\\networkservice": NETWORK_SERVICE_SID,
    "users": USERS_SID,
    "builtin\\users": USERS_SID,
    "administrators": ADMINISTRATORS_SID,
    "builtin\\administrators": ADMINISTRATORS_SID,
    "authenticated users": "S-1-5-11",
    "nt authority\\authenticated users": "S-1-5-11",
    "everyone": "S-1-1-0",
    "interactive": "S-1-5-4",
    "nt authority\\interactive": "S-1-5-4",
}

# The accounts Task Scheduler runs as a service (TASK_LOGON_SERVICE_ACCOUNT): no password.
SERVICE_ACCOUNT_SIDS = frozenset({SYSTEM_SID, LOCAL_SERVICE_SID, NETWORK_SERVICE_SID})

_SID = re.compile(r"^[sS]-1(-\d+)+$")
_NO_SIDS: Mapping[str, str] = MappingProxyType({})


def is_sid(name: str) -> bool:
    """``S-1-5-18`` and the like (any letter case), as Windows writes a SID in text."""
    return bool(_SID.match(name.strip()))


def well_known_sid(name: str) -> str | None:
    """The SID of a well-known account name or SID, or ``None`` for any other account."""
    text = name.strip()
    if is_sid(text):
        sid = "S" + text[1:]
        return sid if sid in WELL_KNOWN_SIDS.values() else None
    return WELL_KNOWN_SIDS.get(text.lower())


def canonical_account(name: str, sids: Mapping[str, str] = _NO_SIDS) -> str:
    """The form two spellings of one account share: its SID, else ``name:<lowercased name>``.

    ``sids`` maps names as the host was asked about them to their SIDs.
    """
    text = name.strip()
    if is_sid(text):
        return "S" + text[1:]
    known = WELL_KNOWN_SIDS.get(text.lower())
    if known:
        return known
    lowered = text.lower()
    for asked, sid in sids.items():
        if asked.strip().lower() == lowered and sid:
            return "S" + sid.strip()[1:]
    return "name:" + lowered


def is_service_account(name: str) -> bool:
    """SYSTEM, LOCAL SERVICE or NETWORK SERVICE, in any spelling."""
    return canonical_account(name) in SERVICE_ACCOUNT_SIDS


def is_gmsa_name(account: str) -> bool:
    """Whether ``account`` names a group managed service account, in any of its spellings:
    ``gmsa$``, ``DOMAIN\\gmsa$`` or ``gmsa$@domain`` (a gMSA's sAMAccountName ends in ``$``).
    A SID says nothing by itself: the host's read resolves it."""
    name = account.rpartition("\\")[2]
    if "@" in name:
        name = name.partition("@")[0]
    return name.endswith("$")
