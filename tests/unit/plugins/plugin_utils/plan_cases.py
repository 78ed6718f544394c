# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan cases as data: a host's content and desired jobs in, expected changes and outcomes out.

A case is one YAML file in ``data/plan/`` (adding a case = adding a file)::

    description: what the case proves
    options: {folder: '\\Isotools', prune: false, update_password: on_create, secure_acl: true}
    host:
      folders: ['\\Isotools']                 # existing folders ('\\' always exists)
      tasks:                                   # registered tasks, rendered by taskxml
        - spec: {...task spec...}              # or xml: '<Task ...>' with path: '\\F\\Name'
          owned: true                          # carries the ownership marker (default true)
          password_version: v1                 # label in the marker (default: the spec's)
          principal_sid: S-1-5-21-...          # the SID the host resolved the principal to
      files: [{path: 'D:\\...', content: "...", writers: [SID, ...], owner: SID}]   # owner: Administrators
      directories: [{path: 'D:\\...', writers: [SID, ...], owner: SID}]
      accounts: {svc_sync: S-1-5-21-...}       # names the host resolves
      drives: [C, D]                           # the host's drives (default C and D): their roots exist
    jobs:
      - task: {...task spec, password and password_version included...}
        files: [{path, content}]
        directories: [...]
        acl: [accounts given FullControl]
      - {name: Old, state: absent}
    expect:
      changes: [{id, kind, path, expected_hash, requires, full_control, user, logon_type}]
      outcomes: {job name: outcome}
      field_changes: {job name: ["path: before -> after", ...]}
      passwords: [change ids carrying a password]
      warnings: {job name: [text found in a warning]}
      error: {job: name, field: path, match: text}   # instead of the above: PlanError

``expected_hash: read`` stands for the hash the host holds for that path.
The host answers a read as the real ones do: only the folders asked for (not their
sub-folders), the tasks asked for by path, a record for every file, directory and account.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import ADMINISTRATORS_SID
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    AccountRecord,
    DirectoryRecord,
    FileRecord,
    FolderRecord,
    HostFacts,
    ReadRequest,
    ReadResult,
    TaskRecord,
    path_key,
    sha256_hex,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract.file_access import FULL_CONTROL, AccessEntry
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import mark
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import DesiredFile, DesiredJob, PlanOptions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import render_xml

CASES = Path(__file__).parent / "data" / "plan"


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    options: PlanOptions
    host: FakeHost
    jobs: tuple[DesiredJob, ...]
    expect: dict[str, Any]


def load_case(path: Path) -> Case:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Case(
        name=path.stem,
        description=data["description"],
        options=PlanOptions(**data["options"]),
        host=FakeHost(data.get("host") or {}),
        jobs=tuple(_job(item) for item in data["jobs"]),
        expect=data["expect"],
    )


def _job(item: dict[str, Any]) -> DesiredJob:
    if item.get("state") == "absent":
        return DesiredJob(name=item["name"], state="absent")
    spec = parse_spec(item["task"])
    return DesiredJob(
        name=item.get("name", spec.definition.name),
        definition=spec.definition,
        password=spec.password,
        password_version=spec.password_version,
        files=tuple(DesiredFile(file["path"], file["content"].encode()) for file in item.get("files", ())),
        directories=tuple(item.get("directories", ())),
        acl_sids=tuple(item.get("acl", ())),
    )


class FakeHost:
    """A host holding what the case says, answering ``read`` like the real hosts."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.folders = ["\\", *data.get("folders", ())]
        self.tasks = [_task_record(item) for item in data.get("tasks", ())]
        self.files = {path_key(item["path"]): _file_record(item) for item in data.get("files", ())}
        self.directories = {path_key(item["path"]): DirectoryRecord(item["path"], True, *_security(item)) for item in data.get("directories", ())}
        self.accounts = {name.casefold(): sid for name, sid in (data.get("accounts") or {}).items()}
        # A drive's root exists as a real host's does, with no security the plan looks at.
        for drive in data.get("drives", ("C", "D")):
            self.directories.setdefault(path_key(f"{drive}:\\"), DirectoryRecord(f"{drive}:\\", True))

    def hash_of(self, path: str) -> str | None:
        task = next((record for record in self.tasks if path_key(record.path) == path_key(path)), None)
        if task is not None:
            return task.task_hash
        file = self.files.get(path_key(path))
        return file.file_hash if file is not None else None

    def read(self, request: ReadRequest) -> ReadResult:
        folders = {path_key(query.path) for query in request.folders}
        asked = {path_key(path) for path in request.tasks}
        return ReadResult(
            host=HostFacts("SHOP01", "10.0.20348", "W. Europe Standard Time", 60),
            folders=tuple(FolderRecord(path, path_key(path) in map(path_key, self.folders)) for path in (query.path for query in request.folders)),
            tasks=tuple(record for record in self.tasks if path_key(_folder_of(record.path)) in folders or path_key(record.path) in asked),
            files=tuple(self.files.get(path_key(path), FileRecord(path, False)) for path in request.files),
            directories=tuple(self.directories.get(path_key(path), DirectoryRecord(path, False)) for path in request.directories),
            accounts=tuple(_account(name, self.accounts.get(name.casefold())) for name in request.accounts),
        )


def _task_record(item: dict[str, Any]) -> TaskRecord:
    if "xml" in item:
        path, xml = item["path"], item["xml"]
    else:
        spec = parse_spec(item["spec"])
        definition = spec.definition
        if item.get("owned", True):
            definition = mark(definition, password_version=item.get("password_version", spec.password_version))
        path, xml = definition.path, render_xml(definition)
    return TaskRecord(
        path=path,
        xml=xml,
        task_hash=sha256_hex(xml.encode("utf-8")),
        enabled=True,
        state="ready",
        principal_sid=item.get("principal_sid"),
    )


def _file_record(item: dict[str, Any]) -> FileRecord:
    content = item["content"].encode()
    return FileRecord(item["path"], True, sha256_hex(content), len(content), content, *_security(item))


def _security(item: dict[str, Any]) -> tuple[str, bool, tuple[AccessEntry, ...]]:
    """A case's ``writers`` as a protected DACL giving each FullControl; ``owner`` Administrators
    unless the case names one."""
    aces = tuple(AccessEntry(sid, True, FULL_CONTROL) for sid in item.get("writers", ()))
    return item.get("owner", ADMINISTRATORS_SID), True, aces


def _account(name: str, sid: str | None) -> AccountRecord:
    return AccountRecord(name, sid) if sid else AccountRecord(name, None, "account not found")


def _folder_of(path: str) -> str:
    return path.rsplit("\\", 1)[0] or "\\"
