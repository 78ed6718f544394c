# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which folders the collection owns: the only places it writes files, creates folders, sets ACLs.

One rule, called by both validators (the role's ``jobs.inventory`` and the actions'
``jobs.desired``) and by the plan, through which every write and ACL change goes:

- a folder the collection changes is a literal drive path (``D:\\Isotools\\...``): no
  ``%VARIABLE%`` (expanded on the host, to anything), no UNC share (another machine's ACL), no
  8.3 short name (``PROGRA~1`` is Program Files), and every name as Windows' naming rules have
  it (:mod:`windows_paths`: no ``.``/``..``, no name ending in a dot or a space, which Windows
  drops: ``Windows.`` is ``Windows``, no device name);
- it is never a drive root, nor the Windows directory, Program Files, ProgramData, Users (every
  profile) or another folder Windows keeps for itself, on any drive, nor anything under them;
- when the owned root is known (the role's ``shop_sync_root``, win_sync_jobs' ``root``), it is
  that root or under it; when it is not, a job owns exactly its own working directory.

A job that only *starts* in a folder it does not own (no script written there) is accepted: the
folder is part of the task, compared like any other field, and never created nor locked down.
"""

from __future__ import annotations

import re

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.windows_paths import is_drive_path, path_problem

__all__ = ["PROTECTED_FOLDERS", "is_under", "owned_folder_problem", "protected_folder_reason", "root_problem"]

# Top-level folders of a Windows drive that belong to Windows, its installers or its users. A
# protected DACL set on one of them, or on anything under them, breaks the server.
PROTECTED_FOLDERS = (
    "Windows",
    "Program Files",
    "Program Files (x86)",
    "Program Files (Arm)",
    "ProgramData",
    "Users",
    "Documents and Settings",
    "System Volume Information",
    "$Recycle.Bin",
    "Recovery",
    "Boot",
    "PerfLogs",
    "Config.Msi",
)
_PROTECTED = frozenset(folder.casefold() for folder in PROTECTED_FOLDERS)
_SHORT_NAME = re.compile(r"~\d")


def protected_folder_reason(path: str) -> str | None:
    """Why the collection must never write or set an ACL in ``path``, or ``None``."""
    if not is_drive_path(path):
        return "is not a literal drive path ('D:\\Isotools\\...'): %VARIABLE% and \\\\server\\share folders are never written"
    segments = _segments(path)
    if not segments:
        return "is a drive root"
    # Windows' own naming rules (windows_paths): a '..', a 'Windows.' or a 'NUL' is not the
    # folder it reads as.
    problem = path_problem(path)
    if problem:
        return problem
    for segment in segments:
        if _SHORT_NAME.search(segment):
            return f"has the 8.3 short name '{segment}', which may stand for any folder: write the full name"
    if segments[0].casefold() in _PROTECTED:
        return f"is in {path[:3]}{segments[0]}, which belongs to Windows (its ACL would be replaced)"
    return None


def owned_folder_problem(path: str, root: str | None) -> str | None:
    """Why ``path`` is not a folder the collection may write in (``root``: the owned root, if known)."""
    reason = protected_folder_reason(path)
    if reason:
        return f"{describe(path)} {reason}: the collection writes files and sets ACLs only in folders it owns"
    if root and not is_under(path, root):
        return f"{describe(path)} is not under the owned root {describe(root)}: the collection writes files and sets ACLs only there"
    return None


def root_problem(root: str) -> str | None:
    """Why ``root`` cannot be the folder the collection owns, or ``None``."""
    reason = protected_folder_reason(root)
    return f"{describe(root)} {reason}: the owned root must be a folder of the collection's own, such as 'D:\\Isotools\\Synchro_prod'" if reason else None


def is_under(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or inside it (case-insensitive, as Windows compares paths)."""
    inner, outer = _segments(path), _segments(root)
    return path[:1].casefold() == root[:1].casefold() and [s.casefold() for s in inner[: len(outer)]] == [s.casefold() for s in outer]


def _segments(path: str) -> list[str]:
    return [segment for segment in path[3:].split("\\") if segment]
