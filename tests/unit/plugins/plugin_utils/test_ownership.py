# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ownership marker in RegistrationInfo/Source: what it says, and when it is a change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    OWNER_MARKER,
    Ownership,
    RegistrationInfo,
    TaskDefinition,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import (
    compare_ownership,
    is_owned,
    mark,
    ownership_of,
    parse_source,
    source_text,
)

TASK = TaskDefinition(name="Synchro Stock", folder="\\Isotools")


def with_source(source: str | None) -> TaskDefinition:
    return TaskDefinition(name="Synchro Stock", registration_info=RegistrationInfo(source=source))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (None, Ownership()),
        ("", Ownership()),
        ("Microsoft Corporation", Ownership()),
        ("isotools.shop_sync_other", Ownership()),
        ("isotools.shop_sync", Ownership(owned=True, owner="default")),
        ("isotools.shop_sync; password_version=2026-03", Ownership(owned=True, password_version="2026-03", owner="default")),
        ("isotools.shop_sync;password_version=v2;future=1", Ownership(owned=True, password_version="v2", owner="default")),
        ("isotools.shop_sync; password_version=a\\;b\\\\c", Ownership(owned=True, password_version="a;b\\c", owner="default")),
        ("isotools.shop_sync; owner=shop\\;prod; password_version=v3", Ownership(owned=True, password_version="v3", owner="shop;prod")),
    ],
)
def test_what_a_source_says(source: str | None, expected: Ownership) -> None:
    assert parse_source(source) == expected


def test_the_marker_text() -> None:
    assert source_text(None) == OWNER_MARKER == "isotools.shop_sync"
    assert source_text("v1;x") == "isotools.shop_sync; password_version=v1\\;x"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_any_label_survives_the_marker(label: str) -> None:
    assert parse_source(source_text(label)) == Ownership(owned=True, password_version=label, owner="default")
    assert parse_source(source_text(label, owner=label)) == Ownership(owned=True, password_version=label, owner=label)


def test_an_owner_owns_only_its_own_tasks_and_a_bare_marker_is_the_default_owner() -> None:
    assert source_text(None, owner="default") == "isotools.shop_sync"  # as 0.1.0 wrote it
    assert source_text(None, owner="shop-b") == "isotools.shop_sync; owner=shop-b"
    bare, labelled = with_source("isotools.shop_sync"), with_source("isotools.shop_sync; owner=shop-b")
    assert (is_owned(bare, "default"), is_owned(bare, "shop-b")) == (True, False)
    assert (is_owned(labelled, "default"), is_owned(labelled, "shop-b"), is_owned(labelled)) == (False, True, True)


def test_mark_sets_only_the_source() -> None:
    marked = mark(TASK, password_version="v3")
    assert marked.registration_info.source == "isotools.shop_sync; password_version=v3"
    assert (marked.name, marked.folder, marked.triggers) == (TASK.name, TASK.folder, TASK.triggers)
    assert is_owned(marked)
    assert ownership_of(marked).password_version == "v3"
    assert not is_owned(TASK)


def test_a_new_password_version_is_a_change() -> None:
    (change,) = compare_ownership("v2", mark(TASK, password_version="v1"))
    assert str(change) == "password_version: v1 -> v2"


def test_the_same_password_version_is_no_change() -> None:
    assert compare_ownership("v1", mark(TASK, password_version="v1")) == ()


def test_a_missing_marker_alone_is_no_change() -> None:
    assert compare_ownership(None, TASK) == ()
    assert compare_ownership(None, mark(TASK, password_version="v1")) == ()


def test_labelling_an_adopted_task_sets_its_password_again() -> None:
    assert [str(change) for change in compare_ownership("v1", with_source("hand made"))] == ["password_version: (absent) -> v1"]
