# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/reliability.md and docs/security.md state exactly the figures the hardening tests run.

Each page has a "Figures" table (``| figure | value |``); every row must be a figure the tests
compute from their data and matrices, with the value they compute, and every figure must be
there: adding a case changes the count, and this test until the page says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hardening_support import REPO, reliability_figures, security_figures

_ROW = re.compile(r"^\| (?P<figure>[^|]+?) \| (?P<value>\d+) \|$", re.M)


def stated(page: str) -> dict[str, int]:
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    table = text.split("## Figures", 1)[1].split("\n## ", 1)[0]
    return {match["figure"]: int(match["value"]) for match in _ROW.finditer(table)}


@pytest.mark.parametrize(("page", "computed"), [("reliability.md", reliability_figures), ("security.md", security_figures)])
def test_the_page_states_exactly_the_figures_the_tests_compute(page: str, computed: Callable[[], dict[str, int]]) -> None:
    assert stated(page) == computed()


def test_the_bad_input_figure_is_at_least_sixty() -> None:
    assert reliability_figures()["bad input cases in all"] >= 60
