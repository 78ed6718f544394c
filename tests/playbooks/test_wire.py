# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's whole path over a real WinRM wire, on loopback.

ansible-playbook and the ``ansible`` command run with ansible-core's own ``winrm`` connection
plugin (pywinrm underneath) against ``tests/support/winrm_loopback.py``, a WS-Management endpoint
on 127.0.0.1 that answers ``win_sync_host`` from a directory host. What these tests prove: the
connection options the collection's inventories use work with the real plugin; the module's
arguments arrive as the PowerShell module would read them (``request`` is JSON *text*); a task
password travels only in the no_log ``passwords`` option and the connection password only in the
Authorization header; a password is refused over plain HTTP with basic auth; a request larger
than one WinRM Send arrives in several and is whole. What they cannot prove: anything PowerShell
does (nothing runs it here; docs/testing-windows.md).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.playbook_runner import TASKS, empty_image, playbook, require_ansible_playbook, run
from support.winrm_adhoc import host_from_inventory
from support.winrm_loopback import LoopbackWinRM
from test_workflow import PASSWORD, SVC_SID

USER = "shopadmin"
CONNECTION_PASSWORD = "C0nnect-0n-L00pback!"
ROOT = "D:\\Isotools\\Synchro_prod\\shopW"
# Larger than the winrm plugin's 200,000-byte stdin chunk on its own, in the request JSON.
BIG_SCRIPT = "@echo off\r\n" + "".join(f"rem line {index:06d} of a long synchro script\r\n" for index in range(9000))
JOBS = [
    {"name": "Synchro Stock", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile stock", "schedule": [{"daily": "03:30"}]},
    {
        "name": "Synchro Commandes",
        "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile commandes",
        "account": "svc_sync",
        "password": "{{ vault_svc_sync_password }}",
        "schedule": [{"every": "5m"}],
    },
    {"name": "Synchro Long", "script": {"content": BIG_SCRIPT}, "schedule": [{"daily": "04:00"}]},
]


def windows_image(base: Path) -> Path:
    return empty_image(base / "shopW", {"svc_sync": SVC_SID})


def write_inventory(base: Path, server: LoopbackWinRM, name: str, jobs: list[dict[str, Any]], **connection: str) -> Path:
    host = {
        "ansible_host": "127.0.0.1",
        "ansible_port": server.port,
        "ansible_connection": "winrm",
        "ansible_user": USER,
        "ansible_password": CONNECTION_PASSWORD,
        "ansible_winrm_transport": "basic",
        "ansible_winrm_scheme": "https",
        "ansible_winrm_server_cert_validation": "ignore",
        "shop_sync_root": ROOT,
        "shop_sync_jobs": jobs,
        **connection,
    }
    inventory = {"all": {"vars": {"vault_svc_sync_password": PASSWORD}, "hosts": {"shopW": host}}}
    path = base / f"{name}.yml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    pytest.importorskip("winrm", reason="pywinrm (ansible-core's winrm connection needs it) is not installed")
    pytest.importorskip("cryptography", reason="cryptography (the loopback server's certificate) is not installed")
    return tmp_path_factory.mktemp("wire")


@pytest.fixture(scope="module")
def https(base: Path) -> Iterator[LoopbackWinRM]:
    with LoopbackWinRM(windows_image(base), base, USER, CONNECTION_PASSWORD) as server:
        yield server


@pytest.fixture(scope="module")
def deployed(base: Path, https: LoopbackWinRM) -> Path:
    inventory = write_inventory(base, https, "inventory", JOBS)
    code, output, recap = run(base, playbook("deploy"), inventory=inventory, secrets=(PASSWORD,))
    assert code == 0, output
    assert https.errors == [], https.errors[0]
    assert recap["shopW"]["changed"] > 0, output
    return inventory


def module_ops(server: LoopbackWinRM) -> list[str]:
    return [json.loads(call.args["request"])["op"] for call in server.module_calls if isinstance(call.args.get("request"), str)]


def test_a_deploy_over_winrm_lands_on_the_host_and_drift_is_then_clean(base: Path, https: LoopbackWinRM, deployed: Path) -> None:
    tasks = https.root.joinpath(*TASKS)
    assert sorted(path.name for path in tasks.iterdir()) == ["Synchro Commandes", "Synchro Long", "Synchro Stock"]
    script = https.root / "D" / "Isotools" / "Synchro_prod" / "shopW" / "Synchro Long" / "synchro.bat"
    assert script.read_bytes() == BIG_SCRIPT.encode()
    assert {"read", "apply"} <= set(module_ops(https))

    before = len(https.module_calls)
    options = ("-e", "shop_sync_report_dir=report", "-e", "shop_sync_fail_on_drift=true")
    code, output, recap = run(base, playbook("drift"), *options, inventory=deployed, secrets=(PASSWORD,))
    assert code == 0, output
    assert recap["shopW"] == {"changed": 0, "unreachable": 0, "failed": 0}, output
    assert module_ops(https)[before:] == ["read"]
    assert "| drifted | 0 |" in (base / "report" / "summary.md").read_text(encoding="utf-8")
    assert https.errors == []


def test_request_is_json_text_on_the_wire_on_the_playbook_and_the_adhoc_path(base: Path, https: LoopbackWinRM, deployed: Path) -> None:
    # win_sync_host's request option is a string: a dict there reads "System.Collections.Generic.Dictionary"
    # (ansible-core 2.17/2.18 turned a templated JSON text into a dict on the ad-hoc path).
    host = host_from_inventory(str(deployed))
    before = len(https.module_calls)
    response = host.call({"op": "read", "tasks": ["\\Isotools\\Synchro Stock"], "files": []})
    assert not response.get("failed"), response
    assert [task["path"] for task in response["tasks"]] == ["\\Isotools\\Synchro Stock"]
    adhoc = https.module_calls[before:]
    assert [call.name for call in adhoc] == ["isotools.shop_sync.win_sync_host"]
    for call in https.module_calls:
        assert isinstance(call.args["request"], str), call.args["request"]
        assert isinstance(call.args["passwords"], list)
        assert call.manifest in ("2.17", "2.19")


def test_a_task_password_travels_only_in_the_no_log_option_and_the_login_only_in_the_header(https: LoopbackWinRM, deployed: Path) -> None:
    carried = 0
    for call in https.module_calls:
        others = {name: value for name, value in call.args.items() if name != "passwords"}
        assert PASSWORD not in json.dumps(others), f"the password is outside the passwords option: {sorted(others)}"
        carried += sum(entry["password"] == PASSWORD for entry in call.args["passwords"])
    assert carried >= 1, "no apply carried the task password"
    wire = https.wire_text
    # Once a carrying module call, in its manifest; never in a body, a reply or another command.
    assert wire.count(PASSWORD) == carried
    assert CONNECTION_PASSWORD not in wire
    headers = {base64.b64decode(header.removeprefix("Basic ")).decode() for header in https.auth_headers if header}
    assert headers == {f"{USER}:{CONNECTION_PASSWORD}"}


def test_a_request_larger_than_one_send_arrives_in_several_and_whole(https: LoopbackWinRM, deployed: Path) -> None:
    encoded = base64.b64encode(BIG_SCRIPT.encode()).decode()
    assert len(encoded) > 200000
    carriers = [command for command in https.commands if encoded.encode() in command.stdin]
    assert len(carriers) == 1, f"the long script was in {len(carriers)} command(s)"
    (carrier,) = carriers
    # One Send can only hold one chunk of the script: it was split, and the server joined it again.
    assert len(carrier.sends) >= 2 and all(len(chunk) <= 200000 for chunk in carrier.sends), [len(chunk) for chunk in carrier.sends]
    assert not any(encoded.encode() in chunk for chunk in carrier.sends)


def test_a_password_over_http_with_basic_auth_is_refused_before_it_is_sent(base: Path) -> None:
    with LoopbackWinRM(windows_image(base / "http"), base, USER, CONNECTION_PASSWORD, tls=False) as server:
        inventory = write_inventory(base, server, "http", JOBS[1:2], ansible_winrm_scheme="http")
        code, output, _recap = run(base, playbook("deploy"), inventory=inventory, secrets=(PASSWORD,))
    assert code != 0
    assert "refusing to send a task password over an unencrypted transport (winrm over http with transport basic)" in output, output
    assert "apply" not in module_ops(server) and module_ops(server), "the host was not read, or an apply was sent"
    assert PASSWORD not in server.wire_text
    assert server.errors == []


def test_over_http_with_ntlm_every_message_is_sealed_and_the_password_goes(base: Path) -> None:
    pytest.importorskip("spnego", reason="pyspnego (NTLM, with pywinrm) is not installed")
    with LoopbackWinRM(windows_image(base / "ntlm"), base, USER, CONNECTION_PASSWORD, tls=False, auth="ntlm") as server:
        inventory = write_inventory(base, server, "ntlm", JOBS[1:2], ansible_winrm_scheme="http", ansible_winrm_transport="ntlm")
        code, output, _recap = run(base, playbook("deploy"), inventory=inventory, secrets=(PASSWORD,))
    assert code == 0, output
    assert server.errors == []
    assert "apply" in module_ops(server)
    assert any(entry["password"] == PASSWORD for call in server.module_calls for entry in call.args["passwords"])
    # MS-WSMV 2.2.9.1.1: past the handshake, every body is one sealed multipart message; no SOAP in clear.
    sealed = [raw for raw in server.raw_bodies if raw]
    assert sealed and all(raw.startswith(b"--Encrypted Boundary\r\n") for raw in sealed)
    assert not any(b"Envelope" in raw for raw in sealed)
    assert not any(header.startswith("Basic ") for header in server.auth_headers)


def test_an_adhoc_apply_longer_than_an_environment_string_lands_whole(https: LoopbackWinRM, deployed: Path) -> None:
    # The contract suite's path: the request rides in the ansible command's environment, in parts.
    content = b"@echo off\r\n" + b"rem a long script of the contract suite\r\n" * 6000
    path = f"{ROOT}\\Synchro Stock\\long.bat"
    change = {"id": "c1", "kind": "write_file", "path": path, "content_base64": base64.b64encode(content).decode(), "expected_hash": None}
    response = host_from_inventory(str(deployed)).call({"op": "apply", "changes": [change]})
    assert [result["status"] for result in response["results"]] == ["applied"], response
    assert https.root.joinpath("D", *path.split("\\")[1:]).read_bytes() == content
    assert https.errors == []
