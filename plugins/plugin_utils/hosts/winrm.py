# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The WinRM host: a real Windows machine, reached through the action's own Ansible connection.

Each contract request (docs/host-contract.md) becomes one run of the ``win_sync_host``
PowerShell module: the request, passwords left out, as JSON text in ``request``; the passwords
of an ``apply`` in the module's no_log ``passwords`` option (a list of ``{id, password}``, so
that Ansible.Basic masks every one of them). The module's ``response`` is the contract
response; a module that fails answers ``{"op", "failed": true, "msg"}``, as the contract says a
host that cannot serve a request does.

A task password is only sent over a transport that encrypts it. Whether it does is read from
the connection's options by :func:`connection_facts_from_vars` and judged by
:func:`password_transport_problem`, both pure so they can be checked without a Windows host.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ansible.errors import AnsibleConnectionFailure
from ansible.release import __version__ as ansible_core_version

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostError, HostUnreachable
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe

__all__ = [
    "MODULE_NAME",
    "ConnectionFacts",
    "ExecuteModule",
    "WinRMHost",
    "connection_facts_from_vars",
    "connection_plugin_name",
    "default_winrm_transports",
    "password_transport_problem",
]

MODULE_NAME = "isotools.shop_sync.win_sync_host"

ExecuteModule = Callable[..., Mapping[str, Any]]
GetOption = Callable[[str], object]

# Authentications that can encrypt each message themselves when the transport is plain HTTP.
_MESSAGE_ENCRYPTING_AUTH = frozenset({"ntlm", "kerberos", "credssp", "negotiate"})
# Connection plugins that always run inside an encrypted channel.
_ENCRYPTED_CONNECTIONS = frozenset({"ssh", "paramiko_ssh"})
_WINRM_HTTP_PORT = 5985
# The running ansible-core, major and minor: its winrm plugin's default transports depend on it.
_CORE = tuple(int(part) for part in ansible_core_version.split(".")[:2])
# The first core whose winrm plugin no longer falls back from Kerberos to basic auth for a UPN.
_UPN_KERBEROS_ONLY_SINCE = (2, 19)
_SHOWN_OUTPUT = 2000
_REDACTED = "********"


@dataclass(frozen=True)
class ConnectionFacts:
    """What decides whether a password may cross the connection, resolved as the plugin does.

    ``scheme`` is winrm's ``scheme`` or psrp's ``protocol``; ``transports`` the winrm transports
    tried in order, or psrp's one ``auth``.
    """

    connection: str
    scheme: str | None = None
    port: int | None = None
    transports: tuple[str, ...] = ()
    message_encryption: str = "auto"


def connection_facts_from_vars(get_option: GetOption, connection_name: str) -> ConnectionFacts:
    """The facts of a connection, from its plugin's ``get_option`` and its (possibly FQ) name."""
    name = connection_plugin_name(connection_name)
    if name == "winrm":
        return _winrm_facts(get_option)
    if name == "psrp":
        return _psrp_facts(get_option)
    return ConnectionFacts(connection=name)


def password_transport_problem(facts: ConnectionFacts) -> str | None:
    """Why a password sent over this connection could be read on the wire, or None if it cannot."""
    if facts.connection in _ENCRYPTED_CONNECTIONS:
        return None
    if facts.connection not in ("winrm", "psrp"):
        return f"connection {facts.connection or '(unnamed)'}, whose encryption cannot be checked"
    if facts.scheme == "https":
        return None
    where = f"{facts.connection} over {facts.scheme or 'http'}"
    if facts.message_encryption == "never":
        return f"{where} with message_encryption never"
    # winrm tries its transports in order: any clear one may be the one that ends up used.
    clear = [transport for transport in facts.transports if transport not in _MESSAGE_ENCRYPTING_AUTH]
    if clear or not facts.transports:
        label = "transport" if facts.connection == "winrm" else "auth"
        return f"{where} with {label} {', '.join(clear) or '(none)'}"
    return None


