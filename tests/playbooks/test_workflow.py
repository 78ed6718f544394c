# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ops workflow as the team runs it: the collection's playbooks against two directory hosts.

Real ansible-playbook runs (a few seconds each), in the order a team meets them: a bad inventory
is refused before any host is touched; deploy, then deploy again with no change; someone edits
a script and moves a trigger by hand; drift reports it (HTML, Markdown, JUnit) and fails when
asked; drift with enforce corrects it; run_now runs jobs and fails on the one that fails; adopt
turns a hand-made task into inventory YAML. The tests of this module share one workspace and run
in order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hostile_text import load_adopted
from support import playbook_runner
from support.playbook_runner import REPO, TASKS, empty_image, journal, playbook, require_ansible_playbook

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import sync_job_problems

PASSWORD = "W0rkfl0w-S3cret!"
SVC_SID = "S-1-5-21-3623811015-3361044348-30300820-1104"

JOBS_A = [
    {
        "name": "Synchro Stock",
        "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile stock",
        "schedule": [{"every": "15m", "from": "06:00", "until": "22:00"}],
    },
    {"name": "Synchro Prix", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile prix", "schedule": [{"daily": "02:00"}]},
    {
        "name": "Synchro Commandes",
        "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile commandes",
        "account": "svc_sync",
        "password": "{{ vault_svc_sync_password }}",
        "schedule": [{"every": "5m"}, {"at_boot": True, "delay": "2m"}],
    },
]
JOBS_B = [
    {"name": "Synchro Stock", "arguments": "/k synchro.bat & exit", "schedule": [{"weekly": {"days": ["mon", "fri"], "at": "03:00"}}]},
]


def write_inventory(
    base: Path, jobs_b: list[dict[str, object]], *more: tuple[str, list[dict[str, object]]], host_vars: dict[str, dict[str, object]] | None = None
) -> Path:
    hosts = {}
    for host, jobs in (("shopA", JOBS_A), ("shopB", jobs_b), *more):
        hosts[host] = {"shop_sync_directory_root": str(base / host), "shop_sync_root": f"D:\\Isotools\\Synchro_prod\\{host}", "shop_sync_jobs": jobs}
        hosts[host].update((host_vars or {}).get(host, {}))
    inventory = {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
                "shop_sync_backend": "directory",
                "shop_sync_prune": True,
                "vault_svc_sync_password": PASSWORD,
            },
            "children": {"shops": {"hosts": hosts}},
        }
    }
    path = base / f"inventory-{len(jobs_b)}{'-more' if more else ''}.yml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("workflow")
    for host in ("shopA", "shopB"):
        empty_image(base / host, {"svc_sync": SVC_SID})
    write_inventory(base, JOBS_B)
    return base


def run(workspace: Path, playbook_path: str, *options: str, inventory: Path | None = None) -> playbook_runner.Played:
    """ansible-playbook from the workspace (reports land there), on its first inventory unless told."""
    return playbook_runner.run(workspace, playbook_path, *options, inventory=inventory or workspace / "inventory-1.yml", secrets=(PASSWORD,))


def test_a_bad_inventory_stops_the_play_before_any_host_is_touched(workspace: Path) -> None:
    bad = [
        {"name": "Synchro Stock", "schedule": [{"daily": "25:00"}]},
        {"name": "SYNCHRO STOCK", "working_directory": "Synchro\\stock"},
        {"name": "Synchro Prix", "schedule": [{"daily": "02:00"}], "color": "blue"},
    ]
    inventory = write_inventory(workspace, bad, ("shopC", []), ("shopD", JOBS_B), host_vars={"shopD": {"shop_sync_log_keep": "ten"}})
    code, output, _recap = run(workspace, playbook("deploy"), inventory=inventory)
    assert code != 0
    for message in (
        "host 'shopD': shop_sync_log_keep must be a whole number, got 'ten'",
        "host 'shopB', job 'Synchro Stock': schedule[0].daily '25:00' is not a time of day",
        "host 'shopB', job 'SYNCHRO STOCK': working_directory 'Synchro\\stock' must be an absolute folder",
        "host 'shopB', job 'SYNCHRO STOCK': name is also the name of job 'Synchro Stock'",
        "host 'shopB', job 'Synchro Prix': color is not a known option",
        "host 'shopC': shop_sync_jobs is empty and shop_sync_prune is true",
    ):
        assert message in output, output
    assert all(journal(workspace, host) == [] for host in ("shopA", "shopB", "shopC", "shopD")), "a host was contacted"


