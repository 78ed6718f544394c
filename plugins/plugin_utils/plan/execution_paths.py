# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task will execute, and who other than its own account could change it beforehand.

A task runs its program and scripts with its account's rights: whoever may change one of them,
or swap a folder above one, runs code as that account (for SYSTEM, as the machine). The files a
task executes that can be told from its definition are each Exec action's ``command`` and every
path its ``arguments`` name (``/c D:\\Public\\evil.bat``, ``-File tool.ps1``), a relative one
taken from the action's working directory. This one rule serves every task the collection
manages or reports (a job, a hand-made task of the managed folder, a win_sync_task_info task).

Variables are taken from the host's machine environment (the read returns the ones asked for):
Task Scheduler starts an action with the account's environment, the machine's variables plus the
account's own (Microsoft docs: the Exec element, CreateEnvironmentBlock). ``%SystemRoot%`` is the
machine's ``windir`` (defined as ``%SystemRoot%`` there), assumed ``C:\\Windows`` until read. A
variable the machine does not set (a per-user one, or unknown) is *unresolved*: said, not passed.

A program given by bare name (``cmd.exe``, ``powershell``) is searched for as ``CreateProcess``
does when it is given no application name (Microsoft docs, CreateProcessW, lpCommandLine:
``.exe`` appended when the name has no extension; the directory the starting program was loaded
from, the current directory, the system directory, the 16-bit system directory, the Windows
directory, then ``PATH``). The starting program is the task engine in ``System32``; the current
directory is taken to be the action's working directory, the cautious reading of the docs
(ExecAction.WorkingDirectory: "the directory that contains either the executable file or the
files that are used by the executable file"); ``PATH`` is the machine's (a per-user ``PATH``
comes after it and is not read). Each folder searched up to where the program is found is one a
program planted there would be run from.

Whatever the program, it starts in the action's working directory, its current directory, where
Windows looks for the DLLs it loads (Microsoft docs, Dynamic-link library search order: the
current directory, after the system folders, before ``PATH``) and for the relative names it is
given: a start-in folder someone else may add a file to is a way in too, judged as the folder
holding what the task runs. ``%TEMP%`` there is the machine's (``C:\\Windows\\TEMP``, where
Users may add files); an account's profile usually sets its own, which comes first: the cautious
reading. A start-in folder that is no path on a drive (a share, or text Windows cannot start in)
is not judged, and said.

