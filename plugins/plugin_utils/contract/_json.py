# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a JSON message field by field, with errors that say where and what was wrong.

Private to :mod:`contract`: a host answer is data from another machine, so every field is
checked before it becomes a typed value, and the error names the message, the item and the
field (``read response: tasks[2].task_hash must be ...``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_sid
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.results import decode_last_result
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import quoted
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import TimeFormatError, format_boundary, parse_boundary

__all__ = ["ContractError", "Fields", "HostFailure", "LastResult", "expect_op", "optional_time", "record_json", "response_fields", "time_text"]

_HASH = re.compile(r"^[0-9a-f]{64}$")
_CODE_TEXT = re.compile(r"^(?:0[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<decimal>-?\d{1,10}))$")
# COM's zero date and Task Scheduler's own "has never run" time (what schtasks shows beside
# 0x41303 as Last Run Time): no time at all.
_NEVER_DATES = (dt.date(1899, 12, 30), dt.date(1999, 11, 30))
_MISSING = object()


class ContractError(ValueError):
    """A message that does not follow docs/host-contract.md."""


class HostFailure(RuntimeError):
    """The host could not serve a request at all (``{"failed": true, "msg": ...}``)."""

    def __init__(self, op: str, msg: str) -> None:
        super().__init__(f"{op}: {msg}")
        self.op = op
        self.msg = msg


class Fields:
    """The fields of one JSON object; ``where`` says which object, for error messages."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping) or not all(isinstance(key, str) for key in data):
            raise ContractError(f"{where} must be a JSON object, got {_describe(data)}")
        self._data: Mapping[str, object] = data
        self.where = where

    def value(self, key: str) -> object:
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            raise ContractError(f"{self.at(key)} is required")
        return value

    def _optional(self, key: str) -> object:
        return self._data.get(key)

    def optional_value(self, key: str) -> object:
        """The value as given (a nested message), ``None`` when absent or null."""
        return self._data.get(key)

    def at(self, key: str) -> str:
        """``read response: tasks[2].task_hash``; ``read response: host`` for a top-level key."""
        return f"{self.where}.{key}" if self.where.endswith("]") else f"{self.where}: {key}"

    def _wrong(self, key: str, expected: str, value: object) -> ContractError:
        return ContractError(f"{self.at(key)} must be {expected}, got {_describe(value)}")

    def required_str(self, key: str) -> str:
        value = self.value(key)
        if not isinstance(value, str):
            raise self._wrong(key, "a string", value)
        return value

    def optional_str(self, key: str) -> str | None:
        value = self._optional(key)
        if value is not None and not isinstance(value, str):
            raise self._wrong(key, "a string or null", value)
        return value

    def required_bool(self, key: str) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def optional_bool(self, key: str) -> bool | None:
        value = self._optional(key)
        if value is not None and not isinstance(value, bool):
            raise self._wrong(key, "true, false or null", value)
        return value

    def required_int(self, key: str) -> int:
        value = self.optional_int(key)
        if value is None:
            raise self._wrong(key, "an integer", self._optional(key))
        return value

    def optional_int(self, key: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = self._optional(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, "an integer or null", value)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum if minimum is not None else '-inf'} and {maximum if maximum is not None else 'inf'}"
            raise self._wrong(key, bounds, value)
        return value

    def optional_code(self, key: str) -> int | None:
        """A 32-bit Windows result as the contract carries it, unsigned: the host may give it as
        Windows hands it out (a signed integer) or as event data writes it (decimal or ``0x`` hex)."""
        value = self._optional(key)
        if value is None:
            return None
        if isinstance(value, str):
            match = _CODE_TEXT.match(value.strip())
            if not match:
                raise self._wrong(key, "a 32-bit result code (integer, decimal or 0x hex text)", value)
            value = int(match["hex"], 16) if match["hex"] else int(match["decimal"])
        if isinstance(value, bool) or not isinstance(value, int) or not -(1 << 31) <= value < (1 << 32):
            raise self._wrong(key, "a 32-bit result code or null", value)
        return value & 0xFFFFFFFF

    def required_code(self, key: str) -> int:
        value = self.optional_code(key)
        if value is None:
            raise ContractError(f"{self.at(key)} is required")
        return value

    def required_sid(self, key: str) -> str:
        """A SID as Windows writes it in text (``S-1-5-18``, any letter case), as given."""
        value = self.required_str(key)
        if not is_sid(value):
            raise self._wrong(key, "a SID (S-1-5-...)", value)
        return value

    def optional_sid(self, key: str) -> str | None:
        value = self.optional_str(key)
        if value is not None and not is_sid(value):
            raise self._wrong(key, "a SID (S-1-5-...) or null", value)
        return value

    def optional_number(self, key: str) -> float | None:
        value = self._optional(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._wrong(key, "a number or null", value)
        return float(value)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.required_str(key)
        if value not in allowed:
            raise self._wrong(key, f"one of {', '.join(allowed)}", value)
        return value

    def optional_choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        return None if self._optional(key) is None else self.choice(key, allowed)

    def hash(self, key: str) -> str:
        value = self.optional_hash(key)
        if value is None:
            raise self._wrong(key, "a lowercase hex SHA-256", None)
        return value

    def optional_hash(self, key: str) -> str | None:
        value = self.optional_str(key)
        if value is not None and not _HASH.match(value):
            raise self._wrong(key, "a lowercase hex SHA-256 (64 characters)", value)
        return value

    def optional_base64(self, key: str) -> bytes | None:
        value = self.optional_str(key)
        if value is None:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ContractError(f"{self.at(key)} is not valid base64") from None

    def str_list(self, key: str) -> tuple[str, ...]:
        return tuple(self._list_item(key, index, item) for index, item in enumerate(self._list(key)))

    def str_mapping(self, key: str) -> dict[str, str]:
        value = self._optional(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self._wrong(key, "an object", value)
        if not all(isinstance(name, str) and isinstance(text, str) for name, text in value.items()):
            raise ContractError(f"{self.at(key)} must map strings to strings")
        return dict(value)

    def items(self, key: str, *, required: bool = False) -> list[tuple[str, object]]:
        """``(where, item)`` for each element of a list field, ``where`` naming the element."""
        values = self._list(key, required=required)
        return [(f"{self.where}: {key}[{index}]", item) for index, item in enumerate(values)]

    def _list(self, key: str, *, required: bool = False) -> list[object]:
        value = self.value(key) if required else self._optional(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, "a list", value)
        return value

    def _list_item(self, key: str, index: int, item: object) -> str:
        if not isinstance(item, str):
            raise self._wrong(f"{key}[{index}]", "a string", item)
        return item


def expect_op(fields: Fields, op: str) -> None:
    if fields.required_str("op") != op:
        raise ContractError(f"{fields.at('op')} must be {quoted(op)}, got {quoted(fields.required_str('op'))}")


def response_fields(data: object, op: str) -> Fields:
    """The fields of a response, after the host's own failure report has been raised."""
    fields = Fields(data, f"{op} response")
    if fields.optional_bool("failed"):
        raise HostFailure(op, fields.optional_str("msg") or "the host gave no reason")
    expect_op(fields, op)
    return fields


def time_text(value: dt.datetime | None) -> str | None:
    return None if value is None else format_boundary(value)


def record_json(record: Any, **sent_as: object) -> dict[str, object]:
    """A record dataclass as the contract sends it: each field under its own name, in order, a
    time as :func:`time_text`; ``sent_as`` gives the fields the contract sends in another form."""
    return {field.name: sent_as[field.name] if field.name in sent_as else _sent(getattr(record, field.name)) for field in dataclasses.fields(record)}


def _sent(value: object) -> object:
    return time_text(value) if isinstance(value, dt.datetime) else value


class LastResult:
    """A record of a task's last run (a registered task's, a run's): its result code, and the
    code as its words (``0x1: incorrect function``)."""

    last_result: int | None

    @property
    def last_result_text(self) -> str | None:
        return None if self.last_result is None else decode_last_result(self.last_result)


def optional_time(fields: Fields, key: str) -> dt.datetime | None:
    text = fields.optional_str(key)
    if text is None:
        return None
    try:
        moment = parse_boundary(text)
    except TimeFormatError as error:
        raise ContractError(f"{fields.at(key)}: {error}") from None
    never = moment.year < 1900 or (moment.date() in _NEVER_DATES and moment.time() == dt.time(0))
    return None if never else moment


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, int, float)):
        return f"{type(value).__name__} {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {quoted(shown)}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
