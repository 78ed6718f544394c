# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report as one HTML page: the counts, a hosts x jobs matrix, then each host's details.

Self-contained (styles inline, no script, no external file) so it can be mailed, attached to an
AWX job or opened from a file share. Every state is told by a word and a sign as well as a colour.
Every text from a host or the inventory goes through :func:`html.escape`. Pure, no I/O.
"""

from __future__ import annotations

import html

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report import (
    Counts,
    FleetReport,
    HostReport,
    JobState,
    JobStatus,
    summarize,
)

__all__ = ["render_html"]

_SIGNS = {
    JobState.IN_SYNC: "\u2713",  # check mark
    JobState.DRIFTED: "\u2260",  # not equal
    JobState.MISSING: "\u2717",  # ballot x
    JobState.NOT_TAKEN_OVER: "\u2691",  # black flag: to be claimed
    JobState.EXTRA: "?",
    JobState.CORRECTED: "\u21bb",  # clockwise arrow
    JobState.ERROR: "!",
    JobState.ACCEPTED: "\u2611",  # ballot box with check
    JobState.ORPHANED: "\u2205",  # empty set
    JobState.WILL_BE_PRUNED: "\u2702",  # scissors
}
_EXPLANATIONS = {
    JobState.IN_SYNC: "the host has exactly what the inventory says",
    JobState.DRIFTED: "the task or its script differs from the inventory (the cell lists what)",
    JobState.MISSING: "in the inventory, not on the host",
    JobState.NOT_TAKEN_OVER: "in the inventory and on the host, made by hand (no ownership marker): the next deploy takes it over",
    JobState.EXTRA: "a task in the managed folder that the inventory does not list (made by hand?)",
    JobState.CORRECTED: "differed, and this run put it back as the inventory says",
    JobState.ERROR: "could not be checked or corrected (the cell says why)",
    JobState.ACCEPTED: "a task in the managed folder that the inventory does not list, known and accepted (shop_sync_accepted_extras)",
    JobState.ORPHANED: "registered by this collection, no longer in the inventory; prune is off, so a deploy leaves it in place",
    JobState.WILL_BE_PRUNED: "registered by this collection, no longer in the inventory; prune is on, so the next deploy deletes it",
}

_SHOWN_OPEN = 3

_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.meta { color: #5b6475; margin: 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0; padding: 0; list-style: none; }
.tiles li { background: #fff; border: 1px solid #dde1e8; border-radius: 8px; padding: 10px 14px; min-width: 110px; }
.tiles b { display: block; font-size: 22px; }
.verdict { padding: 12px 16px; border-radius: 8px; font-weight: 600; }
.verdict.ok { background: #e3f4e6; border: 1px solid #9fd4a9; }
.verdict.bad { background: #fdecea; border: 1px solid #f2a9a0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #dde1e8; padding: 8px 10px; text-align: left; vertical-align: top; }
thead th { background: #eef0f4; position: sticky; top: 0; }
tbody th { background: #fafbfc; white-space: nowrap; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 12px; font-weight: 600; white-space: nowrap; }
.in_sync .badge { background: #d7f0dc; color: #135c25; }
.drifted .badge { background: #ffe8c2; color: #7a4a00; }
.missing .badge { background: #fbd5d0; color: #8a1c10; }
.not_taken_over .badge { background: #fff3b8; color: #6b5400; }
.extra .badge { background: #e6dcf7; color: #4b2a83; }
.corrected .badge { background: #d6e6fb; color: #153f7a; }
.error .badge, .badge.error { background: #5c1a12; color: #fff; }
td.in_sync { background: #f3fbf4; }
td.drifted { background: #fff8ec; }
td.missing { background: #fff1ef; }
td.not_taken_over { background: #fffbe6; }
td.extra { background: #f7f3fd; }
td.corrected { background: #f1f6fe; }
td.error { background: #fbeeee; }
.accepted .badge { background: #e4ecef; color: #2f4a55; }
td.accepted { background: #f4f7f8; }
.orphaned .badge, .will_be_pruned .badge { background: #f3e0ea; color: #6e1f47; }
td.orphaned, td.will_be_pruned { background: #fcf4f8; }
td.none { color: #8a92a3; background: #f6f7f9; text-align: center; }
.run-failed { margin-top: 6px; color: #8a1c10; font-weight: 600; }
.finding { margin-top: 6px; color: #8a1c10; font-weight: 600; }
.stale { margin-top: 6px; color: #7a4a00; font-weight: 600; }
pre.diff { font: 12px/1.4 ui-monospace, Consolas, monospace; background: #fafbfc; border: 1px solid #dde1e8; padding: 6px; overflow-x: auto; }
pre.diff .added { color: #135c25; }
pre.diff .removed { color: #8a1c10; }
pre.diff .hunk { color: #36507a; }
.run-failed::before { content: "\\26A0\\FE0E  "; }
.note { color: #5b6475; margin: 4px 0 0; }
ul.changes { margin: 6px 0 0; padding-left: 18px; }
ul.changes li { font-family: ui-monospace, Consolas, monospace; font-size: 13px; }
details summary { cursor: pointer; color: #36507a; margin-top: 4px; }
.host-error { color: #8a1c10; font-weight: 600; }
footer { color: #8a92a3; padding-bottom: 32px; margin-top: 32px; }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 6px 14px; }
dl.legend dd { margin: 0; }
"""


