# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From the desired jobs and one read of a host to the one ordered list of writes it needs.

A run is: :func:`read_request_for` -> host ``read`` -> :func:`plan` -> host ``apply`` (only
when :attr:`Plan.changed`) -> :func:`outcome_after_apply`. Every decision is made here, from
data; XML rendering and parsing are injected (``render=taskxml.render_xml``,
``parse=taskxml.parse_xml``).

Safety rules the plan keeps:

- every write carries the hash the read saw (``expected_hash``; ``None``: must not exist yet),
  so a change made by someone else in between is refused, never overwritten;
- a declared task without the marker (made by hand) is taken over: registered again, marked
  (outcome ``taken_over``), a password logon only with its password;
- a task is deleted only when it carries this collection's ownership marker with this run's
  owner (:attr:`PlanOptions.owner`), and a prune only looks at tasks directly inside the
  managed folder (never a sub-folder, never elsewhere); a declared task another owner labelled
  is refused;
- a password task that must be (re)registered without a password is a :class:`PlanError`
  before any change, because Windows refuses to register it; in check mode (nothing is
  registered) a hand-made one the job would take over is that job's own finding instead
  (outcome ``needs_password``), so a drift still checks the host's other jobs;
- passwords travel only in :attr:`Plan.passwords`, keyed by change id, never in a change or
  a field change.
"""

from __future__ import annotations

import dataclasses
import enum
import ntpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import canonical_account, is_gmsa_name, is_sid, well_known_sid
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import (
    FieldChange,
    compare_definitions,
    effective_logon_type,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    ApplyRequest,
    ApplyResult,
    Change,
    ChangeKind,
    ChangeResult,
    FolderQuery,
    ReadRequest,
    ReadResult,
    TaskRecord,
    decode_last_result,
    path_key,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    LogonTrigger,
    LogonType,
    Principal,
    SessionStateChangeTrigger,
    TaskDefinition,
    Trigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import (
    DEFAULT_OWNER,
    compare_ownership,
    is_owned,
    mark,
    ownership_of,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan._files import ACCOUNT_WORDS, ScriptDiff, folder_accounts, plan_files
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan._steps import (
    ChangeList,
    DesiredFile,
    DesiredJob,
    PasswordOrigin,
    PlanProblem,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan.execution_paths import ExecutionPaths, check_execution, execution_paths, unread
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import gmsa_logon_problem, gmsa_password_problem

__all__ = [
    "Backup",
    "OUTCOMES",
    "Outcome",
    "PASSWORD_LOGON_TYPES",
    "UPDATE_PASSWORD_CHOICES",
    "DesiredFile",
    "DesiredJob",
    "JobPlan",
    "JobResult",
    "PasswordOrigin",
    "Plan",
    "PlanError",
    "PlanOptions",
    "ScriptBackup",
    "ScriptDiff",
    "backup_entries",
    "outcome_after_apply",
    "plan",
    "read_request_for",
    "script_text",
]

# unreadable: the job's task on the host could not be read; the job is left alone (JobPlan.error).
# taken_over: a declared task without the ownership marker (made by hand), registered again as the
# job says and marked, so that from then on it is owned like any other (listed changes, if any).


class Outcome(str, enum.Enum):
    """What a plan does to one job's task (the result's ``jobs[].outcome``)."""

    CREATED = "created"
    UPDATED = "updated"
    TAKEN_OVER = "taken_over"  # a hand-made task, registered again with the owner's mark
    UNCHANGED = "unchanged"
    DELETED = "deleted"  # declared absent, was on the host
    ABSENT = "absent"  # declared absent, was not there
    PRUNED = "pruned"  # registered by this owner, no longer declared
    UNREADABLE = "unreadable"  # the host's task could not be read: the job is left alone
    NEEDS_PASSWORD = "needs_password"  # a takeover that needs the account's password, not given

    def __str__(self) -> str:  # the result's word in messages, on every Python (3.12 formats enums by name)
        return self.value


OUTCOMES = tuple(outcome.value for outcome in Outcome)
# The outcomes that change the host (a tuple: membership by equality, so the text "created" is in it too).
CHANGING = (Outcome.CREATED, Outcome.UPDATED, Outcome.TAKEN_OVER, Outcome.DELETED, Outcome.PRUNED)
UPDATE_PASSWORD_CHOICES = ("on_create", "always")
# Logon types Windows registers only together with the account's password.
PASSWORD_LOGON_TYPES = frozenset({LogonType.PASSWORD, LogonType.INTERACTIVE_TOKEN_OR_PASSWORD})

Render = Callable[[TaskDefinition], str]


class Parse(Protocol):
    """How a task's XML text becomes a definition: ``taskxml.parse_xml`` (raises ValueError)."""

    def __call__(self, xml: str, /, *, name: str, folder: str) -> TaskDefinition: ...


