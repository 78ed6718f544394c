# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The actions as a playbook runs them: real ansible-playbook, directory host on disk.

Each ansible-playbook run costs a few seconds, so the whole story is told in three runs:
deploy (changed, with --diff), deploy again (changed=0 in the recap), operate (info, run,
history). The playbooks assert what they can see themselves; this test checks the recap, the
diff output and the host's journal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).parent / "playbooks"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
PASSWORD = "Pl4ybook$ecret-2026"
RECAP = re.compile(r"^localhost\s*:\s*ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)", re.M)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An inventory with one shop served by a directory host, next to its image."""
    if not ANSIBLE_PLAYBOOK.exists():
        pytest.skip(f"{ANSIBLE_PLAYBOOK} is missing (run make venv)")
    base = tmp_path_factory.mktemp("shop")
    image = base / "image"
    (image / "D").mkdir(parents=True)
    (image / "accounts.json").write_text(json.dumps({"CONTOSO\\svc_sync": "S-1-5-21-3623811015-3361044348-30300820-1104"}), encoding="utf-8")
    inventory = {
        "all": {
            "children": {
                "shops": {
                    "hosts": {
                        "localhost": {
                            "ansible_connection": "local",
                            "shop_sync_backend": "directory",
                            "shop_sync_directory_root": str(image),
                            "svc_sync_password": PASSWORD,
                        }
                    }
                }
            }
        }
    }
    (base / "inventory.json").write_text(json.dumps(inventory), encoding="utf-8")
    return base


def playbook(shop: Path, name: str, *options: str) -> tuple[dict[str, int], str]:
    environment = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
    completed = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(shop / "inventory.json"), str(PLAYBOOKS / name), *options],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = completed.stdout + completed.stderr
    match = RECAP.search(completed.stdout)
    assert match is not None, output
    recap = {key: int(value) for key, value in match.groupdict().items()}
    assert completed.returncode == 0 and recap["failed"] == 0, output
    assert PASSWORD not in output
    return recap, output


def journal(shop: Path) -> list[str]:
    lines = (shop / "image" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["op"] for line in lines]


def test_deploy_rerun_and_operate(shop: Path) -> None:
    recap, output = playbook(shop, "deploy.yml", "--diff")
    assert recap["changed"] == 1
    assert "+@echo off" in output and "before: \\Isotools\\Synchro Stock" in output
    assert journal(shop) == ["read", "apply"]

    recap, output = playbook(shop, "deploy.yml")
    assert recap["changed"] == 0, output
    assert journal(shop) == ["read", "apply", "read"]

    recap, output = playbook(shop, "operate.yml")
    assert recap["changed"] == 1  # the run
    # Each info call reads the tasks, then what they run (found in the first read).
    assert journal(shop)[3:] == ["read", "read", "run", "read", "read", "history"]
    script = shop / "image" / "D" / "Isotools" / "Synchro_prod" / "localhost" / "stock" / "synchro.bat"
    assert script.read_bytes().startswith(b"@echo off\r\nrem Synchro Stock: written by the playbook tests")
