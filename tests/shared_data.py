"""Where the team's reference data lives: ``../shared`` beside the repo (never copied in)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("SHOP_SYNC_SHARED", REPO.parent / "shared"))
TASK_XML = SHARED / "task-xml"
CORPUS = TASK_XML / "corpus"
SCHEMA = TASK_XML / "schema" / "task.xsd"


def require(path: Path) -> Path:
    """Skip the calling test, saying what is missing, when the shared data is absent."""
    if not path.exists():
        pytest.skip(f"reference data {path} is absent (expected ../shared beside the repo, or SHOP_SYNC_SHARED)")
    return path
