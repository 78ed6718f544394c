# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files planted on a host to stop or turn the collection: what is not a regular file.

A FIFO (or a device or socket) in a task folder would block the first read of it forever, with
the directory host's lock held, so every later call on that host would hang too. It is reported
as an unreadable task, never opened, and the other jobs are deployed.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_harness import Harness, daily_job
from hardening_support import NON_REGULAR_TASKS, ROOT

_SECONDS = 10  # far more than a read of a few tasks takes; a blocked open() never returns


class Blocked(BaseException):
    """Not an OSError: nothing on the way up may take it for a failed read and carry on."""


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail the test (instead of hanging the suite) when a call blocks."""

    def expire(_signal: int, _frame: object) -> None:
        raise Blocked(f"the call did not return within {_SECONDS} s: a non-regular file was opened")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize("name", NON_REGULAR_TASKS)
def test_a_fifo_in_the_managed_folder_is_reported_and_never_opened(tmp_path: Path, name: str) -> None:
    harness = Harness.create(tmp_path)
    folder = harness.task_file("\\Isotools", "")
    folder.mkdir(parents=True)
    os.mkfifo(folder / name)

    info = harness.run("win_sync_task_info", {"folder": "\\Isotools"})
    deployed = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Prix", ROOT + "\\prix")], "prune": True})
    own = harness.run("win_sync_jobs", {"jobs": [daily_job(name, ROOT + "\\stock")]})

    assert "failed" not in info, info
    reported = {task["name"]: task for task in info["tasks"]}[name]
    assert reported["supported"] is False and "not a regular file" in reported["unsupported_reasons"][0]
    assert "failed" not in deployed and deployed["jobs"][0]["outcome"] == "created"
    assert any(f"task '\\Isotools\\{name}' could not be read" in warning for warning in deployed["warnings"])
    assert own["failed"] is True and "not a regular file" in own["msg"]
    assert (folder / name).exists()


@pytest.mark.usefixtures("deadline")
def test_a_fifo_in_place_of_a_script_is_refused_never_opened(tmp_path: Path) -> None:
    harness = Harness.create(tmp_path)
    script = harness.windows_path(ROOT + "\\stock\\synchro.bat")
    script.parent.mkdir(parents=True)
    os.mkfifo(script)

    result = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", ROOT + "\\stock")]})

    assert result["failed"] is True and "not a regular file" in result["msg"]
    assert harness.run("win_sync_task_info", {"folder": "\\Isotools"})["tasks"] == []
