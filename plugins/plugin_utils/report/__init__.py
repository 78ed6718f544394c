# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report: what each host's sync jobs look like against the inventory.

The ``drift`` playbook compares every host with the inventory (``win_sync_jobs`` in check mode,
or for real with ``shop_sync_enforce``) and reads the tasks of the managed folder
(``win_sync_task_info``). :func:`host_report` turns those two results into a
:class:`HostReport`; the renderers turn a :class:`FleetReport` into a Markdown summary and JUnit XML
for CI/AWX (the HTML page a person reads is :mod:`report.html`). Every text from a host or the
inventory has its control characters shown escaped (``\\x1b``) as it enters the report, so that no
output made of it (the files, the play's summary lines) holds one raw, and is escaped again for
each format. Pure functions, no I/O: the action plugin ``sync_report`` writes the files.
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from xml.etree import ElementTree

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import printable

__all__ = [
    "DRIFT_STATES",
    "JobState",
    "JobStatus",
    "HostReport",
    "FleetReport",
    "Counts",
    "FailOn",
    "RUN_RESULTS_NOT_FAILED",
    "host_failures",
    "host_report",
    "summarize",
    "summary_lines",
    "render_markdown",
    "render_junit",
]


class JobState(str, enum.Enum):
    """Where one job of one host stands against the inventory."""

    IN_SYNC = "in_sync"  # the host has what the inventory says (or declares absent and is absent)
    DRIFTED = "drifted"  # the task or script differs (``changes`` says how)
    MISSING = "missing"  # declared, not on the host
    # declared, on the host without the ownership marker (made by hand): the next deploy takes it over
    NOT_TAKEN_OVER = "not_taken_over"
    EXTRA = "extra"  # in the managed folder, not in the inventory, not registered by this collection (made by hand)
    ORPHANED = "orphaned"  # registered by this collection, no longer in the inventory, and prune is off
    WILL_BE_PRUNED = "will_be_pruned"  # registered by this collection, no longer in the inventory: a deploy deletes it
    CORRECTED = "corrected"  # differed, and the enforce run put it right
    ERROR = "error"  # could not be checked or corrected (``message`` says why)
    ACCEPTED = "accepted"  # not in the inventory, known and accepted (shop_sync_accepted_extras)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    JobState.IN_SYNC: "in sync",
    JobState.DRIFTED: "drifted",
    JobState.MISSING: "missing",
    JobState.NOT_TAKEN_OVER: "not yet taken over",
    JobState.EXTRA: "unmanaged extra",
    JobState.CORRECTED: "corrected",
    JobState.ERROR: "error",
    JobState.ACCEPTED: "accepted",
    JobState.ORPHANED: "orphaned, prune is off",
    JobState.WILL_BE_PRUNED: "will be pruned",
}
# The findings that make a host differ from the inventory.
# A task not yet taken over differs too: the next deploy registers it again (with the marker).
DRIFT_STATES = frozenset({JobState.DRIFTED, JobState.MISSING, JobState.NOT_TAKEN_OVER, JobState.EXTRA, JobState.ORPHANED, JobState.WILL_BE_PRUNED})

# Last results that are not a failed run: success, ready, running, not yet run, queued.
RUN_RESULTS_NOT_FAILED = frozenset({0, 0x41300, 0x41301, 0x41303, 0x41325})

