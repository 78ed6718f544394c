# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""win_sync_task names a misplaced option as win_sync_jobs does for a job's task."""

from __future__ import annotations

from pathlib import Path

from support.action_harness import Harness


def test_a_setting_given_at_the_top_gets_the_hint_win_sync_jobs_gives(tmp_path: Path) -> None:
    harness = Harness.create(tmp_path)
    task = {"name": "Synchro Stock", "triggers": [{"type": "daily", "at": "06:00"}], "actions": [{"command": "C:\\Windows\\System32\\cmd.exe"}]}

    alone = harness.run("win_sync_task", {**task, "priority": 11})
    in_a_job = harness.run("win_sync_jobs", {"jobs": [{"name": "Synchro Stock", "task": {**task, "priority": 11}}]})

    assert alone.get("failed") is True, alone
    assert "priority belongs under settings (settings.priority)" in alone["msg"], alone["msg"]
    assert "priority belongs under settings (settings.priority)" in in_a_job["msg"], in_a_job["msg"]
    assert harness.ops() == []
