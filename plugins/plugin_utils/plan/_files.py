# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The directories, scripts and ACLs of one job: what to create, write and lock down.

Private to :mod:`plan`. A script is written only when its bytes differ from the host's
(``expected_hash`` = the hash read, ``None`` when it does not exist yet). With ACLs managed,
a directory or file any account outside the job's list may write to gets a protected DACL
giving FullControl to exactly that list; a new directory always gets it, so it never
inherits a looser parent ACL. The change names accounts as a person reads them
(``acl D:\\...\\synchro.bat: writable by BUILTIN\\Users -> writable only by
BUILTIN\\Administrators, NT AUTHORITY\\SYSTEM``): who may write that should not, then who will.

Every directory and file must be in a folder the job owns (:mod:`owned_folders`): the plan
refuses anything else, whatever built the job, so no path reaches the host's writes around it.
"""

from __future__ import annotations

import ntpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import (
    ADMINISTRATORS_SID,
    LOCAL_SERVICE_SID,
    NETWORK_SERVICE_SID,
    SYSTEM_SID,
    USERS_SID,
    canonical_account,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import FieldChange
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ChangeKind, ReadResult, path_key, sha256_hex
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.owned_folders import owned_folder_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan._steps import ChangeList, DesiredJob, PlanProblem

__all__ = ["ACCOUNT_WORDS", "FilePlan", "PlanProblem", "ScriptDiff", "folder_accounts", "plan_files"]

_SHOWN_HASH = 12  # hex digits of a SHA-256 shown in a field change
# How Windows shows the well-known accounts an ACL names (icacls, the Security tab).
ACCOUNT_WORDS = {
    ADMINISTRATORS_SID: "BUILTIN\\Administrators",
    USERS_SID: "BUILTIN\\Users",
    SYSTEM_SID: "NT AUTHORITY\\SYSTEM",
    LOCAL_SERVICE_SID: "NT AUTHORITY\\LOCAL SERVICE",
    NETWORK_SERVICE_SID: "NT AUTHORITY\\NETWORK SERVICE",
    "S-1-5-11": "NT AUTHORITY\\Authenticated Users",
    "S-1-5-4": "NT AUTHORITY\\INTERACTIVE",
    "S-1-1-0": "Everyone",
}


@dataclass(frozen=True)
class ScriptDiff:
    """A script this plan writes: previous content (``None``: new, or too big to read) and new."""

    path: str
    before: bytes | None = field(repr=False)
    after: bytes = field(repr=False)
    # Marked sensitive by its job: every result, diff and report built from this plan says only
    # that it changed (its content, before or after, is what must not be read there).
    sensitive: bool = False


@dataclass(frozen=True)
class FilePlan:
    changes: tuple[FieldChange, ...]
    change_ids: tuple[str, ...]
    scripts: tuple[ScriptDiff, ...]
    problems: tuple[PlanProblem, ...]


def folder_accounts(jobs: Sequence[DesiredJob]) -> dict[str, tuple[str, ...]]:
    """Every account that needs each job directory, over all the jobs sharing it.

    Two jobs starting in one folder under different accounts would otherwise each lock the other
    out, swapping the folder's DACL on every run: the folder gets one ACL naming all of them.
    """
    accounts: dict[str, list[str]] = {}
    for job in jobs:
        for directory in job.directories:
            accounts.setdefault(path_key(directory), []).extend(job.acl_sids)
    return {key: tuple(dict.fromkeys(names)) for key, names in accounts.items()}


def plan_files(
    job: DesiredJob,
    state: ReadResult,
    changes: ChangeList,
    *,
    secure_acl: bool,
    shared: Mapping[str, tuple[str, ...]],
    runs: Sequence[str] = (),
) -> FilePlan:
    """``shared``: :func:`folder_accounts` of all the jobs of the plan. ``runs``: files in the job's
    own folder its task executes that the job does not write (the host's own script): their ACL is
    locked down like the job's script."""
    outside = _outside_owned_folders(job)
    if outside:
        return FilePlan((), (), (), tuple(outside))
    links = _link_problems(job, state)
    if links:
        return FilePlan((), (), (), tuple(links))
    allowed, problems = _allowed_writers(job.name, job.acl_sids, state) if secure_acl and job.acl_sids else ((), [])
    sharing = [account for directory in job.directories for account in shared.get(path_key(directory), ())]
    steps = _Steps(state, changes, allowed, _account_names([*job.acl_sids, *sharing], state))
    for directory in job.directories:
        # Accounts another job names but the host cannot resolve are that job's problem.
        steps.directory_allowed = _allowed_writers(job.name, shared.get(path_key(directory), ()), state)[0] if allowed else ()
        steps.directory(directory)
    for item in job.files:
        steps.file(item.path, item.content, sensitive=item.sensitive)
    written = {path_key(item.path) for item in job.files}
    for path in runs:
        if path_key(path) not in written:
            steps.lock(path)
    return FilePlan(tuple(steps.field_changes), tuple(steps.change_ids), tuple(steps.scripts), tuple(problems))


class _Steps:
    def __init__(self, state: ReadResult, changes: ChangeList, allowed: tuple[str, ...], names: dict[str, str]) -> None:
        self.state = state
        self.changes = changes
        self.allowed = allowed  # empty: ACLs are left alone
        self.directory_allowed = allowed  # who may write the directory at hand: all the jobs in it
        self.names = names  # SID -> the account's name, for the change text
        self.field_changes: list[FieldChange] = []
        self.change_ids: list[str] = []
        self.scripts: list[ScriptDiff] = []
        self.directory_ids: dict[str, list[str]] = {}
        self.inherited: dict[str, tuple[str, ...]] = {}  # directory -> who may write in it once planned

    def directory(self, path: str) -> None:
        record = self.state.directory(path)
        ids: list[str] = []
        created = record is None or not record.exists
        if created:
            ids.append(self.changes.add_once(ChangeKind.CREATE_DIRECTORY, path).id)
            self.field_changes.append(FieldChange(f"directory {path}", None, "present"))
        writers = () if record is None else record.writers
        allowed = self.directory_allowed
        self.inherited[path_key(path)] = writers
        if allowed and (created or _foreign(writers, allowed)):
            ids.append(self.changes.add_once(ChangeKind.SET_ACL, path, requires=ids, full_control=allowed).id)
            self.field_changes.append(_acl_change(path, writers, allowed, self.names))
            self.inherited[path_key(path)] = allowed
        self.directory_ids[path_key(path)] = ids
        self.change_ids += ids

    def file(self, path: str, content: bytes, *, sensitive: bool = False) -> None:
        record = self.state.file(path)
        # A file is written after its directory (and that directory's ACL) is in place.
        parents = self._parents(path)
        exists = record is not None and record.exists
        previous_hash = record.file_hash if record is not None and exists else None
        new_hash = sha256_hex(content)
        ids: list[str] = []
        if previous_hash != new_hash:
            ids.append(self.changes.add(ChangeKind.WRITE_FILE, path, requires=parents, expected_hash=previous_hash, content=content).id)
            previous = record.content if record is not None and exists else None
            self.scripts.append(ScriptDiff(path, previous, content, sensitive=sensitive))
            self.field_changes.append(FieldChange(f"script {path}", _hash_words(previous_hash), _hash_words(new_hash)))
        # A new file inherits its folder's ACL, which names every job sharing the folder.
        writers = record.writers if record is not None and exists else self.inherited.get(path_key(ntpath.dirname(path)), ())
        if self.allowed and (exists or writers) and _foreign(writers, self.allowed):
            ids.append(self.changes.add(ChangeKind.SET_ACL, path, requires=[*parents, *ids], full_control=self.allowed).id)
            self.field_changes.append(_acl_change(path, writers, self.allowed, self.names))
        self.change_ids += ids

    def lock(self, path: str) -> None:
        """An existing file the job does not write, given the job's ACL when others may write it."""
        record = self.state.file(path)
        writers = () if record is None else record.writers
        if self.allowed and record is not None and record.exists and _foreign(writers, self.allowed):
            self.field_changes.append(_acl_change(path, writers, self.allowed, self.names))
            self.change_ids.append(self.changes.add(ChangeKind.SET_ACL, path, requires=self._parents(path), full_control=self.allowed).id)

    def _parents(self, path: str) -> list[str]:
        return [change_id for folder, ids in self.directory_ids.items() if path_key(path).startswith(folder + "\\") for change_id in ids]


def _outside_owned_folders(job: DesiredJob) -> list[PlanProblem]:
    """The last guard: whatever built the job, nothing is written outside the folders it owns."""
    folders = [*job.directories, *(ntpath.dirname(item.path) for item in job.files)]
    problems = [owned_folder_problem(folder, job.owned_root or None) for folder in folders]
    return [PlanProblem(job.name, "working_directory", problem) for problem in dict.fromkeys(problems) if problem]


def _link_problems(job: DesiredJob, state: ReadResult) -> list[PlanProblem]:
    """A job whose folder or script the host reached through a link or junction: a write or an
    ACL there would land wherever the link points, so nothing of the job is planned."""
    records = [state.directory(path) for path in job.directories] + [state.file(item.path) for item in job.files]
    links = dict.fromkeys(record.reparse_point for record in records if record is not None and record.reparse_point)
    why = "the collection never writes or sets an ACL through one; use the real folder"
    return [PlanProblem(job.name, "working_directory", f"goes through the link or junction '{link}': {why}") for link in links]


def _allowed_writers(job: str, accounts: Sequence[str], state: ReadResult) -> tuple[tuple[str, ...], list[PlanProblem]]:
    sids = state.sids()
    allowed: list[str] = []
    problems = []
    for account in accounts:
        canonical = canonical_account(account, sids)
        if not canonical.startswith("S-"):
            problems.append(PlanProblem(job, "acl", f"account '{account}' has no SID on the host: its access cannot be granted"))
        elif canonical not in allowed:
            allowed.append(canonical)
    return tuple(allowed), problems


def _foreign(writers: tuple[str, ...], allowed: tuple[str, ...]) -> bool:
    return bool({canonical_account(writer) for writer in writers} - set(allowed))


def _account_names(accounts: Sequence[str], state: ReadResult) -> dict[str, str]:
    """SID -> name for the accounts of the job's ACLs, as the jobs name them."""
    sids = state.sids()
    return {canonical_account(account, sids): account for account in reversed(accounts)}


def _acl_change(path: str, writers: tuple[str, ...], allowed: tuple[str, ...], names: dict[str, str]) -> FieldChange:
    foreign = [writer for writer in writers if canonical_account(writer) not in allowed]
    before = "writable by " + _accounts_words(foreign, names) if foreign else None
    return FieldChange(f"acl {path}", before, "writable only by " + _accounts_words(allowed, names))


def _accounts_words(sids: Sequence[str], names: dict[str, str]) -> str:
    # A SID nobody named stays a SID: on the host, `wmic useraccount where sid=...` names it.
    return ", ".join(ACCOUNT_WORDS.get(canonical_account(sid)) or names.get(canonical_account(sid)) or sid for sid in sids)


def _hash_words(digest: str | None) -> str | None:
    return None if digest is None else f"sha256 {digest[:_SHOWN_HASH]}.."
