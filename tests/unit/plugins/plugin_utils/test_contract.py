# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host contract's messages: exact JSON round trips, precise errors, passwords never shown."""

from __future__ import annotations

import copy
import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    ACCOUNT_NOT_FOUND,
    CHANGED_CONCURRENTLY,
    AccountRecord,
    ApplyRequest,
    ApplyResult,
    Change,
    ChangeKind,
    ContractError,
    DirectoryRecord,
    FileRecord,
    FolderQuery,
    HistoryRequest,
    HistoryResult,
    HostFacts,
    HostFailure,
    ReadRequest,
    ReadResult,
    RunRequest,
    RunResult,
    TaskRecord,
    UnreadableTask,
    history_query,
    sha256_hex,
    split_task_path,
    windows_version_json,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType

SCRIPT = b"@echo off\r\ncall synchro.exe stock\r\n"
HASH = sha256_hex(SCRIPT)
TASK_HASH = sha256_hex(b"<Task/>")

READ_RESPONSE: dict[str, Any] = {
    "op": "read",
    "host": {
        "hostname": "SHOP01",
        "os_version": "10.0.20348",
        "time_zone": "W. Europe Standard Time",
        "utc_offset_minutes": 60,
    },
    "folders": [{"path": "\\Isotools", "exists": True, "reparse_point": None}],
    "tasks": [
        {
            "path": "\\Isotools\\Synchro Stock",
            "xml": "<Task/>",
            "task_hash": TASK_HASH,
            "enabled": True,
            "state": 3,  # TASK_STATE_READY
            "last_run_time": "2026-11-27T06:00:00",
            "last_result": 0,
            "next_run_time": "2026-11-28T06:00:00+01:00",
            "number_of_missed_runs": 0,
            "principal_sid": "S-1-5-21-1-2-3-1104",
        }
    ],
    "files": [
        {
            "path": "D:\\Isotools\\Synchro_prod\\stock\\synchro.bat",
            "exists": True,
            "file_hash": HASH,
            "size": len(SCRIPT),
            "content_base64": "QGVjaG8gb2ZmDQpjYWxsIHN5bmNocm8uZXhlIHN0b2NrDQo=",
            "owner": "S-1-5-32-544",
            "protected": True,
            "reparse_point": None,
            "aces": [
                {"sid": "S-1-5-18", "access_control_type": 0, "rights": 2032127, "propagation_flags": 0, "inherited": False},
                {"sid": "S-1-5-32-545", "access_control_type": 0, "rights": 0x1200A9, "propagation_flags": 0, "inherited": True},
            ],
        },
        {
            "path": "D:\\missing.bat",
            "exists": False,
            "file_hash": None,
            "size": None,
            "content_base64": None,
            "owner": None,
            "protected": False,
            "aces": [],
            "reparse_point": None,
        },
    ],
    "directories": [
        {"path": "D:\\Isotools\\Synchro_prod\\stock", "exists": True, "owner": "S-1-5-32-544", "protected": False, "aces": [], "reparse_point": None}
    ],
    "accounts": [
        {"name": "svc_sync", "sid": "S-1-5-21-1-2-3-1104", "error": None, "account": "CONTOSO\\svc_sync"},
        {"name": "nobody", "sid": None, "error": "account not found", "account": None, "not_found": True},
    ],
    "environment": [{"name": "Path", "value": "C:\\Windows\\system32;D:\\Tools"}, {"name": "LOCALAPPDATA", "value": None}],
}

APPLY_REQUEST: dict[str, Any] = {
    "op": "apply",
    "changes": [
        {"id": "c1", "kind": "create_folder", "path": "\\Isotools"},
        {"id": "c2", "kind": "create_directory", "path": "D:\\Isotools\\Synchro_prod\\stock"},
        {
            "id": "c3",
            "kind": "write_file",
            "path": "D:\\Isotools\\Synchro_prod\\stock\\synchro.bat",
            "content_base64": "QGVjaG8gb2ZmDQpjYWxsIHN5bmNocm8uZXhlIHN0b2NrDQo=",
            "expected_hash": None,
            "requires": ["c2"],
        },
        {
            "id": "c4",
            "kind": "set_acl",
            "path": "D:\\Isotools\\Synchro_prod\\stock",
            "full_control": ["S-1-5-32-544", "S-1-5-18"],
            "requires": ["c2"],
        },
        {
            "id": "c5",
            "kind": "register_task",
            "path": "\\Isotools\\Synchro Stock",
            "folder": "\\Isotools",
            "name": "Synchro Stock",
            "xml": "<Task/>",
            "user": "svc_sync",
            "logon_type": "password",
            "register_user": "svc_sync",  # its password is sent: RegisterTask gets the account
            "register_logon": 1,  # TASK_LOGON_PASSWORD
            "expected_hash": None,
            "requires": ["c1", "c3"],
        },
        {"id": "c6", "kind": "delete_task", "path": "\\Isotools\\Old", "folder": "\\Isotools", "name": "Old", "expected_hash": TASK_HASH},
    ],
    "passwords": {"c5": "S3cret!pw"},
    "lock_seconds": 300,
}


