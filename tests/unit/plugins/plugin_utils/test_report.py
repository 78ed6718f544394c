# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report: statuses from the module results, counts, and the three renderings."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report import (
    FailOn,
    FleetReport,
    HostReport,
    JobState,
    JobStatus,
    host_failures,
    host_report,
    render_junit,
    render_markdown,
    summarize,
    summary_lines,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report.html import render_html

HOSTILE = "<script>alert('x')</script> & \"quotes\" | *stars* `ticks`"


def jobs_result(*jobs: dict[str, object], **extra: object) -> dict[str, object]:
    return {"changed": False, "jobs": list(jobs), **extra}


def job(name: str, outcome: str, *changes: str, applied: bool = False, message: str | None = None) -> dict[str, object]:
    return {"name": name, "path": f"\\Isotools\\{name}", "outcome": outcome, "changes": list(changes), "applied": applied, "message": message}


def info(*tasks: dict[str, object]) -> dict[str, object]:
    return {"changed": False, "tasks": list(tasks)}


def task(name: str, last_result: int | None = 0, text: str | None = None) -> dict[str, object]:
    return {"name": name, "path": f"\\Isotools\\{name}", "last_result": last_result, "last_result_text": text, "last_run_time": "2026-11-28T06:00:00"}


@pytest.mark.parametrize(
    ("outcome", "enforce", "applied", "state"),
    [
        ("unchanged", False, False, JobState.IN_SYNC),
        ("absent", False, False, JobState.IN_SYNC),
        ("updated", False, False, JobState.DRIFTED),
        ("deleted", False, False, JobState.DRIFTED),
        ("created", False, False, JobState.MISSING),
        ("pruned", False, False, JobState.WILL_BE_PRUNED),
        ("taken_over", False, False, JobState.NOT_TAKEN_OVER),
        ("taken_over", True, True, JobState.CORRECTED),
        ("updated", True, True, JobState.CORRECTED),
        ("created", True, True, JobState.CORRECTED),
        ("updated", True, False, JobState.ERROR),
        ("unchanged", True, False, JobState.IN_SYNC),
        ("exploded", False, False, JobState.ERROR),
    ],
)
def test_each_outcome_gives_a_state(outcome: str, enforce: bool, applied: bool, state: JobState) -> None:
    report = host_report("shop01", jobs_result(job("Synchro Stock", outcome, applied=applied)), info(), enforce=enforce)
    [status] = report.jobs
    assert status.state is state
    if state is JobState.ERROR:
        assert status.message in ("not applied", "unknown outcome 'exploded'")


def test_a_hand_made_task_the_inventory_declares_is_not_yet_taken_over_never_in_sync() -> None:
    report = FleetReport(
        generated="2026-11-28T06:00:00+01:00",
        hosts=(host_report("shop01", jobs_result(job("Synchro Stock", "taken_over"), job("Synchro Prix", "unchanged")), info()),),
    )
    stock, prix = report.hosts[0].jobs
    assert (stock.state, stock.state.label, prix.state) == (JobState.NOT_TAKEN_OVER, "not yet taken over", JobState.IN_SYNC)
    assert stock.message is not None and "made by hand" in stock.message and "takes it over" in stock.message
    counts = summarize(report)
    assert (counts.in_sync, counts.not_taken_over, counts.drift) == (1, 1, True)
    markdown = render_markdown(report)
    assert "| not yet taken over | 1 |" in markdown
    assert "- **Synchro Stock**: not yet taken over: not registered by this collection \\(made by hand\\)" in markdown
    assert host_failures(report, FailOn(drift=True)) == {"shop01": "host 'shop01': drift: Synchro Stock (not yet taken over)"}
    enforced = host_report("shop01", jobs_result(job("Synchro Stock", "taken_over", applied=True)), info(), enforce=True)
    assert enforced.jobs[0].message == "taken over: registered again as the inventory says, with the ownership marker"


