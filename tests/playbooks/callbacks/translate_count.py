# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: how many times each host's jobs are translated in one playbook run.

A callback is loaded in ansible-playbook's own process before any task runs, and each task's
worker is forked from it: wrapping the core's ``translate_jobs`` here counts every translation,
whichever process, action or filter makes it. Each call appends its host to the file
``SHOP_SYNC_TRANSLATE_COUNT`` names, one line a call. Enabled with ``ANSIBLE_CALLBACK_PLUGINS``
(this folder) and ``ANSIBLE_CALLBACKS_ENABLED=translate_count``.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: translate_count
type: aggregate
short_description: How many times each host's jobs are translated (test only)
description:
  - Appends the host of each call of the jobs translation to the file SHOP_SYNC_TRANSLATE_COUNT names.
"""


def _counting(translate: Any) -> Any:
    @functools.wraps(translate)
    def counted(jobs: object, defaults: object, host: str, **options: Any) -> Any:
        # One write a call, appended: the forked workers share the file, not this process's memory.
        with open(os.environ["SHOP_SYNC_TRANSLATE_COUNT"], "a", encoding="utf-8") as stream:
            stream.write(f"{host}\n")
        return translate(jobs, defaults, host, **options)

    return counted


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "translate_count"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        # Imported here, where the collection loader is in place. Every caller (the role's check
        # action, the filters) reaches it through resolve_jobs, which looks it up in its module.
        from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs import inventory

        inventory.translate_jobs = _counting(inventory.translate_jobs)
