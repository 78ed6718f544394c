# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Control characters from a host never reach an output raw.

A host hands the collection text with ESC, BEL, backspace, carriage return, DEL, C1 controls
(CSI, NEL), the Unicode line separator and a right-to-left override: in task names (here the
file names of the directory host, as invented as the text) and in the task definitions. Each
output made from them shows every such character escaped (``\\x1b``), never raw: the drift
report's summary.md, report.html and junit.xml, the summary lines the drift play prints, the
warnings and the message of an action, the adopted YAML's comments.
"""

from __future__ import annotations

import json

import pytest
from hardening_support import CONTROL_CHARACTERS, CONTROL_OUTPUTS, ROOT
from host_samples import synchro_task_xml
from support.action_harness import Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import to_inventory_jobs, to_inventory_yaml

# One hostile name holding every character tried, between words a test can find.
HOSTILE = "Evil" + "".join(CONTROL_CHARACTERS) + "Name"
SHOWN = "Evil" + "".join(repr(character)[1:-1] for character in CONTROL_CHARACTERS) + "Name"
OWNED = synchro_task_xml(ROOT + "\\evil")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Output -> its text, for a host whose managed folder holds an owned task with the hostile
    name (pruned, and the delete refused), a hand-made one (unmanaged extra) and an unreadable one."""
    harness = Harness.create(tmp_path_factory.mktemp("controls"))
    harness.put_task("\\Isotools", HOSTILE, OWNED)
    harness.put_task("\\Isotools", HOSTILE + " by hand", OWNED.replace("<Source>isotools.shop_sync</Source>", ""))
    harness.task_file("\\Isotools", HOSTILE + " unreadable").write_bytes(b"\xff\xfe<Task")
    harness.write_json("faults.json", [{"change": "delete_task", "fault": "access_denied"}])
    jobs = [daily_job("Synchro Stock", ROOT + "\\stock")]
    compared = harness.run("win_sync_jobs", {"jobs": jobs, "prune": True}, check_mode=True)
    applied = harness.run("win_sync_jobs", {"jobs": jobs, "prune": True})
    info = harness.run("win_sync_task_info", {"folder": "\\Isotools"})
    report_dir = harness.root.parent / "report"
    report = harness.run("sync_report", {"dest": str(report_dir), "hosts": [{"host": "shop01", "jobs": compared, "info": info}]})
    return {
        "summary.md": (report_dir / "summary.md").read_text(encoding="utf-8"),
        "report.html": (report_dir / "report.html").read_text(encoding="utf-8"),
        "junit.xml": (report_dir / "junit.xml").read_text(encoding="utf-8"),
        "summary lines (the drift play's output)": "\n".join(report["summary"]),
        "warnings": "\n".join(compared["warnings"] + applied["warnings"]),
        "msg": str(applied.get("msg")),
        "adopted YAML comments": to_inventory_yaml(to_inventory_jobs(info["tasks"], root=ROOT)),
    }


@pytest.mark.parametrize("output", CONTROL_OUTPUTS)
def test_every_control_character_is_shown_escaped(outputs: dict[str, str], output: str) -> None:
    text = outputs[output]
    assert SHOWN in text or SHOWN.replace("\\", "\\\\") in json.dumps(text), text
    raw = [repr(character) for character in CONTROL_CHARACTERS if character in text]
    assert raw == [], f"{output} holds {', '.join(raw)} raw"
