# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make a host match a set of desired jobs: one read, a plan, at most one apply.

The one code path behind win_sync_jobs and win_sync_task (a task is a job without a script).
:func:`sync` fills the action's result as it goes, so a failure half way still reports what was
planned and what was applied. Keys it sets:

    changed   something was applied (in check mode: something would be)
    jobs      one entry per job (and per pruned task): name, path, outcome, changes (one line
              per field change), script_diff (the unified diff of its scripts, bounded; a script
              marked sensitive only says it changed), findings ('privilege escalation path: ...'),
              unresolved (what the task runs that could not be told, and why), applied (every
              change of the job made; false when any was not),
              message (why a change was not applied), and
              after an apply, applied_changes / not_applied_changes: each host change of the
              job ('write_file D:\\...'), the ones not applied with their status and reason;
              the task's runtime as read: last_result, last_result_text, last_run_time,
              next_run_time, last_success_time (when the read tells it: last result 0, or the
              history); log (the job's log file, when known); max_age and freshness
              ({state: fresh|stale|never_succeeded|unknown, message}) for a job with max_age
    unlisted  the tasks directly in the managed folder that no job names (and no prune
              deletes): name, path, owned (registered by this collection), the findings and
              unresolved of what each runs (reported, never fixed) and the same runtime
    diff      one entry per changed job: the task XML before/after, the field changes and the
              scripts' unified diffs as ``prepared``
    warnings  tasks taken over (made by hand, now marked), tasks left in place, unreadable tasks not pruned
    backups   with ``backup``: the previous XML and scripts of everything changed or deleted,
              and the files they were saved to under ``backup_dir``
    failed/msg  when a change was refused, failed or skipped: what was applied and what not;
              when a job's task could not be read (the other jobs are still planned and
              applied): which, and why
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import change_lines
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    ApplyResult,
    ChangeResult,
    HistoryEvent,
    HistoryRequest,
    HistoryResult,
    ReadRequest,
    ReadResult,
    TaskRecord,
    path_key,
    split_task_path,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.freshness import check_freshness, freshness_history_request, last_success
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostUnreachable
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.port import HostCaller
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import is_owned
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import (
    Backup,
    DesiredJob,
    JobPlan,
    JobResult,
    Outcome,
    Plan,
    PlanError,
    PlanOptions,
    backup_entries,
    outcome_after_apply,
    plan,
    read_request_for,
    script_text,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan.execution_paths import (
    ExecutionCheck,
    ExecutionPaths,
    execution_paths,
    reported_check,
    unread,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import encode_for_host, parse_xml, render_xml
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_boundary, format_duration

__all__ = ["FOLLOW_UP_READS", "BackupFiles", "SyncRun", "empty_sync_result", "read_more", "sync"]

Trace = Callable[[str], None]
# Reads after the first one, for what the tasks run that it could not know (a hand-made task's
# program, a PATH entry, a variable's folder): the first brings the variables, the second what
# they name. Most runs need none.
FOLLOW_UP_READS = 2
_IN_DOUBT = "the connection was lost during the apply: whether this change was made is not known until the next read (re-run)"
_UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9._-]+")
# A job's script diff in results and reports; --diff shows it whole.
_MOST_DIFF_LINES = 60
_MOST_LINE_CHARS = 200
# What check mode says a job's outcome would be.
_WOULD = {Outcome.CREATED: "would create", Outcome.UPDATED: "would update", Outcome.DELETED: "would delete", Outcome.PRUNED: "would prune"}


class BackupFiles(Protocol):
    """Where a run writes its backups, the caller's I/O (``actions.controller.BackupFolder``, a
    folder on the controller): the run names each file, the folder keeps it."""

    def write(self, name: Sequence[str], content: bytes) -> str:
        """``content`` as the file ``name`` (its folders, then its file name); the path written."""


@dataclass(frozen=True)
class SyncRun:
    """How this run goes: planning options, when it runs, check/diff mode and where backups are kept."""

    options: PlanOptions
    now: dt.datetime  # the controller's clock (aware), read by the caller: freshness, backup folders
    check_mode: bool = False
    diff: bool = False
    backup: bool = False
    backup_files: BackupFiles | None = None  # None: backups are only returned
    host_name: str = "localhost"


def empty_sync_result() -> dict[str, Any]:
    """The result's full shape before anything is known."""
    return {"changed": False, "jobs": [], "diff": [], "warnings": [], "backups": [], "unlisted": []}


def sync(host: HostCaller, jobs: Sequence[DesiredJob], run: SyncRun, result: dict[str, Any], trace: Trace) -> Plan:
    """Read ``host``, plan ``jobs`` against it and apply the plan unless in check mode.

    Raises :class:`plan.PlanError` (nothing written) when the jobs cannot be applied to this host.
    """
    request = read_request_for(jobs, run.options)
    watched = [job for job in jobs if job.max_age is not None and job.state == "present"]
    if watched:
        # The freshness check's history comes in this same read: no second round trip.
        request = replace(request, history=freshness_history_request([_path(job, run.options) for job in watched]))
    trace(f"read: {len(request.folders)} folder(s), {len(request.tasks)} task(s), {len(request.files)} file(s)")
    planned: list[tuple[ReadResult, Plan]] = []

    def plan_for(current: ReadResult) -> Plan:
        # A plan after a follow-up read keeps the XML the one before rendered: once per run.
        earlier = planned[-1][1].rendered if planned else None
        try:
            return plan(jobs, current, run.options, render=render_xml, parse=_parse, check_mode=run.check_mode, rendered=earlier)
        except PlanError as error:
            # Named as the inventory's own errors are: the host, the job, the field.
            raise PlanError(error.problems, host=run.host_name) from None

    def unread_by_the_tasks(current: ReadResult) -> ReadRequest:
        planned.append((current, plan_for(current)))
        return _merged_requests(planned[-1][1].unread, unread(_reported(current, planned[-1][1], run.options.folder).values(), current))

    state = ReadResult.from_json(host.call(request.to_json()))
    if request.history is not None:
        state = _with_registered_history(host, request.history, state, trace)
    state = read_more(host, state, request, unread_by_the_tasks, trace)
    the_plan = planned[-1][1] if planned[-1][0] is state else plan_for(state)
    result["warnings"] = [
        *the_plan.warnings,
        *(warning for job in the_plan.jobs for warning in job.warnings),
        *(_taken_over(job, run) for job in the_plan.jobs if job.outcome is Outcome.TAKEN_OVER),
    ]
    result["jobs"] = [_job_entry(job) for job in the_plan.jobs]
    runtime = {path_key(record.path): record for record in state.tasks}
    watch = _Watch({job.name.casefold(): job for job in jobs}, state, run.now)
    result["jobs"] = [{**entry, **_runtime(runtime.get(path_key(entry["path"]))), **watch.entry(entry, runtime)} for entry in result["jobs"]]
    result["unlisted"] = _unlisted(state, the_plan, run.options.folder)
    if run.diff:
        result["diff"] = [_diff(job, run.check_mode) for job in the_plan.jobs if job.changed]
    unreadable = "; ".join(_job_error(job, run) for job in the_plan.jobs if job.error is not None)
    if unreadable:
        result.update(failed=True, msg=unreadable)
    if not the_plan.changed:
        return the_plan
    if run.check_mode:
        result["changed"] = True
        return the_plan
    if run.backup:
        result["backups"] = _backups(the_plan, run)
    trace(f"apply: {len(the_plan.changes)} change(s)")
    answer, lost = _apply(host, the_plan)
    outcomes = outcome_after_apply(the_plan, answer)
    result["jobs"] = [
        {**entry, **_runtime(runtime.get(path_key(job.path))), **watch.entry(entry, runtime)}
        for job, entry in ((job, _job_entry(job, outcome)) for job, outcome in zip(the_plan.jobs, outcomes, strict=True))
    ]
    result["changed"] = any(outcome.applied for outcome in outcomes)
    failures = [outcome for outcome in outcomes if not outcome.succeeded]
    if lost is not None:
        result["unreachable"] = True
        result["msg"] = f"{lost}; {_summary(outcomes, failures)}"
    elif failures:
        result["failed"] = True
        result["msg"] = "; ".join(filter(None, (unreadable, _summary(outcomes, failures))))
    return the_plan


def _job_error(job: JobPlan, run: SyncRun) -> str:
    """Why a job could not be planned; a missing password is named with its host, as a deploy's refusal is."""
    where = f"host '{run.host_name}', " if job.outcome is Outcome.NEEDS_PASSWORD else ""
    return f"{where}job '{job.name}': {job.error}"


def _taken_over(job: JobPlan, run: SyncRun) -> str:
    """What a takeover means, said once per task (in check mode, what it would do)."""
    verb = "would take it over" if run.check_mode else "takes it over"
    return (
        f"task '{job.path}' was not registered by isotools.shop_sync (made by hand): this run {verb}, registering it again "
        f"as the job says with the ownership marker of the owner '{run.options.owner}'; from then on a prune or state=absent "
        "of that owner deletes it like any other"
    )


def read_more(host: HostCaller, state: ReadResult, asked: ReadRequest, needed: Callable[[ReadResult], ReadRequest], trace: Trace) -> ReadResult:
    """``state`` completed by at most :data:`FOLLOW_UP_READS` more reads of what ``needed`` says
    the reads so far lack (what the tasks run: a hand-made task's program, a PATH entry, a
    variable's folder; the accounts a task's logon triggers name as the host spells them), which
    the first read could not know. What a host was asked and did not
    answer is not asked again: it stays unread, and is judged so. The follow-up reads ask for no
    file's content: a path a hand-made task names may be any file of the host."""
    for _round in range(FOLLOW_UP_READS):
        more = _not_in(needed(state), asked)
        if more.empty:
            break
        asked = _merged_requests(asked, more)
        trace(
            f"read again: {len(more.files)} file(s), {len(more.directories)} folder(s), {len(more.environment)} variable(s) that tasks run from, "
            f"{len(more.accounts)} account(s) their triggers name"
        )
        # Only the security of what the tasks run is judged: no file's content is brought back.
        state = state.merged(ReadResult.from_json(host.call(dataclasses.replace(more, file_content=False).to_json())))
    return state


def _runtime(record: TaskRecord | None) -> dict[str, Any]:
    """A task's last run and next run as the read saw them (before any apply)."""
    return {
        "last_result": record.last_result if record else None,
        "last_result_text": record.last_result_text if record else None,
        "last_run_time": format_boundary(record.last_run_time) if record and record.last_run_time else None,
        "next_run_time": format_boundary(record.next_run_time) if record and record.next_run_time else None,
    }


@dataclass(frozen=True)
class _Watch:
    """Each job's last success, log and (with ``max_age``) freshness, from the one read."""

    jobs: Mapping[str, DesiredJob]  # by case-folded name
    state: ReadResult
    now: dt.datetime

    def entry(self, entry: Mapping[str, Any], runtime: Mapping[str, TaskRecord]) -> dict[str, Any]:
        job = self.jobs.get(str(entry["name"]).casefold())
        record = runtime.get(path_key(entry["path"]))
        offset = self.state.host.utc_offset_minutes
        fields: dict[str, Any] = {"log": job.log if job else None, "max_age": None, "freshness": None}
        success = last_success(record, self._events(record), offset)
        if job is not None and job.max_age is not None and job.state == "present":
            check = check_freshness(job.max_age, record, self.state.history, self.now, offset)
            success = check.last_success
            fields.update(max_age=format_duration(job.max_age), freshness={"state": check.state.value, "message": check.message})
        return {**fields, "last_success_time": format_boundary(success) if success else None}

    def _events(self, record: TaskRecord | None) -> list[HistoryEvent]:
        history = self.state.history
        if record is None or history is None:
            return []
        return [event for event in history.events if path_key(event.path) == path_key(record.path)]


def _with_registered_history(host: HostCaller, asked: HistoryRequest, state: ReadResult, trace: Trace) -> ReadResult:
    """``state`` with the history of each task the host spells otherwise than the inventory.

    The read's history query names tasks as the inventory does, before the host said how it
    registered them, and Windows matches the query's ``Data="..."`` against an event's TaskName
    letter for letter (XPath 1.0 string equality): a task registered as 'Synchro Stock' but named
    'synchro stock' found none of its events and could be called stale. Such tasks (rare: same
    name but for case) are asked once more, by the path the read returned; the others cost nothing."""
    if state.history is None:
        return state
    asked_keys = {path_key(path) for path in asked.tasks}
    respelled = tuple(dict.fromkeys(record.path for record in state.tasks if path_key(record.path) in asked_keys and record.path not in asked.tasks))
    if not respelled:
        return state
    trace(f"history: {len(respelled)} task(s) again, as the host spells them")
    more = HistoryResult.from_json(host.call(freshness_history_request(respelled).to_json()))
    merged = HistoryResult((*state.history.events, *more.events), state.history.available and more.available)
    return replace(state, history=merged)


def _path(job: DesiredJob, options: PlanOptions) -> str:
    return job.definition.path if job.definition is not None else options.folder.rstrip("\\") + "\\" + job.name


def _unlisted_records(state: ReadResult, the_plan: Plan, folder: str) -> list[tuple[TaskRecord, TaskDefinition | None]]:
    """The managed folder's tasks that no job of the plan names, each with its definition (None:
    it cannot be parsed)."""
    planned = {path_key(job.path) for job in the_plan.jobs}
    managed = path_key(folder)
    records = []
    for record in state.tasks:
        task_folder, name = split_task_path(record.path)
        if path_key(task_folder) != managed or path_key(record.path) in planned:
            continue
        try:
            definition: TaskDefinition | None = parse_xml(record.xml, name=name, folder=task_folder)
        except ValueError:
            definition = None
        records.append((record, definition))
    return records


def _reported(state: ReadResult, the_plan: Plan, folder: str) -> dict[str, ExecutionPaths]:
    """What each unlisted task runs, as this read tells (the same rule as for the jobs)."""
    variables = state.variables()
    return {record.path: execution_paths(definition, variables) for record, definition in _unlisted_records(state, the_plan, folder) if definition}


def _unlisted(state: ReadResult, the_plan: Plan, folder: str) -> list[dict[str, Any]]:
    """The managed folder's tasks that no job of the plan names; ``owned`` from the marker (a
    task that cannot be parsed is not ours to claim); the findings of what each runs, reported
    and never fixed: the collection does not manage them."""
    entries = []
    for record, definition in _unlisted_records(state, the_plan, folder):
        executed = reported_check(definition, state, record.principal_sid) if definition is not None else ExecutionCheck()
        entries.append(
            {
                "name": split_task_path(record.path)[1],
                "path": record.path,
                "owned": definition is not None and is_owned(definition),
                "findings": list(executed.findings),
                "unresolved": list(executed.unresolved),
                **_runtime(record),
            }
        )
    return entries


def _not_in(request: ReadRequest, asked: ReadRequest) -> ReadRequest:
    files = {path_key(path) for path in asked.files}
    directories = {path_key(path) for path in asked.directories}
    variables = {name.upper() for name in asked.environment}
    accounts = {path_key(name) for name in asked.accounts}
    return ReadRequest(
        files=tuple(path for path in request.files if path_key(path) not in files),
        directories=tuple(path for path in request.directories if path_key(path) not in directories),
        accounts=tuple(name for name in request.accounts if path_key(name) not in accounts),
        environment=tuple(name for name in request.environment if name.upper() not in variables),
    )


def _merged_requests(*requests: ReadRequest) -> ReadRequest:
    def once(values: list[str]) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for value in values:
            seen.setdefault(path_key(value), value)
        return tuple(seen.values())

    return ReadRequest(
        files=once([path for request in requests for path in request.files]),
        directories=once([path for request in requests for path in request.directories]),
        accounts=once([name for request in requests for name in request.accounts]),
        environment=once([name for request in requests for name in request.environment]),
    )


def _parse(xml: str, folder: str, name: str) -> TaskDefinition:
    return parse_xml(xml, name=name, folder=folder)


def _apply(host: HostCaller, the_plan: Plan) -> tuple[ApplyResult, str | None]:
    """The host's answer; when the connection is lost midway, what was processed before it
    (the rest counts as skipped) and why."""
    try:
        return ApplyResult.from_json(host.call(the_plan.apply_request().to_json())), None
    except (HostUnreachable, ConnectionError) as error:
        # A host that knows where it stopped hands back the results before the loss; one that
        # does not (WinRM) leaves every change in doubt until the next read.
        processed = getattr(error, "results", None)
        partial = ApplyResult.from_json({"op": "apply", "results": list(processed or ())}).results
        why = "the connection was lost before this change" if processed is not None else _IN_DOUBT
        done = {item.id for item in partial}
        skipped = tuple(ChangeResult(change.id, "skipped", why) for change in the_plan.changes if change.id not in done)
        return ApplyResult(partial + skipped), str(error)


def _job_entry(job: JobPlan, outcome: JobResult | None = None) -> dict[str, Any]:
    """A job as the result shows it; ``outcome`` once the host applied the plan."""
    return {
        "name": job.name,
        "path": job.path,
        "outcome": job.outcome.value,  # plain text in the result Ansible returns
        "changes": change_lines(job.changes),
        "script_diff": _bounded(_script_lines(job)),
        "findings": list(job.findings),
        "unresolved": list(job.unresolved),
        "applied": outcome is not None and outcome.all_applied,
        "message": outcome.message if outcome and outcome.message else job.error,
        "applied_changes": list(outcome.applied) if outcome else [],
        "not_applied_changes": [f"{words}: {why}" for words, why in zip(outcome.not_applied, outcome.reasons, strict=True)] if outcome else [],
    }


def _summary(outcomes: Sequence[JobResult], failures: Sequence[JobResult]) -> str:
    not_applied = "; ".join(f"job '{outcome.name}': {outcome.message}" for outcome in failures)
    applied = [f"job '{outcome.name}'" for outcome in outcomes if outcome.all_applied]
    partly = [f"job '{outcome.name}' ({', '.join(outcome.applied)})" for outcome in failures if outcome.applied]
    done = ", ".join(applied + partly) or "nothing"
    return f"{len(failures)} job(s) not fully applied: {not_applied}. Applied: {done}"


def _diff(job: JobPlan, check_mode: bool) -> dict[str, Any]:
    """The job's ``--diff`` entry: its scripts' changed lines, then right after them the job's
    summary (what happens, in check mode what would: ``would create``) and its field changes."""
    before = job.xml_before or ""
    after = job.xml_after if job.xml_after is not None else ("" if job.outcome in (Outcome.DELETED, Outcome.PRUNED) else before)
    what = _WOULD.get(job.outcome, job.outcome.value) if check_mode else job.outcome.value
    lines = [*_script_lines(job), f"{job.path} ({what}):", *(f"  {line}" for line in change_lines(job.changes))]
    return {
        "before_header": job.path,
        "after_header": job.path,
        "before": before,
        "after": after,
        "prepared": "\n".join(lines) + "\n",
    }


def _script_lines(job: JobPlan) -> list[str]:
    """The unified diff of each script the job writes; a script marked sensitive only says so."""
    lines: list[str] = []
    for script in job.scripts:
        if script.sensitive:
            lines.append(f"script {script.path}: changed, content not shown (marked sensitive)")
        else:
            lines += _script_diff(script.path, script.before, script.after)
    return lines


def _bounded(lines: list[str]) -> list[str]:
    """At most :data:`_MOST_DIFF_LINES` lines of at most :data:`_MOST_LINE_CHARS` characters: a
    report stays readable when a script was replaced whole (``--diff`` shows all of it)."""
    shown = [line if len(line) <= _MOST_LINE_CHARS else line[:_MOST_LINE_CHARS] + " [...]" for line in lines[:_MOST_DIFF_LINES]]
    if len(lines) > _MOST_DIFF_LINES:
        shown.append(f"[... {len(lines) - _MOST_DIFF_LINES} more line(s) not shown: run with --diff to see them]")
    return shown


def _script_diff(path: str, before: bytes | None, after: bytes) -> list[str]:
    old = script_text(before).splitlines() if before is not None else []
    new = script_text(after).splitlines()
    header = "(new)" if before is None else path
    return list(difflib.unified_diff(old, new, fromfile=header, tofile=path, lineterm=""))


def _backups(the_plan: Plan, run: SyncRun) -> list[dict[str, Any]]:
    """What is about to be replaced, returned and (with ``backup_files``) written first, each
    run's files in ``<host>/<UTC time of the run>/``.

    A script marked sensitive is kept in its backup file only: the result (which -v prints, a
    registered variable or a report may carry on) says it was kept, never what it held."""
    files = run.backup_files
    folder = (_safe(run.host_name), run.now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ"))
    return [backup.as_result(_write_backup(files, folder, backup) if files is not None else ()) for backup in backup_entries(the_plan)]


def _write_backup(files: BackupFiles, folder: tuple[str, ...], backup: Backup) -> list[str]:
    written = []
    if backup.xml is not None:
        # As Windows keeps it: `schtasks /create /xml <file>` registers the backup again.
        written.append(files.write((*folder, backup.job + ".xml"), encode_for_host(backup.xml)))
    for script in backup.scripts:
        written.append(files.write((*folder, _safe(script.path)), script.content))
    return written


def _safe(name: str) -> str:
    """A file name for a Windows path: ``D:\\Isotools\\x\\synchro.bat`` -> ``D_Isotools_x_synchro.bat``."""
    return _UNSAFE_IN_FILE_NAMES.sub("_", name).strip("_") or "_"