class PlanError(ValueError):
    """The jobs cannot be applied to this host as they are; nothing has been written.

    ``job`` and ``field`` name the first problem; ``problems`` holds all of them, so a user
    fixes everything in one go.
    """

    def __init__(self, problems: Sequence[PlanProblem], host: str | None = None) -> None:
        self.problems = tuple(problems)
        self.job = self.problems[0].job
        self.field = self.problems[0].field
        prefix = f"host '{host}', " if host else ""
        super().__init__("; ".join(prefix + str(problem) for problem in self.problems))


@dataclass(frozen=True)
class PlanOptions:
    folder: str  # the managed Task Scheduler folder, '\\Isotools'
    prune: bool = False
    update_password: str = "on_create"
    secure_acl: bool = True
    owner: str = DEFAULT_OWNER  # whose tasks this run registers, deletes and prunes

    def __post_init__(self) -> None:
        if self.update_password not in UPDATE_PASSWORD_CHOICES:
            raise ValueError(f"update_password '{self.update_password}' must be one of {', '.join(UPDATE_PASSWORD_CHOICES)}")
        if not self.folder.startswith("\\"):
            raise ValueError(f"folder '{self.folder}' must be a Task Scheduler folder path starting with '\\'")


@dataclass(frozen=True)
class JobPlan:
    """What the plan does to one job's task, and why (``changes``, in spec words)."""

    name: str
    path: str
    outcome: Outcome
    changes: tuple[FieldChange, ...] = ()
    change_ids: tuple[str, ...] = ()  # the host changes this job needs, shared ones included
    xml_before: str | None = None  # the task on the host, when there is one
    xml_after: str | None = None  # the XML registered by this plan; None when not (re)registered
    # The definition registering the task writes, whether or not this plan must (its accounts as the
    # host names them, the owner's mark): what the task is on the host once the plan is applied.
    # None for an absent job and one the plan leaves alone (unreadable, needs_password).
    registered: TaskDefinition | None = None
    scripts: tuple[ScriptDiff, ...] = ()  # scripts written by this plan, with their previous content
    warnings: tuple[str, ...] = ()
    # 'privilege escalation path: ...': what the task runs that someone else may change, and the
    # plan does not lock down (it is not the job's own folder or script)
    findings: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()  # what the task runs that could not be told (a per-user variable...)
    error: str | None = None  # why the job could not be planned (outcome 'unreadable' or 'needs_password')

    @property
    def changed(self) -> bool:
        return self.outcome in CHANGING


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    jobs: tuple[JobPlan, ...]
    passwords: Mapping[str, str] = field(default_factory=dict, repr=False)
    warnings: tuple[str, ...] = ()
    # What the jobs' tasks run that the read did not bring (a PATH search, a variable's folder):
    # the follow-up read's request; empty when the read was enough.
    unread: ReadRequest = field(default_factory=ReadRequest)
    # The XML of each task this plan registers, by task path (path_key), with the definition it was rendered
    # from: planning the same jobs again after a follow-up read (plan's ``rendered``) renders
    # each job's task once per run, not once per read.
    rendered: Mapping[str, tuple[TaskDefinition, str]] = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def apply_request(self) -> ApplyRequest:
        return ApplyRequest(self.changes, dict(self.passwords))


@dataclass(frozen=True)
class JobResult:
    """How one job fared once the host applied the plan."""

    name: str
    path: str
    outcome: Outcome  # the planned outcome
    status: str  # 'unchanged' (nothing to do), 'applied', 'refused', 'failed' or 'skipped'
    message: str | None = None  # why a change was not applied, from the host
    applied: tuple[str, ...] = ()  # 'write_file D:\\...\\synchro.bat', ...
    not_applied: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # one per not_applied change: 'failed: Access is denied (...)'

    @property
    def succeeded(self) -> bool:
        return self.status in ("unchanged", "applied")

    @property
    def all_applied(self) -> bool:
        """Every change of the job was made: a job partly applied is not applied (its lists say how far it got)."""
        return self.status == "applied"


def read_request_for(jobs: Sequence[DesiredJob], options: PlanOptions) -> ReadRequest:
    """The one read the plan needs: the managed folder (not its sub-folders), every other folder
    a job lives in, every job's task, file and directory, every file its task executes and the
    folders above those, and every account to resolve."""
    folders = _unique([options.folder, *(_task_folder(_job_path(job, options)) for job in jobs)])
    present = [job for job in jobs if job.state == "present"]
    runs = [execution_paths(job.definition).request() for job in present if job.definition is not None]
    return ReadRequest(
        folders=tuple(FolderQuery(folder, recurse=False) for folder in folders),
        tasks=_unique([_job_path(job, options) for job in jobs]),
        files=_unique([*(item.path for job in present for item in job.files), *(path for paths in runs for path in paths.files)]),
        directories=_unique(
            [
                *(directory for job in present for directory in job.directories),
                *(folder for paths in runs for folder in paths.directories),
                *(_drive_root(path) for job in present for path in _written_paths(job)),
            ]
        ),
        accounts=_unique([name for job in present for name in _accounts_named(job) if not _resolves_locally(name)]),
        environment=tuple(dict.fromkeys(name for paths in runs for name in paths.environment)),
    )


