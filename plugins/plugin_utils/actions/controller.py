# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's files, as the pure core asks for them through its callers.

:func:`working_directory_path` is the ``absolute_path`` the filters and the role's check give
:func:`plugin_utils.jobs.inventory.resolve_jobs`. A path taken from the playbook's directory is
:func:`plugin_utils.actions.select.controller_path`.
"""

from __future__ import annotations

import os

__all__ = ["working_directory_path"]


def working_directory_path(path: str) -> str:
    """``path`` on the controller, ``~`` expanded; a relative one from where ansible-playbook runs."""
    # A relative shop_sync_template_dir is a folder of the inventory repository, taken from
    # where ansible-playbook runs: the project's checkout under AWX (ansible-runner runs a
    # playbook there; AWX's inventory is a generated script elsewhere), the repository's
    # root on a workstation.
    return os.path.abspath(os.path.expanduser(path))
