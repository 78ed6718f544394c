# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Accounts are one account whatever their spelling: SID, bare name, DOMAIN\\name, name@domain."""

from __future__ import annotations

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import (
    canonical_account,
    is_gmsa_name,
    is_service_account,
    is_sid,
    well_known_sid,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec


@pytest.mark.parametrize(
    ("spelling", "sid"),
    [
        ("SYSTEM", "S-1-5-18"),
        ("NT AUTHORITY\\SYSTEM", "S-1-5-18"),
        ("nt authority\\system", "S-1-5-18"),
        ("S-1-5-18", "S-1-5-18"),
        ("s-1-5-18", "S-1-5-18"),
        ("LocalSystem", "S-1-5-18"),
        ("LOCAL SERVICE", "S-1-5-19"),
        ("NT AUTHORITY\\LocalService", "S-1-5-19"),
        ("NETWORK SERVICE", "S-1-5-20"),
        ("BUILTIN\\Users", "S-1-5-32-545"),
        ("Builtin\\Administrators", "S-1-5-32-544"),
        ("Authenticated Users", "S-1-5-11"),
        ("NT AUTHORITY\\Authenticated Users", "S-1-5-11"),
        ("Everyone", "S-1-1-0"),
        ("INTERACTIVE", "S-1-5-4"),
        (" SYSTEM ", "S-1-5-18"),
    ],
)
def test_well_known_spellings_are_one_account(spelling: str, sid: str) -> None:
    assert canonical_account(spelling) == sid


def test_domain_and_upn_spellings_meet_through_the_host_sids() -> None:
    sids = {"CONTOSO\\svc_sync": "S-1-5-21-1-2-3-1104", "svc_sync@contoso.com": "S-1-5-21-1-2-3-1104"}
    assert canonical_account("contoso\\SVC_SYNC", sids) == canonical_account("svc_sync@CONTOSO.com", sids) == "S-1-5-21-1-2-3-1104"


def test_an_unresolved_name_is_compared_by_its_spelling_without_case() -> None:
    assert canonical_account("CONTOSO\\Svc") == canonical_account("contoso\\svc") == "name:contoso\\svc"
    assert canonical_account("CONTOSO\\svc") != canonical_account("svc@contoso.com")


def test_a_sid_from_the_host_wins_over_a_spelling() -> None:
    assert canonical_account("svc", {"svc": "S-1-5-21-9-9-9-500"}) == "S-1-5-21-9-9-9-500"
    assert canonical_account("svc", {"other": "S-1-5-21-9-9-9-500"}) == "name:svc"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SYSTEM", True),
        ("S-1-5-19", True),
        ("NT AUTHORITY\\NETWORK SERVICE", True),
        ("BUILTIN\\Users", False),
        ("svc_sync", False),
        ("CONTOSO\\gmsa_sync$", False),
    ],
)
def test_service_accounts(name: str, expected: bool) -> None:
    assert is_service_account(name) is expected


def test_sid_recognition() -> None:
    assert is_sid("S-1-5-21-3868352856-1124754713-3884998021-1001")
    assert not is_sid("S-1-")
    assert not is_sid("SYSTEM")
    assert well_known_sid("s-1-5-32-544") == "S-1-5-32-544"
    assert well_known_sid("S-1-5-21-1-2-3-1104") is None


@pytest.mark.parametrize("account", ["gmsa_sync$", "CONTOSO\\gmsa_sync$", "gmsa_sync$@contoso.example", ".\\gmsa_sync$"])
def test_a_gmsa_is_one_whatever_its_spelling_and_registers_the_same(account: str) -> None:
    spec = parse_spec({"name": "x", "actions": [{"command": "C:\\Tools\\x.exe"}], "principal": {"user": account}})

    assert is_gmsa_name(account)
    # The UPN form once registered as InteractiveToken, and flipped when re-spelt DOMAIN\x$.
    assert spec.definition.principal.is_gmsa and spec.definition.principal.logon_type is LogonType.PASSWORD


@pytest.mark.parametrize("account", ["svc_sync", "CONTOSO\\svc_sync", "svc_sync@contoso.example", "price$list@contoso.example"])
def test_an_account_not_ending_in_a_dollar_is_no_gmsa(account: str) -> None:
    assert not is_gmsa_name(account)
