# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host contract (docs/host-contract.md) as typed, frozen messages.

Every request and response has ``to_json()`` (a plain dict, ready for ``json.dumps``) and
``from_json(data)``, which checks the shape and raises :class:`ContractError` naming the exact
place (``read response: tasks[2].task_hash ...``) when a host answers something malformed. A
host that could not serve a request at all (``{"failed": true, "msg": ...}``) raises
:class:`HostFailure` instead.

Passwords only travel in :attr:`ApplyRequest.passwords`; they are left out of ``repr`` and
replaced by ``********`` in :meth:`ApplyRequest.redacted_json`.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar, overload

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract._json import (
    ContractError,
    Fields,
    HostFailure,
    LastResult,
    expect_op,
    optional_time,
    record_json,
    response_fields,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract._runs import (
    HISTORY_LOG,
    HistoryEvent,
    HistoryRequest,
    HistoryResult,
    RunRequest,
    RunResult,
    TaskRun,
    history_query,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract.file_access import AccessEntry, replacers, writers
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.results import decode_last_result
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe, quoted

__all__ = [
    "ACCOUNT_NOT_FOUND",
    "CHANGED_CONCURRENTLY",
    "HISTORY_LOG",
    "AccessEntry",
    "CHANGE_KINDS",
    "ChangeKind",
    "CHANGE_STATUSES",
    "REDACTED",
    "TASK_LOGON",
    "TASK_LOGON_NONE",
    "TASK_STATES",
    "AccountRecord",
    "UnreadableTask",
    "ApplyRequest",
    "ApplyResult",
    "Change",
    "ChangeResult",
    "ContractError",
    "DirectoryRecord",
    "EnvironmentRecord",
    "FileRecord",
    "FolderQuery",
    "FolderRecord",
    "HistoryEvent",
    "HistoryRequest",
    "HistoryResult",
    "HostFacts",
    "HostFailure",
    "ReadRequest",
    "ReadResult",
    "RunRequest",
    "RunResult",
    "TaskRecord",
    "TaskRun",
    "decode_last_result",
    "path_key",
    "sha256_hex",
    "split_task_path",
    "history_query",
    "windows_version_json",
]

# TASK_STATE (taskschd.h) 0-4: a host sends the number, the controller names it.
TASK_STATES = ("unknown", "disabled", "queued", "ready", "running")


class ChangeKind(str, enum.Enum):
    """What one change of an apply does (docs/host-contract.md, ``changes[].kind``)."""

    CREATE_FOLDER = "create_folder"  # a Task Scheduler folder
    CREATE_DIRECTORY = "create_directory"
    WRITE_FILE = "write_file"
    SET_ACL = "set_acl"
    REGISTER_TASK = "register_task"
    DELETE_TASK = "delete_task"

    def __str__(self) -> str:  # the contract's word in messages, on every Python (3.12 formats enums by name)
        return self.value


CHANGE_KINDS = tuple(kind.value for kind in ChangeKind)
CHANGE_STATUSES = ("applied", "unchanged", "refused", "failed", "skipped")
REDACTED = "********"
# Kinds whose expected_hash is a precondition (null: must not exist yet).
_HASHED_KINDS = (ChangeKind.WRITE_FILE, ChangeKind.REGISTER_TASK, ChangeKind.DELETE_TASK)
# Kinds that name a task: the request carries its folder and name, as ITaskFolder takes them.
_TASK_KINDS = (ChangeKind.REGISTER_TASK, ChangeKind.DELETE_TASK)
# TASK_LOGON_TYPE (taskschd.h; the same values community.windows win_scheduled_task_stat.ps1
# declares), the logonType argument of ITaskFolder::RegisterTask.
TASK_LOGON_NONE = 0
TASK_LOGON: Mapping[LogonType, int] = {
    LogonType.PASSWORD: 1,
    LogonType.S4U: 2,
    LogonType.INTERACTIVE_TOKEN: 3,
    LogonType.GROUP: 4,
    LogonType.SERVICE_ACCOUNT: 5,
    LogonType.INTERACTIVE_TOKEN_OR_PASSWORD: 6,
}


def sha256_hex(data: bytes) -> str:
    """The contract's ``file_hash``/``task_hash``: lowercase hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


# --- read --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderQuery:
    path: str
    recurse: bool = False

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "recurse": self.recurse}

    @classmethod
    def from_json(cls, data: object, where: str = "folder") -> FolderQuery:
        fields_ = Fields(data, where)
        return cls(fields_.required_str("path"), fields_.optional_bool("recurse") or False)


@dataclass(frozen=True)
class ReadRequest:
    folders: tuple[FolderQuery, ...] = ()
    tasks: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    directories: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    # The runs' history the caller needs, in the same round trip (drift's freshness check): the
    # host answers it as it answers a history request, under the read's "history" key.
    history: HistoryRequest | None = None
    # Machine environment variables (by name) the controller needs to tell what a task runs.
    environment: tuple[str, ...] = ()
    # False: the files' owner, DACL and hash only, never their content. What a task the
    # collection does not manage names (a hand-made task's argument) is no script to diff or back
    # up, and may be any file of the host.
    file_content: bool = True

    @property
    def empty(self) -> bool:
        return not (self.folders or self.tasks or self.files or self.directories or self.accounts or self.environment or self.history)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "op": "read",
            "folders": [folder.to_json() for folder in self.folders],
            "tasks": list(self.tasks),
            "files": list(self.files),
            "directories": list(self.directories),
            "accounts": list(self.accounts),
            "environment": list(self.environment),
            **({} if self.file_content else {"file_content": False}),
        }
        return data if self.history is None else {**data, "history": self.history.to_json()}

    @classmethod
    def from_json(cls, data: object) -> ReadRequest:
        fields_ = Fields(data, "read request")
        expect_op(fields_, "read")
        return cls(
            folders=tuple(FolderQuery.from_json(item, where) for where, item in fields_.items("folders")),
            tasks=fields_.str_list("tasks"),
            files=fields_.str_list("files"),
            directories=fields_.str_list("directories"),
            accounts=fields_.str_list("accounts"),
            history=None if fields_.optional_value("history") is None else HistoryRequest.from_json(fields_.value("history")),
            environment=fields_.str_list("environment"),
            file_content=fields_.optional_bool("file_content") is not False,
        )


@dataclass(frozen=True)
class HostFacts:
    hostname: str
    os_version: str | None = None
    time_zone: str | None = None
    utc_offset_minutes: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "hostname": self.hostname,
            "os_version": self.os_version,
            "time_zone": self.time_zone,
            "utc_offset_minutes": self.utc_offset_minutes,
        }

    @classmethod
    def from_json(cls, data: object, where: str = "host") -> HostFacts:
        fields_ = Fields(data, where)
        return cls(
            hostname=fields_.required_str("hostname"),
            os_version=_os_version(fields_),
            time_zone=fields_.optional_str("time_zone"),
            utc_offset_minutes=fields_.optional_int("utc_offset_minutes"),
        )


def _os_version(fields_: Fields) -> str | None:
    """``major.minor.build`` from the registry values the host sends as they are
    (``HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion``): CurrentMajorVersionNumber and
    CurrentMinorVersionNumber exist from Windows 10 on, before which CurrentVersion ("6.3") is
    the version. An older host's composed ``os_version`` is taken as it is."""
    if fields_.optional_value("windows_version") is None:
        return fields_.optional_str("os_version")
    version = Fields(fields_.value("windows_version"), fields_.at("windows_version"))
    major = version.optional_int("major", minimum=0)
    prefix = version.optional_str("current_version") if major is None else f"{major}.{version.optional_int('minor', minimum=0) or 0}"
    return ".".join(part for part in (prefix, version.optional_str("build")) if part) or None


def windows_version_json(os_version: str | None) -> dict[str, object] | None:
    """What a Windows host of ``os_version`` reads from the registry (for the directory host):
    from 10 on the major and minor numbers beside CurrentVersion "6.3", before only CurrentVersion."""
    if os_version is None:
        return None
    parts = os_version.split(".")
    if len(parts) < 3 or not parts[0].isdigit() or int(parts[0]) < 10:
        return {"major": None, "minor": None, "build": parts[-1] if len(parts) > 2 else None, "current_version": ".".join(parts[:2])}
    return {"major": int(parts[0]), "minor": int(parts[1]), "build": parts[2], "current_version": "6.3"}


@dataclass(frozen=True)
class FolderRecord:
    path: str
    exists: bool
    # Where the folder's files are kept on disk goes through this link or junction (Windows path).
    reparse_point: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "exists": self.exists, "reparse_point": self.reparse_point}

    @classmethod
    def from_json(cls, data: object, where: str) -> FolderRecord:
        fields_ = Fields(data, where)
        return cls(fields_.required_str("path"), fields_.required_bool("exists"), fields_.optional_str("reparse_point"))


@dataclass(frozen=True)
class TaskRecord(LastResult):
    path: str
    xml: str
    task_hash: str
    enabled: bool
    state: str
    last_run_time: dt.datetime | None = None
    last_result: int | None = None
    next_run_time: dt.datetime | None = None
    number_of_missed_runs: int | None = None
    principal_sid: str | None = None  # the SID the host resolved the principal to; None: unresolved

    def to_json(self) -> dict[str, object]:
        # The state travels as its number (IRegisteredTask.State), as hosts send it.
        return record_json(self, state=TASK_STATES.index(self.state))

    @classmethod
    def from_json(cls, data: object, where: str) -> TaskRecord:
        fields_ = Fields(data, where)
        return cls(
            path=fields_.required_str("path"),
            xml=fields_.required_str("xml"),
            task_hash=fields_.hash("task_hash"),
            enabled=fields_.required_bool("enabled"),
            state=_task_state(fields_),
            last_run_time=optional_time(fields_, "last_run_time"),
            last_result=fields_.optional_code("last_result"),
            next_run_time=optional_time(fields_, "next_run_time"),
            number_of_missed_runs=fields_.optional_int("number_of_missed_runs", minimum=0),
            principal_sid=fields_.optional_sid("principal_sid"),  # null: older hosts, or unresolved
        )


def _task_state(fields_: Fields) -> str:
    """The TASK_STATE a host sent as its number (IRegisteredTask.State), named; an older host's
    name is taken as it is."""
    value = fields_.value("state")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(TASK_STATES):
        return TASK_STATES[value]
    if isinstance(value, str):
        return fields_.choice("state", TASK_STATES)
    raise ContractError(f"{fields_.at('state')} must be a TASK_STATE 0-4, got {describe(value)}")


@dataclass(frozen=True)
class FileRecord:
    """A file as the host read it; who may write it is judged here (``writers``), from its
    owner and DACL (:mod:`file_access`)."""

    path: str
    exists: bool
    file_hash: str | None = None
    size: int | None = None
    content: bytes | None = field(default=None, repr=False)  # None when absent or over 1 MiB
    owner: str | None = None  # SID; None when absent
    protected: bool = False  # the DACL inherits nothing from the folder
    aces: tuple[AccessEntry, ...] = ()
    error: str | None = None  # why the host could not read it (then no hash, no content)
    # The outermost link or junction on the path (the file or a folder above), as a Windows
    # path: nothing is read, written or re-permissioned through it.
    reparse_point: str | None = None

    @property
    def writers(self) -> tuple[str, ...]:
        return writers(self.owner, self.aces)

    def to_json(self) -> dict[str, object]:
        encoded = None if self.content is None else base64.b64encode(self.content).decode("ascii")
        data: dict[str, object] = {
            "path": self.path,
            "exists": self.exists,
            "file_hash": self.file_hash,
            "size": self.size,
            "content_base64": encoded,
            **_security_json(self.owner, self.protected, self.aces, self.reparse_point),
        }
        return _with_error(data, self.error)

    @classmethod
    def from_json(cls, data: object, where: str) -> FileRecord:
        fields_ = Fields(data, where)
        exists = fields_.required_bool("exists")
        error = fields_.optional_str("error")
        owner, protected, aces, reparse_point = _security_fields(fields_, exists and error is None)
        record = cls(
            path=fields_.required_str("path"),
            exists=exists,
            file_hash=fields_.optional_hash("file_hash"),
            size=fields_.optional_int("size", minimum=0),
            content=fields_.optional_base64("content_base64"),
            owner=owner,
            protected=protected,
            aces=aces,
            error=error,
            reparse_point=reparse_point,
        )
        if record.exists and record.file_hash is None and record.error is None and record.reparse_point is None:
            raise ContractError(f"{fields_.at('file_hash')} is required for an existing file")
        if record.content is not None and record.file_hash != sha256_hex(record.content):
            raise ContractError(f"{fields_.at('content_base64')} does not match file_hash")
        return record


@dataclass(frozen=True)
class DirectoryRecord:
    path: str
    exists: bool
    owner: str | None = None
    protected: bool = False
    aces: tuple[AccessEntry, ...] = ()
    error: str | None = None  # why the host could not read it (then no security)
    reparse_point: str | None = None  # as for a file

    @property
    def writers(self) -> tuple[str, ...]:
        return writers(self.owner, self.aces)

    @property
    def replacers(self) -> tuple[str, ...]:
        """Who may rename or delete the directory or what it holds, or take control of it."""
        return replacers(self.owner, self.aces)

    def to_json(self) -> dict[str, object]:
        security = _security_json(self.owner, self.protected, self.aces, self.reparse_point)
        return _with_error({"path": self.path, "exists": self.exists, **security}, self.error)

    @classmethod
    def from_json(cls, data: object, where: str) -> DirectoryRecord:
        fields_ = Fields(data, where)
        exists = fields_.required_bool("exists")
        error = fields_.optional_str("error")
        owner, protected, aces, reparse_point = _security_fields(fields_, exists and error is None)
        return cls(fields_.required_str("path"), exists, owner, protected, aces, error=error, reparse_point=reparse_point)


def _with_error(data: dict[str, object], error: str | None) -> dict[str, object]:
    # Like an unreadable task, a record carries "error" only when the host could not read it.
    return data if error is None else {**data, "error": error}


def _security_json(owner: str | None, protected: bool, aces: tuple[AccessEntry, ...], reparse_point: str | None) -> dict[str, object]:
    return {"owner": owner, "protected": protected, "aces": [entry.to_json() for entry in aces], "reparse_point": reparse_point}


def _security_fields(fields_: Fields, readable: bool) -> tuple[str | None, bool, tuple[AccessEntry, ...], str | None]:
    """``owner``, ``protected``, ``aces`` and ``reparse_point`` of a file or directory record: one
    that exists and could be read has an owner, unless it lies behind a link (then nothing more
    is read)."""
    owner = fields_.optional_sid("owner")
    reparse_point = fields_.optional_str("reparse_point")
    if readable and owner is None and reparse_point is None:
        raise ContractError(f"{fields_.at('owner')} is required for an existing file or directory (the owner's SID)")
    aces = tuple(AccessEntry.from_json(item, item_where) for item_where, item in fields_.items("aces"))
    return owner, fields_.optional_bool("protected") or False, aces, reparse_point


# The controller's words for a name Windows maps to no account: the host sends "not_found" (an
# IdentityNotMappedException) beside the system's own, localised message.
ACCOUNT_NOT_FOUND = "account not found"


@dataclass(frozen=True)
class AccountRecord:
    name: str
    sid: str | None = None
    error: str | None = None
    account: str | None = None  # the host's own name for the SID (DOMAIN\name, a local group bare)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name, "sid": self.sid, "error": self.error, "account": self.account}
        return {**data, "not_found": True} if self.error == ACCOUNT_NOT_FOUND else data

    @classmethod
    def from_json(cls, data: object, where: str, hostname: str | None = None) -> AccountRecord:
        """``hostname``: the computer the record is of (``host.hostname`` of its read)."""
        fields_ = Fields(data, where)
        error = ACCOUNT_NOT_FOUND if fields_.optional_bool("not_found") else fields_.optional_str("error")
        account = _registered_name(fields_.optional_str("account"), fields_.optional_bool("local_group") or False, hostname)
        record = cls(fields_.required_str("name"), fields_.optional_str("sid"), error, account)
        if (record.sid is None) == (record.error is None):
            raise ContractError(f"{where}: exactly one of sid and error must be given for account {quoted(record.name)}")
        return record


def _registered_name(account: str | None, local_group: bool, hostname: str | None) -> str | None:
    """The name a task is registered under: as the host names the SID back, but this computer's
    own local group without the computer's name, which Windows looks a local group up without
    (Ansible.ModuleUtils.SID.psm1, ansible.windows _SecurityIdentifier.psm1). ``local_group``: the
    host has a local group of the name's last part; the domain part says whether it is this
    computer's (``SHOP01\\Operators``) or another's of the same name (``CONTOSO\\Operators``)."""
    if account is None or not local_group or hostname is None:
        return account
    domain, separator, name = account.partition("\\")
    return name if separator and domain.casefold() == hostname.casefold() else account


@dataclass(frozen=True)
class EnvironmentRecord:
    """A machine environment variable as the host has it; ``value`` None: not set there."""

    name: str
    value: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "value": self.value}

    @classmethod
    def from_json(cls, data: object, where: str) -> EnvironmentRecord:
        fields_ = Fields(data, where)
        return cls(fields_.required_str("name"), fields_.optional_str("value"))


