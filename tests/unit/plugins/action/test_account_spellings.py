# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One account, any spelling: a gMSA and a logon trigger's user through win_sync_task, against
a directory host on disk.

The accounts are invented (the corpus of ``../shared/task-xml`` has no gMSA and no logon trigger
naming a user): a gMSA and a user of the host's domain CONTOSO, declared in the image's
``accounts.json``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from support.action_harness import SVC_SYNC, SVC_SYNC_SID, Harness

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.inventory import JobDefaults, translate_jobs

GMSA = "CONTOSO\\gmsa_sync$"
GMSA_SID = "S-1-5-21-3623811015-3361044348-30300820-2201"
GMSA_SPELLINGS = (GMSA, "gmsa_sync$@contoso.example", GMSA_SID)
USER_SPELLINGS = (SVC_SYNC, "svc_sync@contoso.example", SVC_SYNC_SID)
DEFAULT_PASSWORD = "Zq8!shop-sync-default-secret"  # invented, as a vault would give it


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    harness = Harness.create(tmp_path)
    harness.write_json("accounts.json", {SVC_SYNC: SVC_SYNC_SID, GMSA: GMSA_SID})
    return harness


def task(principal: dict[str, Any], triggers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "name": "Synchro Stock",
        "folder": "\\Isotools",
        "actions": [{"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c synchro.bat"}],
        "triggers": triggers or [{"type": "daily", "at": "06:00"}],
        "principal": principal,
    }


def registered_logon_type(harness: Harness) -> str:
    xml = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16")
    found = re.search(r"<LogonType>(\w+)</LogonType>", xml)
    return found.group(1) if found else "(absent)"


@pytest.mark.parametrize("spelled", GMSA_SPELLINGS)
def test_a_gmsa_is_registered_with_a_password_logon_and_no_password_whatever_its_spelling(harness: Harness, spelled: str) -> None:
    # A gMSA runs "whether the user is logged on or not" with a password Windows fetches from
    # Active Directory: LogonType Password and none sent. Its SID says nothing of that by
    # itself; the host's read names the account, and the name says it is a gMSA.
    created = harness.run("win_sync_task", task({"user": spelled}))

    assert created["changed"] is True, created
    assert created["outcome"] == "created"
    assert registered_logon_type(harness) == "Password"
    assert not (harness.root / "credentials.json").exists() or GMSA_SID not in (harness.root / "credentials.json").read_text(encoding="utf-8")

    harness.forget_journal()
    again = harness.run("win_sync_task", task({"user": spelled}))
    assert (again["changed"], again["changes"]) == (False, [])
    assert harness.ops() == ["read"]


@pytest.mark.parametrize("first", GMSA_SPELLINGS)
@pytest.mark.parametrize("then", GMSA_SPELLINGS)
def test_a_gmsa_spelt_otherwise_is_no_change(harness: Harness, first: str, then: str) -> None:
    harness.run("win_sync_task", task({"user": first}))

    again = harness.run("win_sync_task", task({"user": then}))

    assert (again["changed"], again["changes"]) == (False, []), again


def role_jobs(account: str, password_version: str) -> list[dict[str, Any]]:
    """The role's translation of one job run by ``account``, with shop_sync_default_password set."""
    inventory = [{"name": "Synchro Stock", "working_directory": "D:\\Isotools\\stock", "schedule": [{"daily": "06:00"}], "account": account}]
    jobs, problems = translate_jobs(
        inventory, JobDefaults(root="D:\\Isotools", password=DEFAULT_PASSWORD, password_version=password_version), "shop01", template_exists=os.path.isfile
    )
    assert problems == []
    return jobs


@pytest.mark.parametrize("spelled", GMSA_SPELLINGS)
def test_the_roles_default_password_is_never_sent_for_a_gmsa_whatever_its_spelling(harness: Harness, spelled: str) -> None:
    # The role gives a named account's "auto" logon the default password unless its name says gMSA:
    # by its SID, only the host's read says so. No password is sent (Windows fetches a gMSA's), and
    # a password version bump registers nothing again.
    created = harness.run("win_sync_jobs", {"jobs": role_jobs(spelled, "2026-11")})

    assert created.get("failed") is not True, created
    assert registered_logon_type(harness) == "Password"
    assert DEFAULT_PASSWORD not in json.dumps(created)
    credentials = harness.root / "credentials.json"
    assert not credentials.exists() or GMSA_SID not in credentials.read_text(encoding="utf-8")
    again = harness.run("win_sync_jobs", {"jobs": role_jobs(GMSA_SPELLINGS[(GMSA_SPELLINGS.index(spelled) + 1) % 3], "2027-05")})
    assert again["changed"] is False, again


