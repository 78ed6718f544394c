# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reaching a host of an inventory file outside a playbook (``tests/support/winrm_adhoc.py``).

The parsing and the variable mapping are checked on their own; two tests run the real
``ansible`` command against this machine (local connection), which is what the contract tests
do against a Windows host.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import winrm_adhoc
from support.winrm_adhoc import AdHocModule, host_from_inventory, options_from_host_vars, parse_adhoc_output

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.winrm import ConnectionFacts

SECRET = "p{{ '&\"x }}ß"  # quotes, braces and non-ASCII: all must survive as data


@pytest.mark.parametrize(
    ("stdout", "expected"),
    [
        ('shop01 | SUCCESS => {\n    "changed": false,\n    "response": {"op": "read"}\n}\n', {"changed": False, "response": {"op": "read"}}),
        ('shop01 | CHANGED => {\n    "changed": true\n}\n', {"changed": True}),
        (
            'shop01 | FAILED! => {\n    "changed": false,\n    "msg": "apply: Access is denied."\n}\n',
            {"changed": False, "msg": "apply: Access is denied.", "failed": True},
        ),
        (
            'shop01 | UNREACHABLE! => {\n    "changed": false,\n    "msg": "ntlm: timed out"\n}\n',
            {"changed": False, "msg": "ntlm: timed out", "unreachable": True},
        ),
        ('shop02 | SUCCESS => {"changed": true}\nshop01 | SUCCESS => {"changed": false}\n', {"changed": False}),
    ],
    ids=["success", "changed", "failed", "unreachable", "other-host-first"],
)
def test_the_result_line_of_the_host_is_read(stdout: str, expected: dict[str, Any]) -> None:
    assert parse_adhoc_output(stdout, "", "shop01") == expected


def test_no_result_line_is_an_error_that_shows_what_ansible_said() -> None:
    with pytest.raises(HostError, match=r"^ansible printed no result for shop01: ERROR! the inventory .* could not be parsed$"):
        parse_adhoc_output("", "ERROR! the inventory inv.yml could not be parsed\n", "shop01")


def test_inventory_variables_answer_the_plugin_options_strongest_first() -> None:
    host_vars = {"ansible_port": 5986, "ansible_winrm_port": 5985, "ansible_user": "admin", "ansible_winrm_message_encryption": "never"}

    winrm = options_from_host_vars("ansible.builtin.winrm", host_vars)
    psrp = options_from_host_vars("psrp", {"ansible_port": 5985, "ansible_psrp_auth": "basic"})

    assert (winrm("port"), winrm("remote_user"), winrm("scheme")) == (5985, "admin", None)
    assert winrm("_extras") == {"ansible_winrm_port": 5985, "ansible_winrm_message_encryption": "never"}
    assert (psrp("port"), psrp("auth"), psrp("protocol")) == (5985, "basic", None)


def test_module_arguments_travel_in_the_environment_not_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        seen.update(command=command, env=options["env"])
        return subprocess.CompletedProcess(command, 0, 'shop01 | SUCCESS => {"changed": false}\n', "")

    monkeypatch.setattr(winrm_adhoc.subprocess, "run", run)
    args = {"request": '{"op":"apply"}', "passwords": [{"id": "c5", "password": SECRET}]}

    AdHocModule("inventory.yml", "shop01")(module_name="isotools.shop_sync.win_sync_host", module_args=args)

    assert all(SECRET not in part for part in seen["command"])
    assert seen["command"][1:6] == ["shop01", "-i", "inventory.yml", "-m", "isotools.shop_sync.win_sync_host"]
    passed = {name: json.loads(seen["env"][f"SHOP_SYNC_MODULE_ARG_{index}_0"]) for index, name in enumerate(args)}
    assert passed == args


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inventory") / "inventory.yml"
    hosts = {
        "shop01": {"ansible_connection": "winrm", "ansible_port": 5985, "ansible_winrm_transport": "ntlm"},
        "here": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
    }
    path.write_text(yaml.safe_dump({"all": {"hosts": hosts}}, sort_keys=False), encoding="utf-8")
    return path


def test_a_module_runs_through_the_ansible_command_with_its_arguments_intact(inventory: Path) -> None:
    message = {"request": '{"op":"read","files":["D:\\\\x\\\\synchro.bat"]}', "passwords": [{"id": "c5", "password": SECRET}]}

    result = AdHocModule(str(inventory), "here")(module_name="ansible.builtin.debug", module_args={"msg": message})

    assert result["msg"] == message


def test_an_argument_longer_than_one_environment_string_travels_in_parts(inventory: Path) -> None:
    # Linux refuses an environment string over 128 KiB (E2BIG, "Argument list too long"): an apply
    # that writes a script of that size could not be sent at all.
    request = json.dumps({"op": "apply", "content_base64": "QUJD" * 60000})

    result = AdHocModule(str(inventory), "here")(module_name="ansible.builtin.debug", module_args={"msg": request})

    assert result["msg"] == request


def test_a_json_text_argument_reaches_the_module_as_text_on_every_core(inventory: Path) -> None:
    # win_sync_host's request is JSON text. ansible-core 2.17/2.18 turn a templated value that
    # looks like a dict into one, and the PowerShell module then read "System.Collections...".
    request = '{"op":"read","folders":["\\\\Isotools"],"accounts":[],"files":[],"directories":[],"check":true,"marker":null}'

    result = AdHocModule(str(inventory), "here")(module_name="ansible.builtin.debug", module_args={"msg": request})

    assert result["msg"] == request


def test_host_from_inventory_reads_the_connection_the_inventory_gives(inventory: Path) -> None:
    host = host_from_inventory(str(inventory))  # the first host: shop01

    assert host.connection_facts == ConnectionFacts("winrm", "http", 5985, ("ntlm",), "auto")
