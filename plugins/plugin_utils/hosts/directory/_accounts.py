# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The accounts of a directory host: Windows' well-known ones plus ``ROOT/accounts.json``.

``accounts.json`` maps ``DOMAIN\\name`` or ``name`` to a SID. Lookups are case-insensitive and
follow ``LookupAccountName`` as far as it matters here: ``name@domain`` is ``DOMAIN\\name``
(the domain's first label is its NetBIOS name), ``.\\name`` and ``HOSTNAME\\name`` are local
accounts, and a bare ``name`` is a well-known or local account, or one of the host's domain
when ``host.json`` names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import WELL_KNOWN_SIDS, is_gmsa_name, is_sid
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import load_json
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe

__all__ = ["AccountBook", "load_accounts"]

# How an English Windows names the well-known SIDs (SecurityIdentifier.Translate).
_WELL_KNOWN_NAMES: Mapping[str, str] = {
    "S-1-5-18": "NT AUTHORITY\\SYSTEM",
    "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE",
    "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
    "S-1-5-32-544": "BUILTIN\\Administrators",
    "S-1-5-32-545": "BUILTIN\\Users",
    "S-1-5-11": "NT AUTHORITY\\Authenticated Users",
    "S-1-1-0": "Everyone",
    "S-1-5-4": "NT AUTHORITY\\INTERACTIVE",
}


@dataclass(frozen=True)
class AccountBook:
    hostname: str
    domain: str | None
    declared: Mapping[str, str]  # lowercased name as declared -> SID
    names: Mapping[str, str] = field(default_factory=dict)  # SID -> its name as first declared

    def known_as(self, name: str) -> tuple[str | None, bool]:
        """The name Windows gives the SID of ``name`` (``SecurityIdentifier.Translate``), or None,
        and whether it is a local group of this computer (the Windows host's ``local_group``).

        A declared ``.\\x`` is this computer's ``x``; a local group is declared without the
        computer's name, as Windows looks one up (Ansible's SID utils), and named back with it,
        as Translate names it: the controller registers it bare again."""
        sid = self.resolve(name)
        if sid is None:
            return None, False
        declared = self.names.get(sid)
        if declared is not None and "\\" not in declared and "@" not in declared:
            return f"{self.hostname}\\{declared}", True
        given = declared or _WELL_KNOWN_NAMES.get(sid) or sid
        return (f"{self.hostname}\\{given[2:]}" if given.startswith(".\\") else given), False

    def is_gmsa(self, name: str) -> bool:
        """Whether ``name`` is a group managed service account: by its spelling, or by the name
        its SID is known as (a gMSA given by its SID), as Windows knows the account whatever names it."""
        known = self.known_as(name)[0]
        return is_gmsa_name(name) or (known is not None and is_gmsa_name(known))

    def resolve(self, name: str) -> str | None:
        """The SID of ``name`` (any spelling), or ``None`` when Windows would find no account."""
        text = name.strip()
        if not text:
            return None
        if is_sid(text):
            sid = "S" + text[1:]
            return sid if sid in WELL_KNOWN_SIDS.values() or sid in self.declared.values() else None
        lowered = text.lower()
        known = WELL_KNOWN_SIDS.get(lowered)
        if known is not None:
            return known
        return next((self.declared[key] for key in self._candidates(lowered) if key in self.declared), None)

    def _candidates(self, lowered: str) -> tuple[str, ...]:
        host = self.hostname.lower()
        if "\\" in lowered:
            domain, user = lowered.split("\\", 1)
            if domain in (".", host):
                return (f"{host}\\{user}", user)
            return (lowered,)
        if "@" in lowered:
            user, domain = lowered.rsplit("@", 1)
            netbios = domain.split(".", 1)[0]
            return (f"{domain}\\{user}", f"{netbios}\\{user}")
        candidates = [f"{host}\\{lowered}", lowered]
        if self.domain:
            candidates.append(f"{self.domain.lower()}\\{lowered}")
        return tuple(candidates)


def load_accounts(path: Path, hostname: str, domain: str | None) -> AccountBook:
    """The accounts declared in ``path`` (absent: only the well-known ones)."""
    raw = load_json(path, {})
    if not isinstance(raw, dict):
        raise RequestError(f"{path} must be a JSON object mapping account names to SIDs")
    declared: dict[str, str] = {}
    names: dict[str, str] = {}
    for name, sid in raw.items():
        if not isinstance(sid, str) or not is_sid(sid):
            raise RequestError(f"{path}: account '{name}' maps to {describe(sid)}, which is not a SID (S-1-5-21-...)")
        declared[name.strip().lower()] = "S" + sid.strip()[1:]
        names.setdefault("S" + sid.strip()[1:], name.strip())
    return AccountBook(hostname=hostname, domain=domain, declared=declared, names=names)
