# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows findings of issue 10 as contract promises, on every host that can show them.

Each test needs something the contract has no request for (a file another process holds, the
apply lock held, a junction, local accounts, the event log, the FIPS policy, the PowerShell
version): ``host.side`` does it, on the directory host's image or through PowerShell beside the
module on a real host (``host_sides.py``). What the directory host cannot mirror is skipped
there with the reason, and checked by the acceptance run on Windows (docs/testing-windows.md).
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from host_samples import b64, messages, register, sha256, statuses, synchro_task_xml
from host_under_test import SCRIPT, HostUnderTest, install, read_all, task_record, the_task

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadResult

CONCURRENT = "changed concurrently, re-run"
# Ansible.Basic's stand-in for a no_log option's value in "Invoked with" (Ansible.Basic.cs).
NO_LOG_VALUE = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


# --- item 2: account names as typed ---------------------------------------------------------------


def test_a_local_user_typed_dot_and_a_local_group_typed_with_the_host_register_and_read_back_as_the_host_names_them(host: HostUnderTest) -> None:
    # ".\x" is this computer's x and "HOST\group" its local group, which NTAccount finds only
    # bare (Ansible's SID utils): the host names each as Windows gives the SID back, and a task
    # registered under that name (an S4U user, a Group principal) reads back with that SID.
    installed = install(host)
    with host.side.local_accounts() as (user, group):
        hostname = host.call({"op": "read"})["host"]["hostname"]
        # As the controller reads them (AccountRecord): the host flags its local group, and the
        # controller names it without the computer.
        read = ReadResult.from_json(host.call({"op": "read", "accounts": [f".\\{user}", f"{hostname}\\{group}"]}))
        user_record, group_record = read.accounts
        assert (user_record.error, group_record.error) == (None, None), (user_record, group_record)
        assert (user_record.account or "").lower() == f"{hostname}\\{user}".lower()
        assert (group_record.account or "").lower() == group.lower()  # a local group, named without the computer
        as_user, as_group = host.task("As a local user"), host.task("As a local group")
        user_name, group_name = user_record.account, group_record.account
        user_xml = synchro_task_xml(installed.directory, user=user_name, logon_type="s4u")
        group_xml = synchro_task_xml(installed.directory, group=group_name)

        response = host.call(
            {
                "op": "apply",
                "changes": [
                    register("u", as_user, user_xml, user=user_name, logon_type="s4u"),
                    register("g", as_group, group_xml, user=group_name, logon_type="group"),
                ],
            }
        )
        read = host.call({"op": "read", "tasks": [as_user, as_group]})

    assert statuses(response) == {"u": "applied", "g": "applied"}, response["results"]
    assert the_task(read, as_user)["principal_sid"] == user_record.sid
    assert the_task(read, as_group)["principal_sid"] == group_record.sid


# --- item 4: FIPS ---------------------------------------------------------------------------------


def test_the_hashes_are_read_on_a_host_whose_fips_policy_is_on(host: HostUnderTest) -> None:
    # SHA256Managed throws under the FIPS policy (.NET Framework before 4.8): every read would fail.
    enabled, enforced = host.side.fips_policy()
    if not enabled:
        pytest.skip(
            "the FIPS policy is off on this host (HKLM\\System\\CurrentControlSet\\Control\\Lsa\\FipsAlgorithmPolicy Enabled is not 1):"
            " turn it on to check this promise (docs/testing-windows.md)"
        )
    assert enforced, "the registry turns FIPS on but .NET does not enforce it (CryptoConfig.AllowOnlyFipsAlgorithms): reboot the host first"
    installed = install(host)

    response = read_all(host, installed)

    task = the_task(response, installed.task)
    assert task["task_hash"] == sha256(task["xml"].encode("utf-8")) == installed.task_hash
    assert response["files"][0]["file_hash"] == sha256(SCRIPT)


# --- item 5: the script replaced with a backup ----------------------------------------------------


def test_a_script_replace_that_fails_leaves_the_old_script_in_place_and_nothing_beside_it(host: HostUnderTest) -> None:
    # ReplaceFile may fail after renaming the target away (1176/1177): the backup beside it is
    # put back. Here the target is held open without delete sharing, as a running synchro.bat
    # holds it: the replace fails, the change says failed, the old script is whole.
    installed = install(host)
    new = b"@echo off\r\nrem synchro stock, new\r\nexit /b 0\r\n"
    change = {"id": "w", "kind": "write_file", "path": installed.script, "content_base64": b64(new), "expected_hash": sha256(SCRIPT)}

    with host.side.replace_fails(installed.script):
        response = host.call({"op": "apply", "changes": [change]})
    after = read_all(host, installed)["files"][0]

    assert statuses(response) == {"w": "failed"}
    assert response["results"][0]["message"]
    assert (after["exists"], after["file_hash"]) == (True, sha256(SCRIPT))
    assert host.side.names_in(installed.directory) == ["synchro.bat"]  # no temporary file, no backup left