def plan(
    jobs: Sequence[DesiredJob],
    state: ReadResult,
    options: PlanOptions,
    *,
    render: Render,
    parse: Parse,
    check_mode: bool = False,
    rendered: Mapping[str, tuple[TaskDefinition, str]] | None = None,
) -> Plan:
    """The changes that make the host match ``jobs``; raises :class:`PlanError` when it cannot.

    ``check_mode``: nothing will be applied, so a hand-made password task the job would take over
    without its password is that job's finding (outcome ``needs_password``), not a host-wide error.
    ``rendered``: an earlier plan's :attr:`Plan.rendered` for the same run; a task whose
    definition is unchanged keeps that XML instead of being rendered again.
    """
    problems = _check_jobs(jobs, options)
    if problems:
        raise PlanError(problems)
    planner = _Planner(
        state, options, render, parse, folder_accounts([job for job in jobs if job.state == "present"]), check_mode=check_mode, rendered=rendered or {}
    )
    job_plans = [planner.job(job) for job in jobs]
    if options.prune:
        job_plans += planner.prune({path_key(_job_path(job, options)) for job in jobs})
    if planner.problems:
        raise PlanError(planner.problems)
    return Plan(
        changes=planner.changes.changes(),
        jobs=tuple(job_plans),
        passwords=dict(planner.passwords),
        warnings=tuple(planner.warnings),
        unread=dataclasses.replace(unread(planner.runs, state), accounts=_unique(planner.unread_accounts)),
        rendered=planner.rendered,
    )


def outcome_after_apply(plan: Plan, result: ApplyResult) -> tuple[JobResult, ...]:
    """Each job's fate once the host answered: which of its changes were applied, which not, why."""
    by_id = {change.id: change for change in plan.changes}
    outcomes = []
    for job in plan.jobs:
        applied: list[str] = []
        not_applied: list[str] = []
        reasons: list[str] = []
        statuses: list[str] = []
        message = None
        for change_id in job.change_ids:
            change = by_id[change_id]
            answer = result.result(change_id)
            words = f"{change.kind} {change.path}"
            if answer is not None and answer.succeeded:
                applied.append(words)
                continue
            status = answer.status if answer is not None else "skipped"
            unanswered = "the host returned no result for it"
            reason = _reason(answer.message or _unmet(change, answer, result), answer.error_code) if answer is not None else unanswered
            not_applied.append(words)
            reasons.append(f"{status}: {reason}")
            statuses.append(status)
            message = message or f"{words}: {status}: {reason}"
        status = _worst(statuses) if statuses else ("applied" if job.change_ids else "unchanged")
        outcomes.append(JobResult(job.name, job.path, job.outcome, status, message, tuple(applied), tuple(not_applied), tuple(reasons)))
    return tuple(outcomes)


def script_text(content: bytes | None) -> str:
    """A script's bytes as text to show (a diff, a backup entry): UTF-8, lines ending in LF."""
    return "" if content is None else content.decode("utf-8", errors="replace").replace("\r\n", "\n")


@dataclass(frozen=True)
class ScriptBackup:
    """The previous content of a script about to be overwritten."""

    path: str
    content: bytes
    sensitive: bool  # kept in its backup file only, never shown

    def as_result(self) -> dict[str, object]:
        """As the result says it: a sensitive script's content is never there, only that it was kept."""
        return {"path": self.path, "content": None if self.sensitive else script_text(self.content), "sensitive": self.sensitive}


@dataclass(frozen=True)
class Backup:
    """What one job's apply replaces: the previous XML of its task (re-registered or deleted;
    None when the task is not replaced) and of each script it overwrites."""

    job: str
    path: str
    outcome: Outcome
    xml: str | None
    scripts: tuple[ScriptBackup, ...]

    def as_result(self, files: Sequence[str] = ()) -> dict[str, object]:
        """The entry of the result's ``backups``; ``files``: where it was written on the controller."""
        return {
            "job": self.job,
            "path": self.path,
            "outcome": self.outcome.value,
            "xml": self.xml,
            "scripts": [script.as_result() for script in self.scripts],
            "files": list(files),
        }


