# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The WinRM host adapter, against module results recorded in the shape win_sync_host.ps1 returns.

``data/*.json`` each hold one contract ``request`` and the ``result`` Ansible's
``_execute_module`` gave for it (module output, invocation with no_log values masked).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from ansible.errors import AnsibleConnectionFailure

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    AccountRecord,
    ApplyResult,
    ChangeResult,
    FolderRecord,
    HistoryResult,
    HostFailure,
    ReadResult,
    RunResult,
    sha256_hex,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostError, HostUnreachable
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.winrm import (
    MODULE_NAME,
    ConnectionFacts,
    WinRMHost,
    connection_facts_from_vars,
    default_winrm_transports,
    password_transport_problem,
)

DATA = Path(__file__).parent / "data"
HTTPS_NTLM = ConnectionFacts("winrm", "https", 5986, ("ntlm",), "auto")
HTTP_BASIC = ConnectionFacts("winrm", "http", 5985, ("basic",), "auto")
PASSWORD = "Tr0ub4dor&3-sync"  # the password recorded in data/apply.json


def recorded(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data["request"], data["result"]


class RecordedModule:
    """Stands in for ``ActionBase._execute_module``: answers with a recorded result, or raises."""

    def __init__(self, result: Mapping[str, Any] | None = None, error: Exception | None = None) -> None:
        self.result = result
        self.error = error
        self.calls: list[dict[str, Any]] = []

    def __call__(self, *, module_name: str, module_args: dict[str, Any]) -> dict[str, Any]:
        self.calls.append({"module_name": module_name, "module_args": copy.deepcopy(module_args)})
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return copy.deepcopy(dict(self.result))


@pytest.mark.parametrize("name", ["read", "apply", "run", "history"])
def test_each_op_runs_the_module_once_and_returns_its_response(name: str) -> None:
    request, result = recorded(name)
    module = RecordedModule(result)

    response = WinRMHost(module, HTTPS_NTLM).call(request)

    assert response == result["response"]
    assert len(module.calls) == 1
    call = module.calls[0]
    assert call["module_name"] == MODULE_NAME
    assert json.loads(call["module_args"]["request"]) == {key: value for key, value in request.items() if key != "passwords"}


def test_the_recorded_read_is_a_valid_contract_response() -> None:
    request, result = recorded("read")
    host = WinRMHost(RecordedModule(result), HTTPS_NTLM)

    read = ReadResult.from_json(host.call(request))

    stock = read.task("\\isotools\\synchro stock")  # Windows paths are case-insensitive
    assert stock is not None
    assert stock.task_hash == sha256_hex(stock.xml.encode("utf-8"))
    assert stock.last_run_time is not None and stock.last_run_time.isoformat() == "2026-11-27T21:45:00"
    assert read.folder("\\Isotools Archive") == FolderRecord("\\Isotools Archive", exists=False)
    script = read.file("D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\synchro.bat")
    assert script is not None and script.content is not None and b"synchro.exe" in script.content
    assert list(script.writers) == sorted(script.writers)  # the contract's order: ordinal
    broken = read.unreadable_task("\\Isotools\\Synchro Prix")  # reported, not a failed read
    assert broken is not None and "0x80041321" in broken.error
    assert read.sids()["svc_sync"].endswith("-1104")
    assert read.account("nobody") == AccountRecord("nobody", sid=None, error="account not found")


def test_the_recorded_apply_run_and_history_are_valid_contract_responses() -> None:
    apply_request, apply_result = recorded("apply")
    run_request, run_result = recorded("run")
    history_request, history_result = recorded("history")

    applied = ApplyResult.from_json(WinRMHost(RecordedModule(apply_result), HTTPS_NTLM).call(apply_request))
    runs = RunResult.from_json(WinRMHost(RecordedModule(run_result), HTTPS_NTLM).call(run_request))
    history = HistoryResult.from_json(WinRMHost(RecordedModule(history_result), HTTPS_NTLM).call(history_request))

    assert [result.status for result in applied.results] == [
        "unchanged",
        "unchanged",
        "applied",
        "applied",
        "applied",
        "refused",
    ]
    assert applied.result("c6") == ChangeResult("c6", "refused", message="changed concurrently, re-run")
    assert [(run.started, run.finished, run.last_result) for run in runs.runs] == [
        (True, True, 0),
        (False, False, None),
    ]
    assert history.available
    assert [event.event_id for event in history.events] == [102, 201, 129, 100, 101]


def test_passwords_travel_only_in_the_no_log_option() -> None:
    request, result = recorded("apply")
    module = RecordedModule(result)

    WinRMHost(module, HTTPS_NTLM).call(request)

    module_args = module.calls[0]["module_args"]
    assert PASSWORD not in module_args["request"]
    assert "passwords" not in json.loads(module_args["request"])
    assert module_args["passwords"] == [{"id": "c5", "password": PASSWORD}]


def test_a_read_sends_an_empty_password_list() -> None:
    request, result = recorded("read")
    module = RecordedModule(result)

    WinRMHost(module, HTTP_BASIC).call(request)

    assert module.calls[0]["module_args"]["passwords"] == []


def test_a_password_is_refused_before_anything_is_sent_over_a_clear_transport() -> None:
    request, result = recorded("apply")
    module = RecordedModule(result)

    with pytest.raises(HostError) as raised:
        WinRMHost(module, HTTP_BASIC).call(request)

    assert str(raised.value) == (
        "refusing to send a task password over an unencrypted transport (winrm over http with transport basic); "
        "use HTTPS, or NTLM/Kerberos/CredSSP with message encryption, or set allow_unencrypted_password"
    )
    assert PASSWORD not in str(raised.value)
    assert module.calls == []


def test_allow_unencrypted_password_sends_it_anyway() -> None:
    request, result = recorded("apply")
    module = RecordedModule(result)

    WinRMHost(module, HTTP_BASIC, allow_unencrypted_password=True).call(request)

    assert module.calls[0]["module_args"]["passwords"] == [{"id": "c5", "password": PASSWORD}]


def test_an_apply_without_password_goes_over_a_clear_transport() -> None:
    request, result = recorded("apply")
    request = {**request, "passwords": {}}
    module = RecordedModule(result)

    WinRMHost(module, HTTP_BASIC).call(request)

    assert len(module.calls) == 1


def test_a_password_inside_a_change_is_refused() -> None:
    request, result = recorded("apply")
    changes = [dict(change) for change in request["changes"]]
    changes[4]["password"] = PASSWORD
    module = RecordedModule(result)

    with pytest.raises(HostError, match="change 'c5' carries a password"):
        WinRMHost(module, HTTPS_NTLM).call({**request, "changes": changes, "passwords": {}})
    assert module.calls == []


def test_passwords_are_refused_with_any_op_but_apply() -> None:
    request, result = recorded("read")
    module = RecordedModule(result)

    with pytest.raises(HostError, match="read request: passwords are only sent with apply"):
        WinRMHost(module, HTTPS_NTLM).call({**request, "passwords": {"c1": PASSWORD}})
    assert module.calls == []


def test_a_module_failure_is_the_contract_failure_answer() -> None:
    request, result = recorded("apply_failed")

    response = WinRMHost(RecordedModule(result), HTTPS_NTLM).call(request)

    assert (response["op"], response["failed"]) == ("apply", True)
    assert response["msg"].startswith("win_sync_host apply: apply: Retrieving the COM class factory")
    with pytest.raises(HostFailure, match="E_ACCESSDENIED"):
        ApplyResult.from_json(response)


def test_a_crashed_module_reports_its_stderr() -> None:
    request, result = recorded("module_crash")

    response = WinRMHost(RecordedModule(result), HTTPS_NTLM).call(request)

    assert response == {
        "op": "read",
        "failed": True,
        "msg": "win_sync_host read: MODULE FAILURE\nSee stdout/stderr for the exact error: Exception of type 'System.OutOfMemoryException' was thrown.",
    }


def test_a_password_echoed_in_a_failure_is_masked() -> None:
    request = recorded("apply")[0]
    failure = {"failed": True, "msg": f"apply: logon failure for svc_sync with {PASSWORD}"}

    response = WinRMHost(RecordedModule(failure), HTTPS_NTLM).call(request)

    assert PASSWORD not in response["msg"]
    assert "logon failure for svc_sync with ********" in response["msg"]


@pytest.mark.parametrize(
    "module",
    [
        RecordedModule(error=AnsibleConnectionFailure("ntlm: HTTPSConnectionPool(host='shop01', port=5986): Read timed out.")),
        RecordedModule({"unreachable": True, "msg": "ntlm: HTTPSConnectionPool(host='shop01', port=5986): Read timed out."}),
    ],
    ids=["raised", "reported"],
)
def test_a_lost_connection_is_unreachable(module: RecordedModule) -> None:
    request = recorded("history")[0]

    with pytest.raises(HostUnreachable, match=r"^win_sync_host history: ntlm: HTTPSConnectionPool"):
        WinRMHost(module, HTTPS_NTLM).call(request)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({"changed": False}, "win_sync_host run: the module returned no response (no message)"),
        ({"changed": False, "response": {"op": "read"}}, "win_sync_host run: the module answered op 'read'"),
    ],
)
def test_a_response_that_is_not_the_answer_is_an_error(result: dict[str, Any], message: str) -> None:
    request = recorded("run")[0]

    with pytest.raises(HostError) as raised:
        WinRMHost(RecordedModule(result), HTTPS_NTLM).call(request)

    assert str(raised.value) == message


def options(connection: str, values: Mapping[str, object]) -> tuple[str, Any]:
    """A connection plugin's ``get_option`` over ``values``: KeyError for an undefined option."""

    def get_option(name: str) -> object:
        return values[name]

    return connection, get_option


WINRM_UNSET = {"port": 5986, "scheme": None, "transport": None, "remote_user": "Administrateur", "_extras": {}}
PSRP_UNSET = {"port": None, "protocol": None, "auth": "negotiate", "message_encryption": "auto"}

TRANSPORT_TABLE: list[tuple[str, str, Mapping[str, object], str | None]] = [
    ("winrm https by default", "winrm", WINRM_UNSET, None),
    (
        "winrm 5985 means http, basic auth",
        "winrm",
        {**WINRM_UNSET, "port": 5985},
        "winrm over http with transport plaintext",
    ),
    ("winrm http ntlm", "winrm", {**WINRM_UNSET, "scheme": "http", "transport": ["ntlm"]}, None),
    ("winrm http credssp", "ansible.builtin.winrm", {**WINRM_UNSET, "scheme": "http", "transport": ["credssp"]}, None),
    (
        "winrm http basic",
        "winrm",
        {**WINRM_UNSET, "scheme": "http", "transport": ["basic"]},
        "winrm over http with transport basic",
    ),
    (
        "winrm http ntlm then basic",
        "winrm",
        {**WINRM_UNSET, "scheme": "http", "transport": ["ntlm", "basic"]},
        "winrm over http with transport basic",
    ),
    ("winrm http transports as text", "winrm", {**WINRM_UNSET, "scheme": "http", "transport": "ntlm,kerberos"}, None),
    (
        "winrm http ntlm, encryption off",
        "winrm",
        {
            **WINRM_UNSET,
            "scheme": "http",
            "transport": ["ntlm"],
            "_extras": {"ansible_winrm_message_encryption": "never"},
        },
        "winrm over http with message_encryption never",
    ),
    (
        "winrm https ntlm, encryption off: TLS still",
        "winrm",
        {**WINRM_UNSET, "transport": ["ntlm"], "_extras": {"ansible_winrm_message_encryption": "never"}},
        None,
    ),
    ("winrm https basic", "winrm", {**WINRM_UNSET, "transport": ["basic"]}, None),
    (
        "winrm without _extras option",
        "winrm",
        {"port": 5985, "scheme": "http", "transport": ["kerberos"], "remote_user": "x"},
        None,
    ),
    ("psrp https by default", "psrp", PSRP_UNSET, None),
    ("psrp 5985 negotiate encrypts", "psrp", {**PSRP_UNSET, "port": 5985}, None),
    (
        "psrp http basic",
        "ansible.builtin.psrp",
        {**PSRP_UNSET, "protocol": "http", "auth": "basic"},
        "psrp over http with auth basic",
    ),
    (
        "psrp http certificate",
        "psrp",
        {**PSRP_UNSET, "protocol": "http", "auth": "certificate"},
        "psrp over http with auth certificate",
    ),
    (
        "psrp http kerberos, encryption off",
        "psrp",
        {**PSRP_UNSET, "protocol": "http", "auth": "kerberos", "message_encryption": "never"},
        "psrp over http with message_encryption never",
    ),
    ("psrp https basic", "psrp", {**PSRP_UNSET, "protocol": "https", "auth": "basic"}, None),
    ("OpenSSH", "ssh", {}, None),
    (
        "unknown plugin",
        "community.general.saltstack",
        {},
        "connection community.general.saltstack, whose encryption cannot be checked",
    ),
]


@pytest.mark.parametrize(
    ("connection", "values", "problem"),
    [case[1:] for case in TRANSPORT_TABLE],
    ids=[case[0] for case in TRANSPORT_TABLE],
)
def test_password_transport_table(connection: str, values: Mapping[str, object], problem: str | None) -> None:
    name, get_option = options(connection, values)

    assert password_transport_problem(connection_facts_from_vars(get_option, name)) == problem


def test_connection_facts_resolve_defaults_as_the_plugin_does() -> None:
    name, get_option = options("winrm", {**WINRM_UNSET, "port": 5985, "_extras": {"ansible_winrm_message_encryption": "Always"}})

    assert connection_facts_from_vars(get_option, name) == ConnectionFacts("winrm", "http", 5985, ("plaintext",), "always")


# A UPN with no transport set: what ansible-core's winrm plugin tries depends on the core (its
# _build_winrm_kwargs) and, before 2.19, on whether it found the kerberos library.
UPN_CASES = [
    ((2, 17), True, "http", ("kerberos", "plaintext"), "winrm over http with transport plaintext"),
    ((2, 18), False, "http", ("plaintext",), "winrm over http with transport plaintext"),
    ((2, 18), True, "https", ("kerberos", "ssl"), None),
    ((2, 19), True, "http", ("kerberos",), None),
    ((2, 21), False, "http", ("kerberos",), None),
]


@pytest.mark.parametrize(
    ("core", "have_kerberos", "scheme", "transports", "problem"),
    UPN_CASES,
    ids=[f"{case[0][0]}.{case[0][1]} {'with' if case[1] else 'without'} kerberos over {case[2]}" for case in UPN_CASES],
)
def test_a_upn_with_no_transport_is_judged_as_each_core_connects(
    core: tuple[int, int], have_kerberos: bool, scheme: str, transports: tuple[str, ...], problem: str | None
) -> None:
    assert default_winrm_transports("svc@CONTOSO.COM", scheme, core=core, have_kerberos=have_kerberos) == transports
    assert password_transport_problem(ConnectionFacts("winrm", scheme, None, transports)) == problem


@pytest.mark.parametrize("have_kerberos", [True, False], ids=["kerberos library", "no kerberos library"])
@pytest.mark.parametrize("user", ["svc@CONTOSO.COM", "CONTOSO\\svc", "Administrateur"])
@pytest.mark.parametrize("port", [5985, 5986])
def test_the_default_transports_are_those_of_the_running_cores_winrm_plugin(monkeypatch: pytest.MonkeyPatch, have_kerberos: bool, user: str, port: int) -> None:
    pytest.importorskip("winrm", reason="pywinrm is not installed: the winrm connection plugin cannot be built")
    from ansible.playbook.play_context import PlayContext
    from ansible.plugins.connection import winrm as winrm_plugin
    from ansible.plugins.loader import connection_loader

    monkeypatch.setattr(winrm_plugin, "HAVE_KERBEROS", have_kerberos)
    connection = connection_loader.get("winrm", PlayContext(), None)
    connection.set_options(var_options={"ansible_host": "shop01", "ansible_user": user, "ansible_password": "x", "ansible_port": port, "_extras": {}})
    connection._build_winrm_kwargs()

    facts = connection_facts_from_vars(connection.get_option, "winrm")
    assert facts.transports == tuple(connection._winrm_transport)
