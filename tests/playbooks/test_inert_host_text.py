# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host text never reaches Ansible's templar: adopt -> inventory -> drift -> deploy -> drift.

A hand-made task (a real corpus export with invented hostile text, tests/hostile_text.py) holds
templates in its description, author, arguments, start-in folder and name; the pipe lookups
would create marker files on the controller. The operator adopts it, moves the adopted YAML into
the inventory as the adopt notes say, runs drift in check mode, deploys (which takes the task
over: registers it again, marked), and runs drift again (real ansible-playbook runs against a
directory host). No marker is ever created, the task on the host keeps every text the job holds
exactly, and the last drift finds the job in sync.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hostile_text import BASE_ACCOUNT, HOSTILE_NAME, TEMPLATED_FIELDS, hostile_task_xml, injections, load_adopted
from support import playbook_runner
from support.playbook_runner import TASKS, playbook, require_ansible_playbook

ROOT = "D:\\Isotools\\Synchro_prod\\shopH"
NAMESPACE = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("inert")
    image = base / "image"
    (image / "D").mkdir(parents=True)
    image.joinpath(*TASKS).mkdir(parents=True)
    (image / "accounts.json").write_text(json.dumps({BASE_ACCOUNT[0]: BASE_ACCOUNT[1]}), encoding="utf-8")
    image.joinpath(*TASKS, HOSTILE_NAME).write_bytes(hostile_task_xml(base / "marker", ROOT))
    inventory = base / "inventory"
    (inventory / "host_vars").mkdir(parents=True)
    hosts = {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "shop_sync_backend": "directory", "shop_sync_root": ROOT},
            "hosts": {"shopH": {"shop_sync_directory_root": str(image)}},
        }
    }
    (inventory / "hosts.yml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    return base


def run(shop: Path, name: str, *options: str) -> str:
    code, output, _recap = playbook_runner.run(shop, playbook(name), *options, inventory=shop / "inventory")
    assert code == 0, output
    assert markers(shop) == [], f"{name} ran a template from the host"
    return output


def without_uri(texts: dict[str, str]) -> dict[str, str]:
    return {element: text for element, text in texts.items() if element != "URI"}


def markers(shop: Path) -> list[str]:
    return sorted(path.name for path in shop.glob("marker-*"))


def host_task(shop: Path) -> dict[str, str]:
    """Element -> its text in the task the host holds now."""
    root = ElementTree.fromstring(shop.joinpath("image", *TASKS, HOSTILE_NAME).read_bytes().decode("utf-16").split("?>", 1)[1])
    found = {element: root.find(f".//t:{element}", NAMESPACE) for element in TEMPLATED_FIELDS}
    return {element: node.text or "" for element, node in found.items() if node is not None}


def test_adopt_writes_every_host_text_unsafe_and_runs_none(shop: Path) -> None:
    run(shop, "adopt", "-e", f"shop_sync_adopt_dir={shop / 'adopted'}")
    text = (shop / "adopted" / "host_vars" / "shopH.yml").read_text(encoding="utf-8")
    assert "Every text below came from the host and is marked !unsafe" in text
    assert "description: !unsafe '{{ lookup(" in text and "name: !unsafe 'DesktopUpdater {{ 7 + 7 }}'" in text
    [job] = load_adopted(text)["shop_sync_jobs"]
    hostile = injections(shop / "marker", ROOT)
    assert (job["name"], job["description"], job["author"], job["arguments"], job["working_directory"]) == (
        HOSTILE_NAME,
        hostile["Description"],
        hostile["Author"],
        hostile["Arguments"],
        hostile["WorkingDirectory"],
    )


def test_the_adopted_jobs_in_the_inventory_never_run_a_template_and_deploy_exactly(shop: Path) -> None:
    shutil.copy(shop / "adopted" / "host_vars" / "shopH.yml", shop / "inventory" / "host_vars" / "shopH.yml")
    before = host_task(shop)
    run(shop, "drift", "-e", "shop_sync_report_dir=report-check")  # the attack: check mode, before any deploy
    # Made by hand, matching its job: not in sync until a deploy takes it over (the marker).
    check = (shop / "report-check" / "summary.md").read_text(encoding="utf-8")
    assert "| not yet taken over | 1 |" in check and "| in sync | 0 |" in check, check
    output = run(shop, "deploy")
    assert "this run takes it over" in output, output
    tasks = sorted(path.name for path in shop.joinpath("image", *TASKS).iterdir())
    assert tasks == [HOSTILE_NAME]
    # The deploy takes the hand-made task over: registered again from the job, every text the job
    # holds kept exactly. Its URI is not the job's: Task Scheduler writes its own from the path
    # (and compare ignores it), so the re-registered task is compared without it.
    assert "URI" in before
    assert host_task(shop) == without_uri(before) == without_uri(injections(shop / "marker", ROOT))
    assert not shop.joinpath("image", "D", "Isotools", "Synchro_prod", "shopH", "14").exists()


def test_drift_finds_the_job_in_sync_with_its_text_intact(shop: Path) -> None:
    output = run(shop, "drift", "-e", "shop_sync_report_dir=report-after")
    summary = (shop / "report-after" / "summary.md").read_text(encoding="utf-8")
    assert "| in sync | 1 |" in summary and "| drifted | 0 |" in summary and "| unmanaged extra | 0 |" in summary, summary
    assert "1 host(s), 1 job(s): 1 in sync" in output
    assert host_task(shop)["Description"] == injections(shop / "marker", ROOT)["Description"]


def test_once_taken_over_state_absent_deletes_it(shop: Path) -> None:
    # Before the takeover state: absent only warned ("not registered by isotools.shop_sync").
    host_vars = shop / "inventory" / "host_vars" / "shopH.yml"
    host_vars.write_text(f"shop_sync_jobs:\n  - name: !unsafe '{HOSTILE_NAME}'\n    state: absent\n", encoding="utf-8")
    run(shop, "deploy")
    assert list(shop.joinpath("image", *TASKS).iterdir()) == []