@dataclass(frozen=True)
class UnreadableTask:
    """A task the host found but could not read (undecodable, oversized, not XML).

    It is reported, never planned against: no update (its hash is unknown) and never pruned.
    """

    path: str
    error: str

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "xml": None, "task_hash": None, "enabled": None, "state": 0, "error": self.error}

    @classmethod
    def from_json(cls, data: object, where: str) -> UnreadableTask:
        fields_ = Fields(data, where)
        return cls(path=fields_.required_str("path"), error=fields_.required_str("error"))


def _is_unreadable(item: object) -> bool:
    return isinstance(item, Mapping) and item.get("error") is not None


_R = TypeVar("_R")


class _Lookup(Generic[_R]):
    """One kind of record of a read found by its path, case ignored (:class:`ReadResult`'s
    ``task(path)``, ``folder(path)``, ...); the first record wins when two share a path.

    The kind's table is built once per read, on first use: a plan of 500 jobs looks up
    thousands of paths, and a linear scan each time would make it quadratic.
    """

    def __init__(self, records: Callable[[ReadResult], tuple[_R, ...]], key: Callable[[_R], str]) -> None:
        self._records = records
        self._key = key
        self._name = ""

    def __set_name__(self, owner: type[ReadResult], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, read: None, owner: type[ReadResult]) -> _Lookup[_R]: ...

    @overload
    def __get__(self, read: ReadResult, owner: type[ReadResult]) -> Callable[[str], _R | None]: ...

    def __get__(self, read: ReadResult | None, owner: type[ReadResult]) -> _Lookup[_R] | Callable[[str], _R | None]:
        if read is None:
            return self
        table = self._table(read)
        return lambda path: table.get(path_key(path))

    def _table(self, read: ReadResult) -> dict[str, _R]:
        # Kept beside the frozen read's fields (not one of them: no part of its equality or JSON).
        tables: dict[str, dict[str, _R]] = read.__dict__.setdefault("_indexes", {})
        if self._name not in tables:
            table: dict[str, _R] = {}
            for record in self._records(read):
                table.setdefault(path_key(self._key(record)), record)
            tables[self._name] = table
        return tables[self._name]


