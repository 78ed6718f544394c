# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ownership marker: how a task says it was registered by this collection.

``RegistrationInfo/Source`` of every task the collection registers is ``isotools.shop_sync``,
followed by ``; owner=<label>`` for an owner other than :data:`DEFAULT_OWNER` and by
``; password_version=<label>`` when the user labels the stored password (a password cannot be
read back, so the label is what tells a rotation apart). In a label, ``\\`` and ``;`` are
written ``\\\\`` and ``\\;``.

The owner (the role's ``shop_sync_owner``, the actions' ``owner``) tells apart the inventories
(or the win_sync_task playbooks) sharing a folder: a prune or ``state: absent`` deletes only
tasks of its own owner. A bare marker, as 0.1.0 wrote it, is the default owner's.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import FieldChange
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import OWNER_MARKER, Ownership, TaskDefinition

__all__ = [
    "DEFAULT_OWNER",
    "OWNER_MARKER",
    "compare_ownership",
    "is_owned",
    "mark",
    "ownership_of",
    "parse_source",
    "source_text",
]

_PASSWORD_VERSION = "password_version"
_OWNER = "owner"
# The owner of an inventory that names none; written as the bare marker, as 0.1.0 did.
DEFAULT_OWNER = "default"
# Split on a ';' that no backslash escapes.
_FIELD_SEPARATOR = re.compile(r"(?<!\\)(?:\\\\)*;")


def source_text(password_version: str | None, owner: str = DEFAULT_OWNER) -> str:
    """The ``RegistrationInfo/Source`` text for a task this collection registers."""
    fields = [] if owner == DEFAULT_OWNER else [f"{_OWNER}={_escape(owner)}"]
    if password_version is not None:
        fields.append(f"{_PASSWORD_VERSION}={_escape(password_version)}")
    return "; ".join([OWNER_MARKER, *fields])


def _escape(label: str) -> str:
    return label.replace("\\", "\\\\").replace(";", "\\;")


def parse_source(source: str | None) -> Ownership:
    """What a ``RegistrationInfo/Source`` text says about ownership; unknown keys are ignored."""
    if source is None:
        return Ownership()
    parts = _split(source)
    if parts[0].strip() != OWNER_MARKER:
        return Ownership()
    labels = {}
    for part in parts[1:]:
        key, separator, value = part.partition("=")
        if separator:
            labels[key.strip()] = _unescape(value)
    return Ownership(owned=True, password_version=labels.get(_PASSWORD_VERSION), owner=labels.get(_OWNER, DEFAULT_OWNER))


def mark(definition: TaskDefinition, *, password_version: str | None, owner: str = DEFAULT_OWNER) -> TaskDefinition:
    """``definition`` marked as owned by ``owner`` through this collection, with the password label if any."""
    info = replace(definition.registration_info, source=source_text(password_version, owner))
    return replace(definition, registration_info=info)


def ownership_of(definition: TaskDefinition) -> Ownership:
    return parse_source(definition.registration_info.source)


def is_owned(definition: TaskDefinition, owner: str | None = None) -> bool:
    """Whether the collection registered the task (for ``owner``, when given)."""
    ownership = ownership_of(definition)
    return ownership.owned and (owner is None or ownership.owner == owner)


def compare_ownership(desired_password_version: str | None, actual: TaskDefinition) -> tuple[FieldChange, ...]:
    """A change when the user labels the password differently from the label on the host.

    No label wanted means "no rotation tracking": nothing to compare. A task without the
    marker has no label, so labelling an adopted task is a change (the password is set again),
    while the missing marker alone is not.
    """
    if desired_password_version is None:
        return ()
    current = ownership_of(actual).password_version
    if current == desired_password_version:
        return ()
    return (FieldChange(_PASSWORD_VERSION, current, desired_password_version),)


def _split(source: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _FIELD_SEPARATOR.finditer(source):
        parts.append(source[start : match.end() - 1])
        start = match.end()
    parts.append(source[start:])
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
