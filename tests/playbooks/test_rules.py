# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The safety rules of the role as an operator meets them: the deploy playbook on directory hosts.

Only folders the collection owns are written (a script in C:\\Windows\\System32 or under a
shop_sync_root of C:\\Windows is refused before any host is touched; a job that only starts in
System32 is deployed without touching that folder). A password is taken as written: an unquoted
12:34:56, which YAML reads as 45296, is refused. Each run is a real ansible-playbook.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from support.messages import assert_copyable
from support.playbook_runner import Played, empty_image, journal, playbook, require_ansible_playbook, run

ROOT = "D:\\Isotools\\Synchro_prod\\shop01"
DAILY = [{"daily": "02:00"}]
SVC_SID = "S-1-5-21-3623811015-3361044348-30300820-1104"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    require_ansible_playbook()
    return tmp_path


def inventory(workspace: Path, hosts: dict[str, dict[str, object]]) -> Path:
    """An inventory of directory hosts (each with its image beside it). The text ``UNQUOTED``
    is written as ``12:34:56`` without quotes: its YAML spelling is the point."""
    for host in hosts:
        empty_image(workspace / host, {"svc_sync": SVC_SID})
    entries = {host: {"shop_sync_directory_root": str(workspace / host), "shop_sync_root": ROOT, **variables} for host, variables in hosts.items()}
    document = {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "shop_sync_backend": "directory"},
            "hosts": entries,
        }
    }
    path = workspace / "inventory.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False).replace("UNQUOTED", "12:34:56"), encoding="utf-8")
    return path


def deploy(workspace: Path, inventory_path: Path, *options: str) -> Played:
    return run(workspace, playbook("deploy"), *options, inventory=inventory_path)


def assert_listed_once(output: str, messages: tuple[str, ...], given: object) -> None:
    """Each problem shown once, as the user can copy it back (one backslash, not JSON's two), by
    the check itself: no rescue task that lists them again."""
    for message in messages:
        assert output.count(message) == 1, output
    assert_copyable(output, given)
    assert not re.search(r"rescued=[1-9]", output), output


def test_a_script_in_a_system_folder_is_refused_before_any_host_is_touched(workspace: Path) -> None:
    hosts: dict[str, dict[str, object]] = {
        "shopA": {"shop_sync_jobs": [{"name": "Synchro Stock", "working_directory": "C:\\Windows\\System32", "sync_command": "x.exe", "schedule": DAILY}]},
        "shopB": {"shop_sync_root": "C:\\Windows", "shop_sync_jobs": [{"name": "Synchro Stock", "sync_command": "x.exe", "schedule": DAILY}]},
        "shopC": {"shop_sync_jobs": [{"name": "Synchro Stock", "working_directory": "D:\\Data\\stock", "sync_command": "x.exe", "schedule": DAILY}]},
        "shopD": {"shop_sync_jobs": [{"name": "Synchro Stock", "account": "svc_sync", "password": "UNQUOTED", "sync_command": "x.exe", "schedule": DAILY}]},
        "shopE": {
            "shop_sync_default_account": "svc_sync",
            "shop_sync_default_password": "UNQUOTED",
            "shop_sync_jobs": [{"name": "Synchro Stock", "sync_command": "x.exe", "schedule": DAILY}],
        },
    }
    code, output, _recap = deploy(workspace, inventory(workspace, hosts))
    assert code != 0
    messages = (
        "host 'shopA', job 'Synchro Stock': working_directory 'C:\\Windows\\System32' is in C:\\Windows, which belongs to Windows",
        "host 'shopB': shop_sync_root 'C:\\Windows' is in C:\\Windows, which belongs to Windows",
        "host 'shopC', job 'Synchro Stock': working_directory 'D:\\Data\\stock' is not under the owned root",
        "host 'shopD', job 'Synchro Stock': password must be a string, got a number (not shown): quote it",
        "host 'shopE': shop_sync_default_password must be a string, got a number (not shown): quote it",
    )
    assert_listed_once(output, messages, (hosts, ROOT))
    assert "45296" not in output and "12:34:56" not in output
    assert [journal(workspace, host) for host in hosts] == [[]] * len(hosts), "a host was contacted"


