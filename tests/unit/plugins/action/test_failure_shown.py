# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A failed action's message is shown once as it is, so that a path in it can be copied.

ansible-core 2.17 and 2.18 show a failure only as the result's JSON, where ``D:\\Isotools`` reads
``D:\\\\Isotools``; 2.19 and later also print the message plainly themselves. The actions add the
plain line only where the core does not, and not for a failure the task overrides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ansible.release import __version__ as core_version
from support.action_harness import Harness, build_action
from support.messages import assert_copyable

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions import support

PASSWORD = "Sh0wn-Never!D:\\x"
ROOT = "D:\\Isotools\\Synchro_prod\\shop01"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness.create(tmp_path)


@pytest.fixture
def core_shows_no_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The actions as on ansible-core 2.17/2.18, whatever core runs the tests."""
    monkeypatch.setattr(support, "_CORE_SHOWS_FAILURES", False)


def bad_job(directory: str) -> dict[str, Any]:
    """A job whose working directory Windows would read otherwise (a trailing dot), run with a password."""
    principal = {"user": "CONTOSO\\svc_sync", "logon_type": "password", "password": PASSWORD}
    task = {"triggers": [{"type": "daily", "at": "06:00"}], "principal": principal}
    return {"name": "Synchro Stock", "working_directory": directory, "script": {"content": "@echo off\n"}, "task": task}


def failed(harness: Harness, directory: str, **task: Any) -> dict[str, Any]:
    action = build_action("win_sync_jobs", {"jobs": [bad_job(directory)]}, playbook_dir=harness.playbook_dir)
    for field, value in task.items():
        setattr(action._task, field, value)
    result: dict[str, Any] = action.run(task_vars=dict(harness.host_vars))
    assert result["failed"] is True and directory in result["msg"], result
    return result


def test_the_core_s_own_plain_failure_is_told_by_its_feature() -> None:
    # The ground truth of the legs: 2.19 is where the default callback began printing it.
    major, minor = (int(part) for part in core_version.split(".")[:2])
    assert support._CORE_SHOWS_FAILURES is ((major, minor) >= (2, 19))


@pytest.mark.usefixtures("core_shows_no_failure")
def test_a_failure_is_shown_once_as_written_naming_the_host_and_never_the_password(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    directory = f"{ROOT}\\shown once."
    result = failed(harness, directory)
    shown = capsys.readouterr().err
    assert shown.count(result["msg"]) == 1, shown
    assert "[shop01] win_sync_jobs: " in shown and f"'{directory}'" in shown, shown
    assert_copyable(shown, directory)
    assert PASSWORD not in shown and PASSWORD not in str(result)


@pytest.mark.usefixtures("core_shows_no_failure")
@pytest.mark.parametrize(
    "overridden",
    [{"ignore_errors": True}, {"failed_when": ["result.msg is not search('dot')"]}, {"until": ["result is succeeded"], "retries": 3}],
    ids=["ignore_errors", "failed_when", "until"],
)
def test_a_failure_the_task_overrides_is_not_shown(harness: Harness, capsys: pytest.CaptureFixture[str], overridden: dict[str, Any]) -> None:
    failed(harness, f"{ROOT}\\overridden {next(iter(overridden))}.", **overridden)
    assert capsys.readouterr().err == ""


def test_a_failure_the_core_shows_itself_is_not_shown_twice(harness: Harness, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support, "_CORE_SHOWS_FAILURES", True)
    failed(harness, f"{ROOT}\\shown by the core.")
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("core_shows_no_failure")
def test_the_same_failure_of_two_tasks_is_shown_for_each(harness: Harness, capsys: pytest.CaptureFixture[str]) -> None:
    # ansible-core 2.17's Display.error shows a text once per run: a later task failing alike
    # would get no plain line.
    first = failed(harness, f"{ROOT}\\the same twice.")
    second = failed(harness, f"{ROOT}\\the same twice.")
    assert first["msg"] == second["msg"]
    assert capsys.readouterr().err.count(first["msg"]) == 2
