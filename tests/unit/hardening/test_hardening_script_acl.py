# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No way in through the scripts: a task runs its script with its account's rights, so who may
change the script or its folder may run code as that account (for SYSTEM, as the machine).

The directory host gives a folder made under D:\\ what Windows gives it: BUILTIN\\Users may
write. A job's script and working directory writable by anyone but Administrators, SYSTEM and
the run-as account is drift, said in words (``acl D:\\...\\synchro.bat: writable by
BUILTIN\\Users -> writable only by ...``); deploy sets exactly those writers, unless
``secure_acl: false``. Jobs sharing a folder under different accounts give it one ACL naming
them all (each script stays its own job's), which converges in one run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hardening_support import ACL_PRINCIPALS, GMSA, GMSA_SID, OWNER_CASES, WORKING_DIRECTORY
from host_samples import record_writers
from support.action_harness import SVC_SYNC, SVC_SYNC_SID, Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost

SCRIPT = WORKING_DIRECTORY + "\\synchro.bat"
ADMINISTRATORS, SYSTEM, USERS, EVERYONE = "S-1-5-32-544", "S-1-5-18", "S-1-5-32-545", "S-1-1-0"
SAFE = "writable only by BUILTIN\\Administrators, NT AUTHORITY\\SYSTEM"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    harness = Harness.create(tmp_path)
    harness.write_json("accounts.json", {SVC_SYNC: SVC_SYNC_SID, GMSA: GMSA_SID})
    return harness


def writers(harness: Harness) -> tuple[set[str], set[str]]:
    """Who may write the job's working directory, and its script, as the host reads them."""
    read = DirectoryHost(harness.root).call({"op": "read", "directories": [WORKING_DIRECTORY], "files": [SCRIPT]})
    return set(record_writers(read["directories"][0])), set(record_writers(read["files"][0]))


def stock(principal: dict[str, Any]) -> dict[str, Any]:
    return daily_job("Synchro Stock", WORKING_DIRECTORY, principal=principal)


@pytest.mark.parametrize(("principal", "sid", "name"), [case[1:] for case in ACL_PRINCIPALS], ids=[case[0] for case in ACL_PRINCIPALS])
def test_a_script_users_may_change_is_drift_and_deploy_locks_it_down(harness: Harness, principal: dict[str, Any], sid: str | None, name: str | None) -> None:
    loose = harness.run("win_sync_jobs", {"jobs": [stock(principal)], "secure_acl": False})
    assert loose["changed"] is True and "failed" not in loose
    assert writers(harness) == ({ADMINISTRATORS, SYSTEM, USERS},) * 2  # as Windows leaves a folder made under D:\
    harness.forget_journal()

    drift = harness.run("win_sync_jobs", {"jobs": [stock(principal)]}, check_mode=True)

    allowed = SAFE + (f", {name}" if name else "")
    assert drift["changed"] is True and drift["jobs"][0]["outcome"] == "updated"
    assert drift["jobs"][0]["changes"] == [
        f"acl {WORKING_DIRECTORY}: writable by BUILTIN\\Users -> {allowed}",
        f"acl {SCRIPT}: writable by BUILTIN\\Users -> {allowed}",
    ]
    assert harness.ops() == ["read"] and USERS in writers(harness)[1]

    deployed = harness.run("win_sync_jobs", {"jobs": [stock(principal)]})

    assert deployed["changed"] is True and "failed" not in deployed
    safe = {ADMINISTRATORS, SYSTEM} | ({sid} if sid else set())
    assert writers(harness) == (safe, safe)
    assert harness.run("win_sync_jobs", {"jobs": [stock(principal)]}, check_mode=True)["changed"] is False


def test_a_new_job_folder_is_locked_down_from_the_start(harness: Harness) -> None:
    result = harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]})
    assert f"acl {WORKING_DIRECTORY}: (absent) -> {SAFE}" in result["jobs"][0]["changes"]
    assert writers(harness) == ({ADMINISTRATORS, SYSTEM},) * 2


