#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_sync_task_run
short_description: Run a Windows Task Scheduler task now and return its result
version_added: 0.1.0
description:
  - Starts a task on demand, as "Run" in Task Scheduler does (the manual test of a new sync job),
    optionally waits for it to finish, and returns its exit code and duration.
  - One call to the host. The task runs as its own account, in its own working directory, exactly
    as a scheduled run would.
options:
  name:
    description:
      - The task's name.
    type: str
    required: true
  folder:
    description:
      - The task's Task Scheduler folder. C(\) is the root folder.
      - Write it in single quotes in YAML (C('\Isotools')).
    type: str
    default: '\Isotools'
  wait:
    description:
      - Wait until the run has finished (or O(timeout) has passed) and return its result.
      - With V(false), return as soon as the task has started.
    type: bool
    default: true
  timeout:
    description:
      - How many seconds to wait with O(wait). A run still going on then is left running, and
        RV(timed_out) is true.
    type: int
    default: 600
  fail_on_error:
    description:
      - With O(wait), fail when the run did not finish in time or its last result is not C(0).
      - With V(false), only a task that could not be started fails; read RV(exit_code).
    type: bool
    default: true
extends_documentation_fragment:
  - isotools.shop_sync.host
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details:
      - Nothing is run. The task is read, and the result says whether it would start (RV(would_run)); the
        task fails, as the run would, when it does not exist, is disabled, is already running or may not
        be started on demand.
  diff_mode:
    support: none
notes:
  - A task can only be started on demand when its settings allow it (C(allow_demand_start), the
    default) and it is enabled; a task already running is not started again.
  - For C(cmd.exe /c synchro.bat) the task's last result is the script's exit code; with
    C(/k synchro.bat & exit) it is C(cmd)'s, which hides the script's failures.
seealso:
  - module: isotools.shop_sync.win_sync_task_info
  - module: isotools.shop_sync.win_sync_jobs
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
- name: Run the stock synchronisation now and fail if it fails
  isotools.shop_sync.win_sync_task_run:
    name: Synchro Stock
    folder: '\Isotools'
    timeout: 900

- name: Start a long export without waiting for it
  isotools.shop_sync.win_sync_task_run:
    name: Export catalogue
    wait: false

- name: Run a job and look at its exit code yourself
  isotools.shop_sync.win_sync_task_run:
    name: Synchro Prices
    fail_on_error: false
  register: run

- name: Report a failed synchronisation
  ansible.builtin.debug:
    msg: "Synchro Prices ended with {{ run.last_result_text }} after {{ run.duration }} s"
  when: run.exit_code != 0
"""

RETURN = r"""
path:
  description: The task's full path.
  returned: always (null when the options were refused)
  type: str
  sample: '\Isotools\Synchro Stock'
started:
  description: Whether the task was started.
  returned: always
  type: bool
finished:
  description: Whether the run finished while waited for.
  returned: always
  type: bool
timed_out:
  description: Whether O(timeout) passed before the run finished.
  returned: always
  type: bool
exit_code:
  description:
    - The run's result once it finished (the program's exit code; for C(cmd /c synchro.bat) the
      script's). Null while running or when not started.
  returned: always
  type: int
  sample: 0
last_result:
  description: The task's raw last result (C(LastTaskResult)), unsigned (C(267009) = C(0x41301), running).
  returned: always
  type: int
last_result_text:
  description: The last result in words.
  returned: always
  type: str
  sample: success
start_time:
  description: When the run started (host-local ISO 8601).
  returned: always
  type: str
  sample: '2026-11-28T06:00:00'
end_time:
  description: When the run ended (host-local ISO 8601), null when it did not while waited for.
  returned: always
  type: str
duration:
  description: How long the run took, in seconds.
  returned: always
  type: float
  sample: 12.5
would_run:
  description: In check mode, whether the task would be started; null otherwise.
  returned: always
  type: bool
message:
  description: What the host said about the run (why it did not start, still running, ...), or what would run in check mode.
  returned: always
  type: str
msg:
  description: Why the module failed.
  returned: on failure
  type: str
  sample: "task '\\Isotools\\Synchro Stock' ended with exit code 1 (the script or a command in it failed; Win32: incorrect function)"
"""
