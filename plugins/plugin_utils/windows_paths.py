# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules Windows applies to file names and paths, checked on the controller.

One set of rules for every path the collection handles: a task's start-in folder (:mod:`spec`),
a job's folder and script (:mod:`jobs.rules`) and the folders it owns (:mod:`jobs.owned_folders`).
Each rule is Microsoft's, from "Naming Files, Paths, and Namespaces"
(https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file):

- a name holds none of ``< > : " / \\ | ? *`` nor a character 0-31;
- a name is not a device: CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9 (also with the superscript
  digits ¹ ² ³, which Windows reads as digits), CONIN$, CONOUT$, nor one of those followed by
  an extension (``NUL.txt`` is NUL);
- a name does not end in a space or a period (Windows drops them: ``Windows.`` is ``Windows``);
- ``.`` and ``..`` are the current and the parent folder, never a name;
- a path is at most MAX_PATH (260) characters with its terminating null, and a folder leaves
  room for an 8.3 file name in it (MAX_PATH - 12);
- a UNC path is ``\\\\server\\share\\...``; ``\\\\?\\`` and ``\\\\.\\`` are the namespaces of
  the Win32 file and device APIs, not folders a task starts in.

Each function returns the message of the first thing wrong (``None`` when all is well), worded to
follow the field: ``working_directory 'D:\\x\\NUL' has the component 'NUL', a device name``.
Pure: no I/O.
"""

from __future__ import annotations

import re

__all__ = [
    "CONTROL_CHARACTERS",
    "FORBIDDEN_IN_NAMES",
    "MAX_FOLDER_PATH",
    "MAX_PATH",
    "component_problem",
    "device_name",
    "is_drive_path",
    "path_components",
    "path_length_problem",
    "path_problem",
]

# MAX_PATH counts the terminating null: 259 characters are left for the path itself.
MAX_PATH = 260
# "the directory name cannot exceed MAX_PATH minus 12" (room for an 8.3 file name), null included.
MAX_FOLDER_PATH = MAX_PATH - 12
FORBIDDEN_IN_NAMES = '\\/:*?"<>|'
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f]")
_DRIVE_PATH = re.compile(r"^[A-Za-z]:\\")
_SUPERSCRIPT_DIGITS = "\u00b9\u00b2\u00b3"
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789" + _SUPERSCRIPT_DIGITS}
)


def is_drive_path(path: str) -> bool:
    """Whether ``path`` is an absolute path on a drive (``D:\\...``), not relative to a drive's
    current folder (``D:x``), a share or a variable."""
    return bool(_DRIVE_PATH.match(path))


def device_name(name: str) -> str | None:
    """The device ``name`` stands for (``'nul.txt'`` -> ``'NUL'``), or ``None``.

    Windows reads the part before the first dot, trailing spaces dropped, as the device.
    """
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem if stem in _DEVICES else None


def component_problem(name: str) -> str | None:
    """Why ``name`` cannot be one file or folder name on Windows (``is the device NUL ...``), or
    ``None``; the caller says whose name it is."""
    if name in (".", ".."):
        return "is . or .. (the current or the parent folder), not a name: write the folder as it is"
    for character in FORBIDDEN_IN_NAMES:
        if character in name:
            return f'holds {character}, which Windows names do not allow (< > : " / \\ | ? *)'
    if CONTROL_CHARACTERS.search(name):
        return "holds a control character (a line break, a tab)"
    device = device_name(name)
    if device:
        return f"is the device {device} to Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$, also with an extension)"
    if name != name.rstrip(". "):
        return "ends in a dot or a space, which Windows drops"
    return None


def path_problem(path: str) -> str | None:
    """Why a name of the absolute ``path`` breaks Windows' rules, or ``None``; the length is
    :func:`path_length_problem`'s."""
    for component in path_components(path):
        if not component:
            return "has an empty folder name (two \\ in a row)"
        problem = component_problem(component)
        if problem:
            return f"has the component '{component}' that {problem}"
    return None


def path_components(path: str) -> list[str]:
    """The names of ``path`` after its drive (``X:\\``), share (``\\\\server\\share``) or
    leading ``%VARIABLE%``: the parts Windows applies the naming rules to. A trailing ``\\``
    adds no name."""
    rest = path
    if is_drive_path(path):
        rest = path[3:]
    elif path.startswith("\\\\"):
        rest = path[2:]
    elif re.match(r"^%[^%\\]+%", path):
        rest = path.split("\\", 1)[1] if "\\" in path else ""
    return rest[:-1].split("\\") if rest.endswith("\\") else (rest.split("\\") if rest else [])


def path_length_problem(path: str, *, folder: bool) -> str | None:
    """Why ``path`` is too long for Windows (a folder created there, or a file), or ``None``."""
    limit = (MAX_FOLDER_PATH if folder else MAX_PATH) - 1
    if len(path) > limit:
        what = "a folder it creates" if folder else "a path"
        return f"is {len(path)} characters long; Windows allows at most {limit} for {what} (MAX_PATH)"
    return None