def backup_entries(plan: Plan) -> list[Backup]:
    """What to keep before applying, one entry per job that replaces anything."""
    entries: list[Backup] = []
    for job in plan.jobs:
        task_replaced = job.xml_before is not None and (job.xml_after is not None or job.outcome in (Outcome.DELETED, Outcome.PRUNED))
        scripts = tuple(ScriptBackup(script.path, script.before, script.sensitive) for script in job.scripts if script.before is not None)
        if task_replaced or scripts:
            entries.append(Backup(job.name, job.path, job.outcome, job.xml_before if task_replaced else None, scripts))
    return entries


# --- the planner -------------------------------------------------------------------------------


def _with_principal_sid(sids: Mapping[str, str], actual: TaskDefinition, record: TaskRecord) -> Mapping[str, str]:
    """``sids`` plus the host task's principal as the host resolved it: the task may spell the
    account otherwise than the job (``CONTOSO\\svc`` for ``svc@contoso.example``), and only the
    SID says whether they are one account."""
    account = actual.principal.user_id or actual.principal.group_id
    if account is None or record.principal_sid is None:
        return sids
    return {**sids, account: record.principal_sid}


class _Planner:
    def __init__(
        self,
        state: ReadResult,
        options: PlanOptions,
        render: Render,
        parse: Parse,
        shared: Mapping[str, tuple[str, ...]],
        *,
        check_mode: bool = False,
        rendered: Mapping[str, tuple[TaskDefinition, str]],
    ) -> None:
        self.state = state
        self.check_mode = check_mode
        self.shared = shared  # directory -> every account the jobs in it need
        self.options = options
        self.render = render
        self.parse = parse
        self.earlier = rendered  # an earlier plan's XML of the same run, by task path
        self.rendered: dict[str, tuple[TaskDefinition, str]] = {}
        self.sids = state.sids()
        self.changes = ChangeList()
        self.passwords: dict[str, str] = {}
        self.problems: list[PlanProblem] = []
        self.warnings: list[str] = []
        self.runs: list[ExecutionPaths] = []  # what each present job's task runs, as this read tells
        self.unread_accounts: list[str] = []  # the host tasks' trigger users this read has not resolved

    def job(self, job: DesiredJob) -> JobPlan:
        # _check_jobs has refused a present job without a definition.
        if job.state == "absent" or job.definition is None:
            return self._absent(job)
        return self._present(job, job.definition)

    def _present(self, job: DesiredJob, definition: TaskDefinition) -> JobPlan:
        path = definition.path
        self.problems += _unresolved_accounts(job, self.state)
        definition = self._settled(job, definition)
        self.problems += self._password_for_a_gmsa(job, definition.principal)
        self.problems += _unreadable_files(job, self.state)
        self.problems += _missing_drives(job, self.state)
        # One task the host or the parser cannot read stops its own job, not the host's others.
        unreadable = self.state.unreadable_task(path)
        if unreadable is not None:
            return _unreadable(job, unreadable.path, unreadable.error)
        record = self.state.task(path)
        task_changes: list[FieldChange] = []
        take_over = False
        if record is not None:
            try:
                actual = self._parse(record)
            except ValueError as error:
                return _unreadable(job, record.path, str(error), xml=record.xml)
            self.unread_accounts += _unread_trigger_users(actual, self.sids)
            task_changes = self._task_changes(job, definition, actual, _with_principal_sid(self.sids, actual, record))
            self.problems += self._other_owner(job, path, actual)
            # A declared task without the marker (made by hand, adopted) is taken over even when
            # it already matches: until it carries the marker no prune or state=absent may delete it.
            take_over = not is_owned(actual)
            if take_over and self.check_mode and job.password is None and self._needs_password(definition):
                # Nothing is registered in check mode: the deploy would refuse this one job (see
                # _register), which is said as its own finding while the host's other jobs are checked.
                refusal = f"cannot be taken over without its password: {_take_over_needs_password(definition, self.sids)}"
                return JobPlan(job.name, path, Outcome.NEEDS_PASSWORD, changes=tuple(task_changes), xml_before=record.xml, error=refusal)
        must_register = record is None or bool(task_changes) or take_over
        self.problems += _folder_link(job.name, self.state, definition.folder)
        # Host order: folder, directories, ACLs, scripts, then the task that needs them all.
        change_ids = self._folder(definition.folder) if must_register else []
        runs = execution_paths(definition, self.state.variables())
        self.runs.append(runs)
        own = _owned_by(job) if self.options.secure_acl else set()
        # What the task runs from the job's own folder (the host's own script, a program named bare
        # found there) is locked down like the job's script: the job's folder ACL alone leaves a
        # file's own entries in place.
        in_own_folder = [path for path in runs.executed(self.state) if path_key(ntpath.dirname(path)) in own]
        files = plan_files(job, self.state, self.changes, secure_acl=self.options.secure_acl, shared=self.shared, runs=in_own_folder)
        self.problems += files.problems
        run_as = definition.principal.user_id or definition.principal.group_id
        names = {**ACCOUNT_WORDS, **({canonical_account(run_as, self.sids): run_as} if run_as else {})}
        executed = check_execution(runs, self.state, run_as, owned=lambda path: _owned(path, own), names=names)
        change_ids += files.change_ids
        registered = mark(_as_the_host_names(definition, self.state), password_version=self._password_version(job, definition), owner=self.options.owner)
        xml_after = None
        if must_register:
            xml_after = self._render(job, registered)
            change_ids.append(self._register(job, registered, xml_after, record, requires=change_ids, take_over=take_over))
        changes = (*task_changes, *files.changes)
        return JobPlan(
            name=job.name,
            path=path,
            outcome=_present_outcome(record, take_over, changes),
            changes=changes,
            change_ids=tuple(change_ids),
            xml_before=record.xml if record is not None else None,
            xml_after=xml_after,
            registered=registered,
            scripts=files.scripts,
            findings=executed.findings,
            unresolved=executed.unresolved,
        )

    def _other_owner(self, job: DesiredJob, path: str, actual: TaskDefinition) -> list[PlanProblem]:
        """A declared task another owner labelled is refused: two inventories must not fight over it."""
        ownership = ownership_of(actual)
        if not ownership.owned or ownership.owner in (self.options.owner, DEFAULT_OWNER):
            return []
        return [
            PlanProblem(
                job.name,
                "owner",
                f"task '{path}' belongs to the owner '{ownership.owner}', not '{self.options.owner}': give both one owner "
                "(shop_sync_owner, the owner option), or remove the job from one of them",
            )
        ]

    def _task_changes(self, job: DesiredJob, definition: TaskDefinition, actual: TaskDefinition, sids: Mapping[str, str]) -> list[FieldChange]:
        changes = [
            *compare_definitions(definition, actual, sids=sids),
            *compare_ownership(self._password_version(job, definition), actual),
        ]
        if self.options.update_password == "always" and job.password is not None and self._needs_password(definition):
            changes.append(FieldChange("principal.password", "(stored, unreadable)", "(set again: update_password is always)"))
        return changes

    def _register(
        self, job: DesiredJob, definition: TaskDefinition, xml: str, record: TaskRecord | None, *, requires: Sequence[str], take_over: bool = False
    ) -> str:
        principal = definition.principal
        needs_password = self._needs_password(definition)
        if needs_password and job.password is None and take_over:
            # Registering it without the password is refused by Windows, and leaving it unmarked
            # would leave it undeletable: the user decides, with the password or without the job.
            self.problems.append(PlanProblem(job.name, "principal.password", _take_over_needs_password(definition, self.sids)))
        elif needs_password and job.password is None:
            self.problems.append(
                PlanProblem(
                    job.name,
                    "principal.password",
                    f"logon_type '{effective_logon_type(principal, self.sids).value}' for "
                    f"'{principal.user_id}' needs the password to register the task (Windows refuses it "
                    "otherwise): give principal.password, or use logon_type s4u (no network access)",
                )
            )
        change = self.changes.add(
            ChangeKind.REGISTER_TASK,
            definition.path,
            requires=requires,
            expected_hash=record.task_hash if record is not None else None,
            xml=xml,
            user=principal.user_id or principal.group_id,
            logon_type=effective_logon_type(principal, self.sids),
        )
        if needs_password and job.password is not None:
            self.passwords[change.id] = job.password
        return change.id

    def _password_version(self, job: DesiredJob, definition: TaskDefinition) -> str | None:
        """The job's password label, for a task whose logon stores a password; None for any
        other (SYSTEM, a gMSA, S4U, a group): a default version bump must not register those
        again, since there is no password to set."""
        return job.password_version if self._needs_password(definition) else None

    def _needs_password(self, definition: TaskDefinition) -> bool:
        principal = definition.principal
        return effective_logon_type(principal, self.sids) in PASSWORD_LOGON_TYPES and not self._is_gmsa(principal)

    def _is_gmsa(self, principal: Principal) -> bool:
        """A gMSA by its spelling, or by the host's name for it: a SID says nothing by itself."""
        return principal.is_gmsa or (principal.user_id is not None and is_gmsa_name(self.state.known_as(principal.user_id)))

    def _settled(self, job: DesiredJob, definition: TaskDefinition) -> TaskDefinition:
        """The definition with the logon type the spec left to the host: a user given by a SID
        (spec.default_logon_type) logs on as a gMSA, with a password Windows fetches, when the
        host names it one, else with its interactive token, as the same account by name would.
        Another logon type given for such a gMSA is refused as it is for its name, before any write."""
        principal = definition.principal
        if principal.user_id is None or not is_sid(principal.user_id):
            return definition
        if not self._is_gmsa(principal):
            settled = principal.logon_type or LogonType.INTERACTIVE_TOKEN
        else:
            settled = LogonType.PASSWORD
            if principal.logon_type is not None and principal.logon_type is not LogonType.PASSWORD:
                account = self._named_on_the_host(principal.user_id)
                self.problems.append(PlanProblem(job.name, "principal.logon_type", gmsa_logon_problem(f"'{principal.logon_type.value}'", account)))
        if settled is principal.logon_type:
            return definition
        return dataclasses.replace(definition, principal=dataclasses.replace(principal, logon_type=settled))

    def _password_for_a_gmsa(self, job: DesiredJob, principal: Principal) -> list[PlanProblem]:
        """A password written for the job of an account the host names a gMSA is refused, as the
        spec refuses it for a gMSA's name (a SID does not say, so only this read can): the user
        said the account has a password, which a gMSA has not. One given to every job
        (PasswordOrigin.DEFAULT, the role's shop_sync_default_password) is simply not sent."""
        if job.password is None or job.password_origin is not PasswordOrigin.JOB or principal.user_id is None or not self._is_gmsa(principal):
            return []
        problem = gmsa_password_problem(self._named_on_the_host(principal.user_id))
        return [PlanProblem(job.name, "principal.password", f"{problem} (the role: the job's password)")]

    def _named_on_the_host(self, account: str) -> str:
        """``account`` as written and as the host's read names it, for a message."""
        return f"'{account}' ('{self.state.known_as(account)}' on the host)"

    def _absent(self, job: DesiredJob) -> JobPlan:
        path = _job_path(job, self.options)
        record = self.state.task(path)
        unreadable = self.state.unreadable_task(path)
        if unreadable is not None:
            warning = f"task '{unreadable.path}' exists but could not be read ({unreadable.error}): it is left in place"
            return JobPlan(job.name, unreadable.path, Outcome.UNCHANGED, warnings=(warning,))
        if record is None:
            return JobPlan(job.name, path, Outcome.ABSENT)
        try:
            actual: TaskDefinition | None = self._parse(record)
        except ValueError:
            actual = None
        if actual is None or not is_owned(actual, self.options.owner):
            owner = ownership_of(actual).owner if actual is not None else None
            by = f"was registered for the owner '{owner}'" if owner else "was not registered by isotools.shop_sync"
            warning = f"task '{record.path}' exists but {by}: it is left in place"
            return JobPlan(job.name, record.path, Outcome.UNCHANGED, xml_before=record.xml, warnings=(warning,))
        change = self.changes.add(ChangeKind.DELETE_TASK, record.path, expected_hash=record.task_hash)
        removal = FieldChange("task", record.path, None)
        return JobPlan(job.name, record.path, Outcome.DELETED, (removal,), (change.id,), xml_before=record.xml)

    def prune(self, declared: set[str]) -> list[JobPlan]:
        """Delete this owner's tasks directly in the managed folder that no job declares."""
        pruned = []
        managed = path_key(self.options.folder)
        for record in self.state.tasks:
            if path_key(_task_folder(record.path)) != managed or path_key(record.path) in declared:
                continue
            name = ntpath.basename(record.path)
            try:
                owned = is_owned(self._parse(record), self.options.owner)
            except ValueError as error:
                self.warnings.append(f"task '{record.path}' could not be read ({error}): not pruned")
                continue
            if owned:
                change = self.changes.add(ChangeKind.DELETE_TASK, record.path, expected_hash=record.task_hash)
                removal = FieldChange("task", record.path, None)
                pruned.append(JobPlan(name, record.path, Outcome.PRUNED, (removal,), (change.id,), xml_before=record.xml))
        for unreadable in self.state.unreadable:
            if path_key(_task_folder(unreadable.path)) == managed and path_key(unreadable.path) not in declared:
                self.warnings.append(f"task '{unreadable.path}' could not be read ({unreadable.error}): not pruned")
        return pruned

    def _folder(self, folder: str) -> list[str]:
        if path_key(folder) == "\\":
            return []
        existing = self.state.folder(folder)
        if existing is not None and existing.exists:
            return []
        return [self.changes.add_once(ChangeKind.CREATE_FOLDER, folder).id]

    def _render(self, job: DesiredJob, definition: TaskDefinition) -> str:
        key = path_key(definition.path)
        earlier = self.earlier.get(key)
        if earlier is not None and earlier[0] == definition:
            xml = earlier[1]
        else:
            try:
                xml = self.render(definition)
            except ValueError as error:
                self.problems.append(PlanProblem(job.name, "task", f"cannot be written as Task Scheduler XML: {error}"))
                return ""
        self.rendered[key] = (definition, xml)
        return xml

    def _parse(self, record: TaskRecord) -> TaskDefinition:
        """The host's task as a definition; raises ValueError when it cannot be read."""
        return self.parse(record.xml, name=ntpath.basename(record.path), folder=_task_folder(record.path))


