# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A directory host with 50,000 tasks in one folder: how long one read takes, and that its
memory is the answer itself plus a bounded working set — no task's XML held twice.

Run with ``make bench`` (``pytest tests/bench --benchmark-only``).
"""

from __future__ import annotations

import codecs
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from host_samples import synchro_task_xml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost

TASK_COUNT = 50_000
# What a read may hold besides its answer: one task file, the folder listing, the state.
WORKING_SET_BYTES = 32 * 1024 * 1024


@pytest.fixture(scope="module")
def crowded_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crowded")
    folder = root.joinpath("C", "Windows", "System32", "Tasks", "Isotools")
    folder.mkdir(parents=True)
    for number in range(TASK_COUNT):
        xml = synchro_task_xml(f"D:\\Isotools\\Synchro_prod\\shop{number:05d}", description=f"Synchro {number:05d}")
        (folder / f"Synchro {number:05d}").write_bytes(codecs.BOM_UTF16_LE + xml.encode("utf-16-le"))
    return root


def _reader(root: Path) -> Callable[[], dict[str, Any]]:
    host = DirectoryHost(root)
    return lambda: host.call({"op": "read", "folders": [{"path": "\\Isotools", "recurse": True}]})


def test_reading_50000_tasks_in_bounded_memory(benchmark: Any, crowded_root: Path) -> None:
    read = _reader(crowded_root)
    timed = benchmark.pedantic(read, rounds=1, iterations=1)
    tracemalloc.start()
    try:
        response = read()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    xml_bytes = sum(len(task["xml"]) for task in response["tasks"])  # ASCII: one byte a character
    assert len(timed["tasks"]) == len(response["tasks"]) == TASK_COUNT
    assert retained >= xml_bytes
    assert peak - retained < WORKING_SET_BYTES, f"a read of {xml_bytes} bytes of XML peaked {peak - retained} bytes above its answer"
