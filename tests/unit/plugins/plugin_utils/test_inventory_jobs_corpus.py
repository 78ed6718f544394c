# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adoption of the real tasks of ../shared/task-xml/corpus into inventory jobs.

Each supported task is read the way win_sync_task_info reads it (XML -> definition -> spec), made
into an inventory job by ``adopt_tasks``, and translated back by ``translate_jobs``. Either the
task is skipped with its reasons, or the job deploys and means exactly the same task (a
deploy changes nothing). The figures are printed in the summary.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from shared_data import CORPUS, require

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import compare_definitions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.inventory_jobs import JobDefaults, adopt_tasks, translate_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec, spec_from_definition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml

CORPUS_FILES = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []
ROOT = "D:\\Isotools\\Synchro_prod\\shop01"
FOLDER = "\\Isotools"


def adopt(path: Path) -> tuple[dict[str, object], object]:
    definition = parse_xml(path.read_bytes(), name=path.stem, folder=FOLDER)
    task = {
        "path": f"{FOLDER}\\{path.stem}",
        "name": path.stem,
        "folder": FOLDER,
        "supported": definition.supported,
        "unsupported_reasons": list(definition.unsupported_reasons),
        "spec": spec_from_definition(definition) if definition.supported else None,
        "owned": False,
    }
    return adopt_tasks([task], root=ROOT, folder=FOLDER), definition


def outcome(path: Path) -> Counter[str]:
    """What adoption made of one corpus file, checked on the way; the tally of its outcome."""
    adopted, definition = adopt(path)
    if adopted["skipped"]:
        [skipped] = adopted["skipped"]  # type: ignore[misc]
        assert skipped["reasons"], skipped
        return Counter({"skipped: unsupported" if not definition.supported else "skipped: not deployable as a job": 1})  # type: ignore[attr-defined]
    [job] = adopted["jobs"]  # type: ignore[misc]
    jobs, problems = translate_jobs([job], JobDefaults(root=ROOT), "shop01")
    assert problems == []
    [translated] = jobs
    redone = parse_spec({**translated["task"], "name": translated["name"], "folder": FOLDER}).definition  # type: ignore[dict-item]
    wanted = parse_spec(spec_from_definition(definition)).definition  # type: ignore[arg-type]
    changes = compare_definitions(redone, wanted)
    assert [str(change) for change in changes] == [], adopted["notes"][job["name"]]  # type: ignore[index]
    return Counter(
        {
            "adopted, re-applies with no change": 1,
            "triggers said in plain words": len(job.get("schedule", [])),  # type: ignore[arg-type]
            "triggers kept as they are": len(job.get("triggers", [])),  # type: ignore[arg-type]
        }
    )


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.name for path in CORPUS_FILES])
def test_a_real_task_is_adopted_or_skipped_with_its_reasons(path: Path) -> None:
    require(CORPUS)
    assert sum(outcome(path).values()) >= 1


def test_adoption_figures(figures: dict[str, list[str]]) -> None:
    tally: Counter[str] = Counter()
    for path in sorted(require(CORPUS).glob("*.xml")):
        tally.update(outcome(path))
    figures["adoption of the real corpus into inventory jobs"] = [f"{count:3d}  {what}" for what, count in sorted(tally.items())]
    assert tally["adopted, re-applies with no change"] > 0
