# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task's last result in plain words.

``LastTaskResult`` is either a Task Scheduler status (SCHED_S_*/SCHED_E_*, Microsoft Learn
"Task Scheduler Error and Success Constants"), a Windows error as an HRESULT
(``0x8007xxxx`` = Win32 error ``xxxx``), an NTSTATUS the process ended with (``0xC000013A``),
or simply the exit code of the action (``cmd /k synchro.bat & exit`` returns the script's).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["decode_last_result"]

_TASK_SCHEDULER: Mapping[int, str] = {
    0x00000000: "success",
    0x00041300: "ready: the task will run at its next scheduled time",
    0x00041301: "running: the task is currently running",
    0x00041302: "disabled: the task will not run at its scheduled times",
    0x00041303: "not yet run: the task has not run since it was registered",
    0x00041304: "no more runs: no further run is scheduled for this task",
    0x00041305: "not scheduled: a property the schedule needs is not set",
    0x00041306: "terminated by the user: the last run was stopped",
    0x00041307: "no valid triggers: the task has no trigger, or all are disabled",
    0x00041308: "event trigger: an event trigger has no set run times",
    0x0004131B: "registered, but not every trigger will start the task",
    0x0004131C: "registered, but may fail to start: the account needs the 'log on as a batch job' right",
    0x00041325: "queued: the Task Scheduler service has asked the task to run",
    0x80041309: "a trigger of the task was not found",
    0x8004130A: "not ready: a property the task needs to run is not set",
    0x8004130B: "no running instance of the task",
    0x8004130C: "the Task Scheduler service is not installed",
    0x8004130D: "the task object could not be opened",
    0x8004130E: "not a valid task object",
    0x8004130F: "no account information stored for the task (password missing or not saved)",
    0x80041310: "the task's account could not be found",
    0x80041311: "the Task Scheduler security database was corrupt and has been reset",
    0x80041313: "unsupported or invalid task object version",
    0x80041314: "unsupported combination of account settings and run options",
    0x80041315: "the Task Scheduler service is not running",
    0x80041316: "the task XML contains an unexpected element",
    0x80041317: "the task XML contains an element or attribute from an unexpected namespace",
    0x80041318: "the task XML contains a value that is malformed or out of range",
    0x80041319: "the task XML is missing a required element or attribute",
    0x8004131A: "the task XML is malformed",
    0x8004131D: "the task XML contains too many elements of the same kind",
    0x8004131E: "the task cannot start after its trigger's end boundary",
    0x8004131F: "an instance of the task is already running",
    0x80041320: "the task did not run because the user is not logged on",
    0x80041321: "the task image is corrupt or has been tampered with",
    0x80041322: "the Task Scheduler service is not available",
    0x80041323: "the Task Scheduler service is too busy; try again later",
    0x80041324: "attempted, but a condition of the task definition prevented the run",
    0x80041326: "the task is disabled",
    0x80041327: "the task has properties not compatible with earlier Windows versions",
    0x80041328: "the task's settings do not allow starting it on demand",
}

# Win32 errors seen as HRESULT 0x8007xxxx in LastTaskResult and in apply failures.
_WIN32: Mapping[int, str] = {
    2: "file not found (check the action's command and working directory)",
    3: "path not found",
    5: "access denied",
    267: "the directory name is invalid (check the working directory)",
    1067: "the process terminated unexpectedly",
    1223: "the operation was cancelled",
    1245: "the user is not logged on",
    1326: "logon failure: unknown user name or bad password",
    1327: "logon failure: account restriction",
    1330: "logon failure: the password has expired",
    1331: "logon failure: the account is disabled",
    1385: "logon failure: the account lacks the 'log on as a batch job' right",
    1909: "the account is locked out",
    4320: "refused: the operator or administrator has refused the request",
}

_NTSTATUS: Mapping[int, str] = {
    0xC000013A: "interrupted: the console window was closed or received Ctrl+C",
    0xC0000005: "the process crashed (access violation)",
    0xC0000142: "the process could not start (DLL initialisation failed, often the desktop heap)",
    0x40010004: "the process was terminated (forcibly ended, e.g. at the execution time limit)",
}


def decode_last_result(code: int) -> str:
    """``0`` -> ``success``; ``0x8004131F`` -> ``an instance of the task is already running
    (0x8004131F)``; a small number is the action's exit code.

    Accepts the unsigned form the host contract uses and the signed form PowerShell may print.
    """
    value = code & 0xFFFFFFFF
    if value == 0:
        return _TASK_SCHEDULER[0]
    hex_code = f"0x{value:08X}"
    if value in _TASK_SCHEDULER:
        return f"{_TASK_SCHEDULER[value]} ({hex_code})"
    if value in _NTSTATUS:
        return f"{_NTSTATUS[value]} ({hex_code})"
    if value >> 16 == 0x8007:
        win32 = value & 0xFFFF
        words = _WIN32.get(win32, "Windows error")
        return f"{words} (Win32 error {win32}, {hex_code})"
    if value == 1:
        return "exit code 1 (the script or a command in it failed; Win32: incorrect function)"
    if value < 0x10000:
        # A batch script's own exit code: Win32 meanings of small numbers would mislead.
        return f"exit code {value}"
    return f"result {hex_code}"