def test_changes_and_last_results_are_kept_and_extras_come_from_the_folder() -> None:
    report = host_report(
        "shop01",
        jobs_result(job("Synchro Prix", "updated", "triggers[daily 02:00].start_boundary: 03:30 -> 02:00"), job("Synchro Stock", "unchanged")),
        info(task("synchro prix", 2, "exit code 2"), task("Synchro Stock", 0x41303), task("Synchro Test Kevin")),
    )
    prix, stock, extra = report.jobs
    assert prix.changes == ("triggers[daily 02:00].start_boundary: 03:30 -> 02:00",)
    assert (prix.last_result, prix.last_run_failed, prix.last_result_text) == (2, True, "exit code 2")
    assert (stock.last_result, stock.last_run_failed) == (0x41303, False)
    assert (extra.name, extra.state) == ("Synchro Test Kevin", JobState.EXTRA)


@pytest.mark.parametrize(
    ("result", "failed"),
    [(0, False), (0x41300, False), (0x41301, False), (0x41303, False), (0x41325, False), (None, False), (1, True), (0x8007052E, True), (0xC000013A, True)],
)
def test_which_last_results_are_failed_runs(result: int | None, failed: bool) -> None:
    assert JobStatus(name="x", state=JobState.IN_SYNC, last_result=result).last_run_failed is failed


@pytest.mark.parametrize(
    ("jobs", "information", "error"),
    [
        ({"unreachable": True, "msg": "ntlm: the specified credentials were rejected"}, None, "unreachable: ntlm: the specified credentials were rejected"),
        ({"failed": True, "msg": "host 'shop01': job 'A': password is required", "jobs": []}, info(task("A")), "failed: host 'shop01'"),
        (None, None, "not compared: no result from win_sync_jobs"),
        (jobs_result(job("A", "unchanged")), {"failed": True, "msg": "access denied"}, "last results not read: access denied"),
    ],
)
def test_a_host_that_could_not_be_checked_says_why(jobs: dict[str, object] | None, information: dict[str, object] | None, error: str) -> None:
    report = host_report("shop01", jobs, information)
    assert report.errors and report.errors[0].startswith(error)
    assert all(status.state is not JobState.EXTRA for status in report.jobs)  # a failed read lists no "extra" task


def test_a_job_whose_task_could_not_be_read_is_an_error_and_the_host_is_still_checked() -> None:
    error = "the task '\\Isotools\\Synchro Prix' on the host could not be read: not UTF-16; fix or delete it by hand"
    jobs = {
        "failed": True,
        "msg": f"job 'Synchro Prix': {error}",
        "jobs": [job("Synchro Prix", "unreadable", message=error), job("Synchro Stock", "unchanged")],
    }
    report = host_report("shop01", jobs, info(task("Synchro Stock"), task("Synchro Test Kevin")))
    assert report.errors == ()
    assert [(status.name, status.state, status.message) for status in report.jobs] == [
        ("Synchro Prix", JobState.ERROR, error),
        ("Synchro Stock", JobState.IN_SYNC, None),
        ("Synchro Test Kevin", JobState.EXTRA, "in the managed folder, not in the inventory"),
    ]


def test_a_host_that_failed_says_why_once() -> None:
    failure = {"failed": True, "msg": "shop_sync_directory_root '/x' is not a folder"}
    assert host_report("shop01", failure, failure).errors == ("failed: shop_sync_directory_root '/x' is not a folder",)


