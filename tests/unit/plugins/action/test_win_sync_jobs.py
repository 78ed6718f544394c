# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""win_sync_jobs through its action plugin, against a directory host on disk."""

from __future__ import annotations

import datetime as dt
import enum
import json
from pathlib import Path
from typing import Any

import pytest
from host_samples import synchro_task_xml
from support.action_harness import SVC_SYNC, Harness, daily_job

from ansible_collections.isotools.shop_sync.plugins.plugin_utils import sync as sync_module

ROOT = "D:\\Isotools\\Synchro_prod\\localhost"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


def twenty_jobs() -> list[dict[str, Any]]:
    return [daily_job(f"Synchro {index:02d}", f"{ROOT}\\synchrof{index:05d}", at=f"{index % 24:02d}:15") for index in range(20)]


def test_twenty_jobs_deploy_in_one_read_and_one_apply_then_nothing(harness: Harness) -> None:
    first = harness.run("win_sync_jobs", {"jobs": twenty_jobs()})
    assert first["changed"] is True
    assert [job["outcome"] for job in first["jobs"]] == ["created"] * 20
    # plain text, not the plan's Outcome enum: the result is Ansible's, serialised and templated as
    # text (on 2.17/2.18 as AnsibleUnsafeText, a str too: inert())
    assert not any(isinstance(job["outcome"], enum.Enum) for job in first["jobs"])
    assert all(job["applied"] and job["message"] is None for job in first["jobs"])
    assert harness.ops() == ["read", "apply"]
    assert harness.journal()[1]["applied"] == harness.journal()[1]["changes"]

    harness.forget_journal()
    again = harness.run("win_sync_jobs", {"jobs": twenty_jobs()})
    assert again["changed"] is False
    assert {job["outcome"] for job in again["jobs"]} == {"unchanged"}
    assert harness.ops() == ["read"]


def test_scripts_are_written_with_crlf_and_the_default_action_runs_them(harness: Harness) -> None:
    job = daily_job("Synchro Stock", f"{ROOT}\\stock", content="@echo off\ncall php sync.php stock\n")
    result = harness.run("win_sync_jobs", {"jobs": [job]})
    assert result["changed"] is True
    script = harness.windows_path(f"{ROOT}\\stock\\synchro.bat")
    assert script.read_bytes() == b"@echo off\r\ncall php sync.php stock\r\n"
    task = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16")
    assert "<Command>C:\\Windows\\System32\\cmd.exe</Command>" in task
    assert "<Arguments>/c synchro.bat</Arguments>" in task
    assert f"<WorkingDirectory>{ROOT}\\stock</WorkingDirectory>" in task


def test_a_template_is_found_in_the_playbook_templates_and_sees_the_job(harness: Harness) -> None:
    (harness.playbook_dir / "templates" / "synchro.bat.j2").write_text(
        "@echo off\nrem {{ job.name }} in {{ shop_sync_job.working_directory }}\ncall {{ sync_command }}\n", encoding="utf-8"
    )
    job = daily_job("Synchro Stock", f"{ROOT}\\stock")
    job["script"] = {"template": "synchro.bat.j2", "vars": {"sync_command": "php D:\\shop\\sync.php stock"}}
    assert harness.run("win_sync_jobs", {"jobs": [job]})["changed"] is True
    written = harness.windows_path(f"{ROOT}\\stock\\synchro.bat").read_bytes()
    assert written == f"@echo off\r\nrem Synchro Stock in {ROOT}\\stock\r\ncall php D:\\shop\\sync.php stock\r\n".encode()
    assert harness.run("win_sync_jobs", {"jobs": [job]})["changed"] is False


def test_every_problem_of_every_job_is_reported_and_the_host_untouched(harness: Harness) -> None:
    jobs = [
        daily_job("stock", f"{ROOT}\\stock", at="25:00"),
        daily_job("Prices", "Isotools\\prices"),
        daily_job("STOCK", f"{ROOT}\\stock2"),
        {"name": "orders", "working_directory": f"{ROOT}\\orders", "script": {"template": "missing.j2"}},
        {"name": "clients", "working_directory": f"{ROOT}\\clients", "task": {"folder": "\\Other", "settings": {"priorty": 3}}},
    ]
    result = harness.run("win_sync_jobs", {"jobs": jobs})
    assert result["failed"] is True
    message = result["msg"]
    assert "job 'stock': task.triggers[0].at '25:00'" in message
    assert "job 'Prices': working_directory 'Isotools\\prices' must be an absolute folder" in message
    assert "job 'STOCK': name is also the name of job 'stock'" in message
    assert "job 'orders': script.template 'missing.j2' was not found" in message
    assert "job 'clients': task.folder is set by the module's folder option" in message
    assert "job 'clients': task.settings.priorty is not a known option (did you mean priority?)" in message
    assert result["changed"] is False and result["jobs"] == []
    assert harness.ops() == []