_OUTCOME_STATES_CHECK = {
    "created": JobState.MISSING,
    "updated": JobState.DRIFTED,
    "taken_over": JobState.NOT_TAKEN_OVER,
    "deleted": JobState.DRIFTED,
    "pruned": JobState.WILL_BE_PRUNED,
    "unchanged": JobState.IN_SYNC,
    "absent": JobState.IN_SYNC,
}
_CHANGING_OUTCOMES = frozenset({"created", "updated", "taken_over", "deleted", "pruned"})
_OUTCOME_NOTES = {
    "created": "not on the host: the deploy creates it",
    "taken_over": (
        "not registered by this collection (made by hand): the deploy takes it over, registering it again as the inventory says "
        "(with the changes listed, if any) with the ownership marker; until then no prune or state absent can delete it"
    ),
    "deleted": "declared absent, still on the host: the deploy deletes it",
    "pruned": "registered by this collection, no longer in the inventory: the next deploy deletes it (shop_sync_prune is true)",
}
_STALE_STATES = frozenset({"stale", "never_succeeded"})
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, kw_only=True)
class JobStatus:
    name: str
    state: JobState
    changes: tuple[str, ...] = ()
    message: str | None = None
    last_result: int | None = None
    last_result_text: str | None = None
    last_run_time: str | None = None
    next_run_time: str | None = None
    # 'privilege escalation path: ...': what the task runs that an ordinary user may change
    findings: tuple[str, ...] = ()
    last_success_time: str | None = None  # when the read tells it (last result 0, or the history)
    log: str | None = None  # the job's log on the host (synchro.log), when known
    # With max_age: fresh | stale | never_succeeded | unknown, and the sentence that says it
    freshness_state: str | None = None
    freshness: str | None = None
    # The changed lines of its scripts (a unified diff, bounded; a sensitive script only says so)
    script_diff: tuple[str, ...] = ()

    @property
    def last_run_failed(self) -> bool:
        """A failed last run the report raises; an accepted extra is not ours to judge."""
        return self.state is not JobState.ACCEPTED and self.last_result is not None and self.last_result not in RUN_RESULTS_NOT_FAILED

    @property
    def stale(self) -> bool:
        """No success within its max_age, or never: its own finding (shop_sync_fail_on_stale)."""
        return self.state is not JobState.ACCEPTED and self.freshness_state in _STALE_STATES

    @property
    def freshness_unknown(self) -> bool:
        """The host's history, needed to tell, is disabled: said, never failed."""
        return self.state is not JobState.ACCEPTED and self.freshness_state == "unknown"

    @property
    def freshness_note(self) -> str:
        """The freshness sentence with where to look on the host."""
        return f"{self.freshness}{f' (log {self.log})' if self.log else ''}"

    @property
    def last_result_hex(self) -> str:
        return "" if self.last_result is None else f"0x{self.last_result:X}"


@dataclass(frozen=True, kw_only=True)
class HostReport:
    host: str
    jobs: tuple[JobStatus, ...] = ()
    errors: tuple[str, ...] = ()  # the host (or part of it) could not be checked

    def job(self, name: str) -> JobStatus | None:
        wanted = name.casefold()
        return next((job for job in self.jobs if job.name.casefold() == wanted), None)


@dataclass(frozen=True, kw_only=True)
class FleetReport:
    hosts: tuple[HostReport, ...]
    generated: str  # when the report was made, ISO 8601 (2026-11-28T06:00:00+01:00)
    enforce: bool = False  # the run corrected the drift instead of only reporting it
    title: str = "Isotools sync jobs: drift report"
    limit: str | None = None  # the run's --limit: the report covers part of the inventory

    @property
    def limit_note(self) -> str | None:
        """What a limited run says first, so no one reads it as the fleet's state."""
        if self.limit is None:
            return None
        return f"limited run (--limit {self.limit}): {len(self.hosts)} host(s) checked, not the whole inventory"

    @property
    def job_names(self) -> tuple[str, ...]:
        """Every job of every host, once (letter case ignored, first spelling kept), in order."""
        seen: dict[str, str] = {}
        for host in self.hosts:
            for job in host.jobs:
                seen.setdefault(job.name.casefold(), job.name)
        return tuple(seen.values())


