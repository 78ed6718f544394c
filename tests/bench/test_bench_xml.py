# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (``make bench``): render and parse back 1,000 task definitions.

A host with a few hundred sync jobs is read and planned in one run; this measures the XML part
of that for 1,000 tasks of the kind the collection manages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from pytest_benchmark.fixture import BenchmarkFixture

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    DailyTrigger,
    ExecAction,
    LogonType,
    MonthlyTrigger,
    Principal,
    RegistrationInfo,
    Repetition,
    RestartOnFailure,
    Settings,
    TaskDefinition,
    WeeklyTrigger,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import encode_for_host, parse_xml, render_xml

TASKS = 1000


def sync_task(number: int) -> TaskDefinition:
    """The n-th of a thousand synchro.bat tasks, each a little different from the others."""
    start = dt.datetime(2020, 1, 1, number % 24, number % 60)
    triggers = (
        DailyTrigger(start_boundary=start, repetition=Repetition(interval=dt.timedelta(minutes=15 + number % 45))),
        WeeklyTrigger(start_boundary=start, days_of_week=frozenset({"monday", "thursday"})),
        MonthlyTrigger(start_boundary=start, days_of_month=frozenset({1 + number % 28}), last_day_of_month=True),
    )[: 1 + number % 3]
    return TaskDefinition(
        name=f"Synchro {number:04d}",
        folder="\\Isotools",
        registration_info=RegistrationInfo(description=f"ERP -> shop sync n°{number} & prices", source="isotools.shop_sync"),
        triggers=triggers,
        principal=Principal(user_id=f"SHOP\\svc_sync{number % 7}", logon_type=LogonType.PASSWORD),
        settings=Settings(
            start_when_available=True,
            execution_time_limit=dt.timedelta(hours=1 + number % 4),
            restart_on_failure=RestartOnFailure(interval=dt.timedelta(minutes=5), count=3) if number % 2 else None,
        ),
        actions=(
            ExecAction(
                command="C:\\Windows\\System32\\cmd.exe",
                arguments="/k synchro.bat & exit",
                working_directory=f"D:\\Isotools\\Synchro_prod\\localhost\\synchrof{number:05d}\\",
            ),
        ),
    )


DEFINITIONS = [sync_task(number) for number in range(TASKS)]


def render_and_parse_all() -> list[TaskDefinition]:
    return [parse_xml(encode_for_host(render_xml(definition)), name=definition.name, folder=definition.folder) for definition in DEFINITIONS]


def test_render_and_parse_1000_definitions(benchmark: BenchmarkFixture) -> None:
    # pytest-benchmark ships without type hints.
    read_back = benchmark.pedantic(render_and_parse_all, rounds=5, iterations=1, warmup_rounds=1)  # type: ignore[no-untyped-call]
    assert [dataclasses.replace(definition, version=None) for definition in read_back] == DEFINITIONS
