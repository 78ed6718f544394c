# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The 68 real task files of ../shared/task-xml/corpus: every one parses and round-trips by meaning.

The figures are printed in the terminal summary of every run, and docs/corpus.md must say the
same thing file by file (a change in support is a change in that document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import xmlschema
from shared_data import CORPUS, REPO, SCHEMA, require
from taskxml_samples import by_meaning

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import TaskDefinition
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import (
    encode_for_host,
    parse_xml,
    render_xml,
    required_version,
)

CORPUS_FILES = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []
CORPUS_DOC = REPO / "docs" / "corpus.md"
_ROW = re.compile(r"^\| (?P<file>\d{3}_[^|]+\.xml) \| (?P<version>[^|]+) \| (?P<support>[^|]+) \| (?P<schema>[^|]+) \|")


@dataclass(frozen=True)
class Outcome:
    """What became of one corpus file: read, written back, read again."""

    definition: TaskDefinition
    read_back: TaskDefinition
    rendered_valid: bool

    @property
    def row(self) -> dict[str, str]:
        """The columns docs/corpus.md shows for the file."""
        support = "supported" if self.definition.supported else "unsupported: " + "; ".join(self.definition.unsupported_reasons)
        return {
            "version": f"{self.definition.version or '(none)'} → {required_version(self.definition)}",
            "support": support,
            "schema": "valid" if self.rendered_valid else "invalid",
        }

    @property
    def round_trips(self) -> bool:
        return by_meaning(self.read_back) == by_meaning(self.definition)


def _outcome(path: Path, schema: xmlschema.XMLSchema) -> Outcome:
    definition = parse_xml(path.read_bytes(), name=path.stem, folder="\\Corpus")
    rendered = render_xml(definition)
    return Outcome(
        definition=definition,
        read_back=parse_xml(encode_for_host(rendered), name=path.stem, folder="\\Corpus"),
        rendered_valid=schema.is_valid(rendered),
    )


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    schema = xmlschema.XMLSchema(str(require(SCHEMA)))
    return {path.name: _outcome(require(path), schema) for path in CORPUS_FILES}


def test_the_corpus_is_there() -> None:
    require(CORPUS)
    assert len(CORPUS_FILES) == 68


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.name[:3] for path in CORPUS_FILES])
def test_corpus_file_parses_and_round_trips_by_meaning(path: Path, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[path.name]
    assert by_meaning(outcome.read_back) == by_meaning(outcome.definition)
    # Whatever the model cannot express is still there after the round trip, and still explained.
    assert outcome.read_back.unsupported_reasons == outcome.definition.unsupported_reasons


def figures_line(outcomes: dict[str, Outcome]) -> str:
    every = list(outcomes.values())
    supported = [outcome for outcome in every if outcome.definition.supported]
    return (
        f"parsed {len(every)}/{len(CORPUS_FILES)} · supported {len(supported)}/{len(every)} · "
        f"round-trip equal {sum(outcome.round_trips for outcome in every)}/{len(every)} "
        f"({sum(outcome.round_trips for outcome in supported)}/{len(supported)} supported) · "
        f"rendered XML valid against task.xsd {sum(outcome.rendered_valid for outcome in every)}/{len(every)}"
    )


def test_figures_are_reported_and_documented(outcomes: dict[str, Outcome], figures: dict[str, list[str]]) -> None:
    line = figures_line(outcomes)
    figures["Task Scheduler XML corpus (docs/corpus.md)"] = [line]
    documented = {
        match["file"]: {key: match[key].strip() for key in ("version", "support", "schema")}
        for match in map(_ROW.match, CORPUS_DOC.read_text(encoding="utf-8").splitlines())
        if match
    }
    assert documented == {name: outcome.row for name, outcome in outcomes.items()}
    assert f"Figures: {line}." in CORPUS_DOC.read_text(encoding="utf-8")
