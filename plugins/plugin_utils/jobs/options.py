# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a job, in one table for each of the two ways a job is said.

A job is said twice, on purpose differently: the role's ``shop_sync_jobs`` say it in a person's
words (:data:`INVENTORY_JOB_OPTIONS`: a ``schedule`` in plain words, an ``account``, a
``sync_command``, the task's own options lifted to the job), which :mod:`inventory` translates
into the jobs ``win_sync_jobs`` takes (:data:`MODULE_JOB_OPTIONS`: the task as a whole, a
``task`` spec, and the ``log`` the role works out). The options both share (``name``,
``state``, ``working_directory``, ``script``, ``max_age``) are checked by the one set of rules in
:mod:`rules`, but documented for each reader in its own terms (``shop_sync_root`` or the module's
``root``).

Rows are :class:`spec.options.Option` rows, read like the task options' table: the readers take
their key lists and ranges from here (:func:`spec.options.keys_at` and friends with ``table=``),
and ``make docs`` (``tests/tools/render_options.py``) writes the role's ``shop_sync_jobs`` in
``meta/argument_specs.yml`` and the ``jobs`` option of ``plugins/modules/win_sync_jobs.py`` from
them. Choices and defaults come from :mod:`rules` and :mod:`model`, which the readers use too. The
task options a role's job lifts (``actions``, ``triggers``, ``settings``) are the task table's
rows, with the role's words.
"""

from __future__ import annotations

import dataclasses

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.rules import (
    DEFAULT_COMMAND,
    DEFAULT_SCRIPT_NAME,
    JOB_STATES,
    SHORTEST_MAX_AGE,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType, RunLevel
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import PasswordOrigin
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import Option, duration_range, option_at

__all__ = ["INVENTORY_JOB_OPTIONS", "INVENTORY_LOGON_TYPES", "MODULE_JOB_OPTIONS"]

# "auto": the seed's "run whether the user is logged on or not" (see inventory._principal), else the spec's.
INVENTORY_LOGON_TYPES = ("auto", *(item.value for item in LogonType))
# A schedule entry's every and for are its trigger's repetition: the range is the trigger's.
_REPEAT_LOW, _REPEAT_HIGH = duration_range("triggers.every")
_TIME_OF_DAY_DEFAULT = "00:00"


def _lifted(path: str, *description: str) -> Option:
    """A task option a role's job says at its own level, with the role's words (and never required)."""
    return dataclasses.replace(option_at(path), description=description, summary="", required=False)


INVENTORY_JOB_OPTIONS: tuple[Option, ...] = (
    Option(
        "name",
        "str",
        description=("The task's name in C(shop_sync_folder) (e.g. C(Synchro Stock)); unique per host, ignoring letter case, as on Windows.",),
        required=True,
    ),
    Option(
        "state",
        "str",
        description=("C(absent) deletes the task (its folder and script stay).",),
        default=JOB_STATES[0],
        choices=JOB_STATES,
    ),
    Option("description", "str", description=("The task's description (what the job synchronises, who to call).",)),
    Option("author", "str", description=("The task's author field.",)),
    Option("documentation", "str", description=("The task's documentation field.",)),
    Option(
        "working_directory",
        "str",
        description=(
            'The job\'s folder, an absolute Windows path; the script is written there and the task starts in it ("Commencer dans" of the manual procedure).',
            "Default C(<shop_sync_root>\\<name>); none for a job without a script whose C(actions) name no C(working_directory), or one no job may "
            "have (C(%TEMP%)); its task starts where its actions say, as adopted tasks with no start-in folder, or one such as C(%TEMP%), are kept.",
            "A job that writes a script (C(sync_command) or C(script)) must have its folder under C(shop_sync_root) when that is set, and never in a "
            "drive root, the Windows directory, Program Files, ProgramData, Users (a profile) or anything under them; refused before any host is "
            "touched. A job without a script may start in any folder; that folder is compared, never created nor locked down.",
        ),
    ),
    Option(
        "sync_command",
        "str",
        description=(
            "The command line of the synchronisation itself (e.g. the Isotools synchronisation executable and its arguments), run by the role's "
            "default C(synchro.bat), which logs start, end and exit code in the job's folder and exits with the command's exit code.",
            "Leave out C(sync_command) and C(script) to keep the script already on the host.",
        ),
    ),
    Option(
        "script",
        "dict",
        description=(
            "The job's script. Give C(content), or C(template) (a Jinja2 template of the inventory repository), or only C(vars) to tune the role's "
            "default template.",
        ),
        suboptions=(
            Option("name", "str", description=("File name of the script in the job's folder.",), default=DEFAULT_SCRIPT_NAME),
            Option("content", "str", description=("The script's text, written as it is (line endings become CRLF).",)),
            Option(
                "template",
                "str",
                description=(
                    "A Jinja2 template on the controller; a relative path is looked up in C(shop_sync_template_dir). One that is not there is refused "
                    "by the role's check, with the path looked for, before any host is touched.",
                    "The template sees C(job_name), C(working_directory), C(script_name), C(log_stem), C(log_keep), C(log_max_kb), C(sync_command) and "
                    "the job's C(vars).",
                ),
            ),
            Option("vars", "dict", description=("Variables for the template.",)),
            Option(
                "sensitive",
                "bool",
                description=(
                    "C(true) never shows the script's content - no changed lines in a diff, a result or the drift report, only that it changed (its "
                    "hash) - for a script that holds what must not be read there (a connection string).",
                ),
                default=False,
            ),
        ),
    ),
    Option("command", "str", description=('The program the task starts ("Programme/script").',), default=DEFAULT_COMMAND),
    Option(
        "arguments",
        "str",
        description=(
            'Its arguments ("Ajouter des arguments"). Default C(/c synchro.bat) when C(command) is the default, so the task\'s last result is the '
            "script's exit code.",
            "The manual procedure's C(/k synchro.bat & exit) still works, but then the last result is cmd's, not the script's.",
        ),
    ),
    _lifted(
        "actions",
        "Several actions, in order, as M(isotools.shop_sync.win_sync_task) takes them; replaces C(command) and C(arguments).",
    ),
    Option(
        "schedule",
        "list",
        description=(
            "When the job runs, in plain words; each entry is one trigger and says exactly one of C(daily), C(every), C(weekly), C(monthly), "
            "C(at_boot), C(once).",
            "Times are C('HH:MM') on a 24-hour clock, quoted (unquoted, YAML reads C(22:00) as a number), or C('YYYY-MM-DD HH:MM') when the first day matters.",
        ),
        elements="dict",
        suboptions=(
            Option("daily", "raw", description=("Every day at this time (a list of times gives one trigger per time).",)),
            Option(
                "every",
                "str",
                description=("Repeat every this long (C(15m), C(1h), C(PT15M)), from C(from) until C(until) (or for C(for)), every day or on C(days).",),
                low=_REPEAT_LOW,
                high=_REPEAT_HIGH,
            ),
            Option("from", "raw", description=("With C(every), the first run of the day.",), default=_TIME_OF_DAY_DEFAULT),
            Option(
                "until",
                "raw",
                description=(
                    "With C(every), the time of day of the last start (a start at C(until) itself happens).",
                    "Without C(until) or C(for), the last start is the last one before midnight.",
                ),
            ),
            Option(
                "for",
                "str",
                description=(
                    "With C(every), how long to keep repeating after C(from) (e.g. C(16h)); default to the end of the day. With C(days), no start may "
                    "fall at or after midnight.",
                ),
                low=_REPEAT_LOW,
            ),
            Option(
                "days",
                "list",
                description=(
                    "With C(every), the weekdays (C(mon) .. C(sun)); default every day. Only those days get starts (the repetition ends within each day).",
                ),
                elements="str",
            ),
            Option(
                "weekly",
                "dict",
                description=("Weekly, e.g. C({days: [mon, fri], at: '02:00'}).",),
                suboptions=(
                    Option("days", "list", description=("Weekdays, C(mon) .. C(sun) or full names.",), elements="str", required=True),
                    Option("at", "raw", description=("Time of day.",), default=_TIME_OF_DAY_DEFAULT),
                ),
            ),
            Option(
                "monthly",
                "dict",
                description=("Monthly, e.g. C({days: [1, 15, last], at: '03:00', months: [jan, jul]}).",),
                suboptions=(
                    Option("days", "list", description=("Days of the month, 1 .. 31 and/or C(last).",), elements="raw", required=True),
                    Option("at", "raw", description=("Time of day.",), default=_TIME_OF_DAY_DEFAULT),
                    Option("months", "list", description=("Months (C(jan) .. C(dec)); default every month.",), elements="str"),
                ),
            ),
            Option("at_boot", "bool", description=("When the host starts (C(true)).",)),
            Option("delay", "str", description=("With C(at_boot), wait this long after start-up (e.g. C(5m)).",)),
            Option("once", "str", description=("Once, at C('YYYY-MM-DD HH:MM') (the manual procedure's \"test n°2\").",)),
            Option("enabled", "bool", description=("C(false) keeps the trigger but disables it.",)),
            Option("random_delay", "str", description=("Start up to this much later, at random (calendar entries).",)),
        ),
    ),
    _lifted(
        "triggers",
        "Triggers as M(isotools.shop_sync.win_sync_task) takes them (every type the Task Scheduler knows, such as logon, idle, event, session state "
        "change), in addition to C(schedule); the limit counts both.",
    ),
    Option(
        "account",
        "str",
        description=(
            'The account the job runs as ("Utiliser le compte suivant"); default C(shop_sync_default_account).',
            "C(SYSTEM), C(svc_sync), C(DOMAIN\\svc_sync), C(svc@domain), a gMSA C(DOMAIN\\gmsa$), or a group with C(logon_type=group).",
        ),
    ),
    Option(
        "account_display_name",
        "str",
        description=(
            "The name Task Scheduler shows for the account (the task's C(Principal/DisplayName)); none by default. Adoption keeps it, so an adopted "
            "task re-applies with no change.",
        ),
    ),
    Option(
        "logon_type",
        "str",
        description=(
            "How it logs on; default C(shop_sync_default_logon_type).",
            'C(auto) is the manual procedure\'s "run whether the user is logged on or not", C(password) (stored password) for a named account, the '
            "service logon for SYSTEM, LOCAL SERVICE, NETWORK SERVICE and gMSAs. C(s4u) runs logged off without storing a password (no network "
            "access).",
        ),
        choices=INVENTORY_LOGON_TYPES,
    ),
    Option(
        "password",
        "str",
        description=(
            "The account's password (vault it), for C(password) logons; default C(shop_sync_default_password). Needed when the task is created, and "
            "on rotation.",
            "A string as written - quote it in YAML; a value YAML read as a number or a boolean (an unquoted C(12:34:56) is 45296) is refused.",
        ),
        no_log=True,
    ),
    Option(
        "password_version",
        "str",
        description=(
            "A label of the password (e.g. C(2026-11)); changing it re-registers the task with the current password, when its logon stores one (not "
            "for SYSTEM, a gMSA, S4U or a group). Default C(shop_sync_default_password_version).",
        ),
    ),
    Option(
        "run_level",
        "str",
        description=("C(highest) runs with the account's full rights; default C(shop_sync_default_run_level).",),
        choices=tuple(item.value for item in RunLevel),
    ),
    Option("enabled", "bool", description=("C(false) keeps the task but disables it.",)),
    _lifted(
        "settings",
        "Task settings (conditions and parameters tabs) as M(isotools.shop_sync.win_sync_task) takes them, merged over C(shop_sync_default_settings).",
    ),
    Option(
        "max_age",
        "str",
        description=(
            "Used by the C(drift) playbook, how long after the job's last successful run (its action exited 0) it counts as stale, a duration as "
            "C(schedule) takes one (C(1h), C(90m), C(PT1H)); over C(shop_sync_default_max_age). Not set, freshness is not judged.",
        ),
        low=SHORTEST_MAX_AGE,
    ),
)

MODULE_JOB_OPTIONS: tuple[Option, ...] = (
    Option(
        "name",
        "str",
        description=("The job's name, which is the task's name in O(folder) (case-insensitive, unique among the jobs).",),
        required=True,
    ),
    Option(
        "state",
        "str",
        description=(
            "V(present) ensures the job's directory, script and task; V(absent) deletes the task if this collection registered it (the directory and "
            "script are left in place).",
        ),
        default=JOB_STATES[0],
        choices=JOB_STATES,
    ),
    Option(
        "working_directory",
        "str",
        description=(
            "The job's folder on the host, an absolute path on a drive (C(D:\\Isotools\\Synchro_prod\\stock)).",
            "Created when missing; the script is written there and the task starts in it.",
            "Created, written and locked down (O(secure_acl)) only when it is a folder the collection owns - under O(root) when given - and never a "
            "drive root, the Windows directory, Program Files, ProgramData, Users (a profile) or anything under them. A job with O(jobs[].script) in "
            "any other folder is refused before the host is contacted; a job without one may start there, and that folder is compared but never "
            "created or changed.",
            "Required when O(jobs[].state=present), unless the job has no O(jobs[].script) and its O(jobs[].task) gives its own C(actions); such a job "
            "may have no folder (its task starts where its actions say).",
        ),
    ),
    Option(
        "script",
        "dict",
        description=(
            "The script the task runs, written to O(jobs[].working_directory). Leave it out to keep whatever script the host has.",
            "Exactly one of O(jobs[].script.content) and O(jobs[].script.template) is required.",
            "Scripts are written in UTF-8 without a byte order mark. C(.bat) and C(.cmd) scripts get Windows (CRLF) line ends, whatever the template "
            "or content has, since C(cmd.exe) misreads a batch file with bare LF line ends.",
        ),
        suboptions=(
            Option("name", "str", description=("The script's file name in the working directory.",), default=DEFAULT_SCRIPT_NAME),
            Option("content", "str", description=("The script's text, written as it is (apart from the line ends).",)),
            Option(
                "template",
                "str",
                description=(
                    "A Jinja2 template on the controller, rendered there and written as the script.",
                    "Found like the template module finds its C(src), through the C(templates/) folders of the role and the playbook; an absolute path "
                    "is used as it is.",
                    "The template sees the play's variables, the variables of O(jobs[].script.vars), and the whole job (O(jobs[]) entry, password left "
                    "out) as C(job) and C(shop_sync_job).",
                ),
            ),
            Option("vars", "dict", description=("Variables for O(jobs[].script.template).",)),
            Option(
                "sensitive",
                "bool",
                description=(
                    "C(true) never shows the script's content - no changed lines in RV(jobs[].script_diff) or the C(--diff) output, only that it "
                    "changed (its hash).",
                ),
                default=False,
            ),
        ),
    ),
    Option(
        "task",
        "dict",
        description=(
            "The job's task, with the options of M(isotools.shop_sync.win_sync_task) (see there, or C(docs/task-options.md)); C(description), "
            "C(author), C(documentation), C(actions), C(triggers), C(principal), C(settings), C(password_version).",
            "C(name) and C(folder) are not given here; they are O(jobs[].name) and O(folder).",
            "C(actions) defaults to the seed procedure's one action, C(C:\\Windows\\System32\\cmd.exe /c <script name>) started in "
            "O(jobs[].working_directory).",
            "C(principal.password) is never returned, shown in a diff, logged or written.",
        ),
        default={},
    ),
    Option(
        "max_age",
        "str",
        description=(
            "How long after its last successful run (its action exited 0) the job counts as stale, a duration (C(1h), C(90m), C(PT1H)). Given, the "
            "one read also asks the host for the task's action-completed history events and RV(jobs[].freshness) says whether the job is fresh, "
            "stale, never succeeded, or unknown (the host's task history is disabled and the last run did not succeed). Nothing is changed because "
            "of it.",
        ),
        low=SHORTEST_MAX_AGE,
    ),
    Option(
        "log",
        "str",
        description=(
            "Where the job's script logs on the host (C(D:\\Isotools\\stock\\synchro.log)), returned as RV(jobs[].log) for reports; the role sets it "
            "for its templated C(synchro.bat).",
        ),
    ),
    Option(
        "password_origin",
        "str",
        description=(
            "Where C(task.principal.password) comes from. V(job), written for this job; V(default), a password given to every job that logs on with "
            "one (the role passes its C(shop_sync_default_password) so).",
            "It matters for an account given by its SID that the host names a group managed service account (gMSA), which has no password to give "
            "(Windows fetches it from Active Directory). A V(job) password for it is refused before anything is written; a V(default) one is not "
            "sent. A gMSA's name (C(DOMAIN\\name$)) is refused a password either way, before the host is contacted.",
            "Only with C(task.principal.password).",
        ),
        default=PasswordOrigin.JOB.value,
        choices=tuple(origin.value for origin in PasswordOrigin),
    ),
)
