#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_sync_task
short_description: Ensure one Windows Task Scheduler task is present or absent
version_added: 0.1.0
description:
  - Creates, updates or removes one Task Scheduler task on a Windows host, from options that
    cover every trigger and setting of the Task Scheduler schema (monthly triggers included).
  - The task is compared with the one on the host by meaning, not spelling (accounts by SID,
    durations as durations, triggers as a set, actions in order; values Windows fills in itself
    are not drift), so re-running the same task reports no change.
  - The host is read once and written at most once. The task is registered from Task Scheduler
    XML rendered on the controller, in one create-or-update step, and only if the host still holds
    what was read (a task changed in between is refused, never overwritten).
  - Tasks registered by this module are marked as owned by the collection
    (C(RegistrationInfo/Source)); only owned tasks are removed by O(state=absent).
  - A task already on the host without the marker (made by hand) is taken over by O(state=present),
    registered again, marked for O(owner), even when nothing else differs (RV(outcome=taken_over)).
    A logon that stores a password needs O(principal.password) for that; without it nothing is written.
  - To manage a host's whole set of sync jobs with their C(synchro.bat) scripts, use
    M(isotools.shop_sync.win_sync_jobs); this module is the same code path for one task without
    a script.
options:
  state:
    description:
      - V(present) creates or updates the task; V(absent) removes it.
      - With V(absent) only O(name) and O(folder) are used, and a task not registered by this
        collection is left in place with a warning.
    type: str
    choices: [present, absent]
    default: present
  owner:
    description:
      - Who owns the task, written into its ownership marker (C(RegistrationInfo/Source)).
      - V(absent) deletes the task only when it is this owner's. A task another owner labelled
        (a role deploy with its C(shop_sync_owner)) is refused.
      - Its own default, V(win_sync_task), keeps a task made with this module out of the reach of
        a role deploy's prune in the same folder (that prune deletes only its own owner's tasks,
        V(default) unless C(shop_sync_owner) says otherwise). A task registered by 0.1.0 (bare
        marker) is the V(default) owner's.
    type: str
    default: win_sync_task
  update_password:
    description:
      - When the task's account password (O(principal.password)) is sent to the host.
      - V(on_create) sends it when the task is registered anyway (created, or changed for another
        reason, or O(password_version) changed); a password alone is never reported as a change,
        since Windows cannot give it back to compare.
      - V(always) registers the task again with the password on every run (reported as changed).
    type: str
    choices: [on_create, always]
    default: on_create
extends_documentation_fragment:
  - isotools.shop_sync.task
  - isotools.shop_sync.host
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details:
      - The host is read and the change planned; nothing is written.
  diff_mode:
    support: full
    details:
      - The task XML before and after, and the list of field changes.
notes:
  - The password is never returned, shown in a diff, logged or written to a file.
seealso:
  - module: isotools.shop_sync.win_sync_jobs
  - module: isotools.shop_sync.win_sync_task_info
  - module: isotools.shop_sync.win_sync_task_run
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
- name: Synchronise the stock every 15 minutes from 06:00 to 22:00, as the KB page describes
  isotools.shop_sync.win_sync_task:
    name: Synchro Stock
    folder: '\Isotools'
    description: ERP -> shop stock synchronisation
    actions:
      - command: 'C:\Windows\System32\cmd.exe'
        arguments: '/c synchro.bat'
        working_directory: 'D:\Isotools\Synchro_prod\localhost\synchrof00001'
    triggers:
      - type: daily
        at: '06:00'
        every: 15m
        until: '22:00'
    principal:
      user: 'SHOP01\svc_sync'
      logon_type: password
      password: '{{ vault_svc_sync_password }}'
    password_version: '2026-01'
    settings:
      execution_time_limit: 1h
      multiple_instances: ignore_new

- name: Run the monthly catalogue export on the 1st and the last day of the month, as SYSTEM
  isotools.shop_sync.win_sync_task:
    name: Export catalogue
    folder: '\Isotools'
    actions:
      - command: 'C:\Windows\System32\cmd.exe'
        arguments: '/c export.bat'
        working_directory: 'D:\Isotools\Export'
    triggers:
      - type: monthly
        days_of_month: [1, last]
        at: '03:00'
    principal:
      user: SYSTEM

- name: Remove an old task (only if this collection registered it)
  isotools.shop_sync.win_sync_task:
    name: Synchro Old
    folder: '\Isotools'
    state: absent
"""

RETURN = r"""
path:
  description: The task's full path, C(\Folder\Name).
  returned: always (null when the options were refused)
  type: str
  sample: '\Isotools\Synchro Stock'
outcome:
  description:
    - What was (or, in check mode, would be) done to the task.
    - V(created), V(updated), V(taken_over) (made by hand, registered again with the ownership
      marker), V(unchanged), V(deleted), or V(absent) (already not there).
  returned: always (null when the options were refused)
  type: str
  sample: updated
changes:
  description:
    - "One line per difference between the host and the options, C(field: host value -> wanted value)."
  returned: always
  type: list
  elements: str
  sample: ['triggers[0]: daily at 06:00 -> daily at 07:00']
xml:
  description:
    - The task XML as this module registers it (it holds no password); in check mode, as it would register it;
      for a task left unchanged, the XML it matches. Accounts are named as the host names them, and the
      password version is kept only for a logon that stores a password.
  returned: when O(state=present) and the task could be planned (null when the plan fails, or when the task
    on the host cannot be read or cannot be taken over without its password)
  type: str
previous_xml:
  description:
    - The task's XML on the host before the change.
  returned: when the task changed and existed before (null otherwise)
  type: str
msg:
  description: Why the task failed (options refused, change refused by the host, ...).
  returned: on failure
  type: str
  sample: "task 'Synchro Stock': triggers[0].at '25:00' is not a time of day (HH:MM, 00:00 to 23:59)"
"""
