#!/usr/bin/python

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_sync_jobs
short_description: Ensure a host's sync jobs (synchro.bat scripts and their scheduled tasks) in one call
version_added: 0.1.0
description:
  - Makes a Windows host's sync jobs match the list given in O(jobs). A job is a Task Scheduler
    task in O(folder) and, optionally, the script it runs (C(synchro.bat)) in its own working
    directory.
  - "Every job is checked before the host is contacted; all problems are reported at once, each
    naming the job and the field (C(job 'stock': task.triggers[0].at '25:00' ...)), and the host
    is left untouched."
  - Whatever the number of jobs, the host is read once and, when something differs and not in
    check mode, written once. Every write carries what was read, so a task or script changed
    on the host in between is refused (C(changed concurrently, re-run)), never overwritten.
  - Tasks are compared by meaning (see M(isotools.shop_sync.win_sync_task)); scripts by their
    bytes.
  - A task registered by this module is marked as owned by the collection. Only owned tasks are
    ever deleted, by O(jobs[].state=absent) or by O(prune), and only directly inside O(folder).
  - A job whose task is on the host without the marker (made by hand, adopted) takes it over;
    the task is registered again as the job says, marked for O(owner), even when nothing else
    differs (RV(jobs[].outcome=taken_over), with a warning; in check mode, what would be done).
    From then on it is owned like any other. A task whose logon stores a password is taken over
    only with the password (the task's C(principal.password)); without it the host is left
    untouched and the job, the field and what to give are named.
options:
  jobs:
    description:
      - The jobs of the host.
    type: list
    elements: dict
    required: true
    # BEGIN generated: jobs (by tests/tools/render_options.py, make docs, from plugins/plugin_utils/jobs/options.py): do not edit
    suboptions:
      name:
        description:
          - The job's name, which is the task's name in O(folder) (case-insensitive, unique among the jobs).
        type: str
        required: true
      state:
        description:
          - V(present) ensures the job's directory, script and task; V(absent) deletes the task if this collection
            registered it (the directory and script are left in place).
        type: str
        choices: [present, absent]
        default: present
      working_directory:
        description:
          - The job's folder on the host, an absolute path on a drive (C(D:\Isotools\Synchro_prod\stock)).
          - Created when missing; the script is written there and the task starts in it.
          - Created, written and locked down (O(secure_acl)) only when it is a folder the collection owns
            - under O(root) when given - and never a drive root, the Windows directory, Program Files, ProgramData,
            Users (a profile) or anything under them. A job with O(jobs[].script) in any other folder is refused
            before the host is contacted; a job without one may start there, and that folder is compared but
            never created or changed.
          - Required when O(jobs[].state=present), unless the job has no O(jobs[].script) and its O(jobs[].task)
            gives its own C(actions); such a job may have no folder (its task starts where its actions say).
        type: str
      script:
        description:
          - The script the task runs, written to O(jobs[].working_directory). Leave it out to keep whatever
            script the host has.
          - Exactly one of O(jobs[].script.content) and O(jobs[].script.template) is required.
          - Scripts are written in UTF-8 without a byte order mark. C(.bat) and C(.cmd) scripts get Windows
            (CRLF) line ends, whatever the template or content has, since C(cmd.exe) misreads a batch file
            with bare LF line ends.
        type: dict
        suboptions:
          name:
            description:
              - The script's file name in the working directory.
            type: str
            default: synchro.bat
          content:
            description:
              - The script's text, written as it is (apart from the line ends).
            type: str
          template:
            description:
              - A Jinja2 template on the controller, rendered there and written as the script.
              - Found like the template module finds its C(src), through the C(templates/) folders of the
                role and the playbook; an absolute path is used as it is.
              - The template sees the play's variables, the variables of O(jobs[].script.vars), and the whole
                job (O(jobs[]) entry, password left out) as C(job) and C(shop_sync_job).
            type: str
          vars:
            description:
              - Variables for O(jobs[].script.template).
            type: dict
          sensitive:
            description:
              - C(true) never shows the script's content - no changed lines in RV(jobs[].script_diff) or the
                C(--diff) output, only that it changed (its hash).
            type: bool
            default: false
      task:
        description:
          - The job's task, with the options of M(isotools.shop_sync.win_sync_task) (see there, or C(docs/task-options.md));
            C(description), C(author), C(documentation), C(actions), C(triggers), C(principal), C(settings),
            C(password_version).
          - C(name) and C(folder) are not given here; they are O(jobs[].name) and O(folder).
          - C(actions) defaults to the seed procedure's one action, C(C:\Windows\System32\cmd.exe /c <script
            name>) started in O(jobs[].working_directory).
          - C(principal.password) is never returned, shown in a diff, logged or written.
        type: dict
        default: {}
      max_age:
        description:
          - How long after its last successful run (its action exited 0) the job counts as stale, a duration
            (C(1h), C(90m), C(PT1H)). Given, the one read also asks the host for the task's action-completed
            history events and RV(jobs[].freshness) says whether the job is fresh, stale, never succeeded,
            or unknown (the host's task history is disabled and the last run did not succeed). Nothing is
            changed because of it.
          - At least V(PT1M).
        type: str
      log:
        description:
          - Where the job's script logs on the host (C(D:\Isotools\stock\synchro.log)), returned as RV(jobs[].log)
            for reports; the role sets it for its templated C(synchro.bat).
        type: str
      password_origin:
        description:
          - Where C(task.principal.password) comes from. V(job), written for this job; V(default), a password
            given to every job that logs on with one (the role passes its C(shop_sync_default_password) so).
          - It matters for an account given by its SID that the host names a group managed service account
            (gMSA), which has no password to give (Windows fetches it from Active Directory). A V(job) password
            for it is refused before anything is written; a V(default) one is not sent. A gMSA's name (C(DOMAIN\name$))
            is refused a password either way, before the host is contacted.
          - Only with C(task.principal.password).
        type: str
        choices: [job, default]
        default: job
    # END generated: jobs
  folder:
    description:
      - The Task Scheduler folder of the jobs' tasks, created when missing.
      - Write it in single quotes in YAML (C('\Isotools')).
    type: str
    default: '\Isotools'
  root:
    description:
      - The folder the collection owns on the host (C(D:\Isotools\Synchro_prod\shop01)). Jobs
        write their scripts, create their folders and set ACLs only in it or under it; a job whose
        O(jobs[].script) would go elsewhere is refused before the host is contacted.
      - Not given, each job owns exactly its own O(jobs[].working_directory) (as in 0.1.0); the
        folders Windows keeps for itself are refused either way. Giving it is the cautious choice.
      - A literal drive path; not a drive root, nor a system folder (C(C:\Windows), C(Program
        Files), C(ProgramData), C(Users), ...). The role M(isotools.shop_sync.sync_jobs) passes
        its C(shop_sync_root).
    type: str
  owner:
    description:
      - Who owns the tasks this call registers, written into each task's ownership marker
        (C(RegistrationInfo/Source)). Give each inventory (or team) sharing a folder its own.
      - O(prune) and O(jobs[].state=absent) delete only tasks of this owner. A job whose task
        another owner registered is refused before anything is written.
      - V(default) is written as the bare marker, as 0.1.0 wrote every task, so tasks registered
        by 0.1.0 are the default owner's, unchanged.
    type: str
    default: default
  prune:
    description:
      - Also delete the tasks directly in O(folder) that no job names, when this collection
        registered them for O(owner). Tasks made by hand, and tasks in sub-folders or elsewhere, are never
        pruned.
    type: bool
    default: false
  update_password:
    description:
      - When a job's password (C(task.principal.password)) is sent to the host.
      - V(on_create) sends it only when the task is registered anyway (created, changed, or its
        C(password_version) changed); V(always) registers every password task again on each run.
    type: str
    choices: [on_create, always]
    default: on_create
  secure_acl:
    description:
      - Keep each job's directory and script writable only by Administrators, SYSTEM and the
        task's run-as account. A new directory gets that ACL (not inheriting its parent's); an
        existing directory or script anyone else may write to gets it too, reported as a change.
      - With V(false), ACLs are left as they are.
    type: bool
    default: true
  backup:
    description:
      - Before changing anything, keep the previous XML of each task updated or deleted and the
        previous content of each script overwritten, returned in RV(backups).
      - With O(backup_dir), also write them to files.
      - The previous content of a script marked O(jobs[].script.sensitive) is never returned, only
        written to its file.
    type: bool
    default: false
  backup_dir:
    description:
      - A controller directory for the backups of O(backup) (relative, from the playbook's
        directory).
      - "Files are written to C(<backup_dir>/<inventory host>/<UTC timestamp>/): C(<task name>.xml)
        (UTF-16, as Windows stores it, ready for C(schtasks /create /xml)) and each script under
        its Windows path with C(\\) and C(:) replaced (C(D_Isotools_stock_synchro.bat))."
      - Each backup file and its folder are readable by the controller's user only (modes 0600 and 0700).
      - Ignored unless O(backup=true).
    type: str