def sample_report(*, enforce: bool = False) -> FleetReport:
    return FleetReport(
        generated="2026-11-28T06:00:00+01:00",
        enforce=enforce,
        hosts=(
            HostReport(
                host="shop01",
                jobs=(
                    JobStatus(name="Synchro Stock", state=JobState.IN_SYNC, last_result=0),
                    JobStatus(
                        name="Synchro Prix", state=JobState.DRIFTED, changes=("a: 1 -> 2", "b: x -> y"), last_result=1, last_result_text="incorrect function"
                    ),
                    JobStatus(name="Synchro Commandes", state=JobState.MISSING, message="not on the host"),
                ),
            ),
            HostReport(
                host="shop02",
                jobs=(
                    JobStatus(name="synchro stock", state=JobState.IN_SYNC),
                    JobStatus(name="Synchro Test", state=JobState.EXTRA, message="in the managed folder, not in the inventory"),
                ),
            ),
            HostReport(host="shop03", errors=("unreachable: timed out",)),
        ),
    )


def test_counts() -> None:
    counts = summarize(sample_report())
    assert counts.as_dict() == {
        "hosts": 3,
        "hosts_with_errors": 1,
        "jobs": 5,
        "in_sync": 2,
        "drifted": 1,
        "missing": 1,
        "not_taken_over": 0,
        "extra": 1,
        "corrected": 0,
        "errors": 0,
        "failed_runs": 1,
        "accepted": 0,
        "orphaned": 0,
        "will_be_pruned": 0,
        "stale": 0,
        "freshness_unknown": 0,
        "drift": True,
    }


def test_corrected_jobs_and_failed_runs_are_not_drift() -> None:
    report = FleetReport(
        generated="now",
        enforce=True,
        hosts=(HostReport(host="h", jobs=(JobStatus(name="a", state=JobState.CORRECTED, last_result=1),)),),
    )
    counts = summarize(report)
    assert (counts.drift, counts.corrected, counts.failed_runs) == (False, 1, 1)


def test_job_columns_are_every_job_once_ignoring_case() -> None:
    assert sample_report().job_names == ("Synchro Stock", "Synchro Prix", "Synchro Commandes", "Synchro Test")


def test_summary_lines_name_each_job_that_needs_a_look() -> None:
    lines = summary_lines(sample_report())
    assert lines[0].startswith("3 host(s), 5 job(s): 2 in sync, 1 drifted, 1 missing, 1 unmanaged extra")
    assert "shop01 / Synchro Prix: drifted: a: 1 -> 2; b: x -> y" in lines
    assert "shop01 / Synchro Prix: last run failed (incorrect function)" in lines
    assert "shop03: unreachable: timed out" in lines
    assert not any("Synchro Stock" in line for line in lines)


