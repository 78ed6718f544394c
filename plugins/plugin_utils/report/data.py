# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A drift report's per-host results as JSON data, and one fleet report merged from several.

AWX job slicing runs the drift playbook as several jobs, each over part of the inventory, each
writing its own report. Each also writes its per-host results, :func:`report_document` of its
:class:`~report.FleetReport` field for field, as ``hosts.json`` beside it; :func:`merge_documents`
builds from those of every slice the report one run over the whole fleet would have written, so
that the renderers make the same HTML, Markdown and JUnit of it. The fields are read and written
by the dataclasses' own declarations, so a field added to :class:`~report.JobStatus` travels
without a change here (a type this module cannot read fails its test). Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Iterable, Mapping, Sequence

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report import FleetReport, HostReport
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe, quoted

__all__ = ["FORMAT", "MergeError", "merge_documents", "ordered_hosts", "report_document"]

# The version of the document; a merge refuses one of another version rather than guess.
FORMAT = 1
_FORMAT_KEY = "shop_sync_report_format"
_REPORT_FIELDS = ("generated", "enforce", "title", "limit")


class MergeError(ValueError):
    """The slices' results cannot make one report; the message names the slice and the field."""


def ordered_hosts(hosts: Iterable[HostReport]) -> tuple[HostReport, ...]:
    """The hosts in the order every report lists them: by name, as AWX orders an inventory's
    hosts before it slices them, so a sliced run and an unsliced one list them alike."""
    return tuple(sorted(hosts, key=lambda host: (host.host.casefold(), host.host)))


def report_document(report: FleetReport) -> dict[str, object]:
    """The report as JSON data: every field of the report and of each host and job."""
    document: dict[str, object] = {_FORMAT_KEY: FORMAT}
    document.update((name, _dump(getattr(report, name))) for name in _REPORT_FIELDS)
    document["hosts"] = [_dump(host) for host in report.hosts]
    return document


def merge_documents(documents: Sequence[tuple[str, object]], expect_hosts: Sequence[str] | None = None) -> FleetReport:
    """One report of the ``(source, document)`` of every slice: their hosts by name, generated
    at the oldest slice's time (the report is as old as its oldest part). Each host of
    ``expect_hosts`` (the inventory's) that no slice reported is a host that could not be
    checked: a slice that died before writing its results must not leave its hosts out.

    Raises :class:`MergeError` when a document cannot be read, when the slices disagree on the
    mode, title or limit, or when two slices reported the same host."""
    if not documents:
        raise MergeError("no slice to merge: shop_sync_merge_dirs is empty")
    settings: dict[str, dict[str, object]] = {}
    hosts: dict[str, tuple[str, HostReport]] = {}
    for source, document in documents:
        fields = _document_fields(source, document)
        settings[source] = {name: fields[name] for name in _REPORT_FIELDS}
        for index, data in enumerate(_list(fields["hosts"], f"{source}: hosts")):
            host = _load(HostReport, data, f"{source}: hosts[{index}]")
            seen = hosts.get(host.host.casefold())
            if seen is not None:
                raise MergeError(f"host '{host.host}' is in two slices, {seen[0]} and {source}: merge the slices of one run only")
            hosts[host.host.casefold()] = (source, host)
    first_source, first = next(iter(settings.items()))
    for name in ("enforce", "title", "limit"):
        for source, values in settings.items():
            if values[name] != first[name]:
                raise MergeError(f"the slices differ in {name}: {describe(first[name])} in {first_source}, {describe(values[name])} in {source}")
    # A limited run checked part of the inventory on purpose: the rest is not missing.
    if expect_hosts is not None and first["limit"] is None:
        looked = ", ".join(source for source, _document in documents)
        for name in expect_hosts:
            if name.casefold() not in hosts:
                missing = HostReport(host=name, errors=(f"not checked: no slice of the sliced job reported it (shop_sync_merge_dirs: {looked})",))
                hosts[name.casefold()] = ("", missing)
    return FleetReport(
        hosts=ordered_hosts(host for _source, host in hosts.values()),
        generated=min((str(values["generated"]) for values in settings.values()), key=_instant),
        enforce=bool(first["enforce"]),
        title=str(first["title"]),
        limit=None if first["limit"] is None else str(first["limit"]),
    )


def _document_fields(source: str, document: object) -> dict[str, object]:
    if not isinstance(document, Mapping):
        raise MergeError(f"{source}: not the per-host results of a drift report (a JSON object is expected)")
    if document.get(_FORMAT_KEY) != FORMAT:
        found = document.get(_FORMAT_KEY)
        raise MergeError(f"{source}: {_FORMAT_KEY} is {describe(found)}, this collection reads {FORMAT}: merge the slices with the collection that wrote them")
    hints = typing.get_type_hints(FleetReport)
    fields = {name: _value(hints[name], document.get(name), f"{source}: {name}") for name in _REPORT_FIELDS}
    fields["hosts"] = document.get("hosts")
    return fields


def _instant(generated: str) -> dt.datetime:
    # Each slice's controller writes its local time with its offset (2026-11-28T06:00:00+01:00):
    # compared as instants, whatever offsets the execution nodes have.
    try:
        instant = dt.datetime.fromisoformat(generated)
    except ValueError:
        raise MergeError(f"generated {quoted(generated)} is not an ISO 8601 time") from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=dt.timezone.utc)


def _dump(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _dump(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_dump(item) for item in value]
    return value


_T = typing.TypeVar("_T")


def _load(cls: type[_T], data: object, where: str) -> _T:
    if not isinstance(data, Mapping):
        raise MergeError(f"{where}: a JSON object is expected")
    names = {item.name for item in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(str(key) for key in data if key not in names)
    if unknown:
        raise MergeError(f"{where}: unknown field(s) {', '.join(unknown)} (written by another version of the collection?)")
    hints = typing.get_type_hints(cls)
    values = {}
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        if item.name in data:
            values[item.name] = _value(hints[item.name], data[item.name], f"{where}.{item.name}")
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            raise MergeError(f"{where}: {item.name} is missing")
    return cls(**values)


def _value(hint: object, value: object, where: str) -> object:
    """``value`` read from JSON as the field's type says: text, whole numbers, booleans, enums,
    dataclasses, tuples of them, and ``X | None``."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in arguments:
            return None
        [hint] = [argument for argument in arguments if argument is not type(None)]
        return _value(hint, value, where)
    if origin is tuple:
        return tuple(_value(arguments[0], item, f"{where}[{index}]") for index, item in enumerate(_list(value, where)))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise MergeError(f"{where}: {describe(value)} is not one of {', '.join(str(member.value) for member in hint)}") from None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _load(hint, value, where)
    if hint in (str, int, bool):
        # bool is an int to Python, not to the report: a true last_result is no exit code.
        if isinstance(value, bool) is (hint is bool) and isinstance(value, hint):
            return value
        raise MergeError(f"{where}: a {getattr(hint, '__name__', hint)} is expected, got {describe(value)}")
    raise MergeError(f"{where}: the collection cannot read a field of type {hint}")


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise MergeError(f"{where}: a JSON list is expected")
    return value
