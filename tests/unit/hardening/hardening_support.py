# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the hardening suites share: their data, their matrices, and the figures
docs/reliability.md and docs/security.md publish (checked against the docs by
test_hardening_docs.py, so a figure cannot drift from what the tests run)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from host_samples import WINDOWS_TEMP_ACL
from hostile_text import TEMPLATED_FIELDS
from support.action_harness import SVC_SYNC, SVC_SYNC_SID

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import TOP_KEYS

REPO = Path(__file__).resolve().parents[3]
BAD_SPECS = REPO / "tests" / "unit" / "plugins" / "plugin_utils" / "data" / "bad_specs.yml"
BAD_JOBS = Path(__file__).parent / "data" / "bad_jobs.yml"
PLAYBOOKS = REPO / "playbooks"
# demo.yml rebuilds the demo's own hosts from scratch (examples/demo); the others are the ops playbooks.
NOT_OPS_PLAYBOOKS = frozenset({"demo.yml"})

ROOT = "D:\\Isotools\\Synchro_prod\\shop01"
GMSA, GMSA_SID = "CONTOSO\\gmsa_sync$", "S-1-5-21-3623811015-3361044348-30300820-2201"
WORKING_DIRECTORY = ROOT + "\\stock"

# Faults the directory host injects (docs/directory-host.md) and the change kinds of an apply.
FAULTS = ("access_denied", "unknown_account", "disk_full", "task_running", "connection_lost")
TASK_ONLY_FAULTS = frozenset({"task_running"})  # Windows only refuses changes to a task that runs
TASK_KINDS = frozenset({"register_task", "delete_task"})
# The change kinds each fault scenario's apply holds (test_hardening_faults.py).
SCENARIO_KINDS = {
    "first deploy": ("create_folder", "create_directory", "set_acl", "write_file", "register_task"),
    "update": ("create_directory", "set_acl", "write_file", "register_task", "delete_task"),
}
RACE_ROUNDS = 3  # per race variant (test_hardening_races.py)
RACE_VARIANTS = ("task only", "task and script")
PRUNE_EXAMPLES = 25  # hypothesis examples of the prune property
# The playbook runs of the secrets test, in order (drift, run_now, adopt and snapshot side by side).
SECRET_RUNS = ("deploy.yml", "drift.yml (enforce)", "drift.yml", "run_now.yml", "adopt.yml", "snapshot.yml", "report_merge.yml")
# (id, connection plugin, its options, allow_unencrypted_password, is the password sent?)
TRANSPORTS: list[tuple[str, str, dict[str, Any], bool, bool]] = [
    ("winrm-http-basic", "winrm", {"port": 5985, "scheme": "http", "transport": ["basic"]}, False, False),
    ("winrm-http-default-transport", "winrm", {"port": 5985}, False, False),
    ("winrm-http-certificate", "winrm", {"port": 5985, "scheme": "http", "transport": ["certificate"]}, False, False),
    ("winrm-http-ntlm-then-basic", "winrm", {"port": 5985, "scheme": "http", "transport": "ntlm,basic"}, False, False),
    (
        "winrm-http-ntlm-encryption-never",
        "winrm",
        {"scheme": "http", "transport": ["ntlm"], "_extras": {"ansible_winrm_message_encryption": "never"}},
        False,
        False,
    ),
    ("psrp-http-basic", "psrp", {"port": 5985, "protocol": "http", "auth": "basic"}, False, False),
    ("psrp-http-negotiate-encryption-never", "psrp", {"protocol": "http", "auth": "negotiate", "message_encryption": "never"}, False, False),
    ("unknown-connection", "community.general.lxd", {}, False, False),
    ("winrm-https-basic", "winrm", {"port": 5986, "scheme": "https", "transport": ["basic"]}, False, True),
    ("winrm-http-ntlm", "winrm", {"port": 5985, "scheme": "http", "transport": ["ntlm"]}, False, True),
    ("winrm-http-kerberos", "winrm", {"scheme": "http", "transport": ["kerberos"]}, False, True),
    ("winrm-http-credssp", "winrm", {"scheme": "http", "transport": ["credssp"]}, False, True),
    ("psrp-https-basic", "psrp", {"port": 5986, "protocol": "https", "auth": "basic"}, False, True),
    ("psrp-http-negotiate", "psrp", {"protocol": "http", "auth": "negotiate"}, False, True),
    ("ssh", "ssh", {}, False, True),
    ("winrm-http-basic-allowed", "winrm", {"port": 5985, "scheme": "http", "transport": ["basic"]}, True, True),
    ("psrp-http-basic-allowed", "psrp", {"protocol": "http", "auth": "basic"}, True, True),
]
# (id, principal, the run-as account's SID and how an ACL change names it; None: SYSTEM itself)
ACL_PRINCIPALS: list[tuple[str, dict[str, Any], str | None, str | None]] = [
    ("system", {"user": "SYSTEM"}, None, None),
    ("local-service", {"user": "NT AUTHORITY\\LOCAL SERVICE"}, "S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE"),
    ("svc-sync-highest", {"user": SVC_SYNC, "logon_type": "password", "password": "not-a-real-one", "run_level": "highest"}, SVC_SYNC_SID, SVC_SYNC),
    ("gmsa", {"user": GMSA, "logon_type": "password"}, GMSA_SID, GMSA),
]
# Folders the collection never writes in nor locks down (test_hardening_owned_folders.py): each
# as a job's working_directory with a script, and as the root option.
NEVER_OWNED = (
    "C:\\Windows\\System32",
    "C:\\Windows",
    "c:\\windows\\temp\\sync",
    "D:\\",
    "C:\\",
    "C:\\Program Files",
    "C:\\Program Files\\Isotools\\stock",
    "C:\\Program Files (x86)",
    "D:\\Program Files\\Isotools",
    "C:\\ProgramData",
    "C:\\ProgramData\\Isotools",
    "C:\\Users",
    "C:\\Users\\svc_sync",
    "C:\\Users\\Public\\sync",
    "C:\\PROGRA~1\\Isotools",
    "D:\\Isotools\\..\\..\\Windows",
    "C:\\Windows.\\Temp",
    "%SystemRoot%\\Temp",
    "\\\\fileserver\\share\\sync",
)
# Unquoted passwords as written in YAML, which YAML 1.1 reads as something else
# (test_hardening_password_typing.py): each must be refused, never sent as what YAML made of it.
UNQUOTED_PASSWORDS = ("12:34:56", "190:20:30", "0123", "0x1F", "123456", "1_000", ".5", "True")
# Owners of a job's folder or script (test_hardening_script_acl.py): (id, where, owner,
# extra entry of the DACL, is it drift?). An OWNER RIGHTS entry limits what the owner may do.
CLERK_SID = "S-1-5-21-1180699209-877415012-3182924384-1001"  # an ordinary local user (invented)
OWNER_CASES: list[tuple[str, str, str, dict[str, Any] | None, bool]] = [
    ("user-owns-the-script", "script", CLERK_SID, None, True),
    ("user-owns-the-folder", "directory", CLERK_SID, None, True),
    ("owner-rights-read-only", "script", CLERK_SID, {"sid": "S-1-3-4", "type": "allow", "rights": 0x1200A9}, False),
    ("owner-rights-modify", "script", CLERK_SID, {"sid": "S-1-3-4", "type": "allow", "rights": 0x1301BF}, True),
    ("administrators-own-it", "script", "S-1-5-32-544", None, False),
]
# What a privileged task runs, planted on the host (test_hardening_execution_paths.py): (id, the
# action, files planted with their acl.json entry (None: none, as a folder made under D:\ leaves
# it), the findings expected).
_HARDENED = ["S-1-5-32-544", "S-1-5-18"]
_PUBLIC = "D:\\Public (holds what the task runs) is writable by BUILTIN\\Users"
EXECUTION_CASES: list[tuple[str, dict[str, str], dict[str, Any], tuple[str, ...]]] = [
    (
        "program-users-may-change",
        {"command": "D:\\Public\\tool.exe"},
        {"D:\\Public\\tool.exe": None},
        ("D:\\Public\\tool.exe is writable by BUILTIN\\Users", _PUBLIC),
    ),
    (
        "script-named-in-arguments",
        {"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c D:\\Public\\evil.bat & exit"},
        {"D:\\Public\\evil.bat": None},
        ("D:\\Public\\evil.bat is writable by BUILTIN\\Users", _PUBLIC),
    ),
    (
        "folder-above-users-may-rename",
        {"command": "D:\\Tools\\bin\\tool.exe"},
        {
            "D:\\Tools": {"aces": [{"sid": "S-1-5-32-545", "type": "allow", "rights": 0x1301BF}], "protected": False},  # Users: Modify
            "D:\\Tools\\bin": _HARDENED,
            "D:\\Tools\\bin\\tool.exe": None,
        },
        ("D:\\Tools (above what the task runs) can be renamed or re-permissioned by BUILTIN\\Users",),
    ),
    (
        "relative-script-in-a-foreign-folder",
        {"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c run.cmd", "working_directory": "D:\\Public"},
        {"D:\\Public\\run.cmd": None},
        ("D:\\Public\\run.cmd is writable by BUILTIN\\Users", _PUBLIC),
    ),
    ("system-program", {"command": "%SystemRoot%\\System32\\cmd.exe", "arguments": "/c synchro.bat"}, {"C:\\Windows\\System32\\cmd.exe": None}, ()),
    ("hardened-program", {"command": "D:\\Tools\\tool.exe"}, {"D:\\Tools": _HARDENED, "D:\\Tools\\tool.exe": None}, ()),
]
# Programs named bare and variables (test_hardening_execution_paths.py): (id, the action, files
# planted as for EXECUTION_CASES, the host's machine environment (None: a fresh Windows
# Server's), the findings expected, what is expected unresolved). Each is also planted as a
# hand-made task the collection only reports, through win_sync_task_info.
_USERS = "is writable by BUILTIN\\Users"
SEARCH_CASES: list[tuple[str, dict[str, str], dict[str, Any], dict[str, str] | None, tuple[str, ...], tuple[str, ...]]] = [
    (
        "bare-program-found-in-the-working-directory",
        {"command": "tool.exe", "working_directory": "D:\\Public"},
        {"D:\\Public\\tool.exe": None},
        None,
        (f"D:\\Public (where Windows looks for tool.exe) {_USERS}", f"D:\\Public\\tool.exe {_USERS}"),
        (),
    ),
    (
        "bare-cmd-is-found-in-system32-before-the-working-directory",
        {"command": "cmd.exe", "arguments": "/c synchro.bat", "working_directory": "D:\\Public"},
        {"C:\\Windows\\System32\\cmd.exe": None, "D:\\Public\\cmd.exe": None, "D:\\Public\\synchro.bat": None},
        None,
        (f"D:\\Public\\synchro.bat {_USERS}", f"D:\\Public (holds what the task runs) {_USERS}"),
        (),
    ),
    (
        "bare-name-on-a-writable-path-entry",
        {"command": "tool"},
        {"D:\\Tools\\tool.exe": None},
        {"windir": "C:\\Windows", "Path": "C:\\Windows\\system32;C:\\Windows;D:\\Tools\\"},
        (f"D:\\Tools (where Windows looks for tool.exe) {_USERS}", f"D:\\Tools\\tool.exe {_USERS}"),
        (),
    ),
    (
        "path-entry-anyone-may-create",
        {"command": "tool.exe"},
        {},
        {"windir": "C:\\Windows", "Path": "C:\\Windows\\system32;D:\\Python27"},
        (f"D:\\ (where D:\\Python27, searched for tool.exe, can be created) {_USERS}",),
        ("tool.exe: not found in C:\\Windows\\System32; {job folder}; C:\\Windows\\System; C:\\Windows; D:\\Python27 (a per-user PATH is not read)",),
    ),
    (
        "machine-variable",
        {"command": "%TOOLS%\\tool.exe"},
        {"D:\\Public\\tool.exe": None},
        {"windir": "C:\\Windows", "TOOLS": "D:\\Public"},
        (f"D:\\Public\\tool.exe {_USERS}", f"D:\\Public (holds what the task runs) {_USERS}"),
        (),
    ),
    (
        # A program loads DLLs from its current directory, the task's start-in folder (Microsoft
        # docs, Dynamic-link library search order): a start-in folder Users may add files to is
        # one, whatever the program. %TEMP% is the machine's C:\Windows\TEMP (an account's
        # profile may set its own TEMP, which comes first: the cautious reading).
        "start-in-the-temporary-folder",
        {"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c exit 0", "working_directory": "%TEMP%"},
        {"C:\\Windows\\System32\\cmd.exe": None, "C:\\Windows\\TEMP": WINDOWS_TEMP_ACL},
        None,
        (f"C:\\Windows\\TEMP (where the task starts: its current directory) {_USERS}",),
        (),
    ),
    (
        "per-user-variable",
        {"command": "%LOCALAPPDATA%\\Programs\\tool.exe"},
        {},
        None,
        (),
        ("%LOCALAPPDATA%\\Programs\\tool.exe: %LOCALAPPDATA% is not a machine environment variable (a per-user or unknown one is not read)",),
    ),
]
# Where a task the collection only reports (a hand-made task of the managed folder) shows what it
# runs that users may change (test_hardening_execution_paths.py).
REPORTED_OUTPUTS = (
    "win_sync_jobs unlisted (check mode)",
    "win_sync_jobs unlisted (deploy)",
    "win_sync_task_info",
    "summary.md",
    "report.html",
    "junit.xml",
    "summary lines",
)
# (deploy's owner, the Source of a task no job declares, whether a prune deletes it)
# (test_hardening_owners.py): a prune deletes only its own owner's tasks.
PRUNE_OWNERS: list[tuple[str, str | None, bool]] = [
    ("default", "isotools.shop_sync", True),  # registered by 0.1.0: the default owner's
    ("default", "isotools.shop_sync; owner=shop-b", False),
    ("default", "isotools.shop_sync; owner=win_sync_task", False),
    ("default", "isotools.shop_sync_other", False),
    ("default", None, False),
    ("shop-b", "isotools.shop_sync; owner=shop-b", True),
    ("shop-b", "isotools.shop_sync; owner=SHOP-B", False),
    ("shop-b", "isotools.shop_sync", False),
    ("shop-b", "isotools.shop_sync; password_version=v1", False),
]
HOSTILE_TASKS = (
    "entity expansion",
    "external entity",
    "owned, truncated",
    "truncated",
    "wrongly encoded",
    "odd UTF-16",
    "unknown namespace",
    "not a task",
    "10 MB",
)
# Links planted where a deploy writes (test_hardening_planted_files.py): what the link replaces.
PLANTED_LINKS = ("the job's folder", "a folder above it", "the managed Tasks folder")
# Task files that are no regular file (test_hardening_planted_files.py): opened, each would block.
NON_REGULAR_TASKS = ("a FIFO",)