def test_one_host_with_a_job_the_action_would_refuse_stops_the_run_before_the_good_host_is_touched(workspace: Path) -> None:
    # The role's check and the action share one set of rules: a script named '..' or a folder
    # Windows would read otherwise no longer passes the check and fails only at the host's turn.
    hosts: dict[str, dict[str, object]] = {
        "shopGood": {"shop_sync_jobs": [{"name": "Synchro Stock", "sync_command": "x.exe", "schedule": DAILY}]},
        "shopBad": {
            "shop_sync_jobs": [
                {"name": "Synchro Stock", "script": {"name": "..", "content": "@echo off\n"}, "schedule": DAILY},
                {"name": "Synchro Prix", "working_directory": f"{ROOT}\\prix.", "sync_command": "x.exe", "schedule": DAILY},
            ]
        },
    }
    code, output, _recap = deploy(workspace, inventory(workspace, hosts))
    assert code != 0
    assert "host 'shopBad', job 'Synchro Stock': script.name '..' must be a file name" in output, output
    assert "host 'shopBad', job 'Synchro Prix': working_directory" in output and "ends in a dot or a space" in output, output
    assert [journal(workspace, host) for host in hosts] == [[], []], "a host was contacted"


def test_one_host_whose_template_is_missing_stops_the_run_before_the_good_host_is_touched(workspace: Path) -> None:
    # The role's check looks for each job's own template where the action will take it from
    # (shop_sync_template_dir, by default the inventory's folder): the action would refuse it
    # only at that host's turn, after the good host was deployed.
    templates = workspace / "templates"
    templates.mkdir()
    (templates / "stock.bat.j2").write_text("@echo off\r\ncall {{ sync_command }}\r\n", encoding="utf-8")

    def job(template: str) -> dict[str, object]:
        return {"name": "Synchro Stock", "sync_command": "x.exe", "script": {"template": template}, "schedule": DAILY}

    hosts: dict[str, dict[str, object]] = {
        "shopGood": {"shop_sync_jobs": [job("templates/stock.bat.j2")]},
        "shopBad": {"shop_sync_jobs": [job("templates/stok.bat.j2")]},
    }
    path = inventory(workspace, hosts)
    code, output, _recap = deploy(workspace, path)
    assert code != 0
    assert (
        f"host 'shopBad', job 'Synchro Stock': script.template 'templates/stok.bat.j2' was not found: looked for '{templates / 'stok.bat.j2'}'"
    ) in output, output
    assert [journal(workspace, host) for host in hosts] == [[], []], "a host was contacted"

    # With the template where the job says, both hosts are deployed.
    (templates / "stok.bat.j2").write_text("@echo off\r\ncall {{ sync_command }}\r\n", encoding="utf-8")
    code, output, recap = deploy(workspace, path)
    assert code == 0 and recap["shopGood"]["changed"] > 0 and recap["shopBad"]["changed"] > 0, output


def test_a_job_in_system32_is_left_alone_and_a_shared_folder_gets_one_acl_in_one_run(workspace: Path) -> None:
    shared = f"{ROOT}\\Synchro Stock"
    jobs = [
        {"name": "Create Restore Point", "working_directory": "C:\\Windows\\System32", "command": "C:\\Windows\\System32\\cmd.exe", "schedule": DAILY},
        {"name": "Synchro Stock", "sync_command": "x.exe", "schedule": DAILY},
        {
            "name": "Synchro Prix",
            "working_directory": shared,
            "script": {"name": "prix.bat", "content": "@echo off\n"},
            "account": "svc_sync",
            "password": "n0t-a-real-one",
            "schedule": DAILY,
        },
    ]
    path = inventory(workspace, {"shopA": {"shop_sync_jobs": jobs}})
    code, output, recap = deploy(workspace, path, "--diff")
    assert code == 0 and recap["shopA"]["changed"] > 0, output
    # The diff shows each job's changes as they are: one backslash.
    assert "System32:" not in output and "acl C:\\Windows" not in output, output
    assert f"acl {ROOT}\\Synchro Stock: (absent) -> writable only by" in output, output
    acl = json.loads((workspace / "shopA" / "acl.json").read_text(encoding="utf-8"))
    assert [path for path in acl if "windows" in path] == [], acl
    assert {ace["sid"] for ace in acl[shared.lower()]["aces"]} == {"S-1-5-32-544", "S-1-5-18", SVC_SID}, "an account is locked out of the shared folder"

    code, output, recap = deploy(workspace, path)
    assert code == 0 and recap["shopA"]["changed"] == 0, output