# --- helpers -----------------------------------------------------------------------------------


def _take_over_needs_password(definition: TaskDefinition, sids: Mapping[str, str]) -> str:
    principal = definition.principal
    logon = effective_logon_type(principal, sids).value
    whose = f"the password of '{principal.user_id}'" if principal.user_id else "a password, for no account named (Windows took whoever registered it)"
    give = "give it" if principal.user_id else "name the account and give its password"
    return (
        f"the task '{definition.path}' was made by hand and its logon_type '{logon}' stores {whose}: taking it over registers it "
        f"again, which Windows accepts only with that password: {give} (the role: the job's password or shop_sync_default_password; "
        "win_sync_task: principal.password), or leave the job out of the inventory to leave the task as it is"
    )


def _present_outcome(record: TaskRecord | None, take_over: bool, changes: Sequence[FieldChange]) -> Outcome:
    if record is None:
        return Outcome.CREATED
    if take_over:
        return Outcome.TAKEN_OVER
    return Outcome.UPDATED if changes else Outcome.UNCHANGED


def _unreadable(job: DesiredJob, path: str, error: str, *, xml: str | None = None) -> JobPlan:
    why = f"the task '{path}' on the host could not be read: {error}; fix or delete it by hand"
    return JobPlan(job.name, path, Outcome.UNREADABLE, xml_before=xml, error=why)


