# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module run outside any playbook, through the ``ansible`` command: :func:`host_from_inventory`.

That is how the contract tests reach a real Windows host from an inventory file (test-only: a
playbook reaches its host through the action's own connection, ``hosts/winrm.py``). Each call is
one ad-hoc run of ``ansible HOST -i INVENTORY -m MODULE``. The module arguments travel in the
child's environment, each one JSON-encoded and read back by ``env`` lookups (in parts: Linux
takes no environment string over 128 KiB, and a request with a script is longer), so a password
is never on a command line nor in a file; the result is read from the ``minimal`` callback's
``HOST | STATUS => {json}`` line.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts import errors
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.winrm import (
    WinRMHost,
    connection_facts_from_vars,
    connection_plugin_name,
)

__all__ = [
    "AdHocModule",
    "AdHocPowerShell",
    "host_from_inventory",
    "inventory_host",
    "options_from_host_vars",
    "parse_adhoc_output",
    "powershell_from_inventory",
]

_ARG_VARIABLE = "SHOP_SYNC_MODULE_ARG_{index}_{part}"
# Below Linux's MAX_ARG_STRLEN (131,072 bytes for "NAME=value"): execve refuses a longer string.
_ARG_PART = 100_000
_ARG_LOOKUP = "lookup('ansible.builtin.env', '{variable}')"
_ARG_TEMPLATE = "{{{{ ({lookups}) | from_json }}}}"
# ansible-core 2.17/2.18 (no native Jinja types) turn a templated text that looks like a dict or a
# list into one (win_sync_host's JSON request then reads "System.Collections.Generic.Dictionary");
# a value from the "string" filter is exempt (STRING_TYPE_FILTERS), and 2.19+ keeps text anyway.
_TEXT_ARG_TEMPLATE = "{{{{ ({lookups}) | from_json | string }}}}"
_RESULT_LINE = re.compile(r"^(?P<host>\S+) \| (?P<status>SUCCESS|CHANGED|FAILED!|UNREACHABLE!) => ", re.MULTILINE)
# The plain minimal callback, whatever the caller's configuration says.
_ADHOC_ENV = {"ANSIBLE_LOAD_CALLBACK_PLUGINS": "0", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
_SHOWN_OUTPUT = 2000
# The line an AdHocPowerShell script's value comes back on: UTF-8 JSON in base64, so that neither
# the console's code page nor a localised message can garble it.
_POWERSHELL_RESULT = "SHOPSYNC-RESULT:"

# Connection option -> the inventory variables that set it, strongest first (as the plugins' docs list them).
_OPTION_VARIABLES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "winrm": {
        "port": ("ansible_winrm_port", "ansible_port"),
        "scheme": ("ansible_winrm_scheme",),
        "transport": ("ansible_winrm_transport",),
        "remote_user": ("ansible_winrm_user", "ansible_user"),
    },
    "psrp": {
        "port": ("ansible_psrp_port", "ansible_port"),
        "protocol": ("ansible_psrp_protocol",),
        "auth": ("ansible_psrp_auth",),
        "message_encryption": ("ansible_psrp_message_encryption",),
    },
}


@dataclass(frozen=True)
class AdHocModule:
    """``execute_module(module_name=..., module_args=...)`` for one host of an inventory file."""

    inventory: str
    host: str

    def __call__(self, *, module_name: str, module_args: Mapping[str, Any]) -> dict[str, Any]:
        environment = {**os.environ, **_ADHOC_ENV, **_collections_path()}
        arguments = {}
        for index, (name, value) in enumerate(module_args.items()):
            encoded = json.dumps(value)  # ASCII: a part never cuts a character
            lookups = []
            for part, start in enumerate(range(0, len(encoded), _ARG_PART)):
                variable = _ARG_VARIABLE.format(index=index, part=part)
                environment[variable] = encoded[start : start + _ARG_PART]
                lookups.append(_ARG_LOOKUP.format(variable=variable))
            template = _TEXT_ARG_TEMPLATE if isinstance(value, str) else _ARG_TEMPLATE
            arguments[name] = template.format(lookups=" ~ ".join(lookups))
        command = [_tool("ansible"), self.host, "-i", self.inventory, "-m", module_name]
        if arguments:  # "-a {}" would be taken as raw parameters
            command += ["-a", json.dumps(arguments)]
        try:
            completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
        except OSError as error:
            raise HostError(f"cannot run {command[0]} for {self.host}: {error}") from None
        return parse_adhoc_output(completed.stdout, completed.stderr, self.host)


