# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The acceptance run's HTML report: one line per promise checked, read from JUnit XML files.

A promise is a test case; its words are the test's name, which the contract suite writes as a
sentence (``test_a_task_is_deleted_only_when_its_hash_still_matches[winrm]`` reads "a task is
deleted only when its hash still matches"). The host parameter (``winrm``/``directory``) is
left out, the other parameters follow in parentheses.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

__all__ = ["Promise", "Verdict", "promise_words", "read_junit", "render_html"]

_CASE = re.compile(r"^(?:test_)?(?P<name>[^\[]*)(?:\[(?P<parameters>.*)\])?$")
# pytest joins parameter ids with "-": the host fixture's id comes first, or alone.
_HOST_PARAMETER = re.compile(r"^(?:winrm|directory)(?:-|$)")


class Verdict(Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Promise:
    suite: str  # the JUnit test case's classname: the test module (or ansible-test target)
    words: str
    verdict: Verdict
    detail: str  # why it failed or was skipped; empty when it passed


def promise_words(case_name: str) -> str:
    """``test_x_is_y[winrm-other]`` -> ``x is y (other)``."""
    match = _CASE.match(case_name)
    if match is None:
        return case_name
    words = match.group("name").replace("_", " ").strip()
    parameters = _HOST_PARAMETER.sub("", match.group("parameters") or "").replace("\\\\", "\\")
    return f"{words} ({parameters})" if parameters else words


def read_junit(path: Path) -> list[Promise]:
    """Every test case of a JUnit XML file (pytest's --junitxml, ansible's junit callback)."""
    promises = []
    for case in ET.parse(path).getroot().iter("testcase"):
        verdict, detail = _verdict(case)
        promises.append(Promise(case.get("classname") or path.stem, promise_words(case.get("name") or ""), verdict, detail))
    return promises


def _verdict(case: ET.Element) -> tuple[Verdict, str]:
    for tag in ("failure", "error"):
        found = case.find(tag)
        if found is not None:
            return Verdict.FAILED, (found.get("message") or found.text or tag).strip()
    skipped = case.find("skipped")
    if skipped is not None:
        return Verdict.SKIPPED, (skipped.get("message") or "").strip()
    return Verdict.PASSED, ""


def render_html(title: str, facts: Sequence[tuple[str, str]], promises: Iterable[Promise]) -> str:
    """A self-contained page: the run's facts, the counts, then one row per promise."""
    promises = list(promises)
    counts = {verdict: sum(promise.verdict is verdict for promise in promises) for verdict in Verdict}
    rows = "\n".join(
        f'<tr class="{promise.verdict.value}"><td>{promise.verdict.value}</td><td>{html.escape(promise.suite)}</td>'
        f"<td>{html.escape(promise.words)}</td><td><pre>{html.escape(promise.detail)}</pre></td></tr>"
        for promise in promises
    )
    fact_rows = "\n".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>" for name, value in facts)
    summary = ", ".join(f"{counts[verdict]} {verdict.value}" for verdict in Verdict)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }}
tr.passed td:first-child {{ color: #060; }} tr.failed td:first-child {{ color: #b00; font-weight: bold; }} tr.skipped td:first-child {{ color: #777; }}
pre {{ margin: 0; white-space: pre-wrap; max-width: 60em; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<table>{fact_rows}</table>
<p>{summary}</p>
<table><tr><th>verdict</th><th>suite</th><th>promise</th><th>detail</th></tr>
{rows}
</table></body></html>
"""
