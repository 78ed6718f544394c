# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Texts Windows reads its own way are checked before the host is touched: an event trigger's
subscription as a QueryList, a program or a folder without the spaces Windows drops."""

from __future__ import annotations

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError, parse_spec

SELECT = "<Select Path='System'>*[System[(EventID=41)]]</Select>"


def parse(subscription: str) -> None:
    parse_spec({"name": "x", "actions": [{"command": "C:\\Tools\\x.exe"}], "triggers": [{"type": "event", "subscription": subscription}]})


@pytest.mark.parametrize(
    ("subscription", "phrase"),
    [
        ("System EventID=41", "must be an event query in XML"),
        ("<QueryList><Query>", "is not well-formed XML"),
        ("<Query Path='System'>" + SELECT + "</Query>", "must be a QueryList, not a Query element"),
        ("<QueryList/>", "must hold at least one Query"),
        ("<QueryList><Select Path='System'>*</Select></QueryList>", "Query 1 is a Select element"),
        ("<QueryList><Query Path='System'/></QueryList>", "Query 1 must hold at least one Select"),
        ("<QueryList><Query Path='System'><Suppress>*[System[Level=4]]</Suppress></Query></QueryList>", "must hold at least one Select"),
        ("<QueryList><Query><Select>*</Select></Query></QueryList>", "has a Select without a Path"),
        ("<QueryList><Query Path='System'><Select> </Select></Query></QueryList>", "has an empty Select"),
        ("<QueryList><Query Path='System'><Filter>*</Filter></Query></QueryList>", "holds a Filter element"),
        (f"<QueryList><Query Path='System'>{SELECT}</Query><Query/></QueryList>", "Query 2 must hold at least one Select"),
        ("<!DOCTYPE x [<!ENTITY a 'b'>]><QueryList/>", "is not well-formed XML"),
    ],
)
def test_a_subscription_that_is_no_query_list_is_refused_at_its_field(subscription: str, phrase: str) -> None:
    with pytest.raises(SpecError) as raised:
        parse(subscription)
    assert "triggers[0].subscription" in str(raised.value) and phrase in str(raised.value), str(raised.value)


@pytest.mark.parametrize(
    "subscription",
    [
        f"<QueryList><Query Id='0' Path='System'>{SELECT}</Query></QueryList>",
        "<QueryList><Query Id='0'><Select Path='Application'>*</Select><Suppress Path='Application'>*[System[Level=4]]</Suppress></Query></QueryList>",
        f'<QueryList xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\r\n  <Query Id="0" Path="System">{SELECT}</Query>\r\n</QueryList>',
    ],
)
def test_a_query_list_is_taken(subscription: str) -> None:
    parse(subscription)


@pytest.mark.parametrize(
    ("action", "phrase"),
    [
        ({"command": " C:\\Tools\\x.exe"}, "actions[0].command ' C:\\Tools\\x.exe' must not start or end with spaces (write 'C:\\Tools\\x.exe')"),
        ({"command": "C:\\Tools\\x.exe "}, "must not start or end with spaces"),
        (
            {"command": "C:\\Tools\\x.exe", "working_directory": "D:\\Isotools\\stock "},
            "actions[0].working_directory 'D:\\Isotools\\stock ' must not start or end with spaces",
        ),
    ],
)
def test_spaces_windows_drops_around_a_program_or_folder_are_refused(action: dict[str, str], phrase: str) -> None:
    # Kept, they would make the task differ from the spec on every read (churn): refused, with the text to write.
    with pytest.raises(SpecError) as raised:
        parse_spec({"name": "x", "actions": [action]})
    assert phrase in str(raised.value), str(raised.value)
