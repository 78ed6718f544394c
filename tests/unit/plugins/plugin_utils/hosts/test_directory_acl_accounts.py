# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may write what on the directory host, and which accounts it knows."""

from __future__ import annotations

from pathlib import Path

import pytest
from directory_host_support import (
    GMSA_SID,
    LOCAL_USER_SID,
    SCRIPT,
    SCRIPT_DIR,
    SVC_SYNC,
    SVC_SYNC_SID,
    TASK,
    Image,
    install_seed,
    new_image,
)
from host_samples import b64, record_writers, statuses, synchro_task_xml

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ReadResult

USERS_CAN_WRITE = ["S-1-5-18", "S-1-5-32-544", "S-1-5-32-545"]


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


def writers(image: Image, *, files: tuple[str, ...] = (), directories: tuple[str, ...] = ()) -> list[list[str]]:
    response = image.call({"op": "read", "files": list(files), "directories": list(directories)})
    return [record_writers(record) for record in response["files"] + response["directories"]]


def test_a_new_directory_lets_ordinary_users_write_as_one_created_under_d_does(image: Image) -> None:
    image.call({"op": "apply", "changes": [{"id": "d", "kind": "create_directory", "path": SCRIPT_DIR}]})

    assert writers(image, directories=(SCRIPT_DIR, "D:\\Isotools")) == [USERS_CAN_WRITE, USERS_CAN_WRITE]


def test_set_acl_gives_exactly_the_listed_writers_to_the_directory_and_what_it_contains(image: Image) -> None:
    install_seed(image)  # sets Administrators and SYSTEM on the script directory

    assert writers(image, files=(SCRIPT,), directories=(SCRIPT_DIR, "D:\\Isotools\\Synchro_prod")) == [
        ["S-1-5-18", "S-1-5-32-544"],
        ["S-1-5-18", "S-1-5-32-544"],
        USERS_CAN_WRITE,
    ]


def test_set_acl_resolves_names_and_a_later_one_replaces_the_earlier(image: Image) -> None:
    install_seed(image)
    newer = {
        "id": "a",
        "kind": "set_acl",
        "path": SCRIPT_DIR.lower(),
        "full_control": ["BUILTIN\\Administrators", "svc_sync@contoso.com"],
    }

    response = image.call({"op": "apply", "changes": [newer]})

    assert statuses(response) == {"a": "applied"}
    assert writers(image, files=(SCRIPT,)) == [sorted(["S-1-5-32-544", SVC_SYNC_SID])]


def test_a_file_with_its_own_acl_keeps_it_when_its_directory_changes(image: Image) -> None:
    install_seed(image)
    own = {"id": "f", "kind": "set_acl", "path": SCRIPT, "full_control": ["S-1-5-18"]}
    parent = {"id": "d", "kind": "set_acl", "path": SCRIPT_DIR, "full_control": ["S-1-5-32-544"]}

    image.call({"op": "apply", "changes": [own, parent]})

    # Administrators, the owner set_acl leaves, keep the right to change the file's DACL.
    assert writers(image, files=(SCRIPT,), directories=(SCRIPT_DIR,)) == [["S-1-5-18", "S-1-5-32-544"], ["S-1-5-32-544"]]


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"path": "D:\\Nowhere", "full_control": ["S-1-5-18"]}, "refused", 0x80070002),
        ({"path": SCRIPT_DIR, "full_control": ["CONTOSO\\nobody"]}, "refused", 0x80070534),
        ({"path": SCRIPT_DIR, "full_control": []}, "refused", 0x80070057),
    ],
    ids=["missing-path", "unknown-account", "no-writers"],
)
def test_set_acl_that_windows_cannot_do_is_refused_and_changes_nothing(image: Image, change: dict[str, object], status: str, code: int) -> None:
    install_seed(image)

    response = image.call({"op": "apply", "changes": [{"id": "a", "kind": "set_acl", **change}]})

    assert (statuses(response), response["results"][0]["error_code"]) == ({"a": status}, code)
    assert writers(image, directories=(SCRIPT_DIR,)) == [["S-1-5-18", "S-1-5-32-544"]]


def test_writing_a_file_keeps_the_acl_of_its_path(image: Image) -> None:
    install_seed(image)
    script = image.call({"op": "read", "files": [SCRIPT]})["files"][0]

    rewrite = {
        "id": "w",
        "kind": "write_file",
        "path": SCRIPT,
        "content_base64": b64(b"rem v2\r\n"),
        "expected_hash": script["file_hash"],
    }

    assert statuses(image.call({"op": "apply", "changes": [rewrite]})) == {"w": "applied"}

    assert writers(image, files=(SCRIPT,)) == [["S-1-5-18", "S-1-5-32-544"]]