# Text a host can hand the collection (invented), by where test_hardening_host_text.py puts it in an
# adopted job; MARK becomes a file a pipe lookup would create if the text were ever templated.
HOST_TEXTS = {
    "name": "Synchro {{ 7 + 7 }}",
    "description": "{{ lookup('ansible.builtin.pipe', 'touch MARK-description') }}\n  a second line, spaces kept   \n'single' \"double\"",
    "author": "{% set x = lookup('ansible.builtin.pipe', 'touch MARK-author') %}CONTOSO\\kevin",
    "documentation": "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n[[ lookup('ansible.builtin.pipe', 'touch MARK-override') ]] {{ 1 }}",
    "arguments": "/c {# a comment #} {{ lookup('ansible.builtin.pipe', 'touch MARK-arguments') }}",
    "subscription": '<QueryList><Query Id="0"><Select Path="System">*[System[EventID={{ 7 + 7 }}]]</Select></Query></QueryList>',
    "query name": "{{ lookup('ansible.builtin.pipe', 'touch MARK-query') }}",
    "note": "was in the folder \\{{ 7 + 7 }}",
}
# Where a host's text is handed back to Ansible, each re-fed into a template by test_hardening_host_text.py.
TEMPLAR_PATHS = (
    "win_sync_task_info result re-fed as module options",
    "to_inventory_jobs result (the adopt play's set_fact)",
    "to_inventory_yaml text",
    "win_sync_jobs result (the drift play's set_fact)",
    "sync_report result (the drift play's debug and set_stats)",
)