def _check_jobs(jobs: Sequence[DesiredJob], options: PlanOptions) -> list[PlanProblem]:
    problems = []
    seen: dict[str, str] = {}
    for job in jobs:
        if job.state not in ("present", "absent"):
            problems.append(PlanProblem(job.name, "state", f"state '{job.state}' must be one of present, absent"))
            continue
        if job.state == "present" and job.definition is None:
            problems.append(PlanProblem(job.name, "task", "a present job needs a task definition"))
            continue
        path = _job_path(job, options)
        if path_key(path) in seen:
            problems.append(PlanProblem(job.name, "name", f"task path '{path}' is declared twice (also by job '{seen[path_key(path)]}')"))
        seen[path_key(path)] = job.name
    return problems


def _as_the_host_names(definition: TaskDefinition, state: ReadResult) -> TaskDefinition:
    """The definition with its accounts named as the host knows them: the principal's and each
    logon or session trigger's ``UserId``. ``.\\name`` in a UserId is reported refused
    (community.windows #453) and a local group is found only without the computer's name
    (Ansible's SID utils normalise so); the host's read gives its own name for each SID. A SID
    stays a SID as written (the read's name for it serves the comparison): Windows takes "user
    name or SID" for a logon trigger's UserId (Microsoft docs: LogonTrigger.UserId) as for a principal."""
    principal = definition.principal
    user_id = None if principal.user_id is None else _host_name(principal.user_id, state)
    group_id = None if principal.group_id is None else _host_name(principal.group_id, state)
    triggers = tuple(_trigger_as_the_host_names(trigger, state) for trigger in definition.triggers)
    if (user_id, group_id, triggers) == (principal.user_id, principal.group_id, definition.triggers):
        return definition
    return dataclasses.replace(definition, principal=dataclasses.replace(principal, user_id=user_id, group_id=group_id), triggers=triggers)


