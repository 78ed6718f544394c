# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``settings`` of a task spec, read into :class:`model.Settings` and written back.

Private to :mod:`spec`. Every key is optional; an absent key keeps Windows' own default, and
the canonical spec lists only the keys whose value differs from it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    IdleSettings,
    MaintenanceSettings,
    MultipleInstances,
    NetworkSettings,
    RestartOnFailure,
    Settings,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import COMPATIBILITY_VERSIONS, duration_range, int_range, keys_at, option_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import Section, describe
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.timeutil import format_duration

__all__ = [
    "COMPATIBILITY_VERSIONS",
    "IDLE_KEYS",
    "MAINTENANCE_KEYS",
    "NETWORK_KEYS",
    "RESTART_KEYS",
    "SETTINGS_KEYS",
    "read_settings",
    "settings_spec",
]

# The option names are those of the task options' table.
BOOLEAN_SETTINGS = tuple(option.name for option in option_at("settings").suboptions if option.type == "bool")
SETTINGS_KEYS = keys_at("settings")
NETWORK_KEYS = keys_at("settings.network_profile")
IDLE_KEYS = keys_at("settings.idle_settings")
RESTART_KEYS = keys_at("settings.restart_on_failure")
MAINTENANCE_KEYS = keys_at("settings.maintenance")
_VERSION_NAMES = {version: name for name, version in COMPATIBILITY_VERSIONS.items()}
_MULTIPLE_INSTANCES = tuple(item.value for item in MultipleInstances)
_GUID = re.compile(r"^\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?$")
_DEFAULTS = Settings()
_RESTART_LOW, _RESTART_HIGH = duration_range("settings.restart_on_failure.interval")
_PERIOD_LOW = duration_range("settings.maintenance.period")[0]


def read_settings(section: Section | None) -> Settings:
    if section is None:
        return _DEFAULTS
    changes: dict[str, Any] = {name: section.flag(name, getattr(_DEFAULTS, name)) for name in BOOLEAN_SETTINGS}
    multiple = section.choice("multiple_instances", _MULTIPLE_INSTANCES, _DEFAULTS.multiple_instances.value)
    compatibility = section.choice("compatibility", tuple(COMPATIBILITY_VERSIONS), None)
    changes.update(
        multiple_instances=MultipleInstances(multiple),
        execution_time_limit=section.duration("execution_time_limit", _DEFAULTS.execution_time_limit),
        priority=section.integer("priority", *int_range("settings.priority"), _DEFAULTS.priority),
        delete_expired_task_after=section.duration("delete_expired_task_after", None),
        network_settings=_read_network(section),
        idle_settings=_read_idle(section),
        restart_on_failure=_read_restart(section),
        maintenance_settings=_read_maintenance(section),
        compatibility=COMPATIBILITY_VERSIONS[compatibility] if compatibility else None,
    )
    return replace(_DEFAULTS, **changes)


def _read_network(settings: Section) -> NetworkSettings | None:
    section = settings.child("network_profile", NETWORK_KEYS)
    if section is None:
        return None
    profile_id = section.text("id", None, non_empty=True)
    if profile_id is not None and not _GUID.match(profile_id):
        section.problem("id", f"{describe(profile_id)} is not a GUID (e.g. 8b0c9a3e-0d9b-4d3a-9d59-3f4f3c1a2b7e)")
    return NetworkSettings(name=section.text("name", None, non_empty=True), id=profile_id)


def _read_idle(settings: Section) -> IdleSettings:
    section = settings.child("idle_settings", IDLE_KEYS)
    defaults = IdleSettings()
    if section is None:
        return defaults
    return IdleSettings(
        duration=section.duration("duration", None),
        wait_timeout=section.duration("wait_timeout", None),
        stop_on_idle_end=section.flag("stop_on_idle_end", defaults.stop_on_idle_end),
        restart_on_idle=section.flag("restart_on_idle", defaults.restart_on_idle),
    )


