# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The directory host: an offline Windows machine on local disk, serving the host contract.

A folder ``ROOT`` stands for one Windows machine (docs/host-contract.md, "The directory host"
in the architecture brief):

- ``ROOT/C/...`` is drive ``C:``, ``ROOT/D/...`` drive ``D:`` (a drive other than ``C:``
  exists when its folder does); names are matched case-insensitively.
- ``ROOT/C/Windows/System32/Tasks/<folder>/<name>``: each task's XML, UTF-16LE with a BOM, as
  the controller registered it. A real server's ``C:\\Windows\\System32\\Tasks`` copied there
  is read as it is (UTF-16 or UTF-8 files).
- ``ROOT/host.json``: ``{"hostname", "os_version", "time_zone", "utc_offset_minutes",
  "domain"}``, every key optional (``DIRECTORY-HOST``, ``10.0.20348``, ``UTC``, 0, none).
- ``ROOT/accounts.json``: ``{"DOMAIN\\\\name" or "name": SID}`` beyond the well-known accounts.
- ``ROOT/environment.json``: ``{"Name": value}``, the machine environment variables (names
  matched case-insensitively, as Windows does); without it, those of a fresh Windows Server
  (``windir``, ``Path``, ``ComSpec``, ``PATHEXT``, ``TEMP``, ``TMP``, ``OS``).
- ``ROOT/acl.json``: the owner and DACL of each path (see ``_acl``).
- ``ROOT/withheld.json``: ``{path key: {"file_hash", "size"}}``, the files a snapshot keeps
  without their content (scripts marked sensitive): read as there, with that hash and no content.
- ``ROOT/state.json``: runtime state of the tasks; ``ROOT/history.jsonl``: their events;
  ``ROOT/outcomes.json``: what runs exit with (see ``_runs``).
- ``ROOT/credentials.json``: ``{SID: {"set_at": time}}`` — that a password was set for an
  account, and when. Passwords themselves are never stored, not even hashed: the directory
  host cannot check one, so it accepts any non-empty password.
