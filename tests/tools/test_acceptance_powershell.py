# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PowerShell the contract suite's Windows half runs beside the module
(``tests/contract/host_sides.py``, ``tests/support/winrm_adhoc.py``) only ever runs on a real
host: here each script it sends, and each one it starts as a process, is at least PowerShell
that parses, so that a typo shows before an engineer's acceptance run."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import tree_sitter
import tree_sitter_powershell

TESTS = Path(__file__).resolve().parents[1]
_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
_ENCODED = re.compile(r"-EncodedCommand (?P<script>[A-Za-z0-9+/=]+)")
# What each hook's PowerShell gives back on a host, as far as the hook reads it.
_ANSWERS = (
    ("Win32_Process", {"pid": 4242}),
    ("Get-ChildItem", {"names": []}),
    ("ReadAllText", {"seen": "False"}),
    ("AllowOnlyFipsAlgorithms", {"enabled": True, "enforced": True}),
    ("PSVersionTable", {"major": 5, "minor": 1}),
    ("RecordId", {"mark": 7}),
    ("EventRecordID", {"messages": []}),
)


def _on_the_suites_path() -> None:
    # As the contract suite imports them: its directory and tests/ on the path (a tool test,
    # not a contract test).
    for path in (str(TESTS), str(TESTS / "contract")):
        if path not in sys.path:
            sys.path.insert(0, path)


def _windows_side() -> Any:
    """``host_sides.WindowsSide``."""
    _on_the_suites_path()
    from host_sides import WindowsSide

    return WindowsSide


def _winrm_adhoc() -> ModuleType:
    """``support.winrm_adhoc``."""
    _on_the_suites_path()
    from support import winrm_adhoc

    return winrm_adhoc


def parse_errors(source: str) -> list[str]:
    """The text of every node tree-sitter could not parse (or had to invent) in ``source``."""
    found: list[str] = []
    pending = [_PARSER.parse(source.encode("utf-8")).root_node]
    while pending:
        node = pending.pop()
        if node.type == "ERROR" or node.is_missing:
            found.append(source.encode("utf-8")[node.start_byte : node.end_byte].decode("utf-8", "replace") or node.type)
        pending.extend(node.children)
    return found


def _every_hook_script() -> list[str]:
    sent: list[str] = []

    def powershell(script: str) -> Any:
        sent.append(script)
        return next((answer for needle, answer in _ANSWERS if needle in script), {})

    side = _windows_side()(powershell, "C:\\ShopSyncContract\\t0")
    with side.make_junction("C:\\S\\linked", "C:\\S\\elsewhere"):
        pass
    with side.unreadable("C:\\S\\it's.bat"):  # a quote in a path stays inside its string
        pass
    with side.replace_fails("C:\\S\\synchro.bat"):
        pass
    with side.holding_apply_lock(5, "C:\\S\\probe.bat") as holder:
        assert holder.saw_probe() is False
    with side.local_accounts():
        pass
    side.names_in("C:\\S")
    side.fips_policy()
    side.powershell_version()
    side.module_log_entries(side.event_log_mark())
    started = [base64.b64decode(match["script"]).decode("utf-16-le") for script in sent for match in _ENCODED.finditer(script)]
    assert len(started) == 3, "the file holders and the lock holder each start a process"
    return sent + started


@pytest.mark.parametrize("script", _every_hook_script(), ids=lambda script: script[:40])
def test_each_script_the_windows_half_runs_parses_as_powershell(script: str) -> None:
    assert parse_errors(script) == []


def test_the_wrapper_sends_the_script_as_base64_and_reads_its_value_back(monkeypatch: pytest.MonkeyPatch) -> None:
    winrm_adhoc = _winrm_adhoc()
    commands: list[list[str]] = []

    def run(command: list[str], **_options: Any) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        value = base64.b64encode(b'{"answer": "it\'s {{ not }} templated"}').decode()
        return subprocess.CompletedProcess(command, 0, f"win01 | CHANGED | rc=0 >>\nSHOPSYNC-RESULT:{value}\n", "")

    monkeypatch.setattr(winrm_adhoc.subprocess, "run", run)
    monkeypatch.setattr(winrm_adhoc, "_tool", lambda name: name)

    answer = winrm_adhoc.AdHocPowerShell("inventory.winrm", "win01")("@{ answer = 'it''s {{ not }} templated' }")

    assert answer == {"answer": "it's {{ not }} templated"}
    ((*head, raw),) = commands
    assert head == ["ansible", "win01", "-i", "inventory.winrm", "-m", "ansible.builtin.raw", "-a"]
    assert "{{" not in raw and "@{" not in raw  # only base64 reaches raw's key=value splitting and the templar
    (encoded,) = re.findall(r"FromBase64String\('([^']+)'\)", raw)
    wrapped = base64.b64decode(encoded).decode("utf-8")
    assert "@{ answer = 'it''s {{ not }} templated' }" in wrapped
    assert parse_errors(raw) == [] and parse_errors(wrapped) == []


def test_a_script_that_gives_no_result_line_fails_with_ansibles_output(monkeypatch: pytest.MonkeyPatch) -> None:
    winrm_adhoc = _winrm_adhoc()

    def run(command: list[str], **_options: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 2, "win01 | FAILED | rc=1 >>\n", 'Exception calling "Open": being used by another process')

    monkeypatch.setattr(winrm_adhoc.subprocess, "run", run)
    monkeypatch.setattr(winrm_adhoc, "_tool", lambda name: name)

    with pytest.raises(winrm_adhoc.HostError, match=r"(?s)ansible exit status 2.*being used by another process"):
        winrm_adhoc.AdHocPowerShell("inventory.winrm", "win01")("throw 'x'")


def test_the_parse_check_finds_a_broken_script() -> None:
    assert parse_errors("if ($x) { 'open'") != []
