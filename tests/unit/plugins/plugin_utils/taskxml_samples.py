# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Definitions and comparisons shared by the Task Scheduler XML tests."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    DailyTrigger,
    ExecAction,
    LogonType,
    Principal,
    TaskDefinition,
)

__all__ = ["SEED_TASK", "by_meaning"]

# The task of the Isotools procedure (seed-isotools-kb-synchronisations.txt): cmd.exe running
# synchro.bat in its folder every day, as an account that runs whether or not anyone is logged on.
SEED_TASK = TaskDefinition(
    name="Synchro Stock",
    folder="\\Isotools",
    triggers=(DailyTrigger(start_boundary=dt.datetime(2020, 1, 1, 6, 0)),),
    principal=Principal(user_id="svc_sync", logon_type=LogonType.PASSWORD),
    actions=(
        ExecAction(
            command="C:\\Windows\\System32\\cmd.exe",
            arguments="/k synchro.bat & exit",
            working_directory="D:\\Isotools\\Synchro_prod\\localhost\\synchrof00001\\",
        ),
    ),
)


def by_meaning(definition: TaskDefinition) -> TaskDefinition:
    """The definition without what is not meaning: Task/@version, and the Date and URI Windows fills in."""
    registration = dataclasses.replace(definition.registration_info, date=None, uri=None)
    return dataclasses.replace(definition, version=None, registration_info=registration)
