# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A privileged task escalates through any file it runs that an ordinary user may change: its
program, a script named in its arguments, the host's own script in its folder, and the folders
above them.

Each file the task runs that its definition tells (``command``, paths in ``arguments``, a
relative one from the working directory) and the folders above it up to the drive are read in
the same single read; one that someone other than Administrators, SYSTEM, TrustedInstaller and
the task's own account may change is a finding, ``privilege escalation path: ...``, in check
mode and after a deploy. The deploy locks down what it owns (the job's folder and what it holds,
the host's own script included) and never touches the rest.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hardening_support import EXECUTION_CASES, REPORTED_OUTPUTS, ROOT, SEARCH_CASES
from support.action_harness import Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report import FleetReport, host_report, render_junit, render_markdown, summary_lines
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report.html import render_html

STOCK = ROOT + "\\stock"
HOST_SCRIPT = STOCK + "\\synchro.bat"
HAND_MADE = "Synchro Test Kevin"


def plant(harness: Harness, files: dict[str, Any]) -> None:
    """The files (a name with an extension) and folders of ``files``, with their acl.json entries."""
    acl = {}
    for path, entry in files.items():
        where = harness.windows_path(path)
        if "." in path.rsplit("\\", 1)[-1]:
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_bytes(b"@echo off\r\n")
        else:
            where.mkdir(parents=True, exist_ok=True)
        if entry is not None:
            acl[path.lower()] = entry
    harness.write_json("acl.json", acl)


def job_running(action: dict[str, str]) -> dict[str, Any]:
    return daily_job("Synchro Stock", STOCK, actions=[{"working_directory": STOCK, **action}])


@pytest.mark.parametrize(("action", "files", "expected"), [case[1:] for case in EXECUTION_CASES], ids=[case[0] for case in EXECUTION_CASES])
def test_what_a_system_task_runs_that_users_may_change_is_a_finding(
    tmp_path: Path, action: dict[str, str], files: dict[str, Any], expected: tuple[str, ...]
) -> None:
    harness = Harness.create(tmp_path)
    plant(harness, files)
    planted = (harness.root / "acl.json").read_text(encoding="utf-8")
    harness.forget_journal()

    checked = harness.run("win_sync_jobs", {"jobs": [job_running(action)]}, check_mode=True)
    deployed = harness.run("win_sync_jobs", {"jobs": [job_running(action)]})

    wanted = [f"privilege escalation path: {finding}" for finding in expected]
    assert checked["jobs"][0]["findings"] == wanted
    assert "failed" not in deployed and deployed["jobs"][0]["findings"] == wanted
    assert [entry["op"] for entry in harness.journal()] == ["read", "read", "apply"]
    acl = json.loads((harness.root / "acl.json").read_text(encoding="utf-8"))
    assert {key: value for key, value in acl.items() if key in json.loads(planted)} == json.loads(planted)  # what it does not own: untouched
    assert harness.run("win_sync_jobs", {"jobs": [job_running(action)]}, check_mode=True)["changed"] is False


def test_the_hosts_own_script_users_may_change_is_drift_and_is_locked_down(tmp_path: Path) -> None:
    harness = Harness.create(tmp_path)
    plant(harness, {HOST_SCRIPT: None})
    job = {"name": "Synchro Stock", "working_directory": STOCK, "task": {"triggers": [{"type": "daily", "at": "06:00"}], "principal": {"user": "SYSTEM"}}}

    loose = harness.run("win_sync_jobs", {"jobs": [job], "secure_acl": False}, check_mode=True)
    checked = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)
    harness.run("win_sync_jobs", {"jobs": [job]})
    after = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)

    # Not managed (secure_acl off): reported; managed: a change the deploy makes, then nothing.
    assert loose["jobs"][0]["findings"] == [
        f"privilege escalation path: {HOST_SCRIPT} is writable by BUILTIN\\Users",
        f"privilege escalation path: {STOCK} (holds what the task runs) is writable by BUILTIN\\Users",
    ]
    assert checked["jobs"][0]["findings"] == []
    assert f"acl {HOST_SCRIPT}: writable by BUILTIN\\Users -> writable only by BUILTIN\\Administrators, NT AUTHORITY\\SYSTEM" in checked["jobs"][0]["changes"]
    assert after["changed"] is False and after["jobs"][0]["findings"] == []


def acl_of(harness: Harness) -> dict[str, Any]:
    return dict(json.loads((harness.root / "acl.json").read_text(encoding="utf-8")))


def hand_made_copy(harness: Harness) -> str:
    """The job's task as someone would click it together by hand: no ownership marker."""
    xml = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16")
    return re.sub(r"\s*<Source>[^<]*</Source>", "", xml)