@dataclass(frozen=True, kw_only=True)
class Counts:
    hosts: int
    hosts_with_errors: int
    jobs: int
    in_sync: int
    drifted: int
    missing: int
    not_taken_over: int
    extra: int
    corrected: int
    errors: int
    failed_runs: int
    accepted: int
    orphaned: int
    will_be_pruned: int
    stale: int = 0
    freshness_unknown: int = 0

    @property
    def differing(self) -> int:
        """How many jobs and tasks differ from the inventory (and were not corrected)."""
        return self.drifted + self.missing + self.not_taken_over + self.extra + self.orphaned + self.will_be_pruned

    @property
    def drift(self) -> bool:
        return self.differing > 0

    def as_dict(self) -> dict[str, int | bool]:
        return {**{name: getattr(self, name) for name in self.__dataclass_fields__}, "drift": self.drift}


def host_report(
    host: str,
    jobs_result: Mapping[str, object] | None,
    info_result: Mapping[str, object] | None,
    *,
    enforce: bool = False,
    accepted_extras: Sequence[str] = (),
) -> HostReport:
    """One host's report from its ``win_sync_jobs`` result (check mode, or the enforce run) and,
    when given, its ``win_sync_task_info`` result for the managed folder; either may be missing or
    failed. Without the folder read, the runtime and the tasks the inventory does not list come
    from the ``win_sync_jobs`` result itself (its ``unlisted``).
    A task of the folder the inventory does not list is accepted when its name matches one of
    ``accepted_extras`` (names or shell-style patterns, letter case ignored as Windows does).

    A host whose comparison failed says why once (the folder read usually failed the same way);
    the jobs it did report are kept, and no task of the folder is called extra.
    """
    compared = jobs_result is not None and not (jobs_result.get("unreachable") or (jobs_result.get("failed") and not _failed_by_its_jobs(jobs_result)))
    errors = [] if compared else [printable(_failure(jobs_result), lines=True)]
    read = info_result is not None and not (info_result.get("unreachable") or info_result.get("failed"))
    if compared and info_result is not None and not read:
        errors.append(printable(f"last results not read: {info_result.get('msg') or 'no message'}", lines=True))
    if info_result is None:
        # win_sync_jobs returns the runtime of its jobs and the folder's other tasks from its own read.
        tasks = [*_mappings((jobs_result or {}).get("jobs")), *_mappings((jobs_result or {}).get("unlisted"))] if compared else []
    else:
        tasks = _mappings(info_result.get("tasks")) if read else []
    runtime = {str(task.get("name", "")).casefold(): task for task in tasks}
    statuses = [_job_status(job, runtime.pop(str(job.get("name", "")).casefold(), {}), enforce) for job in _mappings((jobs_result or {}).get("jobs"))]
    if compared:
        for task in runtime.values():
            statuses.append(_with_runtime(_unlisted_status(task, accepted_extras), task))
    return HostReport(host=printable(host), jobs=tuple(statuses), errors=tuple(errors))


def _unlisted_status(task: Mapping[str, object], accepted_extras: Sequence[str]) -> JobStatus:
    """A task of the managed folder the inventory does not list and a deploy leaves in place:
    one this collection registered (the ``owned`` marker) is an orphan, any other was made by hand."""
    name = str(task.get("name", "?"))
    if task.get("owned") is True:
        state, message = JobState.ORPHANED, "registered by this collection, no longer in the inventory: a deploy leaves it in place (shop_sync_prune is false)"
    else:
        state, message = JobState.EXTRA, "in the managed folder, not in the inventory"
    # What it runs that someone else may change is said whoever made it, accepted or not: the
    # deploy never fixes a task it does not manage, so the report is the only place it shows.
    findings = _findings(task)
    pattern = accepted_pattern(name, accepted_extras)
    if pattern is None:
        return JobStatus(name=printable(name), state=state, message=message, findings=findings)
    accepted = f"{message}: accepted by shop_sync_accepted_extras '{pattern}'"
    return JobStatus(name=printable(name), state=JobState.ACCEPTED, message=accepted, findings=findings)


def _findings(task: Mapping[str, object]) -> tuple[str, ...]:
    # The paths in a finding can be a host's text (a hand-made task's program): shown escaped.
    return tuple(printable(str(finding)) for finding in _sequence(task.get("findings")))


