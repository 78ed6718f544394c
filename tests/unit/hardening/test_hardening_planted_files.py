# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files planted on a host to stop or turn the collection: what is not a regular file.

A symbolic link (on Windows also a junction or mount point: a reparse point) at a job's folder,
at a folder above it or at the managed Tasks folder would redirect the script write, the DACL
replacement or the task registration to wherever it points. The read reports it, the plan
refuses the job before anything is written, naming the job and the link, and the host refuses a
write through one that reaches it anyway.

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
from hardening_support import NON_REGULAR_TASKS, PLANTED_LINKS, ROOT
from support.action_harness import Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost

STOCK = ROOT + "\\stock"
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


def plant_link(harness: Harness, where: str, target: Path) -> str:
    """A symbolic link in the image at ``where`` (one of PLANTED_LINKS) to ``target``; its Windows path."""
    link_path = {"the job's folder": STOCK, "a folder above it": ROOT, "the managed Tasks folder": "C:\\Windows\\System32\\Tasks\\Isotools"}[where]
    link = harness.windows_path(link_path)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)
    return link_path


@pytest.mark.parametrize("where", PLANTED_LINKS)
def test_a_link_where_the_deploy_writes_is_refused_before_anything_is_written(tmp_path: Path, where: str) -> None:
    harness = Harness.create(tmp_path)
    outside = tmp_path / "outside"  # what the link leads to: anywhere, even off the image
    outside.mkdir()
    link = plant_link(harness, where, outside)
    harness.forget_journal()

    checked = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", STOCK)]}, check_mode=True)
    deployed = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", STOCK)]})

    for result in (checked, deployed):
        assert result["failed"] is True
        assert "job 'Synchro Stock'" in result["msg"] and f"'{link}'" in result["msg"] and "link or junction" in result["msg"]
    assert harness.ops() == ["read", "read"]
    assert list(outside.iterdir()) == [] and not (harness.root / "acl.json").exists()


def test_a_write_or_acl_through_a_link_is_refused_by_the_host_itself(tmp_path: Path) -> None:
    harness = Harness.create(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    link = plant_link(harness, "a folder above it", outside)
    script = STOCK + "\\synchro.bat"

    response = DirectoryHost(harness.root).call(
        {
            "op": "apply",
            "changes": [
                {"id": "d", "kind": "create_directory", "path": STOCK},
                {"id": "w", "kind": "write_file", "path": script, "content_base64": "QA==", "expected_hash": None},
                {"id": "a", "kind": "set_acl", "path": ROOT, "full_control": ["S-1-5-18"]},
            ],
        }
    )

    assert [(result["id"], result["status"]) for result in response["results"]] == [("d", "refused"), ("w", "refused"), ("a", "refused")]
    assert all(f"'{link}'" in result["message"] for result in response["results"])
    assert list(outside.iterdir()) == [] and not (harness.root / "acl.json").exists()