def test_a_task_the_collection_only_reports_gets_the_same_finding_and_is_never_fixed(tmp_path: Path) -> None:
    # Issue 8.5: "every task the collection manages or reports". A hand-made task of the managed
    # folder, run as SYSTEM, starting a program Users may change: drift and info say so; the
    # deploy, which does not manage it, changes nothing of what it runs.
    harness = Harness.create(tmp_path)
    action = {"command": "D:\\Public\\tool.exe"}
    plant(harness, {"D:\\Public\\tool.exe": None})
    harness.run("win_sync_jobs", {"jobs": [job_running(action)]})
    harness.put_task("\\Isotools", HAND_MADE, hand_made_copy(harness))
    stock = daily_job("Synchro Stock", STOCK)  # the inventory's job now runs its own script
    before = acl_of(harness)

    checked = harness.run("win_sync_jobs", {"jobs": [stock]}, check_mode=True)
    deployed = harness.run("win_sync_jobs", {"jobs": [stock]})
    info = harness.run("win_sync_task_info", {})

    wanted = [
        "privilege escalation path: D:\\Public\\tool.exe is writable by BUILTIN\\Users",
        "privilege escalation path: D:\\Public (holds what the task runs) is writable by BUILTIN\\Users",
    ]
    shown = {
        "win_sync_jobs unlisted (check mode)": next(task for task in checked["unlisted"] if task["name"] == HAND_MADE)["findings"],
        "win_sync_jobs unlisted (deploy)": next(task for task in deployed["unlisted"] if task["name"] == HAND_MADE)["findings"],
        "win_sync_task_info": next(task for task in info["tasks"] if task["name"] == HAND_MADE)["findings"],
    }
    report = FleetReport(hosts=(host_report("shop01", checked, None),), generated="2026-12-03T11:00:00+00:00")
    outputs = {
        "summary.md": re.sub(r"\\(.)", r"\1", render_markdown(report)),  # Markdown's escapes undone
        "report.html": html.unescape(render_html(report)),
        "junit.xml": html.unescape(render_junit(report)),
        "summary lines": "\n".join(summary_lines(report)),
    }
    for name, text in outputs.items():
        shown[name] = [finding for finding in wanted if finding in text]
    assert set(shown) == set(REPORTED_OUTPUTS)
    assert shown == dict.fromkeys(REPORTED_OUTPUTS, wanted)
    # Never fixed: D:\\Public keeps what it had, and no change of the deploy touched it.
    assert {key: value for key, value in acl_of(harness).items() if "public" in key} == {key: value for key, value in before.items() if "public" in key}
    assert not [change for job in deployed["jobs"] for change in job["applied_changes"] if "Public" in change]


@pytest.mark.parametrize(
    ("action", "files", "environment", "expected", "unresolved"), [case[1:] for case in SEARCH_CASES], ids=[case[0] for case in SEARCH_CASES]
)
def test_a_program_named_bare_or_through_a_variable_is_found_as_windows_finds_it(
    tmp_path: Path, action: dict[str, str], files: dict[str, Any], environment: dict[str, str] | None, expected: tuple[str, ...], unresolved: tuple[str, ...]
) -> None:
    harness = Harness.create(tmp_path)
    plant(harness, {"C:\\Windows\\System32": None, **files})  # as on every Windows server
    if environment is not None:
        harness.write_json("environment.json", environment)
    planted = acl_of(harness)
    wanted = [f"privilege escalation path: {finding}" for finding in expected]
    said = [text.replace("{job folder}", STOCK) for text in unresolved]

    checked = harness.run("win_sync_jobs", {"jobs": [job_running(action)]}, check_mode=True)
    deployed = harness.run("win_sync_jobs", {"jobs": [job_running(action)]})
    harness.put_task("\\Isotools", HAND_MADE, hand_made_copy(harness))
    info = harness.run("win_sync_task_info", {"name": HAND_MADE})

    assert (checked["jobs"][0]["findings"], checked["jobs"][0]["unresolved"]) == (wanted, said)
    assert "failed" not in deployed and (deployed["jobs"][0]["findings"], deployed["jobs"][0]["unresolved"]) == (wanted, said)
    # The same rule for a task the collection only reports.
    assert (info["tasks"][0]["findings"], info["tasks"][0]["unresolved"]) == (wanted, said)
    assert {key: value for key, value in acl_of(harness).items() if key in planted} == planted  # what it does not own: untouched


def test_a_program_named_bare_found_in_the_jobs_own_folder_is_locked_down_like_its_script(tmp_path: Path) -> None:
    # Found through the search order, it is what the task runs: not reported (the job owns its
    # folder) and so it must be fixed, as the host's own script is; the folder's ACL alone would
    # leave the file's own entries in place.
    harness = Harness.create(tmp_path)
    tool = STOCK + "\\tool.exe"
    plant(harness, {"C:\\Windows\\System32": None, tool: None})
    job = job_running({"command": "tool.exe"})

    checked = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)
    harness.run("win_sync_jobs", {"jobs": [job]})
    after = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)

    assert checked["jobs"][0]["findings"] == []
    assert f"acl {tool}: writable by BUILTIN\\Users -> writable only by BUILTIN\\Administrators, NT AUTHORITY\\SYSTEM" in checked["jobs"][0]["changes"]
    assert after["changed"] is False and after["jobs"][0]["findings"] == []
