# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The directory host's image on disk: where things go, how tasks are stored, what it can read."""

from __future__ import annotations

import codecs
import hashlib
import shutil
from pathlib import Path

import pytest
from directory_host_support import SCRIPT, SCRIPT_BYTES, SCRIPT_DIR, TASK, Image, install_seed, new_image, snapshot
from host_samples import b64, register, statuses, synchro_task_xml
from shared_data import CORPUS, require

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory import DirectoryHost
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import NAMESPACE


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return new_image(tmp_path)


def test_windows_paths_map_to_drive_folders_under_the_root(image: Image) -> None:
    install_seed(image)

    assert (image.root / "D/Isotools/Synchro_prod/localhost/synchrof00001/synchro.bat").read_bytes() == SCRIPT_BYTES
    assert image.tasks_dir("Isotools", "Synchro Stock").is_file()


def test_a_task_is_stored_as_given_in_utf16le_with_a_bom(image: Image) -> None:
    xml = synchro_task_xml(SCRIPT_DIR)

    install_seed(image, xml=xml)

    assert image.tasks_dir("Isotools", "Synchro Stock").read_bytes() == codecs.BOM_UTF16_LE + xml.encode("utf-16-le")


def test_the_task_hash_is_the_sha256_of_the_text_as_utf8(image: Image) -> None:
    xml = synchro_task_xml(SCRIPT_DIR)

    applied = install_seed(image, xml=xml)
    read = image.call({"op": "read", "tasks": [TASK]})

    expected = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    assert applied["results"][-1]["task_hash"] == read["tasks"][0]["task_hash"] == expected
    assert read["tasks"][0]["xml"] == xml


def test_new_names_keep_their_case_and_existing_ones_are_found_in_any_case(image: Image) -> None:
    install_seed(image)
    xml = synchro_task_xml(SCRIPT_DIR)

    response = image.call(
        {
            "op": "apply",
            "changes": [register("p", "\\ISOTOOLS\\Synchro Prix", xml, user="SYSTEM", logon_type="service_account")],
        }
    )

    assert statuses(response) == {"p": "applied"}
    assert sorted(path.name for path in image.tasks_dir().iterdir()) == ["Isotools"]
    assert sorted(path.name for path in image.tasks_dir("Isotools").iterdir()) == ["Synchro Prix", "Synchro Stock"]


def test_registering_into_a_missing_folder_creates_it_as_windows_does(image: Image) -> None:
    xml = synchro_task_xml(SCRIPT_DIR)

    response = image.call(
        {
            "op": "apply",
            "changes": [register("t", "\\Isotools\\Nested\\Synchro Stock", xml, user="SYSTEM", logon_type="service_account")],
        }
    )

    assert statuses(response) == {"t": "applied"}
    read = image.call({"op": "read", "folders": [{"path": "\\isotools", "recurse": True}]})
    assert [task["path"] for task in read["tasks"]] == ["\\Isotools\\Nested\\Synchro Stock"]


def test_a_drive_the_machine_does_not_have_cannot_be_written(image: Image) -> None:
    response = image.call({"op": "apply", "changes": [{"id": "e", "kind": "create_directory", "path": "E:\\Isotools"}]})

    assert statuses(response) == {"e": "failed"}
    assert response["results"][0]["error_code"] == 0x80070003
    assert not (image.root / "E").exists()


def test_a_file_needs_its_directory_to_exist(image: Image) -> None:
    response = image.call({"op": "apply", "changes": [{"id": "f", "kind": "write_file", "path": SCRIPT, "content_base64": "QA=="}]})

    assert (statuses(response), response["results"][0]["error_code"]) == ({"f": "failed"}, 0x80070003)


def test_writing_the_same_content_again_writes_what_it_is_sent(image: Image) -> None:
    # That the content is already there is the controller's to see when it plans (it never
    # sends such a write); a host writes what it is sent, behind the hash check.
    install_seed(image)
    script_hash = hashlib.sha256(SCRIPT_BYTES).hexdigest()

    same = {
        "id": "f",
        "kind": "write_file",
        "path": SCRIPT.lower(),
        "content_base64": b64(SCRIPT_BYTES),
        "expected_hash": script_hash,
    }

    response = image.call({"op": "apply", "changes": [same]})

    assert statuses(response) == {"f": "applied"}
    assert image.call({"op": "read", "files": [SCRIPT]})["files"][0]["file_hash"] == script_hash


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("\\Isotools\\Synchro: Stock", "contains ':'"),
        ("\\Isotools\\Synchro|Stock", "contains '|'"),
        ("\\Isotools\\Synchro Stock.", "ends with a dot or a space"),
        ("\\Isotools\\CON", "reserved device name"),
        ("\\Iso?tools\\Synchro Stock", "contains '?'"),
    ],
)
def test_a_task_name_windows_refuses_is_refused(image: Image, path: str, reason: str) -> None:
    xml = synchro_task_xml(SCRIPT_DIR)

    response = image.call({"op": "apply", "changes": [register("t", path, xml, user="SYSTEM", logon_type="service_account")]})

    (result,) = response["results"]
    assert (result["status"], result["error_code"]) == ("refused", 0x8007007B)
    assert reason in result["message"]
    assert not image.tasks_dir().exists()