def test_check_mode_reports_the_plan_and_writes_nothing(harness: Harness) -> None:
    result = harness.run("win_sync_jobs", {"jobs": twenty_jobs()[:3]}, check_mode=True)
    assert result["changed"] is True
    assert [job["outcome"] for job in result["jobs"]] == ["created"] * 3
    assert not any(job["applied"] for job in result["jobs"])
    assert harness.ops() == ["read"]
    assert not harness.windows_path(ROOT).exists()


def test_diff_has_one_entry_per_changed_job_with_xml_and_script(harness: Harness) -> None:
    jobs = [daily_job("Stock", f"{ROOT}\\stock"), daily_job("Prices", f"{ROOT}\\prices")]
    harness.run("win_sync_jobs", {"jobs": jobs})
    jobs[1] = daily_job("Prices", f"{ROOT}\\prices", content="@echo off\nsynchro.exe --prices\n")
    result = harness.run("win_sync_jobs", {"jobs": jobs}, diff=True)
    assert [entry["before_header"] for entry in result["diff"]] == ["\\Isotools\\Prices"]
    prepared = result["diff"][0]["prepared"]
    assert "-synchro.exe" in prepared and "+synchro.exe --prices" in prepared
    assert result["diff"][0]["before"] == result["diff"][0]["after"]  # the task itself is unchanged