def _trigger_as_the_host_names(trigger: Trigger, state: ReadResult) -> Trigger:
    if not isinstance(trigger, (LogonTrigger, SessionStateChangeTrigger)) or trigger.user_id is None:
        return trigger
    known = _host_name(trigger.user_id, state)
    return trigger if known == trigger.user_id else dataclasses.replace(trigger, user_id=known)


def _host_name(account: str, state: ReadResult) -> str:
    """The name to register ``account`` under: the host's own name for it; a SID stays as written."""
    return account if is_sid(account) else state.known_as(account)


def _unread_trigger_users(actual: TaskDefinition, sids: Mapping[str, str]) -> list[str]:
    """The users the host's task names in its logon and session triggers, spelt as the host
    holds them, that no read has resolved yet (neither as asked nor as a host's name given back):
    a follow-up read's accounts, so that they are compared by SID as the job's own spellings are
    (the principal comes with principal_sid)."""
    users = [trigger.user_id for trigger in actual.triggers if isinstance(trigger, (LogonTrigger, SessionStateChangeTrigger)) and trigger.user_id]
    return [user for user in users if canonical_account(user, sids).startswith("name:")]


def _written_paths(job: DesiredJob) -> list[str]:
    return [*job.directories, *(item.path for item in job.files)]


def _drive_root(path: str) -> str:
    return path[:2].upper() + "\\"


