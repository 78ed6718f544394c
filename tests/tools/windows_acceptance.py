# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The acceptance run (`make windows-acceptance INVENTORY=...`): every contract promise checked
on one host, in a throw-away task folder and directory, then cleaned up, with a JUnit and an
HTML report. See docs/testing-windows.md.

Against a Windows host (an inventory whose host is not ``shop_sync_backend: directory``):

1. the contract suite (tests/contract), its WinRM half only, each test in its own folder under
   ``\\ShopSyncAcceptance\\<run>`` and directory under ``C:\\ShopSyncAcceptance\\<run>``;
2. the integration targets (tests/tools/windows_integration.sh), which remove what they make;
3. the clean-up: the run's directory tree and its (by then empty) task folders, through
   ``ansible.builtin.raw``; what could not be removed is printed and written to the report.

Without an inventory, or with a directory host, the contract suite's directory half runs (each
test on a fresh image of its own, nothing to clean up) and the integration targets are reported
not run: ``ansible-test windows-integration`` needs Windows.

Reports: ``<reports>/contract.xml`` (pytest's JUnit), ``<reports>/integration/*.xml`` (ansible's
junit callback, through ansible-test) and ``<reports>/acceptance.html`` (one line per promise).
Arguments after ``--`` go to pytest. Exit status 0 only when every step and every promise passed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from acceptance_report import Promise, Verdict, read_junit, render_html

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
INTEGRATION_JUNIT = REPO / "build/integration/ansible_collections/isotools/shop_sync/tests/output/junit"
DEFAULT_REPORTS = REPO / "build/acceptance"
TASK_FOLDER_ROOT = "\\ShopSyncAcceptance"
DEFAULT_BASE_DIR_ROOT = "C:\\ShopSyncAcceptance"


@dataclass(frozen=True)
class Target:
    inventory: str | None
    host: str | None
    backend: str  # "winrm" or "directory"
    run_id: str

    @property
    def task_folder(self) -> str:
        return f"{TASK_FOLDER_ROOT}\\{self.run_id}"

    def base_dir(self, environ: Mapping[str, str]) -> str:
        return f"{environ.get('SHOP_SYNC_WINRM_BASE_DIR', DEFAULT_BASE_DIR_ROOT).rstrip(chr(92))}\\{self.run_id}"


@dataclass(frozen=True)
class Step:
    name: str
    passed: bool
    detail: str


def backend_of(inventory: str, host: str | None) -> str:
    """``directory`` when the inventory's host says ``shop_sync_backend: directory``, else ``winrm``."""
    # A script, not a test: the working tree as the collection (make venv) and tests/ (for its support package), as pytest has them.
    sys.path[:0] = [str(REPO / "build/collections"), str(REPO / "tests")]
    from support.winrm_adhoc import inventory_host

    host_vars = inventory_host(inventory, host)[1]
    return "directory" if str(host_vars.get("shop_sync_backend", "")).lower() == "directory" else "winrm"


def contract_environment(target: Target, environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ)
    for name in ("SHOP_SYNC_WINRM_INVENTORY", "SHOP_SYNC_WINRM_HOST", "SHOP_SYNC_WINRM_TASK_FOLDER"):
        env.pop(name, None)
    if target.backend == "winrm" and target.inventory:
        env.update(
            SHOP_SYNC_WINRM_INVENTORY=target.inventory,
            SHOP_SYNC_WINRM_TASK_FOLDER=target.task_folder,
            SHOP_SYNC_WINRM_BASE_DIR=target.base_dir(environ),
        )
        if target.host:
            env["SHOP_SYNC_WINRM_HOST"] = target.host
    return env


def run_contract(target: Target, reports: Path, pytest_args: Sequence[str]) -> Step:
    # The host fixture is parametrised [directory] and [winrm]: keep the half of the named host.
    selection = "winrm" if target.backend == "winrm" else "not winrm"
    command = [
        sys.executable, "-m", "pytest", "tests/contract", "-k", selection, "-p", "no:cacheprovider",
        f"--junitxml={reports / 'contract.xml'}", "-o", "junit_suite_name=contract", "-q", *pytest_args,
    ]  # fmt: skip
    completed = subprocess.run(command, cwd=REPO, env=contract_environment(target, os.environ), check=False)
    return Step("contract suite", completed.returncode == 0, f"pytest exit status {completed.returncode}")