def render_html(report: FleetReport) -> str:
    """The whole page."""
    counts = summarize(report)
    mode = "enforce: differences were corrected" if report.enforce else "check: nothing was changed on the hosts"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<header><h1>{_e(report.title)}</h1>",
        f'<p class="meta">Generated {_e(report.generated)} &middot; mode: {mode}</p>',
        *((f'<p class="verdict bad">{_e(report.limit_note)}</p>',) if report.limit_note else ()),
        "</header>",
        "<main>",
        _tiles(counts),
        _verdict(counts, report.enforce),
        _matrix(report),
        "<h2>Details per host</h2>",
        *(_host_details(host) for host in report.hosts),
        _legend(),
        "</main>",
        "<footer>isotools.shop_sync &middot; drift playbook &middot; the same results are in summary.md and junit.xml beside this page</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _tiles(counts: Counts) -> str:
    tiles = [
        ("hosts", counts.hosts),
        ("jobs", counts.jobs),
        (f"{_SIGNS[JobState.IN_SYNC]} in sync", counts.in_sync),
        (f"{_SIGNS[JobState.DRIFTED]} drifted", counts.drifted),
        (f"{_SIGNS[JobState.MISSING]} missing", counts.missing),
        (f"{_SIGNS[JobState.NOT_TAKEN_OVER]} not yet taken over", counts.not_taken_over),
        (f"{_SIGNS[JobState.WILL_BE_PRUNED]} will be pruned", counts.will_be_pruned),
        (f"{_SIGNS[JobState.ORPHANED]} orphaned", counts.orphaned),
        (f"{_SIGNS[JobState.EXTRA]} unmanaged extra", counts.extra),
        (f"{_SIGNS[JobState.CORRECTED]} corrected", counts.corrected),
        (f"{_SIGNS[JobState.ERROR]} errors", counts.errors),
        (f"{_SIGNS[JobState.ACCEPTED]} accepted", counts.accepted),
        ("last run failed", counts.failed_runs),
        ("stale", counts.stale),
        ("freshness unknown", counts.freshness_unknown),
        ("hosts not checked", counts.hosts_with_errors),
    ]
    items = "".join(f"<li><b>{value}</b>{_e(label)}</li>" for label, value in tiles)
    return f'<ul class="tiles">{items}</ul>'


def _verdict(counts: Counts, enforce: bool) -> str:
    problems = counts.differing
    if problems == 0 and not counts.errors and not counts.hosts_with_errors and not counts.failed_runs and not counts.stale:
        done = f" ({counts.corrected} corrected by this run)" if counts.corrected else ""
        return f'<p class="verdict ok">{_SIGNS[JobState.IN_SYNC]} Every job of every host matches the inventory{done}, and no last run failed.</p>'
    sentences = []
    if problems:
        fix = "run the deploy playbook, or drift with shop_sync_enforce=true, to put them back" if not enforce else "they could not be corrected"
        sentences.append(f"{problems} job(s) differ from the inventory: {fix}.")
    if counts.errors or counts.hosts_with_errors:
        sentences.append(f"{counts.errors} job(s) and {counts.hosts_with_errors} host(s) could not be checked.")
    if counts.failed_runs:
        sentences.append(f"{counts.failed_runs} job(s) failed their last run (see troubleshooting in docs/).")
    if counts.stale:
        sentences.append(f"{counts.stale} job(s) are stale: no successful run within their max_age (read their synchro.log).")
    return f'<p class="verdict bad">{_e(" ".join(sentences))}</p>'


