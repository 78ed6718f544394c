# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two ways a host call fails as a whole, shared by every host.

An action turns :class:`HostUnreachable` into ``unreachable: true`` and :class:`HostError` into
``failed: true`` with the message; catch :class:`HostUnreachable` first, it is a
:class:`HostError` too, so code that only cares "did the host answer?" can catch the base.
A single change the host turns down is not an exception: it is a ``refused`` or ``failed``
result inside a successful ``apply``.
"""

from __future__ import annotations

__all__ = ["HostError", "HostUnreachable"]


class HostError(Exception):
    """The host could not serve a request: the module failed, or the request was not sent."""


class HostUnreachable(HostError):
    """The connection to the host failed before or while it served a request."""
