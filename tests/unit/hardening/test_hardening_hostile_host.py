# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile task files in the managed folder, through the actions.

Entity expansion and external entities, a 10 MB file, truncated and wrongly encoded files, a
task in an unknown namespace, XML that is no task: win_sync_task_info reports each as not
supported, with the reason, and does not fail; win_sync_jobs with prune never deletes one (even
when it carries the ownership marker), says it left it, and deploys the other jobs; a job whose
own task is one of them fails cleanly before anything is written. No entity is ever expanded.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hardening_support import HOSTILE_TASKS, ROOT
from host_samples import synchro_task_xml
from support.action_harness import Harness, daily_job

LEAKED = "contents-of-a-secret-file-0xC0FFEE"  # what an expanded external entity would show
OWNED = synchro_task_xml(ROOT + "\\hostile")  # carries the ownership marker
HAND_MADE = OWNED.replace("<Source>isotools.shop_sync</Source>", "")
TEN_MB = 10 * 1024 * 1024


def _utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _with_doctype(doctype: str, description: str) -> str:
    body = OWNED.split("?>", 1)[1].replace("<Description>Synchro Isotools Stock</Description>", f"<Description>{description}</Description>")
    return '<?xml version="1.0" encoding="UTF-16"?>\r\n' + doctype + body


def hostile_files(secret: Path) -> dict[str, Callable[[], bytes]]:
    """File name in \\Isotools -> what makes its bytes, one per entry of HOSTILE_TASKS."""
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    files: dict[str, Callable[[], bytes]] = {
        "entity expansion": lambda: _utf16(_with_doctype(f'<!DOCTYPE Task [<!ENTITY l0 "lol">{laughs}]>\r\n', "&l9;")),
        "external entity": lambda: _utf16(_with_doctype(f'<!DOCTYPE Task [<!ENTITY leak SYSTEM "file://{secret}">]>\r\n', "&leak;")),
        "owned, truncated": lambda: _utf16(OWNED[: len(OWNED) // 2]),
        "truncated": lambda: _utf16(HAND_MADE[: len(HAND_MADE) * 2 // 3]),
        "wrongly encoded": lambda: OWNED.replace('encoding="UTF-16"', 'encoding="UTF-8"').replace("Stock", "Stock \u00e9t\u00e9").encode("latin-1"),
        "odd UTF-16": lambda: _utf16(OWNED)[:-1],
        "unknown namespace": lambda: _utf16(OWNED.replace("http://schemas.microsoft.com/windows/2004/02/mit/task", "urn:example:not-a-task")),
        "not a task": lambda: _utf16('<?xml version="1.0" encoding="UTF-16"?>\r\n<Configuration><Source>isotools.shop_sync</Source></Configuration>'),
        "10 MB": lambda: _utf16(OWNED.replace("Synchro Isotools Stock", "x" * TEN_MB)),
    }
    assert sorted(files) == sorted(HOSTILE_TASKS)
    return {name.replace(",", ""): make for name, make in files.items()}


def host_with(tmp_path: Path, names: list[str] | None = None) -> tuple[Harness, dict[str, bytes]]:
    """A host whose managed folder holds the hostile files ``names`` (default all), an owned
    undeclared task and a hand-made one."""
    harness = Harness.create(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text(LEAKED, encoding="utf-8")
    makers = hostile_files(secret)
    files = {name: makers[name]() for name in names or makers}
    folder = harness.task_file("\\Isotools", "")
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    harness.put_task("\\Isotools", "Obsolete", OWNED)  # owned, readable, undeclared: pruned
    harness.put_task("\\Isotools", "Made by hand", HAND_MADE)
    return harness, files


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Harness, dict[str, bytes]]:
    return host_with(tmp_path)


def unchanged(harness: Harness, files: dict[str, bytes]) -> bool:
    return all(harness.task_file("\\Isotools", name).read_bytes() == data for name, data in files.items())


def test_task_info_reports_each_hostile_task_unsupported_and_does_not_fail(hostile: tuple[Harness, dict[str, bytes]]) -> None:
    harness, files = hostile
    result = harness.run("win_sync_task_info", {"folder": "\\Isotools"})
    assert "failed" not in result, result
    by_name = {task["name"]: task for task in result["tasks"]}
    assert sorted(by_name) == sorted([*files, "Obsolete", "Made by hand"])
    for name in files:
        assert by_name[name]["supported"] is False and by_name[name]["spec"] is None, name
        assert by_name[name]["unsupported_reasons"], name
    assert by_name["Obsolete"]["supported"] is True and by_name["Obsolete"]["owned"] is True
    assert "more than the 1048576" in by_name["10 MB"]["unsupported_reasons"][0]
    assert LEAKED not in json.dumps(result) and "lollollol" not in json.dumps(result)
    assert unchanged(harness, files)


def test_prune_never_deletes_a_hostile_task_and_deploys_the_other_jobs(hostile: tuple[Harness, dict[str, bytes]]) -> None:
    harness, files = hostile
    jobs = [daily_job("Synchro Stock", ROOT + "\\stock"), daily_job("Synchro Prix", ROOT + "\\prix")]
    result = harness.run("win_sync_jobs", {"jobs": jobs, "prune": True})
    assert "failed" not in result, result
    assert [(job["name"], job["outcome"]) for job in result["jobs"]] == [("Synchro Stock", "created"), ("Synchro Prix", "created"), ("Obsolete", "pruned")]
    assert unchanged(harness, files)
    assert harness.task_file("\\Isotools", "Made by hand").exists()
    assert not harness.task_file("\\Isotools", "Obsolete").exists()
    for name in files:
        assert any(f"task '\\Isotools\\{name}' could not be read" in warning and "not pruned" in warning for warning in result["warnings"]), name
    assert LEAKED not in json.dumps(result)
    assert harness.run("win_sync_jobs", {"jobs": jobs, "prune": True})["changed"] is False
    assert unchanged(harness, files)


@pytest.mark.parametrize("name", [name.replace(",", "") for name in HOSTILE_TASKS])
def test_a_job_whose_task_is_hostile_fails_alone_and_the_other_jobs_are_deployed(tmp_path: Path, name: str) -> None:
    harness, files = host_with(tmp_path, [name])
    result = harness.run("win_sync_jobs", {"jobs": [daily_job(name, ROOT + "\\stock"), daily_job("Synchro Prix", ROOT + "\\prix")]})
    assert result["failed"] is True
    assert f"job '{name}': the task '\\Isotools\\{name}' on the host could not be read" in result["msg"]
    assert [(job["name"], job["outcome"]) for job in result["jobs"]] == [(name, "unreadable"), ("Synchro Prix", "created")]
    assert result["jobs"][0]["message"].startswith(f"the task '\\Isotools\\{name}' on the host could not be read")
    assert unchanged(harness, files) and harness.task_file("\\Isotools", "Synchro Prix").exists()
    absent: dict[str, Any] = harness.run("win_sync_jobs", {"jobs": [{"name": name, "state": "absent"}]})
    assert absent["changed"] is False and absent["jobs"][0]["outcome"] == "unchanged"
    assert "could not be read" in absent["warnings"][0] and "left in place" in absent["warnings"][0]
    assert unchanged(harness, files)