:func:`execution_paths` lists what to read: the files, the search candidates, the folders above
each up to the drive root and the variables; :func:`unread` what a read has not yet brought;
:func:`check_execution` says, in words, which of them someone other than Administrators, SYSTEM,
TrustedInstaller and the task's own account may change: the file or its own folder written to
(a file added beside a program is loaded by it), a folder further up renamed, emptied or
re-permissioned. Pure: no I/O.
"""

from __future__ import annotations

import ntpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import ADMINISTRATORS_SID, SYSTEM_SID, canonical_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadRequest, ReadResult, path_key
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract.file_access import TRUSTED_INSTALLER_SID
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import ExecAction, TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan._files import ACCOUNT_WORDS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.windows_paths import is_drive_path

__all__ = ["FINDING", "ExecutionCheck", "ExecutionPaths", "Search", "check_execution", "execution_paths", "reported_check", "unread"]

FINDING = "privilege escalation path"
ASSUMED_WINDOWS = "C:\\Windows"  # the Windows folder until the host's windir is read
_WINDOWS_VARIABLES = frozenset({"SYSTEMROOT", "WINDIR"})
_VARIABLE = re.compile(r"%([^%]+)%")
# What cmd.exe, PowerShell and the scripting hosts run as a program or script.
_RUNNABLE = frozenset({".bat", ".cmd", ".com", ".exe", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".py", ".pl", ".msi", ".dll"})
# Separators of a command line: blanks and cmd.exe's operators; quotes group, never split.
_TOKEN = re.compile(r'"([^"]*)"|([^\s"&|<>()]+)')
_TRUSTED = frozenset({ADMINISTRATORS_SID, SYSTEM_SID, TRUSTED_INSTALLER_SID})


@dataclass(frozen=True)
class Search:
    """A program named without a folder, and the folders Windows looks in for it, in order."""

    name: str
    directories: tuple[str, ...]
    path_read: bool  # the machine PATH was read (else only the folders before it are listed)

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(ntpath.join(directory, self.name) for directory in self.directories)


@dataclass(frozen=True)
class ExecutionPaths:
    """The files a task executes, the programs it names bare, the folders above them (each once)
    and the machine variables they need; what cannot be told is in ``unresolved``."""

    files: tuple[str, ...]
    folders: tuple[str, ...]  # each file's own folder first, then up to the drive root (and each search's)
    searches: tuple[Search, ...] = ()
    variables: tuple[str, ...] = ()  # upper-case names
    unresolved: tuple[str, ...] = ()
    start_in: tuple[str, ...] = ()  # each action's working directory, expanded (the current directory it runs in)

    def executed(self, state: ReadResult) -> tuple[str, ...]:
        """The files the task will run, as far as the read tells: each file, and for each search the
        first candidate that exists."""
        found = list(self.files)
        for search in self.searches:
            found += [candidate for candidate in search.candidates if _exists(state, candidate)][:1]
        return _unique(found)

    def request(self, state: ReadResult | None = None) -> ReadRequest:
        """What a read must bring to judge these paths; with the reads so far (``state``), a
        search needs only the folders up to the first that holds the program."""
        files = list(self.files)
        folders = [folder for path in self.files for folder in _folders_above(path)]
        folders += [folder for start in self.start_in for folder in (start, *_folders_above(start))]
        for search in self.searches:
            for directory, candidate in zip(search.directories, search.candidates, strict=True):
                files.append(candidate)
                folders += [directory, *_folders_above(directory)]
                if state is not None and _exists(state, candidate):
                    break
        return ReadRequest(files=_unique(files), directories=_unique(folders), environment=self.variables)


@dataclass(frozen=True)
class ExecutionCheck:
    findings: tuple[str, ...] = ()  # 'privilege escalation path: ...'
    unresolved: tuple[str, ...] = ()  # what the task runs that could not be told, and why


def execution_paths(definition: TaskDefinition, environment: Mapping[str, str | None] | None = None) -> ExecutionPaths:
    """What ``definition`` runs, with the machine variables of ``environment`` (upper-case names,
    :meth:`ReadResult.variables`; a name left out is not read yet)."""
    found = _Found(environment or {})
    for action in definition.actions:
        if isinstance(action, ExecAction):
            found.action(action)
    folders: list[str] = []
    for path in found.files:
        folders += _folders_above(path)
    for search in found.searches:
        for directory in search.directories:
            folders += [directory, *_folders_above(directory)]
    for start in found.start_in:
        folders += [start, *_folders_above(start)]
    return ExecutionPaths(
        _unique(found.files),
        _unique(folders),
        tuple(found.searches),
        tuple(dict.fromkeys(found.variables)),
        tuple(dict.fromkeys(found.unresolved)),
        _unique(found.start_in),
    )


def unread(paths: Iterable[ExecutionPaths], state: ReadResult) -> ReadRequest:
    """What the reads so far (``state``) have not brought of ``paths``: a follow-up read's request."""
    files: list[str] = []
    directories: list[str] = []
    variables: list[str] = []
    known = state.variables()
    for each in paths:
        wanted = each.request(state)
        files += [path for path in wanted.files if state.file(path) is None]
        directories += [path for path in wanted.directories if state.directory(path) is None]
        variables += [name for name in wanted.environment if name not in known]
    return ReadRequest(files=_unique(files), directories=_unique(directories), environment=tuple(dict.fromkeys(variables)))