@pytest.mark.parametrize(
    ("message_type", "data"),
    [
        (
            ReadRequest,
            {
                "op": "read",
                "folders": [{"path": "\\Isotools", "recurse": False}],
                "tasks": ["\\Other\\One"],
                "files": [],
                "directories": [],
                "accounts": ["svc"],
                "environment": ["Path"],
                "file_content": False,
            },
        ),
        (ReadResult, READ_RESPONSE),
        (ApplyRequest, APPLY_REQUEST),
        (
            ApplyResult,
            {
                "op": "apply",
                "results": [
                    {"id": "c1", "status": "applied", "message": None, "task_hash": TASK_HASH},
                    {"id": "c6", "status": "refused", "message": "changed concurrently, re-run", "error_code": 5, "concurrent": True},
                ],
            },
        ),
        (RunRequest, {"op": "run", "tasks": ["\\Isotools\\Synchro Stock"], "wait": True, "timeout": 600}),
        (
            RunResult,
            {
                "op": "run",
                "runs": [
                    {
                        "path": "\\Isotools\\Synchro Stock",
                        "started": True,
                        "finished": True,
                        "timed_out": False,
                        "last_result": 1,
                        "start_time": "2026-11-28T06:00:00+01:00",
                        "end_time": "2026-11-28T06:00:12+01:00",
                        "duration": 12.5,
                        "message": None,
                        "instance_id": "6f7d2b1e-3c4a-4e5f-9a8b-1c2d3e4f5a6b",
                    }
                ],
            },
        ),
        (
            HistoryRequest,
            {
                "op": "history",
                "tasks": ["\\Isotools\\Synchro Stock"],
                "max_events": 50,
                "query": history_query(("\\Isotools\\Synchro Stock",)),
                "log": "Microsoft-Windows-TaskScheduler/Operational",
            },
        ),
        (
            HistoryResult,
            {
                "op": "history",
                "available": True,
                "events": [
                    {
                        "path": "\\Isotools\\Synchro Stock",
                        "time": "2026-11-28T06:00:12Z",
                        "event_id": 102,
                        "result_code": 0,
                        "activity_id": "a1",
                        "message": "done",
                    }
                ],
            },
        ),
    ],
)
def test_every_message_round_trips_exactly(message_type: Any, data: dict[str, Any]) -> None:
    message = message_type.from_json(copy.deepcopy(data))
    assert message.to_json() == data
    assert json.loads(json.dumps(message.to_json())) == data


def test_read_result_decodes_values_and_finds_records_whatever_the_case() -> None:
    result = ReadResult.from_json(READ_RESPONSE)
    task = result.task("\\ISOTOOLS\\synchro stock")
    assert task is not None and task.last_run_time == dt.datetime(2026, 11, 27, 6)
    assert task.next_run_time is not None and task.next_run_time.utcoffset() == dt.timedelta(hours=1)
    file = result.file("d:\\isotools\\synchro_prod\\STOCK\\synchro.bat")
    assert file is not None and file.content == SCRIPT
    # Judged from the raw DACL: SYSTEM's FullControl and the owner; Users may only read.
    assert file.writers == ("S-1-5-18", "S-1-5-32-544")
    directory = result.directory("D:\\Isotools\\Synchro_prod\\stock\\")
    assert directory is not None and directory.writers == ("S-1-5-32-544",)
    assert result.folder("\\isotools") is not None
    assert result.sids() == {"svc_sync": "S-1-5-21-1-2-3-1104", "CONTOSO\\svc_sync": "S-1-5-21-1-2-3-1104"}  # as asked and as the host names it
    assert result.task("\\Isotools\\Other") is None


