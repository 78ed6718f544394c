# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task's last result in the words a shop's operator understands."""

from __future__ import annotations

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import decode_last_result


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (0, "success"),
        (0x41300, "ready: the task will run at its next scheduled time (0x00041300)"),
        (267009, "running: the task is currently running (0x00041301)"),
        (0x41302, "disabled: the task will not run at its scheduled times (0x00041302)"),
        (267011, "not yet run: the task has not run since it was registered (0x00041303)"),
        (0x41304, "no more runs: no further run is scheduled for this task (0x00041304)"),
        (0x41306, "terminated by the user: the last run was stopped (0x00041306)"),
        (0x8004131F, "an instance of the task is already running (0x8004131F)"),
        (-2147216609, "an instance of the task is already running (0x8004131F)"),  # as PowerShell prints it
        (0x800710E0, "refused: the operator or administrator has refused the request (Win32 error 4320, 0x800710E0)"),
        (2147942402, "file not found (check the action's command and working directory) (Win32 error 2, 0x80070002)"),
        (0x8007052E, "logon failure: unknown user name or bad password (Win32 error 1326, 0x8007052E)"),
        (
            0x80070569,
            "logon failure: the account lacks the 'log on as a batch job' right (Win32 error 1385, 0x80070569)",
        ),
        (0x8007FFFF, "Windows error (Win32 error 65535, 0x8007FFFF)"),
        (1, "exit code 1 (the script or a command in it failed; Win32: incorrect function)"),
        (2, "exit code 2"),
        (42, "exit code 42"),
        (0xC000013A, "interrupted: the console window was closed or received Ctrl+C (0xC000013A)"),
        (0x8004130F, "no account information stored for the task (password missing or not saved) (0x8004130F)"),
        (0x12345678, "result 0x12345678"),
    ],
)
def test_last_results_in_plain_words(code: int, words: str) -> None:
    assert decode_last_result(code) == words