def test_deploy_creates_everything_in_one_read_and_one_apply_per_host_and_smoke_runs_it(workspace: Path) -> None:
    code, output, recap = run(workspace, "isotools.shop_sync.deploy", "--diff", "-vvv", "-e", "shop_sync_smoke_run=true")
    assert recap["shopA"]["changed"] > 0 and recap["shopB"]["changed"] > 0
    assert journal(workspace, "shopA")[:2] == journal(workspace, "shopB")[:2] == ["read", "apply"]
    assert journal(workspace, "shopA").count("run") == len(JOBS_A) and journal(workspace, "shopB").count("run") == len(JOBS_B)
    # shopB's job keeps "the host's own script", and there is none: the smoke run says so.
    assert code != 0 and recap["shopA"]["failed"] == 0 and recap["shopB"]["failed"] == 1
    assert "task '\\\\Isotools\\\\Synchro Stock' ended with exit code 1" in output, output
    script = workspace / "shopA" / "D" / "Isotools" / "Synchro_prod" / "shopA" / "Synchro Stock" / "synchro.bat"
    content = script.read_bytes()
    assert b"call D:\\Isotools\\bin\\IsoSync.exe /profile stock >>" in content
    assert b"exit /b %SHOP_SYNC_EXIT%\r\n" in content and b"\n" not in content.replace(b"\r\n", b"")
    for host in ("shopA", "shopB"):
        assert (workspace.joinpath(host, *TASKS, "Synchro Stock")).exists()
    assert "Synchro Stock: created" in output


def test_deploy_again_changes_nothing_and_only_reads(workspace: Path) -> None:
    before = len(journal(workspace, "shopA"))
    code, output, recap = run(workspace, playbook("deploy"), "-e", "shop_sync_smoke_run=true")
    assert code == 0, output
    assert recap["shopA"]["changed"] == recap["shopB"]["changed"] == 0
    assert journal(workspace, "shopA")[before:] == ["read"]  # nothing changed: nothing to smoke-run either


def test_drift_reports_changes_made_by_hand_and_fails_when_asked(workspace: Path) -> None:
    script = workspace / "shopA" / "D" / "Isotools" / "Synchro_prod" / "shopA" / "Synchro Prix" / "synchro.bat"
    script.write_bytes(script.read_bytes().replace(b"/profile prix", b"/profile prix /force"))
    task = workspace.joinpath("shopB", *TASKS, "Synchro Stock")
    xml = task.read_bytes().decode("utf-16")
    assert "T03:00:00</StartBoundary>" in xml
    task.write_bytes(xml.replace("T03:00:00</StartBoundary>", "T04:15:00</StartBoundary>").encode("utf-16"))
    applies_before = journal(workspace, "shopA").count("apply")

    code, output, _recap = run(workspace, playbook("drift"), "-e", "shop_sync_report_dir=report-1", "-e", "shop_sync_fail_on_drift=true")

    assert code != 0 and "2 drifted, 0 missing, 0 unmanaged extra" in output, output
    assert journal(workspace, "shopA").count("apply") == applies_before, "drift changed a host"
    report = workspace / "report-1"
    summary = (report / "summary.md").read_text(encoding="utf-8")
    assert "**Synchro Prix**: drifted" in summary and "### shopB" in summary
    page = (report / "report.html").read_text(encoding="utf-8")
    assert "shopA" in page and "&#x27;" not in page.split("<main>")[0]
    junit = ElementTree.parse(report / "junit.xml").getroot()
    assert (junit.get("tests"), junit.get("failures"), junit.get("drift")) == ("4", "2", "true")
    failed = {case.get("name") for case in junit.iter("testcase") if case.find("failure") is not None}
    assert failed == {"Synchro Prix", "Synchro Stock"}


