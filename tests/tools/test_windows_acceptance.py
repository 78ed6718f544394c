# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The acceptance run (tests/tools/windows_acceptance.py, `make windows-acceptance`) on the
directory host: its reports name every promise, and a promise the host breaks shows failed."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from acceptance_report import promise_words

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tests/tools/windows_acceptance.py"

# An invented fault: a host whose reads give every task another hash than it registered.
_HASH_BREAKING_PLUGIN = """
def pytest_configure(config):
    from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost

    honest_call = DirectoryHost.call

    def call(self, request):
        response = honest_call(self, request)
        for task in response.get("tasks", []) if request.get("op") == "read" else []:
            task["task_hash"] = "0" * 64
        return response

    DirectoryHost.call = call
"""


def _run(reports: Path, *pytest_args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOP_SYNC_WINRM_")}
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join((str(pythonpath), str(REPO / "build/collections")))
    command = [sys.executable, str(TOOL), "--reports", str(reports), "--", *pytest_args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=600)


def _cases(junit: Path) -> dict[str, str]:
    """Test case name -> passed, failed or skipped."""
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        outcome = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), "passed")
        verdicts[case.get("name", "")] = "failed" if outcome in ("failure", "error") else outcome
    return verdicts


def test_a_directory_run_reports_every_contract_promise_it_checked(tmp_path: Path) -> None:
    reports = tmp_path / "reports"

    completed = _run(reports)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    cases = _cases(reports / "contract.xml")
    assert cases, "the JUnit report lists no test case"
    assert all("[directory" in name for name in cases), [name for name in cases if "[directory" not in name]
    assert set(cases.values()) <= {"passed", "skipped"}
    page = (reports / "acceptance.html").read_text(encoding="utf-8")
    for name, verdict in cases.items():
        assert f'<tr class="{verdict}"><td>{verdict}</td>' in page
        assert promise_words(name) in page.replace("&#x27;", "'"), name
    assert "a task is deleted only when its hash still matches" in page
    assert "integration targets" in page and "not run" in page


def test_a_promise_the_host_breaks_shows_failed_and_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "plugin").mkdir()
    (tmp_path / "plugin" / "hash_breaking_host.py").write_text(_HASH_BREAKING_PLUGIN, encoding="utf-8")
    reports = tmp_path / "reports"

    completed = _run(reports, "-p", "hash_breaking_host", "-k", "not winrm and hashes", pythonpath=tmp_path / "plugin")

    assert completed.returncode == 1, completed.stdout + completed.stderr
    cases = _cases(reports / "contract.xml")
    assert cases["test_what_one_apply_created_the_next_read_shows_with_its_hashes[directory]"] == "failed"
    page = (reports / "acceptance.html").read_text(encoding="utf-8")
    row = "<td>tests.contract.test_contract_read_apply</td><td>what one apply created the next read shows with its hashes</td>"
    assert f'<tr class="failed"><td>failed</td>{row}' in page
    assert "1 failed" in completed.stdout


def test_promises_are_named_in_words_without_the_host() -> None:
    assert promise_words("test_a_task_is_deleted_only_when_its_hash_still_matches[winrm]") == "a task is deleted only when its hash still matches"
    stale = "test_a_change_made_against_a_stale_state_is_refused[directory-other-hash]"
    assert promise_words(stale) == "a change made against a stale state is refused (other-hash)"
    assert promise_words("win_sync_jobs") == "win sync jobs"
