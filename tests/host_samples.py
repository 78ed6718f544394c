# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests the host tests send: the knowledge-base task as Windows exports it, and helpers.

``synchro_task_xml`` is the task the Isotools procedure clicks together (``cmd.exe /k
synchro.bat & exit`` started in the script's folder), in the element order of a Windows
export, with the principal and settings a test varies.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import TASK_LOGON, TASK_LOGON_NONE, ApplyResult, split_task_path
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract.file_access import AccessEntry, writers
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType

_LOGON_WORDS = {
    "password": "Password",
    "s4u": "S4U",
    "interactive_token": "InteractiveToken",
    "interactive_token_or_password": "InteractiveTokenOrPassword",
    "service_account": "ServiceAccount",
    "group": "Group",
}


def synchro_task_xml(
    working_directory: str,
    *,
    user: str = "S-1-5-18",
    group: str | None = None,
    logon_type: str | None = None,
    enabled: bool = True,
    allow_demand_start: bool = True,
    arguments: str = "/k synchro.bat & exit",
    description: str = "Synchro Isotools Stock",
) -> str:
    logon = f"\n      <LogonType>{_LOGON_WORDS[logon_type]}</LogonType>" if logon_type in _LOGON_WORDS else ""
    # A group principal names its group instead of a user (Task Scheduler schema: GroupId).
    account = f"<UserId>{escape(user)}</UserId>" if group is None else f"<GroupId>{escape(group)}</GroupId>"
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{escape(description)}</Description>
    <Source>isotools.shop_sync</Source>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2020-01-01T06:00:00</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      {account}{logon}
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <AllowStartOnDemand>{str(allow_demand_start).lower()}</AllowStartOnDemand>
    <Enabled>{str(enabled).lower()}</Enabled>
    <ExecutionTimeLimit>PT72H</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>C:\\Windows\\System32\\cmd.exe</Command>
      <Arguments>{escape(arguments)}</Arguments>
      <WorkingDirectory>{escape(working_directory)}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>""".replace("\n", "\r\n")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def register(
    change_id: str,
    path: str,
    xml: str,
    *,
    user: str,
    logon_type: str,
    expected_hash: Any = None,
    requires: tuple[str, ...] = (),
    with_password: bool = False,
) -> dict[str, Any]:
    """A ``register_task`` change (``expected_hash`` ``None``: the task must not exist yet);
    ``with_password``: the apply sends its password, so RegisterTask is given the account and
    the logon type's TASK_LOGON_* (else none and TASK_LOGON_NONE), as the controller sends it."""
    folder, name = split_task_path(path)
    change: dict[str, Any] = {
        "id": change_id,
        "kind": "register_task",
        "path": path,
        "folder": folder,
        "name": name,
        "xml": xml,
        "user": user,
        "logon_type": logon_type,
        "register_user": user if with_password else None,
        "register_logon": TASK_LOGON[LogonType(logon_type)] if with_password else TASK_LOGON_NONE,
        "expected_hash": expected_hash,
    }
    if requires:
        change["requires"] = list(requires)
    return change


def delete(change_id: str, path: str, expected_hash: str | None) -> dict[str, Any]:
    """A ``delete_task`` change, with the folder and name the controller sends."""
    folder, name = split_task_path(path)
    return {"id": change_id, "kind": "delete_task", "path": path, "folder": folder, "name": name, "expected_hash": expected_hash}


def statuses(response: dict[str, Any]) -> dict[str, str]:
    """Change id -> status of an apply response."""
    return {result["id"]: result["status"] for result in response["results"]}


def messages(response: dict[str, Any]) -> dict[str, str | None]:
    """Change id -> message of an apply response, as the controller reads it (it words a
    refusal the host only flags, such as "concurrent")."""
    return {result.id: result.message for result in ApplyResult.from_json(response).results}


def record_writers(record: Mapping[str, Any]) -> list[str]:
    """Who may write a file or directory of a host's read answer, as the controller judges it
    from the record's owner and DACL."""
    aces = [AccessEntry.from_json(ace, f"aces[{index}]") for index, ace in enumerate(record["aces"])]
    return list(writers(record["owner"], aces))


# C:\Windows\TEMP as Windows installs it (icacls on Windows Server 2022): BUILTIN\Users may add
# files and folders there (S,WD,AD,X), each creator owning what it adds; SYSTEM, Administrators
# and TrustedInstaller have full control.
WINDOWS_TEMP_ACL: dict[str, Any] = {
    "owner": "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
    "protected": True,
    "aces": [
        {"sid": "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", "type": "allow", "rights": 0x1F01FF},
        {"sid": "S-1-5-18", "type": "allow", "rights": 0x1F01FF},
        {"sid": "S-1-5-32-544", "type": "allow", "rights": 0x1F01FF},
        {"sid": "S-1-3-0", "type": "allow", "rights": 0x1F01FF, "inherit_only": True},
        {"sid": "S-1-5-32-545", "type": "allow", "rights": 0x100026},
    ],
}