# Control characters a host's text can carry (test_hardening_control_characters.py): ESC, BEL,
# backspace, carriage return, DEL, CSI and NEL (C1), the line separator, a right-to-left override.
CONTROL_CHARACTERS = ("\x1b", "\x07", "\x08", "\r", "\x7f", "\x9b", "\x85", "\u2028", "\u202e")
# The outputs each is looked for in, raw.
CONTROL_OUTPUTS = (
    "summary.md",
    "report.html",
    "junit.xml",
    "summary lines (the drift play's output)",
    "warnings",
    "msg",
    "adopted YAML comments",
)


def bad_specs() -> list[dict[str, Any]]:
    return list(yaml.safe_load(BAD_SPECS.read_text(encoding="utf-8")))


def bad_jobs() -> list[dict[str, Any]]:
    return list(yaml.safe_load(BAD_JOBS.read_text(encoding="utf-8")))


def spec_through_jobs(case: Mapping[str, Any]) -> bool:
    """Whether a task-level case is also a bad job: not when it names a folder (a job's folder is
    the module's option, a case of bad_jobs.yml) nor when it only lacks actions (a job gives its
    task the default action, cmd.exe running the script)."""
    spec = case["spec"]
    return not isinstance(spec, Mapping) or ("folder" not in spec and "actions" in spec)