def test_each_kind_of_record_is_found_by_its_path_or_name_in_any_case_and_again_after_a_merge() -> None:
    first, second = FileRecord("D:\\Isotools\\a.bat", exists=True), FileRecord("d:\\isotools\\A.BAT", exists=False)
    read = ReadResult(
        HostFacts("SHOP01"),
        files=(first, second),
        accounts=(AccountRecord("svc_sync", sid="S-1-5-21-1-2-3-1104", account="CONTOSO\\svc_sync"),),
        unreadable=(UnreadableTask("\\Isotools\\Broken", "not XML"),),
    )
    assert read.file("D:\\ISOTOOLS\\A.bat") is first  # two spellings of one path: the first read wins
    assert read.account("SVC_SYNC") is read.accounts[0] and read.known_as("Svc_Sync") == "CONTOSO\\svc_sync"
    assert read.unreadable_task("\\isotools\\broken") is read.unreadable[0] and read.task("\\Isotools\\Broken") is None
    assert read.account("S-1-5-21-1-2-3-1104") is None and read.directory("D:\\Isotools\\a.bat") is None  # by name; of its kind
    later = FileRecord("D:\\Isotools\\b.bat", exists=True)
    assert read.file(later.path) is None
    assert read.merged(ReadResult(HostFacts("SHOP01"), files=(later,))).file("d:\\isotools\\B.bat") is later


def mutated(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(READ_RESPONSE)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["tasks", 0, "task_hash"],
            "ABC",
            "read response: tasks[0].task_hash must be a lowercase hex SHA-256 (64 characters), got string 'ABC'",
        ),
        (
            ["tasks", 0, "state"],
            "sleeping",
            "read response: tasks[0].state must be one of unknown, disabled, queued, ready, running, got string 'sleeping'",
        ),
        (["tasks", 0, "state"], 5, "read response: tasks[0].state must be a TASK_STATE 0-4, got 5"),
        (["tasks", 0, "enabled"], "yes", "read response: tasks[0].enabled must be true or false, got string 'yes'"),
        (["tasks", 0, "xml"], KeyError, "read response: tasks[0].xml is required"),
        (
            ["tasks", 0, "last_result"],
            1 << 32,
            "read response: tasks[0].last_result must be a 32-bit result code or null, got int 4294967296",
        ),
        (
            ["tasks", 0, "last_run_time"],
            "27/11/2026 06:00",
            "read response: tasks[0].last_run_time: '27/11/2026 06:00' is not an ISO 8601 date-time",
        ),
        (
            ["tasks", 0, "principal_sid"],
            "CONTOSO\\svc_sync",
            # As the host sent it, to be copied: one backslash, not repr's two.
            "read response: tasks[0].principal_sid must be a SID (S-1-5-...) or null, got string 'CONTOSO\\svc_sync'",
        ),
        (["files", 0, "content_base64"], "not base64!", "read response: files[0].content_base64 is not valid base64"),
        (["files", 0, "content_base64"], "aGVsbG8=", "read response: files[0].content_base64 does not match file_hash"),
        (["files", 0, "file_hash"], None, "read response: files[0].file_hash is required for an existing file"),
        (["files", 0, "aces"], [5], "read response: files[0]: aces[0] must be a JSON object, got int 5"),
        (["files", 0, "owner"], None, "read response: files[0].owner is required for an existing file or directory"),
        (["directories", 0, "owner"], "BUILTIN\\Administrators", "read response: directories[0].owner must be a SID"),
        (
            ["accounts", 0, "error"],
            "denied",
            "read response: accounts[0]: exactly one of sid and error must be given for account 'svc_sync'",
        ),
        (["host"], "SHOP01", "read response: host must be a JSON object, got string 'SHOP01'"),
        (["folders"], {"path": "\\"}, "read response: folders must be a list, got an object"),
        (["op"], "apply", "read response: op must be 'read', got 'apply'"),
    ],
)
def test_a_malformed_host_answer_is_named_precisely(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(ContractError) as raised:
        ReadResult.from_json(mutated(path, value))
    assert str(raised.value).startswith(message)


def test_a_host_that_failed_the_whole_request_raises_host_failure() -> None:
    with pytest.raises(HostFailure, match="apply: Access is denied") as raised:
        ApplyResult.from_json({"op": "apply", "failed": True, "msg": "Access is denied"})
    assert raised.value.op == "apply"


def test_an_answer_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ContractError, match="run response must be a JSON object, got a list"):
        RunResult.from_json([])


