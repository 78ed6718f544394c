# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``read`` and ``apply`` as docs/host-contract.md defines them, on every host.

Only the contract's messages are looked at, never a host's insides, so the same assertions
hold for the directory host and a real Windows machine.
"""

from __future__ import annotations

import base64
import uuid

import pytest
from host_samples import b64, delete, messages, record_writers, register, sha256, statuses, synchro_task_xml
from host_under_test import SCRIPT, HostUnderTest, install, read_all, task_record, the_task

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_gmsa_name
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ACCOUNT_NOT_FOUND, AccountRecord, DirectoryRecord, FileRecord, ReadResult

NOT_YET_RUN = 0x41303
READY = 3  # TASK_STATE_READY, as IRegisteredTask.State gives it
CONCURRENT = "changed concurrently, re-run"
NONE_MAPPED = 0x80070534
# What a read says of a missing file or directory: whether it exists and no link, the rest left
# to the contract's defaults (no hash, no content, no owner, no entries).
ABSENT = {"exists": False, "reparse_point": None}


def test_reading_what_does_not_exist_reports_it_absent(host: HostUnderTest) -> None:
    response = host.call(
        {
            "op": "read",
            "folders": [{"path": host.folder, "recurse": True}],
            "tasks": [host.task("Nothing here")],
            "files": [host.file("stock", "synchro.bat")],
            "directories": [host.file("stock")],
        }
    )

    assert response["host"]["hostname"]
    assert [(folder["exists"]) for folder in response["folders"]] == [False]
    assert response["tasks"] == []
    assert response["files"] == [{"path": host.file("stock", "synchro.bat"), **ABSENT}]
    assert response["directories"] == [{"path": host.file("stock"), **ABSENT}]
    read = ReadResult.from_json(response)
    assert read.file(host.file("stock", "synchro.bat")) == FileRecord(host.file("stock", "synchro.bat"), False)
    assert read.directory(host.file("stock")) == DirectoryRecord(host.file("stock"), False)


@pytest.mark.parametrize(
    ("name", "sid"),
    [
        ("SYSTEM", "S-1-5-18"),
        ("NT AUTHORITY\\SYSTEM", "S-1-5-18"),
        ("S-1-5-18", "S-1-5-18"),
        ("NT AUTHORITY\\NETWORK SERVICE", "S-1-5-20"),
        ("BUILTIN\\Administrators", "S-1-5-32-544"),
        ("builtin\\users", "S-1-5-32-545"),
    ],
)
def test_accounts_are_read_as_sids(host: HostUnderTest, name: str, sid: str) -> None:
    response = host.call({"op": "read", "accounts": [name]})
    (record,) = response["accounts"]

    assert {key: record[key] for key in ("name", "sid", "error")} == {"name": name, "sid": sid, "error": None}
    assert record["account"]  # the host's own (possibly localised) name for the SID


def test_a_read_without_file_content_gives_the_hash_and_security_only(host: HostUnderTest) -> None:
    # The follow-up read of what a task runs: any file a hand-made task names, never brought back.
    install(host)
    path = host.file("stock", "synchro.bat")
    full, bare = (host.call({"op": "read", "files": [path], **extra})["files"][0] for extra in ({}, {"file_content": False}))

    assert full["content_base64"] and bare["content_base64"] is None
    assert bare["file_hash"] == full["file_hash"] and bare["owner"] == full["owner"] and bare["aces"] == full["aces"]


def test_machine_variables_are_read_by_name_and_an_unset_one_is_null(host: HostUnderTest) -> None:
    # What the controller needs to tell what a task runs (%SystemRoot%, PATH); a name the machine
    # environment does not set (a per-user one, or none) comes back null, never guessed.
    unset = "SHOP_SYNC_NOT_SET_" + uuid.uuid4().hex[:8].upper()
    response = host.call({"op": "read", "environment": ["windir", "Path", unset]})
    windir, path, missing = response["environment"]

    assert (windir["name"], path["name"], missing) == ("windir", "Path", {"name": unset, "value": None})
    assert windir["value"][1:3] == ":\\"  # a full path: C:\\Windows on most servers
    assert windir["value"].lower() + "\\system32" in path["value"].lower().split(";")


def test_an_unknown_account_is_read_as_not_found(host: HostUnderTest) -> None:
    name = f"SHOPSYNC\\nobody_{uuid.uuid4().hex[:8]}"

    response = host.call({"op": "read", "accounts": [name]})
    (record,) = response["accounts"]

    # Windows' own text (localised), which the controller replaces with its words.
    assert {key: record[key] for key in ("name", "sid", "account", "not_found")} == {"name": name, "sid": None, "account": None, "not_found": True}
    assert isinstance(record["error"], str) and record["error"]
    assert ReadResult.from_json(response).account(name) == AccountRecord(name, None, ACCOUNT_NOT_FOUND)


def test_what_one_apply_created_the_next_read_shows_with_its_hashes(host: HostUnderTest) -> None:
    installed = install(host)

    response = read_all(host, installed)

    assert response["folders"][0]["exists"] is True
    task = the_task(response, installed.task)
    assert task["path"] == installed.task
    assert task["task_hash"] == sha256(task["xml"].encode("utf-8")) == installed.task_hash
    assert "/k synchro.bat &amp; exit" in task["xml"]
    assert (task["enabled"], task["state"], task["last_result"]) == (True, READY, NOT_YET_RUN)
    (script,) = response["files"]
    assert (script["exists"], script["file_hash"], script["size"]) == (True, sha256(SCRIPT), len(SCRIPT))
    assert base64.b64decode(script["content_base64"]) == SCRIPT
    assert response["directories"][0]["exists"] is True


def test_paths_are_found_whatever_their_case(host: HostUnderTest) -> None:
    installed = install(host)

    response = host.call(
        {
            "op": "read",
            "folders": [{"path": host.folder.upper(), "recurse": False}],
            "tasks": [installed.task.lower()],
            "files": [installed.script.upper()],
            "directories": [installed.directory.lower()],
        }
    )

    assert response["folders"][0]["exists"] is True
    assert [task["path"] for task in response["tasks"]] == [installed.task]  # the registered case
    assert response["files"][0]["file_hash"] == sha256(SCRIPT)
    assert response["directories"][0]["exists"] is True


def test_creating_a_folder_or_directory_that_exists_changes_nothing(host: HostUnderTest) -> None:
    installed = install(host)

    response = host.call(
        {
            "op": "apply",
            "changes": [
                {"id": "f", "kind": "create_folder", "path": host.folder.lower()},
                {"id": "d", "kind": "create_directory", "path": installed.directory.upper()},
            ],
        }
    )

    assert statuses(response) == {"f": "unchanged", "d": "unchanged"}


def test_registering_the_same_xml_again_applies_and_keeps_the_hash(host: HostUnderTest) -> None:
    installed = install(host)

    response = host.call(
        {
            "op": "apply",
            "changes": [register("again", installed.task, installed.xml, user="SYSTEM", logon_type="service_account", expected_hash=installed.task_hash)],
        }
    )

    assert statuses(response) == {"again": "applied"}
    assert response["results"][0]["task_hash"] == installed.task_hash
    assert the_task(read_all(host, installed), installed.task)["task_hash"] == installed.task_hash


def test_an_updated_definition_replaces_the_task_in_place(host: HostUnderTest) -> None:
    installed = install(host)
    updated = synchro_task_xml(installed.directory, description="Synchro stock, every day")

    response = host.call(
        {"op": "apply", "changes": [register("u", installed.task, updated, user="S-1-5-18", logon_type="service_account", expected_hash=installed.task_hash)]}
    )

    assert statuses(response) == {"u": "applied"}
    task = the_task(read_all(host, installed), installed.task)
    assert "Synchro stock, every day" in task["xml"]
    assert task["task_hash"] == response["results"][0]["task_hash"] != installed.task_hash


@pytest.mark.parametrize("stale", ["0" * 64, None], ids=["other-hash", "must-not-exist"])
def test_a_change_made_against_a_stale_state_is_refused(host: HostUnderTest, stale: str | None) -> None:
    installed = install(host)
    changed_xml = synchro_task_xml(installed.directory, description="someone else's edit")

    response = host.call(
        {
            "op": "apply",
            "changes": [
                register("t", installed.task, changed_xml, user="S-1-5-18", logon_type="service_account", expected_hash=stale),
                {"id": "f", "kind": "write_file", "path": installed.script, "content_base64": b64(b"rem other\r\n"), "expected_hash": stale},
            ],
        }
    )

    assert statuses(response) == {"t": "refused", "f": "refused"}
    assert set(messages(response).values()) == {CONCURRENT}
    after = read_all(host, installed)
    assert the_task(after, installed.task)["task_hash"] == installed.task_hash
    assert after["files"][0]["file_hash"] == sha256(SCRIPT)


def test_a_change_that_omits_its_expected_hash_is_one_whose_target_must_not_exist(host: HostUnderTest) -> None:
    # The controller always sends expected_hash (Change.to_json); left out, it reads as null on
    # both hosts, "must not exist yet", never as "no check": an existing script or task is kept.
    installed = install(host)

    response = host.call(
        {
            "op": "apply",
            "changes": [
                {"id": "f", "kind": "write_file", "path": installed.script, "content_base64": b64(b"rem other\r\n")},
                {"id": "d", "kind": "delete_task", "path": installed.task, "folder": host.folder, "name": "Synchro Stock"},
            ],
            "lock_seconds": 300,
        }
    )

    assert statuses(response) == {"f": "refused", "d": "refused"}
    assert set(messages(response).values()) == {CONCURRENT}
    after = read_all(host, installed)
    assert the_task(after, installed.task)["task_hash"] == installed.task_hash
    assert after["files"][0]["file_hash"] == sha256(SCRIPT)


def test_a_change_whose_requirement_was_not_applied_is_skipped(host: HostUnderTest) -> None:
    installed = install(host)
    other = host.task("Synchro Prix")

    response = host.call(
        {
            "op": "apply",
            "changes": [
                {"id": "s", "kind": "write_file", "path": installed.script, "content_base64": b64(b"rem new\r\n"), "expected_hash": "0" * 64},
                register("t", other, installed.xml, user="S-1-5-18", logon_type="service_account", requires=("s",)),
            ],
        }
    )

    assert statuses(response) == {"s": "refused", "t": "skipped"}
    assert task_record(host.call({"op": "read", "tasks": [other]}), other) is None


def test_a_task_is_deleted_only_when_its_hash_still_matches(host: HostUnderTest) -> None:
    installed = install(host)

    wrong = host.call({"op": "apply", "changes": [delete("d", installed.task, "f" * 64)]})
    still_there = task_record(host.call({"op": "read", "tasks": [installed.task]}), installed.task)
    right = host.call({"op": "apply", "changes": [delete("d", installed.task, installed.task_hash)]})

    assert (statuses(wrong), messages(wrong)) == ({"d": "refused"}, {"d": CONCURRENT})
    assert still_there is not None
    assert statuses(right) == {"d": "applied"}
    assert host.call({"op": "read", "tasks": [installed.task]})["tasks"] == []


def test_a_password_logon_without_its_password_is_not_registered(host: HostUnderTest) -> None:
    if host.user is None:
        pytest.skip("no account with a password configured for this host")
    path = host.task("Needs a password")
    xml = synchro_task_xml(host.file("stock"), user=host.user, logon_type="password")

    response = host.call({"op": "apply", "changes": [register("p", path, xml, user=host.user, logon_type="password")]})

    assert statuses(response)["p"] in ("refused", "failed")
    assert response["results"][0]["message"]
    assert host.call({"op": "read", "tasks": [path]})["tasks"] == []


def test_a_password_logon_with_its_password_is_registered_and_the_password_never_echoed(host: HostUnderTest) -> None:
    if host.user is None or host.password is None:
        pytest.skip("no account with a password configured for this host")
    installed = install(host)
    xml = synchro_task_xml(installed.directory, user=host.user, logon_type="password")
    path = host.task("With a password")

    change = register("p", path, xml, user=host.user, logon_type="password", with_password=True)
    response = host.call({"op": "apply", "changes": [change], "passwords": {"p": host.password}})
    read = host.call({"op": "read", "tasks": [path]})

    assert statuses(response) == {"p": "applied"}
    assert host.password not in repr(response) + repr(read)
    assert task_record(read, path) is not None


def test_an_unknown_account_is_refused_and_nothing_is_written(host: HostUnderTest) -> None:
    nobody = f"SHOPSYNC\\nobody_{uuid.uuid4().hex[:8]}"
    path = host.task("Unknown account")
    xml = synchro_task_xml(host.file("stock"), user=nobody, logon_type="s4u")

    response = host.call({"op": "apply", "changes": [register("u", path, xml, user=nobody, logon_type="s4u")]})

    assert statuses(response)["u"] in ("refused", "failed")
    assert response["results"][0]["error_code"] == NONE_MAPPED
    assert host.call({"op": "read", "tasks": [path]})["tasks"] == []


def test_an_s4u_logon_needs_no_password(host: HostUnderTest) -> None:
    if host.user is None:
        pytest.skip("no account configured for this host")
    installed = install(host)
    path = host.task("S4U")
    xml = synchro_task_xml(installed.directory, user=host.user, logon_type="s4u")

    response = host.call({"op": "apply", "changes": [register("s", path, xml, user=host.user, logon_type="s4u")]})

    assert statuses(response) == {"s": "applied"}


def test_set_acl_leaves_exactly_the_given_writers_and_children_inherit_them(host: HostUnderTest) -> None:
    installed = install(host)
    writers = ["S-1-5-32-544", "S-1-5-18"]

    response = host.call({"op": "apply", "changes": [{"id": "a", "kind": "set_acl", "path": installed.directory, "full_control": writers}]})
    read = read_all(host, installed)

    assert statuses(response) == {"a": "applied"}
    assert record_writers(read["directories"][0]) == sorted(writers)
    assert record_writers(read["files"][0]) == sorted(writers)


def test_set_acl_makes_administrators_the_owner_and_protects_the_dacl(host: HostUnderTest) -> None:
    installed = install(host)

    host.call({"op": "apply", "changes": [{"id": "a", "kind": "set_acl", "path": installed.script, "full_control": ["S-1-5-18"]}]})
    script = read_all(host, installed)["files"][0]

    # The owner keeps WRITE_DAC whatever the DACL says: a user owner could grant itself write again.
    assert (script["owner"], script["protected"]) == ("S-1-5-32-544", True)
    # AccessControlType.Allow (0), PropagationFlags.None (0): judged on the controller.
    assert [(ace["sid"], ace["access_control_type"], ace["propagation_flags"], ace["inherited"]) for ace in script["aces"]] == [("S-1-5-18", 0, 0, False)]


def test_an_unknown_operation_fails_the_whole_request(host: HostUnderTest) -> None:
    response = host.call({"op": "format_c"})

    assert response["failed"] is True
    assert response["msg"]


def test_a_registration_that_names_no_hash_never_replaces_a_task(host: HostUnderTest) -> None:
    # expected_hash null is TASK_CREATE on Windows: a task already there is never overwritten.
    installed = install(host)
    other = synchro_task_xml(host.file("stock"), description="someone else's")

    response = host.call({"op": "apply", "changes": [register("c", installed.task, other, user="SYSTEM", logon_type="service_account")]})

    assert (statuses(response), messages(response)) == ({"c": "refused"}, {"c": CONCURRENT})
    assert the_task(host.call({"op": "read", "tasks": [installed.task]}), installed.task)["task_hash"] == installed.task_hash


def test_a_task_hash_is_the_same_on_every_read(host: HostUnderTest) -> None:
    installed = install(host)

    hashes = [the_task(read_all(host, installed), installed.task)["task_hash"] for _read in range(3)]

    assert hashes == [installed.task_hash] * 3


def test_a_task_that_never_ran_has_no_last_run_time(host: HostUnderTest) -> None:
    # Windows hands out 1999-11-30 (or COM's zero date) for "never": the host reads it as null.
    installed = install(host)

    task = the_task(read_all(host, installed), installed.task)

    assert (task["last_run_time"], task["last_result"], task["number_of_missed_runs"]) == (None, NOT_YET_RUN, 0)


def test_the_principal_is_read_back_as_its_sid(host: HostUnderTest) -> None:
    installed = install(host)

    assert the_task(read_all(host, installed), installed.task)["principal_sid"] == "S-1-5-18"


def test_an_s4u_principal_is_read_back_as_the_accounts_sid(host: HostUnderTest) -> None:
    if host.user is None:
        pytest.skip("no account configured for this host")

    status, account_sid, principal_sid = _register_without_password(host, host.user, "s4u")

    assert status == "applied"
    assert account_sid is not None
    assert principal_sid == account_sid


def test_a_gmsa_registers_without_a_password(host: HostUnderTest) -> None:
    # A gMSA's XML says LogonType Password, but no password is sent: Windows fetches it.
    if host.gmsa is None:
        pytest.skip("no gMSA configured for this host (SHOP_SYNC_WINRM_TEST_GMSA)")

    status, account_sid, principal_sid = _register_without_password(host, host.gmsa, "password")

    assert status == "applied"
    assert account_sid is not None
    assert principal_sid == account_sid


def test_a_gmsa_given_by_its_sid_is_named_by_the_read_and_registers_without_a_password(host: HostUnderTest) -> None:
    # A SID does not say it is a gMSA: the read of the SID gives the host's name for it, by
    # which the controller tells (accounts.is_gmsa_name), and Windows registers it as by name.
    if host.gmsa is None:
        pytest.skip("no gMSA configured for this host (SHOP_SYNC_WINRM_TEST_GMSA)")
    (by_name,) = host.call({"op": "read", "accounts": [host.gmsa]})["accounts"]
    (by_sid,) = host.call({"op": "read", "accounts": [by_name["sid"]]})["accounts"]

    assert (by_sid["sid"], by_sid["error"]) == (by_name["sid"], None)
    assert is_gmsa_name(by_sid["account"])
    status, _account_sid, principal_sid = _register_without_password(host, by_name["sid"], "password")
    assert (status, principal_sid) == ("applied", by_name["sid"])


def test_a_sid_no_account_has_is_read_as_that_sid_without_a_name(host: HostUnderTest) -> None:
    # SecurityIdentifier takes any SID; only its name is missing (Translate finds none): the read
    # keeps it, as a task may name it, and the controller compares it as that SID.
    sid = f"S-1-5-21-1-2-3-{900000 + uuid.uuid4().int % 90000}"

    (record,) = host.call({"op": "read", "accounts": [sid]})["accounts"]

    assert {key: record[key] for key in ("name", "sid", "error", "account")} == {"name": sid, "sid": sid, "error": None, "account": None}


def _register_without_password(host: HostUnderTest, user: str, logon_type: str) -> tuple[str, str | None, str | None]:
    """Register the knowledge-base task as ``user``, sending no password: the change's status,
    the account's SID as the host reads it, the task's ``principal_sid`` as read back."""
    installed = install(host)
    path = host.task(f"As {user.rpartition(chr(92))[2]}")
    xml = synchro_task_xml(installed.directory, user=user, logon_type=logon_type)
    (account,) = host.call({"op": "read", "accounts": [user]})["accounts"]
    response = host.call({"op": "apply", "changes": [register("r", path, xml, user=user, logon_type=logon_type)]})
    task = task_record(host.call({"op": "read", "tasks": [path]}), path)
    return statuses(response)["r"], account["sid"], None if task is None else task["principal_sid"]


def test_a_corrupt_task_is_reported_alone_and_the_folder_is_still_read(host: HostUnderTest) -> None:
    # Windows keeps each task's XML in a file under %SystemRoot%\System32\Tasks; one damaged
    # there (a disk error, a hand edit) must cost that task only: reported with an error, never
    # planned against, and every other task of the folder read as usual. The damage is done
    # through the contract's own write_file, on a task of this test's throw-away folder, and
    # undone before the test ends so that the clean-up can delete the task again.
    installed = install(host)
    victim = host.task("Corrupt")
    applied = host.call({"op": "apply", "changes": [register("v", victim, installed.xml, user="S-1-5-18", logon_type="service_account")]})
    assert statuses(applied) == {"v": "applied"}
    (stored,) = host.call({"op": "read", "files": [host.task_file(victim)]})["files"]
    assert stored["exists"] and stored["content_base64"], f"no task file at {host.task_file(victim)}: is SHOP_SYNC_WINRM_SYSTEM_ROOT right?"
    garbage = b"\xff\xfe<\x00T\x00a\x00s\x00k\x00"  # UTF-16 text cut short: not XML
    corrupt = {"id": "x", "kind": "write_file", "path": host.task_file(victim), "content_base64": b64(garbage), "expected_hash": stored["file_hash"]}
    assert statuses(host.call({"op": "apply", "changes": [corrupt]})) == {"x": "applied"}
    try:
        response = host.call({"op": "read", "folders": [{"path": host.folder, "recurse": False}]})
    finally:
        restore = {**corrupt, "content_base64": stored["content_base64"], "expected_hash": sha256(garbage)}
        assert statuses(host.call({"op": "apply", "changes": [restore]})) == {"x": "applied"}

    reported = the_task(response, victim)
    assert reported["error"] and (reported["xml"], reported["task_hash"]) == (None, None)
    intact = the_task(response, installed.task)
    assert intact["task_hash"] == installed.task_hash and "error" not in intact


def test_the_host_sends_its_registry_version_values_and_the_controller_composes_them(host: HostUnderTest) -> None:
    response = host.call({"op": "read"})
    version = response["host"]["windows_version"]

    assert isinstance(version["build"], str) and version["build"].isdigit()
    assert isinstance(version["current_version"], str)
    assert version["major"] is None or isinstance(version["major"], int)
    composed = ReadResult.from_json(response).host.os_version
    assert composed is not None and composed.endswith("." + version["build"]) and composed.count(".") == 2
