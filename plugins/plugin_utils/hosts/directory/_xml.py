# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The little a directory host needs to know about a task's XML, and what Windows checks on it.

A host only stores and returns XML; the controller's parser gives it meaning. What the host
itself must see — whether the task is enabled, may be started on demand, what its first Exec
action starts, who its principal is — is read here with defusedxml, and registration checks
what the Task Scheduler service is known to check before storing a definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import (
    SCHED_E_INVALIDVALUE,
    SCHED_E_MALFORMEDXML,
    SCHED_E_MISSINGNODE,
    SCHED_E_NAMESPACE,
    SCHED_E_UNEXPECTEDNODE,
    RequestError,
    WinError,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import NAMESPACE
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml.safe_xml import MissingDefusedXml, UnsafeXmlError, parse_untrusted

__all__ = ["RejectedTaskXmlError", "ExecFacts", "TaskFacts", "task_facts", "check_registrable"]

_NS = "{" + NAMESPACE + "}"
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
# Principal/LogonType as written in XML -> the contract's logon_type.
_LOGON_TYPES = {
    "Password": "password",
    "S4U": "s4u",
    "InteractiveToken": "interactive_token",
    "InteractiveTokenOrPassword": "interactive_token_or_password",
    "Group": "group",
    "ServiceAccount": "service_account",
}


class RejectedTaskXmlError(ValueError):
    """Task XML Windows would not accept, with the HRESULT it answers."""

    def __init__(self, error: WinError, detail: str) -> None:
        super().__init__(error.describe(detail))
        self.error = error
        self.detail = detail


@dataclass(frozen=True)
class ExecFacts:
    command: str
    arguments: str | None
    working_directory: str | None


@dataclass(frozen=True)
class TaskFacts:
    enabled: bool
    allow_demand_start: bool
    exec_action: ExecFacts | None  # the first Exec action
    user_id: str | None
    group_id: str | None
    logon_type: str | None  # the contract's word, None when the XML gives none


def task_facts(text: str) -> TaskFacts:
    """What the host needs from a task's XML; raises :class:`RejectedTaskXmlError` for broken XML."""
    return _facts(_parse(text))


def _facts(root: Element) -> TaskFacts:
    settings = root.find(_NS + "Settings")
    principal = _principal(root)
    logon_text = _text(principal, "LogonType")
    if logon_text is not None and logon_text not in _LOGON_TYPES:
        raise RejectedTaskXmlError(SCHED_E_INVALIDVALUE, f"Principal/LogonType '{logon_text}'")
    return TaskFacts(
        enabled=_boolean(settings, "Enabled", default=True),
        allow_demand_start=_boolean(settings, "AllowStartOnDemand", default=True),
        exec_action=_first_exec(root),
        user_id=_text(principal, "UserId"),
        group_id=_text(principal, "GroupId"),
        logon_type=None if logon_text is None else _LOGON_TYPES[logon_text],
    )


def check_registrable(text: str) -> TaskFacts:
    """The checks the Task Scheduler service makes before it stores a definition.

    The XML string is parsed as the UTF-16 text it is: a declaration naming another encoding
    makes the service's parser fail ("unable to switch the encoding"), and so does it here.
    """
    declared = _DECLARED_ENCODING.match(text)
    if declared and declared.group(1).strip().lower() != "utf-16":
        raise RejectedTaskXmlError(
            SCHED_E_MALFORMEDXML,
            f"the XML declares encoding '{declared.group(1)}'; the service parses a UTF-16 string and "
            "answers 'unable to switch the encoding': declare UTF-16 or leave the encoding out",
        )
    root = _parse(text)
    actions = root.find(_NS + "Actions")
    if actions is None or len(actions) == 0:
        raise RejectedTaskXmlError(SCHED_E_MISSINGNODE, "Task/Actions: a task needs at least one action")
    return _facts(root)


def _parse(text: str) -> Element:
    try:
        root = parse_untrusted(text)
    except MissingDefusedXml as error:
        raise RequestError(str(error)) from None
    except ParseError as error:
        raise RejectedTaskXmlError(SCHED_E_MALFORMEDXML, str(error)) from None
    except UnsafeXmlError as error:
        raise RejectedTaskXmlError(SCHED_E_MALFORMEDXML, f"DTDs and entities are not allowed ({error})") from None
    if root.tag == _NS + "Task":
        return root
    if root.tag.endswith("}Task") or root.tag == "Task":
        raise RejectedTaskXmlError(SCHED_E_NAMESPACE, f"the Task element must be in the namespace {NAMESPACE}")
    raise RejectedTaskXmlError(SCHED_E_UNEXPECTEDNODE, f"the root element is {root.tag}, not Task")


def _principal(root: Element) -> Element | None:
    """The principal the actions run as (``Actions/@Context``), else the first one."""
    principals = root.findall(f"{_NS}Principals/{_NS}Principal")
    actions = root.find(_NS + "Actions")
    context = None if actions is None else actions.get("Context")
    chosen = next((item for item in principals if item.get("id") == context), None)
    return chosen if chosen is not None else next(iter(principals), None)


def _first_exec(root: Element) -> ExecFacts | None:
    action = root.find(f"{_NS}Actions/{_NS}Exec")
    if action is None:
        return None
    return ExecFacts(
        command=_text(action, "Command") or "",
        arguments=_text(action, "Arguments"),
        working_directory=_text(action, "WorkingDirectory"),
    )


def _text(parent: Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(_NS + tag)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _boolean(parent: Element | None, tag: str, *, default: bool) -> bool:
    text = _text(parent, tag)
    if text is None:
        return default
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise RejectedTaskXmlError(SCHED_E_INVALIDVALUE, f"Settings/{tag} '{text}' must be true or false")