def test_passwords_never_show_in_repr_or_redacted_json() -> None:
    request = ApplyRequest.from_json(APPLY_REQUEST)
    assert "S3cret!pw" not in repr(request)
    assert "S3cret!pw" not in json.dumps(request.redacted_json())
    assert request.redacted_json()["passwords"] == {"c5": "********"}
    assert request.to_json()["passwords"] == {"c5": "S3cret!pw"}


def test_file_contents_stay_out_of_repr() -> None:
    assert "synchro.exe" not in repr(FileRecord("D:\\x.bat", True, HASH, len(SCRIPT), SCRIPT))


@pytest.mark.parametrize(
    ("changes", "passwords", "message"),
    [
        (
            (Change("c1", "create_folder", "\\A"), Change("c1", "create_folder", "\\B")),
            {},
            "change ids must be unique, repeated: c1",
        ),
        (
            (Change("c1", "create_folder", "\\A"),),
            {"c1": "pw"},
            "passwords given for ids that are not register_task changes: c1",
        ),
        (
            (Change("c1", "create_folder", "\\A", requires=("c2",)), Change("c2", "create_folder", "\\B")),
            {},
            "change 'c1' requires c2, which no earlier change has",
        ),
    ],
)
def test_an_inconsistent_apply_request_is_refused(changes: tuple[Change, ...], passwords: dict[str, str], message: str) -> None:
    with pytest.raises(ContractError, match=message):
        ApplyRequest(changes, passwords)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "rename_task"}, "kind 'rename_task' must be one of create_folder, create_directory"),
        ({"kind": "write_file"}, "content is required"),
        ({"kind": "set_acl"}, "full_control must list at least one SID"),
        ({"kind": "register_task", "xml": "<Task/>"}, "xml and logon_type are required"),
        (
            {"kind": "create_folder", "expected_hash": TASK_HASH},
            "expected_hash only applies to write_file, register_task, delete_task",
        ),
    ],
)
def test_a_change_missing_its_kind_specific_fields_is_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ContractError, match=message):
        Change(id="c1", path="\\X", **kwargs)


def test_a_register_change_carries_the_logon_type_word() -> None:
    change = Change("c1", "register_task", "\\X", xml="<Task/>", user="SYSTEM", logon_type=LogonType.SERVICE_ACCOUNT)
    assert change.to_json() == {
        "id": "c1",
        "kind": "register_task",
        "path": "\\X",
        "folder": "\\",
        "name": "X",
        "xml": "<Task/>",
        "user": "SYSTEM",
        "logon_type": "service_account",
        "register_user": None,  # no password: the XML's principal rules (TASK_LOGON_NONE)
        "register_logon": 0,
        "expected_hash": None,
    }


def test_an_older_host_without_principal_sid_reads_as_unresolved() -> None:
    result = ReadResult.from_json(mutated(["tasks", 0, "principal_sid"], KeyError))
    task = result.task("\\Isotools\\Synchro Stock")
    assert task is not None and task.principal_sid is None
    assert ReadResult.from_json(READ_RESPONSE).tasks[0].principal_sid == "S-1-5-21-1-2-3-1104"


def test_records_explain_last_results() -> None:
    record = TaskRecord("\\X", "<Task/>", TASK_HASH, True, "ready", last_result=0x41303)
    assert record.last_result_text == "not yet run: the task has not run since it was registered (0x00041303)"


def test_defaults_of_optional_request_fields() -> None:
    assert ReadRequest.from_json({"op": "read"}) == ReadRequest()
    assert RunRequest.from_json({"op": "run", "tasks": ["\\X"]}) == RunRequest(("\\X",))
    assert HistoryRequest.from_json({"op": "history", "tasks": []}).max_events == 50
    assert FolderQuery.from_json({"path": "\\"}) == FolderQuery("\\", recurse=False)
    assert DirectoryRecord.from_json({"path": "D:\\x", "exists": False}, "d") == DirectoryRecord("D:\\x", False)
    assert AccountRecord.from_json({"name": "svc", "sid": "S-1-5-18"}, "a") == AccountRecord("svc", "S-1-5-18")


