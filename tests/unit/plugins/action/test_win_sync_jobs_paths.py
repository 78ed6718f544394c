# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows' path rules are checked before any write: a host with one invalid job gets none.

Each of these once passed validation and failed on the host after create_directory and set_acl
were applied, while the result said ``outcome: created, applied: true``. The names and lengths
are refused before the host is contacted; a drive the host does not have is seen in the one read,
and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.action_harness import Harness, daily_job

ROOT = "D:\\Isotools\\Synchro_prod"
WITNESS = daily_job("Synchro Witness", ROOT + "\\witness")


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def assert_nothing_applied(harness: Harness, result: dict[str, Any]) -> None:
    assert result.get("failed") is True and result["changed"] is False, result
    assert not [job for job in result["jobs"] if job.get("applied")], result["jobs"]
    assert "apply" not in harness.ops(), harness.ops()
    assert not harness.windows_path(ROOT + "\\witness").exists()


@pytest.mark.parametrize(
    ("folder", "phrase"),
    [
        (ROOT + "\\stock.", "ends in a dot or a space"),
        (ROOT + "\\stock \\x", "ends in a dot or a space"),
        (ROOT + "\\AUX", "the device AUX"),
        (ROOT + "\\nul.txt", "the device NUL"),
        (ROOT + "\\COM\u00b3", "the device COM\u00b3"),
        (ROOT + "\\..\\stock", "'..'"),
        (ROOT + "\\" + "x" * 230, "at most 247 for a folder it creates"),
    ],
)
def test_a_folder_windows_would_read_otherwise_is_refused_before_the_host_is_contacted(harness: Harness, folder: str, phrase: str) -> None:
    result = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", folder), WITNESS], "root": ROOT})

    assert_nothing_applied(harness, result)
    assert harness.ops() == [], "the host was contacted"
    assert "job 'Synchro Stock': working_directory" in result["msg"] and phrase in result["msg"], result["msg"]


def test_a_script_name_windows_refuses_is_refused_before_the_host_is_contacted(harness: Harness) -> None:
    job = daily_job("Synchro Stock", ROOT + "\\stock")
    job["script"]["name"] = "CONOUT$.bat"
    result = harness.run("win_sync_jobs", {"jobs": [job, WITNESS], "root": ROOT})

    assert_nothing_applied(harness, result)
    assert harness.ops() == []
    assert "job 'Synchro Stock': script.name 'CONOUT$.bat' is the device CONOUT$" in result["msg"], result["msg"]


def test_a_drive_the_host_does_not_have_stops_the_host_after_its_read(harness: Harness) -> None:
    elsewhere = daily_job("Synchro Stock", "E:\\Isotools\\stock")
    result = harness.run("win_sync_jobs", {"jobs": [elsewhere, WITNESS]})

    assert_nothing_applied(harness, result)
    assert harness.ops() == ["read"]
    assert "job 'Synchro Stock': working_directory: the host has no drive E:" in result["msg"], result["msg"]
    assert not harness.windows_path("E:\\Isotools").exists()


def test_a_drive_the_host_has_is_written(harness: Harness) -> None:
    result = harness.run("win_sync_jobs", {"jobs": [WITNESS]})

    assert result["changed"] is True and "failed" not in result, result
    assert harness.windows_path(ROOT + "\\witness\\synchro.bat").exists()
