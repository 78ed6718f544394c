# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``apply`` operation of the directory host: each change on its own, in order.

Every change either happens completely or leaves the image as it was: the one write that makes
it happen is atomic (temporary file, then rename), and its bookkeeping (``acl.json``,
``state.json``, ``credentials.json``) is edited in memory and written once when the call ends,
however it ends; when that write fails, the changes it held are undone (``_ledger``).
The caller holds the image's lock, so the ``expected_hash`` check and the write it guards
cannot interleave with another process's apply.
"""

from __future__ import annotations

import base64
import binascii
import enum
import errno
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import SERVICE_ACCOUNT_SIDS
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import TASK_LOGON, TASK_LOGON_NONE
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._accounts import AccountBook
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._acl import hardened_entry
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import (
    E_ACCESS_DENIED,
    E_ALREADY_EXISTS,
    E_FILE_NOT_FOUND,
    E_INVALID_NAME,
    E_INVALIDARG,
    E_LOGON_FAILURE,
    E_NONE_MAPPED,
    E_PATH_NOT_FOUND,
    E_REQUEST_REFUSED,
    SCHED_E_ALREADY_RUNNING,
    ChangeFailed,
    ChangeRefused,
    RequestError,
    windows_error_of,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._ledger import Transaction, Undone
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._state import StateBook
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import (
    NOT_REGULAR,
    Image,
    Resolved,
    WindowsPath,
    atomic_write,
    display_task_path,
    encode_task_text,
    host_sha256,
    invalid_name_reason,
    is_regular_file,
    load_task,
    make_dirs,
    parse_folder_path,
    parse_task_path,
    parse_windows_path,
    remove_dirs,
    remove_file,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._xml import (
    RejectedTaskXmlError,
    check_registrable,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe

__all__ = ["ApplyContext", "Interrupt", "Interruption", "apply_changes", "checked_changes", "no_interruption"]

_SUCCEEDED = ("applied", "unchanged")
_PASSWORD_LOGONS = ("password", "interactive_token_or_password")
_LOGON_TYPES = ("password", "s4u", "interactive_token", "interactive_token_or_password", "service_account", "group")
_Inject = Callable[[], None]


class Interruption(str, enum.Enum):
    """What a change can meet on a Windows machine that no file of the image says: a write
    refused or failing, an account that does not resolve, a running task, a dropped connection
    (docs/directory-host.md, "Interruptions")."""

    ACCESS_DENIED = "access_denied"
    UNKNOWN_ACCOUNT = "unknown_account"
    DISK_FULL = "disk_full"
    TASK_RUNNING = "task_running"
    CONNECTION_LOST = "connection_lost"


# Asked once for each change an apply reaches, before it is applied: what it meets, or None.
# It may raise RequestError (the call fails, nothing applied if it is the first change) or
# OSError (the apply stops there, as a host failing between two changes).
Interrupt = Callable[[Mapping[str, Any]], Interruption | None]


def no_interruption(_change: Mapping[str, Any]) -> Interruption | None:
    """A machine on which every change meets only what its image says."""
    return None


@dataclass(frozen=True)
class ApplyContext:
    image: Image
    accounts: AccountBook
    now: str  # host-local time text, for the credential bookkeeping
    state: StateBook  # the runtime state as the call found it, runs already settled


@dataclass(frozen=True)
class _Call:
    """What a change handler works with: the host, and the apply it is part of."""

    context: ApplyContext
    transaction: Transaction


@dataclass(frozen=True)
class _Outcome:
    status: str
    message: str | None = None
    task_hash: str | None = None
    concurrent: bool = False  # refused by the hash check: the controller words it


class _ChangedConcurrently(ChangeRefused):
    """What is there is no longer what the controller planned from: refused, as the Windows host
    refuses it, with "concurrent" and no words of the host's (contract.CHANGED_CONCURRENTLY)."""

    def __init__(self) -> None:
        super().__init__(None, "")