def test_a_script_replace_leaves_no_backup_behind(host: HostUnderTest) -> None:
    installed = install(host)
    new = b"@echo off\r\nrem synchro stock, new\r\nexit /b 0\r\n"

    response = host.call(
        {"op": "apply", "changes": [{"id": "w", "kind": "write_file", "path": installed.script, "content_base64": b64(new), "expected_hash": sha256(SCRIPT)}]}
    )

    assert (statuses(response), response["results"][0]["message"]) == ({"w": "applied"}, None)
    assert read_all(host, installed)["files"][0]["file_hash"] == sha256(new)
    assert host.side.names_in(installed.directory) == ["synchro.bat"]


# --- item 6: one apply at a time ------------------------------------------------------------------


def test_an_apply_waits_for_the_host_wide_lock_and_writes_nothing_while_another_holds_it(host: HostUnderTest) -> None:
    install(host)
    probe = host.file("stock", "written-after-the-lock.bat")
    change = {"id": "w", "kind": "write_file", "path": probe, "content_base64": b64(b"rem\r\n"), "expected_hash": None}
    # Long enough on Windows for the apply (an ansible start-up, seconds) to reach the host
    # while the lock is still held; the directory host's apply is there at once.
    hold = 20 if host.kind == "winrm" else 1

    with host.side.holding_apply_lock(hold, probe) as holder:
        response = host.call({"op": "apply", "changes": [change], "lock_seconds": 300})
        written_while_held = holder.saw_probe()

    assert (statuses(response), response.get("stopped")) == ({"w": "applied"}, None)
    assert not written_while_held, "the apply wrote while another held the host-wide lock"
    assert host.call({"op": "read", "files": [probe]})["files"][0]["exists"] is True


def test_an_apply_that_cannot_take_the_lock_in_time_stops_and_the_lock_of_a_killed_holder_is_taken_over(host: HostUnderTest) -> None:
    host.side.skip_lock_wait()
    install(host)
    probe = host.file("stock", "never-written.bat")
    change = {"id": "w", "kind": "write_file", "path": probe, "content_base64": b64(b"rem\r\n"), "expected_hash": None}

    with host.side.holding_apply_lock(40, probe):  # stopped (the lock abandoned) when the block ends
        started = time.monotonic()
        response = host.call({"op": "apply", "changes": [change], "lock_seconds": 2})
        waited = time.monotonic() - started
        exists_while_held = host.call({"op": "read", "files": [probe]})["files"][0]["exists"]

    # The holder was killed holding the mutex: the next apply takes the abandoned mutex over.
    after = host.call({"op": "apply", "changes": [change], "lock_seconds": 30})

    assert response["results"] == []
    assert "another apply" in response["stopped"]
    assert waited < 40, "the apply waited for the holder instead of its lock_seconds"
    assert exists_while_held is False
    assert (statuses(after), after.get("stopped")) == ({"w": "applied"}, None)


def test_two_applies_at_once_creating_one_task_register_it_once_and_refuse_the_other(host: HostUnderTest) -> None:
    # Both planned from a read without the task (expected_hash null, TASK_CREATE on Windows):
    # whichever comes second finds it and is refused; neither silently replaces the other.
    installed = install(host)
    path = host.task("Registered twice")

    def apply(description: str) -> dict[str, Any]:
        xml = synchro_task_xml(installed.directory, description=description)
        return host.call({"op": "apply", "changes": [register("r", path, xml, user="S-1-5-18", logon_type="service_account")], "lock_seconds": 300})

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(apply, ["first apply", "second apply"]))
    by_status = {statuses(response)["r"]: response for response in responses}

    assert sorted(by_status) == ["applied", "refused"], responses
    assert messages(by_status["refused"]) == {"r": CONCURRENT}
    assert the_task(host.call({"op": "read", "tasks": [path]}), path)["task_hash"] == by_status["applied"]["results"][0]["task_hash"]


# --- item 8: a file another process holds ---------------------------------------------------------


def test_a_script_another_process_holds_open_is_read_with_an_error_and_the_rest_of_the_read_is_whole(host: HostUnderTest) -> None:
    installed = install(host)
    other = host.file("stock", "other.bat")
    write_other = {"id": "o", "kind": "write_file", "path": other, "content_base64": b64(b"rem\r\n"), "expected_hash": None}
    written = host.call({"op": "apply", "changes": [write_other]})
    assert statuses(written) == {"o": "applied"}

    with host.side.unreadable(installed.script):
        response = host.call(
            {"op": "read", "folders": [{"path": host.folder, "recurse": False}], "files": [installed.script, other], "directories": [installed.directory]}
        )

    held, readable = response["files"]
    assert (held["path"], held["exists"]) == (installed.script, True)
    assert isinstance(held.get("error"), str) and held["error"]
    assert held.get("file_hash") is None and held.get("content_base64") is None
    assert readable["file_hash"] == sha256(b"rem\r\n") and "error" not in readable
    assert response["directories"][0]["exists"] is True and "error" not in response["directories"][0]
    assert the_task(response, installed.task)["task_hash"] == installed.task_hash


