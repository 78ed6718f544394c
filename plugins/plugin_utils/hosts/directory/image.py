# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's read, written as a directory-host image on the controller (the snapshot).

What a deploy compares against is exactly its one read (``plan.read_request_for``): the task
folders and their tasks, the jobs' scripts and folders with their owners and DACLs, the accounts
it resolves. :func:`snapshot_of` turns a :class:`contract.ReadResult` into the files of a
directory host (docs/directory-host.md) and says what it leaves out and why; :func:`write_image`
writes them, fresh, into a folder that is new or holds an earlier snapshot, and nothing else.
A drift against the image then plans what it would plan against the server, with no connection.

The read carries no password (a host cannot give one back), so neither does the image;
``credentials.json`` is never written. A script its job marks sensitive leaves the server as its
hash, size, owner and ACL only (``withheld.json``): drift compares it by hash, and its content,
which holds what must not be read elsewhere, is never copied. The image is published (a CI
artifact of the review): every file is written 0600, every folder 0700. Host text is written as bytes, never interpreted: task
XML as Windows stores it (UTF-16LE with a BOM), scripts byte for byte. Every path from the host
goes through the directory host's own path rules (no ``..``, no ``/``, no NUL, names Windows
accepts), so no task or file of a host can land outside the image.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import WELL_KNOWN_SIDS, canonical_account
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadResult, path_key
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import (
    TASKS_DIR,
    WITHHELD_FILE,
    encode_task_text,
    invalid_name_reason,
    parse_folder_path,
    parse_task_path,
    parse_windows_path,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._xml import RejectedTaskXmlError, task_facts

__all__ = ["SNAPSHOT_FILE", "Snapshot", "snapshot_of", "write_image"]

# What says a folder holds a snapshot (and so may be replaced by the next one).
SNAPSHOT_FILE = "snapshot.json"
_WELL_KNOWN = frozenset(WELL_KNOWN_SIDS.values())


@dataclass(frozen=True)
class Snapshot:
    """The files of the image, relative to its root, and what was left out (one line each)."""

    files: Mapping[tuple[str, ...], bytes] = field(repr=False)
    directories: tuple[tuple[str, ...], ...]
    acl: Mapping[str, Any]  # acl.json: Windows path key -> {owner, protected, aces}
    accounts: Mapping[str, str]  # accounts.json: name -> SID
    host: Mapping[str, Any]  # host.json
    left_out: tuple[str, ...]
    counts: Mapping[str, int]
    withheld: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # withheld.json: path key -> {file_hash, size}


def snapshot_of(state: ReadResult, sensitive: Collection[str] = ()) -> Snapshot:
    """The image of ``state``; pure (no I/O), so each rule below is tested on data.

    ``sensitive``: the path keys (``contract.path_key``) of the scripts their jobs mark sensitive."""
    files: dict[tuple[str, ...], bytes] = {}
    withheld: dict[str, Mapping[str, Any]] = {}
    directories: list[tuple[str, ...]] = [("C",)]
    acl: dict[str, Any] = {}
    accounts: dict[str, str] = {}
    left_out: list[str] = []
    for folder in state.folders:
        if not folder.exists:
            continue
        if folder.reparse_point is not None:
            # A link is not copied: the image would point wherever the host text says.
            left_out.append(f"task folder '{folder.path}' is kept through the link '{folder.reparse_point}': not copied")
            continue
        parts = _checked(parse_folder_path, folder.path, left_out, "task folder")
        if parts is not None:
            directories.append((*TASKS_DIR, *parts))
    for task in state.tasks:
        parts = _checked(parse_task_path, task.path, left_out, "task")
        if parts is None:
            continue
        task_file = (*TASKS_DIR, *parts)
        files[task_file] = encode_task_text(task.xml)
        user = _principal(task.xml) if task.principal_sid else None
        if user and task.principal_sid and canonical_account(user) not in _WELL_KNOWN:
            # The task's account, under the name the task gives it, resolves as on the server
            # (a well-known account needs no entry: the directory host knows them).
            accounts.setdefault(user, task.principal_sid)
    left_out += [f"task '{task.path}' could not be read on the host ({task.error}): not copied" for task in state.unreadable]
    copied = {"tasks": len(files), "directories": 0, "files": 0}
    for record in state.directories:
        if _left_out(record.path, record.error, record.reparse_point, left_out) or not record.exists:
            continue
        path = _checked(parse_windows_path, record.path, left_out, "folder")
        if path is not None:
            directories.append((path.drive, *path.parts))
            acl[path.key] = _security(record.owner, record.protected, record.aces)
            copied["directories"] += 1
    for file in state.files:
        if _left_out(file.path, file.error, file.reparse_point, left_out) or not file.exists:
            continue
        if file.content is None:
            left_out.append(f"file '{file.path}' is over 1 MiB, the read gives no content: not copied")
            continue
        path = _checked(parse_windows_path, file.path, left_out, "file")
        if path is not None and path_key(file.path) in sensitive:
            # Its hash is what drift compares; its content stays on the server.
            withheld[path.key] = {"file_hash": file.file_hash, "size": file.size}
            directories.append((path.drive, *path.parts[:-1]))
            acl[path.key] = _security(file.owner, file.protected, file.aces)
            left_out.append(f"file '{file.path}' is marked sensitive: its content is not copied, only its hash, owner and ACL")
        elif path is not None:
            on_disk = (path.drive, *path.parts)
            files[on_disk] = file.content
            acl[path.key] = _security(file.owner, file.protected, file.aces)
            copied["files"] += 1
    for account in state.accounts:
        if account.sid is not None:
            # The host's own name first: the directory host names a SID after its first entry.
            if account.account:
                accounts.setdefault(account.account, account.sid)
            accounts.setdefault(account.name, account.sid)
    host = {
        "hostname": state.host.hostname,
        "os_version": state.host.os_version,
        "time_zone": state.host.time_zone,
        "utc_offset_minutes": state.host.utc_offset_minutes,
    }
    counts = {**copied, "accounts": len(accounts), "left_out": len(left_out)}
    kept_host = {key: value for key, value in host.items() if value is not None}
    return Snapshot(files, tuple(directories), acl, accounts, kept_host, tuple(left_out), counts, withheld)


def write_image(dest: str | os.PathLike[str], snapshot: Snapshot, *, host: str, taken: dt.datetime) -> Path:
    """Write ``snapshot`` as the directory host ``dest``, replacing an earlier snapshot there.

    A folder that exists and holds anything but a snapshot is refused, never emptied. The new
    image is built beside ``dest`` and moved into place, so ``dest`` is whole or untouched.
    """
    target = Path(dest)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / SNAPSHOT_FILE).is_file())):
        raise RequestError(f"{target} exists and is not a snapshot of this collection (no {SNAPSHOT_FILE}): give a new or empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for parts in snapshot.directories:
            _folder(building.joinpath(*parts))
        for parts, content in snapshot.files.items():
            _folder(building.joinpath(*parts[:-1]))
            _private(building.joinpath(*parts), content)
        _json(building / WITHHELD_FILE, snapshot.withheld)
        _json(building / "acl.json", snapshot.acl)
        _json(building / "accounts.json", snapshot.accounts)
        _json(building / "host.json", snapshot.host)
        about = {"host": host, "taken": taken.isoformat(timespec="seconds"), "counts": dict(snapshot.counts), "left_out": list(snapshot.left_out)}
        _json(building / SNAPSHOT_FILE, about)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}-old-{os.getpid()}") if target.exists() else None
    if old is not None:
        target.rename(old)
    try:
        building.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)  # the earlier snapshot stays where it was
        shutil.rmtree(building, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)
    return target


