# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sync_report's two ways in: one ``hosts`` entry per host, or ``results`` and ``accepted_extras``
by host name as hostvars holds them (what the drift playbook gives, with no task per host)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ansible.errors import AnsibleActionFail
from host_samples import synchro_task_xml
from support.action_harness import Harness, daily_job

ROOT = "D:\\Isotools\\Synchro_prod\\shop01"


@pytest.fixture
def compared(tmp_path: Path) -> tuple[Harness, dict[str, Any]]:
    """A host with one job in sync and a hand-made task beside it, compared in check mode."""
    harness = Harness.create(tmp_path)
    jobs = [daily_job("Synchro Stock", f"{ROOT}\\Synchro Stock")]
    assert not harness.run("win_sync_jobs", {"jobs": jobs, "root": ROOT}).get("failed")
    harness.put_task("\\Isotools", "Manual Export", synchro_task_xml(f"{ROOT}\\Manual Export"))
    return harness, harness.run("win_sync_jobs", {"jobs": jobs, "root": ROOT}, check_mode=True)


def _report(harness: Harness, **args: Any) -> dict[str, Any]:
    return harness.run("sync_report", {"dest": str(harness.root.parent / "report"), **args}, check_mode=True)


def test_results_by_host_report_what_hosts_entries_report(compared: tuple[Harness, dict[str, Any]]) -> None:
    harness, result = compared
    entries = _report(harness, hosts=[{"host": "shop01", "jobs": result, "accepted_extras": ["manual *"]}, {"host": "shop02"}])
    by_host = _report(harness, results={"shop01": result, "shop02": None}, accepted_extras={"shop01": ["manual *"]})
    assert by_host["counts"] == entries["counts"]
    assert by_host["summary"] == entries["summary"]
    assert by_host["failures"] == entries["failures"]
    assert by_host["counts"]["accepted"] == 1
    assert by_host["counts"]["hosts_with_errors"] == 1, "a host without a result is a host not checked"


def test_accepted_extras_given_as_text_is_a_list_as_in_a_hosts_entry(compared: tuple[Harness, dict[str, Any]]) -> None:
    harness, result = compared
    reported = _report(harness, results={"shop01": result}, accepted_extras={"shop01": "Other,Manual Export"})
    assert reported["counts"] == _report(harness, hosts=[{"host": "shop01", "jobs": result, "accepted_extras": "Other,Manual Export"}])["counts"]
    assert reported["counts"]["accepted"] == 1
    assert reported["counts"]["extra"] == 0


def test_accepted_extras_that_is_no_list_names_the_host_and_the_variable(compared: tuple[Harness, dict[str, Any]]) -> None:
    harness, result = compared
    with pytest.raises(AnsibleActionFail, match=r"host 'shop01': shop_sync_accepted_extras must be a list"):
        _report(harness, results={"shop01": result}, accepted_extras={"shop01": {"Manual Export": True}})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, "one of the following is required: hosts, results"),
        ({"hosts": [{"host": "shop01"}], "results": {"shop01": None}}, "mutually exclusive: hosts[|]results"),
        ({"hosts": [{"host": "shop01"}], "accepted_extras": {"shop01": []}}, "mutually exclusive: hosts[|]accepted_extras"),
    ],
)
def test_hosts_or_results_exactly_one(compared: tuple[Harness, dict[str, Any]], args: dict[str, Any], message: str) -> None:
    harness, _result = compared
    with pytest.raises(AnsibleActionFail, match=message):
        _report(harness, **args)