@dataclass(frozen=True)
class ReadResult:
    host: HostFacts
    folders: tuple[FolderRecord, ...] = ()
    tasks: tuple[TaskRecord, ...] = ()
    files: tuple[FileRecord, ...] = ()
    directories: tuple[DirectoryRecord, ...] = ()
    accounts: tuple[AccountRecord, ...] = ()
    unreadable: tuple[UnreadableTask, ...] = ()
    history: HistoryResult | None = None  # when the request asked for it
    environment: tuple[EnvironmentRecord, ...] = ()

    # read.task(path): the record at that path (an account: of that name), in any case, or None.
    folder = _Lookup(lambda read: read.folders, lambda record: record.path)
    task = _Lookup(lambda read: read.tasks, lambda record: record.path)
    unreadable_task = _Lookup(lambda read: read.unreadable, lambda record: record.path)
    file = _Lookup(lambda read: read.files, lambda record: record.path)
    directory = _Lookup(lambda read: read.directories, lambda record: record.path)
    account = _Lookup(lambda read: read.accounts, lambda record: record.name)

    def variables(self) -> dict[str, str | None]:
        """The machine environment variables read, by upper-case name (Windows ignores case);
        a name left out was not asked for, None: not set on the host."""
        return {record.name.upper(): record.value for record in self.environment}

    def merged(self, more: ReadResult) -> ReadResult:
        """This read plus a follow-up one (files, directories, accounts, variables it asked for)."""
        return dataclasses.replace(
            self,
            files=self.files + more.files,
            directories=self.directories + more.directories,
            accounts=self.accounts + more.accounts,
            environment=self.environment + more.environment,
        )

    def sids(self) -> dict[str, str]:
        """Resolved account names -> SIDs, for :func:`accounts.canonical_account`: each name as
        asked and as the host names it back, since a task registered under the host's name
        (:meth:`known_as`) reads back so."""
        sids = {record.account: record.sid for record in self.accounts if record.sid and record.account}
        sids.update({record.name: record.sid for record in self.accounts if record.sid})
        return sids

    def known_as(self, name: str) -> str:
        """The host's own name for the account ``name`` (as it registers it), else ``name``."""
        record = self.account(name)
        return record.account if record is not None and record.account else name

    def to_json(self) -> dict[str, object]:
        tasks: list[dict[str, object]] = [record.to_json() for record in self.tasks]
        tasks += [record.to_json() for record in self.unreadable]
        return {
            "op": "read",
            "host": self.host.to_json(),
            "folders": [record.to_json() for record in self.folders],
            "tasks": tasks,
            "files": [record.to_json() for record in self.files],
            "directories": [record.to_json() for record in self.directories],
            "accounts": [record.to_json() for record in self.accounts],
            **({} if self.history is None else {"history": self.history.to_json()}),
            "environment": [record.to_json() for record in self.environment],
        }

    @classmethod
    def from_json(cls, data: object) -> ReadResult:
        fields_ = response_fields(data, "read")
        task_items = list(fields_.items("tasks"))
        host = HostFacts.from_json(fields_.value("host"), fields_.at("host"))
        return cls(
            host=host,
            folders=tuple(FolderRecord.from_json(item, where) for where, item in fields_.items("folders")),
            tasks=tuple(TaskRecord.from_json(item, where) for where, item in task_items if not _is_unreadable(item)),
            unreadable=tuple(UnreadableTask.from_json(item, where) for where, item in task_items if _is_unreadable(item)),
            files=tuple(FileRecord.from_json(item, where) for where, item in fields_.items("files")),
            directories=tuple(DirectoryRecord.from_json(item, where) for where, item in fields_.items("directories")),
            accounts=tuple(AccountRecord.from_json(item, where, host.hostname) for where, item in fields_.items("accounts")),
            history=None if fields_.optional_value("history") is None else HistoryResult.from_json(fields_.value("history")),
            # Older hosts leave it out: every variable then stays unread, said as unresolved.
            environment=tuple(EnvironmentRecord.from_json(item, where) for where, item in fields_.items("environment")),
        )