@pytest.mark.parametrize(
    ("xml", "code", "words"),
    [
        ("<Task", 0x8004131A, "malformed"),
        (
            f'<?xml version="1.0" encoding="UTF-8"?><Task xmlns="{NAMESPACE}"/>',
            0x8004131A,
            "unable to switch the encoding",
        ),
        ("<Task><Actions><Exec><Command>cmd.exe</Command></Exec></Actions></Task>", 0x80041317, "namespace"),
        (f'<Job xmlns="{NAMESPACE}"/>', 0x80041316, "unexpected node"),
        (f'<Task xmlns="{NAMESPACE}"><Settings/></Task>', 0x80041319, "Actions"),
        (f'<!DOCTYPE Task [<!ENTITY e "x">]><Task xmlns="{NAMESPACE}">&e;</Task>', 0x8004131A, "DTD"),
    ],
    ids=["not-xml", "utf8-declared", "no-namespace", "not-a-task", "no-actions", "entities"],
)
def test_xml_the_task_scheduler_rejects_is_refused_and_nothing_written(image: Image, xml: str, code: int, words: str) -> None:
    response = image.call({"op": "apply", "changes": [register("t", TASK, xml, user="SYSTEM", logon_type="service_account")]})

    (result,) = response["results"]
    assert (result["status"], result["error_code"]) == ("refused", code)
    assert words in result["message"]
    assert not image.tasks_dir().exists()


def test_a_copied_real_task_store_is_read_as_it_is(image: Image) -> None:
    corpus = sorted(require(CORPUS).glob("*.xml"))
    folder = image.tasks_dir("Corpus")
    folder.mkdir(parents=True)
    for source in corpus:
        shutil.copyfile(source, folder / source.stem)  # System32\Tasks files have no extension

    response = image.call({"op": "read", "folders": [{"path": "\\corpus", "recurse": False}]})

    assert response["folders"] == [{"path": "\\Corpus", "exists": True, "reparse_point": None}]
    assert [task["path"] for task in response["tasks"]] == [f"\\Corpus\\{source.stem}" for source in corpus]
    for source, task in zip(corpus, response["tasks"], strict=True):
        assert "error" not in task, (source.name, task.get("error"))
        assert task["xml"].lstrip().startswith("<?xml")
        assert task["task_hash"] == hashlib.sha256(task["xml"].encode("utf-8")).hexdigest()
        assert task["state"] == (3 if task["enabled"] else 1)  # TASK_STATE ready, disabled
        assert (task["last_result"], task["next_run_time"]) == (0x41303, None)


def test_utf8_and_utf16_copies_of_one_task_read_as_the_same_text(image: Image) -> None:
    source = require(CORPUS) / "022_qualer-sync-daily-password-stopexisting.xml"
    text = source.read_bytes().decode("utf-16")
    folder = image.tasks_dir("Copies")
    folder.mkdir(parents=True)
    (folder / "utf16-bom").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (folder / "utf16-no-bom").write_bytes(text.encode("utf-16-le"))
    (folder / "utf8").write_bytes(text.encode("utf-8"))
    (folder / "utf8-bom").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))

    response = image.call({"op": "read", "folders": [{"path": "\\Copies"}]})

    assert len(response["tasks"]) == 4
    assert {task["xml"] for task in response["tasks"]} == {text}