def accepted_pattern(name: str, accepted_extras: Sequence[str]) -> str | None:
    """The first of ``accepted_extras`` that ``name`` matches (``*``, ``?``, ``[...]``), if any."""
    wanted = name.casefold()
    return next((pattern for pattern in accepted_extras if fnmatch.fnmatchcase(wanted, pattern.casefold())), None)


def _failed_by_its_jobs(result: Mapping[str, object]) -> bool:
    """The host was compared, but a job's task could not be read, or (check mode) a hand-made
    password task cannot be taken over without its password: that job is the error (it carries
    the reason), the others and the folder's extras are reported as usual."""
    return any(job.get("outcome") in ("unreadable", "needs_password") for job in _mappings(result.get("jobs")))


def _failure(result: Mapping[str, object] | None) -> str:
    if result is None:
        return "not compared: no result from win_sync_jobs"
    kind = "unreachable" if result.get("unreachable") else "failed"
    return f"{kind}: {result.get('msg') or 'no message'}"


def _job_status(job: Mapping[str, object], task: Mapping[str, object], enforce: bool) -> JobStatus:
    outcome = str(job.get("outcome", ""))
    if enforce and outcome in _CHANGING_OUTCOMES:
        state = JobState.CORRECTED if job.get("applied") else JobState.ERROR
    else:
        state = _OUTCOME_STATES_CHECK.get(outcome, JobState.ERROR)
    status = JobStatus(
        name=printable(str(job.get("name", "?"))),
        state=state,
        changes=tuple(printable(str(change), lines=True) for change in _sequence(job.get("changes"))),
        script_diff=tuple(printable(str(line)) for line in _sequence(job.get("script_diff"))),
        message=_job_message(outcome, state, job.get("message")),
        findings=_findings(job),
    )
    return _with_runtime(status, task)


def _job_message(outcome: str, state: JobState, message: object) -> str | None:
    if message is not None:
        return printable(str(message), lines=True)
    if state is JobState.ERROR:
        return "not applied" if outcome in _CHANGING_OUTCOMES else f"unknown outcome '{outcome}'"
    if state in DRIFT_STATES:
        return _OUTCOME_NOTES.get(outcome)
    if state is JobState.CORRECTED and outcome == "taken_over":
        return "taken over: registered again as the inventory says, with the ownership marker"
    return None


def _with_runtime(status: JobStatus, task: Mapping[str, object]) -> JobStatus:
    last_result = task.get("last_result")
    freshness = task.get("freshness")
    freshness = freshness if isinstance(freshness, Mapping) else {}
    return replace(
        status,
        last_result=last_result if isinstance(last_result, int) and not isinstance(last_result, bool) else None,
        last_result_text=_text(task.get("last_result_text")),
        last_run_time=_text(task.get("last_run_time")),
        next_run_time=_text(task.get("next_run_time")),
        last_success_time=_text(task.get("last_success_time")),
        log=_text(task.get("log")),
        freshness_state=_text(freshness.get("state")),
        freshness=_text(freshness.get("message")),
    )


@dataclass(frozen=True, kw_only=True)
class FailOn:
    """What fails a host besides a host or job that could not be checked, which always does."""

    drift: bool = False  # shop_sync_fail_on_drift
    failed_runs: bool = False  # shop_sync_fail_on_failed_runs
    stale: bool = False  # shop_sync_fail_on_stale


def host_failures(report: FleetReport, fail_on: FailOn) -> dict[str, str]:
    """The hosts the run fails, each with one message that lists every reason it fails."""
    failures = {}
    for host in report.hosts:
        reasons = _failure_reasons(host, fail_on)
        if reasons:
            failures[host.host] = f"host '{host.host}': " + "; ".join(reasons)
    return failures


