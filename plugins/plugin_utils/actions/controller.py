# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's files, as the pure core asks for them through its callers.

:func:`working_directory_path` is the ``absolute_path`` the filters and the role's check give
:func:`plugin_utils.jobs.inventory.resolve_jobs`; :class:`BackupFolder` is the
:class:`plugin_utils.sync.BackupFiles` ``win_sync_jobs`` gives :func:`plugin_utils.sync.sync`.
A path taken from the playbook's directory is :func:`plugin_utils.actions.select.controller_path`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BackupFolder", "working_directory_path", "write_atomically"]


def working_directory_path(path: str) -> str:
    """``path`` on the controller, ``~`` expanded; a relative one from where ansible-playbook runs."""
    # A relative shop_sync_template_dir is a folder of the inventory repository, taken from
    # where ansible-playbook runs: the project's checkout under AWX (ansible-runner runs a
    # playbook there; AWX's inventory is a generated script elsewhere), the repository's
    # root on a workstation.
    return os.path.abspath(os.path.expanduser(path))


def write_atomically(path: str, content: bytes, *, mode: int) -> None:
    """``content`` as the file ``path`` with ``mode``: readers see the earlier file or the new one,
    never half of one, and a write that fails (a full disk) leaves the earlier file as it was."""
    # mkstemp's file is the controller user's only (0o600) until it is whole, whatever the umask.
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


@dataclass(frozen=True)
class BackupFolder:
    """A run's backups under ``path`` on the controller, readable by the controller's user only."""

    path: str

    def write(self, name: Sequence[str], content: bytes) -> str:
        """``content`` as the file ``name`` (its folders, then its file name) under :attr:`path`; its path."""
        target = os.path.join(self.path, *name)
        # Readable by the controller's user only, whatever the umask: a backup holds what a
        # sensitive script must not show, and the previous task's XML. Its folder is 0o700 too.
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        write_atomically(target, content, mode=0o600)
        return target