def check_execution(paths: ExecutionPaths, state: ReadResult, run_as: str | None, *, owned: Callable[[str], bool], names: Mapping[str, str]) -> ExecutionCheck:
    """One line per executed file or folder someone untrusted may change; ``owned`` paths are
    left out (the plan itself locks them down), ``names`` give SIDs their words. ``run_as``: the
    task's account, a name or its SID."""
    trusted = _TRUSTED | ({canonical_account(run_as, state.sids())} if run_as else set())
    judge = _Judge(state, trusted, owned, names)
    own_folders = {path_key(ntpath.dirname(path)) for path in paths.files}
    for path in paths.files:
        judge.file(path)
    for folder in _unique(folder for path in paths.files for folder in _folders_above(path)):
        if path_key(folder) in own_folders:
            judge.holder(folder)
        else:
            judge.above(folder)
    unresolved = list(paths.unresolved)
    for search in paths.searches:
        problem = judge.search(search)
        if problem:
            unresolved.append(problem)
    for start in paths.start_in:
        if path_key(start) not in judge.held:
            judge.holder(start, "where the task starts: its current directory")
        for folder in _folders_above(start):
            if path_key(folder) not in judge.held | judge.raised:
                judge.above(folder)
    return ExecutionCheck(tuple(dict.fromkeys(judge.findings)), tuple(unresolved))


class _Judge:
    """Turns what the read says of each path into findings."""

    def __init__(self, state: ReadResult, trusted: set[str] | frozenset[str], owned: Callable[[str], bool], names: Mapping[str, str]) -> None:
        self.state = state
        self.trusted = trusted
        self.owned = owned
        self.names = names
        self.findings: list[str] = []
        self.held: set[str] = set()  # folders judged as holding what the task runs (any write counts)
        self.raised: set[str] = set()  # folders judged as above it (renaming, re-permissioning counts)

    def file(self, path: str) -> bool:
        """Judge an executed file; whether it exists."""
        record = self.state.file(path)
        exists = record is not None and record.exists
        if record is not None and exists and not self.owned(path):
            self._add(f"{path} is writable by", record.writers)
        return exists

    def holder(self, folder: str, what: str = "holds what the task runs") -> None:
        self.held.add(path_key(folder))
        directory = self.state.directory(folder)
        if directory is not None and directory.exists and not self.owned(folder):
            self._add(f"{folder} ({what}) is writable by", directory.writers)

    def above(self, folder: str) -> None:
        self.raised.add(path_key(folder))
        directory = self.state.directory(folder)
        if directory is not None and directory.exists and not self.owned(folder):
            self._add(f"{folder} (above what the task runs) can be renamed or re-permissioned by", directory.replacers)

    def search(self, search: Search) -> str | None:
        """Judge each folder Windows looks in, up to the one holding the program (a program put in
        any of them first is the one run), and what is found; why it is not found, else None."""
        for directory, candidate in zip(search.directories, search.candidates, strict=True):
            record = self.state.directory(directory)
            if record is not None and record.exists:
                self.holder(directory, f"where Windows looks for {search.name}")
            else:
                self._missing(directory, search.name)
            if self.file(candidate):
                for folder in _folders_above(candidate)[1:]:
                    self.above(folder)
                return None
        where = "; ".join(search.directories)
        if not search.path_read:
            return f"{search.name}: not found in {where}, and the machine PATH was not read"
        return f"{search.name}: not found in {where} (a per-user PATH is not read)"

    def _missing(self, directory: str, name: str) -> None:
        """A folder searched that does not exist: whoever may create it there plants the program
        (not a folder the plan creates itself, locked down)."""
        if self.owned(directory):
            return
        for parent in _folders_above(directory):
            record = self.state.directory(parent)
            if record is not None and record.exists:
                if not self.owned(parent):
                    self._add(f"{parent} (where {directory}, searched for {name}, can be created) is writable by", record.writers)
                return

    def _add(self, what: str, holders: Sequence[str]) -> None:
        untrusted = [sid for sid in holders if sid not in self.trusted]
        if untrusted:
            self.findings.append(f"{FINDING}: {what} {', '.join(self.names.get(sid, sid) for sid in untrusted)}")


