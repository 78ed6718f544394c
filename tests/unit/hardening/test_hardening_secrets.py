# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task passwords stay secret through every ops playbook, at -vvv with --diff.

One inventory, one directory host: a job whose password is vault-encrypted in the inventory
(``ansible-vault encrypt_string``) and one whose password is a plain inventory variable. Every
playbook of playbooks/ but the demo runs against it at -vvv with --diff, in the order a team
meets them: deploy; drift with enforce, a changed script and update_password always (so the
passwords are sent again and backups are taken); then drift, run_now, adopt and snapshot side by side, and report_merge.
Neither password may appear in any output, result, diff, log, report, backup, adopted YAML,
journal, file of the directory host, or Ansible's temporary files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hardening_support import REPO, ROOT, SECRET_RUNS, ops_playbooks

ANSIBLE_BIN = Path(sys.executable).parent
VAULTED = "V4ulted-Sync-P4ss!2026"  # the vault-encrypted value
PLAIN = "Pl41n-Inv3ntory-P4ss!2026"  # a task password as a plain inventory variable
SECRETS = (VAULTED, PLAIN)
SVC_SYNC_SID = "S-1-5-21-3623811015-3361044348-30300820-1104"
SVC_PLAIN_SID = "S-1-5-21-3623811015-3361044348-30300820-1105"


def jobs(stock_profile: str) -> list[dict[str, object]]:
    return [
        {"name": "Synchro Stock", "sync_command": f"D:\\Isotools\\bin\\IsoSync.exe /profile {stock_profile}", "schedule": [{"daily": "06:00"}]},
        {
            "name": "Synchro Commandes",
            "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile commandes",
            "account": "svc_sync",
            "password": "{{ vault_svc_sync_password }}",
            "password_version": "2026-01",
            "schedule": [{"every": "5m"}],
        },
        {
            "name": "Synchro Prix",
            "sync_command": "D:\\Isotools\\bin\\IsoSync.exe /profile prix",
            "account": "svc_plain",
            "password": "{{ plain_password }}",
            "schedule": [{"daily": "02:00"}],
        },
    ]


@dataclass(frozen=True)
class Run:
    playbook: str
    returncode: int
    output: str


@dataclass(frozen=True)
class Workspace:
    base: Path
    runs: tuple[Run, ...]

    @property
    def image(self) -> Path:
        return self.base / "image"


def _vaulted_variable(base: Path, vault_password_file: Path) -> str:
    completed = subprocess.run(
        [str(ANSIBLE_BIN / "ansible-vault"), "encrypt_string", "--vault-password-file", str(vault_password_file), VAULTED, "--name", "vault_svc_sync_password"],
        capture_output=True,
        text=True,
        check=True,
        cwd=base,
        timeout=120,
    )
    return completed.stdout


def _write_inventory(base: Path) -> None:
    vault_password_file = base / "vault-password"
    vault_password_file.write_text("hardening-tests-vault-password\n", encoding="utf-8")
    inventory = base / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "inventory.yml").write_text("all:\n  hosts:\n    shop01:\n", encoding="utf-8")
    settings = {
        "plain_password": PLAIN,
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "shop_sync_backend": "directory",
        "shop_sync_directory_root": str(base / "image"),
        "shop_sync_root": ROOT,
        "shop_sync_backup": True,
        "shop_sync_backup_dir": str(base / "backups"),
        "shop_sync_jobs": jobs("stock"),
    }
    text = _vaulted_variable(base, vault_password_file) + yaml.safe_dump(settings, sort_keys=False)
    (inventory / "group_vars" / "all.yml").write_text(text, encoding="utf-8")
    (base / "changed-jobs.yml").write_text(yaml.safe_dump({"shop_sync_jobs": jobs("stock --full")}), encoding="utf-8")


