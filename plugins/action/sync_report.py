# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of ``isotools.shop_sync.sync_report``: write the drift report on the controller.

Documentation: plugins/modules/sync_report.py. The report itself is made by the pure
:mod:`plugin_utils.report` and :mod:`plugin_utils.report.html`; this action only reads its
options, writes the files (each atomically) and returns the counts. With ``merge`` it reads the
per-host results (``hosts.json``) the reports of a sliced job's slices wrote beside them instead
of ``hosts``, and writes the one report of the fleet (:mod:`plugin_utils.report.data`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from typing import Any

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.validation import check_type_list
from ansible.plugins.action import ActionBase

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.controller import write_atomically
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.support import inert
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report import (
    FailOn,
    FleetReport,
    host_failures,
    host_report,
    render_junit,
    render_markdown,
    summarize,
    summary_lines,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report.data import MergeError, merge_documents, ordered_hosts, report_document
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.report.html import render_html

ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "dest": {"type": "path", "required": True},
    "hosts": {
        "type": "list",
        "elements": "dict",
        "options": {
            "host": {"type": "str", "required": True},
            "jobs": {"type": "dict"},
            "info": {"type": "dict"},
            "accepted_extras": {"type": "list", "elements": "str", "default": []},
        },
    },
    # The same, as hostvars holds it: what the drift playbook gives with no task per host.
    "results": {"type": "dict"},
    "accepted_extras": {"type": "dict"},
    "enforce": {"type": "bool", "default": False},
    "title": {"type": "str", "default": "Isotools sync jobs: drift report"},
    "limit": {"type": "str"},
    "fail_on_drift": {"type": "bool", "default": False},
    "fail_on_failed_runs": {"type": "bool", "default": False},
    "fail_on_stale": {"type": "bool", "default": False},
    "merge": {"type": "list", "elements": "path"},
    "expect_hosts": {"type": "list", "elements": "str"},
}
# One of hosts, results (with accepted_extras) and merge.
MUTUALLY_EXCLUSIVE = [["hosts", "results"], ["hosts", "accepted_extras"], ["hosts", "merge"], ["results", "merge"], ["merge", "limit"], ["merge", "enforce"]]
REQUIRED_ONE_OF = [["hosts", "results", "merge"]]
FILE_NAMES = {"html": "report.html", "markdown": "summary.md", "junit": "junit.xml", "results": "hosts.json"}


class ActionModule(ActionBase):
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        args = self.validate_argument_spec(
            ARGUMENT_SPEC, mutually_exclusive=MUTUALLY_EXCLUSIVE, required_one_of=REQUIRED_ONE_OF, required_by={"expect_hosts": "merge"}
        )[1]
        generated = dt.datetime.now(dt.timezone.utc)
        if args["merge"] is not None:
            report = merged_report(args["merge"], args["expect_hosts"])
        else:
            enforce = bool(args["enforce"])
            report = FleetReport(
                hosts=ordered_hosts(
                    host_report(str(entry["host"]), entry.get("jobs"), entry.get("info"), enforce=enforce, accepted_extras=tuple(entry["accepted_extras"]))
                    for entry in (args["hosts"] if args["hosts"] is not None else host_entries(args["results"], args["accepted_extras"] or {}))
                ),
                generated=generated.astimezone().isoformat(timespec="seconds"),
                enforce=enforce,
                title=str(args["title"]),
                limit=args["limit"],
            )
        dest = report_folder(str(args["dest"]), report.limit, generated)
        counts = summarize(report)
        files = {kind: os.path.join(dest, name) for kind, name in FILE_NAMES.items()}
        result.update(
            changed=True,
            dest=dest,
            files=files,
            counts=counts.as_dict(),
            drift=counts.drift,
            summary=summary_lines(report),
            failures=host_failures(report, FailOn(drift=args["fail_on_drift"], failed_runs=args["fail_on_failed_runs"], stale=args["fail_on_stale"])),
        )
        if self._task.check_mode:
            result["msg"] = f"check mode: the report would be written to {dest}"
            return inert(result)
        contents = {
            "html": render_html(report),
            "markdown": render_markdown(report),
            "junit": render_junit(report),
            "results": json.dumps(report_document(report), indent=1, sort_keys=True) + "\n",
        }
        try:
            os.makedirs(dest, exist_ok=True)
            for kind, text in contents.items():
                write_atomically(files[kind], text.encode("utf-8"), mode=0o644)
        except OSError as error:
            raise AnsibleActionFail(f"the report could not be written to {dest}: {error}") from None
        result["msg"] = f"report written to {files['html']}"
        return inert(result)


def merged_report(folders: list[str], expect_hosts: list[str] | None) -> FleetReport:
    """The fleet's report from the ``hosts.json`` of each slice's report folder."""
    documents = []
    for path in (result for folder in folders for result in slice_results(folder)):
        try:
            with open(path, encoding="utf-8") as stream:
                documents.append((path, json.load(stream)))
        except (OSError, ValueError) as error:
            raise AnsibleActionFail(f"shop_sync_merge_dirs: the results of a slice could not be read ({path}): {error}") from None
    try:
        return merge_documents(documents, expect_hosts)
    except MergeError as error:
        raise AnsibleActionFail(f"shop_sync_merge_dirs: {error}") from None


def slice_results(folder: str) -> list[str]:
    """The ``hosts.json`` of a slice's report folder or, for the folder of a sliced job whose
    slices each wrote to a folder of their own in it, of each of those."""
    full = os.path.abspath(os.path.expanduser(folder))
    own = os.path.join(full, FILE_NAMES["results"])
    if os.path.isfile(own):
        return [own]
    try:
        entries = sorted(os.listdir(full))
    except OSError as error:
        raise AnsibleActionFail(f"shop_sync_merge_dirs: {folder} could not be read: {error}") from None
    found = [path for path in (os.path.join(full, entry, FILE_NAMES["results"]) for entry in entries) if os.path.isfile(path)]
    if not found:
        raise AnsibleActionFail(f"shop_sync_merge_dirs: {folder} has no {FILE_NAMES['results']}, nor has any folder in it: it is no slice's report folder")
    return found


def host_entries(results: Mapping[str, object], accepted_extras: Mapping[str, object]) -> list[dict[str, Any]]:
    """The ``hosts`` entries for ``results`` (each host's win_sync_jobs result, by host name) and
    ``accepted_extras`` (each host's patterns, by host name; a host not named has none).

    A result that is no mapping (the playbook gives ``None`` for a host without one) is a host
    that was not checked, as a ``hosts`` entry without ``jobs`` is.
    """
    entries = []
    for host, result in results.items():
        extras = accepted_extras.get(host)
        try:
            # As a hosts entry's list of str takes it: a comma-separated text is a list too.
            patterns = [] if extras is None else [str(item) for item in check_type_list(extras)]
        except TypeError:
            raise AnsibleActionFail(f"host '{host}': shop_sync_accepted_extras must be a list of task names or patterns, got {type(extras).__name__}") from None
        entries.append({"host": str(host), "jobs": result if isinstance(result, Mapping) else None, "accepted_extras": patterns})
    return entries


def report_folder(dest: str, limit: str | None, generated: dt.datetime) -> str:
    """Where the files go: ``dest``, or for a limited run ``limited/<UTC time>`` beside it, so a
    run over part of the inventory never replaces the last report of the whole fleet."""
    full = os.path.abspath(os.path.expanduser(dest))
    if limit is None:
        return full
    return os.path.join(os.path.dirname(full), "limited", generated.strftime("%Y%m%dT%H%M%SZ"))