def split_task_path(path: str) -> tuple[str, str]:
    """``\\A\\B\\Name`` -> (``\\A\\B``, ``Name``); a task of the root folder -> (``\\``, ``Name``)."""
    folder, _separator, name = path.rpartition("\\")
    return folder or "\\", name


def path_key(path: str) -> str:
    """The form two spellings of one Windows path share: case-folded, no trailing ``\\``."""
    stripped = path.strip()
    return (stripped.rstrip("\\") or stripped).casefold()


# --- apply -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One write. Kind-specific fields: ``content`` (write_file), ``full_control`` (set_acl),
    ``xml``/``user``/``logon_type`` (register_task); ``expected_hash`` for write_file,
    register_task and delete_task (``None``: must not exist yet)."""

    id: str
    kind: ChangeKind  # the text of a kind is taken too, and made a ChangeKind
    path: str
    requires: tuple[str, ...] = ()
    expected_hash: str | None = None
    content: bytes | None = field(default=None, repr=False)
    full_control: tuple[str, ...] = ()
    xml: str | None = field(default=None, repr=False)
    user: str | None = None
    logon_type: LogonType | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", ChangeKind(self.kind))  # frozen: set once, here
        except ValueError:
            raise ContractError(f"change {quoted(self.id)}: kind {quoted(str(self.kind))} must be one of {', '.join(CHANGE_KINDS)}") from None
        where = f"change {quoted(self.id)} ({self.kind} {self.path})"
        if self.kind is ChangeKind.WRITE_FILE and self.content is None:
            raise ContractError(f"{where}: content is required")
        if self.kind is ChangeKind.SET_ACL and not self.full_control:
            raise ContractError(f"{where}: full_control must list at least one SID")
        if self.kind is ChangeKind.REGISTER_TASK and (self.xml is None or self.logon_type is None):
            raise ContractError(f"{where}: xml and logon_type are required")
        if self.expected_hash is not None and self.kind not in _HASHED_KINDS:
            raise ContractError(f"{where}: expected_hash only applies to {', '.join(kind.value for kind in _HASHED_KINDS)}")

    def to_json(self, *, with_password: bool = False) -> dict[str, object]:
        """The change as sent; ``with_password``: the apply carries a password for it."""
        data: dict[str, object] = {"id": self.id, "kind": self.kind.value, "path": self.path}
        if self.kind in _TASK_KINDS:
            folder, name = split_task_path(self.path)
            data.update(folder=folder, name=name)
        if self.kind is ChangeKind.WRITE_FILE and self.content is not None:
            data["content_base64"] = base64.b64encode(self.content).decode("ascii")
        if self.kind is ChangeKind.SET_ACL:
            data["full_control"] = list(self.full_control)
        if self.kind is ChangeKind.REGISTER_TASK:
            data.update(xml=self.xml, user=self.user, logon_type=self.logon_type.value if self.logon_type else None)
            data.update(_registration_arguments(self, with_password))
        if self.kind in _HASHED_KINDS:
            data["expected_hash"] = self.expected_hash
        if self.requires:
            data["requires"] = list(self.requires)
        return data

    @classmethod
    def from_json(cls, data: object, where: str) -> Change:
        fields_ = Fields(data, where)
        kind = ChangeKind(fields_.choice("kind", CHANGE_KINDS))
        logon_type = fields_.optional_choice("logon_type", tuple(item.value for item in LogonType))
        try:
            return cls(
                id=fields_.required_str("id"),
                kind=kind,
                path=fields_.required_str("path"),
                requires=fields_.str_list("requires"),
                expected_hash=fields_.optional_hash("expected_hash"),
                content=fields_.optional_base64("content_base64"),
                full_control=fields_.str_list("full_control"),
                xml=fields_.optional_str("xml"),
                user=fields_.optional_str("user"),
                logon_type=LogonType(logon_type) if logon_type else None,
            )
        except ContractError as error:
            raise ContractError(f"{where}: {error}") from None


def _registration_arguments(change: Change, with_password: bool) -> dict[str, object]:
    """The userId and logonType RegisterTask is called with, as community.windows'
    win_scheduled_task.ps1 registers: with no password, no account and TASK_LOGON_NONE, so Task
    Scheduler takes both from the XML's principal (a gMSA, S4U, a service account, a group); with
    one, the account and the TASK_LOGON_* of its logon type."""
    if not with_password or change.logon_type is None:
        return {"register_user": None, "register_logon": TASK_LOGON_NONE}
    return {"register_user": change.user, "register_logon": TASK_LOGON[change.logon_type]}


@dataclass(frozen=True)
class ApplyRequest:
    changes: tuple[Change, ...]
    passwords: Mapping[str, str] = field(default_factory=dict, repr=False)
    # How long the host waits for another apply to end before it stops this one (Windows host:
    # its named mutex; the directory host's file lock waits as long as it takes).
    lock_seconds: int = 300

    def __post_init__(self) -> None:
        ids = [change.id for change in self.changes]
        duplicates = sorted({change_id for change_id in ids if ids.count(change_id) > 1})
        if duplicates:
            raise ContractError(f"apply request: change ids must be unique, repeated: {', '.join(duplicates)}")
        registered = {change.id for change in self.changes if change.kind is ChangeKind.REGISTER_TASK}
        stray = sorted(set(self.passwords) - registered)
        if stray:
            raise ContractError(f"apply request: passwords given for ids that are not register_task changes: {', '.join(stray)}")
        for change in self.changes:
            unknown = [required for required in change.requires if required not in ids[: ids.index(change.id)]]
            if unknown:
                raise ContractError(f"apply request: change {quoted(change.id)} requires {', '.join(unknown)}, which no earlier change has")

    def to_json(self) -> dict[str, object]:
        """The request as sent to the host, passwords included: never log or return this."""
        changes = [change.to_json(with_password=change.id in self.passwords) for change in self.changes]
        return {"op": "apply", "changes": changes, "passwords": dict(self.passwords), "lock_seconds": self.lock_seconds}

    def redacted_json(self) -> dict[str, object]:
        """The request with every password replaced by ``********``: safe to show and log."""
        return {**self.to_json(), "passwords": {change_id: REDACTED for change_id in self.passwords}}

    @classmethod
    def from_json(cls, data: object) -> ApplyRequest:
        fields_ = Fields(data, "apply request")
        expect_op(fields_, "apply")
        return cls(
            changes=tuple(Change.from_json(item, where) for where, item in fields_.items("changes")),
            passwords=fields_.str_mapping("passwords"),
            lock_seconds=fields_.optional_int("lock_seconds", minimum=1) or 300,
        )


# The controller's words for a change refused by its hash check (what is there is no longer what
# the plan was made from): the Windows host sends "concurrent" and no message of its own.
CHANGED_CONCURRENTLY = "changed concurrently, re-run"


@dataclass(frozen=True)
class ChangeResult:
    id: str
    status: str
    message: str | None = None
    error_code: int | None = None
    task_hash: str | None = None  # register_task, when applied

    @property
    def succeeded(self) -> bool:
        return self.status in ("applied", "unchanged")

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"id": self.id, "status": self.status, "message": self.message}
        if self.error_code is not None:
            data["error_code"] = self.error_code
        if self.task_hash is not None:
            data["task_hash"] = self.task_hash
        return {**data, "concurrent": True} if self.message == CHANGED_CONCURRENTLY else data

    @classmethod
    def from_json(cls, data: object, where: str) -> ChangeResult:
        fields_ = Fields(data, where)
        return cls(
            id=fields_.required_str("id"),
            status=fields_.choice("status", CHANGE_STATUSES),
            message=CHANGED_CONCURRENTLY if fields_.optional_bool("concurrent") else fields_.optional_str("message"),
            error_code=_windows_code(fields_.optional_code("error_code")),
            task_hash=fields_.optional_hash("task_hash"),
        )


# The HResult .NET gives an exception that carries no Windows code (COR_E_EXCEPTION, and
# COR_E_SYSTEM of PowerShell's RuntimeException, a `throw "text"`): no error code at all.
_NOT_WINDOWS_CODES = frozenset({0x80131500, 0x80131501})


def _windows_code(code: int | None) -> int | None:
    return None if code in _NOT_WINDOWS_CODES else code


@dataclass(frozen=True)
class ApplyResult:
    """The result of each change the host processed, in order; ``stopped``: why the host stopped
    before the changes that have none (outside any one change: the lock, a lost session)."""

    results: tuple[ChangeResult, ...]
    stopped: str | None = None

    def result(self, change_id: str) -> ChangeResult | None:
        """The change's result; when the host stopped before it, ``skipped`` with the reason."""
        found = next((result for result in self.results if result.id == change_id), None)
        if found is None and self.stopped is not None:
            return ChangeResult(change_id, "skipped", f"not applied: the apply stopped before this change: {self.stopped}")
        return found

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"op": "apply", "results": [result.to_json() for result in self.results]}
        if self.stopped is not None:
            data["stopped"] = self.stopped
        return data

    @classmethod
    def from_json(cls, data: object) -> ApplyResult:
        fields_ = response_fields(data, "apply")
        results = tuple(ChangeResult.from_json(item, where) for where, item in fields_.items("results", required=True))
        return cls(results, fields_.optional_str("stopped"))