def _start(base: Path, playbook: str, *extra: str) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCAL_TEMP": str(base / "ansible-tmp"),
        "ANSIBLE_REMOTE_TEMP": str(base / "ansible-tmp"),
        "ANSIBLE_LOG_PATH": str(base / "ansible.log"),
    }
    command = [
        str(ANSIBLE_BIN / "ansible-playbook"),
        "-i",
        str(base / "inventory"),
        "--vault-password-file",
        str(base / "vault-password"),
        "-vvv",
        "--diff",
        "-e",
        f"shop_sync_report_dir={base / 'reports'}",
        "-e",
        f"shop_sync_adopt_dir={base / 'adopted'}",
        "-e",
        f"shop_sync_snapshot_dir={base / 'snapshots'}",
        *extra,
        str(REPO / "playbooks" / playbook),
    ]
    return subprocess.Popen(command, cwd=base, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(playbook: str, process: subprocess.Popen[str]) -> Run:
    output = process.communicate(timeout=300)[0]
    return Run(playbook, process.returncode, output)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    if not (ANSIBLE_BIN / "ansible-playbook").exists():
        pytest.skip(f"{ANSIBLE_BIN / 'ansible-playbook'} is missing (run make venv)")
    base = tmp_path_factory.mktemp("secrets")
    (base / "image" / "D").mkdir(parents=True)
    (base / "image" / "accounts.json").write_text(json.dumps({"svc_sync": SVC_SYNC_SID, "svc_plain": SVC_PLAIN_SID}), encoding="utf-8")
    _write_inventory(base)
    runs = [_finish("deploy.yml", _start(base, "deploy.yml"))]
    enforce = ("-e", "shop_sync_enforce=true", "-e", "shop_sync_update_password=always", "-e", f"@{base / 'changed-jobs.yml'}")
    runs.append(_finish("drift.yml", _start(base, "drift.yml", *enforce)))
    # Read-only (or nearly) from here on: side by side, as AWX may well run them.
    side_by_side = {name: _start(base, name, "-e", f"@{base / 'changed-jobs.yml'}") for name in ("drift.yml", "run_now.yml", "adopt.yml", "snapshot.yml")}
    runs += [_finish(name, process) for name, process in side_by_side.items()]
    # The merge of a sliced drift job, here of the one report the last drift wrote.
    merge = ("-e", json.dumps({"shop_sync_merge_dirs": [str(base / "reports")]}), "-e", f"shop_sync_report_dir={base / 'reports' / 'merged'}")
    runs.append(_finish("report_merge.yml", _start(base, "report_merge.yml", *merge)))
    return Workspace(base, tuple(runs))


def test_every_ops_playbook_ran_and_did_its_work(workspace: Workspace) -> None:
    assert sorted({run.playbook for run in workspace.runs}) == ops_playbooks()
    assert len(workspace.runs) == len(SECRET_RUNS)
    for run in workspace.runs:
        assert run.returncode == 0, f"{run.playbook}:\n{run.output[-4000:]}"
    deploy, enforce = workspace.runs[0].output, workspace.runs[1].output
    assert "win_sync_jobs: read:" in deploy and "win_sync_jobs: apply:" in deploy  # -vvv traces shown
    assert "+call D:\\Isotools\\bin\\IsoSync.exe /profile stock" in deploy  # --diff shown
    assert "/profile stock --full" in enforce
    # The passwords did reach the host: it recorded that each account's password was set.
    credentials = json.loads((workspace.image / "credentials.json").read_text(encoding="utf-8"))
    assert {SVC_SYNC_SID, SVC_PLAIN_SID} <= set(credentials)
    assert any(path.suffix == ".xml" for path in (workspace.base / "backups").rglob("*"))
    assert any((workspace.base / "reports").rglob("*.html")) and any((workspace.base / "adopted").rglob("*.yml"))
    # The snapshot's image holds the task of the job with a stored password (scanned below).
    assert (workspace.base / "snapshots" / "shop01" / "C" / "Windows" / "System32" / "Tasks" / "Isotools" / "Synchro Commandes").is_file()


@pytest.mark.parametrize("secret", SECRETS, ids=["vaulted", "plain"])
def test_no_output_holds_a_password(workspace: Workspace, secret: str) -> None:
    for run in workspace.runs:
        assert secret not in run.output, f"{run.playbook} showed a password"


@pytest.mark.parametrize("secret", SECRETS, ids=["vaulted", "plain"])
def test_no_file_holds_a_password(workspace: Workspace, secret: str) -> None:
    """Logs, reports, backups, adopted YAML, the host's files and journal, Ansible's temp files;
    only the inventory itself holds the plain one (the vaulted one only encrypted)."""
    inventory = workspace.base / "inventory"
    scanned = 0
    for path in workspace.base.rglob("*"):
        if not path.is_file() or path == workspace.base / "vault-password":
            continue
        if secret == PLAIN and inventory in path.parents:
            continue
        data = path.read_bytes()
        assert secret.encode() not in data and secret.encode("utf-16-le") not in data, path
        scanned += 1
    assert scanned > 20
    assert (workspace.base / "ansible.log").stat().st_size > 0
    assert (workspace.image / "journal.jsonl").exists()


@pytest.mark.parametrize("secret", SECRETS, ids=["vaulted", "plain"])
def test_nothing_was_left_in_the_repository(workspace: Workspace, secret: str) -> None:
    for folder in (REPO / "reports", REPO / "playbooks", REPO / "adopted"):
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
