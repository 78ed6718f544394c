# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Passwords are typed as written: YAML 1.1 reads an unquoted ``12:34:56`` as the base-60 number
45296, ``0123`` as 83, ``yes`` as true. Sent as ``str()`` of that, the task would store a password
nobody wrote (and the account would be locked out at the next run).

Each spelling of UNQUOTED_PASSWORDS is loaded as YAML, as Ansible loads an inventory, and given
as a job's password, a task's ``principal.password`` and ``shop_sync_default_password``: refused
before the host is contacted, naming the job and the field, with the quoting hint, and neither
what was written nor what YAML made of it is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hardening_support import ROOT, UNQUOTED_PASSWORDS
from support.action_harness import SVC_SYNC, Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import sync_job_problems

HINT = "must be a string, got"
QUOTE = "quote it"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def as_yaml_reads(written: str) -> object:
    value = yaml.safe_load(f"password: {written}")["password"]
    assert not isinstance(value, str), f"YAML keeps {written} as text: not a case"
    return value


def assert_refused_unshown(message: str, written: str, value: object, named: str) -> None:
    assert named in message and HINT in message and QUOTE in message, message
    assert written not in message and str(value) not in message.replace(named, ""), message


def password_principal(value: object) -> dict[str, Any]:
    return {"user": SVC_SYNC, "logon_type": "password", "password": value}


@pytest.mark.parametrize("written", UNQUOTED_PASSWORDS)
def test_win_sync_jobs_refuses_a_password_yaml_made_a_number(harness: Harness, written: str) -> None:
    value = as_yaml_reads(written)
    job = daily_job("Synchro Stock", ROOT + "\\stock", principal=password_principal(value))
    result = harness.run("win_sync_jobs", {"jobs": [job]})
    assert result.get("failed") is True and harness.ops() == []
    assert_refused_unshown(result["msg"], written, value, "job 'Synchro Stock': task.principal.password ")


@pytest.mark.parametrize("written", UNQUOTED_PASSWORDS)
def test_win_sync_task_refuses_a_password_yaml_made_a_number(harness: Harness, written: str) -> None:
    value = as_yaml_reads(written)
    task = {"name": "Synchro Stock", "actions": [{"command": "cmd.exe"}], "principal": password_principal(value)}
    result = harness.run("win_sync_task", task)
    assert result.get("failed") is True and harness.ops() == []
    assert_refused_unshown(result["msg"], written, value, "task 'Synchro Stock': principal.password ")


@pytest.mark.parametrize("written", UNQUOTED_PASSWORDS)
def test_the_role_refuses_a_job_password_and_a_default_password_yaml_made_a_number(written: str) -> None:
    value = as_yaml_reads(written)
    job = {"name": "Synchro Stock", "account": SVC_SYNC, "sync_command": "x.exe", "password": value}
    [problem] = sync_job_problems([job], host="shop01", defaults={"root": ROOT})
    assert_refused_unshown(problem, written, value, "host 'shop01', job 'Synchro Stock': password ")
    defaulted = {key: item for key, item in job.items() if key != "password"}
    problems = sync_job_problems([defaulted], host="shop01", defaults={"root": ROOT, "password": value})
    assert_refused_unshown(problems[0], written, value, "host 'shop01': shop_sync_default_password ")
