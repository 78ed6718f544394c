# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Registering a task on the directory host: accounts, logon types and passwords as Windows
checks them, and a password never kept anywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from directory_host_support import (
    GMSA,
    GMSA_SID,
    LOCAL_USER_SID,
    SCRIPT_DIR,
    SVC_SYNC,
    SVC_SYNC_SID,
    TASK,
    Image,
    install_seed,
    new_image,
    snapshot,
)
from host_samples import register, statuses, synchro_task_xml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import TASK_LOGON, TASK_LOGON_NONE
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType

PASSWORD = "Zq8!shop-sync-test-secret"
LOGON_FAILURE = 0x8007052E
NONE_MAPPED = 0x80070534
INVALIDARG = 0x80070057


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


def register_as(
    image: Image,
    user: str | None,
    logon_type: str | None,
    password: str | None = None,
    *,
    in_xml: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Register the seed's task; ``in_xml`` is the principal the XML names (user, logon type),
    by default the change's, as the controller renders it."""
    named = in_xml or (user or "S-1-5-18", logon_type or "")
    xml = synchro_task_xml(SCRIPT_DIR, user=named[0], logon_type=named[1] or None)
    change = register("t", TASK, xml, user=user or "", logon_type=logon_type or "")
    change["user"], change["logon_type"] = user, logon_type
    if password is not None:
        # As the controller sends a change with a password: RegisterTask gets the account and
        # the logon type's TASK_LOGON_* (contract._registration_arguments).
        change["register_user"], change["register_logon"] = user, TASK_LOGON[LogonType(logon_type)] if logon_type else TASK_LOGON_NONE
    request: dict[str, Any] = {"op": "apply", "changes": [change]}
    if password is not None:
        request["passwords"] = {"t": password}
    response = image.call(request)
    return dict(response["results"][0])


@pytest.mark.parametrize(
    ("user", "logon_type", "password"),
    [
        (SVC_SYNC, "password", PASSWORD),
        ("svc_sync@contoso.com", "interactive_token_or_password", PASSWORD),
        ("svc_sync", "s4u", None),  # a bare name is looked up in the host's domain too
        (".\\operator", "interactive_token", None),
        ("SYSTEM", "service_account", None),
        ("NT AUTHORITY\\LOCAL SERVICE", "service_account", None),
        ("BUILTIN\\Users", "group", None),
        (GMSA, "password", None),  # a gMSA: password logon, the password is Windows' business
    ],
)
def test_what_windows_accepts_is_registered(image: Image, user: str, logon_type: str, password: str | None) -> None:
    result = register_as(image, user, logon_type, password)

    assert result["status"] == "applied", result


@pytest.mark.parametrize("logon_type", ["password", "interactive_token_or_password"])
def test_a_password_logon_without_the_password_is_refused_as_windows_does(image: Image, logon_type: str) -> None:
    result = register_as(image, SVC_SYNC, logon_type, password="")

    assert (result["status"], result["error_code"]) == ("refused", LOGON_FAILURE)
    assert "needs the password of 'CONTOSO\\svc_sync' on every registration" in result["message"]
    assert not image.tasks_dir().exists()


@pytest.mark.parametrize(
    ("user", "logon_type", "why"),
    [
        (SVC_SYNC, "s4u", "logon type s4u takes none"),
        ("SYSTEM", "service_account", "logon type service_account takes none"),
        ("BUILTIN\\Users", "group", "logon type group takes none"),
        (GMSA, "password", "a group managed service account has no password"),
    ],
)
def test_a_password_where_none_is_used_is_refused(image: Image, user: str, logon_type: str, why: str) -> None:
    result = register_as(image, user, logon_type, PASSWORD)

    assert (result["status"], result["error_code"]) == ("refused", INVALIDARG)
    assert why in result["message"]
    assert PASSWORD not in result["message"]


def test_service_account_logon_is_only_for_the_service_accounts(image: Image) -> None:
    result = register_as(image, SVC_SYNC, "service_account")

    assert (result["status"], result["error_code"]) == ("refused", INVALIDARG)
    assert "SYSTEM, LOCAL SERVICE or NETWORK SERVICE" in result["message"]


@pytest.mark.parametrize("user", ["CONTOSO\\nobody", "nobody@contoso.com", "S-1-5-21-1-2-3-4", "OTHERDOMAIN\\svc_sync"])
def test_an_unknown_account_is_refused_and_nothing_is_written(image: Image, user: str) -> None:
    install_seed(image)
    before = snapshot(image.root)

    response = image.call(
        {
            "op": "apply",
            "changes": [register("t", "\\Isotools\\Other", synchro_task_xml(SCRIPT_DIR, user=user, logon_type="s4u"), user=user, logon_type="s4u")],
        }
    )

    (result,) = response["results"]
    assert (result["status"], result["error_code"]) == ("refused", NONE_MAPPED)
    assert "No mapping between account names and security IDs was done." in result["message"]
    assert snapshot(image.root) == before


def test_without_user_and_logon_type_the_xml_principal_is_checked(image: Image) -> None:
    accepted = register_as(image, None, None, in_xml=(SVC_SYNC, "s4u"))
    refused = register_as(image, None, None, in_xml=(SVC_SYNC, "password"))

    assert accepted["status"] == "applied"
    assert (refused["status"], refused["error_code"]) == ("refused", LOGON_FAILURE)


@pytest.mark.parametrize(("user", "in_xml"), [(SVC_SYNC, ("S-1-5-18", "")), (GMSA, (GMSA, "password"))])
def test_without_a_password_the_xml_principal_is_registered_whatever_the_change_says(image: Image, user: str, in_xml: tuple[str, str]) -> None:
    # The Windows host registers a password-less task as community.windows' win_scheduled_task
    # does: RegisterTask(name, xml, flags, $null, $null, TASK_LOGON_NONE), the principal the XML's.
    result = register_as(image, user, "password", in_xml=in_xml)

    assert result["status"] == "applied", result


def test_only_the_time_a_password_was_set_is_kept(image: Image) -> None:
    result = register_as(image, "svc_sync@contoso.com", "password", PASSWORD)

    assert result["status"] == "applied"
    credentials = json.loads((image.root / "credentials.json").read_text(encoding="utf-8"))
    assert credentials == {SVC_SYNC_SID: {"set_at": "2026-11-27T06:00:00+01:00"}}  # 05:00 UTC on a UTC+1 host


def test_the_password_is_nowhere_in_the_image_nor_in_any_answer(image: Image) -> None:
    install_seed(image)
    path = "\\Isotools\\With Password"
    xml = synchro_task_xml(SCRIPT_DIR, user=SVC_SYNC, logon_type="password")
    created = image.call(
        {
            "op": "apply",
            "changes": [register("t", path, xml, user=SVC_SYNC, logon_type="password")],
            "passwords": {"t": PASSWORD},
        }
    )
    again = register("u", path, xml, user=SVC_SYNC, logon_type="password", expected_hash=created["results"][0]["task_hash"])
    answers = [created, image.call({"op": "apply", "changes": [again], "passwords": {"u": PASSWORD}})]
    answers.append(image.call({"op": "read", "folders": [{"path": "\\Isotools"}], "accounts": [SVC_SYNC]}))
    answers.append(image.call({"op": "run", "tasks": [path]}))
    answers.append(image.call({"op": "history", "tasks": [path]}))

    assert [statuses(answer) for answer in answers[:2]] == [{"t": "applied"}, {"u": "applied"}]
    assert PASSWORD not in json.dumps(answers)
    for file in image.root.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert PASSWORD.encode("utf-8") not in data and PASSWORD.encode("utf-16-le") not in data, file


def test_a_password_change_of_a_local_account_is_recorded_under_its_sid(image: Image) -> None:
    register_as(image, "SHOP01\\operator", "password", PASSWORD)

    credentials = json.loads((image.root / "credentials.json").read_text(encoding="utf-8"))
    assert list(credentials) == [LOCAL_USER_SID]
    assert GMSA_SID not in credentials


def test_registration_updates_in_place_and_keeps_the_runtime_state(image: Image) -> None:
    install_seed(image)
    first = image.call({"op": "read", "tasks": [TASK]})["tasks"][0]
    image.call({"op": "run", "tasks": [TASK]})

    updated = synchro_task_xml(SCRIPT_DIR, description="new")

    response = image.call(
        {
            "op": "apply",
            "changes": [register("u", TASK, updated, user="SYSTEM", logon_type="service_account", expected_hash=first["task_hash"])],
        }
    )
    after = image.call({"op": "read", "tasks": [TASK]})["tasks"][0]

    assert statuses(response) == {"u": "applied"}
    assert (after["last_result"], after["last_run_time"]) == (0, "2026-11-27T06:00:00+01:00")


@pytest.mark.parametrize("logon", [7, -1, "password", True])
def test_a_logon_that_is_no_task_logon_type_is_refused(image: Image, logon: object) -> None:
    install_seed(image)
    change = register("t", TASK, synchro_task_xml(SCRIPT_DIR, user=SVC_SYNC, logon_type="password"), user=SVC_SYNC, logon_type="password")
    change.update(register_user=SVC_SYNC, register_logon=logon)

    result = image.call({"op": "apply", "changes": [change], "passwords": {"t": PASSWORD}})["results"][0]

    assert (result["status"], result["error_code"]) == ("refused", INVALIDARG)
    assert "TASK_LOGON_TYPE" in result["message"]
