# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one thing a host offers: a JSON request in, a JSON response out (docs/host-contract.md).

Both hosts (``winrm``, ``directory``) answer every op through ``call``; the request's ``op``
says which. The typed messages around it are ``contract``'s; a host sees only JSON.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["HostCaller"]


class HostCaller(Protocol):
    """What the actions and the use case need from a host: one JSON request in, one JSON response out."""

    def call(self, request: dict[str, Any]) -> dict[str, Any]: ...