extends_documentation_fragment:
  - isotools.shop_sync.host
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details:
      - The host is read and every change planned and reported; nothing is written.
  diff_mode:
    support: full
    details:
      - One diff per changed job, with the task XML before and after, the field changes, and a unified
        diff of each script written.
notes:
  - When a change is refused, fails or is skipped on the host, the task fails with a message
    naming what was applied and what was not; RV(jobs) still has every job's outcome.
  - A task in the way of a job that cannot be read (not UTF-16, not XML, too large) fails that job
    alone, named in the message; the host's other jobs are still compared and applied.
seealso:
  - module: isotools.shop_sync.win_sync_task
  - module: isotools.shop_sync.win_sync_task_info
  - module: isotools.shop_sync.win_sync_task_run
author:
  - Isotools shop_sync developers (@isotools)
"""

EXAMPLES = r"""
- name: Deploy the shop's sync jobs
  isotools.shop_sync.win_sync_jobs:
    folder: '\Isotools'
    prune: true
    backup: true
    backup_dir: backups
    jobs:
      - name: Synchro Stock
        working_directory: 'D:\Isotools\Synchro_prod\localhost\stock'
        script:
          template: synchro.bat.j2
          vars:
            sync_command: 'synchro.exe --stock'
        task:
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
      - name: Synchro Prices
        working_directory: 'D:\Isotools\Synchro_prod\localhost\prices'
        script:
          content: |
            @echo off
            synchro.exe --prices
        task:
          triggers:
            - type: weekly
              days_of_week: [monday, thursday]
              at: '02:00'
          principal:
            user: SYSTEM
      - name: Synchro Old
        state: absent
  register: sync