def spec_through_task(case: Mapping[str, Any]) -> bool:
    """Whether win_sync_task takes the case's options: other keys are module parameters Ansible
    itself refuses as unknown before the spec is read (those cases run as jobs)."""
    spec = case["spec"]
    return isinstance(spec, Mapping) and set(spec) <= set(TOP_KEYS)


def fault_cases() -> list[tuple[str, str, str]]:
    """(scenario, change kind, fault): every fault at every kind of change it can meet."""
    return [
        (scenario, kind, fault)
        for scenario, kinds in SCENARIO_KINDS.items()
        for kind in kinds
        for fault in FAULTS
        if fault not in TASK_ONLY_FAULTS or kind in TASK_KINDS
    ]


def reliability_figures() -> dict[str, int]:
    """The figures docs/reliability.md states, computed from the data and matrices the tests run."""
    specs = bad_specs()
    jobs = bad_jobs()
    faults = fault_cases()
    return {
        "task specification cases (bad_specs.yml)": len(specs),
        "of them run through win_sync_jobs, as a job's task": sum(spec_through_jobs(case) for case in specs),
        "of them run through win_sync_task": sum(spec_through_task(case) for case in specs),
        "job and option cases (bad_jobs.yml)": len(jobs),
        "bad input cases in all": len(specs) + len(jobs),
        "fault cases (scenario x change kind x fault)": len(faults),
        "change kinds faulted": len({kind for _scenario, kind, _fault in faults}),
        "faults injected": len({fault for _scenario, _kind, fault in faults}),
        "race rounds (two processes each)": RACE_ROUNDS * len(RACE_VARIANTS),
        "prune property examples (random task trees)": PRUNE_EXAMPLES,
        "hostile task files": len(HOSTILE_TASKS),
    }


