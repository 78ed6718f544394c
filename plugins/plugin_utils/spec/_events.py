# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An event trigger's subscription, checked as the QueryList Windows takes.

Private to :mod:`spec`. Task Scheduler refuses a subscription that is not an event query only
when the task is registered, on the host, after the other changes of the run; so it is checked
here, against Microsoft's QueryList schema
(https://learn.microsoft.com/en-us/windows/win32/wes/queryschema-schema): a ``QueryList`` of
one or more ``Query`` elements, each holding at least one ``Select`` and any ``Suppress``, each
of those an XPath query (its text) on a channel named by its ``Path`` or its Query's ``Path``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml.safe_xml import UnsafeXmlError, parse_untrusted

__all__ = ["subscription_problem"]

_EXAMPLE = "<QueryList><Query Id='0' Path='System'><Select Path='System'>*[System[(EventID=41)]]</Select></Query></QueryList>"


def subscription_problem(text: str) -> str | None:
    """Why ``text`` is not an event query Task Scheduler takes, or ``None``."""
    if not text.lstrip().startswith("<"):
        return f"must be an event query in XML ({_EXAMPLE})"
    try:
        root = parse_untrusted(text)
    except (ET.ParseError, UnsafeXmlError) as error:
        return f"is not well-formed XML ({error}); an event query looks like {_EXAMPLE}"
    if _local(root.tag) != "QueryList":
        return f"must be a QueryList, not a {_local(root.tag)} element ({_EXAMPLE})"
    queries = list(root)
    if not queries:
        return f"must hold at least one Query ({_EXAMPLE})"
    for number, query in enumerate(queries, start=1):
        problem = _query_problem(query)
        if problem:
            return f"Query {number} {problem}"
    return None


def _query_problem(query: ET.Element) -> str | None:
    if _local(query.tag) != "Query":
        return f"is a {_local(query.tag)} element: a QueryList holds only Query elements"
    selects = 0
    for item in query:
        kind = _local(item.tag)
        if kind not in ("Select", "Suppress"):
            return f"holds a {kind} element: a Query holds only Select and Suppress"
        selects += kind == "Select"
        if not (item.get("Path") or query.get("Path")):
            return f"has a {kind} without a Path (the event log channel, such as System), nor one on the Query"
        if not (item.text or "").strip():
            return f"has an empty {kind}: it must hold an XPath query such as *[System[(EventID=41)]]"
    if not selects:
        return "must hold at least one Select"
    return None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
