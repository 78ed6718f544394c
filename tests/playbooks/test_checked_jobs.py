# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the role's check leaves for later plays: its registered result ``sync_jobs_checked``.

A registered variable is the host's for the rest of the run, in a play without the role and in
``hostvars``; a user's own earlier fact of the same kind cannot stand in for the check's jobs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support.playbook_runner import TASKS, one_job_fleet, require_ansible_playbook, run

PLAYS = [
    {
        "name": "Validate",
        "hosts": "shop1",
        "gather_facts": False,
        "tasks": [
            # A user's fact under the name the check's jobs had: stale, it must not be deployed.
            {"name": "A stale fact of the user", "ansible.builtin.set_fact": {"sync_jobs_resolved": [], "sync_jobs_checked": {"jobs": []}}},
            {"name": "Validate", "ansible.builtin.import_role": {"name": "isotools.shop_sync.sync_jobs", "tasks_from": "validate"}},
        ],
    },
    {
        "name": "Later, without the role",
        "hosts": "shop1",
        "gather_facts": False,
        "tasks": [
            {
                "name": "The check's jobs are there",
                "ansible.builtin.assert": {
                    "that": [
                        "sync_jobs_checked.jobs | map(attribute='name') | list == ['Synchro Stock']",
                        "hostvars['shop1'].sync_jobs_checked.jobs | map(attribute='name') | list == ['Synchro Stock']",
                    ]
                },
            },
        ],
    },
    {
        "name": "Deploy after a stale fact",
        "hosts": "shop1",
        "gather_facts": False,
        "tasks": [
            {"name": "A stale fact of the user", "ansible.builtin.set_fact": {"sync_jobs_resolved": []}},
            {"name": "Deploy", "ansible.builtin.import_role": {"name": "isotools.shop_sync.sync_jobs"}},
        ],
    },
]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("checked")
    (base / "inventory.json").write_text(json.dumps(one_job_fleet(base, ["shop1"])), encoding="utf-8")
    (base / "plays.yml").write_text(yaml.safe_dump(PLAYS, sort_keys=False), encoding="utf-8")
    return base


def test_later_plays_read_the_checks_jobs_and_a_stale_fact_is_not_deployed(shop: Path) -> None:
    code, output, recap = run(shop, str(shop / "plays.yml"), inventory=shop / "inventory.json")
    assert code == 0, output
    assert recap["shop1"]["failed"] == 0
    assert shop.joinpath("shop1", *TASKS, "Synchro Stock").is_file(), output


def test_a_check_without_no_log_never_shows_the_password_at_v(shop: Path) -> None:
    password = "n0t-At-V:D:\\Temp"
    job = {"name": "Synchro Prix", "account": "svc_sync", "password": password, "sync_command": "x.exe", "schedule": [{"daily": "03:00"}]}
    task = {
        "name": "A check without no_log",
        "isotools.shop_sync.sync_jobs_check": {"jobs": [job], "defaults": {"root": "D:\\Isotools"}},
        "register": "checked",
    }
    (shop / "loud.yml").write_text(yaml.safe_dump([{"name": "Loud", "hosts": "shop1", "gather_facts": False, "tasks": [task]}]), encoding="utf-8")
    code, output, _recap = run(shop, str(shop / "loud.yml"), "-v", inventory=shop / "inventory.json", secrets=[password])
    assert code != 0 and "host 'shop1': " in output and "no_log: true" in output, output