- ``ROOT/journal.jsonl``: one line per call (operation and counts; never a password or a
  file's content), so round trips can be counted and audited.

Calls are serialised across processes by an exclusive ``fcntl`` lock on ``ROOT/.lock``: the
``expected_hash`` check of a change and its write happen under it, so of two runs applying
against the same state, one applies and the other's stale change is refused.

Times are the host's local time with its offset (``utc_offset_minutes``, applied to the
injected clock), written as ``2026-11-28T06:00:00+01:00``, as the Windows host writes them.
Limits of the imitation: the XML is stored as given (Windows rewrites the principal and
re-serialises it), next run times are not computed, and nothing is executed.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_sid
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import HISTORY_LOG, windows_version_json
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._accounts import (
    AccountBook,
    load_accounts,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._acl import AclBook, load_acl
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._apply import (
    ApplyContext,
    Interrupt,
    Interruption,
    apply_changes,
    checked_changes,
    no_interruption,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import (
    HostConnectionError,
    RequestError,
    windows_error_of,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._runs import (
    Runner,
    iso_seconds,
    load_outcomes,
    read_history,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._state import (
    StateBook,
    load_state,
    runtime_fields,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import (
    Image,
    append_json_line,
    cached_listings,
    display_task_path,
    hash_file,
    host_sha256,
    load_json,
    load_task,
    parse_folder_path,
    parse_task_path,
    parse_windows_path,
    scan_folder,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._xml import RejectedTaskXmlError, TaskFacts, task_facts
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe

__all__ = ["DirectoryHost", "HostConnectionError", "Interrupt", "Interruption", "OPERATIONS", "RequestError"]

OPERATIONS = ("read", "apply", "run", "history")
_HOST_DEFAULTS: dict[str, Any] = {
    "hostname": "DIRECTORY-HOST",
    "os_version": "10.0.20348",
    "time_zone": "UTC",
    "utc_offset_minutes": 0,
}
# The machine environment of a fresh Windows Server (HKLM\...\Session Manager\Environment),
# expanded as Environment.GetEnvironmentVariable(name, Machine) returns it.
_MACHINE_ENVIRONMENT = {
    "ComSpec": "C:\\Windows\\system32\\cmd.exe",
    "OS": "Windows_NT",
    "Path": "C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\",
    "PATHEXT": ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC",
    "TEMP": "C:\\Windows\\TEMP",
    "TMP": "C:\\Windows\\TEMP",
    "windir": "C:\\Windows",
}
_MAX_CONTENT_BYTES = 1 << 20  # files up to 1 MiB come back with their content
# A missing file or directory, as the Windows host sends it: what it did not read is left out,
# the contract's defaults (no hash, no content, no owner, no entries).
_ABSENT: dict[str, Any] = {"exists": False, "reparse_point": None}
_Journal = dict[str, Any]


class DirectoryHost:
    """One Windows machine kept in the folder ``root``; JSON in, JSON out (docs/host-contract.md).

    ``clock`` gives the current time (aware, or naive host-local); it defaults to the system
    clock and is injected by tests so that run times are reproducible. ``interrupt`` says what
    each change of an apply meets beyond what the image holds (an :class:`Interruption`: a
    refused write, a full disk, a dropped connection...); by default nothing, as an image can
    hold no such thing. The collection's tests drive their faults through it.
    """

    def __init__(self, root: str | Path, *, clock: Callable[[], dt.datetime] | None = None, interrupt: Interrupt = no_interruption) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"directory host root {self.root} does not exist: create it (an empty folder is an empty Windows machine)")
        self._image = Image(self.root)
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self._interrupt = interrupt

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """Serve one request; ``{"op", "failed": true, "msg"}`` when it cannot be served at all.

        Raises :class:`HostConnectionError` when a change of an ``apply`` met the loss of the
        connection (:attr:`Interruption.CONNECTION_LOST`).
        """
        op = request.get("op") if isinstance(request, dict) else None
        handlers = {"read": self._read, "apply": self._apply, "run": self._run, "history": self._history}
        handler = handlers.get(op) if isinstance(op, str) else None
        with self._locked(), cached_listings():
            if handler is None:
                response, journal = _failed(op, f"unknown operation {describe(op)}: use one of {', '.join(OPERATIONS)}")
            else:
                try:
                    response, journal = handler(request)
                except _ConnectionLost as lost:
                    self._journal(lost.journal)
                    raise lost.error from None
                except (RequestError, OSError) as error:
                    response, journal = _failed(op, f"directory host {self.root}: {error}")
            self._journal(journal)
        return response

    # --- read ------------------------------------------------------------------------------------

    def _read(self, request: dict[str, Any]) -> tuple[dict[str, Any], _Journal]:
        folders = _list(request, "folders")
        host = self._host_facts()
        state = self._settled_state()
        accounts = load_accounts(self._image.accounts_file, host["hostname"], host.get("domain"))
        acl = load_acl(self._image.acl_file)
        folder_records: list[dict[str, Any]] = []
        tasks: list[dict[str, Any]] = []
        seen: set[str] = set()
        for folder in folders:
            if not isinstance(folder, dict):
                raise RequestError(f"read: folder {describe(folder)} must be an object with 'path' and 'recurse'")
            parts = parse_folder_path(folder.get("path"))
            resolved = self._image.task(parts)
            exists = not parts or (resolved.exists and resolved.path.is_dir())
            shown = display_task_path(resolved.names) if exists else folder["path"]
            folder_records.append({"path": shown, "exists": exists, "reparse_point": self._image.task_link(parts)})
            if exists:
                self._collect_folder(resolved.path, resolved.names, bool(folder.get("recurse")), state, accounts, tasks, seen)
        for path in _strings(request, "tasks"):
            resolved = self._image.task(parse_task_path(path))
            key = display_task_path(resolved.names).lower()
            if resolved.exists and resolved.path.is_file() and key not in seen:
                seen.add(key)
                tasks.append(_task_record(resolved.path, display_task_path(resolved.names), state, accounts))
        content = request.get("file_content") is not False
        withheld = load_json(self._image.withheld_file, {})
        files = [_or_unreadable(path, partial(self._file_record, path, acl, content=content, withheld=withheld)) for path in _strings(request, "files")]
        directories = [_or_unreadable(path, partial(self._directory_record, path, acl)) for path in _strings(request, "directories")]
        account_records = [_account_record(name, accounts) for name in _strings(request, "accounts")]
        environment = self._environment()
        variables = [{"name": name, "value": environment.get(name.upper())} for name in _strings(request, "environment")]
        response = {
            "op": "read",
            "host": _host_record(host),
            "folders": folder_records,
            "tasks": tasks,
            "files": files,
            "directories": directories,
            "accounts": account_records,
            "environment": variables,
        }
        counts = {"folders": len(folder_records), "tasks": len(tasks), "files": len(files), "directories": len(directories), "accounts": len(account_records)}
        history = request.get("history")
        if history is not None:
            # Answered as a history request is (the Windows host calls the same code), in this read.
            if not isinstance(history, dict):
                raise RequestError("read: 'history' must be a history request object")
            response["history"], journal = self._history(history)
            counts["history_events"] = journal["events"]
        if variables:
            counts["environment"] = len(variables)
        return response, {"op": "read", **counts}

    def _collect_folder(
        self,
        directory: Path,
        names: tuple[str, ...],
        recurse: bool,
        state: StateBook,
        accounts: AccountBook,
        tasks: list[dict[str, Any]],
        seen: set[str],
    ) -> None:
        # One folder at a time, one file at a time: only the records stay in memory.
        pending = [(directory, names)]
        while pending:
            current, current_names = pending.pop()
            files, subfolders = scan_folder(current)
            for name in files:
                shown = display_task_path((*current_names, name))
                if shown.lower() not in seen:
                    seen.add(shown.lower())
                    tasks.append(_task_record(current / name, shown, state, accounts))
            if recurse:
                pending.extend((current / name, (*current_names, name)) for name in reversed(subfolders))

    def _file_record(self, path: str, acl: AclBook, *, content: bool = True, withheld: Mapping[str, Any] | None = None) -> dict[str, Any]:
        target = parse_windows_path(path)
        resolved = self._image.file(target)
        link = self._image.file_link(target)
        if link is not None:
            return {"path": path, "exists": resolved is not None and resolved.exists, "reparse_point": link}
        kept = (withheld or {}).get(target.key)
        if isinstance(kept, Mapping) and not (resolved is not None and resolved.exists):
            # A snapshot's sensitive script: on the server, read as a file too big to bring back.
            hashed = {"file_hash": kept.get("file_hash"), "size": kept.get("size"), "content_base64": None}
            return {"path": path, "exists": True, **hashed, **acl.security(target).to_json()}
        if resolved is None or not (resolved.exists and resolved.path.is_file()):
            return {**_ABSENT, "path": path}
        size = resolved.path.stat().st_size
        encoded = None
        if content and size <= _MAX_CONTENT_BYTES:
            data = resolved.path.read_bytes()
            encoded, file_hash = base64.b64encode(data).decode("ascii"), host_sha256(data)
        else:
            file_hash = hash_file(resolved.path)
        return {"path": path, "exists": True, "file_hash": file_hash, "size": size, "content_base64": encoded, **acl.security(target).to_json()}

    def _directory_record(self, path: str, acl: AclBook) -> dict[str, Any]:
        target = parse_windows_path(path)
        resolved = self._image.file(target)
        link = self._image.file_link(target)
        if link is not None:
            return {"path": path, "exists": resolved is not None and resolved.exists, "reparse_point": link}
        exists = resolved is not None and resolved.exists and resolved.path.is_dir()
        return {"path": path, "exists": exists, **(acl.security(target).to_json() if exists else _ABSENT)}

    # --- apply -----------------------------------------------------------------------------------

    def _apply(self, request: dict[str, Any]) -> tuple[dict[str, Any], _Journal]:
        changes, passwords = checked_changes(request)
        host = self._host_facts()
        accounts = load_accounts(self._image.accounts_file, host["hostname"], host.get("domain"))
        state = self._settled_state()
        context = ApplyContext(self._image, accounts, iso_seconds(self._now()), state)
        results, lost_at, stopped = apply_changes(context, changes, passwords, self._interrupt)
        journal: _Journal = {"op": "apply", "changes": len(changes), **_status_counts(results)}
        if lost_at is not None:
            message = (
                f"connection to the directory host {self.root} lost at change {lost_at} "
                f"({len(results)} of {len(changes)} changes processed; the rest were not applied)"
            )
            raise _ConnectionLost(HostConnectionError(message, results=tuple(results), lost_at=lost_at), {**journal, "connection_lost": True})
        response: dict[str, Any] = {"op": "apply", "results": results}
        if stopped is not None:
            response["stopped"] = stopped
        return response, journal

    # --- run and history -------------------------------------------------------------------------

    def _run(self, request: dict[str, Any]) -> tuple[dict[str, Any], _Journal]:
        paths = _strings(request, "tasks")
        wait = request.get("wait", True)
        timeout = request.get("timeout", 600)
        if not isinstance(wait, bool) or not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout < 0:
            raise RequestError("run: 'wait' must be true or false and 'timeout' a number of seconds >= 0")
        state = load_state(self._image.state_file)
        runner = Runner(self._image, state, load_outcomes(self._image.outcomes_file), self._now())
        runner.settle()
        runs = [runner.run(path, wait=wait, timeout=float(timeout)) for path in paths]
        self._record(runner, state)
        started = sum(1 for run in runs if run["started"])
        return {"op": "run", "runs": runs}, {"op": "run", "tasks": len(paths), "started": started}

    def _history(self, request: dict[str, Any]) -> tuple[dict[str, Any], _Journal]:
        paths = _strings(request, "tasks")
        max_events = request.get("max_events", 50)
        if not isinstance(max_events, int) or isinstance(max_events, bool) or max_events < 1:
            raise RequestError("history: 'max_events' must be a positive integer")
        if request.get("log", HISTORY_LOG) != HISTORY_LOG:
            raise RequestError(f"history: the directory host keeps only the log '{HISTORY_LOG}', not {describe(request.get('log'))}")
        event_ids = request.get("event_ids", [])
        if not isinstance(event_ids, list) or not all(isinstance(item, int) and not isinstance(item, bool) for item in event_ids):
            raise RequestError("history: 'event_ids' must be a list of event ids")
        self._settled_state()
        # Letter for letter, as Windows matches the query's Data="..." against the event's
        # TaskName (the name as registered): a task asked in another case finds no event.
        wanted = [display_task_path(parse_task_path(path)) for path in paths]
        # With the log disabled, as Windows keeps it, nothing was logged and nothing is read.
        available = self._history_log_on()
        events = read_history(self._image.history_file, wanted, max_events, frozenset(event_ids)) if available else []
        response = {"op": "history", "events": events, "available": available}
        return response, {"op": "history", "tasks": len(paths), "events": len(events)}

    # --- shared ----------------------------------------------------------------------------------

    def _settled_state(self) -> StateBook:
        """The runtime state, after completing the runs whose end the clock has passed."""
        state = load_state(self._image.state_file)
        runner = Runner(self._image, state, {}, self._now())
        if runner.settle():
            self._record(runner, state)
        return state

    def _record(self, runner: Runner, state: StateBook) -> None:
        if self._history_log_on():
            for event in runner.events:
                append_json_line(self._image.history_file, event)
        state.save()

    def _history_log_on(self) -> bool:
        """Whether the Operational log is enabled (``host.json``'s ``history_log``, default on,
        as on a server where someone clicked "Enable All Tasks History")."""
        return self._host_facts().get("history_log", True) is not False

    def _host_facts(self) -> dict[str, Any]:
        given = load_json(self._image.host_file, {})
        if not isinstance(given, dict):
            raise RequestError(f"{self._image.host_file} must be a JSON object")
        return {**_HOST_DEFAULTS, **given}

    def _environment(self) -> dict[str, str]:
        """The machine environment, by upper-case name (Windows ignores the case of names)."""
        given = load_json(self._image.environment_file, _MACHINE_ENVIRONMENT)
        if not isinstance(given, dict) or not all(isinstance(name, str) and isinstance(value, str) for name, value in given.items()):
            raise RequestError(f"{self._image.environment_file} must be a JSON object mapping variable names to strings")
        return {name.upper(): value for name, value in given.items()}

    def _now(self) -> dt.datetime:
        """The host's local time with its UTC offset, as the Windows host writes every time
        (``yyyy-MM-ddTHH:mm:sszzz``): a naive clock reading is taken as host-local."""
        moment = self._clock()
        offset = self._host_facts().get("utc_offset_minutes") or 0
        zone = dt.timezone(dt.timedelta(minutes=int(offset)))
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)

    def _journal(self, fields: _Journal) -> None:
        append_json_line(self._image.journal_file, {"time": iso_seconds(self._now()), **fields})

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        descriptor = os.open(self._image.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing the descriptor releases the lock


class _ConnectionLost(Exception):
    """Carries the error to raise and the journal line to write before raising it."""

    def __init__(self, error: HostConnectionError, journal: _Journal) -> None:
        super().__init__(str(error))
        self.error = error
        self.journal = journal


def _or_unreadable(path: str, read: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One record, or the reason it could not be read: one locked file never fails a whole read
    (the Windows host has a try per record too). Like a missing one, it carries no more."""
    try:
        return read()
    except OSError as error:
        return {"path": path, "exists": True, "error": windows_error_of(error).describe(f"reading {path}")}


def _task_record(path: Path, shown: str, state: StateBook, accounts: AccountBook) -> dict[str, Any]:
    loaded = load_task(path)
    entry = state.entries.get(shown.lower())
    if loaded.text is None:
        return {"path": shown, "xml": None, "task_hash": None, **runtime_fields(entry, None), "error": loaded.error}
    try:
        facts = task_facts(loaded.text)
    except RejectedTaskXmlError as error:
        # As on Windows, where IRegisteredTask.Xml throws for it: no text, no hash, only the reason.
        return {"path": shown, "xml": None, "task_hash": None, **runtime_fields(entry, None), "error": f"task XML Windows would not load: {error}"}
    record = {"path": shown, "xml": loaded.text, "task_hash": host_sha256(loaded.text.encode("utf-8"))}
    return {**record, **runtime_fields(entry, facts.enabled), "principal_sid": _principal_sid(facts, accounts)}


def _principal_sid(facts: TaskFacts, accounts: AccountBook) -> str | None:
    """The SID of the task's user, else its group; a SID is kept as written, as Windows keeps it."""
    account = facts.user_id or facts.group_id
    if account is None:
        return None
    if is_sid(account):
        return "S" + account.strip()[1:]
    return accounts.resolve(account)


# What NTAccount.Translate throws for a name no account has (IdentityNotMappedException, .NET's
# English text); the controller words it (contract.ACCOUNT_NOT_FOUND).
_NOT_MAPPED = "Some or all identity references could not be translated."


def _host_record(host: dict[str, Any]) -> dict[str, Any]:
    # The registry values a Windows host sends for its version, which the controller composes.
    record = {key: host[key] for key in _HOST_DEFAULTS if key != "os_version"}
    return {**record, "windows_version": windows_version_json(host["os_version"])}


def _account_record(name: str, accounts: AccountBook) -> dict[str, Any]:
    if is_sid(name):
        # As the Windows host's Find-Account: a SecurityIdentifier is made of any SID, and only
        # its name may be missing (Translate throws for a SID no account has).
        account, local_group = accounts.known_as(name)
        return {"name": name, "sid": "S" + name.strip()[1:], "error": None, "account": account, "local_group": local_group}
    sid = accounts.resolve(name)
    if sid is None:
        return {"name": name, "sid": None, "error": _NOT_MAPPED, "account": None, "not_found": True}
    account, local_group = accounts.known_as(name)
    return {"name": name, "sid": sid, "error": None, "account": account, "local_group": local_group}


def _status_counts(results: list[dict[str, Any]]) -> dict[str, int]:
    counts = {status: 0 for status in ("applied", "unchanged", "refused", "failed", "skipped")}
    for result in results:
        counts[result["status"]] += 1
    return counts


def _failed(op: object, message: str) -> tuple[dict[str, Any], _Journal]:
    shown = op if isinstance(op, str) else repr(op)
    return {"op": op, "failed": True, "msg": message}, {"op": shown[:40], "failed": True, "msg": message}


def _list(request: dict[str, Any], key: str) -> list[Any]:
    value = request.get(key) or []
    if not isinstance(value, list):
        raise RequestError(f"{request.get('op')}: '{key}' must be a list")
    return value


def _strings(request: dict[str, Any], key: str) -> list[str]:
    values = _list(request, key)
    if not all(isinstance(value, str) for value in values):
        raise RequestError(f"{request.get('op')}: '{key}' must be a list of strings")
    return values