def checked_changes(request: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The changes and passwords of an apply request, or :class:`RequestError` for a bad shape."""
    changes = request.get("changes", [])
    if not isinstance(changes, list):
        raise RequestError("apply: 'changes' must be a list")
    # The file lock waits as long as it takes; the wait the Windows host's mutex is given is still checked.
    lock_seconds = request.get("lock_seconds", 300)
    if not isinstance(lock_seconds, int) or isinstance(lock_seconds, bool) or lock_seconds < 1:
        raise RequestError("apply: 'lock_seconds' must be a positive integer")
    seen: set[str] = set()
    for index, change in enumerate(changes):
        if not isinstance(change, dict) or not isinstance(change.get("id"), str) or not isinstance(change.get("kind"), str):
            raise RequestError(f"apply: changes[{index}] must be an object with a string 'id' and 'kind'")
        requires = change.get("requires") or []
        if not isinstance(requires, list) or not all(isinstance(required, str) for required in requires):
            raise RequestError(f"apply: changes[{index}].requires must be a list of change ids")
        if change["id"] in seen:
            raise RequestError(f"apply: change id '{change['id']}' is used twice")
        seen.add(change["id"])
    passwords = request.get("passwords") or {}
    if not isinstance(passwords, dict) or not all(isinstance(value, str) for value in passwords.values()):
        raise RequestError("apply: 'passwords' must map change ids to strings")
    return changes, passwords


def apply_changes(
    context: ApplyContext, changes: Sequence[dict[str, Any]], passwords: Mapping[str, str], interrupt: Interrupt
) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """The result of each change processed, in order; the id of the change the connection was
    lost at; and why the apply stopped before the changes that have no result (``stopped``).

    The bookkeeping of the changes applied is written before this returns or raises, so that a
    lost connection or an unexpected error leaves nothing applied but unrecorded.
    """
    call = _Call(context, Transaction(context.image, context.state))
    results: list[dict[str, Any]] = []
    stopped: OSError | None = None
    lost_at = None
    try:
        lost_at = _apply_in_order(call, changes, passwords, interrupt, results)
    except OSError as error:
        # Outside any one change (each has its own handling): as on the Windows host, what was
        # done is still reported, and why the rest was not reached (the controller counts it skipped).
        stopped = error
    finally:
        undone = call.transaction.commit(len(results))
        _report_undone(changes, results, undone)
    return results, lost_at, None if stopped is None else windows_error_of(stopped).describe("the apply stopped")


def _apply_in_order(
    call: _Call, changes: Sequence[dict[str, Any]], passwords: Mapping[str, str], interrupt: Interrupt, results: list[dict[str, Any]]
) -> str | None:
    """Append the result of each change to ``results``; the id of the change the connection was lost at."""
    succeeded: set[str] = set()
    for change in changes:
        missing = [required for required in change.get("requires") or () if required not in succeeded]
        if missing:
            # As the Windows host: skipped, and nothing said; the controller names what it required (plan._unmet).
            results.append(_result(change["id"], _Outcome("skipped", None), None))
            continue
        met = interrupt(change)
        if met is Interruption.CONNECTION_LOST:
            return str(change["id"])
        call.transaction.begin(len(results))
        result = _apply_one(call, change, passwords.get(change["id"]), met)
        results.append(result)
        if result["status"] in _SUCCEEDED:
            succeeded.add(change["id"])
    return None


def _report_undone(changes: Sequence[dict[str, Any]], results: list[dict[str, Any]], undone: Sequence[Undone]) -> None:
    """Turn the result of each change the commit took back into the failure that made it."""
    for rollback in undone:
        windows = windows_error_of(rollback.error)
        for position in range(rollback.start, rollback.stop):
            change = changes[position]
            if results[position]["status"] in _SUCCEEDED:
                detail = f"{change['kind']} {change.get('path')}; undone because {rollback.path.name} could not be written"
                results[position] = _result(change["id"], _Outcome("failed", windows.describe(detail)), windows.code)


def _apply_one(call: _Call, change: dict[str, Any], password: str | None, met: Interruption | None) -> dict[str, Any]:
    handler = _HANDLERS.get(change["kind"])
    try:
        if handler is None:
            raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe(f"unknown change kind '{change['kind']}' (known: {', '.join(_HANDLERS)})"))
        if met is Interruption.UNKNOWN_ACCOUNT:
            raise ChangeRefused(E_NONE_MAPPED, E_NONE_MAPPED.describe(f"fault injected for change {change['id']}"))
        if met is Interruption.TASK_RUNNING:
            raise ChangeFailed(SCHED_E_ALREADY_RUNNING, f"the task is running; fault injected for change {change['id']}")
        return _result(change["id"], handler(call, change, password, _injector(met)), None)
    except _ChangedConcurrently:
        return _result(change["id"], _Outcome("refused", None, concurrent=True), None)
    except ChangeRefused as refusal:
        return _result(change["id"], _Outcome("refused", refusal.message), refusal.error_code)
    except RequestError as error:
        return _result(change["id"], _Outcome("refused", E_INVALIDARG.describe(str(error))), E_INVALIDARG.code)
    except ChangeFailed as failure:
        return _result(change["id"], _Outcome("failed", failure.message), failure.error_code)
    except OSError as error:
        windows = windows_error_of(error)
        detail = f"{change['kind']} {change.get('path')}"
        if isinstance(error, _InjectedFault):
            detail += f"; fault injected for change {change['id']}"
        return _result(change["id"], _Outcome("failed", windows.describe(detail)), windows.code)


def _result(change_id: str, outcome: _Outcome, error_code: int | None) -> dict[str, Any]:
    result: dict[str, Any] = {"id": change_id, "status": outcome.status, "message": outcome.message, "error_code": error_code}
    if outcome.task_hash is not None:
        result["task_hash"] = outcome.task_hash
    if outcome.concurrent:
        result["concurrent"] = True
    return result


class _InjectedFault(OSError):
    """A file-system error an interruption brought."""


def _injector(met: Interruption | None) -> _Inject:
    """What happens at the moment a change writes: nothing, or the file-system error it met."""

    def inject() -> None:
        if met is Interruption.ACCESS_DENIED:
            raise _InjectedFault(errno.EACCES, os.strerror(errno.EACCES))
        if met is Interruption.DISK_FULL:
            raise _InjectedFault(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return inject


# --- task folders and tasks ----------------------------------------------------------------------


def _create_folder(call: _Call, change: dict[str, Any], _password: str | None, inject: _Inject) -> _Outcome:
    parts = _valid_names(parse_folder_path(change.get("path")), change)
    _refuse_link(change, call.context.image.task_link(parts))
    folder = call.context.image.task(parts)
    if folder.exists and folder.path.is_dir():
        return _Outcome("unchanged", "the folder exists")
    if folder.exists:
        raise ChangeFailed(E_ALREADY_EXISTS, f"a task named {display_task_path(folder.names)} is in the way")
    inject()
    call.transaction.on_undo(partial(remove_dirs, make_dirs(folder.path)))
    return _Outcome("applied")


def _register_task(call: _Call, change: dict[str, Any], password: str | None, inject: _Inject) -> _Outcome:
    context = call.context
    parts = _valid_names(_task_parts(change), change)
    _refuse_link(change, context.image.task_link(parts))
    xml = change.get("xml")
    if not isinstance(xml, str):
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe("register_task needs the task's xml"))
    try:
        facts = check_registrable(xml)
    except RejectedTaskXmlError as error:
        raise ChangeRefused(error.error, str(error)) from None
    # RegisterTask's userId and logonType as the change carries them (register_user,
    # register_logon): TASK_LOGON_NONE leaves the XML's principal to rule, as the Windows host
    # registers without a password (community.windows' win_scheduled_task does so).
    named_user, named_logon = _registration_arguments(change)
    logon_type = named_logon or facts.logon_type or _default_logon(context, facts.user_id, facts.group_id)
    user = named_user or facts.user_id or facts.group_id
    sid = _registration_account(context, change, user, logon_type, password)
    task = context.image.task(parts)
    if task.exists and task.path.is_dir():
        raise ChangeFailed(E_ALREADY_EXISTS, f"a task folder named {display_task_path(task.names)} is in the way")
    if task.exists and not is_regular_file(task.path):
        raise ChangeRefused(E_ACCESS_DENIED, E_ACCESS_DENIED.describe(f"task {display_task_path(task.names)} {NOT_REGULAR}"))
    previous = task.path.read_bytes() if task.exists else None
    # As the Windows host registers: TASK_CREATE unless a hash names the task to update
    # (TASK_UPDATE), so a change without one never replaces a task.
    _check_hash(change, _task_hash(task) if task.exists else None, task.exists)
    # Read before anything is written, so that a broken file refuses the change untouched.
    credentials = call.transaction.credentials() if password else None
    created = make_dirs(task.path.parent)
    try:
        atomic_write(task.path, encode_task_text(xml), before_replace=inject)
    except BaseException:
        remove_dirs(created)
        raise
    call.transaction.on_undo(partial(_unregister, task.path, previous, created))
    if previous is None:
        # A new task starts without the runtime state a deleted namesake may have left.
        call.transaction.state.put(display_task_path(task.names).lower(), None)
    if credentials is not None and sid is not None:
        credentials.put(sid, {"set_at": context.now})  # that a password was set, never the password
    return _Outcome("applied", None, host_sha256(xml.encode("utf-8")))


def _registration_arguments(change: dict[str, Any]) -> tuple[str | None, str | None]:
    """The account and logon type the change registers with; (None, None) for TASK_LOGON_NONE."""
    user, logon = change.get("register_user"), change.get("register_logon", TASK_LOGON_NONE)
    if user is not None and not isinstance(user, str):
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe("register_user must be an account name or null"))
    if logon == TASK_LOGON_NONE:
        return user, None
    words = {code: logon_type.value for logon_type, code in TASK_LOGON.items()}
    if isinstance(logon, bool) or logon not in words:
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe(f"register_logon {describe(logon)} is not a TASK_LOGON_TYPE (0-6)"))
    return user, words[logon]


def _task_parts(change: dict[str, Any]) -> tuple[str, ...]:
    """The task's folder and name as the change carries them (ITaskFolder takes them so); a
    request that only gives ``path`` is split here."""
    if isinstance(change.get("folder"), str) and isinstance(change.get("name"), str):
        return (*parse_folder_path(change["folder"]), change["name"])
    return parse_task_path(change.get("path"))


def _unregister(path: Path, previous: bytes | None, created: Sequence[Path]) -> None:
    _restore(path, previous)
    remove_dirs(created)


def _default_logon(context: ApplyContext, user_id: str | None, group_id: str | None) -> str:
    """Windows' choice when neither the call nor the XML names a logon type."""
    if group_id and not user_id:
        return "group"
    if user_id and context.accounts.resolve(user_id) in SERVICE_ACCOUNT_SIDS:
        return "service_account"
    return "interactive_token"


def _registration_account(context: ApplyContext, change: dict[str, Any], user: str | None, logon_type: str, password: str | None) -> str | None:
    """The SID the task is registered for; refuses what RegisterTaskDefinition refuses."""
    path = change.get("path")
    if logon_type not in _LOGON_TYPES:
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe(f"logon_type '{logon_type}' is not one of {', '.join(_LOGON_TYPES)}"))
    sid = None if user is None else context.accounts.resolve(user)
    if user is not None and sid is None:
        raise ChangeRefused(E_NONE_MAPPED, E_NONE_MAPPED.describe(f"account '{user}' given for task {path}"))
    gmsa = bool(user and context.accounts.is_gmsa(user))
    takes_password = logon_type in _PASSWORD_LOGONS and not gmsa
    if password and not takes_password:
        why = "a group managed service account has no password" if gmsa else f"logon type {logon_type} takes none"
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe(f"a password was given for task {path}, but {why}"))
    if takes_password and (sid is None or not password):
        raise ChangeRefused(
            E_LOGON_FAILURE,
            E_LOGON_FAILURE.describe(f"task {path} with logon type {logon_type} needs the password of '{user}' on every registration"),
        )
    if logon_type == "service_account" and sid not in SERVICE_ACCOUNT_SIDS:
        raise ChangeRefused(
            E_INVALIDARG,
            E_INVALIDARG.describe(f"logon type service_account needs SYSTEM, LOCAL SERVICE or NETWORK SERVICE, not '{user}'"),
        )
    return sid


