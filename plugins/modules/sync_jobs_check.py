#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sync_jobs_check
short_description: Check a host's inventory sync jobs and translate them for win_sync_jobs
version_added: 0.1.0
description:
  - Checks a host's C(shop_sync_jobs), as the role C(isotools.shop_sync.sync_jobs) documents them,
    and translates them into RV(jobs), the O(isotools.shop_sync.win_sync_jobs#module:jobs) that
    M(isotools.shop_sync.win_sync_jobs) takes. The translation is the one of the
    P(isotools.shop_sync.to_sync_jobs#filter) filter.
  - Fails when there is any problem, listing every problem of the defaults, the variables and
    every job at once, each once, naming the host, the job and the field. The message is shown as
    written, so that a Windows path in it can be copied (C(D:\Isotools), not the C(D:\\Isotools)
    of the task's JSON), also on ansible-core 2.17 and 2.18, whose callbacks show a failure only as
    JSON, and under C(no_log). No message ever holds a password.
  - With O(prune), a host without jobs is refused, since C(prune) would then delete every task
    this collection registered in its folder (an inventory mistake that left the host without
    its jobs).
  - This is the role's check, the first task of each of its entry points; its registered
    result is the role's C(sync_jobs_checked), whose RV(jobs) the role's later tasks use; a
    registered result is the host's for the rest of the run, in later plays and in C(hostvars) too.
options:
  jobs:
    description:
      - The host's jobs (C(shop_sync_jobs)), a list of jobs as the role documents them.
    type: raw
    required: true
  defaults:
    description: What a job gets when it does not say (the role's C(shop_sync_default_*) and others).
    type: dict
    suboptions:
      root:
        description: C(shop_sync_root), the folder that holds one folder per job.
        type: str
      account:
        description: The default account.
        type: str
        default: SYSTEM
      logon_type:
        description: The default logon type (C(auto) or a win_sync_task logon type).
        type: str
        default: auto
      password:
        description: The password of C(password) logons that give none.
        type: str
      password_version:
        description: The default password label.
        type: str
      run_level:
        description: The default run level.
        type: str
      settings:
        description: Task settings every job gets under its own.
        type: dict
      folder:
        description: C(shop_sync_folder), the Task Scheduler folder of the jobs.
        type: str
        default: '\Isotools'
      script_name:
        description: The default script file name.
        type: str
        default: synchro.bat
      default_template:
        description: The controller path of the template a C(sync_command) job gets.
        type: str
      template_dir:
        description: Where relative C(script.template) paths are taken from.
        type: str
      log_keep:
        description: Template variable, how many previous logs the script keeps.
        type: int
        default: 10
      log_max_kb:
        description: Template variable, the size at which the script starts a new log.
        type: int
        default: 1024
      max_age:
        description: C(shop_sync_default_max_age), how old a job's last run may be (C(1h), C(PT1H)).
        type: str
  variables:
    description:
      - The names of the host's C(shop_sync_*) variables. With O(known), a name close to one of
        O(known) (C(shop_sync_job)) is a problem naming the likely one, and a host without
        C(shop_sync_jobs) is a problem too (it declares no jobs).
    type: list
    elements: str
  known:
    description: The variables the role knows (its argument specification's options).
    type: list
    elements: str
  prune:
    description: Whether the jobs will be deployed with C(prune) (C(shop_sync_prune)); then no jobs is a problem.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - isotools.shop_sync.controller
attributes:
  check_mode:
    support: full
    details:
      - Nothing is written, in check mode or not.
notes:
  - RV(jobs) carries the passwords, so the task must run with C(no_log) (a task without it is
    refused, naming the host, before any job is read), which hides its result but
    not the problems it lists, and register it. RV(jobs) is a key of the result, not of
    C(ansible_facts), since the facts an action other than C(set_fact) returns go to the fact cache,
    which may write them to disk.
  - A script template a job names is looked for on the controller, so that a missing one is
    refused with the other problems, before any host is touched.
seealso:
  - module: isotools.shop_sync.win_sync_jobs
  - plugin: isotools.shop_sync.to_sync_jobs
    plugin_type: filter
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
- name: Check the host's sync jobs
  isotools.shop_sync.sync_jobs_check:
    jobs: "{{ shop_sync_jobs }}"
    defaults:
      root: '{{ shop_sync_root }}'
      default_template: "{{ playbook_dir }}/templates/synchro.bat.j2"
    prune: true
  register: shop_sync_checked
  no_log: true

- name: Deploy them
  isotools.shop_sync.win_sync_jobs:
    jobs: "{{ shop_sync_checked.jobs }}"
    prune: true
"""

RETURN = r"""
jobs:
  description:
    - The jobs as M(isotools.shop_sync.win_sync_jobs) takes them, their passwords included; empty
      when the check failed. Host and inventory text in them is never templated again.
  returned: always
  type: list
  elements: dict
  sample:
    - name: Synchro Stock
      state: present
      working_directory: 'D:\Isotools\Synchro_prod\shop01\Synchro Stock'
      script: {name: synchro.bat, template: /path/to/synchro.bat.j2, vars: {sync_command: 'D:\Isotools\bin\IsoSync.exe /profile stock'}}
      task:
        actions: [{command: 'C:\Windows\System32\cmd.exe', arguments: /c synchro.bat, working_directory: 'D:\Isotools\Synchro_prod\shop01\Synchro Stock'}]
        triggers: [{type: daily, start_boundary: '2020-01-01T02:00:00'}]
        principal: {user: SYSTEM}
msg:
  description: How many jobs were checked, or every problem, one a line after the first.
  returned: always
  type: str
  sample: "1 problem in the sync jobs:\nhost 'shop01', job 'Synchro Stock': schedule[0].daily '25:00' is not a time of day ..."
"""