def test_host_times_keep_their_offset_so_a_dst_change_is_placed_right() -> None:
    # Both hosts write yyyy-MM-ddTHH:mm:sszzz: the two 02:30 of the night clocks go back are
    # an hour apart, which a local time alone cannot say.
    events = [
        {"path": "\\T", "time": time, "event_id": 102, "result_code": 0, "activity_id": None, "message": None}
        for time in ("2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00")
    ]

    summer, winter = HistoryResult.from_json({"op": "history", "events": events, "available": True}).events

    assert (winter.time - summer.time).total_seconds() == 3600
    assert [event.to_json()["time"] for event in (summer, winter)] == ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"]


def test_a_history_query_stays_within_what_windows_accepts() -> None:
    # Windows refuses an event XPath of more than about twenty terms ("The specified query is
    # invalid"): the names are spread over selects of ten; each is matched against any data value.
    tasks = [f"\\Isotools\\Job {number} & co" for number in range(23)]

    query = ET.fromstring(str(HistoryRequest(tuple(tasks)).to_json()["query"]))

    selects = [select.text or "" for select in query.iter("Select")]
    assert [select.count("Data=") for select in selects] == [10, 10, 3]
    assert {select.get("Path") for select in query.iter("Select")} == {"Microsoft-Windows-TaskScheduler/Operational"}
    assert 'Data="\\Isotools\\Job 0 & co"' in selects[0]


def test_a_history_query_for_no_task_reads_the_whole_log_and_one_for_unmatchable_names_none() -> None:
    everything = ET.fromstring(str(HistoryRequest(()).to_json()["query"]))

    assert [select.text for select in everything.iter("Select")] == ["*"]
    assert HistoryRequest(('\\a "quoted" name',)).to_json()["query"] is None  # no task name holds a quote


@pytest.mark.parametrize(("given", "code"), [(-2147024891, 0x80070005), ("0x41303", 0x41303), ("-2147024891", 0x80070005), ("267009", 267009), (0, 0)])
def test_result_codes_are_read_unsigned_whatever_form_the_host_gives(given: object, code: int) -> None:
    # Windows hands 32-bit codes out as signed integers, and event data gives them in decimal or hex.
    event = {"path": "\\T", "time": "2026-11-28T06:00:00+01:00", "event_id": 201, "result_code": given, "activity_id": None, "message": None}

    (parsed,) = HistoryResult.from_json({"op": "history", "events": [event], "available": True}).events
    run = RunResult.from_json({"op": "run", "runs": [{"path": "\\T", "started": True, "last_result": given}]}).runs[0]

    assert (parsed.result_code, run.last_result) == (code, code)


@pytest.mark.parametrize("never", ["1899-12-30T00:00:00+01:00", "1999-11-30T00:00:00+01:00", "1999-11-30T00:00:00"])
def test_task_schedulers_never_run_dates_are_no_time(never: str) -> None:
    # COM's zero date and Task Scheduler's own "has never run" (what schtasks shows beside 0x41303).
    task = {"path": "\\T", "xml": "<Task/>", "task_hash": "0" * 64, "enabled": True, "state": "ready", "last_run_time": never, "next_run_time": never}

    (record,) = ReadResult.from_json({"op": "read", "host": {"hostname": "H"}, "tasks": [task]}).tasks

    assert (record.last_run_time, record.next_run_time) == (None, None)


@pytest.mark.parametrize(
    ("given", "read"),
    [(-2147024891, 0x80070005), (0x80070005, 0x80070005), (5, 5), (-2146233087, None), (-2146233088, None), (None, None)],
)
def test_a_change_results_code_is_read_unsigned_and_dotnets_own_codes_as_none(given: int | None, read: int | None) -> None:
    # The Windows host sends Exception.HResult as .NET holds it (signed); COR_E_EXCEPTION and
    # COR_E_SYSTEM (a PowerShell `throw "text"`) carry no Windows code.
    result = ApplyResult.from_json({"op": "apply", "results": [{"id": "c1", "status": "failed", "message": "x", "error_code": given}]})

    assert result.results[0].error_code == read