def _matrix(report: FleetReport) -> str:
    names = report.job_names
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in names)
    rows = []
    for host in report.hosts:
        status = f'<br><span class="badge error">{_SIGNS[JobState.ERROR]} not checked</span>' if host.errors else ""
        anchor = _anchor(host.host)
        cells = "".join(_cell(host.job(name)) for name in names)
        rows.append(f'<tr><th scope="row"><a href="#{anchor}">{_e(host.host)}</a>{status}</th>{cells}</tr>')
    if not rows:
        return "<h2>Hosts &times; jobs</h2><p>No host was checked.</p>"
    return (
        '<h2>Hosts &times; jobs</h2><div class="scroll"><table class="matrix">'
        f'<thead><tr><th scope="col">Host</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _cell(job: JobStatus | None) -> str:
    if job is None:
        return '<td class="none" title="not in this host\'s inventory">&mdash;</td>'
    body = [_badge(job.state)]
    if job.changes:
        items = "".join(f"<li>{_e(change)}</li>" for change in job.changes)
        count = len(job.changes)
        # A few differences are shown at once; a long list stays folded so the matrix stays readable.
        opened = " open" if count <= _SHOWN_OPEN else ""
        body.append(f'<details{opened}><summary>{count} difference{"s" if count != 1 else ""}</summary><ul class="changes">{items}</ul></details>')
        body.append(_script_diff(job))
    elif job.message and job.state is not JobState.IN_SYNC:
        body.append(f'<p class="note">{_e(job.message)}</p>')
    if job.last_run_failed:
        body.append(f'<div class="run-failed">last run failed: {_e(_result(job))}</div>')
    if job.stale or job.freshness_unknown:
        body.append(f'<div class="{"stale" if job.stale else "note"}">{_e(job.freshness or "")}</div>')
    body.extend(f'<div class="finding">{_e(finding)}</div>' for finding in job.findings)
    return f'<td class="{job.state.value}">{"".join(body)}</td>'


def _host_details(host: HostReport) -> str:
    parts = [f'<section id="{_anchor(host.host)}"><h3>{_e(host.host)}</h3>']
    parts.extend(f'<p class="host-error">{_SIGNS[JobState.ERROR]} not checked: {_e(error)}</p>' for error in host.errors)
    if host.jobs:
        rows = "".join(_detail_row(job) for job in host.jobs)
        parts.append(
            '<div class="scroll"><table><thead><tr><th scope="col">Job</th><th scope="col">State</th>'
            '<th scope="col">What differs</th><th scope="col">Last run</th><th scope="col">Last result</th>'
            '<th scope="col">Next run</th><th scope="col">Last success</th><th scope="col">Log</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    elif not host.errors:
        parts.append("<p>No sync job in the inventory or in the managed folder.</p>")
    parts.append("</section>")
    return "".join(parts)


def _detail_row(job: JobStatus) -> str:
    differs = "".join(f"<li>{_e(change)}</li>" for change in job.changes)
    what = f'<ul class="changes">{differs}</ul>{_script_diff(job)}' if differs else _e(job.message or "")
    what += "".join(f'<div class="finding">{_e(finding)}</div>' for finding in job.findings)
    result = _result(job) if job.last_result is not None else "never read"
    result_cell = f'<span class="run-failed">{_e(result)}</span>' if job.last_run_failed else _e(result)
    return (
        f'<tr class="{job.state.value}"><th scope="row">{_e(job.name)}</th><td>{_badge(job.state)}</td><td>{what}</td>'
        f"<td>{_e(job.last_run_time or 'never')}</td><td>{result_cell}</td><td>{_e(job.next_run_time or '')}</td>"
        f"<td>{_success_cell(job)}</td><td><code>{_e(job.log or '')}</code></td></tr>"
    )


def _success_cell(job: JobStatus) -> str:
    success = _e(job.last_success_time or "unknown")
    if not job.freshness:
        return success
    return f'{success}<div class="{"stale" if job.stale else "note"}">{_e(job.freshness)}</div>'


def _script_diff(job: JobStatus) -> str:
    """The changed lines of the job's scripts, folded: a diff can be long."""
    if not job.script_diff:
        return ""
    rows = "".join(f'<span class="{_DIFF_CLASSES.get(line[:1], "")}">{_e(line)}</span>\n' for line in job.script_diff)
    return f'<details><summary>script lines</summary><pre class="diff">{rows}</pre></details>'


_DIFF_CLASSES = {"+": "added", "-": "removed", "@": "hunk"}


def _legend() -> str:
    items = "".join(f'<dt class="{state.value}">{_badge(state)}</dt><dd>{_e(_EXPLANATIONS[state])}</dd>' for state in JobState)
    failed = '<dt><span class="run-failed">last run failed</span></dt><dd>the task ran and its result was not success (0), running or not yet run</dd>'
    stale = (
        '<dt><span class="stale">stale</span></dt><dd>the job has max_age and no run succeeded (exit code 0) within it, or none ever did; '
        "freshness unknown: the host's task history, needed to tell, is disabled</dd>"
    )
    return f'<h2>Legend</h2><dl class="legend">{items}{failed}{stale}</dl>'


def _badge(state: JobState) -> str:
    return f'<span class="badge">{_SIGNS[state]} {_e(state.label)}</span>'


def _result(job: JobStatus) -> str:
    return job.last_result_text or job.last_result_hex


def _anchor(host: str) -> str:
    return "host-" + "".join(character if character.isalnum() else "-" for character in host)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
