# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows names in a task spec: task names, folders, working directories and account names.

Private to :mod:`spec`. Each check returns the message of the first thing wrong (``None`` when
the text is fine), worded to follow the field path: ``name 'a/b' must not contain /``.
"""

from __future__ import annotations

import re

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_sid
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.windows_paths import (
    CONTROL_CHARACTERS,
    FORBIDDEN_IN_NAMES,
    device_name,
    is_drive_path,
    path_length_problem,
    path_problem,
)

__all__ = [
    "MAX_NAME_LENGTH",
    "account_problem",
    "name_problem",
    "normalise_folder",
    "windows_path_problem",
    "working_directory_problem",
]

# A task is a file under C:\Windows\System32\Tasks; 238 is what Task Scheduler accepts for one name.
MAX_NAME_LENGTH = 238
_FORBIDDEN_IN_PATHS = '"<>|?*'
_FORBIDDEN_IN_ACCOUNTS = '"/[]:;|=,+*?<>'
_UNC_PATH = re.compile(r"^\\\\[^\\]+\\[^\\]+")
_VARIABLE_PATH = re.compile(r"^%[A-Za-z_][A-Za-z0-9_()]*%(?:\\|$)")


def name_problem(name: str, what: str = "") -> str | None:
    """Why ``name`` cannot name a task (or a folder, with ``what='folder name'``), or ``None``."""
    prefix = f"{what} {describe(name)} " if what else f"{describe(name)} "
    if not name:
        return f"{what} must not be empty" if what else "must not be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"{prefix}is {len(name)} characters long; Task Scheduler allows at most {MAX_NAME_LENGTH}"
    for character in FORBIDDEN_IN_NAMES:
        if character in name:
            allowed = " ".join(FORBIDDEN_IN_NAMES)
            return f"{prefix}must not contain {character} (not allowed in task names: {allowed})"
    if CONTROL_CHARACTERS.search(name):
        return f"{prefix}must not contain control characters (line breaks, tabs)"
    if name in (".", ".."):
        return f"{prefix}is reserved (. and .. name folders, not tasks)"
    # A task is a file under System32\Tasks: Windows' device names are not file names.
    if device_name(name):
        return f"{prefix}is a reserved Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$)"
    if name != name.strip() or name.endswith("."):
        return f"{prefix}must not start or end with a space, or end with a dot (Windows drops them from file names)"
    return None


def normalise_folder(text: str) -> str:
    """``'\\Isotools\\'`` or ``'Isotools'`` -> ``'\\Isotools'``; ``'\\'`` is the root folder.

    Raises ``ValueError`` with the message for the field.
    """
    if not text:
        raise ValueError("must not be empty (use '\\' for the root folder)")
    if "/" in text:
        suggestion = "\\" + "\\".join(part for part in text.split("/") if part)
        raise ValueError(f"{describe(text)} uses /; Task Scheduler folders are separated by \\ (write '{suggestion}')")
    folder = text if text.startswith("\\") else "\\" + text
    if len(folder) > 1 and folder.endswith("\\"):
        folder = folder[:-1]
    if folder == "\\":
        return folder
    for segment in folder[1:].split("\\"):
        if not segment:
            raise ValueError(f"{describe(text)} has an empty folder name (two \\ in a row)")
        problem = name_problem(segment, "folder name")
        if problem:
            raise ValueError(problem)
    return folder


def working_directory_problem(path: str) -> str | None:
    """Why ``path`` cannot be a task's start-in folder, or ``None``.

    Task Scheduler passes it to the process as it is: it must be absolute (``X:\\...``,
    ``\\\\server\\share``, or ``%VARIABLE%\\...`` expanded on the host) and unquoted.
    """
    if not path.strip():
        return "must not be empty (omit it to start in the default folder)"
    if path != path.strip():
        return f"{describe(path)} must not start or end with spaces, which Windows drops (write '{path.strip()}')"
    if '"' in path:
        return f"{describe(path)} must not be quoted: Task Scheduler uses the folder as written (remove the quotes)"
    if "/" in path:
        suggestion = re.sub(r"(?<!^)\\+", r"\\", path.replace("/", "\\"))
        return f"{describe(path)} uses /; Windows folders are separated by \\ (write '{suggestion}')"
    for character in _FORBIDDEN_IN_PATHS:
        if character in path:
            return f"{describe(path)} must not contain {character}"
    if ":" in path[2:] or CONTROL_CHARACTERS.search(path):
        return f"{describe(path)} is not a valid Windows path (':' only after a drive letter, no control characters)"
    if not (is_drive_path(path) or _UNC_PATH.match(path) or _VARIABLE_PATH.match(path)) or path.startswith("\\\\.\\"):
        return f"{describe(path)} must be an absolute folder: 'D:\\Isotools\\...', '\\\\server\\share\\...' or '%VARIABLE%\\...'"
    # Windows resolves '..' and drops a trailing dot in a start-in folder (a real task starts in
    # '%appdata%\\..\\Local\\x'): only a folder the collection writes is held to each name's
    # rules (windows_path_problem, jobs.rules).
    problem = path_length_problem(path, folder=False)
    return f"{describe(path)} {problem}" if problem else None


def windows_path_problem(path: str) -> str | None:
    """What Windows would refuse in the names of an absolute ``path`` (:mod:`windows_paths`), or ``None``."""
    problem = path_problem(path)
    return f"{describe(path)} {problem}" if problem else None


def account_problem(account: str) -> str | None:
    """Why ``account`` is not a user or group name (``name``, ``DOMAIN\\name``, ``name@domain``,
    a SID), or ``None``. Whether the account exists is only known on the host."""
    if not account.strip():
        return "must not be empty"
    if account != account.strip() or CONTROL_CHARACTERS.search(account):
        return f"{describe(account)} must not start or end with spaces or contain control characters"
    if is_sid(account):
        return None
    if account.upper().startswith("S-1-"):
        return f"{describe(account)} is not a valid SID (S-1-5-21-...)"
    domain, separator, name = account.rpartition("\\")
    if separator and ("\\" in domain or not domain or not name):
        return f"{describe(account)} must be name, DOMAIN\\name or name@domain"
    local, at_sign, realm = account.partition("@")
    if at_sign and (separator or not local or not realm or "@" in realm):
        return f"{describe(account)} must be name, DOMAIN\\name or name@domain"
    for character in _FORBIDDEN_IN_ACCOUNTS:
        if character in account:
            return f"{describe(account)} must not contain {character} (not allowed in account names)"
    return None
