# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task will execute, and who other than its own account could change it beforehand.

A task runs its program and scripts with its account's rights: whoever may change one of them,
or swap a folder above one, runs code as that account (for SYSTEM, as the machine). The files a
task executes that can be told from its definition are each Exec action's ``command`` and every
path its ``arguments`` name (``/c D:\\Public\\evil.bat``, ``-File tool.ps1``), a relative one
taken from the action's working directory; ``%SystemRoot%`` and ``%windir%`` are expanded, any
other variable makes a path unknowable and it is left out. A bare program name (``cmd.exe``)
is found by Windows' search order, not here.

:func:`execution_paths` lists them and the folders above each up to the drive root; the host
read returns their owner and DACL; :func:`escalation_findings` says, in words, which of them
someone other than Administrators, SYSTEM, TrustedInstaller and the task's own account may
change: the file or its own folder written to (a file added beside a program is loaded by it),
a folder further up renamed, emptied or re-permissioned. Pure: no I/O.
"""

from __future__ import annotations

import ntpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import ADMINISTRATORS_SID, SYSTEM_SID, canonical_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadResult, path_key
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.file_access import TRUSTED_INSTALLER_SID
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import ExecAction, TaskDefinition

__all__ = ["FINDING", "ExecutionPaths", "escalation_findings", "execution_paths"]

FINDING = "privilege escalation path"
_WINDOWS = "C:\\Windows"
_KNOWN_VARIABLES = re.compile(r"%(systemroot|windir)%", re.IGNORECASE)
_DRIVE_PATH = re.compile(r"^[A-Za-z]:\\")
# What cmd.exe, PowerShell and the scripting hosts run as a program or script.
_RUNNABLE = frozenset({".bat", ".cmd", ".com", ".exe", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".py", ".pl", ".msi", ".dll"})
# Separators of a command line: blanks and cmd.exe's operators; quotes group, never split.
_TOKEN = re.compile(r'"([^"]*)"|([^\s"&|<>()]+)')
_TRUSTED = frozenset({ADMINISTRATORS_SID, SYSTEM_SID, TRUSTED_INSTALLER_SID})


@dataclass(frozen=True)
class ExecutionPaths:
    """The files a task executes and the folders above them, each listed once."""

    files: tuple[str, ...]
    folders: tuple[str, ...]  # each file's own folder first, then up to the drive root


def execution_paths(definition: TaskDefinition) -> ExecutionPaths:
    files: dict[str, str] = {}
    for action in definition.actions:
        if isinstance(action, ExecAction):
            for path in _executed(action):
                files.setdefault(path_key(path), path)
    folders: dict[str, str] = {}
    for path in files.values():
        for folder in _folders_above(path):
            folders.setdefault(path_key(folder), folder)
    return ExecutionPaths(tuple(files.values()), tuple(folders.values()))


def escalation_findings(
    paths: ExecutionPaths, state: ReadResult, run_as: str | None, *, owned: Callable[[str], bool], names: Mapping[str, str]
) -> tuple[str, ...]:
    """One line per executed file or folder someone untrusted may change; ``owned`` paths are
    left out (the plan itself locks them down), ``names`` give SIDs their words."""
    trusted = _TRUSTED | ({canonical_account(run_as, state.sids())} if run_as else set())
    found: list[str] = []
    own_folders = {path_key(ntpath.dirname(path)) for path in paths.files}
    for path in paths.files:
        record = state.file(path)
        if record is not None and record.exists and not owned(path):
            found += _finding(f"{path} is writable by", record.writers, trusted, names)
    for folder in paths.folders:
        directory = state.directory(folder)
        if directory is None or not directory.exists or owned(folder):
            continue
        if path_key(folder) in own_folders:
            found += _finding(f"{folder} (holds what the task runs) is writable by", directory.writers, trusted, names)
        else:
            found += _finding(f"{folder} (above what the task runs) can be renamed or re-permissioned by", directory.replacers, trusted, names)
    return tuple(found)


def _finding(what: str, holders: Sequence[str], trusted: set[str] | frozenset[str], names: Mapping[str, str]) -> list[str]:
    untrusted = [sid for sid in holders if sid not in trusted]
    if not untrusted:
        return []
    return [f"{FINDING}: {what} {', '.join(names.get(sid, sid) for sid in untrusted)}"]


def _executed(action: ExecAction) -> list[str]:
    working = _expanded(action.working_directory) if action.working_directory else None
    candidates = [action.command, *(_tokens(action.arguments) if action.arguments else ())]
    found = []
    for index, candidate in enumerate(candidates):
        path = _absolute(candidate, working, is_command=index == 0)
        if path is not None:
            found.append(path)
    return found


def _tokens(arguments: str) -> list[str]:
    return [quoted if quoted else bare for quoted, bare in _TOKEN.findall(arguments)]


def _absolute(candidate: str, working: str | None, *, is_command: bool) -> str | None:
    text = _expanded(candidate.strip())
    if not text or "%" in text or text.startswith(("/", "-")):
        return None
    if _DRIVE_PATH.match(text):
        return ntpath.normpath(text)
    runnable = ntpath.splitext(text)[1].lower() in _RUNNABLE
    # A bare program name is searched for by Windows; a relative path or a script name given
    # to cmd.exe or PowerShell is taken from the working directory.
    if working is None or not _DRIVE_PATH.match(working) or not (runnable and (not is_command or "\\" in text)):
        return None
    return ntpath.normpath(ntpath.join(working, text))


def _expanded(text: str) -> str:
    return _KNOWN_VARIABLES.sub(lambda _match: _WINDOWS, text)


def _folders_above(path: str) -> list[str]:
    folders = []
    current = ntpath.dirname(path)
    while True:
        folders.append(current)
        parent = ntpath.dirname(current)
        if parent == current:
            return folders
        current = parent