def _delete_task(call: _Call, change: dict[str, Any], _password: str | None, inject: _Inject) -> _Outcome:
    parts = _task_parts(change)
    _refuse_link(change, call.context.image.task_link(parts))
    task = call.context.image.task(parts)
    exists = task.exists and task.path.is_file()
    _check_hash(change, _task_hash(task) if exists else None, exists)
    if not exists:
        return _Outcome("unchanged", "the task does not exist")
    previous = task.path.read_bytes()
    inject()
    remove_file(task.path)
    call.transaction.on_undo(partial(_restore, task.path, previous))
    call.transaction.state.put(display_task_path(task.names).lower(), None)
    return _Outcome("applied")


def _task_hash(task: Resolved) -> str | None:
    loaded = load_task(task.path)
    return None if loaded.text is None else host_sha256(loaded.text.encode("utf-8"))


def _restore(path: Path, previous: bytes | None) -> None:
    if previous is None:
        remove_file(path)
    else:
        atomic_write(path, previous)


# --- files and directories -----------------------------------------------------------------------


def _create_directory(call: _Call, change: dict[str, Any], _password: str | None, inject: _Inject) -> _Outcome:
    target, resolved = _file_target(call.context, change)
    if resolved.exists and resolved.path.is_dir():
        return _Outcome("unchanged", "the directory exists")
    if resolved.exists:
        raise ChangeFailed(E_ALREADY_EXISTS, f"a file named {target.text} is in the way")
    inject()
    call.transaction.on_undo(partial(remove_dirs, make_dirs(resolved.path)))
    return _Outcome("applied")


