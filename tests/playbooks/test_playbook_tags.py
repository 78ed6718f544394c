# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The playbooks' tags, as an operator uses them (docs/workflow.md, "Tags").

``--list-tags`` shows them; real runs on directory hosts show what each selects: ``--tags
validate`` contacts no host, ``--skip-tags smoke`` deploys without running a job.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import playbook_runner
from support.playbook_runner import REPO, empty_image, journal, playbook, require_ansible_playbook
from test_workflow import JOBS_B, SVC_SID, run, write_inventory

TASK_TAGS = re.compile(r"TASK TAGS: \[(?P<tags>[^\]]*)\]")
EXPECTED_TAGS = {
    "deploy": {"validate", "scripts", "tasks", "smoke"},
    "drift": {"validate", "report"},
    "run_now": {"validate"},
    "snapshot": {"validate", "snapshot"},
}


@pytest.fixture
def shops(tmp_path: Path) -> Path:
    require_ansible_playbook()
    for host in ("shopA", "shopB"):
        empty_image(tmp_path / host, {"svc_sync": SVC_SID})
    write_inventory(tmp_path, JOBS_B)
    return tmp_path


@pytest.mark.parametrize(("name", "expected"), EXPECTED_TAGS.items())
def test_list_tags_shows_the_tags_an_operator_expects(name: str, expected: set[str]) -> None:
    require_ansible_playbook()
    code, output, _recap = playbook_runner.run(REPO, playbook(name), "--list-tags", inventory="localhost,")
    assert code == 0, output
    listed = {tag.strip() for match in TASK_TAGS.finditer(output) for tag in match["tags"].split(",") if tag.strip()}
    assert expected <= listed, output


@pytest.mark.parametrize("name", ["deploy", "drift"])
def test_tags_validate_checks_the_inventory_and_contacts_no_host(shops: Path, name: str) -> None:
    code, output, recap = run(shops, playbook(name), "--tags", "validate")
    assert code == 0, output
    assert set(recap) == {"shopA", "shopB"}
    assert journal(shops, "shopA") == journal(shops, "shopB") == [], "a host was contacted"


def test_tags_validate_still_stops_a_bad_inventory(shops: Path) -> None:
    bad = write_inventory(shops, [{"name": "Synchro Stock", "schedule": [{"daily": "25:00"}]}])
    code, output, _recap = run(shops, playbook("deploy"), "--tags", "validate", inventory=bad)
    assert code != 0
    assert "host 'shopB', job 'Synchro Stock': schedule[0].daily '25:00' is not a time of day" in output, output


def test_skip_tags_smoke_deploys_without_running_a_job(shops: Path) -> None:
    code, output, recap = run(shops, playbook("deploy"), "--skip-tags", "smoke", "-e", "shop_sync_smoke_run=true")
    assert code == 0, output
    assert recap["shopA"]["changed"] > 0
    assert journal(shops, "shopA") == ["read", "apply"]