class _Found:
    """What the actions of one task run, collected as they are read."""

    def __init__(self, environment: Mapping[str, str | None]) -> None:
        self.environment = environment
        self.files: list[str] = []
        self.searches: list[Search] = []
        self.variables: list[str] = []
        self.unresolved: list[str] = []
        self.start_in: list[str] = []

    def action(self, action: ExecAction) -> None:
        given = action.working_directory
        working = self.expanded(given) if given else None
        if given and working is not None and not is_drive_path(working):
            self.unresolved.append(f"{given}: the start-in folder is not a folder on a drive, so it is not judged")
        working = ntpath.normpath(working) if working and is_drive_path(working) else None
        if working is not None:
            self.start_in.append(working)
        candidates = [action.command, *(_tokens(action.arguments) if action.arguments else ())]
        for index, candidate in enumerate(candidates):
            text = candidate.strip().strip('"')
            if not text or text.startswith(("/", "-")):
                continue
            expanded = self.expanded(text)
            if expanded is None:
                continue
            if is_drive_path(expanded):
                self.files.append(ntpath.normpath(expanded))
            elif index == 0 and "\\" not in expanded:
                self.search(expanded, working)
            elif working is not None and ntpath.splitext(expanded)[1].lower() in _RUNNABLE:
                # A relative path, or a script name given to cmd.exe or PowerShell, is taken from
                # the working directory.
                self.files.append(ntpath.normpath(ntpath.join(working, expanded)))

    def search(self, name: str, working: str | None) -> None:
        windows = self.expanded("%windir%")
        if windows is None:
            return
        # .exe is appended to a name without an extension (CreateProcessW, lpCommandLine).
        program = name if ntpath.splitext(name)[1] else name + ".exe"
        system = ntpath.join(windows, "System32")
        directories = [system, *([working] if working else []), system, ntpath.join(windows, "System"), windows]
        self.variables.append("PATH")
        path_read = "PATH" in self.environment
        for entry in (self.environment.get("PATH") or "").split(";"):
            folder = entry.strip().strip('"')
            if not folder:
                continue
            if "%" in folder or not is_drive_path(folder):
                self.unresolved.append(f"{program}: the PATH entry '{folder}' is not searched here (not a full path)")
                continue
            directories.append(ntpath.normpath(folder))
        self.searches.append(Search(program, _unique(directories), path_read))

    def expanded(self, text: str) -> str | None:
        """``text`` with its variables replaced, or None (said in ``unresolved`` unless only not
        read yet: the read asks for it)."""
        missing: list[str] = []

        def value(match: re.Match[str]) -> str:
            name = "WINDIR" if match[1].upper() in _WINDOWS_VARIABLES else match[1].upper()
            self.variables.append(name)
            if name not in self.environment:
                if name == "WINDIR":
                    return ASSUMED_WINDOWS
                missing.append(f"%{match[1]}% was not read from the host")
                return match[0]
            found = self.environment[name]
            if found is None or "%" in found:
                missing.append(f"%{match[1]}% is not a machine environment variable (a per-user or unknown one is not read)")
                return match[0]
            return found

        result = _VARIABLE.sub(value, text)
        if missing:
            self.unresolved += [f"{text}: {why}" for why in missing]
            return None
        return result


def _exists(state: ReadResult, path: str) -> bool:
    record = state.file(path)
    return record is not None and record.exists


def _tokens(arguments: str) -> list[str]:
    return [quoted if quoted else bare for quoted, bare in _TOKEN.findall(arguments)]


def _folders_above(path: str) -> list[str]:
    folders = []
    current = ntpath.dirname(path)
    while True:
        folders.append(current)
        parent = ntpath.dirname(current)
        if parent == current:
            return folders
        current = parent


def _unique(paths: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for path in paths:
        seen.setdefault(path_key(path), path)
    return tuple(seen.values())


def reported_check(definition: TaskDefinition, state: ReadResult, principal_sid: str | None) -> ExecutionCheck:
    """The check of a task the collection reports but does not manage (a hand-made or orphaned
    task of the managed folder, a win_sync_task_info task): nothing of it is the collection's to
    lock down, so every path is judged and none is ever fixed. ``principal_sid``: the task's
    account as the host resolved it."""
    run_as = principal_sid or definition.principal.user_id or definition.principal.group_id
    account = definition.principal.user_id or definition.principal.group_id
    names = {**ACCOUNT_WORDS, **({canonical_account(run_as, state.sids()): account} if run_as and account else {})}
    return check_execution(execution_paths(definition, state.variables()), state, run_as, owned=_nothing_owned, names=names)


def _nothing_owned(_path: str) -> bool:
    return False
