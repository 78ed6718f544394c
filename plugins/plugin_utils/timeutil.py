# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ISO 8601 durations and boundaries as Task Scheduler writes them, parsed and written in Python.

Times are never formatted by a locale-dependent formatter on the host: this module is the one
place that turns them into text.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "TimeFormatError",
    "parse_duration",
    "format_duration",
    "parse_boundary",
    "format_boundary",
]

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_BOUNDARY = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<fraction>\.\d+)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?$"
)
# Task Scheduler counts a month as 30 days and a year as 365 when it turns P1M/P1Y into time.
_DAYS_PER_MONTH = 30
_DAYS_PER_YEAR = 365


class TimeFormatError(ValueError):
    """A duration or date-time that is not ISO 8601 as Task Scheduler accepts it."""


def parse_duration(text: str) -> dt.timedelta:
    """``PT1H30M`` -> ``timedelta(hours=1, minutes=30)``; raises :class:`TimeFormatError`."""
    match = _DURATION.match(text.strip())
    if not match:
        raise TimeFormatError(f"'{text}' is not an ISO 8601 duration (e.g. PT15M, PT1H, P1D)")
    parts = {key: float(value) if value else 0.0 for key, value in match.groupdict().items()}
    days = parts["years"] * _DAYS_PER_YEAR + parts["months"] * _DAYS_PER_MONTH + parts["weeks"] * 7 + parts["days"]
    return dt.timedelta(days=days, hours=parts["hours"], minutes=parts["minutes"], seconds=parts["seconds"])


def format_duration(value: dt.timedelta) -> str:
    """The canonical ISO 8601 form: ``P1DT2H``, ``PT15M``, ``PT0S``; whole seconds only."""
    total = int(value.total_seconds())
    if total < 0:
        raise TimeFormatError(f"negative duration {value}")
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    date_part = f"{days}D" if days else ""
    time_part = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if amount)
    if not date_part and not time_part:
        return "PT0S"
    return "P" + date_part + ("T" + time_part if time_part else "")


def parse_boundary(text: str) -> dt.datetime:
    """A StartBoundary/EndBoundary: naive (host-local) or aware (offset/``Z``, zone-synchronised).

    Windows writes up to 7 fractional digits; Python keeps 6, which is below anything a
    trigger can distinguish.
    """
    match = _BOUNDARY.match(text.strip())
    if not match:
        raise TimeFormatError(f"'{text}' is not an ISO 8601 date-time (e.g. 2026-01-01T06:00:00, or with Z/+01:00)")
    clock = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
    fraction = (match["fraction"] or "")[:7].ljust(7, "0")[1:7] if match["fraction"] else ""
    zone = match["zone"] or ""
    if zone == "Z":
        zone = "+00:00"
    try:
        return dt.datetime.fromisoformat(f"{match['date']}T{clock}{'.' + fraction if fraction else ''}{zone}")
    except ValueError as error:
        raise TimeFormatError(f"'{text}' is not a valid date-time: {error}") from None


def format_boundary(value: dt.datetime) -> str:
    """``2026-01-01T06:00:00`` (host-local) or ``2026-01-01T06:00:00+01:00`` / ``...Z``."""
    text = value.replace(microsecond=0).isoformat() if not value.microsecond else value.isoformat()
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        text = text[: -len("+00:00")] + "Z"
    return text