def _missing_drives(job: DesiredJob, state: ReadResult) -> list[PlanProblem]:
    """The drives the job writes on that the host does not have (read as the drive's root): a
    read-time check, so that the host gets no write at all rather than its folders half made."""
    missing = []
    for root in dict.fromkeys(_drive_root(path) for path in _written_paths(job)):
        record = state.directory(root)
        if record is not None and not record.exists and not record.error:
            missing.append(PlanProblem(job.name, "working_directory", f"the host has no drive {root[:2]} (its folder and script are written there)"))
    return missing


def _unreadable_files(job: DesiredJob, state: ReadResult) -> list[PlanProblem]:
    """Scripts and directories the host found but could not read: without a hash the write
    could only be refused as changed concurrently, which it was not."""
    records = [state.file(item.path) for item in job.files] + [state.directory(path) for path in job.directories]
    return [
        PlanProblem(job.name, "files", f"'{record.path}' could not be read on the host: {record.error}; re-run when it is free")
        for record in records
        if record is not None and record.error
    ]


def _owned_by(job: DesiredJob) -> set[str]:
    """The path keys of the job's own folders, whose ACL (and that of what they hold) the plan keeps."""
    return {path_key(directory) for directory in job.directories} if job.acl_sids else set()


def _owned(path: str, own: set[str]) -> bool:
    return path_key(path) in own or path_key(ntpath.dirname(path)) in own


def _folder_link(job: str, state: ReadResult, folder: str) -> list[PlanProblem]:
    """A task folder whose files Windows keeps through a link or junction: registering there
    would write the task's file wherever the link points."""
    record = state.folder(folder)
    if record is None or record.reparse_point is None:
        return []
    message = f"task folder '{folder}' is stored through the link or junction '{record.reparse_point}': no task is registered there; remove the link"
    return [PlanProblem(job, "folder", message)]


def _unresolved_accounts(job: DesiredJob, state: ReadResult) -> list[PlanProblem]:
    problems = []
    for where, name in _accounts_with_fields(job):
        record = state.account(name)
        if record is not None and record.error:
            problems.append(PlanProblem(job.name, where, f"account '{name}' could not be resolved on the host: {record.error}"))
    return problems


def _accounts_with_fields(job: DesiredJob) -> list[tuple[str, str]]:
    named: list[tuple[str, str]] = []
    definition = job.definition
    if definition is not None:
        if definition.principal.user_id:
            named.append(("principal.user", definition.principal.user_id))
        if definition.principal.group_id:
            named.append(("principal.group", definition.principal.group_id))
        for index, trigger in enumerate(definition.triggers):
            if isinstance(trigger, (LogonTrigger, SessionStateChangeTrigger)) and trigger.user_id:
                named.append((f"triggers[{index}].user", trigger.user_id))
    named += [("acl", account) for account in job.acl_sids]
    return named


def _accounts_named(job: DesiredJob) -> list[str]:
    return [name for _field, name in _accounts_with_fields(job)]


def _resolves_locally(name: str) -> bool:
    """Well-known accounts need no host to resolve them. Any other SID is asked about too: only
    the host's name for it says whether it is a gMSA, and which name a task it runs may hold."""
    return well_known_sid(name) is not None


def _job_path(job: DesiredJob, options: PlanOptions) -> str:
    if job.definition is not None:
        return job.definition.path
    return options.folder.rstrip("\\") + "\\" + job.name


def _task_folder(path: str) -> str:
    return ntpath.dirname(path) or "\\"


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    unique = []
    for value in values:
        if path_key(value) not in seen:
            seen.add(path_key(value))
            unique.append(value)
    return tuple(unique)


_SEVERITY = ("skipped", "refused", "failed")


def _worst(statuses: Sequence[str]) -> str:
    return max(statuses, key=lambda status: _SEVERITY.index(status) if status in _SEVERITY else -1)


def _unmet(change: Change, answer: ChangeResult, result: ApplyResult) -> str | None:
    """Why the host skipped a change it says nothing of: the changes it requires that were not applied."""
    if answer.status != "skipped":
        return None
    answers = [(required, result.result(required)) for required in change.requires]
    missing = [required for required, found in answers if found is None or not found.succeeded]
    return f"not applied because {', '.join(missing)} was not applied" if missing else None


def _reason(message: str | None, error_code: int | None) -> str:
    reason = message or "no reason given"
    return f"{reason} ({decode_last_result(error_code)})" if error_code is not None else reason