def _read_restart(settings: Section) -> RestartOnFailure | None:
    section = settings.child("restart_on_failure", RESTART_KEYS)
    if section is None:
        return None
    for key in RESTART_KEYS:
        if not section.has(key):
            section.problem(key, "is required (e.g. restart_on_failure: {interval: 5m, count: 3})")
    interval = section.duration("interval", None, low=_RESTART_LOW, high=_RESTART_HIGH)
    count = section.integer("count", *int_range("settings.restart_on_failure.count"), None)
    if interval is None or count is None:
        return None
    return RestartOnFailure(interval=interval, count=count)


def _read_maintenance(settings: Section) -> MaintenanceSettings | None:
    section = settings.child("maintenance", MAINTENANCE_KEYS)
    if section is None:
        return None
    if not section.has("period"):
        at_least = f", at least {format_duration(_PERIOD_LOW)}" if _PERIOD_LOW is not None else ""
        section.problem("period", f"is required (how often the task must run during automatic maintenance{at_least})")
    period = section.duration("period", None, low=_PERIOD_LOW)
    deadline = section.duration("deadline", None, low=duration_range("settings.maintenance.deadline")[0])
    if period is not None and deadline is not None and deadline <= period:
        section.problem("deadline", f"{describe(section.raw('deadline'))} must be longer than the period {format_duration(period)}")
    exclusive = section.flag("exclusive", False)
    if period is None:
        return None
    return MaintenanceSettings(period=period, deadline=deadline, exclusive=exclusive)


def settings_spec(settings: Settings) -> dict[str, object]:
    """The canonical spec of the settings: the keys whose value is not Windows' default."""
    spec: dict[str, object] = {}
    if settings.multiple_instances is not _DEFAULTS.multiple_instances:
        spec["multiple_instances"] = settings.multiple_instances.value
    for name in BOOLEAN_SETTINGS:
        if getattr(settings, name) != getattr(_DEFAULTS, name):
            spec[name] = getattr(settings, name)
    if settings.network_settings is not None:
        network = settings.network_settings
        spec["network_profile"] = {key: value for key, value in (("name", network.name), ("id", network.id)) if value is not None}
    idle = _idle_spec(settings.idle_settings)
    if idle:
        spec["idle_settings"] = idle
    if settings.execution_time_limit != _DEFAULTS.execution_time_limit:
        spec["execution_time_limit"] = format_duration(settings.execution_time_limit)
    if settings.priority != _DEFAULTS.priority:
        spec["priority"] = settings.priority
    if settings.delete_expired_task_after is not None:
        spec["delete_expired_task_after"] = format_duration(settings.delete_expired_task_after)
    if settings.restart_on_failure is not None:
        restart = settings.restart_on_failure
        spec["restart_on_failure"] = {"interval": format_duration(restart.interval), "count": restart.count}
    if settings.maintenance_settings is not None:
        spec["maintenance"] = _maintenance_spec(settings.maintenance_settings)
    if settings.compatibility is not None:
        spec["compatibility"] = _VERSION_NAMES.get(settings.compatibility, settings.compatibility)
    return spec


def _idle_spec(idle: IdleSettings) -> dict[str, object]:
    defaults = IdleSettings()
    spec: dict[str, object] = {}
    if idle.duration is not None:
        spec["duration"] = format_duration(idle.duration)
    if idle.wait_timeout is not None:
        spec["wait_timeout"] = format_duration(idle.wait_timeout)
    if idle.stop_on_idle_end != defaults.stop_on_idle_end:
        spec["stop_on_idle_end"] = idle.stop_on_idle_end
    if idle.restart_on_idle != defaults.restart_on_idle:
        spec["restart_on_idle"] = idle.restart_on_idle
    return spec


def _maintenance_spec(maintenance: MaintenanceSettings) -> dict[str, object]:
    spec: dict[str, object] = {"period": format_duration(maintenance.period)}
    if maintenance.deadline is not None:
        spec["deadline"] = format_duration(maintenance.deadline)
    if maintenance.exclusive:
        spec["exclusive"] = True
    return spec
