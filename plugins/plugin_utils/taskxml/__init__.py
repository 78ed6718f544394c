# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task Scheduler XML: write a :class:`model.TaskDefinition`, read what Windows stores or exports.

The XML (namespace ``http://schemas.microsoft.com/windows/2004/02/mit/task``) is how tasks are
registered and read back, so this module is the one place that knows its spelling:

* :func:`render_xml` writes a definition the way a Windows export looks (parts in Windows'
  order, Windows' defaults written out, ``Task/@version`` the lowest the features need), and
  never by string formatting: ``&``, ``<`` and quotes in arguments are data.
* :func:`parse_xml` reads real files, which break Microsoft's schema in many ways (UTF-8 bytes
  declaring UTF-16, any child order inside triggers, trigger ids that are not NCNames, missing
  blocks, empty elements). What the model has no field for is kept verbatim and written back by
  :func:`render_xml`; :attr:`model.TaskDefinition.unsupported_reasons` says what it is. DTDs,
  entities and external references are refused, and so is anything over :data:`MAX_XML_BYTES`.
* :func:`encode_for_host` gives the bytes Windows keeps in ``System32\\Tasks``.

``Date`` and ``URI`` are never written (Windows fills them in on registration), so a definition
read back after a round trip differs from the original only in those and in ``version``.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    TaskDefinition,
    UnsupportedAction,
    UnsupportedTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml._parse import read_task
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml._render import build_task, serialize
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml._vocab import (
    BASELINE_VERSION,
    XmlProblem,
    version_key,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml.safe_xml import DoctypeRefused, UnsafeXmlError, parse_untrusted

__all__ = [
    "MAX_XML_BYTES",
    "TaskXmlError",
    "render_xml",
    "encode_for_host",
    "parse_xml",
    "required_version",
]

# Real task files are a few KiB; 4 MiB leaves room for very long event subscriptions while a
# padded or hostile file is refused before any parsing starts.
MAX_XML_BYTES = 4 * 1024 * 1024

# Versions of the features that need more than Task Scheduler 2.0 (1.2, Vista). Microsoft Learn
# gives Windows 7 (TASK_COMPATIBILITY_V2_1, Task/@version 1.3) as the minimum for ITaskSettings2
# (DisallowStartOnRemoteAppSession, UseUnifiedSchedulingEngine) and IPrincipal2
# (ProcessTokenSidType, RequiredPrivileges), and Windows 8 (V2_2, 1.4) for ITaskSettings3
# (Volatile, MaintenanceSettings). Real exports agree: 1.3 files carry UseUnifiedSchedulingEngine.
_VERSION_1_3 = "1.3"
_VERSION_1_4 = "1.4"
_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_LINE_END = re.compile(r"\r?\n")


class TaskXmlError(ValueError):
    """Task XML that cannot be read or written; the message names the task and the element.

    ``task`` is the task's path (``\\Folder\\Name``), ``field`` the element path inside the
    XML (``Settings/Priority``) or ``None`` when the document as a whole is at fault.
    """

    def __init__(self, task: str, message: str, field: str | None = None) -> None:
        super().__init__(f"task '{task}': {message}")
        self.task = task
        self.field = field


def required_version(definition: TaskDefinition) -> str:
    """The lowest ``Task/@version`` that supports what ``definition`` uses (at least 1.2).

    ``settings.compatibility`` raises the floor. A definition holding elements kept verbatim
    from a read also keeps the version it was read with: what those elements need is unknown.
    """
    settings = definition.settings
    principal = definition.principal
    candidates = [BASELINE_VERSION]
    if (
        settings.disallow_start_on_remote_app_session
        or settings.use_unified_scheduling_engine
        or principal.process_token_sid_type is not None
        or principal.required_privileges
    ):
        candidates.append(_VERSION_1_3)
    if settings.volatile or settings.maintenance_settings is not None:
        candidates.append(_VERSION_1_4)
    if settings.compatibility is not None:
        candidates.append(_checked_version(definition, settings.compatibility, "settings.compatibility"))
    if definition.version is not None and _holds_verbatim_xml(definition):
        candidates.append(_checked_version(definition, definition.version, "version"))
    return max(candidates, key=version_key)


def render_xml(definition: TaskDefinition) -> str:
    """The task's XML text, ``<?xml version="1.0" encoding="UTF-16"?>`` first; raises :class:`TaskXmlError`."""
    version = required_version(definition)
    try:
        return serialize(build_task(definition, version))
    except XmlProblem as problem:
        raise TaskXmlError(definition.path, problem.message, problem.field) from None


def encode_for_host(xml_text: str) -> bytes:
    """UTF-16LE with a byte order mark and CRLF line ends, as Windows stores task files."""
    return codecs.BOM_UTF16_LE + _LINE_END.sub("\r\n", xml_text).encode("utf-16-le")


def parse_xml(data: bytes | str, *, name: str, folder: str = "\\", max_bytes: int = MAX_XML_BYTES) -> TaskDefinition:
    """The definition in ``data`` (the task ``name`` in ``folder``); raises :class:`TaskXmlError`.

    Bytes may be UTF-16 (LE or BE) or UTF-8, with or without a byte order mark, whatever the
    XML declaration says; ``max_bytes`` caps their size (text counts as UTF-16, 2 bytes a character).
    """
    task = TaskDefinition(name=name, folder=folder).path
    size = len(data) if isinstance(data, bytes) else 2 * len(data)
    if size > max_bytes:
        raise TaskXmlError(task, f"the XML is {size} bytes, more than the {max_bytes} a task definition may have")
    try:
        text = data.lstrip("\ufeff") if isinstance(data, str) else _decode(data)
        root = parse_untrusted(_DECLARATION.sub("", text, count=1))
        return read_task(root, name=name, folder=folder)
    except XmlProblem as problem:
        raise TaskXmlError(task, problem.message, problem.field) from None
    except DoctypeRefused:
        raise TaskXmlError(
            task,
            "the XML has a document type declaration (<!DOCTYPE ...>); task XML never has one, and it could "
            "expand entities or read external files, so it is refused",
        ) from None
    except UnsafeXmlError as error:
        raise TaskXmlError(task, f"the XML uses entities or external references, which are refused ({error})") from None
    except ET.ParseError as error:
        raise TaskXmlError(task, f"the XML is not well-formed (truncated or damaged?): {error}") from None
    except UnicodeEncodeError as error:
        raise TaskXmlError(task, f"the XML text holds {error.object[error.start]!r}, which is not a character") from None


def _decode(data: bytes) -> str:
    """Text by byte order mark, else by where the zero bytes of ``<`` fall; the declaration is not trusted."""
    if data.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", data[2:]
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", data[2:]
    elif data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[3:]
    elif data[:1] == b"\x00" and data[1:2] not in (b"", b"\x00"):
        encoding, body = "utf-16-be", data
    elif data[:1] not in (b"", b"\x00") and data[1:2] == b"\x00":
        encoding, body = "utf-16-le", data
    else:
        encoding, body = "utf-8", data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        raise XmlProblem(None, f"the file is not UTF-16 or UTF-8 text (as {encoding}, byte {error.start} cannot be decoded)") from None


def _holds_verbatim_xml(definition: TaskDefinition) -> bool:
    return bool(
        definition.unknown_elements
        or any(isinstance(trigger, UnsupportedTrigger) for trigger in definition.triggers)
        or any(isinstance(action, UnsupportedAction) for action in definition.actions)
    )


def _checked_version(definition: TaskDefinition, version: str, field: str) -> str:
    try:
        version_key(version)
    except XmlProblem as problem:
        raise TaskXmlError(definition.path, f"{field} {problem.message}", field) from None
    return version
