# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the tests ask of a message shown to a user: :func:`assert_copyable`."""

from __future__ import annotations

from collections.abc import Mapping


def texts(value: object) -> list[str]:
    """Every string in ``value`` (jobs and options as the user wrote them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in texts(item)]
    return []


def assert_copyable(message: str, given: object) -> None:
    """Each path or value of ``given`` that ``message`` shows is shown as written, so that it can
    be copied back: never with JSON's (or repr's) two backslashes for one."""
    for text in texts(given):
        if "\\" in text:
            assert text.strip().replace("\\", "\\\\") not in message, message
