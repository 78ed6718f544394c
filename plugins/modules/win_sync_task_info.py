#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_sync_task_info
short_description: Read Windows Task Scheduler tasks, their state, last result and history
version_added: 0.1.0
description:
  - Returns the tasks of a Task Scheduler folder (or one task) with their state, last and next
    run, last result in plain words, and optionally their recent runs.
  - Each supported task comes with a RV(tasks[].spec), valid input for
    M(isotools.shop_sync.win_sync_task) that means the task exactly; that is how tasks made by
    hand are adopted. Applied to a hand-made task (RV(tasks[].owned=false)), it takes the task
    over once (registered again with the ownership marker, outcome C(taken_over)); after that it
    re-applies with no change.
  - A task whose XML cannot be read, or that uses what the collection does not manage (COM
    handler or e-mail actions, unknown triggers), is reported with C(supported=false) and the
    reasons; it never fails the module.
  - The tasks' read and one read of what they run, plus one more call when O(history) is asked for.
options:
  folder:
    description:
      - The Task Scheduler folder to read. C(\) is the root folder.
      - Write it in single quotes in YAML (C('\Isotools')).
    type: str
    default: '\Isotools'
  name:
    description:
      - Read only this task of O(folder).
    type: str
  recurse:
    description:
      - Also read the tasks of the folders under O(folder). Ignored with O(name).
    type: bool
    default: false
  history:
    description:
      - Also return each task's recent runs (RV(tasks[].history)), built from the
        C(Microsoft-Windows-TaskScheduler/Operational) event log.
      - V(true) fetches up to 50 events per task (a run logs about five); a number fetches up to
        that many per task; V(false) none.
      - The event log is disabled by default on Windows; RV(history_available) tells whether it
        could be read.
    type: raw
    default: false
extends_documentation_fragment:
  - isotools.shop_sync.host
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details:
      - Reads as usual; this module never changes anything.
  diff_mode:
    support: N/A
    details:
      - Nothing changes, so there is nothing to diff.
seealso:
  - module: isotools.shop_sync.win_sync_task
  - module: isotools.shop_sync.win_sync_task_run
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
- name: Read the sync tasks with their last runs
  isotools.shop_sync.win_sync_task_info:
    folder: '\Isotools'
    history: 20
  register: tasks

- name: List the tasks whose last run failed
  ansible.builtin.debug:
    msg: "{{ item.path }}: {{ item.last_result_text }}"
  loop: "{{ tasks.tasks | rejectattr('last_result', 'in', [0, 267011, 267009]) | list }}"
  loop_control:
    label: "{{ item.path }}"

- name: Adopt a task made by hand (its spec means the task exactly)
  isotools.shop_sync.win_sync_task_info:
    folder: '\'
    name: Synchro Isotools Stock
  register: found

- name: Manage it from now on (the first run takes it over, the next ones change nothing)
  isotools.shop_sync.win_sync_task: "{{ found.tasks[0].spec }}"
  when: found.tasks and found.tasks[0].supported
"""

RETURN = r"""
folder:
  description: The folder read, normalised.
  returned: always (null when the options were refused)
  type: str
  sample: '\Isotools'
exists:
  description: Whether the folder exists (with O(name), whether the task does).
  returned: always
  type: bool
host:
  description: The host's name, Windows version and time zone, as the host reports them.
  returned: always (empty when the host could not be read)
  type: dict
  sample: {hostname: SHOP01, os_version: 10.0.20348, time_zone: W. Europe Standard Time, utc_offset_minutes: 60}
history_available:
  description: With O(history), whether the Task Scheduler event log could be read; else null.
  returned: always
  type: bool
tasks:
  description: The tasks read, in the host's order.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The task's full path.
      type: str
      sample: '\Isotools\Synchro Stock'
    name:
      description: The task's name.
      type: str
    folder:
      description: The task's folder.
      type: str
    supported:
      description: Whether the collection can manage the task as it is.
      type: bool
    unsupported_reasons:
      description: Why it cannot (what is not supported, or why its XML could not be read).
      type: list
      elements: str
    spec:
      description:
        - The task as options of M(isotools.shop_sync.win_sync_task) (canonical form, only the
          options whose value is not Windows' default). Applying it changes nothing.
        - Null when the task is not supported.
      type: dict
    owned:
      description: Whether this collection registered the task (only owned tasks are ever pruned or deleted).
      type: bool
    password_version:
      description: The password label recorded with an owned task, if any.
      type: str
    enabled:
      description: Whether the task is enabled.
      type: bool
    state:
      description: V(unknown), V(disabled), V(queued), V(ready) or V(running).
      type: str
    last_run_time:
      description: When the task last started (host-local ISO 8601), or null.
      type: str
    last_result:
      description: The raw last result (C(LastTaskResult)) as an unsigned number; for a finished run, the exit code.
      type: int
      sample: 0
    last_result_text:
      description: The last result in words (C(success), C(not yet run ...), C(exit code 1 ...), C(access denied ...)).
      type: str
      sample: success
    next_run_time:
      description: When the task runs next (host-local ISO 8601), or null.
      type: str
    number_of_missed_runs:
      description: How many scheduled runs were missed.
      type: int
    history:
      description:
        - With O(history), the task's runs, newest first (else empty).
        - Each run has C(start_time), C(end_time), C(duration) (seconds), C(status)
          (V(succeeded), V(failed), V(running), V(terminated), V(failed_to_start)),
          C(exit_code), C(result_text) and C(activity_id).
      type: list
      elements: dict
    findings:
      description:
        - What the task runs that an account other than Administrators, SYSTEM, TrustedInstaller
          and the task's own one may change (as M(isotools.shop_sync.win_sync_jobs) says of a job's
          task in C(jobs[].findings)), that is the program, a script or program named in its arguments, a program
          named bare where Windows looks for it first, the start-in folder, the folders above each. Reported only.
        - One more read of the host brings these paths, which the first could not know.
      type: list
      elements: str
      sample: ['privilege escalation path: D:\Public\tool.exe is writable by BUILTIN\Users']
    unresolved:
      description:
        - What the task runs that could not be told, and why (a per-user or unknown variable, a
          program named bare found nowhere before a per-user C(PATH), a start-in folder that is no
          folder on a drive).
      type: list
      elements: str
"""
