# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-host results a drift report writes as JSON, and the fleet report merged from slices."""

from __future__ import annotations

import dataclasses
import enum
import json
import typing

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report import (
    FleetReport,
    HostReport,
    JobState,
    JobStatus,
    render_junit,
    render_markdown,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report.data import FORMAT, MergeError, merge_documents, ordered_hosts, report_document
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report.html import render_html


def every_field_set(cls: type[typing.Any], seed: int) -> typing.Any:
    """An instance whose every field holds a value other than its default, whatever the fields
    are: a field added later is carried through the JSON too, or this fails."""
    values = {}
    hints = typing.get_type_hints(cls)
    for item in dataclasses.fields(cls):
        values[item.name] = _sample(hints[item.name], f"{item.name}-{seed}", seed)
    return cls(**values)


def _sample(hint: object, text: str, seed: int) -> object:
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if arguments and type(None) in arguments:
        [hint] = [argument for argument in arguments if argument is not type(None)]
        return _sample(hint, text, seed)
    if origin is tuple:
        return (_sample(arguments[0], f"{text}.0", seed), _sample(arguments[0], f"{text}.1", seed + 1))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = list(hint)
        return members[seed % len(members)]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return every_field_set(hint, seed)
    if hint is bool:
        return True
    if hint is int:
        return 0x41300 + seed
    if hint is str:
        return f"{text} <&> \\x1b"
    raise AssertionError(f"no sample for {hint}: teach this test (and report_data) the new type")


def report(*hosts: HostReport, generated: str = "2026-12-03T06:00:00+01:00", **fields: typing.Any) -> FleetReport:
    return FleetReport(hosts=hosts, generated=generated, **fields)


def through_json(value: FleetReport) -> object:
    return json.loads(json.dumps(report_document(value)))


def test_every_field_of_every_host_and_job_survives_the_json() -> None:
    hosts = tuple(
        HostReport(host=f"shop{index}", jobs=(every_field_set(JobStatus, index), every_field_set(JobStatus, index + 1)), errors=("x",)) for index in range(3)
    )
    original = report(*hosts, enforce=True, title="Fleet <1>", limit=None)
    merged = merge_documents([("slice-1", through_json(original))])
    assert merged == original
    assert render_html(merged) == render_html(original) and render_markdown(merged) == render_markdown(original)


def test_the_slices_make_the_report_of_one_run_hosts_by_name_as_old_as_the_oldest_slice() -> None:
    a, b, c = (
        HostReport(host=name, jobs=(JobStatus(name="Synchro Stock", state=JobState.DRIFTED, changes=("x: 1 -> 2",)),)) for name in ("shopA", "shopB", "shopc")
    )
    whole = report(a, b, c, generated="2026-12-03T06:00:00+01:00")
    first = report(a, c, generated="2026-12-03T06:00:05+01:00")
    second = report(b, generated="2026-12-03T05:00:03+00:00")  # the same morning, 2 s earlier, on a node in UTC
    merged = merge_documents([("1", through_json(first)), ("2", through_json(second))], expect_hosts=["shopA", "shopB", "shopc"])
    assert merged.hosts == whole.hosts and merged.generated == "2026-12-03T05:00:03+00:00"
    assert render_junit(dataclasses.replace(merged, generated=whole.generated)) == render_junit(whole)


def test_the_order_is_the_names_letter_case_aside() -> None:
    assert [host.host for host in ordered_hosts(HostReport(host=name) for name in ("shop10", "Shop02", "shop01"))] == ["shop01", "Shop02", "shop10"]


def test_a_host_of_the_inventory_no_slice_reported_could_not_be_checked() -> None:
    merged = merge_documents([("/r/41/hosts.json", through_json(report(HostReport(host="shopA"))))], expect_hosts=["shopA", "shopB"])
    assert merged.hosts[1] == HostReport(host="shopB", errors=("not checked: no slice of the sliced job reported it (shop_sync_merge_dirs: /r/41/hosts.json)",))


def test_a_limited_run_expects_only_the_hosts_it_checked() -> None:
    merged = merge_documents([("1", through_json(report(HostReport(host="shopA"), limit="shopA")))], expect_hosts=["shopA", "shopB"])
    assert [host.host for host in merged.hosts] == ["shopA"] and merged.limit == "shopA"


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        pytest.param([], "no slice to merge: shop_sync_merge_dirs is empty", id="nothing"),
        pytest.param(
            [("1", through_json(report(HostReport(host="shopA")))), ("2", through_json(report(HostReport(host="SHOPA"))))],
            "host 'SHOPA' is in two slices, 1 and 2",
            id="twice",
        ),
        pytest.param(
            [("1", through_json(report(enforce=True))), ("2", through_json(report()))], "the slices differ in enforce: true in 1, false in 2", id="modes"
        ),
        pytest.param([("1", through_json(report(limit="a"))), ("2", through_json(report()))], "the slices differ in limit: 'a' in 1, null in 2", id="limits"),
        pytest.param([("1", [])], "1: not the per-host results of a drift report", id="not an object"),
        pytest.param(
            [("1", {**report_document(report()), "shop_sync_report_format": FORMAT + 1})], "shop_sync_report_format is 2, this collection reads 1", id="format"
        ),
        pytest.param([("1", {**report_document(report()), "generated": "yesterday"})], "generated 'yesterday' is not an ISO 8601 time", id="time"),
        pytest.param([("1", {**report_document(report()), "hosts": [{"host": "a", "colour": 1}]})], "1: hosts[0]: unknown field(s) colour", id="unknown field"),
        pytest.param([("1", {**report_document(report()), "hosts": [{"jobs": []}]})], "1: hosts[0]: host is missing", id="no host name"),
        pytest.param(
            [("1", {**report_document(report()), "hosts": [{"host": "a", "jobs": [{"name": "j", "state": "lost"}]}]})],
            "1: hosts[0].jobs[0].state: 'lost' is not one of in_sync",
            id="unknown state",
        ),
        pytest.param(
            [("1", {**report_document(report()), "hosts": [{"host": "a", "jobs": [{"name": "j", "state": "in_sync", "last_result": True}]}]})],
            "1: hosts[0].jobs[0].last_result: a int is expected, got true",
            id="a boolean is no exit code",
        ),
    ],
)
def test_results_that_cannot_make_one_report_are_refused_naming_the_slice(documents: list[tuple[str, object]], message: str) -> None:
    with pytest.raises(MergeError, match=None) as caught:
        merge_documents(documents)
    assert message in str(caught.value)