def run_integration(target: Target, reports: Path) -> Step:
    if target.backend != "winrm" or not target.inventory:
        return Step("integration targets", True, "not run: ansible-test windows-integration needs a Windows host (molecule runs the role on a directory host)")
    shutil.rmtree(INTEGRATION_JUNIT, ignore_errors=True)
    env = {**os.environ, "SHOP_SYNC_WINRM_INVENTORY": target.inventory, "PYTHON": sys.executable}
    completed = subprocess.run([str(REPO / "tests/tools/windows_integration.sh")], cwd=REPO, env=env, check=False)
    if INTEGRATION_JUNIT.is_dir():
        shutil.copytree(INTEGRATION_JUNIT, reports / "integration", dirs_exist_ok=True)
    return Step("integration targets", completed.returncode == 0, f"windows_integration.sh exit status {completed.returncode}")


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def cleanup_script(task_folder: str, base_dir: str) -> str:
    """PowerShell removing the run's directory and its task folders, saying what stays.

    ITaskFolder.DeleteFolder removes an empty subfolder only (Microsoft's "ITaskFolder::DeleteFolder"):
    a task the tests failed to delete keeps its folder, and is reported.
    """
    parent, name = task_folder.rsplit("\\", 1)
    return "; ".join(
        (
            "$ErrorActionPreference = 'Stop'",
            f"try {{ if (Test-Path -LiteralPath {_ps_quote(base_dir)}) {{ Remove-Item -LiteralPath {_ps_quote(base_dir)} -Recurse -Force }};"
            f" 'removed {base_dir}' }} catch {{ 'left {base_dir}: ' + $_.Exception.Message }}",
            "$service = New-Object -ComObject Schedule.Service",
            "$service.Connect()",
            f"try {{ $run = $service.GetFolder({_ps_quote(task_folder)}) }} catch {{ $run = $null; 'no task folder {task_folder}' }}",
            "if ($run) { foreach ($child in @($run.GetFolders(0))) { try { $run.DeleteFolder($child.Name, 0) }"
            " catch { 'left ' + $child.Path + ' (' + $child.GetTasks(1).Count + ' tasks): ' + $_.Exception.Message } } }",
            f"if ($run) {{ try {{ $service.GetFolder({_ps_quote(parent)}).DeleteFolder({_ps_quote(name)}, 0); 'removed {task_folder}' }}"
            f" catch {{ 'left {task_folder}: ' + $_.Exception.Message }} }}",
            # The shared parent goes only when no other run left anything in it.
            f"try {{ $service.GetFolder('\\').DeleteFolder({_ps_quote(parent.lstrip(chr(92)))}, 0) }} catch {{ }}",
        )
    )


def run_cleanup(target: Target) -> Step:
    if target.backend != "winrm" or not target.inventory:
        return Step("clean-up", True, "nothing to remove: each contract test used a directory image of its own")
    script = cleanup_script(target.task_folder, target.base_dir(os.environ))
    command = [str(VENV_BIN / "ansible"), target.host or "all", "-i", target.inventory, "-m", "ansible.builtin.raw", "-a", script]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    said = [line.strip() for line in completed.stdout.splitlines() if line.strip().startswith(("removed ", "left ", "no task folder "))]
    print("\n".join(said) or completed.stdout + completed.stderr)
    left = [line for line in said if line.startswith("left ")]
    passed = completed.returncode == 0 and not left
    return Step("clean-up", passed, "; ".join(said) if said else f"ansible raw exit status {completed.returncode}: remove by hand (docs/testing-windows.md)")


def promises_in(reports: Path) -> list[Promise]:
    files = [reports / "contract.xml", *sorted((reports / "integration").glob("*.xml"))]
    return [promise for path in files if path.is_file() for promise in read_junit(path)]


def write_html(target: Target, reports: Path, steps: Sequence[Step], started: dt.datetime) -> list[Promise]:
    promises = promises_in(reports)
    facts = [
        ("host", f"{target.host or 'first host of the inventory'} ({target.inventory})" if target.inventory else "a fresh directory host per test"),
        ("backend", target.backend),
        ("run", target.run_id),
        ("started", started.isoformat(timespec="seconds")),
        ("finished", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")),
    ]
    if target.backend == "winrm":
        facts += [("task folder", target.task_folder), ("directory", target.base_dir(os.environ))]
    facts += [(step.name, f"{'passed' if step.passed else 'FAILED'}: {step.detail}") for step in steps]
    (reports / "acceptance.html").write_text(render_html(f"isotools.shop_sync acceptance run {target.run_id}", facts, promises), encoding="utf-8")
    return promises


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inventory", help="the inventory of the host to prove (default: the directory host)")
    parser.add_argument("--host", help="which host of the inventory (default: its first)")
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="where the reports go (default: build/acceptance)")
    parser.add_argument("pytest_args", nargs="*", help="after --: more pytest arguments for the contract suite")
    args = parser.parse_args(argv)

    started = dt.datetime.now(dt.timezone.utc)
    inventory = str(Path(args.inventory).resolve()) if args.inventory else None
    if inventory and not Path(inventory).is_file():
        print(f"windows-acceptance: INVENTORY={args.inventory}: no such file", file=sys.stderr)
        return 2
    target = Target(inventory, args.host, backend_of(inventory, args.host) if inventory else "directory", f"a{uuid.uuid4().hex[:8]}")
    reports: Path = args.reports.resolve()
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    print(f"== acceptance run {target.run_id} on {target.backend} host {target.host or ''} ({target.inventory or 'no inventory'})")

    steps = [run_contract(target, reports, args.pytest_args)]
    steps.append(run_integration(target, reports))
    steps.append(run_cleanup(target))
    promises = write_html(target, reports, steps, started)

    failed = [promise for promise in promises if promise.verdict is Verdict.FAILED]
    for step in steps:
        print(f"== {step.name}: {'passed' if step.passed else 'FAILED'}: {step.detail}")
    print(f"== {len(promises)} promises, {len(failed)} failed; reports: {reports / 'acceptance.html'}, {reports / 'contract.xml'}")
    return 0 if promises and not failed and all(step.passed for step in steps) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