def test_an_oversized_or_undecodable_task_file_is_reported_not_fatal(image: Image) -> None:
    install_seed(image)
    folder = image.tasks_dir("Isotools")
    (folder / "Huge").write_bytes(codecs.BOM_UTF16_LE + b"<\x00" * (5 * 1024 * 1024))
    (folder / "Garbage").write_bytes(b"\xff\xfe\x00\xd8")  # BOM, then half a surrogate pair
    (folder / "Not XML").write_bytes(codecs.BOM_UTF16_LE + "just text".encode("utf-16-le"))

    response = image.call({"op": "read", "folders": [{"path": "\\Isotools"}]})

    by_name = {task["path"].rsplit("\\", 1)[1]: task for task in response["tasks"]}
    assert sorted(by_name) == ["Garbage", "Huge", "Not XML", "Synchro Stock"]
    assert "more than the 1048576" in by_name["Huge"]["error"]
    assert "neither UTF-16 nor UTF-8" in by_name["Garbage"]["error"]
    assert "would not load" in by_name["Not XML"]["error"]
    # As the contract's unreadable record (IRegisteredTask.Xml throws on Windows): no text, no hash.
    assert (by_name["Not XML"]["xml"], by_name["Not XML"]["task_hash"]) == (None, None)
    for name in ("Huge", "Garbage", "Not XML"):
        assert (by_name[name]["state"], by_name[name]["enabled"]) == (0, None)  # TASK_STATE unknown
    assert "error" not in by_name["Synchro Stock"]


def test_two_thousand_tasks_are_all_read_in_order(image: Image) -> None:
    folder = image.tasks_dir("Bulk")
    folder.mkdir(parents=True)
    texts = {}
    for number in range(2000):
        text = synchro_task_xml(f"D:\\Bulk\\{number}", description=f"task {number}", enabled=number % 3 != 0)
        texts[f"Task {number:04d}"] = text
        (folder / f"Task {number:04d}").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (folder / ".shop_sync-tmp-abc123").write_bytes(b"half-written")  # an interrupted write

    response = image.call({"op": "read", "folders": [{"path": "\\Bulk"}]})

    assert [task["path"] for task in response["tasks"]] == [f"\\Bulk\\{name}" for name in sorted(texts)]
    assert all(task["xml"] == texts[task["path"][6:]] for task in response["tasks"])
    assert sum(1 for task in response["tasks"] if task["state"] == 1) == 667  # TASK_STATE disabled
    assert image.journal()[-1]["tasks"] == 2000


def test_the_root_of_the_image_must_exist(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        DirectoryHost(tmp_path / "missing")


def test_the_seed_files_are_where_read_finds_them(image: Image) -> None:
    install_seed(image)

    response = image.call({"op": "read", "files": [SCRIPT], "directories": [SCRIPT_DIR], "folders": [{"path": "\\"}]})

    assert response["files"][0]["file_hash"] == hashlib.sha256(SCRIPT_BYTES).hexdigest()
    assert response["folders"] == [{"path": "\\", "exists": True, "reparse_point": None}]
    assert response["tasks"] == []  # the seed's task is in \Isotools, not in the root folder


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "delete_task", "path": "\\..\\..\\..\\..\\accounts.json"},
        {"kind": "delete_task", "path": "\\Isotools/../../../../../accounts.json"},
        {"kind": "create_folder", "path": "\\..\\..\\..\\..\\..\\Escaped"},
        {"kind": "write_file", "path": "D:\\..\\accounts.json", "content_base64": "e30="},
        {"kind": "create_directory", "path": "D:\\Isotools\\..\\..\\Escaped"},
    ],
    ids=["delete-dotdot", "delete-slash", "folder-dotdot", "file-dotdot", "directory-dotdot"],
)
def test_no_change_reaches_outside_its_place_in_the_image(image: Image, change: dict[str, str]) -> None:
    install_seed(image)
    before = snapshot(image.root)

    response = image.call({"op": "apply", "changes": [{"id": "x", **change}]})

    assert statuses(response) == {"x": "refused"}
    assert "must not contain '.', '..', '/'" in response["results"][0]["message"]
    assert snapshot(image.root) == before
    assert not (image.root.parent / "Escaped").exists()


def test_a_read_naming_a_path_outside_the_image_fails(image: Image) -> None:
    response = image.call({"op": "read", "tasks": ["\\..\\..\\..\\..\\host.json"]})

    assert response["failed"] is True
    assert "must not contain" in response["msg"]


def test_a_bad_task_path_is_named_as_it_was_sent_so_that_it_can_be_copied(image: Image) -> None:
    response = image.call({"op": "read", "tasks": ["\\Isotools\\\\Synchro Stock"]})

    assert response["failed"] is True
    # One backslash for one, not repr's two.
    assert "task path '\\Isotools\\\\Synchro Stock' must look like \\Folder\\Name" in response["msg"], response["msg"]