def _write_file(call: _Call, change: dict[str, Any], _password: str | None, inject: _Inject) -> _Outcome:
    target, resolved = _file_target(call.context, change)
    try:
        content = base64.b64decode(change.get("content_base64") or "", validate=True)
    except (binascii.Error, ValueError):
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe(f"content_base64 of {target.text} is not base64")) from None
    if resolved.exists and resolved.path.is_dir():
        raise ChangeFailed(E_ACCESS_DENIED, f"{target.text} is a directory")
    if resolved.exists and not is_regular_file(resolved.path):
        raise ChangeRefused(E_ACCESS_DENIED, E_ACCESS_DENIED.describe(f"{target.text} {NOT_REGULAR}"))
    previous = resolved.path.read_bytes() if resolved.exists else None  # kept to undo the write
    current = None if previous is None else host_sha256(previous)
    _check_hash(change, current, resolved.exists)
    if not resolved.path.parent.is_dir():
        raise ChangeFailed(E_PATH_NOT_FOUND, f"the directory of {target.text} does not exist")
    atomic_write(resolved.path, content, before_replace=inject)
    call.transaction.on_undo(partial(_restore, resolved.path, previous))
    return _Outcome("applied")


def _set_acl(call: _Call, change: dict[str, Any], _password: str | None, inject: _Inject) -> _Outcome:
    target, resolved = _file_target(call.context, change)
    given = change.get("full_control")
    if not isinstance(given, list) or not given or not all(isinstance(item, str) for item in given):
        raise ChangeRefused(E_INVALIDARG, E_INVALIDARG.describe(f"full_control of {target.text} must list at least one SID"))
    sids = []
    for account in given:
        sid = call.context.accounts.resolve(account)
        if sid is None:
            raise ChangeRefused(E_NONE_MAPPED, E_NONE_MAPPED.describe(f"account '{account}' in full_control of {target.text}"))
        sids.append(sid)
    if not resolved.exists:
        raise ChangeRefused(E_FILE_NOT_FOUND, E_FILE_NOT_FOUND.describe(f"set_acl on {target.text}"))
    acl = call.transaction.acl()
    inject()
    # A protected DACL its children inherit, exactly these SIDs; Administrators the owner.
    acl.put(target.key, hardened_entry(sids))
    return _Outcome("applied")