def test_the_history_keeps_the_asked_tasks_events_and_drops_those_of_no_task() -> None:
    # The Windows host hands over every event its query matched (any data value): which are the
    # asked tasks' is the controller's call, and an event without TaskName or time is no run's.
    def event(path: str | None, time: str | None = "2026-11-28T06:00:00+01:00") -> dict[str, Any]:
        return {"path": path, "time": time, "event_id": 102, "result_code": "0", "activity_id": None, "message": None}

    data = {"op": "history", "available": True, "events": [event("\\ISOTOOLS\\A"), event("\\Isotools\\B"), event(None), event("\\Isotools\\A", None)]}

    assert [item.path for item in HistoryResult.from_json(data, ("\\Isotools\\A",)).events] == ["\\ISOTOOLS\\A"]
    assert [item.path for item in HistoryResult.from_json(data).events] == ["\\ISOTOOLS\\A", "\\Isotools\\B"]


@pytest.mark.parametrize(("sent", "named"), [(0, "unknown"), (1, "disabled"), (2, "queued"), (3, "ready"), (4, "running"), ("ready", "ready")])
def test_a_task_state_is_named_from_its_task_state_number(sent: object, named: str) -> None:
    # IRegisteredTask.State is a TASK_STATE number (taskschd.h); the table is the controller's.
    # An older host's name is read as it is.
    result = ReadResult.from_json(mutated(["tasks", 0, "state"], sent))

    assert result.tasks[0].state == named


def test_an_account_windows_maps_to_nothing_is_worded_by_the_controller() -> None:
    # The host sends IdentityNotMappedException's own (localised) text and not_found; any other
    # lookup failure keeps the host's text.
    not_mapped = {"name": "nobody", "sid": None, "error": "Certaines références n'ont pas pu être traduites.", "account": None, "not_found": True}
    other = {"name": "x", "sid": None, "error": "The trust relationship failed.", "account": None, "not_found": False}

    assert AccountRecord.from_json(not_mapped, "accounts[0]").error == ACCOUNT_NOT_FOUND
    assert AccountRecord.from_json(other, "accounts[1]").error == "The trust relationship failed."


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ({"major": 10, "minor": 0, "build": "20348", "current_version": "6.3"}, "10.0.20348"),
        ({"major": None, "minor": None, "build": "9600", "current_version": "6.3"}, "6.3.9600"),
        ({"build": "7601", "current_version": "6.1"}, "6.1.7601"),
    ],
)
def test_the_windows_version_is_composed_from_the_registry_values(version: dict[str, object], expected: str) -> None:
    # CurrentMajorVersionNumber and CurrentMinorVersionNumber exist from Windows 10 on; before, CurrentVersion is the version.
    facts = HostFacts.from_json({"hostname": "SHOP01", "windows_version": version})

    assert facts.os_version == expected
    assert HostFacts.from_json({"hostname": "SHOP01", "windows_version": windows_version_json(expected)}).os_version == expected


def test_an_older_hosts_composed_version_is_read_as_it_is() -> None:
    assert HostFacts.from_json({"hostname": "SHOP01", "os_version": "10.0.17763"}).os_version == "10.0.17763"
    assert HostFacts.from_json({"hostname": "SHOP01"}).os_version is None


def test_a_malformed_windows_version_is_named() -> None:
    with pytest.raises(ContractError, match=r"host: windows_version: major"):
        HostFacts.from_json({"hostname": "SHOP01", "windows_version": {"major": "ten", "build": "1"}})


def test_what_a_host_did_not_read_is_the_contracts_default() -> None:
    # A missing, linked or unreadable file or directory comes with only what was read.
    assert FileRecord.from_json({"path": "D:\\x.bat", "exists": False, "reparse_point": None}, "files[0]") == FileRecord("D:\\x.bat", False)
    assert FileRecord.from_json({"path": "D:\\x.bat", "exists": True, "error": "locked"}, "files[0]") == FileRecord("D:\\x.bat", True, error="locked")
    assert DirectoryRecord.from_json({"path": "D:\\x", "exists": True, "reparse_point": "D:\\x"}, "directories[0]") == DirectoryRecord(
        "D:\\x", True, reparse_point="D:\\x"
    )


def test_an_apply_says_how_long_to_wait_for_another_one() -> None:
    # The Windows host's mutex waits what the controller sends; an older controller's request without it: 300 s.
    assert ApplyRequest((), lock_seconds=60).to_json()["lock_seconds"] == 60
    assert ApplyRequest.from_json({"op": "apply", "changes": []}).lock_seconds == 300
    with pytest.raises(ContractError, match="lock_seconds"):
        ApplyRequest.from_json({"op": "apply", "changes": [], "lock_seconds": 0})