def hostile_report() -> FleetReport:
    return FleetReport(
        generated="2026-11-28T06:00:00",
        title=f"title {HOSTILE}",
        hosts=(
            HostReport(
                host=f"host {HOSTILE}",
                jobs=(
                    JobStatus(
                        name=f"job {HOSTILE}",
                        state=JobState.DRIFTED,
                        changes=(f"change {HOSTILE}",),
                        message=f"msg {HOSTILE}",
                        last_result=1,
                        last_result_text=HOSTILE,
                    ),
                ),
                errors=(f"error {HOSTILE}",),
            ),
        ),
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_everything_from_hosts_and_the_inventory() -> None:
    page = render_html(hostile_report())
    assert "<script>" not in page
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    text = "".join(parser.text)
    for what in ("title", "host", "job", "change", "error"):
        assert f"{what} {HOSTILE}" in text  # shown as itself, once unescaped by the browser


def test_html_is_self_contained_and_tells_each_state_in_words() -> None:
    page = render_html(sample_report())
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "<script" not in page and "<link" not in page
    for label in ("in sync", "drifted", "missing", "unmanaged extra", "last run failed", "not checked"):
        assert label in page
    matrix = page[page.index('class="matrix"') : page.index("</table>")]
    assert matrix.count("<tr>") == 1 + 3  # the header row and one row per host
    assert "a: 1 -&gt; 2" in matrix


def test_html_says_when_all_is_well() -> None:
    report = FleetReport(generated="now", hosts=(HostReport(host="h", jobs=(JobStatus(name="a", state=JobState.IN_SYNC, last_result=0),)),))
    assert 'class="verdict ok"' in render_html(report)
    assert 'class="verdict bad"' in render_html(sample_report())


def test_markdown_escapes_names_and_keeps_changes_readable() -> None:
    text = render_markdown(hostile_report())
    # Inside a code span a renderer shows <script> as text; everywhere else it is escaped.
    assert "<script>" not in re.sub(r"(`+) .*? \1|(`+)[^`]*\2", "", text)
    assert "**job &lt;script&gt;alert\\('x'\\)&lt;/script&gt; &amp; \"quotes\" \\| \\*stars\\* \\`ticks\\`**" in text
    assert "  - `` change <script>alert('x')</script> & \"quotes\" | *stars* `ticks` ``" in text
    path = render_markdown(
        FleetReport(
            generated="now",
            hosts=(HostReport(host="h", jobs=(JobStatus(name="a", state=JobState.DRIFTED, changes=("script D:\\Isotools\\a\\synchro.bat: x -> y",)),)),),
        )
    )
    assert "`script D:\\Isotools\\a\\synchro.bat: x -> y`" in path


def test_markdown_counts_and_all_well() -> None:
    text = render_markdown(sample_report())
    assert "| drifted | 1 |" in text and "| hosts not checked | 1 |" in text
    assert "### shop03" in text and "host not checked" in text
    report = FleetReport(generated="now", hosts=(HostReport(host="h", jobs=(JobStatus(name="a", state=JobState.IN_SYNC),)),))
    assert "Every job of every host is in sync" in render_markdown(report)


def test_junit_is_valid_xml_with_a_case_per_job_and_the_right_counts() -> None:
    root = ElementTree.fromstring(render_junit(sample_report()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("drift")) == ("6", "3", "1", "true")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == ["shop01", "shop02", "shop03"]
    shop01 = suites["shop01"]
    assert (shop01.get("tests"), shop01.get("failures"), shop01.get("errors")) == ("3", "2", "0")
    prix = next(case for case in shop01 if case.get("name") == "Synchro Prix")
    failure = prix.find("failure")
    assert failure is not None and failure.get("type") == "drifted"
    assert "a: 1 -> 2" in (failure.text or "") and "last run failed" in (failure.text or "")
    assert suites["shop03"].find("testcase/error") is not None
    assert suites["shop02"].find("testcase[@name='synchro stock']/failure") is None


def test_junit_survives_hostile_text_and_control_characters() -> None:
    names = [case.get("name") for case in ElementTree.fromstring(render_junit(hostile_report())).iter("testcase")]
    assert f"job {HOSTILE}" in names
    nasty = FleetReport(generated="now", hosts=(HostReport(host="h\x00\x1b", jobs=(JobStatus(name="a\x07b", state=JobState.EXTRA, message="m\x0c"),)),))
    root = ElementTree.fromstring(render_junit(nasty))
    assert root.find("testsuite").get("name") == "h"  # type: ignore[union-attr]
    assert root.find("testsuite/testcase").get("name") == "ab"  # type: ignore[union-attr]


def test_junit_reports_corrected_jobs_as_passed() -> None:
    corrected = JobStatus(name="a", state=JobState.CORRECTED, changes=("x: 1 -> 2",))
    report = FleetReport(generated="now", enforce=True, hosts=(HostReport(host="h", jobs=(corrected,)),))
    root = ElementTree.fromstring(render_junit(report))
    assert root.get("failures") == "0"
    assert "corrected: x: 1 -> 2" in (root.findtext("testsuite/testcase/system-out") or "")


# --- accepted extras (shop_sync_accepted_extras) -------------------------------------------------


def accepted_report(*patterns: str) -> HostReport:
    return host_report(
        "shop01",
        jobs_result(job("Synchro Stock", "unchanged")),
        info(task("Synchro Stock"), task("Synchro Test Kevin", 1, "incorrect function"), task("Backup Nuit")),
        accepted_extras=patterns,
    )


@pytest.mark.parametrize("pattern", ["Synchro Test Kevin", "synchro test kevin", "Synchro Test*", "*kevin", "Synchro Test [JK]evin"])
def test_an_extra_matching_an_accepted_name_or_pattern_is_accepted_whatever_the_case(pattern: str) -> None:
    _stock, kevin, backup = accepted_report(pattern).jobs
    assert (kevin.state, backup.state) == (JobState.ACCEPTED, JobState.EXTRA)
    assert kevin.message == f"in the managed folder, not in the inventory: accepted by shop_sync_accepted_extras '{pattern}'"


def test_accepted_extras_are_neither_drift_nor_failed_runs_in_any_output() -> None:
    report = FleetReport(generated="now", hosts=(accepted_report("Synchro Test*", "Backup *"),))
    counts = summarize(report)
    assert (counts.accepted, counts.extra, counts.drift, counts.failed_runs) == (2, 0, False, 0)
    assert 'class="verdict ok"' in render_html(report) and "\u2611 accepted" in render_html(report)
    assert "| accepted | 2 |" in render_markdown(report) and "Every job of every host is in sync" in render_markdown(report)
    root = ElementTree.fromstring(render_junit(report))
    assert (root.get("tests"), root.get("failures"), root.get("drift")) == ("3", "0", "false")
    kevin = root.find("testsuite/testcase[@name='Synchro Test Kevin']")
    assert kevin is not None and "accepted by shop_sync_accepted_extras" in (kevin.findtext("system-out") or "")
    lines = summary_lines(report)
    assert "2 accepted" in lines[0] and len(lines) == 1


def test_a_pattern_never_accepts_a_job_the_inventory_lists() -> None:
    report = host_report("shop01", jobs_result(job("Synchro Stock", "updated", "a: 1 -> 2")), info(task("Synchro Stock")), accepted_extras=("*",))
    assert [status.state for status in report.jobs] == [JobState.DRIFTED]


# --- orphans (registered by the collection, dropped from the inventory) vs hand-made tasks -------


def owned(name: str) -> dict[str, object]:
    return {**task(name), "owned": True}


def test_an_orphan_is_not_a_hand_made_task() -> None:
    report = host_report(
        "shop01", jobs_result(job("Synchro Stock", "unchanged")), info(task("Synchro Stock"), owned("Synchro Ancien"), task("Synchro Test Kevin"))
    )
    _stock, orphan, hand_made = report.jobs
    assert (orphan.state, orphan.state.label) == (JobState.ORPHANED, "orphaned, prune is off")
    assert orphan.message == "registered by this collection, no longer in the inventory: a deploy leaves it in place (shop_sync_prune is false)"
    assert (hand_made.state, hand_made.state.label) == (JobState.EXTRA, "unmanaged extra")


def test_with_prune_an_orphan_will_be_pruned_and_an_accepted_pattern_does_not_hide_it() -> None:
    report = host_report(
        "shop01",
        jobs_result(job("Synchro Ancien", "pruned", "task: \\Isotools\\Synchro Ancien -> None")),
        info(owned("Synchro Ancien")),
        accepted_extras=("*",),
    )
    [orphan] = report.jobs
    assert (orphan.state, orphan.state.label) == (JobState.WILL_BE_PRUNED, "will be pruned")
    accepted = host_report("shop01", jobs_result(), info(owned("Synchro Ancien")), accepted_extras=("Synchro *",))
    assert accepted.jobs[0].state is JobState.ACCEPTED  # prune is off: the deploy leaves it, so it can be accepted


def test_orphans_hand_made_tasks_and_pruned_tasks_are_three_findings_in_every_output() -> None:
    report = FleetReport(
        generated="now",
        hosts=(
            host_report(
                "shop01", jobs_result(job("Synchro Vieux", "pruned")), info(owned("Synchro Vieux"), owned("Synchro Ancien"), task("Synchro Test Kevin"))
            ),
        ),
    )
    counts = summarize(report)
    assert (counts.will_be_pruned, counts.orphaned, counts.extra, counts.drift) == (1, 1, 1, True)
    lines = summary_lines(report)
    assert "1 unmanaged extra, 1 orphaned (prune is off), 1 will be pruned" in lines[0]
    assert any(line.startswith("shop01 / Synchro Vieux: will be pruned") for line in lines)
    assert any(line.startswith("shop01 / Synchro Ancien: orphaned, prune is off") for line in lines)
    assert any(line.startswith("shop01 / Synchro Test Kevin: unmanaged extra") for line in lines)
    markdown = render_markdown(report)
    assert "| will be pruned | 1 |" in markdown and "| orphaned, prune is off | 1 |" in markdown and "| unmanaged extra | 1 |" in markdown
    assert "**Synchro Ancien**: orphaned, prune is off" in markdown
    cases = ElementTree.fromstring(render_junit(report)).iter("testcase")
    kinds = {case.get("name"): case.find("failure").get("type") for case in cases}  # type: ignore[union-attr]
    assert kinds == {"Synchro Vieux": "will_be_pruned", "Synchro Ancien": "orphaned", "Synchro Test Kevin": "extra"}
    page = render_html(report)
    for label in ("will be pruned", "orphaned, prune is off", "unmanaged extra"):
        assert f"{label}</span>" in page


# --- which host fails, and for every reason ------------------------------------------------------


def failing_report() -> FleetReport:
    return FleetReport(
        generated="now",
        hosts=(
            HostReport(
                host="shop01",
                jobs=(
                    JobStatus(name="Synchro Prix", state=JobState.DRIFTED, changes=("a: 1 -> 2",), last_result=2, last_result_text="exit code 2"),
                    JobStatus(name="Synchro Stock", state=JobState.IN_SYNC, last_result=0),
                    JobStatus(name="Synchro Vieux", state=JobState.ORPHANED),
                ),
            ),
            HostReport(host="shop02", jobs=(JobStatus(name="Synchro Stock", state=JobState.IN_SYNC, last_result=0),)),
            HostReport(host="shop03", jobs=(JobStatus(name="Synchro Stock", state=JobState.ERROR, message="access denied"),)),
            HostReport(host="shop04", errors=("unreachable: timed out",)),
        ),
    )


def test_each_failing_host_is_named_with_every_reason_and_a_clean_host_is_not() -> None:
    failures = host_failures(failing_report(), FailOn(drift=True, failed_runs=True))
    assert failures == {
        "shop01": "host 'shop01': drift: Synchro Prix (drifted), Synchro Vieux (orphaned, prune is off); last run failed: Synchro Prix (exit code 2)",
        "shop03": "host 'shop03': could not be checked: Synchro Stock (access denied)",
        "shop04": "host 'shop04': could not be checked: unreachable: timed out",
    }


def test_drift_and_failed_runs_fail_a_host_only_when_asked() -> None:
    assert set(host_failures(failing_report(), FailOn())) == {"shop03", "shop04"}  # a host or job not checked always fails
    only_runs = host_failures(failing_report(), FailOn(failed_runs=True))
    assert only_runs["shop01"] == "host 'shop01': last run failed: Synchro Prix (exit code 2)"


def test_a_limited_run_says_so_in_every_output() -> None:
    report = FleetReport(generated="now", limit="shop01,shop02", hosts=(HostReport(host="shop01"),))
    assert summary_lines(report)[0] == "limited run (--limit shop01,shop02): 1 host(s) checked, not the whole inventory"
    assert "Limited run (`--limit shop01,shop02`): 1 host(s) checked, not the whole inventory." in render_markdown(report)
    assert ElementTree.fromstring(render_junit(report)).get("limit") == "shop01,shop02"
    assert "limited run (--limit shop01,shop02)" in render_html(report)
    full = FleetReport(generated="now", hosts=(HostReport(host="shop01"),))
    assert "limit" not in summary_lines(full)[0] and ElementTree.fromstring(render_junit(full)).get("limit") is None


def test_a_privilege_escalation_path_needs_a_look_in_every_rendering() -> None:
    finding = "privilege escalation path: D:\\Public\\evil.bat is writable by BUILTIN\\Users"
    in_sync = {**job("Synchro Stock", "unchanged"), "findings": [finding]}
    host = host_report("shop01", jobs_result(in_sync), info(task("Synchro Stock")))
    report = FleetReport(hosts=(host,), generated="2026-11-28T06:00:00+01:00")

    assert host.jobs[0].state is JobState.IN_SYNC and host.jobs[0].findings == (finding,)
    assert f"shop01 / Synchro Stock: {finding}" in summary_lines(report)
    assert "## Needs a look" in render_markdown(report) and "evil.bat is writable by BUILTIN\\\\Users" in render_markdown(report)
    case = ElementTree.fromstring(render_junit(report)).find("testsuite/testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "privilege_escalation" and failure.get("message") == finding
    assert "evil.bat is writable by BUILTIN\\Users" in render_html(report)


def test_without_a_folder_read_the_runtime_and_unlisted_tasks_come_from_win_sync_jobs() -> None:
    stock = {**job("Synchro Stock", "unchanged"), "last_result": 2, "last_result_text": "exit code 2", "last_run_time": "2026-12-01T03:30:00"}
    unlisted = [{**task("Synchro Ancien"), "owned": True}, task("Synchro Test Kevin")]
    report = host_report("shop01", jobs_result(stock, unlisted=unlisted), None)
    assert [(status.name, status.state) for status in report.jobs] == [
        ("Synchro Stock", JobState.IN_SYNC),
        ("Synchro Ancien", JobState.ORPHANED),
        ("Synchro Test Kevin", JobState.EXTRA),
    ]
    assert (report.jobs[0].last_run_failed, report.errors) == (True, ())


def freshness_report() -> FleetReport:
    """Two jobs in sync: one stale, one whose freshness the host cannot tell."""
    stale = host_report(
        "shop01",
        {
            "jobs": [
                {
                    "name": "Synchro Stock",
                    "path": "\\Isotools\\Synchro Stock",
                    "outcome": "unchanged",
                    "last_result": 0,
                    "last_success_time": "2026-11-28T05:00:00+01:00",
                    "log": "D:\\Isotools\\stock\\synchro.log",
                    "freshness": {"state": "stale", "message": "stale: last success 7 h ago, limit 1 h"},
                },
                {
                    "name": "Synchro Prix",
                    "path": "\\Isotools\\Synchro Prix",
                    "outcome": "unchanged",
                    "last_result": 0x41301,
                    "freshness": {"state": "unknown", "message": "freshness unknown: history disabled (last run 5 min ago did not succeed), limit 1 h"},
                },
            ]
        },
        None,
    )
    return FleetReport(hosts=(stale,), generated="2026-11-28T12:00:00+01:00")


def test_a_stale_job_is_its_own_finding_in_every_output() -> None:
    report = freshness_report()
    counts = summarize(report)
    assert (counts.stale, counts.freshness_unknown, counts.drift) == (1, 1, False)
    assert "shop01 / Synchro Stock: stale: last success 7 h ago, limit 1 h (log D:\\Isotools\\stock\\synchro.log)" in summary_lines(report)
    markdown = render_markdown(report)
    assert "- **Synchro Stock**: stale: last success 7 h ago, limit 1 h (log `D:\\Isotools\\stock\\synchro.log`)" in markdown
    assert "| shop01 | Synchro Stock | 2026-11-28T05:00:00\\+01:00 |" in markdown
    junit = ElementTree.fromstring(render_junit(report))
    failure = junit.find("testsuite/testcase[@name='Synchro Stock']/failure")
    assert failure is not None and failure.get("type") == "stale"
    assert "history disabled" in (junit.findtext("testsuite/testcase[@name='Synchro Prix']/system-out") or "")
    assert junit.find("testsuite/testcase[@name='Synchro Prix']/failure") is None
    page = render_html(report)
    assert "stale: last success 7 h ago, limit 1 h</div>" in page and "<code>D:\\Isotools\\stock\\synchro.log</code>" in page


def test_only_shop_sync_fail_on_stale_fails_a_stale_host_and_unknown_never() -> None:
    report = freshness_report()
    assert host_failures(report, FailOn(drift=True, failed_runs=False)) == {}
    assert host_failures(report, FailOn(stale=True)) == {"shop01": "host 'shop01': stale: Synchro Stock (stale: last success 7 h ago, limit 1 h)"}


def test_drift_a_failed_run_and_a_stale_job_on_one_host_are_one_message_with_every_reason() -> None:
    # shop01 is clean and comes first (the host the report's run_once task runs on); shop02 is the faulty one.
    clean = HostReport(host="shop01", jobs=(JobStatus(name="Synchro Stock", state=JobState.IN_SYNC, last_result=0),))
    faulty = HostReport(
        host="shop02",
        jobs=(
            JobStatus(name="Synchro Prix", state=JobState.DRIFTED, changes=("triggers[daily 02:00]: daily at 02:00 -> 03:30",)),
            JobStatus(name="Synchro Commandes", state=JobState.IN_SYNC, last_result=1, last_result_text="exit code 1"),
            JobStatus(
                name="Synchro Stock",
                state=JobState.IN_SYNC,
                last_result=0,
                freshness_state="stale",
                freshness="stale: last success 7 h ago, limit 1 h",
            ),
        ),
    )
    report = FleetReport(generated="now", hosts=(clean, faulty))

    failures = host_failures(report, FailOn(drift=True, failed_runs=True, stale=True))

    assert failures == {
        "shop02": "host 'shop02': drift: Synchro Prix (drifted); last run failed: Synchro Commandes (exit code 1); "
        "stale: Synchro Stock (stale: last success 7 h ago, limit 1 h)"
    }
    # Each reason only when asked; the clean host never, whichever reasons are asked.
    assert host_failures(report, FailOn(stale=True)) == {"shop02": "host 'shop02': stale: Synchro Stock (stale: last success 7 h ago, limit 1 h)"}
    assert host_failures(report, FailOn()) == {}


def test_script_drift_shows_the_changed_lines_and_the_job_line_right_after_them() -> None:
    diff = ["--- D:\\x\\synchro.bat", "+++ D:\\x\\synchro.bat", "@@ -1,2 +1,2 @@", " @echo off", "-call IsoSync.exe /force", "+call IsoSync.exe"]
    job = {"name": "Synchro Stock", "path": "\\Isotools\\Synchro Stock", "outcome": "updated", "changes": ["script D:\\x\\synchro.bat: a -> b"]}
    result = {"jobs": [{**job, "script_diff": diff}]}
    report = FleetReport(hosts=(host_report("shop01", result, None),), generated="2026-11-28T12:00:00+01:00")

    lines = summary_lines(report)
    job_line = lines.index("shop01 / Synchro Stock: drifted: script D:\\x\\synchro.bat: a -> b")
    assert lines[job_line - 1] == "shop01 / Synchro Stock | +call IsoSync.exe"
    markdown = render_markdown(report)
    assert "  ```diff\n  --- D:\\x\\synchro.bat\n" in markdown and "\n  -call IsoSync.exe /force\n  +call IsoSync.exe\n  ```\n" in markdown
    junit = ElementTree.fromstring(render_junit(report))
    assert "-call IsoSync.exe /force" in (junit.findtext("testsuite/testcase/failure") or "")
    assert '<span class="removed">-call IsoSync.exe /force</span>' in render_html(report)
