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
from pathlib import Path

import pytest
from support.playbook_runner import REPO, journal, require_ansible_playbook, run

PLAYBOOKS = Path(__file__).parent / "playbooks"
PASSWORD = "Pl4ybook$ecret-2026"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An inventory with one shop served by a directory host, next to its image."""
    require_ansible_playbook()
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
    """One of this folder's playbooks, run from the repository; it must succeed."""
    code, output, recap = run(REPO, str(PLAYBOOKS / name), *options, inventory=shop / "inventory.json", secrets=(PASSWORD,))
    assert "localhost" in recap, output
    assert code == 0 and recap["localhost"]["failed"] == 0, output
    return recap["localhost"], output


def test_deploy_rerun_and_operate(shop: Path) -> None:
    recap, output = playbook(shop, "deploy.yml", "--diff")
    assert recap["changed"] == 1
    assert "+@echo off" in output and "before: \\Isotools\\Synchro Stock" in output
    assert journal(shop, "image") == ["read", "apply"]

    recap, output = playbook(shop, "deploy.yml")
    assert recap["changed"] == 0, output
    assert journal(shop, "image") == ["read", "apply", "read"]

    recap, output = playbook(shop, "operate.yml")
    assert recap["changed"] == 1  # the run
    # Each info call reads the tasks, then what they run (found in the first read).
    assert journal(shop, "image")[3:] == ["read", "read", "run", "read", "read", "history"]
    script = shop / "image" / "D" / "Isotools" / "Synchro_prod" / "localhost" / "stock" / "synchro.bat"
    assert script.read_bytes().startswith(b"@echo off\r\nrem Synchro Stock: written by the playbook tests")
