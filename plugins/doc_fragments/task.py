# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options that describe one Task Scheduler task (win_sync_task; a win_sync_jobs job's task)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  name:
    description:
      - Name of the task, as shown in Task Scheduler (for example C(Synchro Stock)).
      - '1 to 238 characters; none of C(\ / : * ? " < > |); not C(.) or C(..), not a Windows
        device name such as C(CON) or C(NUL), and no leading or trailing space or trailing dot.'
      - Task names are case-insensitive on Windows.
    type: str
    required: true
  folder:
    description:
      - Task Scheduler folder holding the task. C(\) is the root folder, C(\Isotools) a folder
        under it; a trailing C(\) is ignored and a missing leading C(\) is added.
      - Each folder name follows the rules of O(name). Folders are case-insensitive on Windows.
      - Write it in single quotes in YAML (C('\Isotools')) so the backslash stays a backslash.
    type: str
    default: '\'
  description:
    description:
      - Free text shown on the task's General tab (C(RegistrationInfo/Description)).
    type: str
  author:
    description:
      - Author shown on the task's General tab (C(RegistrationInfo/Author)).
    type: str
  documentation:
    description:
      - Free text kept with the task (C(RegistrationInfo/Documentation)), for example where its
        procedure is written down.
    type: str
  actions:
    description:
      - The programs the task starts, in order (at most 32). The order matters.
      - Only C(Exec) actions (start a program) are supported.
    type: list
    elements: dict
    required: true
    suboptions:
      command:
        description:
          - The program to start, alone, for example C(C:\Windows\System32\cmd.exe).
          - Put its arguments in O(actions[].arguments); a command such as
            C(C:\Windows\System32\cmd.exe /k synchro.bat) is refused with the split to write.
          - C(%VARIABLE%) references are expanded by Windows on the host.
        type: str
        required: true
      arguments:
        description:
          - The command line arguments, as one string, for example C(/k synchro.bat & exit).
          - C(&), C(<), C(>) and quotes are passed as they are.
        type: str
      working_directory:
        description:
          - The folder the program starts in (the task's "Start in"), so that a script can call
            its neighbours by name, for example C(D:\Isotools\Synchro_prod\localhost\synchrof00001\).
          - 'Absolute: C(X:\...), a UNC path C(\\server\share\...), or C(%VARIABLE%\...); without
            quotes and with backslashes (C(D://Isotools/...) is refused with the path to write).'
        type: str
      id:
        description:
          - Optional identifier of the action, unique among the task's actions.
        type: str
  triggers:
    description:
      - When the task starts (at most 48). The triggers form a set; their order does not matter.
      - Without triggers the task only runs on demand.
      - Calendar triggers (V(once), V(daily), V(weekly), V(monthly), V(monthly_dow)) need a start,
        O(triggers[].at) or O(triggers[].start_boundary).
      - "Durations are written C(15m), C(1h30m), C(2d), C(90s), C(1w) or in ISO 8601 (C(PT15M),
        C(P1D)); a bare number is refused because it could mean minutes or seconds."
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - The kind of trigger.
          - V(once) runs at the start time; V(daily), V(weekly), V(monthly) (days of the month) and
            V(monthly_dow) (days of given weeks of the month) repeat from it.
          - V(boot) runs at system start, V(logon) when a user logs on, V(idle) when the computer
            becomes idle, V(registration) when the task is created or changed,
            V(session_state_change) on a session connect/disconnect/lock/unlock, V(event) when an
            event log entry matches O(triggers[].subscription).
        type: str
        required: true
        choices: [once, daily, weekly, monthly, monthly_dow, boot, logon, idle, registration, session_state_change, event]
      id:
        description:
          - Optional identifier of the trigger, unique among the task's triggers.
        type: str
      enabled:
        description:
          - Whether the trigger is active.
        type: bool
        default: true
      start_boundary:
        description:
          - When the trigger is activated, in ISO 8601, for example C(2026-01-01T06:00:00).
          - Without an offset the time is the host's local time; with C(Z) or C(+01:00) it is
            synchronised across time zones. Windows keeps the difference, and so does the task.
          - For calendar triggers the time of day is when the task runs.
          - Mutually exclusive with O(triggers[].at). Never defaults to "now".
        type: str
      at:
        description:
          - Friendly start time for calendar triggers, C(HH:MM) (24-hour clock). It means that time
            on the fixed date 2020-01-01, so the schedule is active at once and the task does not
            change from one run to the next.
          - C(YYYY-MM-DD HH:MM) starts on a given day instead.
          - Quote it in YAML (C('06:00')); an unquoted C(6:00) is read by YAML as a number.
          - Mutually exclusive with O(triggers[].start_boundary).
        type: str
      end_boundary:
        description:
          - When the trigger expires, in ISO 8601; not before the start.
          - Both boundaries must be of the same kind, both local (no offset) or both synchronised
            (C(Z) or an offset).
        type: str
      execution_time_limit:
        description:
          - Longest run of the task when started by this trigger (a duration).
        type: str
      delay:
        description:
          - Wait this long after the event before starting (a duration).
          - Only for V(boot), V(logon), V(registration), V(session_state_change) and V(event)
            triggers; calendar triggers take O(triggers[].random_delay).
        type: str
      random_delay:
        description:
          - Start at a random moment up to this long after the scheduled time (a duration).
          - Only for V(once), V(daily), V(weekly), V(monthly) and V(monthly_dow) triggers.
        type: str
      repetition:
        description:
          - Repeat the task after each start. The friendly O(triggers[].every),
            O(triggers[].until) and O(triggers[].for) say the same and cannot be combined with it.
        type: dict
        suboptions:
          interval:
            description:
              - Time between two starts, from C(PT1M) to C(P31D).
            type: str
            required: true
          duration:
            description:
              - How long to keep repeating, at least the interval. Omitted, it repeats
                indefinitely.
            type: str
          stop_at_duration_end:
            description:
              - Stop a running instance when the repetition duration ends.
            type: bool
            default: false
      every:
        description:
          - Friendly O(triggers[].repetition.interval), for example C(15m); C(1m) to C(31d).
        type: str
      until:
        description:
          - Friendly end of the repetition, a time of day later than the start on the same day,
            for example C('22:00'); it sets O(triggers[].repetition.duration) to the time between
            the start and this time. Needs O(triggers[].every).
          - Mutually exclusive with O(triggers[].for).
        type: str
      for:
        description:
          - Friendly O(triggers[].repetition.duration), for example C(16h). Needs
            O(triggers[].every).
        type: str
      days_interval:
        description:
          - V(daily) triggers run every this many days, 1 to 365.
        type: int
        default: 1
      weeks_interval:
        description:
          - V(weekly) triggers run every this many weeks, 1 to 52.
        type: int
        default: 1
      days_of_week:
        description:
          - Required by V(weekly) and V(monthly_dow) triggers, the days the task runs.
          - Each one of C(monday), C(tuesday), C(wednesday), C(thursday), C(friday), C(saturday),
            C(sunday), or its first three letters (C(mon)).
        type: list
        elements: str
      months:
        description:
          - The months V(monthly) and V(monthly_dow) triggers run in; all twelve when omitted.
          - Each one of C(january) ... C(december), or its first three letters (C(jan)).
        type: list
        elements: str
      days_of_month:
        description:
          - Required by V(monthly) triggers, the days of the month the task runs, 1 to 31, and/or
            C(last) for the last day of each month, for example C([1, 15, last]).
        type: list
        elements: raw
      weeks:
        description:
          - Required by V(monthly_dow) triggers, the weeks of the month the task runs in.
          - Each one of C(1), C(2), C(3), C(4) or C(last).
        type: list
        elements: raw
      user:
        description:
          - V(logon) and V(session_state_change) triggers only react to this user
            (C(name), C(DOMAIN\name) or C(name@domain)); any user when omitted.
        type: str
      state_change:
        description:
          - Required by V(session_state_change) triggers, the change they react to.
        type: str
        choices: [console_connect, console_disconnect, remote_connect, remote_disconnect, session_lock, session_unlock]
      subscription:
        description:
          - Required by V(event) triggers, the event query as Event Viewer writes it
            (C(<QueryList><Query Id="0" Path="System">...</Query></QueryList>)).
        type: str
      value_queries:
        description:
          - V(event) triggers, named values to take from the event (name to XPath), usable as
            C($(name)) in the action's arguments.
        type: dict
  principal:
    description:
      - The account the task runs as, and how it logs on. When omitted, Windows runs the task as
        the account that registers it.
    type: dict
    suboptions:
      user:
        description:
          - The account, as C(name), C(DOMAIN\name), C(name@domain) or a SID. C(SYSTEM),
            C(NT AUTHORITY\SYSTEM) and C(S-1-5-18) are one account (likewise LOCAL SERVICE,
            NETWORK SERVICE). A name ending in C($) is a group managed service account (gMSA), and
            so is a SID the host names so.
          - Mutually exclusive with O(principal.group).
        type: str
      group:
        description:
          - Run for any logged-on member of this group, for example C(BUILTIN\Users).
          - Mutually exclusive with O(principal.user).
        type: str
      logon_type:
        description:
          - V(password) runs whether the user is logged on or not, with the password stored by
            Windows ("Run whether user is logged on or not"); give O(principal.password) when the
            task is created or the password changes.
          - V(s4u) runs whether the user is logged on or not without storing a password (no access
            to network resources).
          - V(interactive_token) runs only while the user is logged on, in their session.
          - V(interactive_token_or_password) runs in the user's session when logged on, else with
            the stored password.
          - V(service_account) is for C(SYSTEM), C(LOCAL SERVICE) and C(NETWORK SERVICE) only.
          - V(group) is for O(principal.group) only.
          - "Default: V(service_account) for SYSTEM, LOCAL SERVICE and NETWORK SERVICE; V(group)
            when O(principal.group) is set; V(password) for a gMSA; else V(interactive_token)."
        type: str
        choices: [password, s4u, interactive_token, interactive_token_or_password, service_account, group]
      password:
        description:
          - The account's password, for O(principal.logon_type=password) and
            O(principal.logon_type=interactive_token_or_password) only. Refused for V(s4u),
            V(service_account), V(group) and gMSAs, which have no password to give.
          - Secret (C(no_log)) - it never appears in output, diffs, results or error messages, and it is
            not part of the task definition that is compared.
          - A string as written - quote it in YAML. A value YAML read as a number or a boolean (an
            unquoted C(12:34:56) is the base-60 number 45296) is refused, the value never shown.
          - Windows cannot give a stored password back, so setting it does not report a change on
            every run; change O(password_version) to store a new one.
        type: str
      run_level:
        description:
          - V(highest) runs with the account's highest privileges ("Run with highest
            privileges"); V(limited) with standard ones.
        type: str
        choices: [limited, highest]
        default: limited
      display_name:
        description:
          - Display name of the principal.
        type: str
  settings:
    description:
      - The task's conditions and settings. Every key is optional; an omitted key keeps Windows'
        own default.
    type: dict
    suboptions:
      multiple_instances:
        description:
          - What to do when the task is started while it already runs.
        type: str
        choices: [parallel, queue, ignore_new, stop_existing]
        default: ignore_new
      disallow_start_if_on_batteries:
        description:
          - Do not start the task while the computer runs on batteries.
        type: bool
        default: true
      stop_if_going_on_batteries:
        description:
          - Stop the task when the computer switches to batteries.
        type: bool
        default: true
      allow_hard_terminate:
        description:
          - Allow the task to be terminated when it does not stop on request.
        type: bool
        default: true
      start_when_available:
        description:
          - Run the task as soon as possible after a scheduled start was missed.
        type: bool
        default: false
      run_only_if_network_available:
        description:
          - Start only when a network connection (see O(settings.network_profile)) is available.
        type: bool
        default: false
      network_profile:
        description:
          - The network connection O(settings.run_only_if_network_available) waits for.
        type: dict
        suboptions:
          name:
            description:
              - Name of the network profile.
            type: str
          id:
            description:
              - GUID of the network profile.
            type: str
      idle_settings:
        description:
          - How the task behaves around idle time (for V(idle) triggers and
            O(settings.run_only_if_idle)).
        type: dict
        suboptions:
          duration:
            description:
              - How long the computer must be idle before the task starts (a duration).
            type: str
          wait_timeout:
            description:
              - How long to wait for the computer to become idle (a duration).
            type: str
          stop_on_idle_end:
            description:
              - Stop the task when the computer stops being idle.
            type: bool
            default: true
          restart_on_idle:
            description:
              - Start the task again when the computer becomes idle again.
            type: bool
            default: false
      allow_demand_start:
        description:
          - Allow the task to be run on demand ("Run" in Task Scheduler, or win_sync_task_info).
        type: bool
        default: true
      enabled:
        description:
          - Whether the task is enabled.
        type: bool
        default: true
      hidden:
        description:
          - Hide the task in the Task Scheduler window.
        type: bool
        default: false
      run_only_if_idle:
        description:
          - Start only while the computer is idle.
        type: bool
        default: false
      wake_to_run:
        description:
          - Wake the computer to run the task.
        type: bool
        default: false
      execution_time_limit:
        description:
          - Stop the task when it runs longer than this (a duration); C(PT0S) means no limit.
        type: str
        default: PT72H
      priority:
        description:
          - Priority of the task's process, 0 (highest) to 10 (lowest); 7 is Windows' default for
            background tasks.
        type: int
        default: 7
      delete_expired_task_after:
        description:
          - Delete the task this long after it expires (a duration). Needs an
            O(triggers[].end_boundary) on at least one trigger.
        type: str
      restart_on_failure:
        description:
          - Restart the task when it fails.
        type: dict
        suboptions:
          interval:
            description:
              - Time between restarts, from C(1m) to C(31d).
            type: str
            required: true
          count:
            description:
              - How many restarts to attempt, 1 to 999.
            type: int
            required: true
      disallow_start_on_remote_app_session:
        description:
          - Do not start the task in a RemoteApp session.
        type: bool
        default: false
      use_unified_scheduling_engine:
        description:
          - Use the unified scheduling engine (Windows 8 and later).
        type: bool
        default: false
      volatile:
        description:
          - Disable the task at the next system start.
        type: bool
        default: false
      maintenance:
        description:
          - Run the task during Windows automatic maintenance (Windows 8 and later).
        type: dict
        suboptions:
          period:
            description:
              - How often the task must run during regular maintenance, at least C(P1D).
            type: str
            required: true
          deadline:
            description:
              - Run during emergency maintenance when the task has not run for this long; longer
                than O(settings.maintenance.period).
            type: str
          exclusive:
            description:
              - Run alone, not together with other maintenance tasks.
            type: bool
            default: false
      compatibility:
        description:
          - The oldest Windows the task must stay readable on (the "Configure for" setting),
            V(vista) (task version 1.2), V(win7) (1.3), V(win8) (1.4) or V(win10) (1.6).
          - The task is written with this version or the lowest one its settings need, whichever is
            higher. Omitted, only what the settings need.
        type: str
        choices: [vista, win7, win8, win10]
  password_version:
    description:
      - A label of your choice for the password given in O(principal.password), recorded with the
        task (for example C(2026-03) or a vault secret's version).
      - Windows cannot give a stored password back, so giving the same password again is not a
        change. To store a new password, change this label; the task then differs from the label
        recorded with it and is registered again, with the password.
      - Only a logon that stores a password (V(password) or V(interactive_token_or_password) of a
        user) takes the label; for any other (SYSTEM, a gMSA, S4U, a group) it is ignored, and
        changing it registers nothing again.
    type: str
"""