def test_prune_deletes_only_owned_tasks_directly_in_the_folder(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Keep", f"{ROOT}\\keep"), daily_job("Old", f"{ROOT}\\old")]})
    harness.run("win_sync_jobs", {"folder": "\\Isotools\\Archive", "jobs": [daily_job("Archived", f"{ROOT}\\archived")]})
    hand_made = synchro_task_xml(f"{ROOT}\\manual").replace("<Source>isotools.shop_sync</Source>", "")
    harness.put_task("\\Isotools", "Made by hand", hand_made)

    without_prune = harness.run("win_sync_jobs", {"jobs": [daily_job("Keep", f"{ROOT}\\keep")]})
    assert without_prune["changed"] is False
    assert harness.task_file("\\Isotools", "Old").exists()

    pruned = harness.run("win_sync_jobs", {"prune": True, "jobs": [daily_job("Keep", f"{ROOT}\\keep")]})
    assert pruned["changed"] is True
    assert [(job["name"], job["outcome"]) for job in pruned["jobs"]] == [("Keep", "unchanged"), ("Old", "pruned")]
    assert not harness.task_file("\\Isotools", "Old").exists()
    assert harness.task_file("\\Isotools", "Made by hand").exists()
    assert harness.task_file("\\Isotools\\Archive", "Archived").exists()


def test_backups_keep_the_previous_task_and_script_before_the_apply(harness: Harness) -> None:
    job = daily_job("Synchro Stock", f"{ROOT}\\stock", content="@echo off\nold.exe\n")
    harness.run("win_sync_jobs", {"jobs": [job]})
    previous_xml = harness.task_file("\\Isotools", "Synchro Stock").read_bytes()
    changed = daily_job("Synchro Stock", f"{ROOT}\\stock", at="07:00", content="@echo off\nnew.exe\n")
    result = harness.run("win_sync_jobs", {"jobs": [changed], "backup": True, "backup_dir": "backups"})
    assert result["changed"] is True
    [backup] = result["backups"]
    assert backup["job"] == "Synchro Stock" and backup["outcome"] == "updated"
    assert backup["scripts"] == [{"path": f"{ROOT}\\stock\\synchro.bat", "content": "@echo off\nold.exe\n", "sensitive": False}]
    files = sorted(Path(path) for path in backup["files"])
    assert [path.name for path in files] == ["D_Isotools_Synchro_prod_localhost_stock_synchro.bat", "Synchro Stock.xml"]
    assert files[0].parent.parent == harness.playbook_dir / "backups" / "shop01"
    assert files[0].read_bytes() == b"@echo off\r\nold.exe\r\n"
    # As Windows stores a task (UTF-16, CRLF), whatever line ends the host returned.
    assert files[1].read_bytes().decode("utf-16").splitlines() == previous_xml.decode("utf-16").splitlines()


def test_a_refused_change_fails_naming_what_was_and_was_not_applied(harness: Harness) -> None:
    harness.write_json("faults.json", [{"change": "*\\prices\\synchro.bat", "fault": "access_denied"}])
    jobs = [daily_job("Stock", f"{ROOT}\\stock"), daily_job("Prices", f"{ROOT}\\prices")]
    result = harness.run("win_sync_jobs", {"jobs": jobs})
    assert result["failed"] is True
    assert result["changed"] is True
    by_name = {job["name"]: job for job in result["jobs"]}
    assert by_name["Stock"]["applied"] is True and by_name["Stock"]["message"] is None
    assert "write_file" in by_name["Prices"]["message"] and "Access is denied" in by_name["Prices"]["message"]
    assert result["msg"].startswith("1 job(s) not fully applied: job 'Prices': ")
    assert "Applied: job 'Stock'" in result["msg"]
    assert harness.ops() == ["read", "apply"]
    assert harness.task_file("\\Isotools", "Stock").exists()
    assert not harness.task_file("\\Isotools", "Prices").exists()


def test_a_password_job_needs_its_password_and_an_unknown_account_is_refused(harness: Harness) -> None:
    needs_password = daily_job("Stock", f"{ROOT}\\stock", principal={"user": SVC_SYNC, "logon_type": "password"})
    result = harness.run("win_sync_jobs", {"jobs": [needs_password]})
    assert result["failed"] is True
    assert "job 'Stock': principal.password" in result["msg"]
    unknown = daily_job("Stock", f"{ROOT}\\stock", principal={"user": "CONTOSO\\nobody", "logon_type": "s4u"})
    result = harness.run("win_sync_jobs", {"jobs": [unknown]})
    assert "account 'CONTOSO\\nobody' could not be resolved on the host" in result["msg"]
    assert harness.ops() == ["read", "read"]


def test_secure_acl_grants_the_run_as_account(harness: Harness) -> None:
    job = daily_job("Stock", f"{ROOT}\\stock", principal={"user": SVC_SYNC, "logon_type": "s4u"})
    result = harness.run("win_sync_jobs", {"jobs": [job]})
    acl_change = next(change for change in result["jobs"][0]["changes"] if change.startswith("acl "))
    assert acl_change.endswith("writable only by BUILTIN\\Administrators, NT AUTHORITY\\SYSTEM, CONTOSO\\svc_sync")
    assert harness.run("win_sync_jobs", {"jobs": [job]})["changed"] is False
    loose = harness.run("win_sync_jobs", {"jobs": [daily_job("Other", f"{ROOT}\\other")], "secure_acl": False})
    assert not any(change.startswith("acl ") for change in loose["jobs"][0]["changes"])


def test_an_absent_job_deletes_its_task(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Stock", f"{ROOT}\\stock")]})
    result = harness.run("win_sync_jobs", {"jobs": [{"name": "Stock", "state": "absent"}]})
    assert [(job["name"], job["outcome"]) for job in result["jobs"]] == [("Stock", "deleted")]
    assert not harness.task_file("\\Isotools", "Stock").exists()
    assert harness.windows_path(f"{ROOT}\\stock\\synchro.bat").exists()


def test_the_one_read_gives_each_jobs_last_run_and_the_folders_unlisted_tasks(harness: Harness) -> None:
    """What drift needs from a host comes from the comparison's own read, and one follow-up read
    of what the folder's other tasks run (their program, their script's folder), which the first
    could not know: the host is read twice, however many tasks it holds."""
    stock, prix = daily_job("Synchro Stock", f"{ROOT}\\stock"), daily_job("Synchro Prix", f"{ROOT}\\prix")
    harness.run("win_sync_jobs", {"jobs": [stock, prix]})
    hand_made = Path(__file__).resolve().parents[4] / "playbooks" / "files" / "demo_hand_made_task.xml"
    harness.put_task("\\Isotools", "Synchro Test Kevin", hand_made.read_text(encoding="utf-8"))
    harness.write_json("state.json", {"\\Isotools\\Synchro Stock": {"last_run_time": "2026-12-01T03:30:00", "last_result": 2}})
    harness.forget_journal()

    result = harness.run("win_sync_jobs", {"jobs": [stock]}, check_mode=True)

    assert harness.ops() == ["read", "read"]
    [entry] = result["jobs"]
    assert (entry["last_result"], entry["last_result_text"], entry["last_run_time"]) == (2, "exit code 2", "2026-12-01T03:30:00")
    unlisted = {task["name"]: task for task in result["unlisted"]}
    assert set(unlisted) == {"Synchro Prix", "Synchro Test Kevin"}
    assert (unlisted["Synchro Prix"]["owned"], unlisted["Synchro Test Kevin"]["owned"]) == (True, False)
    assert unlisted["Synchro Prix"]["path"] == "\\Isotools\\Synchro Prix" and unlisted["Synchro Prix"]["last_result"] == 0x41303


def test_script_drift_shows_its_changed_lines_and_the_summary_right_after(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Prices", f"{ROOT}\\prices")]})
    changed = daily_job("Prices", f"{ROOT}\\prices", content="@echo off\nsynchro.exe --prices\n")

    result = harness.run("win_sync_jobs", {"jobs": [changed]}, check_mode=True, diff=True)

    (job,) = result["jobs"]
    assert "-synchro.exe" in job["script_diff"] and "+synchro.exe --prices" in job["script_diff"]
    prepared = result["diff"][0]["prepared"].splitlines()
    summary = prepared.index("\\Isotools\\Prices (would update):")
    assert prepared[summary - 1] == "+synchro.exe --prices", prepared  # the job's line comes right after its diff
    assert prepared[summary + 1].startswith("  script D:\\")


def test_check_mode_says_would_create_and_would_prune(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Old", f"{ROOT}\\old")]})

    result = harness.run("win_sync_jobs", {"jobs": [daily_job("New", f"{ROOT}\\new")], "prune": True}, check_mode=True, diff=True)

    headers = sorted(line for entry in result["diff"] for line in entry["prepared"].splitlines() if line.startswith("\\Isotools\\"))
    assert headers == ["\\Isotools\\New (would create):", "\\Isotools\\Old (would prune):"]
    applied = harness.run("win_sync_jobs", {"jobs": [daily_job("New", f"{ROOT}\\new")], "prune": True}, diff=True)
    assert sorted(line for entry in applied["diff"] for line in entry["prepared"].splitlines() if line.startswith("\\Isotools\\")) == [
        "\\Isotools\\New (created):",
        "\\Isotools\\Old (pruned):",
    ]


def test_a_sensitive_script_never_shows_its_content(harness: Harness) -> None:
    secret_line = "set DB_PASSWORD=connection-secret-42"
    job = daily_job("Prices", f"{ROOT}\\prices", content=f"@echo off\n{secret_line}\n")
    job["script"]["sensitive"] = True
    harness.run("win_sync_jobs", {"jobs": [job]})
    job["script"]["content"] = "@echo off\nset DB_PASSWORD=connection-secret-43\n"

    result = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True, diff=True)

    assert "connection-secret" not in repr(result)
    assert result["jobs"][0]["script_diff"] == [f"script {ROOT}\\prices\\synchro.bat: changed, content not shown (marked sensitive)"]
    assert f"script {ROOT}\\prices\\synchro.bat: changed, content not shown (marked sensitive)" in result["diff"][0]["prepared"]


def test_a_sensitive_script_is_backed_up_to_a_private_file_never_into_the_result(harness: Harness) -> None:
    job = daily_job("Prices", f"{ROOT}\\prices", content="@echo off\nset DB_PASSWORD=connection-secret-42\n")
    job["script"]["sensitive"] = True
    harness.run("win_sync_jobs", {"jobs": [job]})
    job["script"]["content"] = "@echo off\nset DB_PASSWORD=connection-secret-43\n"

    returned_only = harness.run("win_sync_jobs", {"jobs": [job], "backup": True}, diff=True)
    job["script"]["content"] = "@echo off\nset DB_PASSWORD=connection-secret-44\n"
    to_files = harness.run("win_sync_jobs", {"jobs": [job], "backup": True, "backup_dir": "backups"}, diff=True)

    for result in (returned_only, to_files):
        assert result["changed"] is True
        assert "connection-secret" not in repr(result)
        [backup] = result["backups"]
        assert backup["scripts"] == [{"path": f"{ROOT}\\prices\\synchro.bat", "content": None, "sensitive": True}]
    # The controller's copy keeps the content (that is what it is for), readable by its owner only.
    [saved] = [Path(path) for path in to_files["backups"][0]["files"] if path.endswith(".bat")]
    assert saved.read_bytes() == b"@echo off\r\nset DB_PASSWORD=connection-secret-43\r\n"
    assert saved.stat().st_mode & 0o077 == 0
    assert saved.parent.stat().st_mode & 0o077 == 0


def test_freshness_finds_the_history_of_a_task_the_host_spells_otherwise(harness: Harness) -> None:
    # Registered as 'Synchro Stock', named 'synchro stock' in the inventory: the last run failed,
    # the one before succeeded an hour ago, and the host's event log names the task as registered.
    harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", f"{ROOT}\\stock")]})
    now = dt.datetime.now(dt.timezone.utc)
    harness.write_json("state.json", {"\\Isotools\\Synchro Stock": {"last_run_time": _host_time(now - dt.timedelta(minutes=5)), "last_result": 1}})
    success = {"path": "\\Isotools\\Synchro Stock", "time": _host_time(now - dt.timedelta(hours=1)), "event_id": 201, "result_code": 0, "activity_id": "a1"}
    (harness.root / "history.jsonl").write_text(json.dumps(success) + "\n", encoding="utf-8")
    job = {**daily_job("synchro stock", f"{ROOT}\\stock"), "max_age": "1d"}

    result = harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True)

    [entry] = result["jobs"]
    assert entry["freshness"]["state"] == "fresh", entry
    assert entry["last_success_time"] == success["time"].replace("+00:00", "Z")
    assert harness.ops()[-2:] == ["read", "history"]  # the registered spelling, asked once more


def _host_time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_a_long_script_diff_is_bounded_in_the_result(harness: Harness) -> None:
    harness.run("win_sync_jobs", {"jobs": [daily_job("Prices", f"{ROOT}\\prices")]})
    long = "@echo off\n" + "".join(f"echo line {index} {'x' * 300}\n" for index in range(100))

    result = harness.run("win_sync_jobs", {"jobs": [daily_job("Prices", f"{ROOT}\\prices", content=long)]}, check_mode=True, diff=True)

    shown = result["jobs"][0]["script_diff"]
    assert len(shown) == 61 and shown[-1].startswith("[... ") and "more line(s) not shown" in shown[-1]
    assert all(len(line) <= 206 for line in shown)
    assert len(result["diff"][0]["prepared"].splitlines()) > 100  # --diff shows it whole


def test_a_job_s_task_xml_is_rendered_once_in_a_run_of_three_reads(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    # A task left in the folder runs a program through a variable the first read does not ask
    # for: the host is read three times (the variable, then its folder) and the jobs planned after
    # each read. The XML registered is the one rendered after the first: a task's XML is rendered
    # once per run, not once per read.
    harness.write_json("environment.json", {"ToolHome": "D:\\Tools"})
    other = daily_job("Synchro Other", f"{ROOT}\\other", actions=[{"command": "%ToolHome%\\x.exe"}])
    assert harness.run("win_sync_jobs", {"jobs": [other, daily_job("Synchro Stock", f"{ROOT}\\stock")]})["changed"] is True
    harness.forget_journal()
    rendered: list[str] = []
    render = sync_module.render_xml
    monkeypatch.setattr(sync_module, "render_xml", lambda definition: rendered.append(definition.path) or render(definition))

    result = harness.run("win_sync_jobs", {"jobs": [daily_job("Synchro Stock", f"{ROOT}\\stock", at="07:00")]}, diff=True)

    assert harness.ops() == ["read", "read", "read", "apply"]
    assert [(job["name"], job["outcome"]) for job in result["jobs"]] == [("Synchro Stock", "updated")]
    assert rendered == ["\\Isotools\\Synchro Stock"]
    registered = harness.task_file("\\Isotools", "Synchro Stock").read_bytes().decode("utf-16")
    assert "T07:00:00" in registered and registered.replace("\r\n", "\n") == result["diff"][0]["after"]
