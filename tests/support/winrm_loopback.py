# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST-ONLY, never shipped (galaxy.yml build_ignore): a WS-Management endpoint on 127.0.0.1.

It speaks the part of WinRM's shell protocol (MS-WSMV, ``windows/shell/cmd``) that pywinrm and
ansible-core's ``winrm`` connection plugin use: Create a shell, Command, Send stdin, Receive,
Signal, Delete, over HTTPS (a self-signed certificate made at start) or plain HTTP, with basic
auth, or NTLM through pyspnego's acceptor with WinRM message encryption (MS-WSMV 2.2.9.1.1).
It is not Windows and runs no PowerShell: a command that carries Ansible's module payload on
stdin is unpacked (the exec-wrapper manifest of ansible-core 2.17/2.18, or the bootstrap
manifest of 2.19+), and a ``win_sync_host`` run is answered by a directory host, as the real
module answers: ``{"changed", "response"}``. Anything else it does not know is answered with a
SOAP fault quoting the request, and recorded in :attr:`LoopbackWinRM.errors`, so a test fails
loudly instead of passing on a guess.

Every request body, every decoded stdin and every module's arguments are recorded, so tests
can look at exactly what crossed the wire.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import ssl
import struct
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost

_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
_ACTIONS = {
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create": "create",
    f"{_SHELL}/Command": "command",
    f"{_SHELL}/Send": "send",
    f"{_SHELL}/Receive": "receive",
    f"{_SHELL}/Signal": "signal",
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete": "delete",
}
_NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": _SHELL,
}
_MODULE = "isotools.shop_sync.win_sync_host"
# ansible-core 2.17/2.18: exec_wrapper.ps1, then this, then the manifest JSON (module_manifest.py).
_LEGACY_SEPARATOR = b"\0\0\0\0"
# ansible-core 2.19+: the bootstrap JSON, then this, then the exec manifest JSON.
_BOOTSTRAP_SEPARATOR = b"\n\0\0\0\0\n"
_SHOWN_BODY = 3000
# MS-WSMV 2.2.9.1.1: an NTLM-encrypted message is a multipart body of these parts.
_BOUNDARY = b"--Encrypted Boundary"
_ENCRYPTED_TYPE = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"'
_MODULE_SOURCE = (Path(__file__).resolve().parents[2] / "plugins" / "modules" / "win_sync_host.ps1").read_bytes()


class WireError(Exception):
    """A request this server does not understand: answered as a SOAP fault, recorded."""


@dataclass
class Command:
    """One command run in a shell: its command line, its stdin as sent, and its answer."""

    line: list[str]
    script: str | None
    stdin_expected: bool
    sends: list[bytes] = field(default_factory=list)
    answer: tuple[int, bytes, bytes] | None = None

    @property
    def stdin(self) -> bytes:
        return b"".join(self.sends)


@dataclass
class ModuleCall:
    """One module run as the wire carried it: the module's name and arguments, as decoded."""

    name: str
    args: dict[str, Any]
    manifest: str  # "2.17" (exec wrapper manifest) or "2.19" (bootstrap manifest)