@pytest.mark.parametrize("logon_type", ["interactive_token", "s4u"])
def test_a_gmsa_given_by_its_sid_refuses_another_logon_type_as_its_name_does(harness: Harness, logon_type: str) -> None:
    # By name the spec refuses it; by SID only the host's read can tell, still before any write.
    by_name = harness.run("win_sync_task", task({"user": GMSA, "logon_type": logon_type}))
    harness.forget_journal()

    by_sid = harness.run("win_sync_task", task({"user": GMSA_SID, "logon_type": logon_type}))

    assert by_name["failed"] is True and by_sid["failed"] is True, by_sid
    assert "group managed service account" in by_name["msg"] and "group managed service account" in by_sid["msg"]
    assert GMSA in by_sid["msg"] and "principal.logon_type" in by_sid["msg"]
    assert harness.ops() == ["read"]
    assert not harness.task_file("\\Isotools", "Synchro Stock").exists()


@pytest.mark.parametrize("trigger_type", ["logon", "session_state_change"])
@pytest.mark.parametrize("on_host", USER_SPELLINGS)
@pytest.mark.parametrize("desired", USER_SPELLINGS)
def test_a_logon_triggers_user_compares_by_sid_whatever_either_side_spells(harness: Harness, trigger_type: str, on_host: str, desired: str) -> None:
    # The host may hold the trigger's UserId in any spelling (a task registered with a SID, an
    # XML edited by hand): each side is resolved to its SID through the host's read, as the
    # principal is through principal_sid.
    trigger: dict[str, Any] = {"type": trigger_type, "user": on_host}
    if trigger_type == "session_state_change":
        trigger["state_change"] = "session_unlock"
    harness.run("win_sync_task", task({"user": "SYSTEM"}, [trigger]))
    stored = harness.task_file("\\Isotools", "Synchro Stock")
    xml = stored.read_bytes().decode("utf-16")
    # Whatever the registration made of the spelling, the host now holds it as on_host.
    xml = re.sub(r"(<(?:LogonTrigger|SessionStateChangeTrigger)>.*?<UserId>)[^<]*(</UserId>)", lambda found: found[1] + on_host + found[2], xml, flags=re.S)
    harness.put_task("\\Isotools", "Synchro Stock", xml.lstrip("\ufeff"))
    harness.forget_journal()

    again = harness.run("win_sync_task", task({"user": "SYSTEM"}, [{**trigger, "user": desired}]))

    assert (again["changed"], again["changes"]) == (False, []), again
    # The read resolves the job's spelling, and gives back the host's name for it; only another
    # spelling on the host (here the UPN) is asked about once more, in a follow-up read.
    follow_up = on_host == USER_SPELLINGS[1] and desired != on_host
    assert harness.ops() == (["read", "read"] if follow_up else ["read"])


def test_a_logon_trigger_for_another_user_is_still_a_change(harness: Harness) -> None:
    # The SIDs differ: the comparison by SID does not make every account equal.
    harness.run("win_sync_task", task({"user": "SYSTEM"}, [{"type": "logon", "user": SVC_SYNC_SID}]))

    again = harness.run("win_sync_task", task({"user": "SYSTEM"}, [{"type": "logon", "user": GMSA_SID}]))

    assert again["changed"] is True
    assert [change for change in again["changes"] if "user" in change], again["changes"]


WRITTEN_PASSWORD = "Yw3!written-for-this-job"  # invented: a password the user wrote on one job
# Spelt as a gMSA (the spec refuses a password before any host is read), and by its SID (only the
# host's read names it a gMSA: the plan refuses it, after the one read and before any write).
REFUSED_AT = {GMSA: "check", "gmsa_sync$@contoso.example": "check", "gmsa_sync$": "check", GMSA_SID: "plan"}


