# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adoption of the real tasks of ../shared/task-xml/corpus into inventory jobs.

Each supported task is read the way win_sync_task_info reads it (XML -> definition -> spec), made
into an inventory job by ``adopt_tasks``, and translated back by ``translate_jobs``. Either the
task is skipped with its reasons, or the job deploys and means exactly the same task (a
deploy changes nothing but the takeover).

The job is then planned against a host holding the original task, as a hand-made one (no
ownership marker): the first deploy takes it over (outcome ``taken_over``, announced by a
note), never leaves it ``unchanged`` and unowned; one whose logon stores a password is refused
until the inventory gives the password; once taken over, the next deploy changes nothing.
The figures are printed in the summary.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from shared_data import CORPUS, require

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import compare_definitions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import FolderRecord, HostFacts, ReadResult, TaskRecord, sha256_hex
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import task_job
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import JobDefaults, adopt_tasks, translate_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import is_owned
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import PlanError, PlanOptions, plan
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec, spec_from_definition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml, render_xml

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
    jobs, problems = translate_jobs([job], JobDefaults(root=ROOT), "shop01", template_exists=os.path.isfile)
    assert problems == []
    [translated] = jobs
    redone = parse_spec({**translated["task"], "name": translated["name"], "folder": FOLDER}).definition  # type: ignore[dict-item]
    wanted = parse_spec(spec_from_definition(definition)).definition  # type: ignore[arg-type]
    changes = compare_definitions(redone, wanted)
    notes = " | ".join(adopted["notes"][job["name"]])  # type: ignore[index]
    assert [str(change) for change in changes] == [], notes
    assert "the first deploy that declares it takes it over" in notes, notes
    first_deploy = take_over(path, {**translated["task"], "name": translated["name"]})  # type: ignore[dict-item]
    if first_deploy == "refused without the password":
        assert "needs the password" in notes, notes
    return Counter(
        {
            "adopted, the first deploy takes it over with no other change": 1,
            f"adopted, taking it over is {first_deploy}": 1,
            "triggers said in plain words": len(job.get("schedule", [])),  # type: ignore[arg-type]
            "triggers kept as they are": len(job.get("triggers", [])),  # type: ignore[arg-type]
        }
    )


# A stand-in the test gives a password logon's job, as the vault would: never shown, never real.
_VAULTED = "vaulted-in-the-inventory"


def take_over(path: Path, task: dict[str, object]) -> str:
    """The first deploy of the adopted job over the original, hand-made task, then a second one
    over what the first registered: how the takeover went."""
    spec = parse_spec({**task, "folder": FOLDER})
    job = task_job(spec)
    options = PlanOptions(FOLDER)
    hand_made = _host(f"{FOLDER}\\{spec.definition.name}", path.read_bytes())
    try:
        first = plan([job], hand_made, options, render=render_xml, parse=parse_xml)
    except PlanError as error:
        # Only a password logon stops the takeover, and it says which field to give.
        assert (error.job, error.field) == (job.name, "principal.password"), error
        assert "taking it over" in str(error), error
        job = replace(job, password=_VAULTED)
        first = plan([job], hand_made, options, render=render_xml, parse=parse_xml)
        assert list(first.passwords.values()) == [_VAULTED]
        refused = True
    else:
        refused = False
    [planned] = first.jobs
    assert planned.outcome == "taken_over", planned
    assert planned.xml_after is not None
    assert is_owned(parse_xml(planned.xml_after, name=planned.path.rsplit("\\", 1)[-1], folder=FOLDER))
    second = plan([job], _host(planned.path, planned.xml_after.encode("utf-8")), options, render=render_xml, parse=parse_xml)
    assert [job.outcome for job in second.jobs] == ["unchanged"], [str(change) for job in second.jobs for change in job.changes]
    return "refused without the password" if refused else "done without a password"


def _host(task_path: str, xml: bytes) -> ReadResult:
    text = parse_text(xml)
    record = TaskRecord(task_path, text, sha256_hex(text.encode("utf-8")), True, "ready")
    return ReadResult(HostFacts("SHOP01"), folders=(FolderRecord(FOLDER, True),), tasks=(record,))