@dataclass
class LoopbackWinRM:
    """A WinRM endpoint on 127.0.0.1 serving ``win_sync_host`` from the directory host at ``root``.

    ``with LoopbackWinRM(root, tmp, user, password) as server:`` listens on ``server.port``.
    """

    root: Path
    workdir: Path
    user: str
    password: str
    tls: bool = True
    auth: str = "basic"  # or "ntlm"
    bodies: list[str] = field(default_factory=list)
    raw_bodies: list[bytes] = field(default_factory=list)  # as received: encrypted with NTLM
    auth_headers: list[str] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    module_calls: list[ModuleCall] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _shells: dict[str, dict[str, Command]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> LoopbackWinRM:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*_self_signed(self.workdir))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        if self.auth == "ntlm":
            # pyspnego's NTLM acceptor checks the initiator against this file (DOMAIN:USER:PASSWORD lines).
            users = self.workdir / "loopback-ntlm-users"
            users.write_text(f":{self.user}:{self.password}\n", encoding="utf-8")
            self._saved_user_file = os.environ.get("NTLM_USER_FILE")
            os.environ["NTLM_USER_FILE"] = str(users)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        if self.auth == "ntlm":
            if self._saved_user_file is None:
                os.environ.pop("NTLM_USER_FILE", None)
            else:
                os.environ["NTLM_USER_FILE"] = self._saved_user_file

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def wire_text(self) -> str:
        """Everything that crossed the wire but the HTTP headers: bodies, and every stdin and answer decoded."""
        decoded = [command.stdin + b"\n" + (command.answer[1] + command.answer[2] if command.answer else b"") for command in self.commands]
        return "\n".join([*self.bodies, *(text.decode("utf-8", "replace") for text in decoded)])

    # -- the WS-Management operations --------------------------------------------------------

    def handle(self, body: str) -> str:
        envelope = ElementTree.fromstring(body)
        action = _ACTIONS.get(_text(envelope, "s:Header/a:Action"))
        if action is None:
            raise WireError(f"unknown action {_text(envelope, 's:Header/a:Action')!r}")
        message_id = _text(envelope, "s:Header/a:MessageID")
        shell_id = _text(envelope, "s:Header/w:SelectorSet/w:Selector[@Name='ShellId']")
        with self._lock:
            if action == "create":
                shell_id = str(uuid.uuid4()).upper()
                self._shells[shell_id] = {}
                selector = f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet>'
                return _reply(message_id, f"<x:ResourceCreated><a:ReferenceParameters>{selector}</a:ReferenceParameters></x:ResourceCreated>")
            shell = self._shells.get(shell_id)
            if shell is None:
                raise WireError(f"no shell {shell_id!r}")
            if action == "delete":
                del self._shells[shell_id]
                return _reply(message_id, "")
            if action == "command":
                command_id = str(uuid.uuid4()).upper()
                shell[command_id] = self._command(envelope)
                return _reply(message_id, f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>")
            element = envelope.find(f"s:Body/rsp:{action.capitalize()}", _NS)
            command_id = "" if element is None else _command_id(element)
            command = shell.get(command_id)
            if element is None or command is None:
                raise WireError(f"{action} for no known command {command_id!r}")
        if action == "send":
            return self._send(message_id, element, command)
        if action == "receive":
            return self._receive(message_id, command_id, command)
        return _reply(message_id, "<rsp:SignalResponse/>")  # signal: the command is over anyway

    def _command(self, envelope: ElementTree.Element) -> Command:
        # pywinrm sends the program in Command and the rest in Arguments; ansible-core 2.19+ the whole line in Command.
        line = " ".join(_text(envelope, f"s:Body/rsp:CommandLine/rsp:{part}") for part in ("Command", "Arguments")).split()
        console = _text(envelope, "s:Header/w:OptionSet/w:Option[@Name='WINRS_CONSOLEMODE_STDIN']").upper()
        command = Command(line, _encoded_script(line), stdin_expected=console == "FALSE")
        self.commands.append(command)
        if not command.stdin_expected:
            command.answer = self._answer(command)
        return command

    def _send(self, message_id: str, send: ElementTree.Element, command: Command) -> str:
        stream = send.find("rsp:Stream", _NS)
        if stream is None or stream.get("Name") != "stdin":
            raise WireError("a Send without a stdin stream")
        command.sends.append(base64.b64decode(stream.text or ""))
        if stream.get("End", "").lower() == "true":
            command.answer = self._answer(command)
        return _reply(message_id, "<rsp:SendResponse/>")

    def _receive(self, message_id: str, command_id: str, command: Command) -> str:
        if command.answer is None:
            raise WireError(f"Receive before the end of stdin ({len(command.sends)} Send(s) so far)")
        code, stdout, stderr = command.answer
        streams = "".join(
            f'<rsp:Stream Name="{name}" CommandId="{command_id}">{base64.b64encode(data).decode()}</rsp:Stream>'
            for name, data in (("stdout", stdout), ("stderr", stderr))
            if data
        )
        done = f'<rsp:CommandState CommandId="{command_id}" State="{_SHELL}/CommandState/Done"><rsp:ExitCode>{code}</rsp:ExitCode></rsp:CommandState>'
        return _reply(message_id, f"<rsp:ReceiveResponse>{streams}{done}</rsp:ReceiveResponse>")

    # -- what a Windows host would have run ---------------------------------------------------

    def _answer(self, command: Command) -> tuple[int, bytes, bytes]:
        if command.stdin_expected:
            call = self._module_call(command.stdin)
            self.module_calls.append(call)
            return 0, json.dumps(self._run_module(call)).encode(), b""
        raise WireError(f"a command this server cannot answer: {command.line[:1]} script {command.script!r}")

    def _module_call(self, payload: bytes) -> ModuleCall:
        if _BOOTSTRAP_SEPARATOR in payload:
            manifest = json.loads(payload.split(_BOOTSTRAP_SEPARATOR, 1)[1])
            (action,) = (action for action in manifest["actions"] if action["name"] == "module_wrapper.ps1")
            params = action["params"]
            # "ansible_collections.<ns>.<coll>.plugins.modules.<name>.ps1" on 2.19+.
            name = str(params["Script"]).removesuffix(".ps1").removeprefix("ansible_collections.").replace(".plugins.modules.", ".")
            (args,) = (variable["Value"] for variable in params["Variables"] if variable["Name"] == "complex_args")
            return ModuleCall(name, args, "2.19")
        if _LEGACY_SEPARATOR in payload:
            manifest = json.loads(payload.split(_LEGACY_SEPARATOR, 1)[1])
            source = base64.b64decode(manifest["module_entry"])
            # The 2.17 manifest names no module: it carries the module's source, which is ours or not.
            name = _MODULE if source == _MODULE_SOURCE else f"(a module of {len(source)} bytes that is not win_sync_host)"
            return ModuleCall(name, manifest["module_args"], "2.17")
        raise WireError(f"stdin of {len(payload)} bytes with no module manifest: {payload[:200]!r}")

    def _run_module(self, call: ModuleCall) -> dict[str, Any]:
        if call.name != _MODULE:
            raise WireError(f"module {call.name} is not served here")
        text = call.args.get("request")
        if not isinstance(text, str):
            # Ansible.Basic's "str" option would turn a dict into .NET's type name, which is no JSON.
            return {"failed": True, "msg": f"request arrived as {type(text).__name__}, not JSON text (the module reads System.Collections.Generic.Dictionary)"}
        request = json.loads(text)
        passwords = {str(entry["id"]): str(entry["password"]) for entry in call.args.get("passwords") or ()}
        if passwords:
            request["passwords"] = passwords
        response = DirectoryHost(str(self.root)).call(request)
        changed = False
        if response.get("op") == "apply":
            changed = any(result.get("status") == "applied" for result in response.get("results", ()))
        elif response.get("op") == "run":
            changed = any(run.get("started") for run in response.get("runs", ()))
        return {"changed": changed, "response": response}


class _Handler(BaseHTTPRequestHandler):
    server_state: LoopbackWinRM
    protocol_version = "HTTP/1.1"

    ntlm: Any = None  # this connection's NTLM context: NTLM authenticates a connection, not a request

    def do_POST(self) -> None:
        state = self.server_state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        header = self.headers.get("Authorization") or ""
        state.auth_headers.append(header)
        state.raw_bodies.append(raw)
        if state.auth == "ntlm":
            if header.startswith("Negotiate "):
                self._ntlm_step(header.removeprefix("Negotiate "))
                return
            if self.ntlm is None or not self.ntlm.complete:
                self._respond(401, b"", {"WWW-Authenticate": "Negotiate"})
                return
            body = _unseal(self.ntlm, raw).decode("utf-8") if raw else ""
        else:
            expected = "Basic " + base64.b64encode(f"{state.user}:{state.password}".encode()).decode()
            if header != expected:
                self._respond(401, b"", {"WWW-Authenticate": 'Basic realm="WSMAN"'})
                return
            body = raw.decode("utf-8")
        state.bodies.append(body)
        try:
            reply, status = state.handle(body), 200
        except (WireError, ElementTree.ParseError, KeyError, ValueError) as error:
            state.errors.append(f"{error}\n--- request body ---\n{body[:_SHOWN_BODY]}")
            reply, status = _fault(f"{error}; request body: {body[:_SHOWN_BODY]}"), 500
        if state.auth == "ntlm":
            self._respond(status, _seal(self.ntlm, reply.encode()), {"Content-Type": _ENCRYPTED_TYPE})
        else:
            self._respond(status, reply.encode())

    def _ntlm_step(self, token: str) -> None:
        import spnego  # pyspnego comes with pywinrm (requests_ntlm)

        if self.ntlm is None or self.ntlm.complete:
            self.ntlm = spnego.server(protocol="ntlm")
        try:
            answer = self.ntlm.step(base64.b64decode(token))
        except spnego.exceptions.SpnegoError as error:
            self.server_state.errors.append(f"NTLM authentication failed: {error}")
            self.ntlm = None
            self._respond(401, b"", {"WWW-Authenticate": "Negotiate"})
            return
        if not self.ntlm.complete:
            self._respond(401, b"", {"WWW-Authenticate": f"Negotiate {base64.b64encode(answer or b'').decode()}"})
            return
        # The request that finished the handshake is pywinrm's empty one that sets up encryption.
        self._respond(200, b"")

    def _respond(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        headers = {"Content-Type": "application/soap+xml;charset=UTF-8", **(headers or {})}
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        return  # the test reads the recorded bodies, not stderr


def _unseal(context: Any, raw: bytes) -> bytes:
    # --Encrypted Boundary, the header part (OriginalContent ...;Length=N), then the octet-stream part:
    # a 4-byte little-endian signature length, the signature, the sealed message.
    parts = [part for part in raw.split(_BOUNDARY + b"\r\n") if part]
    if len(parts) != 2 or b"Length=" not in parts[0]:
        raise WireError(f"an NTLM body that is not one encrypted message: {raw[:200]!r}")
    length = int(parts[0].split(b"Length=")[1].strip())
    stream = parts[1].removesuffix(_BOUNDARY + b"--\r\n").removeprefix(b"\tContent-Type: application/octet-stream\r\n")
    signature_length = struct.unpack("<i", stream[:4])[0]
    message = bytes(context.unwrap_winrm(stream[4 : 4 + signature_length], stream[4 + signature_length :]))
    if len(message) != length:
        raise WireError(f"an NTLM message of {len(message)} bytes said it had {length}")
    return message


def _seal(context: Any, message: bytes) -> bytes:
    wrapped = context.wrap_winrm(message)
    return (
        _BOUNDARY + b"\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
        b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length="
        + str(len(message)).encode()
        + b"\r\n"
        + _BOUNDARY
        + b"\r\n\tContent-Type: application/octet-stream\r\n"
        + struct.pack("<i", len(wrapped.header))
        + wrapped.header
        + wrapped.data
        + _BOUNDARY
        + b"--\r\n"
    )


def _text(element: ElementTree.Element, path: str) -> str:
    found = element.find(path, _NS)
    return "" if found is None else (found.text or "").strip()


def _command_id(element: ElementTree.Element) -> str:
    for node in element.iter():
        if node.get("CommandId"):
            return str(node.get("CommandId"))
    return ""


def _encoded_script(line: list[str]) -> str | None:
    # PowerShell ... -EncodedCommand <base64 of UTF-16-LE>: the script a Windows host would run.
    lowered = [part.lower() for part in line]
    if "-encodedcommand" not in lowered:
        return None
    return base64.b64decode(line[lowered.index("-encodedcommand") + 1]).decode("utf-16-le")


def _reply(relates_to: str, body: str) -> str:
    return (
        f'<s:Envelope xmlns:s="{_NS["s"]}" xmlns:a="{_NS["a"]}" xmlns:w="{_NS["w"]}" xmlns:rsp="{_SHELL}" '
        'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer">'
        f"<s:Header><a:MessageID>uuid:{uuid.uuid4()}</a:MessageID><a:RelatesTo>{relates_to}</a:RelatesTo></s:Header>"
        f"<s:Body>{body}</s:Body></s:Envelope>"
    )


def _fault(reason: str) -> str:
    return (
        f'<s:Envelope xmlns:s="{_NS["s"]}" xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"><s:Body><s:Fault>'
        "<s:Code><s:Value>s:Receiver</s:Value></s:Code>"
        f'<s:Reason><s:Text xml:lang="en-US">{escape(reason)}</s:Text></s:Reason>'
        '<s:Detail><f:WSManFault Code="2150858770"/></s:Detail></s:Fault></s:Body></s:Envelope>'
    )


def _self_signed(workdir: Path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = workdir / "loopback-cert.pem", workdir / "loopback-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(cert_path), str(key_path)
