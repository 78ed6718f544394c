# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""50,000 tasks in one folder (and a few hostile files among them) through win_sync_task_info.

A benchmark, not a timed test (``make bench``; a few minutes: the traced run is slower): one
untraced run is timed, one run under tracemalloc gives the memory peak, both printed. The peak
must stay within a small multiple of the result itself: the action holds the host's answer and
the entries it builds from it, never more than a bounded working set besides. Every task is
reported, the hostile ones as not supported, and nothing fails.
``SHOP_SYNC_BENCH_TASKS=5000 make bench`` runs a smaller folder.
"""

from __future__ import annotations

import codecs
import os
import time
import tracemalloc
from typing import Any

import pytest
from host_samples import synchro_task_xml
from support.action_harness import Harness  # the actions on a real directory host on disk

TASK_COUNT = int(os.environ.get("SHOP_SYNC_BENCH_TASKS", "50000"))
HOSTILE_EVERY = 1000  # one hostile file per thousand tasks
# Besides the result, what a run may hold at its peak: the host's answer (every task's XML once,
# about the result's size again) and a bounded working set.
PEAK_OVER_RESULT = 3
WORKING_SET_BYTES = 64 * 1024 * 1024


def _hostile(number: int) -> bytes:
    xml = synchro_task_xml(f"D:\\Isotools\\Synchro_prod\\shop{number:05d}")
    kinds = (
        lambda: codecs.BOM_UTF16_LE + xml[: len(xml) // 2].encode("utf-16-le"),  # truncated
        lambda: codecs.BOM_UTF16_LE + xml.replace("mit/task", "mit/other").encode("utf-16-le"),  # unknown namespace
        lambda: xml.replace('encoding="UTF-16"', 'encoding="UTF-8"').replace("Stock", "St\u00f6ck").encode("latin-1"),  # wrongly encoded
    )
    return kinds[number // HOSTILE_EVERY % len(kinds)]()


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    harness = Harness.create(tmp_path_factory.mktemp("crowded-info"))
    folder = harness.task_file("\\Isotools", "")
    folder.mkdir(parents=True)
    for number in range(TASK_COUNT):
        if number % HOSTILE_EVERY == HOSTILE_EVERY - 1:
            data = _hostile(number)
        else:
            xml = synchro_task_xml(f"D:\\Isotools\\Synchro_prod\\shop{number:05d}", description=f"Synchro {number:05d}")
            data = codecs.BOM_UTF16_LE + xml.encode("utf-16-le")
        (folder / f"Synchro {number:05d}").write_bytes(data)
    return harness


def _info(harness: Harness) -> dict[str, Any]:
    return harness.run("win_sync_task_info", {"folder": "\\Isotools"})


def test_task_info_on_50000_tasks_in_bounded_memory(benchmark: Any, crowded: Harness) -> None:
    started = time.perf_counter()
    timed = benchmark.pedantic(_info, args=(crowded,), rounds=1, iterations=1)
    seconds = time.perf_counter() - started

    tracemalloc.start()
    try:
        traced = _info(crowded)
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    hostile = TASK_COUNT // HOSTILE_EVERY
    print(
        f"\nwin_sync_task_info, {TASK_COUNT} tasks ({hostile} hostile): {seconds:.1f} s "
        f"({1000 * seconds / TASK_COUNT:.2f} ms a task); tracemalloc peak {peak / 2**20:.1f} MiB, "
        f"result {retained / 2**20:.1f} MiB ({peak / TASK_COUNT / 1024:.1f} KiB a task at the peak)"
    )
    for result in (timed, traced):
        assert "failed" not in result
        assert len(result["tasks"]) == TASK_COUNT
        assert sum(not task["supported"] for task in result["tasks"]) == hostile
    assert peak < PEAK_OVER_RESULT * retained + WORKING_SET_BYTES, f"peak {peak} bytes for a result of {retained} bytes"
