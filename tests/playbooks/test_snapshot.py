# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Review a change before it merges, offline: snapshot -> proposed inventory -> drift on the image.

A directory host stands in for the production server: the role deploys three jobs to it, one
with a stored password. The snapshot playbook copies what a deploy compares against into an
image; the proposed inventory moves one schedule and points every host at a WinRM address no one
answers, its passwords vaulted, and the review has no vault password. Drift against the image (real
ansible-playbook runs) shows exactly that change in its Markdown summary, never contacts the
server, and no password is anywhere in the image.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.playbook_runner import ANSIBLE_PLAYBOOK, empty_image, journal, playbook, require_ansible_playbook, run
from test_workflow import JOBS_A, PASSWORD, SVC_SID

ROOT = "D:\\Isotools\\Synchro_prod\\shopA"
WINRM_PASSWORD = "never-decrypted-by-the-review"


def inventory(path: Path, jobs: list[dict[str, object]], host_vars: dict[str, object], *, vault: bool = True) -> Path:
    """The inventory; ``vault`` false: the vault's variable is not there (CI has no vault)."""
    secrets = {"vault_svc_sync_password": PASSWORD} if vault else {}
    data = {
        "all": {
            "vars": {"ansible_python_interpreter": sys.executable, "shop_sync_root": ROOT, **secrets},
            "hosts": {"shopA": {"shop_sync_jobs": jobs, **host_vars}},
        }
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_ansible_playbook()
    base = tmp_path_factory.mktemp("snapshot")
    server = empty_image(base / "server" / "shopA", {"svc_sync": SVC_SID})
    (server / "host.json").write_text(json.dumps({"hostname": "SHOP-A", "time_zone": "W. Europe Standard Time", "utc_offset_minutes": 60}), encoding="utf-8")
    production = {"ansible_connection": "local", "shop_sync_backend": "directory", "shop_sync_directory_root": str(server)}
    inventory(base / "production.yml", JOBS_A, production)
    code, output, _recap = run(base, playbook("deploy"), inventory=base / "production.yml", secrets=(PASSWORD,))
    assert code == 0, output
    return base


def test_snapshot_copies_what_a_deploy_compares_against_and_no_password(base: Path) -> None:
    before = journal(base / "server", "shopA")
    snapshot_dir = f"shop_sync_snapshot_dir={base / 'snapshots'}"
    code, output, recap = run(base, playbook("snapshot"), "-e", snapshot_dir, inventory=base / "production.yml", secrets=(PASSWORD,))
    assert code == 0, output
    assert recap["shopA"]["changed"] == 0
    assert journal(base / "server", "shopA") == [*before, "read"], "one read, no write"
    image = base / "snapshots" / "shopA"
    tasks = sorted(path.name for path in image.joinpath("C", "Windows", "System32", "Tasks", "Isotools").iterdir())
    assert tasks == ["Synchro Commandes", "Synchro Prix", "Synchro Stock"]
    assert image.joinpath("D", "Isotools", "Synchro_prod", "shopA", "Synchro Prix", "synchro.bat").is_file()
    assert json.loads((image / "accounts.json").read_text(encoding="utf-8")) == {"svc_sync": SVC_SID}
    acl = json.loads((image / "acl.json").read_text(encoding="utf-8"))
    assert "d:\\isotools\\synchro_prod\\shopa\\synchro prix\\synchro.bat" in acl
    assert json.loads((image / "host.json").read_text(encoding="utf-8"))["hostname"] == "SHOP-A"
    assert not (image / "credentials.json").exists()
    assert_no_password(image)


def test_drift_of_a_proposed_inventory_against_the_image_shows_exactly_the_change(base: Path) -> None:
    proposed = copy.deepcopy(JOBS_A)
    prix = next(job for job in proposed if job["name"] == "Synchro Prix")
    prix["schedule"] = [{"daily": "03:30"}]
    # What the inventory repository holds for production: WinRM, an address no one answers here,
    # the connection's and the sync account's passwords vaulted. The review has no vault password:
    # the CI job gives placeholders for the vaulted variables, none of which is ever decrypted.
    winrm = {"ansible_connection": "winrm", "ansible_host": "192.0.2.10", "ansible_port": 5986, "ansible_user": "ansible@SHOPS.EXAMPLE"}
    path = base / "proposed"
    (path / "host_vars").mkdir(parents=True)
    inventory(path / "hosts.yml", proposed, winrm, vault=False)
    (path / "host_vars" / "shopA.yml").write_text(vaulted(base, ansible_password=WINRM_PASSWORD, vault_svc_sync_password=PASSWORD), encoding="utf-8")
    before = journal(base / "server", "shopA")
    code, output, _recap = run(
        base,
        playbook("drift"),
        "-e", "ansible_connection=local",
        "-e", "shop_sync_backend=directory",
        "-e", f"shop_sync_directory_root={base / 'snapshots'}/{{{{ inventory_hostname }}}}",
        "-e", "vault_svc_sync_password=not-a-secret",
        "-e", "ansible_password=not-a-secret",
        "-e", f"shop_sync_report_dir={base / 'review'}",
        inventory=path,
        secrets=(PASSWORD,),
    )  # fmt: skip
    assert code == 0, output
    assert "1 host(s), 3 job(s)" in output, output
    assert WINRM_PASSWORD not in output
    assert journal(base / "server", "shopA") == before, "drift contacted the server"
    summary = (base / "review" / "summary.md").read_text(encoding="utf-8")
    assert "| in sync | 2 |" in summary and "| drifted | 1 |" in summary, summary
    # Drift says the times as written; the freshness table follows the findings.
    needs_a_look, last_success = summary.split("## Needs a look", 1)[1].split("## Last success", 1)
    assert needs_a_look.strip().splitlines() == [
        "### shopA",
        "",
        "- **Synchro Prix**: drifted",
        "  - `triggers[daily 02:00]: daily at 02:00 -> 03:30`",
    ], summary
    assert "| shopA | Synchro Prix | unknown |" in last_success, summary
    assert_no_password(base / "snapshots" / "shopA")


def vaulted(base: Path, **values: str) -> str:
    """``ansible-vault encrypt_string`` of each value under its name, with a vault password the
    review never gets (it stays in ``base``, outside the inventory)."""
    secret = base / "vault-password-not-given-to-the-review"
    secret.write_text("only-the-snapshot-runner-has-it\n", encoding="utf-8")
    texts = []
    for name, value in values.items():
        command = [str(ANSIBLE_PLAYBOOK.parent / "ansible-vault"), "encrypt_string", "--vault-password-file", str(secret), value, "--name", name]
        texts.append(subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout)
    return "".join(texts)


def assert_no_password(image: Path) -> None:
    encodings = [secret.encode(encoding) for secret in (PASSWORD, WINRM_PASSWORD) for encoding in ("utf-8", "utf-16-le", "utf-16-be")]
    leaked = [path for path in image.rglob("*") if path.is_file() and any(secret in path.read_bytes() for secret in encodings)]
    assert leaked == [], "a password is in the image"