def password_job(principal: dict[str, Any], **job: Any) -> dict[str, Any]:
    """A win_sync_jobs job run by ``principal``."""
    spec = {"triggers": [{"type": "daily", "at": "06:00"}], "principal": principal}
    return {"name": "Synchro Stock", "working_directory": "D:\\Isotools\\stock", "script": {"content": "@echo off\n"}, "task": spec, **job}


def assert_refused_before_any_write(harness: Harness, message: str, stage: str) -> None:
    assert "group managed service account has no password to give" in message, message
    assert WRITTEN_PASSWORD not in message
    assert harness.ops() == (["read"] if stage == "plan" else [])
    assert not harness.task_file("\\Isotools", "Synchro Stock").exists()
    assert not harness.windows_path("D:\\Isotools\\stock").exists()


@pytest.mark.parametrize(("spelled", "stage"), REFUSED_AT.items())
def test_a_password_written_for_a_gmsa_is_refused_by_win_sync_task_whatever_its_spelling(harness: Harness, spelled: str, stage: str) -> None:
    result = harness.run("win_sync_task", task({"user": spelled, "logon_type": "password", "password": WRITTEN_PASSWORD}))

    assert result.get("failed") is True, result
    named = "host 'shop01', job 'Synchro Stock': principal.password" if stage == "plan" else "task 'Synchro Stock': principal.password"
    assert named in result["msg"], result["msg"]
    assert_refused_before_any_write(harness, result["msg"], stage)


@pytest.mark.parametrize(("spelled", "stage"), REFUSED_AT.items())
def test_a_password_written_for_a_gmsa_is_refused_by_win_sync_jobs_whatever_its_spelling(harness: Harness, spelled: str, stage: str) -> None:
    principal = {"user": spelled, "logon_type": "password", "password": WRITTEN_PASSWORD}

    result = harness.run("win_sync_jobs", {"jobs": [password_job(principal)]})

    assert result.get("failed") is True, result
    named = "host 'shop01', job 'Synchro Stock': principal.password" if stage == "plan" else "job 'Synchro Stock': task.principal.password"
    assert named in result["msg"], result["msg"]
    assert_refused_before_any_write(harness, result["msg"], stage)


@pytest.mark.parametrize(("spelled", "stage"), REFUSED_AT.items())
def test_a_password_written_on_a_role_job_for_a_gmsa_is_refused_whatever_its_spelling(harness: Harness, spelled: str, stage: str) -> None:
    # The default password is given to every job; one the inventory wrote on this job is the
    # user's word that the account has one, which a gMSA has not: refused, not dropped.
    inventory = [{"name": "Synchro Stock", "working_directory": "D:\\Isotools\\stock", "schedule": [{"daily": "06:00"}], "account": spelled}]
    inventory[0]["password"] = WRITTEN_PASSWORD
    defaults = JobDefaults(root="D:\\Isotools", password=DEFAULT_PASSWORD)
    jobs, problems = translate_jobs(inventory, defaults, "shop01", template_exists=os.path.isfile)

    if stage == "check":
        assert jobs == []
        message = "\n".join(problems)
        assert "host 'shop01', job 'Synchro Stock': password cannot be used" in message, message
    else:
        assert problems == []
        result = harness.run("win_sync_jobs", {"jobs": jobs})
        assert result.get("failed") is True, result
        message = result["msg"]
        assert "host 'shop01', job 'Synchro Stock': principal.password" in message and "the job's password" in message, message
    assert DEFAULT_PASSWORD not in message
    assert_refused_before_any_write(harness, message, stage)


def test_a_default_password_given_to_a_win_sync_jobs_job_is_not_sent_for_a_gmsa_given_by_its_sid(harness: Harness) -> None:
    # What the role does with shop_sync_default_password, said to the module: a password given to
    # every job is not the user's word about this account, and Windows fetches a gMSA's own.
    principal = {"user": GMSA_SID, "logon_type": "password", "password": DEFAULT_PASSWORD}

    created = harness.run("win_sync_jobs", {"jobs": [password_job(principal, password_origin="default")]})

    assert created.get("failed") is not True, created
    assert [job["outcome"] for job in created["jobs"]] == ["created"]
    assert registered_logon_type(harness) == "Password"
    credentials = harness.root / "credentials.json"
    assert not credentials.exists() or GMSA_SID not in credentials.read_text(encoding="utf-8")
    assert DEFAULT_PASSWORD not in json.dumps(created)