def _failure_reasons(host: HostReport, fail_on: FailOn) -> list[str]:
    unchecked = [*host.errors, *(f"{job.name} ({job.message or 'error'})" for job in host.jobs if job.state is JobState.ERROR)]
    differing = [f"{job.name} ({job.state.label})" for job in host.jobs if job.state in DRIFT_STATES] if fail_on.drift else []
    failed_runs = [f"{job.name} ({_result_words(job)})" for job in host.jobs if job.last_run_failed] if fail_on.failed_runs else []
    stale = [f"{job.name} ({job.freshness})" for job in host.jobs if job.stale] if fail_on.stale else []
    reasons = (("could not be checked", unchecked), ("drift", differing), ("last run failed", failed_runs), ("stale", stale))
    return [f"{reason}: {', '.join(items)}" for reason, items in reasons if items]


def summarize(report: FleetReport) -> Counts:
    jobs = [job for host in report.hosts for job in host.jobs]
    by_state = {state: sum(1 for job in jobs if job.state is state) for state in JobState}
    return Counts(
        hosts=len(report.hosts),
        hosts_with_errors=sum(1 for host in report.hosts if host.errors),
        jobs=len(jobs),
        in_sync=by_state[JobState.IN_SYNC],
        drifted=by_state[JobState.DRIFTED],
        missing=by_state[JobState.MISSING],
        not_taken_over=by_state[JobState.NOT_TAKEN_OVER],
        extra=by_state[JobState.EXTRA],
        corrected=by_state[JobState.CORRECTED],
        errors=by_state[JobState.ERROR],
        failed_runs=sum(1 for job in jobs if job.last_run_failed),
        accepted=by_state[JobState.ACCEPTED],
        orphaned=by_state[JobState.ORPHANED],
        will_be_pruned=by_state[JobState.WILL_BE_PRUNED],
        stale=sum(1 for job in jobs if job.stale),
        freshness_unknown=sum(1 for job in jobs if job.freshness_unknown),
    )


def summary_lines(report: FleetReport) -> list[str]:
    """A few lines for the play's output: the counts, then each job that needs a look."""
    counts = summarize(report)
    lines = [
        *filter(None, (report.limit_note,)),
        f"{counts.hosts} host(s), {counts.jobs} job(s): {counts.in_sync} in sync, {counts.drifted} drifted, "
        f"{counts.missing} missing, {counts.extra} unmanaged extra, {counts.orphaned} orphaned (prune is off), "
        f"{counts.will_be_pruned} will be pruned, {counts.corrected} corrected, "
        f"{counts.errors} error(s), {counts.failed_runs} last run(s) failed, {counts.hosts_with_errors} host(s) not checked, "
        f"{counts.accepted} accepted, {counts.not_taken_over} not yet taken over, {counts.stale} stale, {counts.freshness_unknown} freshness unknown",
    ]
    for host in report.hosts:
        lines.extend(f"{host.host}: {error}" for error in host.errors)
        for job in host.jobs:
            if job.state not in _QUIET_STATES:
                # The changed lines first, then the job's own line right after them.
                lines.extend(f"{host.host} / {job.name} | {line}" for line in job.script_diff)
                detail = "; ".join(job.changes) or job.message or ""
                lines.append(f"{host.host} / {job.name}: {job.state.label}{': ' + detail if detail else ''}")
            if job.last_run_failed:
                lines.append(f"{host.host} / {job.name}: last run failed ({_result_words(job)})")
            if job.stale or job.freshness_unknown:
                lines.append(f"{host.host} / {job.name}: {job.freshness_note}")
            lines.extend(f"{host.host} / {job.name}: {finding}" for finding in job.findings)
    return lines


def _result_words(job: JobStatus) -> str:
    return job.last_result_text or job.last_result_hex