@pytest.mark.parametrize(
    ("name", "sid"),
    [
        ("CONTOSO\\svc_sync", SVC_SYNC_SID),
        ("contoso\\SVC_SYNC", SVC_SYNC_SID),
        ("svc_sync@contoso.com", SVC_SYNC_SID),
        ("svc_sync@CONTOSO", SVC_SYNC_SID),
        ("svc_sync", SVC_SYNC_SID),  # bare: the host's domain (host.json) after local accounts
        (SVC_SYNC_SID.lower(), SVC_SYNC_SID),
        ("SHOP01\\operator", LOCAL_USER_SID),
        (".\\operator", LOCAL_USER_SID),
        ("operator", LOCAL_USER_SID),
        ("CONTOSO\\gmsa_sync$", GMSA_SID),
        ("Everyone", "S-1-1-0"),
        ("NT AUTHORITY\\Authenticated Users", "S-1-5-11"),
        ("INTERACTIVE", "S-1-5-4"),
        ("LOCAL SERVICE", "S-1-5-19"),
        ("Users", "S-1-5-32-545"),
        ("Administrators", "S-1-5-32-544"),
        ("OTHER\\svc_sync", None),
        ("operator@contoso.com", None),
        # A SID is kept as the Windows host keeps it (SecurityIdentifier takes any SID): only its
        # name may be missing, as below.
        ("S-1-5-21-9-9-9-500", "S-1-5-21-9-9-9-500"),
        ("", None),
    ],
)
def test_accounts_resolve_as_lookup_account_name_does(image: Image, name: str, sid: str | None) -> None:
    response = image.call({"op": "read", "accounts": [name]})
    (record,) = response["accounts"]

    assert {key: record[key] for key in ("name", "sid")} == {"name": name, "sid": sid}
    assert (record["error"], record.get("not_found", False)) == ((None, False) if sid else ("Some or all identity references could not be translated.", True))


@pytest.mark.parametrize(
    ("name", "known_as"),
    [
        (".\\operator", "SHOP01\\operator"),
        ("operator", "SHOP01\\operator"),
        ("svc_sync@contoso.com", "CONTOSO\\svc_sync"),
        (SVC_SYNC_SID, "CONTOSO\\svc_sync"),
        ("SHOP01\\Sync Operators", "Sync Operators"),  # a local group: no computer name
        ("S-1-5-18", "NT AUTHORITY\\SYSTEM"),
        ("users", "BUILTIN\\Users"),
        ("nobody", None),
        ("S-1-5-21-9-9-9-500", None),  # a SID no account has: no name to give back
    ],
)
def test_each_account_comes_with_the_name_the_host_registers_it_by(image: Image, name: str, known_as: str | None) -> None:
    # As Ansible's SID utils normalise (.\ is this computer, a local group has no domain part),
    # read back from the SID as Windows names it.
    local_group = "S-1-5-21-1180699209-877415012-3182924384-1010"  # invented, as the other SIDs
    image.write_json("accounts.json", {SVC_SYNC: SVC_SYNC_SID, "SHOP01\\operator": LOCAL_USER_SID, "Sync Operators": local_group})

    response = image.call({"op": "read", "accounts": [name]})
    (record,) = response["accounts"]
    (read,) = ReadResult.from_json(response).accounts

    # A local group comes back as Windows names it, with local_group: the controller trims it.
    assert (record["account"], record.get("local_group", False)) == (("SHOP01\\Sync Operators", True) if known_as == "Sync Operators" else (known_as, False))
    assert read.account == known_as


def test_a_broken_accounts_file_fails_the_request_naming_the_file(image: Image) -> None:
    image.write_json("accounts.json", {"CONTOSO\\svc_sync": "not-a-sid"})

    response = image.call({"op": "read", "accounts": ["svc_sync"]})

    assert response["failed"] is True
    assert "accounts.json: account 'CONTOSO\\svc_sync' maps to 'not-a-sid', which is not a SID" in response["msg"]


@pytest.mark.parametrize(
    ("element", "account", "sid"),
    [
        ("UserId", "CONTOSO\\svc_sync", SVC_SYNC_SID),
        ("UserId", "svc_sync@contoso.com", SVC_SYNC_SID),
        ("UserId", SVC_SYNC_SID, SVC_SYNC_SID),
        ("UserId", "S-1-5-21-9-9-9-500", "S-1-5-21-9-9-9-500"),  # a SID is kept as Windows wrote it
        ("UserId", "OTHER\\ghost", None),
        ("GroupId", "Users", "S-1-5-32-545"),
    ],
)
def test_a_task_record_carries_the_sid_of_its_principal(image: Image, element: str, account: str, sid: str | None) -> None:
    xml = synchro_task_xml(SCRIPT_DIR, user=account).replace("UserId>", f"{element}>")
    image.tasks_dir("Isotools").mkdir(parents=True)
    image.tasks_dir("Isotools", "Synchro Stock").write_bytes(xml.encode("utf-16"))

    by_path = image.call({"op": "read", "tasks": [TASK]})["tasks"]
    in_folder = image.call({"op": "read", "folders": [{"path": "\\Isotools"}]})["tasks"]

    assert [record["principal_sid"] for record in by_path + in_folder] == [sid, sid]
