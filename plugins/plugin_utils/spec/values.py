# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading one value of a task spec: scalar conversions, friendly times, and problem collection.

Shared, not private: :mod:`spec`'s readers and :mod:`jobs` read and check with it, and the
other parts word the values they show with its :func:`describe`, :func:`quoted` and
:func:`printable`. Converters are pure functions that raise :class:`ValueError` whose text
starts with the value as the user gave it (or with "must ..." when the type is wrong), so that
``field + " " + text`` reads as one sentence. :class:`Section` reads a mapping of the spec at a
path and records every problem in a shared :class:`Report` instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import (
    TimeFormatError,
    format_duration,
    parse_boundary,
    parse_duration,
)

__all__ = [
    "AT_ANCHOR_DATE",
    "Report",
    "Section",
    "child_path",
    "describe",
    "printable",
    "quoted",
    "did_you_mean",
    "index_path",
    "kind_of",
    "parse_boundary_value",
    "parse_duration_text",
    "parse_start",
    "parse_time_of_day",
    "secret_problem",
    "to_bool",
    "to_choice",
    "to_int",
    "to_text",
]

_T = TypeVar("_T")
_V = TypeVar("_V")

# `at: '06:00'` means 06:00 on this fixed date: a moving default ("today") would make every run
# a change, and any past date starts the schedule at once.
AT_ANCHOR_DATE = dt.date(2020, 1, 1)

_FRIENDLY_DURATION = re.compile(
    r"^(?:(?P<weeks>\d+)\s*w\s*)?(?:(?P<days>\d+)\s*d\s*)?(?:(?P<hours>\d+)\s*h\s*)?"
    r"(?:(?P<minutes>\d+)\s*m\s*)?(?:(?P<seconds>\d+)\s*s)?$",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?$")
_DATE_AND_TIME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{1,2}:\d{2}(?::\d{2})?)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE_WORDS = frozenset({"true", "yes"})
_FALSE_WORDS = frozenset({"false", "no"})
_SHOWN_CHARACTERS = 60
# C0 and C1 controls (ESC, BEL, CSI...) but tab and line feed, DEL, the Unicode line and paragraph
# separators (line breaks to YAML and JavaScript) and the bidirectional overrides that make text
# read other than it is.
_CONTROLS_BUT_LINES = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL_CHARACTER = re.compile(f"[\t\n{_CONTROLS_BUT_LINES}]")
_CONTROL_IN_LINES = re.compile(f"[{_CONTROLS_BUT_LINES}]")
_MINUTES_PER_DAY = 24 * 60


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with control characters shown escaped (``\\x1b``, ``\\n``), never raw: one problem
    stays one line and text from a host cannot drive a terminal or end a line of a file. With
    ``lines``, line breaks and tabs are kept (a message of several lines)."""
    pattern = _CONTROL_IN_LINES if lines else _CONTROL_CHARACTER
    return pattern.sub(lambda match: repr(match.group())[1:-1], text)


def quoted(text: str) -> str:
    """``text`` in single quotes for a message, as it can be copied back (``'D:\\Isotools\\A'``
    shows one backslash each, not JSON's two), only its control characters escaped (:func:`printable`)."""
    return f"'{printable(text)}'"


def describe(value: object) -> str:
    """The value as the user wrote it, for a message: ``'PT0M'``, ``11``, ``true``, ``a list``."""
    if isinstance(value, str):
        shown = value if len(value) <= _SHOWN_CHARACTERS else value[: _SHOWN_CHARACTERS - 3] + "..."
        return quoted(shown)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"'{value.isoformat()}'"
    return kind_of(value)


def kind_of(value: object) -> str:
    """What kind of YAML value this is, for "must be a string, got a list"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    return f"a {type(value).__name__}"


def did_you_mean(word: str, candidates: Collection[str]) -> str:
    """`` (did you mean priority?)`` when a candidate is close to ``word``, else ``""``."""
    matches = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]}?)" if matches else ""


def child_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def index_path(path: str, index: int) -> str:
    return f"{path}[{index}]"


def to_text(value: object) -> str:
    """A string; whole numbers are accepted as their digits (``id: 1``), booleans are not."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    hint = " (quote it: YAML reads unquoted yes/no/true/false as booleans)" if isinstance(value, bool) else ""
    raise ValueError(f"must be a string, got {kind_of(value)}{hint}")


def secret_problem(value: object) -> str | None:
    """Why ``value`` cannot be a password, or ``None``; the message never shows the value.

    Unlike other text, a number is refused: YAML 1.1 reads an unquoted ``12:34:56`` as the
    base-60 number 45296, ``0123`` as 83, ``1e3`` as 1000.0, so the password sent would not be
    the one written.
    """
    if isinstance(value, str):
        return None
    return (
        f"must be a string, got {kind_of(value)} (not shown): quote it - unquoted, YAML reads digits, "
        "digits separated by colons (a base-60 number), 0x... and yes/no as numbers and booleans, not as the text written"
    )


def to_bool(value: object) -> bool:
    """A YAML boolean, or the words yes/no/true/false as Ansible writes them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError(f"{describe(value)} is not a boolean (use true or false)")


def to_int(value: object) -> int:
    """A whole number, or a string of digits (a templated value)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value)
    raise ValueError(f"{describe(value)} is not a whole number")


