# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text from a host never reaches Ansible's templar, on any path it takes through the collection.

A hand-made task (a real corpus export holding invented templates, tests/hostile_text.py) is read
by win_sync_task_info, adopted, and compared; each value the collection hands back to Ansible is
then used the way a playbook uses it, through ansible-core's own loader and templar: the adopted
YAML loaded as an inventory vars file, and each action or filter result re-fed into a template
(``win_sync_task: "{{ info.tasks[0].spec }}"``). Every hostile text comes back exactly as the host
holds it and no pipe lookup runs. The end-to-end proof with real playbook runs is
tests/playbooks/test_inert_host_text.py.

ansible-core 2.19 and later never template a string that did not come from a trusted source
(a playbook, an inventory file), so there results are inert by design; 2.17 and 2.18 template any
plain string a template reaches, so the collection hands results back marked unsafe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from hardening_support import HOST_TEXTS, ROOT, TEMPLAR_PATHS
from hostile_text import BASE_ACCOUNT, HOSTILE_NAME, hostile_task_xml
from support.action_harness import Harness

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import to_inventory_jobs, to_inventory_yaml, to_sync_jobs
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.inventory_yaml import render_inventory_yaml

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every string

    def trust_as_template(value: str) -> str:  # type: ignore[misc]
        return value


def templated(variables: dict[str, Any], expression: str) -> Any:
    """What a playbook gets from ``expression`` (a template it wrote) given ``variables``."""
    return Templar(loader=DataLoader(), variables=variables).template(trust_as_template(expression))


def vars_file(path: Path) -> dict[str, Any]:
    """``path`` loaded as Ansible loads a host_vars file."""
    loader = DataLoader()
    try:
        return dict(loader.load_from_file(str(path), cache="none", unsafe=True, trusted_as_template=True))
    except TypeError:  # ansible-core < 2.19: no trust marks, every string of the file is a template
        return dict(loader.load_from_file(str(path), cache="none", unsafe=True))


def strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def adopted_job(texts: dict[str, str]) -> dict[str, object]:
    """An adopted job (as adopt_tasks makes it) holding ``texts`` in every kind of place."""
    return {
        "name": texts["name"],
        "description": texts["description"],
        "author": texts["author"],
        "documentation": texts["documentation"],
        "command": "C:\\Windows\\System32\\cmd.exe",
        "arguments": texts["arguments"],
        "triggers": [{"type": "event", "subscription": texts["subscription"], "value_queries": {texts["query name"]: "Event/System/EventID"}}],
        "account": "SYSTEM",
        "settings": {"priority": 7, "allow_demand_start": False},
    }


def test_the_adopted_yaml_loads_as_the_host_text_itself_and_templates_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    texts = {key: text.replace("MARK", str(marker)) for key, text in HOST_TEXTS.items()}
    job = adopted_job(texts)
    path = tmp_path / "shop01.yml"
    path.write_text("---\n" + render_inventory_yaml({"jobs": [job], "notes": {texts["name"]: [texts["note"]]}, "skipped": []}), encoding="utf-8")
    loaded = vars_file(path)
    resolved = templated(loaded, "{{ shop_sync_jobs }}")
    assert resolved == [job]
    assert not list(tmp_path.glob("marker*"))
    # The same jobs as plain YAML are templates: the check above can fail.
    plain = tmp_path / "plain.yml"
    plain.write_text("---\nshop_sync_jobs:\n  - description: 'Synchro {{ 7 + 7 }}'\n", encoding="utf-8")
    assert templated(vars_file(plain), "{{ shop_sync_jobs }}") == [{"description": "Synchro 14"}]


def test_comments_stay_comments_whatever_the_host_text() -> None:
    note = "was made by hand\nshop_sync_prune: true\r\x85\u2028\u2029# \x1b[2J"
    adopted = {"jobs": [{"name": "Synchro\x85Stock"}], "notes": {"Synchro\x85Stock": [note]}, "skipped": [{"path": "\\Isotools\\x\ry", "reasons": [note]}]}
    text = render_inventory_yaml(adopted)
    lines = text.splitlines()
    assert lines[1] == "  # Synchro\\x85Stock: was made by hand\\nshop_sync_prune: true\\r\\x85\\u2028\\u2029# \\x1b[2J"
    assert lines[-1] == "#   \\Isotools\\x\\ry: was made by hand\\nshop_sync_prune: true\\r\\x85\\u2028\\u2029# \\x1b[2J"
    assert all(line.startswith(("#", "  #", "  -", "    ", "shop_sync_jobs:")) for line in lines), text


@pytest.fixture
def hostile_host(tmp_path: Path) -> tuple[Harness, Path]:
    harness = Harness.create(tmp_path)
    harness.write_json("accounts.json", {BASE_ACCOUNT[0]: BASE_ACCOUNT[1]})
    marker = tmp_path / "marker"
    path = harness.task_file("\\Isotools", HOSTILE_NAME)
    path.parent.mkdir(parents=True)
    path.write_bytes(hostile_task_xml(marker, ROOT))
    return harness, marker


def _info(harness: Harness) -> dict[str, Any]:
    return harness.run("win_sync_task_info", {"folder": "\\Isotools"})


def _adopted(harness: Harness) -> object:
    return to_inventory_jobs(_info(harness)["tasks"], root=ROOT)


def _compared(harness: Harness) -> dict[str, Any]:
    [job] = to_sync_jobs(to_inventory_jobs(_info(harness)["tasks"], root=ROOT)["jobs"], host="shop01", defaults={"root": ROOT})  # type: ignore[index]
    return harness.run("win_sync_jobs", {"jobs": [job]}, check_mode=True, diff=True)


def _reported(harness: Harness) -> dict[str, Any]:
    report = harness.root.parent / "report"
    return harness.run("sync_report", {"dest": str(report), "hosts": [{"host": "shop01", "jobs": _compared(harness), "info": _info(harness)}]})


PATHS: dict[str, Callable[[Harness], object]] = {
    "win_sync_task_info result re-fed as module options": lambda harness: _info(harness)["tasks"][0]["spec"],
    "to_inventory_jobs result (the adopt play's set_fact)": _adopted,
    "to_inventory_yaml text": lambda harness: to_inventory_yaml(_adopted(harness)),
    "win_sync_jobs result (the drift play's set_fact)": _compared,
    "sync_report result (the drift play's debug and set_stats)": _reported,
}


@pytest.mark.parametrize("path", TEMPLAR_PATHS)
def test_a_result_holding_host_text_is_data_when_a_template_uses_it(hostile_host: tuple[Harness, Path], path: str) -> None:
    harness, marker = hostile_host
    value = PATHS[path](harness)
    assert any(HOSTILE_NAME in text for text in strings(value)), value
    assert templated({"result": value}, "{{ result }}") == value
    assert not list(marker.parent.glob("marker*"))
