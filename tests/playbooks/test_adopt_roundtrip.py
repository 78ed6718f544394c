# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adopt -> inventory -> drift -> deploy -> drift through the role, with the real tasks.

A directory host holds all 68 real task exports of ``../shared/task-xml/corpus`` in its managed
folder, as Windows stores them. The operator runs the ``adopt`` playbook and moves the adopted
host_vars into the inventory as they are. Its ``drift`` (the role ``sync_jobs``, check mode)
checks the host even though the password logons have no password yet: each of those is its own
error naming the variable to give. With the passwords the adopt notes ask for, every adopted job
is "not yet taken over" with no change at all (display names, tasks with no start-in folder,
schedules said in plain words, raw triggers, tasks starting in ``%TEMP%``, which no job may own:
kept as their actions, with no folder of their own); the first ``deploy`` takes them over,
creating no folder for those, and drift then finds every one in sync, the ones starting in a
folder Users may add files to (``C:\\Windows\\TEMP``, as Windows installs it) with that finding.
Every task adopt left out is listed in the adopted file with its reason (a start-in folder Task
Scheduler cannot start in as written, named), and drift reports exactly those as unmanaged
extras. Every host text stays ``!unsafe``, nested
ones (actions, raw triggers) included. The test prints that listing (``pytest -s`` or ``-rP``).
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
from host_samples import WINDOWS_TEMP_ACL
from hostile_text import load_adopted
from shared_data import CORPUS, require
from support import playbook_runner
from support.playbook_runner import TASKS, playbook, require_ansible_playbook

ROOT = "D:\\Isotools\\Synchro_prod\\shopC"
LEFT_OUT = re.compile(r"^#   \\Isotools\\(?P<name>[^:]+): (?P<reasons>.+)$", re.M)
# Findings about the host (a folder others can write), not about the job: never drift.
FINDINGS = frozenset({"privilege_escalation"})
# The real tasks starting in %TEMP%, which no job may own: adopted as their actions.
STARTS_IN_TEMP = ("037_logicdaemon-boot-logon-calendar-s4u", "038_logicdaemon-daily-repetition-interactive")
TEMP_FINDING = "privilege escalation path: C:\\Windows\\TEMP (where the task starts: its current directory) is writable by BUILTIN\\Users"
# The supported real tasks left out for their start-in folder, as Windows keeps it: why.
REFUSED = "the task holds values the options refuse: actions[0].working_directory"
START_IN_LEFT_OUT = {
    "024_smartmontools-monthly-days-placeholders": f"{REFUSED} '[PATH]' must be an absolute folder",
    "046_bluscream-boot-logon-sessionstate-restart": f"{REFUSED} '\"C:\\Program Files (x86)\\BoxToGoRC\"' must not be quoted",
}


class Unsafe(str):
    """A string the adopted file marked ``!unsafe``."""


class _MarkingLoader(yaml.SafeLoader):
    """Reads ``!unsafe`` scalars as :class:`Unsafe`, every other string as a plain ``str``."""


_MarkingLoader.add_constructor("!unsafe", lambda loader, node: Unsafe(loader.construct_scalar(node)))


class _MarkingDumper(yaml.SafeDumper):
    """Writes :class:`Unsafe` back as ``!unsafe``, so the edited inventory keeps the marks."""


_MarkingDumper.add_representer(Unsafe, lambda dumper, value: dumper.represent_scalar("!unsafe", str(value)))
PASSWORD_NOTE = "stores a password: put it in the vault"


def plain_strings(value: object, path: str = "") -> list[str]:
    """Where a string value is not marked ``!unsafe`` (host text Ansible would template)."""
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in plain_strings(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in plain_strings(item, f"{path}[{index}]")]
    return [path] if isinstance(value, str) and not isinstance(value, Unsafe) else []