def test_every_mistake_of_the_role_variables_is_named_in_one_run_before_any_host_is_touched(workspace: Path) -> None:
    hosts: dict[str, dict[str, object]] = {
        "shopA": {"shop_sync_job": [{"name": "Synchro Stock", "sync_command": "x.exe", "schedule": DAILY}]},
        "shopB": {
            "shop_sync_log_keep": "ten",
            "shop_sync_folder": "Isotools/Prod",
            "shop_sync_script_name": "NUL.bat",
            "shop_sync_jobs": [
                {"name": "Synchro Stock", "sync_command": "x.exe", "bogus_key": 1, "settings": {"priority": 11, "wake_to_rn": True}, "schedule": DAILY}
            ],
        },
    }
    code, output, _recap = deploy(workspace, inventory(workspace, hosts))
    assert code != 0
    messages = (
        "host 'shopA': shop_sync_job is not a variable of the role: did you mean shop_sync_jobs?",
        "host 'shopA': shop_sync_jobs is not set, so no job is declared",
        "host 'shopB': shop_sync_log_keep must be a whole number, got 'ten'",
        "host 'shopB': shop_sync_folder",
        "host 'shopB': shop_sync_script_name 'NUL.bat' is the device NUL",
        "host 'shopB', job 'Synchro Stock': bogus_key is not a known option",
        "host 'shopB', job 'Synchro Stock': settings.priority 11 must be between 0 and 10",
        # The role's argument spec lists the settings too; the job's own check, in the user's words, comes first.
        "host 'shopB', job 'Synchro Stock': settings.wake_to_rn is not a known option (did you mean wake_to_run?)",
    )
    assert_listed_once(output, messages, (hosts, ROOT))
    assert [journal(workspace, host) for host in hosts] == [[], []], "a host was contacted"


GMSA, GMSA_SID = "CONTOSO\\gmsa_sync$", "S-1-5-21-3623811015-3361044348-30300820-2201"  # invented, as SVC_SID


def test_a_password_written_for_a_gmsa_given_by_its_sid_is_refused_while_the_default_password_is_not_sent(workspace: Path) -> None:
    # By its SID only the host's read names the account a gMSA, which has no password to give: the
    # password an inventory wrote on the job is refused before the host is written; the role's
    # shop_sync_default_password, given to every job, is not sent and the job is deployed.
    written, default = "Yw3!written-for-this-job", "Zq8!shop-sync-default-secret"  # invented
    job = {"name": "Synchro Stock", "account": GMSA_SID, "sync_command": "x.exe", "schedule": DAILY}
    hosts: dict[str, dict[str, object]] = {
        "shopWritten": {"shop_sync_jobs": [{**job, "password": written}]},
        "shopDefault": {"shop_sync_default_password": default, "shop_sync_jobs": [job]},
    }
    path = inventory(workspace, hosts)
    for host in hosts:
        empty_image(workspace / host, {"svc_sync": SVC_SID, GMSA: GMSA_SID})

    code, output, _recap = run(workspace, playbook("deploy"), inventory=path, secrets=[written, default])

    assert code != 0
    assert f"host 'shopWritten', job 'Synchro Stock': principal.password: cannot be used for '{GMSA_SID}'" in output, output
    assert "a group managed service account has no password to give" in output and "the job's password" in output, output
    assert journal(workspace, "shopWritten") == ["read"]
    assert journal(workspace, "shopDefault") == ["read", "apply"]
    tasks = workspace / "shopDefault" / "C" / "Windows" / "System32" / "Tasks" / "Isotools"
    assert "<LogonType>Password</LogonType>" in (tasks / "Synchro Stock").read_bytes().decode("utf-16")


def test_a_password_of_the_inventory_is_never_shown_when_the_check_fails(workspace: Path) -> None:
    # The check lists the problems as they are (ansible-core 2.17 and 2.18 would show only the
    # task's JSON, censored by no_log); the jobs it translated carry the passwords, and neither
    # its result nor its printed problems may show one, even at -vvv.
    password = "Pl41n-Sight:C:\\Temp"
    hosts: dict[str, dict[str, object]] = {
        "shopA": {
            "shop_sync_default_account": "svc_sync",
            "shop_sync_default_password": password,
            "shop_sync_jobs": [
                {"name": "Synchro Stock", "sync_command": "x.exe", "schedule": [{"daily": "25:00"}]},
                {"name": "Synchro Prix", "account": "svc_sync", "password": password, "logon_type": "s4u", "sync_command": "x.exe", "schedule": DAILY},
            ],
        },
    }
    code, output, _recap = run(workspace, playbook("deploy"), "-vvv", inventory=inventory(workspace, hosts), secrets=(password, password.replace("\\", "\\\\")))
    assert code != 0
    messages = ("host 'shopA', job 'Synchro Stock': schedule[0].daily '25:00' is not a time of day", "host 'shopA', job 'Synchro Prix': password")
    assert_listed_once(output, messages, (hosts, ROOT))
    assert journal(workspace, "shopA") == [], "a host was contacted"
