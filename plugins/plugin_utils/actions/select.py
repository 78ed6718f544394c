# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which host an action talks to, chosen from the inventory.

``shop_sync_backend: directory`` with ``shop_sync_directory_root: <path>`` selects the directory
host (an offline Windows image on the controller's disk; a relative root is taken from the
playbook's directory). ``shop_sync_backend: winrm``, or no variable at all, selects the WinRM
host: the thin PowerShell module run through the host's own Ansible connection. A path on the
controller (that root, a backup folder, an image) is taken from the playbook's directory when
relative, :func:`controller_path`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.port import HostCaller
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.winrm import (
    WinRMHost,
    connection_facts_from_vars,
)

__all__ = [
    "BACKEND_VAR",
    "DIRECTORY_ROOT_VAR",
    "BACKENDS",
    "host_for",
    "host_label",
    "controller_path",
]

BACKEND_VAR = "shop_sync_backend"
DIRECTORY_ROOT_VAR = "shop_sync_directory_root"
BACKENDS = ("directory", "winrm")
_DEFAULT_BACKEND = "winrm"


def host_for(action: ActionBase, task_vars: Mapping[str, Any], *, allow_unencrypted_password: bool = False) -> HostCaller:
    """The host ``action`` runs against, from the inventory variables in ``task_vars``.

    Raises ``AnsibleActionFail`` naming the variable when the selection is incomplete.
    """
    backend = _variable(action, task_vars, BACKEND_VAR)
    backend = _DEFAULT_BACKEND if backend is None else str(backend).strip().lower()
    if backend not in BACKENDS:
        raise AnsibleActionFail(f"{BACKEND_VAR} '{backend}' is not a known host backend: use one of {', '.join(BACKENDS)}")
    if backend == "directory":
        return DirectoryHost(_directory_root(action, task_vars))

    connection_name = _connection_name(action)
    if connection_name.rpartition(".")[2] == "local":
        # The controller is not the Windows host: win_sync_host.ps1 cannot run there.
        raise AnsibleActionFail(
            f"{BACKEND_VAR} is winrm (the default when unset) but the host's connection is local: give the host its "
            f"WinRM connection (ansible_connection: winrm or psrp), or set {BACKEND_VAR}: directory and "
            f"{DIRECTORY_ROOT_VAR} to use an offline Windows image"
        )
    facts = connection_facts_from_vars(action._connection.get_option, connection_name)

    def execute_module(module_name: str, module_args: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = action._execute_module(module_name=module_name, module_args=module_args, task_vars=dict(task_vars))
        return response

    return WinRMHost(execute_module, facts, allow_unencrypted_password=allow_unencrypted_password)


def host_label(task_vars: Mapping[str, Any]) -> str:
    """The inventory name of the host, for backup paths and messages."""
    return str(task_vars.get("inventory_hostname") or "localhost")


def controller_path(action: ActionBase, task_vars: Mapping[str, Any], path: str) -> str:
    """``path`` on the controller; a relative one is taken from the playbook's directory."""
    expanded = os.path.expanduser(path)
    if not os.path.isabs(expanded):
        base = task_vars.get("playbook_dir") or action._loader.get_basedir()
        expanded = os.path.join(str(base), expanded)
    return os.path.normpath(expanded)


def _directory_root(action: ActionBase, task_vars: Mapping[str, Any]) -> str:
    root = _variable(action, task_vars, DIRECTORY_ROOT_VAR)
    if root is None or not str(root).strip():
        raise AnsibleActionFail(
            f"{BACKEND_VAR} is 'directory' but {DIRECTORY_ROOT_VAR} is not set: give the folder that "
            "stands for the Windows machine (absolute, or relative to the playbook's directory)"
        )
    path = controller_path(action, task_vars, str(root))
    if not os.path.isdir(path):
        raise AnsibleActionFail(f"{DIRECTORY_ROOT_VAR} '{path}' is not a folder: create it (an empty folder is an empty Windows machine)")
    return path


def _variable(action: ActionBase, task_vars: Mapping[str, Any], name: str) -> Any:
    # Inventory values may still hold Jinja2 expressions ("{{ playbook_dir }}/demo").
    value = task_vars.get(name)
    if value is None or action._templar is None:
        return value
    return action._templar.template(value)


def _connection_name(action: ActionBase) -> str:
    connection = action._connection
    return str(getattr(connection, "_load_name", None) or getattr(connection, "transport", "") or "")