@dataclass(frozen=True)
class AdHocPowerShell:
    """A PowerShell script run on one host of an inventory file through ``ansible.builtin.raw``:
    what the contract suite does on a real host that the contract has no request for (hold a file
    open, make a junction, read the event log). Never given a secret: the script is on the
    ``ansible`` command line."""

    inventory: str
    host: str

    def __call__(self, script: str) -> Any:
        """The value the script's last statement gives, through JSON (a hashtable: a dict)."""
        wrapped = "\n".join(
            (
                "$ErrorActionPreference = 'Stop'",
                f"$shopSyncResult = & {{\n{script}\n}}",
                "$shopSyncJson = ConvertTo-Json -InputObject $shopSyncResult -Compress -Depth 6",
                f"'{_POWERSHELL_RESULT}' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes([string]$shopSyncJson))",
            )
        )
        # Sent as base64 and run by Invoke-Expression in the connection's own PowerShell (5.1, or 7
        # through a PowerShell.7 endpoint): raw's arguments are split as key=value and templated,
        # which braces and quotes of a script would not survive.
        encoded = base64.b64encode(wrapped.encode("utf-8")).decode("ascii")
        raw = f"Invoke-Expression ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{encoded}')))"
        command = [_tool("ansible"), self.host, "-i", self.inventory, "-m", "ansible.builtin.raw", "-a", raw]
        environment = {**os.environ, **_ADHOC_ENV}
        completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
        for line in completed.stdout.splitlines():
            if line.strip().startswith(_POWERSHELL_RESULT):
                return json.loads(base64.b64decode(line.strip()[len(_POWERSHELL_RESULT) :]).decode("utf-8") or "null")
        shown = (completed.stdout.strip() + "\n" + completed.stderr.strip()).strip()[-_SHOWN_OUTPUT:]
        raise HostError(f"PowerShell on {self.host} gave no result (ansible exit status {completed.returncode}): {shown or 'no output'}")


def powershell_from_inventory(inventory: str, host: str | None = None) -> AdHocPowerShell:
    """PowerShell on ``host`` of an inventory file (default: its first host), as the contract suite's
    Windows half runs it beside the module."""
    return AdHocPowerShell(inventory, inventory_host(inventory, host)[0])


def parse_adhoc_output(stdout: str, stderr: str, host: str) -> dict[str, Any]:
    """The module result an ad-hoc run printed for ``host``, marked failed/unreachable as shown."""
    for match in _RESULT_LINE.finditer(stdout):
        if match["host"] != host:
            continue
        try:
            result = json.JSONDecoder().raw_decode(stdout, match.end())[0]
        except ValueError:
            break
        if not isinstance(result, dict):
            break
        if match["status"] == "UNREACHABLE!":
            result["unreachable"] = True
        elif match["status"] == "FAILED!":
            result["failed"] = True
        return result
    shown = (stderr.strip() or stdout.strip())[-_SHOWN_OUTPUT:]
    raise HostError(f"ansible printed no result for {host}: {shown or 'no output'}")


def inventory_host(inventory: str, host: str | None) -> tuple[str, dict[str, Any]]:
    """The name and variables of ``host`` in ``inventory`` (default: its first host)."""
    listed = _run_tool("ansible", [host or "all", "-i", inventory, "--list-hosts"])
    names = [line.strip() for line in listed.splitlines()[1:] if line.strip()]
    if not names:
        raise HostError(f"inventory {inventory}: no host matches {host or 'all'}")
    variables = json.loads(_run_tool("ansible-inventory", ["-i", inventory, "--host", names[0]]))
    return names[0], variables if isinstance(variables, dict) else {}


def options_from_host_vars(connection: str, host_vars: Mapping[str, Any]) -> Callable[[str], object]:
    """A connection plugin's ``get_option`` answered from inventory variables (unset: None)."""
    name = connection_plugin_name(connection)
    variables = _OPTION_VARIABLES.get(name, {})

    def get_option(option: str) -> object:
        if option == "_extras" and name == "winrm":
            return {key: value for key, value in host_vars.items() if key.startswith("ansible_winrm_")}
        return next((host_vars[variable] for variable in variables.get(option, ()) if variable in host_vars), None)

    return get_option


def host_from_inventory(inventory: str, host: str | None = None, *, allow_unencrypted_password: bool = False) -> WinRMHost:
    """A WinRM host for ``host`` of an inventory file (default: its first host), outside any playbook.

    Each call runs the ``ansible`` command once; the contract tests use it to run against a real
    Windows host (``SHOP_SYNC_WINRM_INVENTORY``).
    """
    name, host_vars = inventory_host(inventory, host)
    connection = str(host_vars.get("ansible_connection") or "ssh")
    facts = connection_facts_from_vars(options_from_host_vars(connection, host_vars), connection)
    return WinRMHost(AdHocModule(inventory, name), facts, allow_unencrypted_password=allow_unencrypted_password)


def _collections_path() -> dict[str, str]:
    # The child runs the collection these tests imported: errors.py sits at
    # <root>/ansible_collections/isotools/shop_sync/plugins/plugin_utils/hosts/ (the build/ link).
    imported = Path(errors.__file__)
    root = imported.parents[6]
    if imported.parents[5].name != "ansible_collections":
        return {}
    configured = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
    return {"ANSIBLE_COLLECTIONS_PATH": os.pathsep.join(filter(None, (str(root), configured)))}


def _tool(name: str) -> str:
    # The ansible that runs this Python first: the venv's, when there is one.
    found = shutil.which(name, path=os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", ""))))
    if found is None:
        raise HostError(f"cannot find the {name} command (install ansible-core in this Python's environment)")
    return found


def _run_tool(name: str, arguments: list[str]) -> str:
    completed = subprocess.run([_tool(name), *arguments], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise HostError(f"{name} {' '.join(arguments)} failed: {(completed.stderr or completed.stdout).strip()[-_SHOWN_OUTPUT:]}")
    return completed.stdout