def render_markdown(report: FleetReport) -> str:
    counts = summarize(report)
    mode = "enforce (drift corrected)" if report.enforce else "check (nothing changed)"
    lines = [
        f"# {_md(report.title)}",
        "",
        f"Generated {_md(report.generated)}, mode: {mode}.",
        "",
        *((f"Limited run ({_code('--limit ' + report.limit)}): {len(report.hosts)} host(s) checked, not the whole inventory.", "") if report.limit else ()),
        "| | count |",
        "|---|---:|",
        f"| hosts | {counts.hosts} |",
        f"| hosts not checked | {counts.hosts_with_errors} |",
        f"| jobs | {counts.jobs} |",
        *(f"| {state.label} | {getattr(counts, _COUNT_FIELDS[state])} |" for state in JobState),
        f"| last run failed | {counts.failed_runs} |",
        f"| stale | {counts.stale} |",
        f"| freshness unknown | {counts.freshness_unknown} |",
        "",
    ]
    attention = [
        host
        for host in report.hosts
        if host.errors or any(job.state not in _QUIET_STATES or job.last_run_failed or job.findings or _freshness_finding(job) for job in host.jobs)
    ]
    if not attention:
        lines += ["Every job of every host is in sync and its last run succeeded.", "", *_markdown_successes(report)]
        return "\n".join(lines).rstrip("\n") + "\n"
    lines.append("## Needs a look")
    for host in attention:
        lines += ["", f"### {_md(host.host)}", ""]
        lines.extend(f"- **host not checked**: {_md(error)}" for error in host.errors)
        for job in host.jobs:
            if job.state not in _QUIET_STATES:
                lines.append(f"- **{_md(job.name)}**: {job.state.label}{': ' + _md(job.message) if job.message else ''}")
                lines.extend(f"  - {_code(change)}" for change in job.changes)
                lines.extend(_md_diff(job.script_diff))
            if job.last_run_failed:
                lines.append(f"- **{_md(job.name)}**: last run failed ({_md(_result_words(job))}, {_md(job.last_run_time or 'time unknown')})")
            if _freshness_finding(job):
                lines.append(f"- **{_md(job.name)}**: {_md(job.freshness or '')}{_md_log(job)}")
            lines.extend(f"- **{_md(job.name)}**: {_md(finding)}" for finding in job.findings)
    lines += ["", *_markdown_successes(report)]
    return "\n".join(lines) + "\n"