def parse_text(xml: bytes) -> str:
    """The task file's text, as a host's read hands it over (Windows stores UTF-16 with a BOM)."""
    for bom, encoding in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig")):
        if xml.startswith(bom):
            return xml.decode(encoding)
    return xml.decode("utf-8")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.name for path in CORPUS_FILES])
def test_a_real_task_is_adopted_or_skipped_with_its_reasons(path: Path) -> None:
    require(CORPUS)
    assert sum(outcome(path).values()) >= 1


def test_adoption_figures(figures: dict[str, list[str]]) -> None:
    tally: Counter[str] = Counter()
    for path in sorted(require(CORPUS).glob("*.xml")):
        tally.update(outcome(path))
    figures["adoption of the real corpus into inventory jobs"] = [f"{count:3d}  {what}" for what, count in sorted(tally.items())]
    assert tally["adopted, the first deploy takes it over with no other change"] > 0
    assert "adopted, re-applies with no change" not in tally


NO_ACCOUNT = "principal names no account"
# The supported real tasks adoption leaves out, and the start of each reason. A start-in folder no
# job may own (%TEMP%, %appdata%\..) is no reason: such a task is kept as its actions.
LEFT_OUT = {
    "002_atomic-logon-hidden": (NO_ACCOUNT,),
    "008_heroesshare-watcher-password-restartonfailure": (NO_ACCOUNT,),
    "013_flea-boot-password": (NO_ACCOUNT,),
    "014_typefi-boot-password-emptyuser": (NO_ACCOUNT,),
    "016_bphc-autologin-eventtrigger-networkprofile": (NO_ACCOUNT,),
    "020_intel-bt-wakeup-eventtrigger-v14": (NO_ACCOUNT,),
    "021_internet-overdose-boot-event-s4u": (NO_ACCOUNT,),
    "024_smartmontools-monthly-days-placeholders": ("actions[0].working_directory '[PATH]' must be an absolute folder",),
    "042_logicdaemon-weekly-s4u": (NO_ACCOUNT,),
    "044_webpier-boot-s4u-empty-date": (NO_ACCOUNT, "actions[0].command must not be empty"),
    "046_bluscream-boot-logon-sessionstate-restart": (
        "actions[0].working_directory '\"C:\\Program Files (x86)\\BoxToGoRC\"' must not be quoted: Task Scheduler uses the folder as written",
    ),
}
# Real tasks that start in a folder no job may own, adopted as their actions: the file, its start-in folder.
KEPT_AS_ACTIONS = {"037_logicdaemon-boot-logon-calendar-s4u": "%TEMP%", "038_logicdaemon-daily-repetition-interactive": "%TEMP%"}


def test_the_supported_real_tasks_left_out_are_these_for_these_reasons() -> None:
    left_out = {}
    for path in sorted(require(CORPUS).glob("*.xml")):
        adopted, definition = adopt(path)
        if definition.supported and adopted["skipped"]:  # type: ignore[attr-defined]
            [skipped] = adopted["skipped"]  # type: ignore[misc]
            left_out[path.stem] = tuple(skipped["reasons"])
    assert {name: len(reasons) for name, reasons in left_out.items()} == {name: len(reasons) for name, reasons in LEFT_OUT.items()}
    assert {name: [reason.startswith(start) for reason, start in zip(left_out[name], starts, strict=True)] for name, starts in LEFT_OUT.items()} == {
        name: [True] * len(starts) for name, starts in LEFT_OUT.items()
    }, left_out


@pytest.mark.parametrize("name", sorted(KEPT_AS_ACTIONS))
def test_a_real_task_starting_in_the_temporary_folder_is_adopted_as_its_actions_with_no_folder(name: str) -> None:
    path = require(CORPUS) / f"{name}.xml"
    adopted, definition = adopt(path)
    [job] = adopted["jobs"]  # type: ignore[misc]
    [action] = job["actions"]
    assert action["working_directory"] == KEPT_AS_ACTIONS[name] == definition.actions[0].working_directory  # type: ignore[union-attr]
    assert "working_directory" not in job and "command" not in job
    [translated], problems = translate_jobs([job], JobDefaults(root=ROOT), "shop01", template_exists=os.path.isfile)
    assert problems == [] and translated["working_directory"] == ""  # no folder is created nor locked down for it
