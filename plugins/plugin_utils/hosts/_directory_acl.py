# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may write a file or directory of a directory host: ``ROOT/acl.json``.

The file maps lowercase Windows paths to the SIDs that may write, change permissions or take
ownership. A path without an entry inherits from its nearest ancestor that has one, as an
inheriting DACL does; with none at all it gets what a folder created under ``D:\\`` gets on a
real server, where ordinary users (``BUILTIN\\Users``) may write — the privilege-escalation
risk the collection detects and closes with ``set_acl``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import ADMINISTRATORS_SID, SYSTEM_SID, USERS_SID
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts._directory_errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts._directory_store import (
    WindowsPath,
    load_json,
    parse_windows_path,
)

__all__ = ["DEFAULT_WRITERS", "AclBook", "load_acl"]

DEFAULT_WRITERS = (ADMINISTRATORS_SID, SYSTEM_SID, USERS_SID)


@dataclass(frozen=True)
class AclBook:
    path: Path
    entries: Mapping[str, tuple[str, ...]]  # WindowsPath.key -> writer SIDs

    def writers(self, target: WindowsPath) -> list[str]:
        """The SIDs that may write ``target``, sorted: its own entry, or the nearest ancestor's."""
        current: WindowsPath | None = target
        while current is not None:
            entry = self.entries.get(current.key)
            if entry is not None:
                return sorted(entry)
            current = current.parent
        return sorted(DEFAULT_WRITERS)


def load_acl(path: Path) -> AclBook:
    raw = load_json(path, {})
    if not isinstance(raw, dict) or not all(isinstance(sids, list) and all(isinstance(sid, str) for sid in sids) for sids in raw.values()):
        raise RequestError(f"{path} must be a JSON object mapping Windows paths to lists of SIDs")
    entries: dict[str, tuple[str, ...]] = {}
    for key, sids in raw.items():
        try:
            entries[parse_windows_path(key).key] = tuple(sids)
        except RequestError as error:
            raise RequestError(f"{path}: {error}") from None
    return AclBook(path, entries)
