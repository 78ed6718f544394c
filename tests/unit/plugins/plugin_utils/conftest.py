# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Figures the plugin_utils tests measure (e.g. how much of the real corpus round-trips).

A test records lines through the ``figures`` fixture; they are printed in the terminal
summary of every run, with or without ``-s``.
"""

from __future__ import annotations

import pytest

_FIGURES = pytest.StashKey[dict[str, list[str]]]()


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> dict[str, list[str]]:
    """Section title -> lines, shown at the end of the run."""
    return pytestconfig.stash.setdefault(_FIGURES, {})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    for title, lines in config.stash.get(_FIGURES, {}).items():
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)