- name: Show what changed
  ansible.builtin.debug:
    msg: "{{ sync.jobs | selectattr('outcome', 'ne', 'unchanged') | map(attribute='name') | list }}"
"""

RETURN = r"""
jobs:
  description:
    - One entry per job, then one per task pruned, in that order.
  returned: always (empty when the jobs were refused)
  type: list
  elements: dict
  contains:
    name:
      description: The job's name (the task's name).
      type: str
      sample: Synchro Stock
    path:
      description: The task's full path.
      type: str
      sample: '\Isotools\Synchro Stock'
    outcome:
      description:
        - V(created), V(updated), V(taken_over) (made by hand, registered again with the
          ownership marker; RV(jobs[].changes) lists what else changed, if anything), V(unchanged),
          V(deleted), V(absent) (already not there) or V(pruned). In check mode, what would be done.
        - V(unreadable) when the job's task on the host could not be read (RV(jobs[].message) says
          why). That job is left as it is and the task fails, after the other jobs are applied.
        - V(needs_password), in check mode only, when a hand-made task whose logon stores a
          password would be taken over without that password (RV(jobs[].message) names the
          variable to give). The other jobs are checked; a real run refuses before any write.
      type: str
      sample: updated
    changes:
      description: One line per difference, for the task, its directory, script and ACLs.
      type: list
      elements: str
      sample: ['script D:\Isotools\stock\synchro.bat: sha256 1f2e3d4c5b6a.. -> sha256 96ff60874249..']
    findings:
      description:
        - "What the task runs that an account other than Administrators, SYSTEM, TrustedInstaller
          and the task's own one may change, and that the job does not own (so the deploy does not
          touch it): the program in C(command), a script or program named in C(arguments) (a relative
          one taken from the working directory), the folder holding each, the start-in folder (the
          program's current directory, where it looks for DLLs; C(%TEMP%) is the machine's), and the
          folders above up to the drive (renamed, emptied or re-permissioned). Each one is a way to run code as the
          task's account. The job's own folder and what it holds are locked down instead (with
          O(secure_acl))."
      type: list
      elements: str
      sample: ['privilege escalation path: D:\Public\evil.bat is writable by BUILTIN\Users']
    unresolved:
      description:
        - What the task runs that could not be told, and why, rather than passed in silence; a
          path with a variable the machine environment does not set (a per-user one, or
          unknown), a program named bare found nowhere Windows looks for it before a per-user
          C(PATH), which is not read, a start-in folder that is no folder on a drive.
      type: list
      elements: str
      sample: ['%LOCALAPPDATA%\tool.exe: %LOCALAPPDATA% is not a machine environment variable (a per-user or unknown one is not read)']
    applied:
      description:
        - Whether every change of the job was written to the host (false in check mode and when unchanged).
        - False too when only some were (a folder created, then its task refused); then
          RV(jobs[].applied_changes) lists what was made, RV(jobs[].not_applied_changes) what was not and why.
      type: bool
    message:
      description: Why a change of the job was not applied (refused, failed or skipped), or why its task could not be read; else null.
      type: str
    applied_changes:
      description:
        - After an apply, each host change of the job that was made (or was already in place),
          as C(<kind> <path>). Empty in check mode and when nothing was to be done.
      type: list
      elements: str
      sample: ['create_directory D:\Isotools\stock', 'write_file D:\Isotools\stock\synchro.bat']
    not_applied_changes:
      description:
        - "After an apply, each host change of the job that was not made, as
          C(<kind> <path>: <status>: <reason>); the status is V(refused), V(failed) or V(skipped)
          (a change it needs was not made, or the connection was lost first). Nothing of these
          changes was written."
      type: list
      elements: str
      sample: ['register_task \Isotools\Synchro Stock: refused: changed concurrently, re-run']
    script_diff:
      description:
        - The changed lines of the job's scripts, as a unified diff, at most 60 lines of at most 200
          characters (C(--diff) shows them whole); a script marked O(jobs[].script.sensitive) only
          says it changed.
      type: list
      elements: str
      sample: ['--- D:\Isotools\stock\synchro.bat', '+++ D:\Isotools\stock\synchro.bat', '-call sync.exe /force', '+call sync.exe']
    last_result:
      description: The task's last run result as the read saw it (before any apply); C(null) when there is no task.
      type: int
      sample: 0
    last_result_text:
      description: C(last_result) in words.
      type: str
      sample: exit code 2
    last_run_time:
      description: When the task last ran, host-local time as Task Scheduler keeps it; C(null) when never.
      type: str
      sample: '2026-12-01T03:30:00'
    next_run_time:
      description: When the task runs next; C(null) when not scheduled or not known.
      type: str
    last_success_time:
      description:
        - When the task last ran successfully, as far as the read tells - its last run time when
          its last result is 0, else (for a job with O(jobs[].max_age)) the newest action-completed
          event with return code 0 of its history; C(null) when not known.
      type: str
      sample: '2026-12-01T03:30:00+01:00'
    log:
      description: O(jobs[].log) as given, or C(null).
      type: str
    max_age:
      description: O(jobs[].max_age) in ISO 8601 (C(PT1H)), or C(null).
      type: str
    freshness:
      description:
        - For a job with O(jobs[].max_age), C(state) (V(fresh), V(stale), V(never_succeeded) or
          V(unknown)) and C(message) (for example C(stale - last success 7 h ago, limit 1 h)); else C(null).
      type: dict
      sample: {state: stale, message: 'stale: last success 7 h ago, limit 1 h'}