def _normalise_word(word: str) -> str:
    return re.sub(r"[\s_\-]", "", word.lower())


def to_choice(value: object, choices: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """One of ``choices``, matched ignoring case, ``_``, ``-`` and spaces (``IgnoreNew`` is
    ``ignore_new``); ``aliases`` maps further normalised spellings to a choice."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        wanted = _normalise_word(str(value))
        for choice in choices:
            if _normalise_word(choice) == wanted:
                return choice
        if aliases and wanted in aliases:
            return aliases[wanted]
        hint = did_you_mean(str(value), choices)
    else:
        hint = ""
    raise ValueError(f"{describe(value)} is not one of {', '.join(choices)}{hint}")


def parse_duration_text(text: object) -> dt.timedelta:
    """A duration the way people write it: ``15m``, ``1h30m``, ``2d``, ``90s``, ``1w`` or ISO 8601
    (``PT15M``, ``P1D``); a :class:`datetime.timedelta` is taken as it is.

    A bare number is refused (minutes? seconds?), as are fractions of a second, which Task
    Scheduler does not keep. Raises :class:`~timeutil.TimeFormatError` (a ``ValueError``).
    """
    if isinstance(text, dt.timedelta):
        value = text
    elif isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise TimeFormatError(f"must be a duration such as 15m or PT15M, got {kind_of(text)}")
    elif isinstance(text, (int, float)) or _INTEGER.match(text.strip()):
        number = str(text).strip()
        raise TimeFormatError(f"{describe(text)} is a bare number, which could mean minutes or seconds: write {number}m or PT{number}M (or {number}s)")
    else:
        value = _parse_duration_string(text)
    if value.microseconds:
        raise TimeFormatError(f"{describe(text)} has a fraction of a second; Task Scheduler keeps whole seconds")
    if value < dt.timedelta(0):
        raise TimeFormatError(f"{describe(text)} is negative")
    return value


def _parse_duration_string(text: str) -> dt.timedelta:
    stripped = text.strip()
    if stripped[:1] in ("P", "p"):
        try:
            return parse_duration(stripped.upper())
        except TimeFormatError:
            pass
    else:
        match = _FRIENDLY_DURATION.match(stripped)
        if match and stripped and any(match.groupdict().values()):
            parts = {unit: int(amount or 0) for unit, amount in match.groupdict().items()}
            return dt.timedelta(**parts)
    raise TimeFormatError(f"{describe(text)} is not a duration (write 15m, 1h30m, 2d, 90s, or ISO 8601 such as PT15M, P1D)")


def _sexagesimal_hint(number: int) -> str:
    """YAML 1.1 reads an unquoted ``6:00`` as the base-60 number 360; say so."""
    if 0 <= number < _MINUTES_PER_DAY:
        hours, minutes = divmod(number, 60)
        return f"got the number {number}: YAML reads an unquoted {hours}:{minutes:02d} as a base-60 number; quote the time ('{hours:02d}:{minutes:02d}')"
    return f"got the number {number}: quote the time, e.g. '06:00'"


def parse_time_of_day(value: object) -> dt.time:
    """``'06:00'`` or ``'06:00:30'`` (24-hour clock) -> :class:`datetime.time`; raises ``ValueError``."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(_sexagesimal_hint(value))
    if isinstance(value, str):
        match = _TIME_OF_DAY.match(value.strip())
        if match:
            hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
            if hour < 24 and minute < 60 and second < 60:
                return dt.time(hour, minute, second)
        raise ValueError(f"{describe(value)} is not a time of day (write HH:MM on a 24-hour clock, e.g. '06:00')")
    raise ValueError(f"must be a time of day such as '06:00', got {kind_of(value)}")


def parse_start(value: object) -> dt.datetime:
    """The friendly ``at``: a time of day on :data:`AT_ANCHOR_DATE`, or ``'YYYY-MM-DD HH:MM'``."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        match = _DATE_AND_TIME.match(value.strip())
        if match:
            try:
                date = dt.date.fromisoformat(match["date"])
            except ValueError:
                raise ValueError(f"{describe(value)} is not a valid date") from None
            return dt.datetime.combine(date, parse_time_of_day(match["time"]))
        if not _TIME_OF_DAY.match(value.strip()):
            raise ValueError(f"{describe(value)} is not a time (write '06:00' or '2026-01-01 06:00'; use start_boundary for an ISO date-time with a time zone)")
    return dt.datetime.combine(AT_ANCHOR_DATE, parse_time_of_day(value))


def parse_boundary_value(value: object) -> dt.datetime:
    """A start/end boundary: ISO 8601 text (a space may replace the ``T``) or a YAML timestamp."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        raise ValueError(f"{describe(value)} has no time of day (write e.g. '{value.isoformat()}T06:00:00')")
    if not isinstance(value, str):
        raise ValueError(f"must be an ISO 8601 date-time such as '2026-01-01T06:00:00', got {kind_of(value)}")
    try:
        return parse_boundary(re.sub(r"^(\d{4}-\d{2}-\d{2}) ", r"\1T", value.strip()))
    except TimeFormatError:
        raise ValueError(f"{describe(value)} is not an ISO 8601 date-time (e.g. 2026-01-01T06:00:00, or with Z or +01:00)") from None


@dataclass
class Report:
    """The problems found so far in one spec, as (field path, message) in the order found."""

    problems: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def mark(self) -> int:
        """A point to ask :meth:`clean_since` about: did reading a part find problems?"""
        return len(self.problems)

    def clean_since(self, mark: int) -> bool:
        return len(self.problems) == mark


@dataclass(frozen=True)
class Section:
    """One mapping of the spec (the root, ``triggers[0]``, ``settings.idle_settings``, ...).

    Every reader returns ``default`` when the key is absent or null (Ansible passes unset
    options as null) and also when the value is wrong, after recording why in the report.
    """

    data: Mapping[object, object]
    path: str
    report: Report

    def at(self, key: str) -> str:
        return child_path(self.path, key)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str) -> object:
        return self.data.get(key)

    def problem(self, key: str, message: str) -> None:
        self.report.add(self.at(key), message)

    def check_keys(self, known: Collection[str], messages: Mapping[str, str] | None = None) -> None:
        """Report each key that is not an option here, with a suggestion where one is close."""
        for key in self.data:
            if isinstance(key, str) and key in known:
                continue
            if not isinstance(key, str):
                self.report.add(self.path, f"has the key {describe(key)}, which is not an option name")
            elif messages and key in messages:
                self.problem(key, messages[key])
            else:
                self.problem(key, f"is not a known option{did_you_mean(key, known)}")

    def text(self, key: str, default: _T, *, required: bool = False, non_empty: bool = False) -> str | _T:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required")
            return default
        try:
            text = to_text(value)
        except ValueError as error:
            self.problem(key, str(error))
            return default
        if non_empty and not text.strip():
            self.problem(key, "must not be empty")
            return default
        return text

    def secret(self, key: str) -> str | None:
        """A password: a string as written (never a number YAML made of it), not empty."""
        value = self.data.get(key)
        if value is None:
            return None
        problem = secret_problem(value) or (None if str(value).strip() else "must not be empty")
        if problem:
            self.problem(key, problem)
            return None
        return str(value)

    def flag(self, key: str, default: _T) -> bool | _T:
        return self.convert(key, to_bool, default)

    def integer(self, key: str, low: int, high: int, default: _T) -> int | _T:
        value = self.convert(key, to_int, None)
        if value is None:
            return default
        if not low <= value <= high:
            self.problem(key, f"{describe(self.data[key])} must be between {low} and {high}")
            return default
        return value

    def choice(self, key: str, choices: Sequence[str], default: _T, aliases: Mapping[str, str] | None = None) -> str | _T:
        value = self.data.get(key)
        if value is None:
            return default
        try:
            return to_choice(value, choices, aliases)
        except ValueError as error:
            self.problem(key, str(error))
            return default

    def duration(
        self,
        key: str,
        default: _T,
        *,
        low: dt.timedelta | None = None,
        high: dt.timedelta | None = None,
    ) -> dt.timedelta | _T:
        value = self.convert(key, parse_duration_text, None)
        if value is None:
            return default
        given = describe(self.data[key])
        if low is not None and high is not None and not low <= value <= high:
            self.problem(key, f"{given} must be between {format_duration(low)} and {format_duration(high)}")
            return default
        if low is not None and value < low:
            self.problem(key, f"{given} must be at least {format_duration(low)}")
            return default
        return value

    def boundary(self, key: str, default: _T) -> dt.datetime | _T:
        return self.convert(key, parse_boundary_value, default)

    def child(self, key: str, known: Collection[str], messages: Mapping[str, str] | None = None) -> Section | None:
        """The mapping under ``key``, its unknown keys reported; ``None`` when absent or not a mapping."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(key, f"must be a mapping of options, got {kind_of(value)}")
            return None
        section = Section(value, self.at(key), self.report)
        section.check_keys(known, messages)
        return section

    def sequence(self, key: str, example: str) -> list[object]:
        """The list under ``key`` (empty when absent); a lone value is refused with an example."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, (list, tuple)):
            return list(value)
        self.problem(key, f"must be a list, got {kind_of(value)} (write e.g. {example})")
        return []

    def mappings(self, key: str, read: Callable[[Section], _V | None], *, limit: int, example: str, needs: str) -> list[_V]:
        """The list of mappings under ``key`` (``actions``, ``triggers``), each read by ``read`` at
        its index (``triggers[1]``), in order, those ``read`` returns ``None`` for left out.

        More than ``limit`` items, an item that is not a mapping (``needs`` says what one has, with
        an example) and an ``id`` used twice are problems; ``example`` shows the whole list.
        """
        items = self.sequence(key, example)
        if len(items) > limit:
            self.problem(key, f"has {len(items)} {key}; Task Scheduler allows at most {limit}")
        values: list[_V] = []
        for index, item in enumerate(items):
            path = index_path(self.at(key), index)
            if not isinstance(item, Mapping):
                self.report.add(path, f"must be a mapping with {needs}, got {kind_of(item)}")
                continue
            value = read(Section(item, path, self.report))
            if value is not None:
                values.append(value)
        _check_unique_ids(items, self.at(key), self.report)
        return values

    def convert(self, key: str, converter: Callable[[object], _V], default: _T) -> _V | _T:
        """``converter(value)``; a ``ValueError`` it raises becomes this key's problem."""
        value = self.data.get(key)
        if value is None:
            return default
        try:
            return converter(value)
        except ValueError as error:
            self.problem(key, str(error))
            return default


def _check_unique_ids(items: Sequence[object], path: str, report: Report) -> None:
    """Report each ``id`` already used by an earlier item of the same list (``actions``, ``triggers``)."""
    first_use: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        value = item.get("id")
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            continue
        item_id = str(value)
        if item_id in first_use:
            earlier = index_path(path, first_use[item_id])
            report.add(child_path(index_path(path, index), "id"), f"{describe(item_id)} is already the id of {earlier}")
        else:
            first_use[item_id] = index
