# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prune safety, as a property of win_sync_jobs against a real directory host.

Random task trees: tasks owned by the collection or not, in the managed folder, in its
sub-folders, in other folders (one whose name starts like the managed one's), at the root;
some of their names declared as jobs; the managed folder spelt in any case. After a prune run,
exactly the owned, undeclared tasks directly in the managed folder are gone; every other task
file is byte for byte what it was, but those the jobs declare in the managed folder (which a
job may adopt); and each declared job's task is there.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hardening_support import PRUNE_EXAMPLES, ROOT
from host_samples import synchro_task_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.action_harness import Harness, daily_job

MANAGED = "\\Isotools"
FOLDERS = (MANAGED, "\\Isotools\\Sub", "\\Isotools\\Sub\\Deep", "\\IsotoolsOld", "\\Other", "\\")
NAMES = ("Stock", "Prix", "Commandes", "Clients", "Images", "Synchro Stock", "stock archive")
OWNED = synchro_task_xml(ROOT + "\\legacy")
HAND_MADE = OWNED.replace("<Source>isotools.shop_sync</Source>", "")

TREES = st.lists(
    st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES), st.booleans()),  # folder, name, owned
    max_size=10,
    unique_by=lambda task: (task[0], task[1].casefold()),
)


def job(name: str) -> dict[str, object]:
    return daily_job(name, f"{ROOT}\\{name.replace(' ', '_')}")


def key(folder: str, name: str) -> tuple[str, str]:
    """A task's identity, as case-insensitive as Windows: a new folder keeps the case it was given."""
    return folder.casefold(), name.casefold()


def task_files(harness: Harness) -> dict[tuple[str, str], bytes]:
    """key(folder, name) -> bytes of every task file of the host."""
    tasks = harness.task_file("\\", "")
    found = {}
    for path in tasks.rglob("*") if tasks.exists() else ():
        if path.is_file():
            folder = "\\" + "\\".join(path.relative_to(tasks).parent.parts)
            found[key(folder, path.name)] = path.read_bytes()
    return found


@settings(max_examples=PRUNE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=TREES, declared=st.sets(st.sampled_from(NAMES)), spelling=st.sampled_from(["\\Isotools", "\\isotools", "ISOTOOLS\\", "Isotools"]))
def test_prune_deletes_exactly_the_owned_undeclared_tasks_directly_in_the_managed_folder(
    tree: list[tuple[str, str, bool]], declared: set[str], spelling: str
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        harness = Harness.create(Path(directory))
        # Owned tasks a job declares are as that job deploys them; the rest are put there as found.
        deployed = sorted(name for folder, name, owned in tree if folder == MANAGED and owned and name in declared)
        if deployed:
            assert harness.run("win_sync_jobs", {"jobs": [job(name) for name in deployed]})["changed"] is True
        for folder, name, owned in tree:
            if name not in deployed or folder != MANAGED:
                harness.put_task(folder, name, OWNED if owned else HAND_MADE)
        before = task_files(harness)

        result = harness.run("win_sync_jobs", {"folder": spelling, "prune": True, "jobs": [job(name) for name in sorted(declared)]})

        assert "failed" not in result, result
        after = task_files(harness)
        gone = {key(folder, name) for folder, name, owned in tree if folder == MANAGED and owned and name not in declared}
        jobs_tasks = {key(MANAGED, name) for name in declared}
        kept_as_is = set(before) - gone - jobs_tasks
        assert set(before) - set(after) == gone
        assert {task: after.get(task) for task in kept_as_is} == {task: before[task] for task in kept_as_is}
        assert set(after) == kept_as_is | jobs_tasks
        pruned = {key(*job["path"].rsplit("\\", 1)) for job in result["jobs"] if job["outcome"] == "pruned"}
        assert pruned == gone
