# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift job as on-call runs it: what makes it green, what makes it red, and on which host.

Real ansible-playbook runs against two directory hosts deployed once (an invented fleet: two
shops, one job each); each test then leaves something on a host the way people do (a hand-made
task, a job dropped from the inventory) and reads the report. The tests share one workspace and
run in order.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from support.playbook_runner import REPO, TASKS, empty_image, journal, playbook, require_ansible_playbook, run

JOBS = {
    "shopA": [{"name": "Synchro Stock", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile stock", "schedule": [{"daily": "03:30"}]}],
    "shopB": [{"name": "Synchro Prix", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile prix", "schedule": [{"daily": "02:00"}]}],
}
HAND_MADE = REPO / "playbooks" / "files" / "demo_hand_made_task.xml"


def write_inventory(base: Path, name: str, **host_vars: dict[str, object]) -> Path:
    hosts = {
        host: {
            "shop_sync_directory_root": str(base / host),
            "shop_sync_root": f"D:\\Isotools\\Synchro_prod\\{host}",
            "shop_sync_jobs": jobs,
            **host_vars.get(host, {}),
        }
        for host, jobs in JOBS.items()
    }
    inventory = {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "shop_sync_backend": "directory"},
            "children": {"shops": {"hosts": hosts}},
        }
    }
    path = base / f"{name}.yml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("drift")
    for host in JOBS:
        empty_image(base / host)
    code, output, _recap = run(base, playbook("deploy"), inventory=write_inventory(base, "inventory"))
    assert code == 0, output
    return base


def drift(base: Path, inventory: str, report_dir: str, *options: str) -> tuple[int, str, dict[str, dict[str, int]]]:
    """The drift playbook with the report written to ``base/report_dir``."""
    return run(base, playbook("drift"), "-e", f"shop_sync_report_dir={report_dir}", *options, inventory=base / f"{inventory}.yml")


def report(base: Path, name: str) -> tuple[str, ElementTree.Element, str]:
    """(summary.md, junit.xml root, report.html) of the report written to ``base/name``."""
    folder = base / name
    return (
        (folder / "summary.md").read_text(encoding="utf-8"),
        ElementTree.parse(folder / "junit.xml").getroot(),
        (folder / "report.html").read_text(encoding="utf-8"),
    )


def test_one_bad_job_on_one_host_stops_drift_before_any_host_is_read(fleet: Path) -> None:
    journals = {host: journal(fleet, host) for host in JOBS}
    bad = [{**JOBS["shopB"][0], "schedule": [{"daily": "25:00"}]}]
    code, output, _recap = drift(fleet, write_inventory(fleet, "bad-job", shopB={"shop_sync_jobs": bad}).stem, "bad-job")
    assert code != 0
    assert "host 'shopB', job 'Synchro Prix': schedule[0].daily '25:00' is not a time of day" in output, output
    # shopA's inventory is right, and still it is not read: the run stops at the controller's check.
    assert {host: journal(fleet, host) for host in JOBS} == journals, "a host was read"
    assert not (fleet / "bad-job").exists(), "a report was written"


def test_a_known_hand_made_task_accepted_in_the_inventory_keeps_the_job_green(fleet: Path) -> None:
    fleet.joinpath("shopB", *TASKS, "Synchro Test Kevin").write_text(HAND_MADE.read_text(encoding="utf-8"), encoding="utf-8")
    red, output, _recap = drift(fleet, "inventory", "unaccepted", "-e", "shop_sync_fail_on_drift=true")
    assert red != 0 and "1 unmanaged extra" in output, output

    write_inventory(fleet, "accepting", shopB={"shop_sync_accepted_extras": ["synchro test*"]})
    green, output, _recap = drift(fleet, "accepting", "accepted", "-e", "shop_sync_fail_on_drift=true")
    assert green == 0, output
    summary, junit, page = report(fleet, "accepted")
    assert "| accepted | 1 |" in summary and "| unmanaged extra | 0 |" in summary
    assert (junit.get("failures"), junit.get("errors"), junit.get("drift")) == ("0", "0", "false")
    assert "accepted by shop_sync_accepted_extras" in (junit.findtext("testsuite[@name='shopB']/testcase[@name='Synchro Test Kevin']/system-out") or "")
    assert 'class="verdict ok"' in page and json.dumps("Synchro Test Kevin")[1:-1] in page


def test_a_job_dropped_from_the_inventory_is_an_orphan_not_a_hand_made_task(fleet: Path) -> None:
    other = {"name": "Synchro Commandes", "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile commandes", "schedule": [{"daily": "04:00"}]}
    write_inventory(fleet, "dropped", shopA={"shop_sync_jobs": []}, shopB={"shop_sync_jobs": [other], "shop_sync_prune": True})
    code, output, _recap = drift(fleet, "dropped", "dropped", "-e", "shop_sync_fail_on_drift=true")
    assert code != 0, output
    summary, junit, page = report(fleet, "dropped")
    assert "**Synchro Stock**: orphaned, prune is off" in summary
    assert "**Synchro Prix**: will be pruned" in summary
    assert "**Synchro Test Kevin**: unmanaged extra" in summary
    failures = {case.get("name"): case.find("failure") for case in junit.iter("testcase")}
    kinds = {name: failure.get("type") for name, failure in failures.items() if failure is not None}
    assert kinds == {"Synchro Stock": "orphaned", "Synchro Prix": "will_be_pruned", "Synchro Test Kevin": "extra", "Synchro Commandes": "missing"}
    assert "orphaned, prune is off</span>" in page
    assert "1 orphaned (prune is off), 1 will be pruned" in output


def set_last_result(base: Path, host: str, job: str, result: int) -> None:
    """What the host's Task Scheduler says of the job's last run (as a copied server state would)."""
    (base / host / "state.json").write_text(
        json.dumps({f"\\Isotools\\{job}": {"last_run_time": "2026-12-01T03:30:00", "last_result": result}}), encoding="utf-8"
    )


def test_each_host_fails_for_its_own_reasons_and_a_clean_run_changes_nothing(fleet: Path) -> None:
    reads_before = {host: journal(fleet, host) for host in JOBS}
    clean, output, recap = drift(fleet, "accepting", "clean", "-e", "shop_sync_fail_on_drift=true", "-e", "shop_sync_fail_on_failed_runs=true")
    assert clean == 0, output
    # Once; once more where the folder holds tasks the inventory does not list, for what they run.
    unlisted = {host: len(list(fleet.joinpath(host, *TASKS).iterdir())) > len(JOBS[host]) for host in JOBS}
    assert unlisted["shopB"], "the accepted hand-made task is no longer there"
    assert all(journal(fleet, host)[len(reads_before[host]) :] == ["read"] * (1 + unlisted[host]) for host in JOBS), "drift read a host once too often"
    assert {"shopA", "shopB"} <= set(recap) and all(counts == {"changed": 0, "unreachable": 0, "failed": 0} for counts in recap.values()), output

    set_last_result(fleet, "shopA", "Synchro Stock", 2)
    script = fleet / "shopA" / "D" / "Isotools" / "Synchro_prod" / "shopA" / "Synchro Stock" / "synchro.bat"
    script.write_bytes(script.read_bytes().replace(b"/profile stock", b"/profile stock /force"))
    code, output, recap = drift(fleet, "accepting", "red", "-e", "shop_sync_fail_on_drift=true", "-e", "shop_sync_fail_on_failed_runs=true")
    assert code != 0
    assert (recap["shopA"]["failed"], recap["shopB"]["failed"]) == (1, 0), output
    assert "host 'shopA': drift: Synchro Stock (drifted); last run failed: Synchro Stock (" in output, output


def test_a_limited_run_says_so_and_leaves_the_fleet_report_alone(fleet: Path) -> None:
    before = (fleet / "red" / "summary.md").read_text(encoding="utf-8")
    code, output, _recap = drift(fleet, "accepting", "red", "--limit", "shopB")
    assert code == 0, output
    assert (fleet / "red" / "summary.md").read_text(encoding="utf-8") == before
    [limited] = (fleet / "limited").iterdir()
    summary = (limited / "summary.md").read_text(encoding="utf-8")
    assert "Limited run (`--limit shopB`): 1 host(s) checked, not the whole inventory." in summary
    assert "limited run (--limit shopB)" in output


def host_time(hours_ago: float) -> str:
    """A host time (the directory hosts are at UTC) that many hours before now."""
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_a_sync_that_stopped_succeeding_is_stale_and_fails_its_own_host(fleet: Path) -> None:
    # shopA: its last run succeeded 7 h ago, its limit is 1 h. shopB: its last run just failed and
    # its server keeps no task history, so when it last succeeded cannot be known: said, not failed.
    (fleet / "shopA" / "state.json").write_text(json.dumps({"\\Isotools\\Synchro Stock": {"last_run_time": host_time(7), "last_result": 0}}), encoding="utf-8")
    (fleet / "shopB" / "state.json").write_text(json.dumps({"\\Isotools\\Synchro Prix": {"last_run_time": host_time(0.2), "last_result": 1}}), encoding="utf-8")
    (fleet / "shopB" / "host.json").write_text(json.dumps({"history_log": False}), encoding="utf-8")
    stock = [{**JOBS["shopA"][0], "max_age": "1h"}]
    shop_b = {"shop_sync_default_max_age": "PT1H", "shop_sync_accepted_extras": ["synchro test*"]}
    write_inventory(fleet, "watched", shopA={"shop_sync_jobs": stock}, shopB=shop_b)
    reads_before = {host: journal(fleet, host) for host in JOBS}

    code, output, recap = drift(fleet, "watched", "watched", "-e", "shop_sync_fail_on_stale=true")

    assert code != 0
    # The history takes no read of its own: shopA's one read brings it; shopB takes the documented
    # follow-up read for what its accepted hand-made task runs (read_more, docs/host-contract.md).
    reads = {host: journal(fleet, host)[len(reads_before[host]) :] for host in JOBS}
    assert reads == {"shopA": ["read"], "shopB": ["read", "read"]}, "the history took another read"
    assert (recap["shopA"]["failed"], recap["shopB"]["failed"]) == (1, 0), output
    assert "host 'shopA': stale: Synchro Stock (stale: last success 7 h ago, limit 1 h)" in output, output
    log = "D:\\Isotools\\Synchro_prod\\shopA\\Synchro Stock\\synchro.log"
    shown = log.replace("\\", "\\\\")  # the play's output shows the lines as JSON strings
    assert f"shopA / Synchro Stock: stale: last success 7 h ago, limit 1 h (log {shown})" in output, output
    assert "shopB / Synchro Prix: freshness unknown: history disabled (last run 1" in output, output  # 11 or 12 min ago
    summary, junit, page = report(fleet, "watched")
    assert "| stale | 1 |" in summary and "| freshness unknown | 1 |" in summary
    assert f"- **Synchro Stock**: stale: last success 7 h ago, limit 1 h (log `{log}`)" in summary
    assert "## Last success" in summary
    # One failure per test case: the script drift an earlier test left comes first, then why it is stale.
    stale = junit.findtext("testsuite[@name='shopA']/testcase[@name='Synchro Stock']/failure") or ""
    assert f"stale: last success 7 h ago, limit 1 h (log {log})" in stale, ElementTree.tostring(junit, encoding="unicode")
    assert "freshness unknown: history disabled" in (junit.findtext("testsuite[@name='shopB']/testcase[@name='Synchro Prix']/failure") or "")
    assert '<th scope="col">Last success</th>' in page and f"<code>{log}</code>" in page
    assert "stale: last success 7 h ago, limit 1 h</div>" in page
    (fleet / "shopB" / "host.json").unlink()


def test_the_faulty_host_is_the_one_failed_not_the_one_the_report_runs_on(fleet: Path) -> None:
    # The report runs once, on shopA (the first host); only shopB's sync stopped succeeding.
    fresh = {"\\Isotools\\Synchro Stock": {"last_run_time": host_time(0.1), "last_result": 0}}
    (fleet / "shopA" / "state.json").write_text(json.dumps(fresh), encoding="utf-8")
    (fleet / "shopB" / "state.json").write_text(json.dumps({"\\Isotools\\Synchro Prix": {"last_run_time": host_time(5), "last_result": 0}}), encoding="utf-8")
    stock = [{**JOBS["shopA"][0], "max_age": "1h"}]
    shop_b = {"shop_sync_default_max_age": "PT1H", "shop_sync_accepted_extras": ["synchro test*"]}
    write_inventory(fleet, "faulty", shopA={"shop_sync_jobs": stock}, shopB=shop_b)

    code, output, recap = drift(fleet, "faulty", "faulty", "-e", "shop_sync_fail_on_stale=true")

    assert code != 0
    assert (recap["shopA"]["failed"], recap["shopB"]["failed"]) == (0, 1), output
    assert "host 'shopB': stale: Synchro Prix (stale: last success 5 h ago, limit 1 h)" in output, output
    assert "host 'shopA':" not in output, output


def test_script_drift_shows_the_changed_lines_unless_the_script_is_sensitive(fleet: Path) -> None:
    # The earlier "quick fix" on shopA's synchro.bat (/force) is still there.
    code, output, _recap = drift(fleet, "accepting", "lines")
    assert code == 0, output
    summary, junit, page = report(fleet, "lines")
    edited = 'call D:\\Isotools\\bin\\IsoSync.exe /profile stock /force >>"%SHOP_SYNC_LOG%" 2>&1'
    assert f"  -{edited}\n  +{edited.replace(' /force', '')}\n" in summary, summary
    assert f"-{edited}" in (junit.findtext("testsuite[@name='shopA']/testcase[@name='Synchro Stock']/failure") or "")
    assert "script lines</summary>" in page

    sensitive = [{**JOBS["shopA"][0], "script": {"sensitive": True}}]
    write_inventory(fleet, "sensitive", shopA={"shop_sync_jobs": sensitive}, shopB={"shop_sync_accepted_extras": ["synchro test*"]})
    code, output, _recap = drift(fleet, "sensitive", "sensitive")
    assert code == 0, output
    summary, junit, page = report(fleet, "sensitive")
    assert "/force" not in summary + ElementTree.tostring(junit, encoding="unicode") + page + output
    assert "content not shown (marked sensitive)" in summary
