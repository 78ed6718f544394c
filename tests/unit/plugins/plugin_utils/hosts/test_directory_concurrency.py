# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two runs at once against one directory host never lose an update: real processes, each
reading the same state and then applying a change against it."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from directory_host_support import SCRIPT, SCRIPT_DIR, TASK, install_seed, new_image
from host_samples import b64, messages, register, synchro_task_xml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost

_CONTEXT = multiprocessing.get_context("fork")


def _read_then_apply(root: str, description: str, barrier: Barrier, results: Any) -> None:
    host = DirectoryHost(root)
    read = host.call({"op": "read", "tasks": [TASK], "files": [SCRIPT]})
    task_hash, file_hash = read["tasks"][0]["task_hash"], read["files"][0]["file_hash"]
    barrier.wait(timeout=30)  # both have read before either writes
    xml = synchro_task_xml(SCRIPT_DIR, description=description)
    changes = [
        {
            "id": "f",
            "kind": "write_file",
            "path": SCRIPT,
            "content_base64": b64(description.encode()),
            "expected_hash": file_hash,
        },
        register("t", TASK, xml, user="SYSTEM", logon_type="service_account", expected_hash=task_hash),
    ]
    response = host.call({"op": "apply", "changes": changes})
    worded = messages(response)
    results.put((description, [(result["status"], worded[result["id"]]) for result in response["results"]]))


def test_of_two_concurrent_runs_one_applies_and_the_other_is_refused(tmp_path: Path) -> None:
    image = new_image(tmp_path)
    install_seed(image)
    barrier = _CONTEXT.Barrier(2)
    results = _CONTEXT.Queue()
    workers = [_CONTEXT.Process(target=_read_then_apply, args=(str(image.root), name, barrier, results)) for name in ("run A", "run B")]

    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=60) for _worker in workers)
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(outcomes.values()) == [
        [("applied", None), ("applied", None)],
        [("refused", "changed concurrently, re-run"), ("refused", "changed concurrently, re-run")],
    ]
    (winner,) = [name for name, statuses in outcomes.items() if statuses[0][0] == "applied"]
    final = image.call({"op": "read", "tasks": [TASK], "files": [SCRIPT]})
    assert winner in final["tasks"][0]["xml"]
    assert final["files"][0]["content_base64"] == b64(winner.encode())
    assert [worker.exitcode for worker in workers] == [0, 0]


def test_a_registration_without_expected_hash_creates_and_never_overwrites(tmp_path: Path) -> None:
    # The Windows host registers with TASK_CREATE unless a hash says which task it updates
    # (TASK_UPDATE): a change that names no hash must not replace the task that is there.
    image = new_image(tmp_path)
    install_seed(image)
    before = image.tasks_dir("Isotools", "Synchro Stock").read_bytes()
    change = register("t", TASK, synchro_task_xml(SCRIPT_DIR, description="other"), user="SYSTEM", logon_type="service_account")
    del change["expected_hash"]

    response = image.call({"op": "apply", "changes": [change]})

    assert [(result["status"], result["message"], result["concurrent"]) for result in response["results"]] == [("refused", None, True)]
    assert messages(response) == {"t": "changed concurrently, re-run"}
    assert image.tasks_dir("Isotools", "Synchro Stock").read_bytes() == before


def test_an_update_of_a_task_that_is_gone_is_refused(tmp_path: Path) -> None:
    image = new_image(tmp_path)
    change = register("t", TASK, synchro_task_xml(SCRIPT_DIR), user="SYSTEM", logon_type="service_account", expected_hash="0" * 64)

    response = image.call({"op": "apply", "changes": [{"id": "f", "kind": "create_folder", "path": "\\Isotools"}, change]})

    assert [result["status"] for result in response["results"]] == ["applied", "refused"]
    assert not image.tasks_dir("Isotools", "Synchro Stock").exists()
