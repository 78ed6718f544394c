# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adopt -> inventory -> drift through the role finds every adopted real task in sync.

A directory host holds all 68 real task exports of ``../shared/task-xml/corpus`` in its managed
folder, as Windows stores them. The operator runs the ``adopt`` playbook, moves the adopted
host_vars into the inventory as they are, and runs the ``drift`` playbook (the role
``sync_jobs``, check mode). Every job adopt wrote is in sync (no change at all: display names,
tasks with no start-in folder, schedules said in plain words, raw triggers); every task adopt left
out is listed in the adopted file with its reason, and drift reports exactly those as unmanaged
extras. Every host text stays ``!unsafe``, nested ones (actions, raw triggers) included. The
test prints that listing (``pytest -s`` or ``-rP`` shows it).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hostile_text import load_adopted
from shared_data import CORPUS, require
from test_workflow import run as run_playbook

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
ROOT = "D:\\Isotools\\Synchro_prod\\shopC"
TASKS = ("C", "Windows", "System32", "Tasks", "Isotools")
LEFT_OUT = re.compile(r"^#   \\Isotools\\(?P<name>[^:]+): (?P<reasons>.+)$", re.M)
# Findings about the host (a folder others can write), not about the job: never drift.
FINDINGS = frozenset({"privilege_escalation"})


class Unsafe(str):
    """A string the adopted file marked ``!unsafe``."""


class _MarkingLoader(yaml.SafeLoader):
    """Reads ``!unsafe`` scalars as :class:`Unsafe`, every other string as a plain ``str``."""


_MarkingLoader.add_constructor("!unsafe", lambda loader, node: Unsafe(loader.construct_scalar(node)))


def plain_strings(value: object, path: str = "") -> list[str]:
    """Where a string value is not marked ``!unsafe`` (host text Ansible would template)."""
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in plain_strings(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in plain_strings(item, f"{path}[{index}]")]
    return [path] if isinstance(value, str) and not isinstance(value, Unsafe) else []


def corpus_accounts(files: list[Path]) -> dict[str, str]:
    """The account names (not SIDs) the exports run as, each given an invented SID so the
    directory host resolves it as a domain controller would."""
    names: list[str] = []
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8")
        names += [name for name in re.findall(r"<UserId>([^<]+)</UserId>", text) if not name.startswith("S-1-")]
    return {name: f"S-1-5-21-1004336348-1177238915-682003330-{2001 + index}" for index, name in enumerate(dict.fromkeys(names))}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ANSIBLE_PLAYBOOK.exists():
        pytest.skip(f"{ANSIBLE_PLAYBOOK} is missing (run make venv)")
    files = sorted(require(CORPUS).glob("*.xml"))
    base = tmp_path_factory.mktemp("roundtrip")
    image = base / "image"
    (image / "D").mkdir(parents=True)
    image.joinpath(*TASKS).mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, image.joinpath(*TASKS, path.stem))
    (image / "accounts.json").write_text(json.dumps(corpus_accounts(files)), encoding="utf-8")
    (base / "inventory" / "host_vars").mkdir(parents=True)
    hosts = {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "shop_sync_backend": "directory", "shop_sync_root": ROOT},
            "hosts": {"shopC": {"shop_sync_directory_root": str(image)}},
        }
    }
    (base / "inventory" / "hosts.yml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    return base


def run(shop: Path, playbook: str, *options: str) -> str:
    code, output, _recap = run_playbook(shop, str(REPO / "playbooks" / f"{playbook}.yml"), *options, inventory=shop / "inventory")
    assert code == 0, output
    return output


def outcomes(report: Path) -> dict[str, set[str]]:
    """Job -> the kinds of failure drift's JUnit report gives it (none: in sync)."""
    root = ElementTree.parse(report / "junit.xml").getroot()
    return {str(case.get("name")): {str(failure.get("type")) for failure in case if failure.tag in ("failure", "error")} for case in root.iter("testcase")}


def test_every_adopted_real_task_is_in_sync_through_the_role_and_the_rest_is_listed(shop: Path) -> None:
    run(shop, "adopt", "-e", f"shop_sync_adopt_dir={shop / 'adopted'}")
    text = (shop / "adopted" / "host_vars" / "shopC.yml").read_text(encoding="utf-8")
    adopted = {str(job["name"]) for job in load_adopted(text)["shop_sync_jobs"]}
    left_out = {match["name"]: match["reasons"] for match in LEFT_OUT.finditer(text)}
    corpus = {path.stem for path in CORPUS.glob("*.xml")}
    assert adopted | set(left_out) == corpus and not adopted & set(left_out)
    assert adopted, "adopt adopted none of the real tasks"
    assert plain_strings(yaml.load(text, Loader=_MarkingLoader)["shop_sync_jobs"]) == []  # actions, triggers and settings too

    shutil.copyfile(shop / "adopted" / "host_vars" / "shopC.yml", shop / "inventory" / "host_vars" / "shopC.yml")
    run(shop, "drift", "-e", f"shop_sync_report_dir={shop / 'report'}")
    found = outcomes(shop / "report")
    summary = (shop / "report" / "summary.md").read_text(encoding="utf-8")
    assert f"| in sync | {len(adopted)} |" in summary and "| drifted | 0 |" in summary and "| missing | 0 |" in summary, summary
    assert "| error | 0 |" in summary and "| hosts not checked | 0 |" in summary, summary
    assert {name: kinds - FINDINGS for name, kinds in found.items() if name in adopted and kinds - FINDINGS} == {}
    assert {name for name, kinds in found.items() if "extra" in kinds} == set(left_out)
    print(f"adopt -> inventory -> drift (role) of the real corpus: {len(adopted)} adopted, all in sync; {len(left_out)} not adopted:")
    for name, reasons in sorted(left_out.items()):
        print(f"  {name}: {reasons}")
