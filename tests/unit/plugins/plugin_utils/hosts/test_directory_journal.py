# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The journal: one line per call, so round trips can be counted, and nothing secret in it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from directory_host_support import SCRIPT_BYTES, SCRIPT_DIR, TASK, Image, install_seed, new_image, seed_changes
from host_samples import b64


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


def test_each_call_is_one_line_with_its_counts(image: Image) -> None:
    image.call({"op": "read", "folders": [{"path": "\\Isotools"}], "files": ["D:\\x.bat"], "accounts": ["SYSTEM", "nobody"]})
    image.call({"op": "apply", "changes": seed_changes()})
    image.call({"op": "apply", "changes": seed_changes()})
    image.call({"op": "run", "tasks": [TASK, "\\Isotools\\Missing"]})
    image.call({"op": "history", "tasks": [TASK], "max_events": 3})

    lines = image.journal()

    assert [line["op"] for line in lines] == ["read", "apply", "apply", "run", "history"]
    assert {line["time"] for line in lines} == {"2026-11-27T06:00:00+01:00"}  # host-local time, with the host's UTC+1
    assert lines[0] | {"time": ""} == {
        "time": "",
        "op": "read",
        "folders": 1,
        "tasks": 0,
        "files": 1,
        "directories": 0,
        "accounts": 2,
    }
    assert lines[1] | {"time": ""} == {
        "time": "",
        "op": "apply",
        "changes": 5,
        "applied": 5,
        "unchanged": 0,
        "refused": 0,
        "failed": 0,
        "skipped": 0,
    }
    # Again: the ACL is set again, the script exists (its write refused) so the task is skipped.
    assert [lines[2][status] for status in ("applied", "unchanged", "refused", "skipped")] == [1, 2, 1, 1]
    assert (lines[3]["tasks"], lines[3]["started"]) == (2, 1)
    assert (lines[4]["tasks"], lines[4]["events"]) == (1, 3)


def test_a_request_that_cannot_be_served_is_journaled_as_failed(image: Image) -> None:
    unknown = image.call({"op": "delete_everything"})
    malformed = image.call({"op": "read", "files": "D:\\not-a-list"})

    assert (unknown["failed"], malformed["failed"]) == (True, True)
    assert "unknown operation 'delete_everything'" in unknown["msg"]
    assert "'files' must be a list" in malformed["msg"]
    assert [(line["op"], line["failed"]) for line in image.journal()] == [("delete_everything", True), ("read", True)]


def test_the_journal_holds_neither_contents_nor_passwords(image: Image) -> None:
    install_seed(image)
    image.call({"op": "read", "files": [SCRIPT_DIR + "\\synchro.bat"]})

    text = (image.root / "journal.jsonl").read_text(encoding="utf-8")

    assert "echo off" not in text and b64(SCRIPT_BYTES) not in text
    assert "content_base64" not in text and "xml" not in text and "password" not in text
    assert all(isinstance(json.loads(line), dict) for line in text.splitlines())
