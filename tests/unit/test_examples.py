# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example inventories are what the docs say: valid jobs, working vault, safe connections.

Each inventory is loaded the way ansible-playbook loads it (with the example vault password),
every host's jobs go through the role's own translation, and the connection settings are the
encrypted ones the examples promise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.vault import VaultSecret
from ansible.template import Templar
from ansible.vars.manager import VariableManager

try:  # ansible-core 2.19+: decryption on use reads process-wide secrets; templates must be trusted
    from ansible.parsing.vault import VaultSecretsContext
    from ansible.template import trust_as_template
except ImportError:  # 2.17, 2.18: the loader decrypts with its own secrets, every template is trusted
    VaultSecretsContext = None

    def trust_as_template(value: str) -> str:
        return value


from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import sync_job_problems, to_sync_jobs

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
ROLE = REPO / "roles" / "sync_jobs"
VAULT_PASSWORD = (EXAMPLES / "vault-password.example").read_text(encoding="utf-8").strip()


def host_vars(inventory: str) -> dict[str, dict[str, Any]]:
    """Every host's variables, templated, with the role's defaults under them."""
    secret = ("default", VaultSecret(VAULT_PASSWORD.encode()))
    loader = DataLoader()
    loader.set_vault_secrets([secret])
    load_options = {}
    if VaultSecretsContext is not None:
        # Decryption on use reads the process-wide secrets, as ansible-playbook sets them up once.
        context = VaultSecretsContext.current(optional=True)
        if context is None:
            VaultSecretsContext.initialize(VaultSecretsContext([secret]))
        elif secret not in context.secrets:
            context.secrets.append(secret)
        load_options["trusted_as_template"] = True
    manager = InventoryManager(loader=loader, sources=[str(EXAMPLES / inventory / "inventory.yml")])
    variables = VariableManager(loader=loader, inventory=manager)
    role_defaults = loader.load_from_file(str(ROLE / "defaults" / "main.yml"), **load_options)
    role_vars = loader.load_from_file(str(ROLE / "vars" / "main.yml"), **load_options)
    hosts = {}
    for host in manager.get_hosts():
        found = {**role_defaults, **variables.get_vars(host=host), "role_path": str(ROLE), "playbook_dir": str(REPO / "playbooks")}
        found.update(role_vars)
        templar = Templar(loader=loader, variables=found)
        wanted = [key for key in found if key.startswith(("shop_sync_", "sync_jobs_", "ansible_", "vault_"))]
        hosts[host.name] = {key: templar.template(trust_as_template(f"{{{{ {key} }}}}")) for key in wanted}
    return hosts


@pytest.mark.parametrize("inventory", ["demo", "staging", "production"])
def test_every_host_of_every_example_has_valid_jobs(inventory: str) -> None:
    hosts = host_vars(inventory)
    assert hosts
    for host, found in hosts.items():
        assert found["shop_sync_jobs"], host
        assert sync_job_problems(found["shop_sync_jobs"], host=host, defaults=found["sync_jobs_job_defaults"]) == []


@pytest.mark.parametrize("inventory", ["staging", "production"])
def test_the_vaulted_passwords_open_with_the_example_password_and_reach_the_jobs(inventory: str) -> None:
    for host, found in host_vars(inventory).items():
        password = found["vault_svc_sync_password"]
        assert password == f"example-{inventory}-svc_sync_password-Chang3Me!"
        jobs = to_sync_jobs(found["shop_sync_jobs"], host=host, defaults=found["sync_jobs_job_defaults"])
        principals = [job["task"]["principal"] for job in jobs]
        assert all(principal == {"user": "SHOPS\\svc_sync", "logon_type": "password", "password": password, "run_level": "limited"} for principal in principals)
        assert all(job["task"]["password_version"] == "2026-11" for job in jobs)


def test_the_vault_files_hold_no_clear_secret() -> None:
    for path in EXAMPLES.glob("*/group_vars/all/vault.yml"):
        text = path.read_text(encoding="utf-8")
        assert "Chang3Me" not in text and text.count("$ANSIBLE_VAULT;1.1;AES256") == 2


@pytest.mark.parametrize(
    ("inventory", "expected"),
    [
        ("production", {"ansible_connection": "winrm", "ansible_port": 5986, "ansible_winrm_scheme": "https", "ansible_winrm_transport": "kerberos"}),
        ("staging", {"ansible_connection": "winrm", "ansible_winrm_transport": "ntlm", "ansible_winrm_message_encryption": "always"}),
        ("demo", {"ansible_connection": "local", "shop_sync_backend": "directory"}),
    ],
)
def test_connections_are_the_documented_ones(inventory: str, expected: dict[str, object]) -> None:
    for found in host_vars(inventory).values():
        assert {key: found.get(key) for key in expected} == expected
        assert found.get("ansible_winrm_server_cert_validation") != "ignore"
