# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sync_jobs_check, the role's check: a host's inventory jobs translated once, or every problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from support.action_harness import build_action
from support.messages import assert_copyable

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import to_sync_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions import support

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every string

    def trust_as_template(value: str) -> str:  # type: ignore[misc]
        return value


ROOT = "D:\\Isotools\\Synchro_prod\\shop01"
PASSWORD = "n0t-Sh0wn:D:\\Temp"
KNOWN = ["shop_sync_jobs", "shop_sync_root", "shop_sync_prune"]
STOCK = {"name": "Synchro Stock", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe", "schedule": [{"daily": "02:00"}]}
PRIX = {"name": "Synchro Prix", "account": "svc_sync", "password": PASSWORD, "sync_command": "x.exe", "schedule": [{"daily": "03:00"}]}


def check(tmp_path: Path, jobs: object, *, no_log: bool = True, **args: Any) -> dict[str, Any]:
    options = {"jobs": jobs, "defaults": {"root": ROOT}, "variables": ["shop_sync_jobs", "shop_sync_root"], "known": KNOWN, **args}
    action = build_action("sync_jobs_check", options, playbook_dir=tmp_path, no_log=no_log)
    result: dict[str, Any] = action.run(task_vars={"inventory_hostname": "shop01"})
    return result


def test_the_jobs_are_the_filter_s_translation_passwords_kept_and_host_text_unsafe(tmp_path: Path) -> None:
    jobs = [STOCK, {**PRIX, "description": "{{ lookup('pipe', 'id') }}"}]
    result = check(tmp_path, jobs)
    assert not result.get("failed"), result
    assert result["changed"] is False and result["msg"] == "2 jobs checked"
    # What win_sync_jobs is given: the password as written (never scrubbed from the jobs)...
    assert result["jobs"] == to_sync_jobs(jobs, host="shop01", defaults={"root": ROOT})
    assert result["jobs"][1]["task"]["principal"]["password"] == PASSWORD
    # ...and the inventory's text as data, never a template, when a later task uses the jobs.
    later = Templar(loader=DataLoader(), variables={"sync_jobs_checked": result})
    assert later.template(trust_as_template("{{ sync_jobs_checked.jobs[1].task.description }}")) == "{{ lookup('pipe', 'id') }}"


def test_every_problem_is_listed_once_as_written_and_no_password(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support, "_CORE_SHOWS_FAILURES", False)  # shown by the action, as on 2.17/2.18
    jobs = [{**STOCK, "working_directory": "C:\\Windows\\Temp"}, {**PRIX, "logon_type": "s4u"}]
    result = check(tmp_path, jobs, variables=["shop_sync_jobs", "shop_sync_jbos", "shop_sync_root"])
    assert result["failed"] is True and result["jobs"] == []
    problems = [
        "host 'shop01': shop_sync_jbos is not a variable of the role: did you mean shop_sync_jobs?",
        "host 'shop01', job 'Synchro Stock': working_directory 'C:\\Windows\\Temp' is in C:\\Windows",
        "host 'shop01', job 'Synchro Prix': password",
    ]
    assert result["msg"].startswith("3 problems in the sync jobs:\n"), result["msg"]
    shown = capsys.readouterr().err
    for problem in problems:
        assert result["msg"].count(problem) == 1 and shown.count(problem) == 1, shown
    assert "[shop01] sync_jobs_check: 3 problems in the sync jobs:" in shown
    assert_copyable(shown, jobs)
    assert PASSWORD not in shown and PASSWORD not in json.dumps(result)


@pytest.mark.parametrize("jobs", [[], None])
def test_no_jobs_with_prune_is_refused_and_without_prune_checked(tmp_path: Path, jobs: object) -> None:
    refused = check(tmp_path, jobs, prune=True, defaults={"root": ROOT, "folder": "\\Isotools\\Prod"})
    assert refused["failed"] is True
    assert (
        "host 'shop01': shop_sync_jobs is empty and shop_sync_prune is true, which would delete every task this collection registered in"
        " \\Isotools\\Prod: list the jobs to remove with state: absent, or set shop_sync_prune: false"
    ) in refused["msg"]
    assert check(tmp_path, jobs).get("failed") is not True


def test_defaults_that_are_not_the_role_s_are_refused(tmp_path: Path) -> None:
    result = check(tmp_path, [STOCK], defaults={"roots": ROOT})
    assert result["failed"] is True and result["msg"].startswith("defaults has unknown keys roots"), result
    assert "exception" not in result


def test_a_relative_template_dir_is_taken_from_where_the_playbook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As the filters take it (tests/unit/plugins/filter/test_sync_jobs.py): under AWX the playbook
    # runs in the project's checkout, and shop_sync_template_dir: production is <project>/production.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "production" / "templates").mkdir(parents=True)
    (tmp_path / "production" / "templates" / "images.bat.j2").write_text("@echo off\n", encoding="utf-8")
    job = {**STOCK, "script": {"template": "templates/images.bat.j2"}}
    result = check(tmp_path / "playbooks", [job], defaults={"root": ROOT, "template_dir": "production"})
    assert not result.get("failed"), result
    assert result["jobs"][0]["script"]["template"] == f"{tmp_path}/production/templates/images.bat.j2"


def test_a_check_without_no_log_is_refused_naming_the_host_and_never_the_password(tmp_path: Path) -> None:
    # Its result carries the passwords, which ansible-playbook -v would print.
    result = check(tmp_path, [STOCK, PRIX], no_log=False)
    assert result["failed"] is True and result["jobs"] == []
    assert result["msg"].startswith("host 'shop01': ") and "no_log: true" in result["msg"], result
    assert PASSWORD not in json.dumps(result)