# --- item 11: PowerShell versions -----------------------------------------------------------------


def test_the_module_runs_on_the_powershell_of_the_hosts_endpoint(host: HostUnderTest) -> None:
    # #Requires -Version 5.1: Windows PowerShell 5.1, or PowerShell 7 through a PowerShell.7
    # endpoint. The version is asked on the module's own connection, then the module reads and
    # writes there, ACLs included (Get-Acl/Set-Acl, where PowerShell 7 has no GetAccessControl).
    major, minor = host.side.powershell_version()
    expected = getattr(host.side, "expected_powershell", None)

    assert (major, minor) >= (5, 1)
    if expected:
        assert f"{major}.{minor}".startswith(expected), f"the endpoint runs PowerShell {major}.{minor}, SHOP_SYNC_WINRM_POWERSHELL says {expected}"
    installed = install(host)
    acl = host.call({"op": "apply", "changes": [{"id": "a", "kind": "set_acl", "path": installed.script, "full_control": ["S-1-5-18"]}]})
    script = read_all(host, installed)["files"][0]
    assert statuses(acl) == {"a": "applied"}
    assert (script["file_hash"], script["owner"], script["protected"]) == (sha256(SCRIPT), "S-1-5-32-544", True)


# --- item 12: the event log -----------------------------------------------------------------------


def test_the_modules_invocation_is_logged_without_the_request(host: HostUnderTest) -> None:
    # Ansible.Basic writes every option not no_log to the Application log ("Invoked with"): the
    # request holds whole scripts and task XML, and none of it may be there.
    mark = host.side.event_log_mark()
    marker = f"shop-sync-request-{uuid.uuid4().hex}"
    script = f"@echo off\r\nrem {marker}\r\n".encode("ascii")
    path = host.task("Logged")
    xml = synchro_task_xml(host.file("stock"), description=marker)

    response = host.call(
        {
            "op": "apply",
            "changes": [
                {"id": "f", "kind": "create_folder", "path": host.folder},
                {"id": "d", "kind": "create_directory", "path": host.file("stock")},
                {"id": "w", "kind": "write_file", "path": host.file("stock", "synchro.bat"), "content_base64": b64(script), "expected_hash": None},
                register("r", path, xml, user="S-1-5-18", logon_type="service_account", requires=("f",)),
            ],
        }
    )
    entries = host.side.module_log_entries(mark)

    assert set(statuses(response).values()) == {"applied"}
    invoked = [entry for entry in entries if "Invoked with" in entry]
    assert invoked, f"no 'Invoked with' entry of win_sync_host in the Application log since record {mark}: the log shows nothing to check"
    assert all(NO_LOG_VALUE in entry for entry in invoked)
    for entry in entries:
        assert marker not in entry and b64(script) not in entry and "<Task" not in entry


# --- reparse points (issue 8's refusal, issue 10's list) ------------------------------------------


def test_a_job_folder_that_is_a_junction_is_reported_and_every_write_through_it_refused(host: HostUnderTest) -> None:
    installed = install(host)
    elsewhere, linked = host.file("elsewhere"), host.file("linked")
    made = host.call({"op": "apply", "changes": [{"id": "e", "kind": "create_directory", "path": elsewhere}]})
    assert statuses(made) == {"e": "applied"}

    with host.side.make_junction(linked, elsewhere):
        read = host.call({"op": "read", "files": [f"{linked}\\synchro.bat"], "directories": [linked]})
        response = host.call(
            {
                "op": "apply",
                "changes": [
                    {"id": "d", "kind": "create_directory", "path": f"{linked}\\sub"},
                    {"id": "w", "kind": "write_file", "path": f"{linked}\\synchro.bat", "content_base64": b64(SCRIPT), "expected_hash": None},
                    {"id": "a", "kind": "set_acl", "path": linked, "full_control": ["S-1-5-18"]},
                ],
            }
        )
        behind = host.side.names_in(elsewhere)

    assert read["directories"][0]["reparse_point"].lower() == linked.lower()
    assert read["files"][0]["reparse_point"].lower() == linked.lower()
    assert read["directories"][0].get("aces") in (None, []) and read["files"][0].get("file_hash") is None
    assert statuses(response) == {"d": "refused", "w": "refused", "a": "refused"}
    assert all(linked.lower() in result["message"].lower() for result in response["results"])
    assert behind == []  # nothing was written where the junction points
    assert task_record(host.call({"op": "read", "tasks": [installed.task]}), installed.task) is not None