def _file_target(context: ApplyContext, change: dict[str, Any]) -> tuple[WindowsPath, Resolved]:
    target = parse_windows_path(change.get("path"))
    _valid_names(target.parts, change)
    resolved = context.image.file(target)
    if resolved is None:
        raise ChangeFailed(E_PATH_NOT_FOUND, f"drive {target.drive}: does not exist on this host ({target.text})")
    _refuse_link(change, context.image.file_link(target))
    return target, resolved


def _refuse_link(change: dict[str, Any], link: str | None) -> None:
    """Nothing is written, created or re-permissioned through a link or junction (checked at the
    moment of the change, whatever the read saw)."""
    if link is not None:
        detail = f"{change['kind']} {change.get('path')}: the path goes through the link or junction '{link}', which is never followed"
        raise ChangeRefused(E_REQUEST_REFUSED, E_REQUEST_REFUSED.describe(detail))


# --- shared checks -------------------------------------------------------------------------------


def _valid_names(parts: tuple[str, ...], change: dict[str, Any]) -> tuple[str, ...]:
    for part in parts:
        reason = invalid_name_reason(part)
        if reason:
            raise ChangeRefused(E_INVALID_NAME, E_INVALID_NAME.describe(f"{change['kind']} {change.get('path')}: {reason}"))
    return parts


def _check_hash(change: dict[str, Any], current: str | None, exists: bool) -> None:
    """``expected_hash``: ``null`` or absent, must not exist (as the Windows host reads an absent
    one: ``$null``); a hash, must still match. Absent is never "no check": nothing is overwritten
    on a change that does not say what it expects."""
    expected = change.get("expected_hash")
    if (expected is None and exists) or (expected is not None and (not exists or current != str(expected).lower())):
        raise _ChangedConcurrently


_Handler = Callable[[_Call, dict[str, Any], str | None, _Inject], _Outcome]
_HANDLERS: Mapping[str, _Handler] = {
    "create_folder": _create_folder,
    "create_directory": _create_directory,
    "write_file": _write_file,
    "set_acl": _set_acl,
    "register_task": _register_task,
    "delete_task": _delete_task,
}