def _checked(parse: Any, text: str, left_out: list[str], what: str) -> Any:
    """``parse(text)``, or None (and a line in ``left_out``) when the path could lead out of the
    image or names what Windows refuses."""
    try:
        parsed = parse(text)
    except RequestError as error:
        left_out.append(f"{what} '{text}': {error}: not copied")
        return None
    names = parsed if isinstance(parsed, tuple) else parsed.parts
    reason = next((reason for reason in map(invalid_name_reason, names) if reason), None)
    if reason is not None:
        left_out.append(f"{what} '{text}': {reason}: not copied")
        return None
    return parsed


def _principal(xml: str) -> str | None:
    try:
        facts = task_facts(xml)
    except (RequestError, RejectedTaskXmlError):
        return None  # the plan reports a task it cannot read; the image keeps its XML as it is
    return facts.user_id


def _left_out(path: str, error: str | None, link: str | None, left_out: list[str]) -> bool:
    if error is not None:
        left_out.append(f"'{path}' could not be read on the host ({error}): not copied")
        return True
    if link is not None:
        left_out.append(f"'{path}' is reached through the link '{link}': not copied")
        return True
    return False


def _security(owner: str | None, protected: bool, aces: tuple[Any, ...]) -> dict[str, Any]:
    return {"owner": owner, "protected": protected, "aces": [ace.to_json() for ace in aces]}


def _folder(path: Path) -> None:
    """``path`` and the folders above it, the owner's alone. One at a time: ``mkdir(parents=True)``
    gives the folders above the default mode; the umask only ever narrows 0700."""
    if path.is_dir():
        return
    _folder(path.parent)
    path.mkdir(mode=0o700)


def _private(path: Path, content: bytes) -> None:
    """A new file only its owner may read: created 0600, not chmod-ed after it was readable."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(content)


def _json(path: Path, value: object) -> None:
    _private(path, (json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