unlisted:
  description:
    - The tasks directly in O(folder) that no job names and no prune deletes, from the same read,
      so a drift report needs no second read of the host for them. Each entry also has the runtime keys of
      RV(jobs) (C(last_result), C(last_result_text), C(last_run_time), C(next_run_time)).
    - What each one runs is checked as a job's task is (one follow-up read brings those paths,
      which the first read could not know), and only reported, never fixed (the collection does
      not manage these tasks).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The task's name.
      type: str
    path:
      description: The task's full path.
      type: str
    owned:
      description: The task carries this collection's ownership marker (registered by it, dropped from the inventory since).
      type: bool
    findings:
      description: As RV(jobs[].findings), for everything the task runs (nothing of it is owned).
      type: list
      elements: str
    unresolved:
      description: As RV(jobs[].unresolved).
      type: list
      elements: str
backups:
  description:
    - With O(backup), what was replaced or deleted, taken before the apply.
  returned: always (empty unless O(backup) and something changed; always empty in check mode)
  type: list
  elements: dict
  contains:
    job:
      description: The job's name.
      type: str
    path:
      description: The task's full path.
      type: str
    outcome:
      description: What the change does to the task.
      type: str
    xml:
      description: The task's previous XML, when it is re-registered or deleted.
      type: str
    scripts:
      description:
        - The previous content of each script overwritten (C(path), C(content), C(sensitive)).
        - A script marked O(jobs[].script.sensitive) has C(content=null) and C(sensitive=true); its
          previous content is only in its file under O(backup_dir).
      type: list
      elements: dict
    files:
      description: The backup files written under O(backup_dir).
      type: list
      elements: str
diff:
  description: With C(--diff), one entry per changed job (C(before), C(after), C(prepared)).
  returned: always (empty without diff mode)
  type: list
  elements: dict
msg:
  description: What was applied and what was not, when a change was not applied; or why the jobs were refused.
  returned: on failure
  type: str
  sample: "job 'stock': task.triggers[0].at '25:00' is not a time of day (HH:MM, 00:00 to 23:59)"
"""
