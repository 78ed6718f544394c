# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan: one host read + desired jobs -> one ordered list of changes, and what became of them.

Table-driven from ``data/plan/*.yml`` (see plan_cases.py for the format), plus properties of
the prune and of the apply outcome that no finite table proves.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_cases import CASES, Case, FakeHost, load_case

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import (
    AccountRecord,
    ApplyResult,
    ChangeResult,
    FileRecord,
    FolderRecord,
    HostFacts,
    ReadResult,
    TaskRecord,
    UnreadableTask,
    path_key,
    sha256_hex,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    ExecAction,
    LogonTrigger,
    LogonType,
    Principal,
    SessionStateChange,
    SessionStateChangeTrigger,
    TaskDefinition,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.ownership import is_owned, mark
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import (
    CHANGING,
    OUTCOMES,
    DesiredFile,
    DesiredJob,
    Outcome,
    PasswordOrigin,
    Plan,
    PlanError,
    PlanOptions,
    ScriptBackup,
    backup_entries,
    outcome_after_apply,
    plan,
    read_request_for,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import parse_xml, render_xml

CASE_FILES = sorted(CASES.glob("*.yml"))


def run_case(case: Case) -> Plan:
    state = case.host.read(read_request_for(case.jobs, case.options))
    return plan(case.jobs, state, case.options, render=render_xml, parse=parse_xml)


@pytest.mark.parametrize("case_file", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_plan_case(case_file: Path) -> None:
    case = load_case(case_file)
    expect = case.expect
    if "error" in expect:
        with pytest.raises(PlanError, match=expect["error"]["match"]) as raised:
            run_case(case)
        assert (raised.value.job, raised.value.field) == (expect["error"]["job"], expect["error"]["field"])
        return
    result = run_case(case)
    assert [_shown(change.to_json(), want, case.host) for change, want in zip(result.changes, expect["changes"], strict=False)] == expect["changes"]
    assert len(result.changes) == len(expect["changes"]), [change.to_json() for change in result.changes]
    assert {job.name: job.outcome for job in result.jobs} == expect["outcomes"]
    changed = {job.name: [str(change) for change in job.changes] for job in result.jobs if job.changes}
    assert changed == expect.get("field_changes", {})
    assert sorted(result.passwords) == sorted(expect.get("passwords", []))
    for name, texts in expect.get("warnings", {}).items():
        warnings = next(job.warnings for job in result.jobs if job.name == name)
        assert all(any(text in warning for warning in warnings) for text in texts), warnings
    assert result.changed is bool(expect["changes"])
    _assert_no_password_leaks(case, result)


def _shown(change: dict[str, Any], want: dict[str, Any], host: FakeHost) -> dict[str, Any]:
    """The keys of ``change`` the case states, ``expected_hash: read`` resolved against the host."""
    shown = {key: change.get(key, [] if key in ("requires", "full_control") else None) for key in want}
    read_hash = host.hash_of(change["path"])
    if want.get("expected_hash") == "read" and read_hash is not None and change.get("expected_hash") == read_hash:
        shown["expected_hash"] = "read"
    return shown


def _assert_no_password_leaks(case: Case, result: Plan) -> None:
    passwords = [job.password for job in case.jobs if job.password]
    shown = json.dumps([change.to_json() for change in result.changes]) + repr(result) + repr(backup_entries(result))
    shown += "".join(str(change) for job in result.jobs for change in job.changes)
    assert not [password for password in passwords if password in shown]
    assert all(result.passwords[change_id] in passwords for change_id in result.passwords)


# --- outcomes after apply, backups -------------------------------------------------------------


def _case(stem: str) -> tuple[Case, Plan]:
    case = load_case(CASES / f"{stem}.yml")
    return case, run_case(case)


def test_every_job_is_applied_when_every_change_is() -> None:
    planned = _case("create_from_empty")[1]
    answer = ApplyResult(tuple(ChangeResult(change.id, "applied") for change in planned.changes))
    (result,) = outcome_after_apply(planned, answer)
    assert (result.status, result.message, result.not_applied) == ("applied", None, ())
    assert result.applied == tuple(f"{change.kind} {change.path}" for change in planned.changes)


def test_a_refused_change_names_the_change_and_the_host_reason() -> None:
    planned = _case("update_one_trigger")[1]
    (register,) = planned.changes
    answer = ApplyResult((ChangeResult(register.id, "refused", "changed concurrently, re-run"),))
    (result,) = outcome_after_apply(planned, answer)
    assert result.status == "refused"
    assert result.message == "register_task \\Isotools\\Synchro Stock: refused: changed concurrently, re-run"
    assert result.not_applied == ("register_task \\Isotools\\Synchro Stock",)


def test_a_failed_write_skips_the_registration_that_needs_it() -> None:
    planned = _case("create_from_empty")[1]

    def answer(kind: str, change_id: str) -> ChangeResult:
        if kind == "write_file":
            return ChangeResult(change_id, "failed", "Access is denied", error_code=0x80070005)
        return ChangeResult(change_id, "skipped" if kind == "register_task" else "applied")

    (result,) = outcome_after_apply(planned, ApplyResult(tuple(answer(change.kind, change.id) for change in planned.changes)))
    assert result.status == "failed"
    assert result.message == (
        "write_file D:\\Isotools\\Synchro_prod\\localhost\\stock\\synchro.bat: failed: Access is denied (access denied (Win32 error 5, 0x80070005))"
    )
    assert result.not_applied == (
        "write_file D:\\Isotools\\Synchro_prod\\localhost\\stock\\synchro.bat",
        "register_task \\Isotools\\Synchro Stock",
    )
    # The host says nothing of a change it skipped: the controller names what it required.
    (register,) = [change for change in planned.changes if change.kind == "register_task"]
    write_id = next(change.id for change in planned.changes if change.kind == "write_file")
    (reason,) = [reason for words, reason in zip(result.not_applied, result.reasons, strict=True) if words.startswith("register_task")]
    assert write_id in register.requires
    assert reason.startswith("skipped: not applied because ") and write_id in reason and reason.endswith(" was not applied")


def test_a_change_the_host_never_answered_counts_as_skipped() -> None:
    planned = _case("update_one_trigger")[1]
    (result,) = outcome_after_apply(planned, ApplyResult(()))
    assert (result.status, result.message) == (
        "skipped",
        "register_task \\Isotools\\Synchro Stock: skipped: the host returned no result for it",
    )


def test_unchanged_jobs_stay_unchanged_after_apply() -> None:
    planned = _case("nothing_to_do")[1]
    assert [result.status for result in outcome_after_apply(planned, ApplyResult(()))] == ["unchanged"]


def test_backups_hold_what_each_change_replaces() -> None:
    case, planned = _case("script_only_change")
    (entry,) = backup_entries(planned)
    assert entry.xml is None  # the task itself is not replaced
    assert entry.scripts == (
        ScriptBackup(
            path="D:\\Isotools\\Synchro_prod\\localhost\\stock\\synchro.bat",
            content=b"@echo off\r\ncd /d %~dp0\r\nsynchro.exe stock\r\n",
            sensitive=False,
        ),
    )
    case, planned = _case("absent_job")
    (entry,) = backup_entries(planned)
    assert (entry.path, entry.outcome) == ("\\Isotools\\Old Sync", Outcome.DELETED)
    assert entry.xml == case.host.tasks[0].xml
    planned = _case("nothing_to_do")[1]
    assert backup_entries(planned) == []


# --- the read ----------------------------------------------------------------------------------


def test_the_read_asks_for_the_managed_folder_jobs_files_and_accounts_to_resolve() -> None:
    case = load_case(CASES / "create_from_empty.yml")
    other = DesiredJob(
        "Elsewhere",
        definition=TaskDefinition(name="Elsewhere", folder="\\Other", actions=(ExecAction(command="x.exe"),)),
    )
    request = read_request_for((*case.jobs, other, DesiredJob("Gone", state="absent")), case.options)
    assert request.to_json() == {
        "op": "read",
        "folders": [{"path": "\\Isotools", "recurse": False}, {"path": "\\Other", "recurse": False}],
        "tasks": ["\\Isotools\\Synchro Stock", "\\Other\\Elsewhere", "\\Isotools\\Gone"],
        # What each task runs (its command, the script its arguments name), and the folders above;
        # x.exe, named bare, where Windows looks for it before PATH (read with the machine's PATH).
        "files": [
            "D:\\Isotools\\Synchro_prod\\localhost\\stock\\synchro.bat",
            "C:\\Windows\\System32\\cmd.exe",
            "C:\\Windows\\System32\\x.exe",
            "C:\\Windows\\System\\x.exe",
            "C:\\Windows\\x.exe",
        ],
        "directories": [
            "D:\\Isotools\\Synchro_prod\\localhost\\stock",
            "C:\\Windows\\System32",
            "C:\\Windows",
            "C:\\",
            "D:\\Isotools\\Synchro_prod\\localhost",
            "D:\\Isotools\\Synchro_prod",
            "D:\\Isotools",
            "D:\\",
            "C:\\Windows\\System",
        ],
        "accounts": ["svc_sync"],  # SYSTEM, BUILTIN\\Administrators and SIDs need no host
        "environment": ["WINDIR", "PATH"],
    }


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="update_password 'sometimes' must be one of on_create, always"):
        PlanOptions(folder="\\Isotools", update_password="sometimes")
    with pytest.raises(ValueError, match="must be a Task Scheduler folder path"):
        PlanOptions(folder="Isotools")


def test_a_task_declared_twice_is_refused() -> None:
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),))
    jobs = [DesiredJob("one", definition=definition), DesiredJob("two", definition=definition)]
    state = ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),))
    with pytest.raises(PlanError, match="task path '\\\\Isotools\\\\A' is declared twice"):
        plan(jobs, state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)


def test_files_hold_their_bytes_out_of_repr() -> None:
    assert "secret-ish" not in repr(DesiredFile("D:\\a.bat", b"secret-ish"))
    assert "pw" not in repr(DesiredJob("x", password="pw"))


# --- prune: only owned tasks directly in the managed folder, never declared ones ----------------

FOLDERS = ["\\Isotools", "\\ISOTOOLS", "\\isotools\\Sub", "\\Isotools\\Sub\\Deeper", "\\Other", "\\", "\\Isotools2"]
HOST_TASKS = st.lists(
    st.tuples(
        st.sampled_from(FOLDERS),
        st.sampled_from(["Stock", "stock", "Prix", "Clients", "Old", "Commandes"]),
        st.booleans(),
    ),
    max_size=10,
    unique_by=lambda task: path_key(f"{task[0].rstrip(chr(92))}\\{task[1]}"),
)


def _definition(folder: str, name: str) -> TaskDefinition:
    return TaskDefinition(
        name=name,
        folder=folder,
        actions=(ExecAction(command="C:\\Windows\\System32\\cmd.exe", arguments=f"/k {name}.bat & exit"),),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    host_tasks=HOST_TASKS,
    declared=st.sets(st.sampled_from(["Stock", "PRIX", "Old", "New"])),
    absent=st.sets(st.sampled_from(["Clients", "Gone"])),
)
def test_prune_deletes_only_owned_undeclared_tasks_directly_in_the_managed_folder(
    host_tasks: list[tuple[str, str, bool]], declared: set[str], absent: set[str]
) -> None:
    records = []
    for folder, name, owned in host_tasks:
        definition = _definition(folder, name)
        xml = render_xml(mark(definition, password_version=None) if owned else definition)
        records.append(TaskRecord(definition.path, xml, sha256_hex(xml.encode()), True, "ready"))
    # A host that returns every task it has, sub-folders and other folders included.
    state = ReadResult(HostFacts("h"), folders=tuple(FolderRecord(folder, True) for folder in FOLDERS), tasks=tuple(records))
    jobs = [DesiredJob(name, definition=_definition("\\Isotools", name)) for name in sorted(declared - absent)]
    jobs += [DesiredJob(name, state="absent") for name in sorted(absent - declared)]
    result = plan(jobs, state, PlanOptions("\\Isotools", prune=True), render=render_xml, parse=parse_xml)

    deleted = {path_key(change.path) for change in result.changes if change.kind == "delete_task"}
    present = {name.casefold() for name in declared - absent}
    expected = {
        path_key(f"{folder}\\{name}")
        for folder, name, owned in host_tasks
        if owned and path_key(folder) == path_key("\\Isotools") and name.casefold() not in present
    }
    assert deleted == expected
    hashes = {path_key(record.path): record.task_hash for record in records}
    assert all(change.expected_hash == hashes[path_key(change.path)] for change in result.changes if change.kind == "delete_task")


def test_a_plan_keeps_an_earlier_plan_s_xml_only_for_the_same_definition() -> None:
    # sync plans again after each follow-up read, passing the earlier plan's XML: a definition
    # unchanged since is not rendered again, one that changed is, so the XML registered is always
    # the definition's own.
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),))
    state = ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),))
    rendered: list[TaskDefinition] = []

    def counting(given: TaskDefinition) -> str:
        rendered.append(given)
        return render_xml(given)

    first = plan([DesiredJob("A", definition=definition)], state, PlanOptions("\\Isotools"), render=counting, parse=parse_xml)
    again = plan([DesiredJob("A", definition=definition)], state, PlanOptions("\\Isotools"), render=counting, parse=parse_xml, rendered=first.rendered)
    assert len(rendered) == 1 and again.changes == first.changes and again.rendered == first.rendered

    other = dataclasses.replace(definition, actions=(ExecAction(command="y.exe"),))
    changed = plan([DesiredJob("A", definition=other)], state, PlanOptions("\\Isotools"), render=counting, parse=parse_xml, rendered=first.rendered)
    assert len(rendered) == 2
    [register] = [change for change in changed.changes if change.kind == "register_task"]
    assert parse_xml(register.xml or "", name="A", folder="\\Isotools").actions == (ExecAction(command="y.exe"),)


def test_a_task_that_cannot_be_rendered_is_a_plan_error() -> None:
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),))
    state = ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),))

    def refuse(_definition: TaskDefinition) -> str:
        raise ValueError("no XML for you")

    with pytest.raises(PlanError, match="job 'a': task: cannot be written as Task Scheduler XML: no XML for you"):
        plan([DesiredJob("a", definition=definition)], state, PlanOptions("\\Isotools"), render=refuse, parse=parse_xml)


@pytest.mark.parametrize(
    ("spelled", "known_as"),
    [(".\\operator", "SHOP01\\operator"), ("SHOP01\\Sync Operators", "Sync Operators"), ("svc_sync@contoso.com", "CONTOSO\\svc_sync")],
)
def test_a_task_is_registered_under_the_name_the_host_knows_its_account_by(spelled: str, known_as: str) -> None:
    # ".\name" in a task's UserId is reported refused ("(22,8):UserId:", community.windows #453), and a
    # local group only resolves without the computer's name: the host's own name for the SID is
    # registered (Ansible's SID utils normalise so), in the XML and in the change.
    definition = TaskDefinition(
        name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),), principal=Principal(user_id=spelled, logon_type=LogonType.S4U)
    )
    state = ReadResult(
        HostFacts("SHOP01"),
        folders=(FolderRecord("\\Isotools", True),),
        accounts=(AccountRecord(spelled, sid="S-1-5-21-1-2-3-1001", account=known_as),),
    )

    result = plan([DesiredJob("A", definition=definition)], state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    (change,) = [change for change in result.changes if change.kind == "register_task"]
    assert change.user == known_as
    assert parse_xml(change.xml or "", name="A", folder="\\Isotools").principal.user_id == known_as


@pytest.mark.parametrize(
    ("spelled", "known_as"),
    [(".\\operator", "SHOP01\\operator"), ("SHOP01\\operator", "SHOP01\\operator"), ("operator@contoso.com", "CONTOSO\\operator")],
)
def test_a_logon_triggers_user_is_registered_as_the_host_names_it_and_reads_back_unchanged(spelled: str, known_as: str) -> None:
    # A trigger's UserId reaches Windows as the principal's does: ".\name" as the computer's own
    # name, each spelling as the host's name for the SID; the next plan sees no drift.
    definition = TaskDefinition(
        name="A",
        folder="\\Isotools",
        actions=(ExecAction(command="x.exe"),),
        triggers=(LogonTrigger(user_id=spelled), SessionStateChangeTrigger(state_change=SessionStateChange.SESSION_UNLOCK, user_id=spelled)),
    )
    accounts = (AccountRecord(spelled, sid="S-1-5-21-1-2-3-1001", account=known_as),)
    empty = ReadResult(HostFacts("SHOP01"), folders=(FolderRecord("\\Isotools", True),), accounts=accounts)

    first = plan([DesiredJob("A", definition=definition)], empty, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    (change,) = [change for change in first.changes if change.kind == "register_task"]
    registered = parse_xml(change.xml or "", name="A", folder="\\Isotools")
    assert [trigger.user_id for trigger in registered.triggers] == [known_as, known_as]  # type: ignore[union-attr]
    read_back = TaskRecord("\\Isotools\\A", change.xml or "", sha256_hex((change.xml or "").encode()), True, "ready", principal_sid="S-1-5-18")
    again = plan(
        [DesiredJob("A", definition=definition)],
        dataclasses.replace(empty, tasks=(read_back,)),
        PlanOptions("\\Isotools"),
        render=render_xml,
        parse=parse_xml,
    )
    assert [item.kind for item in again.changes] == []


def test_a_logon_triggers_sid_is_registered_as_given() -> None:
    # Windows takes "user name or SID" for a logon trigger's UserId (LogonTrigger.UserId): it stays
    # as written, as a principal's SID does. The read is asked about it all the same, for the
    # host's name for it, which a task may hold instead (compared by SID).
    sid = "S-1-5-21-1-2-3-1001"
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),), triggers=(LogonTrigger(user_id=sid),))
    accounts = (AccountRecord(sid, sid=sid, account="CONTOSO\\operator"),)
    state = ReadResult(HostFacts("SHOP01"), folders=(FolderRecord("\\Isotools", True),), accounts=accounts)

    result = plan([DesiredJob("A", definition=definition)], state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    (change,) = [change for change in result.changes if change.kind == "register_task"]
    assert parse_xml(change.xml or "", name="A", folder="\\Isotools").triggers[0].user_id == sid  # type: ignore[union-attr]
    assert read_request_for([DesiredJob("A", definition=definition)], PlanOptions("\\Isotools")).accounts == (sid,)


def test_a_script_the_host_could_not_read_stops_the_plan_with_the_hosts_reason() -> None:
    # Without its hash the write could only be refused as "changed concurrently", which it was not.
    script = "D:\\Isotools\\Synchro_prod\\localhost\\a\\synchro.bat"
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),))
    job = DesiredJob("A", definition=definition, files=(DesiredFile(script, b"rem\r\n"),))
    locked = FileRecord(script, exists=True, error="The process cannot access the file because it is being used by another process.")
    state = ReadResult(HostFacts("SHOP01"), folders=(FolderRecord("\\Isotools", True),), files=(locked,))

    with pytest.raises(PlanError) as raised:
        plan([job], state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    (problem,) = raised.value.problems
    assert (problem.job, problem.field) == ("A", "files")
    assert "could not be read on the host" in problem.message and "being used by another process" in problem.message


@pytest.mark.parametrize("kind", ["unparseable", "unreadable"])
def test_a_task_the_plan_cannot_read_leaves_its_job_alone_and_plans_the_others(kind: str) -> None:
    broken = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),))
    other = TaskDefinition(name="B", folder="\\Isotools", actions=(ExecAction(command="y.exe"),))
    if kind == "unparseable":
        tasks = (TaskRecord("\\Isotools\\A", "<Task", sha256_hex(b"<Task"), True, "ready"),)
        state = ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),), tasks=tasks)
    else:
        unreadable = (UnreadableTask("\\Isotools\\A", "not UTF-16"),)
        state = ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),), unreadable=unreadable)

    result = plan([DesiredJob("a", definition=broken), DesiredJob("b", definition=other)], state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    assert [(job.name, job.outcome) for job in result.jobs] == [("a", "unreadable"), ("b", "created")]
    assert result.jobs[0].change_ids == () and result.jobs[0].error is not None
    assert result.jobs[0].error.startswith("the task '\\Isotools\\A' on the host could not be read: ")
    assert result.jobs[0].error.endswith("; fix or delete it by hand")
    assert [change.path for change in result.changes] == ["\\Isotools\\B"]


def _host_with(definition: TaskDefinition, xml: str) -> ReadResult:
    record = TaskRecord(definition.path, xml, sha256_hex(xml.encode()), True, "ready")
    return ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),), tasks=(record,))


@pytest.mark.parametrize("owner", ["default", "shop-a"])
def test_a_hand_made_task_the_inventory_declares_is_taken_over_then_owned_like_any_other(owner: str) -> None:
    definition = _definition("\\Isotools", "Stock")
    job = DesiredJob("Stock", definition=definition)
    options = PlanOptions("\\Isotools", owner=owner)

    def run(jobs: list[DesiredJob], state: ReadResult, **extra: Any) -> Plan:
        return plan(jobs, state, dataclasses.replace(options, **extra), render=render_xml, parse=parse_xml)

    hand_made = _host_with(definition, render_xml(definition))
    # Before the takeover nothing of this owner may delete it: state absent and a prune leave it.
    assert [job.outcome for job in run([DesiredJob("Stock", state="absent")], hand_made).jobs] == ["unchanged"]
    assert run([], hand_made, prune=True).changes == ()

    taken = run([job], hand_made)
    (planned,) = taken.jobs
    assert (planned.outcome, planned.changes, planned.changed) == ("taken_over", (), True)
    assert [change.kind for change in taken.changes] == ["register_task"]
    assert planned.xml_after is not None
    assert is_owned(parse_xml(planned.xml_after, name="Stock", folder="\\Isotools"), owner)

    managed = _host_with(definition, planned.xml_after)
    assert [job.outcome for job in run([job], managed).jobs] == ["unchanged"]
    assert [job.outcome for job in run([], managed, prune=True).jobs] == ["pruned"]
    assert [job.outcome for job in run([DesiredJob("Stock", state="absent")], managed).jobs] == ["deleted"]


def test_a_task_registered_by_0_1_0_is_the_default_owners_and_not_taken_over_again() -> None:
    definition = _definition("\\Isotools", "Stock")
    bare = render_xml(mark(definition, password_version=None))
    assert "<Source>isotools.shop_sync</Source>" in bare
    result = plan([DesiredJob("Stock", definition=definition)], _host_with(definition, bare), PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)
    assert ([job.outcome for job in result.jobs], result.changes) == (["unchanged"], ())


def test_a_hand_made_password_task_without_its_password_is_its_own_finding_in_check_mode_and_refused_otherwise() -> None:
    # Adopted from a server: its logon stores svc_sync's password, which the inventory does not give yet.
    principal = Principal(user_id="svc_sync", logon_type=LogonType.PASSWORD)
    stock = dataclasses.replace(_definition("\\Isotools", "Stock"), principal=principal)
    prix = _definition("\\Isotools", "Prix")
    xml = render_xml(stock)
    records = (TaskRecord(stock.path, xml, sha256_hex(xml.encode()), True, "ready"),)
    state = ReadResult(HostFacts("h"), folders=(FolderRecord("\\Isotools", True),), tasks=records)
    jobs = [DesiredJob("Stock", definition=stock), DesiredJob("Prix", definition=prix)]

    def run(*, check_mode: bool) -> Plan:
        return plan(jobs, state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml, check_mode=check_mode)

    # In check mode nothing is registered: the one job says why it cannot be taken over, the other is planned.
    checked = run(check_mode=True)
    assert [(job.name, job.outcome) for job in checked.jobs] == [("Stock", "needs_password"), ("Prix", "created")]
    needs = checked.jobs[0]
    assert (needs.change_ids, needs.changed, needs.xml_after) == ((), False, None)
    assert needs.error is not None and "cannot be taken over without its password" in needs.error
    assert "shop_sync_default_password" in needs.error and "the job's password" in needs.error and "'svc_sync'" in needs.error
    assert [change.path for change in checked.changes] == ["\\Isotools\\Prix"]
    # A deploy refuses before any write, naming the job and the field.
    with pytest.raises(PlanError, match="taking it over registers it again") as refused:
        run(check_mode=False)
    assert (refused.value.job, refused.value.field) == ("Stock", "principal.password")


def test_outcomes_read_as_the_result_words() -> None:
    assert tuple(outcome.value for outcome in Outcome) == OUTCOMES
    assert "created" in CHANGING and "unchanged" not in CHANGING  # the result's text compares as the enum
    assert f"{Outcome.TAKEN_OVER}" == "taken_over"  # in messages, the word (Python 3.12 would format by name)


GMSA_SID = "S-1-5-21-3623811015-3361044348-30300820-2201"  # invented, as the other SIDs here


def _gmsa_state(*tasks: TaskRecord) -> ReadResult:
    """A host whose read names the SID a gMSA: only that name tells it is one."""
    accounts = (AccountRecord(GMSA_SID, sid=GMSA_SID, account="CONTOSO\\gmsa_sync$"),)
    return ReadResult(HostFacts("SHOP01"), folders=(FolderRecord("\\Isotools", True),), tasks=tasks, accounts=accounts)


def test_a_gmsa_given_by_its_sid_sends_no_password_and_keeps_no_password_version() -> None:
    # The role gives an account "auto" logon_type password and shop_sync_default_password unless its
    # name says gMSA; by its SID only the host's read says so. Windows fetches a gMSA's password:
    # the default is not sent, and no password version is marked, so a version bump registers nothing again.
    principal = Principal(user_id=GMSA_SID, logon_type=LogonType.PASSWORD)
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),), principal=principal)
    job = DesiredJob("A", definition=definition, password="not-for-a-gmsa", password_origin=PasswordOrigin.DEFAULT, password_version="2")

    first = plan([job], _gmsa_state(), PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    (change,) = [change for change in first.changes if change.kind == "register_task"]
    assert first.passwords == {}
    assert (change.user, change.logon_type) == (GMSA_SID, LogonType.PASSWORD)
    registered = parse_xml(change.xml or "", name="A", folder="\\Isotools")
    assert (registered.principal.user_id, registered.principal.logon_type) == (GMSA_SID, LogonType.PASSWORD)
    read_back = TaskRecord("\\Isotools\\A", change.xml or "", sha256_hex((change.xml or "").encode()), True, "ready", principal_sid=GMSA_SID)
    bumped = dataclasses.replace(job, password_version="3")
    assert plan([bumped], _gmsa_state(read_back), PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml).changes == ()


def test_a_password_written_for_a_gmsa_given_by_its_sid_is_refused_before_any_change() -> None:
    # Written for the job, a password says the account has one: a gMSA has none, by its name
    # (the spec refuses it) or by the host's name for its SID (only the plan can tell).
    principal = Principal(user_id=GMSA_SID, logon_type=LogonType.PASSWORD)
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),), principal=principal)
    job = DesiredJob("A", definition=definition, password="not-for-a-gmsa")

    with pytest.raises(PlanError) as refused:
        plan([job], _gmsa_state(), PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    assert (refused.value.job, refused.value.field) == ("A", "principal.password")
    assert f"'{GMSA_SID}' ('CONTOSO\\gmsa_sync$' on the host)" in str(refused.value)
    assert "not-for-a-gmsa" not in str(refused.value)


def test_a_sid_the_host_does_not_name_a_gmsa_keeps_its_interactive_token_logon() -> None:
    # The spec leaves a SID's logon type to the host's read; any account but a gMSA gets the
    # default a name gets: its interactive token (logon_type interactive_token).
    sid = "S-1-5-21-3623811015-3361044348-30300820-1104"
    definition = TaskDefinition(name="A", folder="\\Isotools", actions=(ExecAction(command="x.exe"),), principal=Principal(user_id=sid))
    state = ReadResult(HostFacts("SHOP01"), folders=(FolderRecord("\\Isotools", True),), accounts=(AccountRecord(sid, sid=sid, account="CONTOSO\\svc_sync"),))

    result = plan([DesiredJob("A", definition=definition)], state, PlanOptions("\\Isotools"), render=render_xml, parse=parse_xml)

    (change,) = [change for change in result.changes if change.kind == "register_task"]
    assert change.logon_type is LogonType.INTERACTIVE_TOKEN
    assert parse_xml(change.xml or "", name="A", folder="\\Isotools").principal.logon_type is LogonType.INTERACTIVE_TOKEN