def _md_diff(diff: Sequence[str]) -> list[str]:
    """A script diff as a fenced ``diff`` block under the job's bullet; the fence is longer than
    any run of backticks in it, so no line of the script can close it."""
    if not diff:
        return []
    longest = max((len(run) for line in diff for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return ["", f"  {fence}diff", *(f"  {line}" for line in diff), f"  {fence}", ""]


def _freshness_finding(job: JobStatus) -> bool:
    return job.stale or job.freshness_unknown


def _md_log(job: JobStatus) -> str:
    return f" (log {_code(job.log)})" if job.log else ""


def _markdown_successes(report: FleetReport) -> list[str]:
    """Each job's last success and log: where an on-call engineer starts reading."""
    rows = [(host, job) for host in report.hosts for job in host.jobs if job.last_success_time or job.log or job.freshness]
    if not rows:
        return []
    lines = ["## Last success", "", "| host | job | last success | freshness | log |", "|---|---|---|---|---|"]
    for host, job in rows:
        log = _code(job.log) if job.log else ""
        lines.append(f"| {_md(host.host)} | {_md(job.name)} | {_md(job.last_success_time or 'unknown')} | {_md(job.freshness or '')} | {log} |")
    return lines


_COUNT_FIELDS = {
    JobState.IN_SYNC: "in_sync",
    JobState.DRIFTED: "drifted",
    JobState.MISSING: "missing",
    JobState.NOT_TAKEN_OVER: "not_taken_over",
    JobState.EXTRA: "extra",
    JobState.CORRECTED: "corrected",
    JobState.ERROR: "errors",
    JobState.ACCEPTED: "accepted",
    JobState.ORPHANED: "orphaned",
    JobState.WILL_BE_PRUNED: "will_be_pruned",
}
# States that need no look: shown in the report, never listed as a finding.
_QUIET_STATES = frozenset({JobState.IN_SYNC, JobState.ACCEPTED})
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def _md(text: str) -> str:
    """Text shown as itself in Markdown: its special characters escaped, no HTML, one line."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str) -> str:
    """Text as an inline code span (Windows paths and field changes stay readable in the raw
    file): the fence is one backtick longer than the longest run of backticks inside."""
    line = _one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{padding}{line}{padding}{fence}"


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def render_junit(report: FleetReport) -> str:
    """JUnit XML: a test suite per host, a test case per job; drift and failed runs are failures,
    a host or job that could not be checked an error."""
    counts = summarize(report)
    root = ElementTree.Element("testsuites", name=_xml(report.title), tests="0", failures="0", errors="0")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for host in report.hosts:
        suite = ElementTree.SubElement(root, "testsuite", name=_xml(host.host), timestamp=_xml(report.generated[:19]))
        tally = {"tests": 0, "failures": 0, "errors": 0}
        for error in host.errors:
            case = ElementTree.SubElement(suite, "testcase", classname=_classname(host.host), name="host")
            ElementTree.SubElement(case, "error", message=_xml(error), type="host").text = _xml(error)
            tally["tests"] += 1
            tally["errors"] += 1
        for job in host.jobs:
            tally["tests"] += 1
            case = ElementTree.SubElement(suite, "testcase", classname=_classname(host.host), name=_xml(job.name))
            outcome = _junit_outcome(job)
            if outcome is not None:
                tag, kind, message, details = outcome
                ElementTree.SubElement(case, tag, message=_xml(message), type=kind).text = _xml(details)
                tally["errors" if tag == "error" else "failures"] += 1
            elif job.state is JobState.CORRECTED:
                ElementTree.SubElement(case, "system-out").text = _xml("corrected: " + "; ".join(job.changes or (job.message or "",)))
            elif job.state is JobState.ACCEPTED:
                ElementTree.SubElement(case, "system-out").text = _xml(f"accepted: {job.message}")
            elif job.freshness_unknown:
                ElementTree.SubElement(case, "system-out").text = _xml(job.freshness_note)
        for key, value in tally.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("drift", "true" if counts.drift else "false")
    if report.limit is not None:
        root.set("limit", _xml(report.limit))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _junit_outcome(job: JobStatus) -> tuple[str, str, str, str] | None:
    """(element, type, message, details) of a job's test case, or ``None`` when it passed."""
    run = f"last run failed: {_result_words(job)} at {job.last_run_time or 'an unknown time'}" if job.last_run_failed else ""
    fresh = job.freshness_note if _freshness_finding(job) else ""
    if job.state is JobState.ERROR:
        return "error", "error", job.message or "error", "\n".join(filter(None, (job.message, *job.changes, run, fresh, *job.findings)))
    if job.state in DRIFT_STATES:
        details = "\n".join(filter(None, (job.message, *job.changes, *job.script_diff, run, fresh, *job.findings)))
        return "failure", job.state.value, f"{job.state.label}{': ' + job.message if job.message else ''}", details
    if job.findings:
        return "failure", "privilege_escalation", job.findings[0], "\n".join(filter(None, (*job.findings, run, fresh)))
    if run:
        return "failure", "last_run_failed", run, "\n".join(filter(None, (run, fresh)))
    if job.stale:
        return "failure", "stale", fresh, fresh
    return None


def _classname(host: str) -> str:
    return _xml(f"shop_sync.{host}")


def _xml(text: str) -> str:
    """Characters XML 1.0 cannot hold at all are dropped; ElementTree escapes the rest."""
    return _XML_ILLEGAL.sub("", text)


def _text(value: object) -> str | None:
    return None if value is None else printable(str(value))


def _mappings(value: object) -> list[Mapping[str, object]]:
    return [item for item in _sequence(value) if isinstance(item, Mapping)]


def _sequence(value: object) -> Sequence[object]:
    return value if isinstance(value, (list, tuple)) else ()