def corpus_accounts(files: list[Path]) -> dict[str, str]:
    """The accounts the exports run as: each name given an invented SID, each SID an invented
    name, so the directory host resolves them as a domain controller would."""
    names: list[str] = []
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8")
        names += re.findall(r"<UserId>([^<]+)</UserId>", text)
    accounts = dict.fromkeys(names)
    # An account given by its SID exists on that server too (the deploy registers it again there).
    sids = {f"corpus-sid-account-{index}": name for index, name in enumerate(name for name in accounts if name.startswith("S-1-"))}
    plain = [name for name in accounts if not name.startswith("S-1-")]
    named = {name: f"S-1-5-21-1004336348-1177238915-682003330-{2001 + index}" for index, name in enumerate(plain)}
    return {**named, **sids}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    files = sorted(require(CORPUS).glob("*.xml"))
    base = tmp_path_factory.mktemp("roundtrip")
    image = base / "image"
    (image / "D").mkdir(parents=True)
    image.joinpath(*TASKS).mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, image.joinpath(*TASKS, path.stem))
    (image / "accounts.json").write_text(json.dumps(corpus_accounts(files)), encoding="utf-8")
    image.joinpath("C", "Windows", "TEMP").mkdir()  # %TEMP% of the machine, as Windows installs it
    (image / "acl.json").write_text(json.dumps({"c:\\windows\\temp": WINDOWS_TEMP_ACL}), encoding="utf-8")
    (base / "inventory" / "host_vars").mkdir(parents=True)
    hosts = {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "shop_sync_backend": "directory", "shop_sync_root": ROOT},
            "hosts": {"shopC": {"shop_sync_directory_root": str(image)}},
        }
    }
    (base / "inventory" / "hosts.yml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    return base


def run(shop: Path, name: str, *options: str) -> str:
    code, output, _recap = playbook_runner.run(shop, playbook(name), *options, inventory=shop / "inventory")
    assert code == 0, output
    return output


def outcomes(report: Path) -> dict[str, set[str]]:
    """Job -> the kinds of failure drift's JUnit report gives it (none: in sync)."""
    root = ElementTree.parse(report / "junit.xml").getroot()
    return {str(case.get("name")): {str(failure.get("type")) for failure in case if failure.tag in ("failure", "error")} for case in root.iter("testcase")}


def details(report: Path) -> dict[str, str]:
    """Job -> the text of its JUnit failures (the findings are there)."""
    root = ElementTree.parse(report / "junit.xml").getroot()
    return {str(case.get("name")): "\n".join(failure.text or "" for failure in case if failure.tag in ("failure", "error")) for case in root.iter("testcase")}


def with_passwords(text: str) -> tuple[str, set[str]]:
    """The adopted host_vars with a password for each job whose adopt note asks for one, and those jobs."""
    data = yaml.load(text, Loader=_MarkingLoader)
    asking = set(re.findall(rf"^  # (.+?): {PASSWORD_NOTE}", text, flags=re.M))
    for job in data["shop_sync_jobs"]:
        if str(job["name"]) in asking:
            job["password"] = f"pw-of-{job['name']}"
    return yaml.dump(data, Dumper=_MarkingDumper, allow_unicode=True, sort_keys=False), asking


def drift(shop: Path, report: str) -> tuple[int, str, dict[str, set[str]], str]:
    code, output, _recap = playbook_runner.run(shop, playbook("drift"), "-e", f"shop_sync_report_dir={shop / report}", inventory=shop / "inventory")
    return code, output, outcomes(shop / report), (shop / report / "summary.md").read_text(encoding="utf-8")


def test_every_adopted_real_task_is_taken_over_by_the_first_deploy_and_the_rest_is_listed(shop: Path) -> None:
    run(shop, "adopt", "-e", f"shop_sync_adopt_dir={shop / 'adopted'}")
    text = (shop / "adopted" / "host_vars" / "shopC.yml").read_text(encoding="utf-8")
    adopted = {str(job["name"]) for job in load_adopted(text)["shop_sync_jobs"]}
    left_out = {match["name"]: match["reasons"] for match in LEFT_OUT.finditer(text)}
    corpus = {path.stem for path in CORPUS.glob("*.xml")}
    assert adopted | set(left_out) == corpus and not adopted & set(left_out)
    assert adopted, "adopt adopted none of the real tasks"
    assert set(STARTS_IN_TEMP) <= adopted, left_out
    assert {name: why in left_out.get(name, "") for name, why in START_IN_LEFT_OUT.items()} == dict.fromkeys(START_IN_LEFT_OUT, True), left_out
    assert plain_strings(yaml.load(text, Loader=_MarkingLoader)["shop_sync_jobs"]) == []  # actions, triggers and settings too

    # As adopted: the password logons cannot be taken over yet. Each is its own error; the host is checked.
    shutil.copyfile(shop / "adopted" / "host_vars" / "shopC.yml", shop / "inventory" / "host_vars" / "shopC.yml")
    inventory, asking = with_passwords(text)
    assert asking, "adopt asked for no password (the corpus has password logons)"
    code, output, found, summary = drift(shop, "as-adopted")
    assert code != 0, output
    assert {name for name, kinds in found.items() if "error" in kinds} == asking, summary
    assert "| hosts not checked | 0 |" in summary and f"| not yet taken over | {len(adopted) - len(asking)} |" in summary, summary
    for name in asking:
        assert f"host 'shopC', job '{name}': cannot be taken over without its password" in output, output
    assert "shop_sync_default_password" in output

    # With the passwords the notes ask for: every adopted job is not yet taken over, nothing else differs.
    (shop / "inventory" / "host_vars" / "shopC.yml").write_text(inventory, encoding="utf-8")
    code, output, found, summary = drift(shop, "report")
    assert code == 0, output  # drift, which fails a host only with shop_sync_fail_on_drift
    assert f"| not yet taken over | {len(adopted)} |" in summary and "| in sync | 0 |" in summary, summary
    assert "| drifted | 0 |" in summary and "| missing | 0 |" in summary and "| error | 0 |" in summary and "| hosts not checked | 0 |" in summary, summary
    assert {name: kinds - FINDINGS for name, kinds in found.items() if name in adopted and kinds - FINDINGS != {"not_taken_over"}} == {}
    needs_a_look = summary.split("## Needs a look", 1)[1].split("## Last success", 1)[0]
    assert not [line for line in needs_a_look.splitlines() if line.startswith("  - `")], "an adopted job has a field change"
    assert {name for name, kinds in found.items() if "extra" in kinds} == set(left_out)
    assert all(password not in output for password in (f"pw-of-{name}" for name in asking))

    # The first deploy takes them over; from then on every adopted job is in sync.
    run(shop, "deploy")
    assert not shop.joinpath("image", *ROOT.replace(":", "").split("\\")).exists()  # no job folder was made: none of them has one
    code, output, found, summary = drift(shop, "after-deploy")
    assert f"| in sync | {len(adopted)} |" in summary and "| not yet taken over | 0 |" in summary and "| drifted | 0 |" in summary, summary
    assert "| error | 0 |" in summary and "| hosts not checked | 0 |" in summary, summary
    assert {name: kinds - FINDINGS for name, kinds in found.items() if name in adopted and kinds - FINDINGS} == {}
    assert {name for name, kinds in found.items() if "extra" in kinds} == set(left_out)
    # Kept as their actions, they start in C:\Windows\TEMP, which Users may add files to: a finding, never fixed.
    said = details(shop / "after-deploy")
    assert {name: "privilege_escalation" in found[name] and TEMP_FINDING in said[name] for name in STARTS_IN_TEMP} == dict.fromkeys(STARTS_IN_TEMP, True), said
    assert json.loads((shop / "image" / "acl.json").read_text(encoding="utf-8"))["c:\\windows\\temp"] == WINDOWS_TEMP_ACL
    print(f"adopt -> inventory -> drift -> deploy -> drift (role) of the real corpus: {len(adopted)} adopted, all taken over; {len(left_out)} not adopted:")
    for name, reasons in sorted(left_out.items()):
        print(f"  {name}: {reasons}")