def security_figures() -> dict[str, int]:
    """The figures docs/security.md states."""
    return {
        "ops playbooks run at -vvv --diff": len(ops_playbooks()),
        "playbook runs": len(SECRET_RUNS),
        "passwords followed (one vault-encrypted, one plain)": 2,
        "transport cases (each through win_sync_jobs and win_sync_task)": len(TRANSPORTS),
        "of them refused": sum(not sent for *_rest, sent in TRANSPORTS),
        "run-as accounts whose script ACL is checked": len(ACL_PRINCIPALS),
        "owner cases (a user owner keeps the keys unless OWNER RIGHTS limits it)": len(OWNER_CASES),
        "hostile task files (two with entities)": len(HOSTILE_TASKS),
        "task files that are no regular file (a FIFO)": len(NON_REGULAR_TASKS),
        "folders never written nor locked down (system folders, drive roots, aliases)": len(NEVER_OWNED),
        "fields of a real export holding a template, adopt to drift (playbook runs)": len(TEMPLATED_FIELDS),
        "host texts through the adopted YAML, Ansible's loader and templar": len(HOST_TEXTS),
        "results holding host text re-fed into a template": len(TEMPLAR_PATHS),
        "control characters tried": len(CONTROL_CHARACTERS),
        "outputs checked for a raw control character": len(CONTROL_OUTPUTS),
        "unquoted passwords YAML reads as numbers or booleans": len(UNQUOTED_PASSWORDS),
        "links planted (job folder, a folder above, the Tasks folder)": len(PLANTED_LINKS),
        "execution path cases (what a SYSTEM task runs, planted)": len(EXECUTION_CASES),
        "bare name and variable cases (as a job and as a hand-made task)": len(SEARCH_CASES),
        "of them unresolved and said so": sum(bool(case[5]) for case in SEARCH_CASES),
        "outputs showing a hand-made task's escalation path": len(REPORTED_OUTPUTS),
        "prune cases across owners (one deletes)": len(PRUNE_OWNERS),
    }


def job_kinds() -> Counter[str]:
    return Counter(case["kind"] for case in bad_jobs())


def ops_playbooks() -> list[str]:
    return sorted(path.name for path in PLAYBOOKS.glob("*.yml") if path.name not in NOT_OPS_PLAYBOOKS)
