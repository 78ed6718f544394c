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
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BackupFolder", "working_directory_path"]


def working_directory_path(path: str) -> str:
    """``path`` on the controller, ``~`` expanded; a relative one from where ansible-playbook runs."""
    # A relative shop_sync_template_dir is a folder of the inventory repository, taken from
    # where ansible-playbook runs: the project's checkout under AWX (ansible-runner runs a
    # playbook there; AWX's inventory is a generated script elsewhere), the repository's
    # root on a workstation.
    return os.path.abspath(os.path.expanduser(path))


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
        with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as stream:
            stream.write(content)
        os.chmod(target, 0o600)  # a file left by an earlier run keeps its mode through O_CREAT
        return target