class WinRMHost:
    """A contract host served by ``win_sync_host`` through ``execute_module``.

    ``execute_module(module_name=..., module_args=...)`` is the action's ``_execute_module``;
    it returns the module's result dict. :meth:`call` answers the contract response, or
    ``{"op", "failed": true, "msg"}`` when the module failed; it raises :class:`HostError` when
    the request is not sent (a password over a clear transport) or the module's answer is not
    a response, and :class:`HostUnreachable` when the connection fails.
    """

    def __init__(
        self,
        execute_module: ExecuteModule,
        connection_facts: ConnectionFacts,
        *,
        allow_unencrypted_password: bool = False,
    ) -> None:
        self._execute_module = execute_module
        self._facts = connection_facts
        self._allow_unencrypted_password = allow_unencrypted_password

    @property
    def connection_facts(self) -> ConnectionFacts:
        return self._facts

    def call(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Serve one contract request (JSON shape, passwords included for apply)."""
        op = str(request.get("op") or "")
        passwords = _passwords_of(request, op)
        if passwords and not self._allow_unencrypted_password:
            problem = password_transport_problem(self._facts)
            if problem is not None:
                raise HostError(
                    f"refusing to send a task password over an unencrypted transport ({problem}); use HTTPS, "
                    "or NTLM/Kerberos/CredSSP with message encryption, or set allow_unencrypted_password"
                )
        payload = {key: value for key, value in request.items() if key != "passwords"}
        _refuse_inline_passwords(payload)
        module_args = {
            "request": json.dumps(payload, separators=(",", ":")),
            "passwords": [{"id": change_id, "password": password} for change_id, password in passwords.items()],
        }
        try:
            result = self._execute_module(module_name=MODULE_NAME, module_args=module_args)
        except AnsibleConnectionFailure as error:
            raise HostUnreachable(_scrub(f"win_sync_host {op}: {error}", passwords)) from None
        return _response_of(op, result, passwords)


def connection_plugin_name(connection: str) -> str:
    """``winrm`` for ``winrm``, ``ansible.builtin.winrm`` or ``ansible.legacy.winrm``."""
    return connection.strip().lower().removeprefix("ansible.builtin.").removeprefix("ansible.legacy.")


def _option(get_option: GetOption, name: str) -> object:
    # get_option raises KeyError for an option the plugin (or its version) does not define.
    try:
        return get_option(name)
    except KeyError:
        return None


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value).strip().lower()


def _port(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _listed(value: object) -> list[object]:
    # A list option given as a plain string in the inventory: "ntlm,kerberos".
    if isinstance(value, str):
        return list(value.split(","))
    return list(value) if isinstance(value, (list, tuple)) else []


def _winrm_facts(get_option: GetOption) -> ConnectionFacts:
    port = _port(_option(get_option, "port"))
    scheme = _text(_option(get_option, "scheme")) or ("http" if port == _WINRM_HTTP_PORT else "https")
    transports = tuple(name for name in (_text(item) for item in _listed(_option(get_option, "transport"))) if name)
    if not transports:
        transports = default_winrm_transports(str(_option(get_option, "remote_user") or ""), scheme)
    extras = _option(get_option, "_extras")
    encryption = extras.get("ansible_winrm_message_encryption") if isinstance(extras, Mapping) else None
    return ConnectionFacts("winrm", scheme, port, transports, _text(encryption) or "auto")


def default_winrm_transports(user: str, scheme: str, *, core: tuple[int, ...] = _CORE, have_kerberos: bool | None = None) -> tuple[str, ...]:
    """The transports ansible-core's winrm plugin tries, in order, when none is set.

    Read from the plugin's ``_build_winrm_kwargs`` on each core: anything but a UPN is basic auth
    (``ssl`` over HTTPS, ``plaintext`` over HTTP). A UPN (``user@REALM``) is Kerberos alone from
    2.19 on; on 2.17 and 2.18 it is Kerberos then basic auth when the plugin found the kerberos
    library (``HAVE_KERBEROS``), and basic auth alone when it did not.
    """
    basic = ("ssl",) if scheme == "https" else ("plaintext",)
    if "@" not in user:
        return basic
    if core >= _UPN_KERBEROS_ONLY_SINCE:
        return ("kerberos",)
    if have_kerberos is None:
        have_kerberos = _winrm_plugin_has_kerberos()
    return ("kerberos", *basic) if have_kerberos else basic


def _winrm_plugin_has_kerberos() -> bool:
    try:
        from ansible.plugins.connection import winrm as winrm_plugin
    except ImportError:  # not a connection this controller could make anyway
        return False
    return bool(getattr(winrm_plugin, "HAVE_KERBEROS", False))


def _psrp_facts(get_option: GetOption) -> ConnectionFacts:
    port = _port(_option(get_option, "port"))
    scheme = _text(_option(get_option, "protocol")) or ("http" if port == _WINRM_HTTP_PORT else "https")
    auth = _text(_option(get_option, "auth")) or "negotiate"
    encryption = _text(_option(get_option, "message_encryption")) or "auto"
    return ConnectionFacts("psrp", scheme, port, (auth,), encryption)


def _passwords_of(request: Mapping[str, Any], op: str) -> dict[str, str]:
    passwords = request.get("passwords") or {}
    if not isinstance(passwords, Mapping):
        raise HostError(f"{op} request: passwords must map change ids to passwords")
    if passwords and op != "apply":
        raise HostError(f"{op} request: passwords are only sent with apply")
    return {str(change_id): str(password) for change_id, password in passwords.items()}


def _refuse_inline_passwords(payload: Mapping[str, Any]) -> None:
    # The request JSON is module argument text, shown and logged as such: no secret may ride in it.
    for change in payload.get("changes") or ():
        if isinstance(change, Mapping) and "password" in change:
            raise HostError(f"apply request: change {describe(change.get('id'))} carries a password; passwords travel only in 'passwords'")


def _response_of(op: str, result: Mapping[str, Any], passwords: Mapping[str, str]) -> dict[str, Any]:
    if result.get("unreachable"):
        raise HostUnreachable(_scrub(f"win_sync_host {op}: {_failure_text(result)}", passwords))
    if result.get("failed"):
        return {"op": op, "failed": True, "msg": _scrub(f"win_sync_host {op}: {_failure_text(result)}", passwords)}
    response = result.get("response")
    if not isinstance(response, dict):
        raise HostError(f"win_sync_host {op}: the module returned no response ({_failure_text(result)})")
    if response.get("op") != op:
        raise HostError(f"win_sync_host {op}: the module answered op {describe(response.get('op'))}")
    return response


def _failure_text(result: Mapping[str, Any]) -> str:
    message = str(result.get("msg") or "no message")
    # A module that crashed before it could answer leaves its reasons on stderr/stdout only.
    output = str(result.get("module_stderr") or result.get("module_stdout") or "").strip()
    if output and output not in message:
        message = f"{message}: {output[:_SHOWN_OUTPUT]}"
    return message


def _scrub(text: str, passwords: Mapping[str, str]) -> str:
    for password in sorted(passwords.values(), key=len, reverse=True):
        if password:
            text = text.replace(password, _REDACTED)
    return text