@pytest.mark.parametrize(
    ("where", "extra", "words"),
    [
        ("directory", EVERYONE, "Everyone"),
        ("script", "S-1-5-11", "NT AUTHORITY\\Authenticated Users"),
        ("script", "S-1-5-21-1180699209-877415012-3182924384-1001", "S-1-5-21-1180699209-877415012-3182924384-1001"),
    ],
)
def test_a_writer_added_by_hand_later_is_drift_and_is_removed(harness: Harness, where: str, extra: str, words: str) -> None:
    harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]})
    acl_file = harness.root / "acl.json"
    acl = json.loads(acl_file.read_text(encoding="utf-8"))
    target = WORKING_DIRECTORY if where == "directory" else SCRIPT
    acl[target.lower()] = [ADMINISTRATORS, SYSTEM, extra]
    acl_file.write_text(json.dumps(acl), encoding="utf-8")

    drift = harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]}, check_mode=True)

    assert f"acl {target}: writable by {words} -> {SAFE}" in drift["jobs"][0]["changes"]
    harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]})
    assert writers(harness) == ({ADMINISTRATORS, SYSTEM},) * 2


def test_with_secure_acl_off_permissions_are_left_alone(harness: Harness) -> None:
    job = stock({"user": "SYSTEM"})
    first = harness.run("win_sync_jobs", {"jobs": [job], "secure_acl": False})
    assert not any(change.startswith("acl ") for change in first["jobs"][0]["changes"])
    assert harness.run("win_sync_jobs", {"jobs": [job], "secure_acl": False}, check_mode=True)["changed"] is False
    assert USERS in writers(harness)[1]


def test_two_jobs_sharing_a_folder_under_two_accounts_get_one_acl_that_converges(harness: Harness) -> None:
    password = {"user": SVC_SYNC, "logon_type": "password", "password": "not-a-real-one"}
    stock = daily_job("Synchro Stock", WORKING_DIRECTORY, principal={"user": "SYSTEM"})
    prices = {**daily_job("Synchro Prix", WORKING_DIRECTORY, principal=password), "script": {"name": "prix.bat", "content": "@echo off\n"}}

    first = harness.run("win_sync_jobs", {"jobs": [stock, prices]})
    second = harness.run("win_sync_jobs", {"jobs": [stock, prices]})

    assert first["changed"] is True and "failed" not in first
    assert f"acl {WORKING_DIRECTORY}: (absent) -> {SAFE}, {SVC_SYNC}" in first["jobs"][0]["changes"]
    assert second["changed"] is False, second["jobs"]
    directory, script = writers(harness)
    assert directory == {ADMINISTRATORS, SYSTEM, SVC_SYNC_SID}, "one of the two accounts is locked out of the folder"
    assert script == {ADMINISTRATORS, SYSTEM}, "the SYSTEM job's script is writable by the other job's account"


def owners(harness: Harness) -> tuple[str, str]:
    read = DirectoryHost(harness.root).call({"op": "read", "directories": [WORKING_DIRECTORY], "files": [SCRIPT]})
    return read["directories"][0]["owner"], read["files"][0]["owner"]


@pytest.mark.parametrize(("where", "owner", "extra", "drift"), [case[1:] for case in OWNER_CASES], ids=[case[0] for case in OWNER_CASES])
def test_a_user_who_owns_the_script_or_its_folder_is_a_writer_until_administrators_own_it(
    harness: Harness, where: str, owner: str, extra: dict[str, Any] | None, drift: bool
) -> None:
    harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]})
    acl_file = harness.root / "acl.json"
    acl = json.loads(acl_file.read_text(encoding="utf-8"))
    target = WORKING_DIRECTORY if where == "directory" else SCRIPT
    # Hardened, then handed to someone else: the DACL alone no longer tells who may write.
    entry = acl[target.lower()] if target.lower() in acl else {"aces": acl[WORKING_DIRECTORY.lower()]["aces"]}
    acl[target.lower()] = {**entry, "owner": owner, "aces": [*entry["aces"], *([extra] if extra else [])]}
    acl_file.write_text(json.dumps(acl), encoding="utf-8")

    checked = harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]}, check_mode=True)

    assert checked["changed"] is drift
    if not drift:
        return
    assert f"acl {target}: writable by {owner} -> {SAFE}" in checked["jobs"][0]["changes"]
    harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]})
    assert owners(harness) == (ADMINISTRATORS, ADMINISTRATORS)
    assert writers(harness) == ({ADMINISTRATORS, SYSTEM},) * 2
    assert harness.run("win_sync_jobs", {"jobs": [stock({"user": "SYSTEM"})]}, check_mode=True)["changed"] is False
