# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a plan starts from (desired jobs), the ordered list of host changes it builds, and
the problems that stop it.

Private to :mod:`plan`, which exports :class:`DesiredJob` and :class:`DesiredFile`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import Change, ChangeKind, path_key
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType, TaskDefinition

__all__ = ["ChangeList", "DesiredFile", "DesiredJob", "PasswordOrigin", "PlanProblem"]


@dataclass(frozen=True)
class DesiredFile:
    """A script the job needs on the host, with its exact bytes."""

    path: str
    content: bytes = field(repr=False)
    # Its content is never shown (diffs, results, reports): it holds what must not be read there.
    sensitive: bool = False


class PasswordOrigin(str, enum.Enum):
    """Where a job's password comes from: a gMSA named only by the host's read (a SID) refuses
    a password written for the job, and is simply not sent one given to every job."""

    JOB = "job"  # written for this job (task.principal.password, the role job's password)
    DEFAULT = "default"  # given to every job that logs on with a password (shop_sync_default_password)

    def __str__(self) -> str:  # the option's word, on every Python (3.12 formats enums by name)
        return self.value


@dataclass(frozen=True)
class DesiredJob:
    name: str
    state: str = "present"  # 'present' | 'absent'
    definition: TaskDefinition | None = None  # required when present
    password: str | None = field(default=None, repr=False)
    password_origin: PasswordOrigin = PasswordOrigin.JOB
    password_version: str | None = None
    files: tuple[DesiredFile, ...] = ()
    directories: tuple[str, ...] = ()
    # Accounts (SIDs, or names the read resolves) given FullControl of the job's directories
    # and files; every other writer is drift. Empty: the job's ACLs are left alone.
    acl_sids: tuple[str, ...] = ()
    # The folder every directory and file of the job must be in (owned_folders): the owned root,
    # or the job's own working directory. Empty: only the never-written folders are refused.
    owned_root: str = ""
    # Not planned: what drift checks and shows besides the plan. How long after its last
    # successful run the job counts as stale (None: never), and where its script logs.
    max_age: dt.timedelta | None = None
    log: str | None = None


@dataclass(frozen=True)
class PlanProblem:
    """Why one job cannot be applied: the job, the field (spec path) and what is wrong."""

    job: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"job '{self.job}': {self.field}: {self.message}"


class ChangeList:
    """Changes in the order the host applies them, with ids ``c1``, ``c2``, ..."""

    def __init__(self) -> None:
        self._changes: list[Change] = []
        self._once: dict[tuple[str, str], Change] = {}

    def add(
        self,
        kind: ChangeKind,
        path: str,
        *,
        requires: Sequence[str] = (),
        expected_hash: str | None = None,
        content: bytes | None = None,
        full_control: tuple[str, ...] = (),
        xml: str | None = None,
        user: str | None = None,
        logon_type: LogonType | None = None,
    ) -> Change:
        change = Change(
            id=f"c{len(self._changes) + 1}",
            kind=kind,
            path=path,
            requires=tuple(dict.fromkeys(requires)),
            expected_hash=expected_hash,
            content=content,
            full_control=full_control,
            xml=xml,
            user=user,
            logon_type=logon_type,
        )
        self._changes.append(change)
        return change

    def add_once(self, kind: ChangeKind, path: str, *, requires: Sequence[str] = (), full_control: tuple[str, ...] = ()) -> Change:
        """A change several jobs share (a folder, a directory, its ACL) is made once."""
        key = (kind, path_key(path))
        if key not in self._once:
            self._once[key] = self.add(kind, path, requires=requires, full_control=full_control)
        return self._once[key]

    def changes(self) -> tuple[Change, ...]:
        return tuple(self._changes)