def test_a_change_kind_given_as_text_is_the_enum_and_goes_out_as_text() -> None:
    change = Change(id="c1", kind="create_folder", path="\\Isotools")  # type: ignore[arg-type]  # the text, as a host or old caller sends it

    assert change.kind is ChangeKind.CREATE_FOLDER
    sent = change.to_json()["kind"]
    assert sent == "create_folder" and not isinstance(sent, ChangeKind)
    assert f"{change.kind}" == "create_folder"  # in messages, the contract's word (Python 3.12 would format by name)


@pytest.mark.parametrize(
    ("account", "local_group", "registered"),
    [
        ("SHOP01\\Sync Operators", True, "Sync Operators"),  # this computer's local group: bare
        ("shop01\\Sync Operators", True, "Sync Operators"),  # the computer's name in any case
        ("CONTOSO\\Sync Operators", True, "CONTOSO\\Sync Operators"),  # a domain's group of a local group's name
        ("SHOP01\\operator", False, "SHOP01\\operator"),  # a local user keeps the computer's name
        ("NT AUTHORITY\\SYSTEM", False, "NT AUTHORITY\\SYSTEM"),
    ],
)
def test_this_computers_local_group_is_registered_without_the_computers_name(account: str, local_group: bool, registered: str) -> None:
    # The host gives the name Windows translates the SID to and whether it has a local group of
    # that name; the controller, which has the computer's name from the same read, decides.
    read = {**READ_RESPONSE, "accounts": [{"name": "x", "sid": "S-1-5-21-1-2-3-1010", "error": None, "account": account, "local_group": local_group}]}

    (record,) = ReadResult.from_json(read).accounts

    assert READ_RESPONSE["host"]["hostname"] == "SHOP01"  # type: ignore[index]
    assert record.account == registered


def test_a_refusal_by_the_hash_check_is_worded_by_the_controller() -> None:
    # The Windows host says "concurrent" and nothing more; a host's own text for anything else stays.
    sent = {"op": "apply", "results": [{"id": "c", "status": "refused", "message": None, "concurrent": True}, {"id": "d", "status": "refused", "message": "x"}]}

    concurrent, other = ApplyResult.from_json(sent).results

    assert (concurrent.message, other.message) == (CHANGED_CONCURRENTLY, "x")
    assert concurrent.to_json()["concurrent"] is True and "concurrent" not in other.to_json()


@pytest.mark.parametrize(
    ("run", "waited", "expected"),
    [
        ({"instance_id": "g", "start_time": "2026-11-28T06:00:00+01:00", "end_time": "2026-11-28T06:00:12+01:00"}, True, (True, True, False)),
        ({"instance_id": "g", "start_time": "2026-11-28T06:00:00+01:00"}, True, (True, False, True)),  # left running at the timeout
        ({"instance_id": "g", "start_time": "2026-11-28T06:00:00+01:00"}, False, (True, False, False)),  # not waited for
        ({}, True, (False, False, False)),  # not found
        ({"message": "The task is disabled."}, True, (False, False, False)),
        ({"started": True, "finished": False, "timed_out": False}, True, (True, False, False)),  # a host's own flags win
    ],
)
def test_whether_a_run_started_finished_or_timed_out_is_told_from_what_the_host_reports(
    run: dict[str, Any], waited: bool, expected: tuple[bool, bool, bool]
) -> None:
    # The Windows host reports the instance it started and, once the run ended, its end time;
    # it stops waiting only when every run ended or at the timeout.
    (parsed,) = RunResult.from_json({"op": "run", "runs": [{"path": "\\T", **run}]}, waited=waited).runs

    assert (parsed.started, parsed.finished, parsed.timed_out) == expected


@pytest.mark.parametrize(
    ("path", "split"),
    [("\\Name", ("\\", "Name")), ("\\Isotools\\Synchro Stock", ("\\Isotools", "Synchro Stock")), ("\\A\\B\\Name", ("\\A\\B", "Name"))],
)
def test_a_task_path_splits_into_the_folder_and_the_name_the_host_registers_it_under(path: str, split: tuple[str, str]) -> None:
    # One rule for the actions, the info entries and the Windows host's RegisterTask arguments.
    assert split_task_path(path) == split