def test_drift_with_enforce_corrects_it(workspace: Path) -> None:
    code, output, recap = run(workspace, playbook("drift"), "-e", "shop_sync_report_dir=report-2", "-e", "shop_sync_enforce=true")
    assert code == 0, output
    assert recap["shopA"]["changed"] > 0
    summary = (workspace / "report-2" / "summary.md").read_text(encoding="utf-8")
    assert "| corrected | 2 |" in summary and "| drifted | 0 |" in summary
    script = workspace / "shopA" / "D" / "Isotools" / "Synchro_prod" / "shopA" / "Synchro Prix" / "synchro.bat"
    assert b"/force" not in script.read_bytes()
    assert "T03:00:00</StartBoundary>" in workspace.joinpath("shopB", *TASKS, "Synchro Stock").read_bytes().decode("utf-16")


def test_run_now_in_check_mode_says_what_would_run_and_runs_nothing(workspace: Path) -> None:
    runs_before = journal(workspace, "shopA").count("run")
    code, output, recap = run(workspace, playbook("run_now"), "--limit", "shopA", "--check")
    assert code == 0 and recap["shopA"]["failed"] == 0, output
    for job in JOBS_A:
        assert f"{job['name']}: would be run (check mode, nothing was run)" in output, output
    assert "exit code" not in output
    assert journal(workspace, "shopA").count("run") == runs_before


def test_run_now_runs_the_jobs_and_fails_on_the_one_that_fails(workspace: Path) -> None:
    runs_on_b = journal(workspace, "shopB").count("run")
    (workspace / "shopA" / "outcomes.json").write_text(json.dumps({"\\Isotools\\Synchro Prix": {"exit_code": 3, "duration": 1.0}}), encoding="utf-8")
    code, output, _recap = run(workspace, playbook("run_now"), "--limit", "shopA")
    assert code != 0
    assert "Synchro Stock: exit code 0" in output, output
    assert "host 'shopA': these jobs did not succeed: Synchro Prix" in output
    assert journal(workspace, "shopB").count("run") == runs_on_b  # --limit shopA


def test_a_default_password_version_bump_registers_only_the_task_that_stores_a_password(workspace: Path) -> None:
    applies_on_b = journal(workspace, "shopB").count("apply")
    code, output, recap = run(workspace, playbook("deploy"), "-e", "shop_sync_default_password_version=2026-12")
    assert code == 0, output
    # Synchro Commandes runs as svc_sync with a stored password; the others run as SYSTEM.
    assert "Synchro Commandes: updated" in output and "Synchro Stock: unchanged" in output and "Synchro Prix: unchanged" in output, output
    assert recap["shopB"]["changed"] == 0 and journal(workspace, "shopB").count("apply") == applies_on_b


def test_adopt_writes_reviewable_inventory_for_a_hand_made_task(workspace: Path) -> None:
    hand_made = (REPO / "playbooks" / "files" / "demo_hand_made_task.xml").read_text(encoding="utf-8")
    workspace.joinpath("shopB", *TASKS, "Synchro Test Kevin").write_text(hand_made, encoding="utf-8")
    code, output, _recap = run(workspace, playbook("adopt"), "--limit", "shopB", "-e", f"shop_sync_adopt_dir={workspace / 'adopted'}")
    assert code == 0, output
    text = (workspace / "adopted" / "host_vars" / "shopB.yml").read_text(encoding="utf-8")
    assert "# Synchro Test Kevin: was made by hand" in text
    assert "at: !unsafe '03:00'" in text and "- once: !unsafe '2026-11-27 14:05'" in text  # times stay quoted when edited
    jobs = {job["name"]: job for job in load_adopted(text)["shop_sync_jobs"]}
    assert jobs["Synchro Test Kevin"]["schedule"] == [{"once": "2026-11-27 14:05"}]
    assert jobs["Synchro Test Kevin"]["arguments"] == "/k synchro.bat & exit"
    assert jobs["Synchro Stock"]["schedule"] == [{"weekly": {"days": ["mon", "fri"], "at": "03:00"}}]
    defaults = {"root": "D:\\Isotools\\Synchro_prod\\shopB"}
    assert sync_job_problems(list(jobs.values()), host="shopB", defaults=defaults) == []
