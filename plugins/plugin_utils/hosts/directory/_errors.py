# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows error codes and texts the directory host answers with, and its exceptions.

A change the directory host turns down carries the HRESULT a real Windows host would give for
the same cause, with Windows' own English text, so the controller's messages read the same
whichever host produced them.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostUnreachable

__all__ = [
    "WinError",
    "E_ACCESS_DENIED",
    "E_FILE_NOT_FOUND",
    "E_PATH_NOT_FOUND",
    "E_DISK_FULL",
    "E_INVALID_NAME",
    "E_ALREADY_EXISTS",
    "E_DIRECTORY",
    "E_INVALIDARG",
    "E_LOGON_FAILURE",
    "E_NONE_MAPPED",
    "E_REQUEST_REFUSED",
    "SCHED_E_UNEXPECTEDNODE",
    "SCHED_E_NAMESPACE",
    "SCHED_E_INVALIDVALUE",
    "SCHED_E_MISSINGNODE",
    "SCHED_E_MALFORMEDXML",
    "SCHED_E_ALREADY_RUNNING",
    "SCHED_E_TASK_DISABLED",
    "SCHED_S_TASK_RUNNING",
    "SCHED_S_TASK_HAS_NOT_RUN",
    "ChangeRefused",
    "ChangeFailed",
    "RequestError",
    "HostConnectionError",
    "windows_error_of",
]


@dataclass(frozen=True)
class WinError:
    """An HRESULT and the text Windows shows for it."""

    code: int
    text: str

    def describe(self, detail: str) -> str:
        """Windows' text, then what it is about: the message a result carries."""
        return f"{self.text} ({detail})" if detail else self.text


E_FILE_NOT_FOUND = WinError(0x80070002, "The system cannot find the file specified.")
E_PATH_NOT_FOUND = WinError(0x80070003, "The system cannot find the path specified.")
E_ACCESS_DENIED = WinError(0x80070005, "Access is denied.")
E_INVALIDARG = WinError(0x80070057, "The parameter is incorrect.")
E_DISK_FULL = WinError(0x80070070, "There is not enough space on the disk.")
E_INVALID_NAME = WinError(0x8007007B, "The filename, directory name, or volume label syntax is incorrect.")
E_ALREADY_EXISTS = WinError(0x800700B7, "Cannot create a file when that file already exists.")
E_DIRECTORY = WinError(0x8007010B, "The directory name is invalid.")
E_LOGON_FAILURE = WinError(0x8007052E, "The user name or password is incorrect.")
E_NONE_MAPPED = WinError(0x80070534, "No mapping between account names and security IDs was done.")
E_REQUEST_REFUSED = WinError(0x800710E0, "The operator or administrator has refused the request.")
SCHED_E_UNEXPECTEDNODE = WinError(0x80041316, "The task XML contains an unexpected node.")
SCHED_E_NAMESPACE = WinError(0x80041317, "The task XML contains an element or attribute from an unexpected namespace.")
SCHED_E_INVALIDVALUE = WinError(0x80041318, "The task XML contains a value which is incorrectly formatted or out of range.")
SCHED_E_MISSINGNODE = WinError(0x80041319, "The task XML is missing a required element or attribute.")
SCHED_E_MALFORMEDXML = WinError(0x8004131A, "The task XML is malformed.")
SCHED_E_ALREADY_RUNNING = WinError(0x8004131F, "An instance of this task is already running.")
SCHED_E_TASK_DISABLED = WinError(0x80041326, "The task is disabled.")
# Last-result values (success HRESULTs) Task Scheduler reports for a task's runtime state.
SCHED_S_TASK_RUNNING = 0x00041301
SCHED_S_TASK_HAS_NOT_RUN = 0x00041303

_ERRNO_ERRORS: Mapping[int, WinError] = {
    errno.ENOENT: E_PATH_NOT_FOUND,
    errno.ENOTDIR: E_PATH_NOT_FOUND,
    errno.EACCES: E_ACCESS_DENIED,
    errno.EPERM: E_ACCESS_DENIED,
    errno.EROFS: E_ACCESS_DENIED,
    errno.EISDIR: E_ACCESS_DENIED,
    errno.ENOSPC: E_DISK_FULL,
    errno.EDQUOT: E_DISK_FULL,
    errno.EEXIST: E_ALREADY_EXISTS,
    errno.ENAMETOOLONG: E_INVALID_NAME,
}


def windows_error_of(error: OSError) -> WinError:
    """The Windows error a file-system failure on the image stands for."""
    known = _ERRNO_ERRORS.get(error.errno or 0)
    if known is not None:
        return known
    # An errno with no Windows counterpart keeps its own text, under the generic E_FAIL code.
    return WinError(0x80004005, error.strerror or "Unspecified error")


class ChangeRefused(Exception):
    """A precondition of a change failed; nothing was written (status ``refused``)."""

    def __init__(self, error: WinError | None, message: str) -> None:
        super().__init__(message)
        self.error_code = None if error is None else error.code
        self.message = message


class ChangeFailed(Exception):
    """The write was attempted and failed; nothing was written (status ``failed``)."""

    def __init__(self, error: WinError, detail: str) -> None:
        super().__init__(error.describe(detail))
        self.error_code = error.code
        self.message = error.describe(detail)


class RequestError(ValueError):
    """A request the host cannot serve at all (answered ``{"failed": true, "msg": ...}``)."""


class HostConnectionError(HostUnreachable):
    """The connection to the host was lost in the middle of an ``apply`` (an injected fault).

    ``results`` holds the results of the changes processed before the loss (their writes are
    on the host); ``lost_at`` is the id of the change that was not applied, and no later change
    was applied either.
    """

    def __init__(self, message: str, *, results: tuple[dict[str, Any], ...], lost_at: str) -> None:
        super().__init__(message)
        self.results = results
        self.lost_at = lost_at
