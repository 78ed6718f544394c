# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's filters: inventory jobs in plain words -> win_sync_jobs jobs, and adoption back."""

from __future__ import annotations

from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import (
    FilterModule,
    sync_job_problems,
    to_inventory_jobs,
    to_sync_jobs,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.compare import change_lines, compare_definitions
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import parse_spec, spec_from_definition

ROOT = "D:\\Isotools\\Synchro_prod\\shop01"
# The production inventory of examples/, with its own script template.
INVENTORY = Path(__file__).resolve().parents[4] / "examples" / "production"
DEFAULTS = {"root": ROOT, "default_template": "/roles/sync_jobs/templates/synchro.bat.j2", "template_dir": str(INVENTORY)}


def translate(jobs: list[dict[str, object]], **defaults: object) -> list[dict[str, object]]:
    return to_sync_jobs(jobs, host="shop01", defaults={**DEFAULTS, **defaults})


def only_task(job: dict[str, object], **defaults: object) -> dict[str, object]:
    task = translate([{"name": "Synchro Stock", **job}], **defaults)[0]["task"]
    assert isinstance(task, dict)
    return task


@pytest.mark.parametrize(
    ("schedule", "triggers"),
    [
        pytest.param(
            [{"every": "15m", "from": "06:00", "until": "22:00"}],
            [{"type": "daily", "start_boundary": "2020-01-01T06:00:00", "repetition": {"interval": "PT15M", "duration": "PT16H"}}],
            id="every 15 minutes from 06:00 until 22:00",
        ),
        pytest.param(
            [{"every": "PT1H", "for": "8h", "days": ["mon", "friday"]}],
            [
                {
                    "type": "weekly",
                    "start_boundary": "2020-01-01T00:00:00",
                    "days_of_week": ["monday", "friday"],
                    "repetition": {"interval": "PT1H", "duration": "PT8H"},
                }
            ],
            id="every hour for 8 hours on some weekdays",
        ),
        pytest.param(
            [{"every": "5m"}],
            [{"type": "daily", "start_boundary": "2020-01-01T00:00:00", "repetition": {"interval": "PT5M"}}],
            id="every 5 minutes indefinitely",
        ),
        pytest.param([{"daily": "02:00"}], [{"type": "daily", "start_boundary": "2020-01-01T02:00:00"}], id="daily"),
        pytest.param(
            [{"daily": ["02:00", "14:30"]}],
            [{"type": "daily", "start_boundary": "2020-01-01T02:00:00"}, {"type": "daily", "start_boundary": "2020-01-01T14:30:00"}],
            id="daily at two times",
        ),
        pytest.param(
            [{"daily": "2012-03-01 06:00", "enabled": False, "random_delay": "10m"}],
            [{"type": "daily", "start_boundary": "2012-03-01T06:00:00", "enabled": False, "random_delay": "PT10M"}],
            id="daily from a date, disabled, random delay",
        ),
        pytest.param(
            [{"weekly": {"days": ["fri", "mon"], "at": "02:00"}}],
            [{"type": "weekly", "start_boundary": "2020-01-01T02:00:00", "days_of_week": ["monday", "friday"]}],
            id="weekly",
        ),
        pytest.param(
            [{"monthly": {"days": [15, "last", 1], "at": "03:00", "months": ["jul", "january"]}}],
            [{"type": "monthly", "start_boundary": "2020-01-01T03:00:00", "days_of_month": [1, 15, "last"], "months": ["january", "july"]}],
            id="monthly",
        ),
        pytest.param([{"at_boot": True, "delay": "2m"}], [{"type": "boot", "delay": "PT2M"}], id="at boot"),
        pytest.param([{"once": "2026-12-01 06:00"}], [{"type": "once", "start_boundary": "2026-12-01T06:00:00"}], id="once"),
    ],
)
def test_plain_word_schedules_become_triggers(schedule: list[dict[str, object]], triggers: list[dict[str, object]]) -> None:
    assert only_task({"schedule": schedule})["triggers"] == triggers


def test_raw_triggers_follow_the_schedule() -> None:
    task = only_task({"schedule": [{"daily": "02:00"}], "triggers": [{"type": "logon", "user": "svc_sync"}]})
    assert task["triggers"] == [{"type": "daily", "start_boundary": "2020-01-01T02:00:00"}, {"type": "logon", "user": "svc_sync"}]


def test_a_job_of_a_name_and_a_sync_command_gets_the_seed_procedure_defaults() -> None:
    [job] = translate([{"name": "Synchro Stock", "sync_command": "IsoSync.exe /profile stock"}])
    folder = f"{ROOT}\\Synchro Stock"
    assert job["working_directory"] == folder
    assert job["task"] == {
        "actions": [{"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/c synchro.bat", "working_directory": folder}],
        "principal": {"user": "SYSTEM"},
    }
    assert job["script"] == {
        "name": "synchro.bat",
        "template": DEFAULTS["default_template"],
        "vars": {
            "job_name": "Synchro Stock",
            "working_directory": folder,
            "script_name": "synchro.bat",
            "log_stem": "synchro",
            "log_keep": 10,
            "log_max_kb": 1024,
            "sync_command": "IsoSync.exe /profile stock",
        },
    }


def test_the_seed_command_line_is_kept_as_written() -> None:
    task = only_task({"arguments": "/k synchro.bat & exit"})
    assert task["actions"] == [
        {"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/k synchro.bat & exit", "working_directory": f"{ROOT}\\Synchro Stock"}
    ]


def test_another_program_gets_no_default_arguments() -> None:
    task = only_task({"command": "D:\\Isotools\\bin\\IsoSync.exe", "working_directory": "E:\\Sync\\stock"})
    assert task["actions"] == [{"command": "D:\\Isotools\\bin\\IsoSync.exe", "working_directory": "E:\\Sync\\stock"}]


@pytest.mark.parametrize(
    ("job", "defaults", "principal"),
    [
        pytest.param({}, {}, {"user": "SYSTEM"}, id="SYSTEM by default, its service logon left to Windows"),
        pytest.param(
            {"account": "SHOP01\\svc_sync"},
            {"password": "from-the-vault"},
            {"user": "SHOP01\\svc_sync", "logon_type": "password", "password": "from-the-vault"},
            id="a named account runs logged off with its stored password (the seed's test 3)",
        ),
        pytest.param(
            {"account": "svc_sync", "logon_type": "s4u"},
            {"password": "from-the-vault"},
            {"user": "svc_sync", "logon_type": "s4u"},
            id="s4u gets no default password",
        ),
        pytest.param({"account": "CONTOSO\\gmsa_sync$"}, {"password": "x"}, {"user": "CONTOSO\\gmsa_sync$"}, id="gMSA: Windows' own logon, no password"),
        pytest.param({"account": "BUILTIN\\Users", "logon_type": "group"}, {}, {"group": "BUILTIN\\Users"}, id="group"),
        pytest.param({"run_level": "highest"}, {"run_level": "limited"}, {"user": "SYSTEM", "run_level": "highest"}, id="run level"),
        pytest.param({}, {"account": "svc_sync", "logon_type": "s4u"}, {"user": "svc_sync", "logon_type": "s4u"}, id="role defaults"),
    ],
)
def test_account_and_logon_defaults(job: dict[str, object], defaults: dict[str, object], principal: dict[str, object]) -> None:
    assert only_task(job, **defaults)["principal"] == principal


def test_settings_merge_over_the_defaults_and_enabled_is_a_shortcut() -> None:
    task = only_task(
        {"settings": {"execution_time_limit": "30m"}, "enabled": False},
        settings={"start_when_available": True, "execution_time_limit": "2h"},
    )
    assert task["settings"] == {"start_when_available": True, "execution_time_limit": "30m", "enabled": False}


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param({"content": "@echo off\r\nexit /b 0\r\n"}, {"name": "synchro.bat", "content": "@echo off\r\nexit /b 0\r\n"}, id="content"),
        pytest.param(
            {"template": "templates/synchro_images.bat.j2", "name": "images.bat", "vars": {"share": "\\\\erp\\img"}},
            {
                "name": "images.bat",
                "template": f"{INVENTORY}/templates/synchro_images.bat.j2",
                "vars": {
                    "job_name": "Synchro Stock",
                    "working_directory": f"{ROOT}\\Synchro Stock",
                    "script_name": "images.bat",
                    "log_stem": "images",
                    "log_keep": 10,
                    "log_max_kb": 1024,
                    "share": "\\\\erp\\img",
                },
            },
            id="a template of the inventory repository",
        ),
    ],
)
def test_scripts(script: dict[str, object], expected: dict[str, object]) -> None:
    [job] = translate([{"name": "Synchro Stock", "script": script}])
    assert job["script"] == expected


def test_a_relative_template_dir_is_taken_from_where_the_playbook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # AWX runs the playbook in the project's checkout: shop_sync_template_dir: production is
    # <project>/production there, not a folder of the role or of the collection's playbooks.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "production" / "templates").mkdir(parents=True)
    (tmp_path / "production" / "templates" / "images.bat.j2").write_text("@echo off\n", encoding="utf-8")
    [job] = translate([{"name": "Synchro Stock", "script": {"template": "templates/images.bat.j2"}}], template_dir="production")
    assert job["script"]["template"] == f"{tmp_path}/production/templates/images.bat.j2"  # type: ignore[index]


def test_a_missing_template_is_refused_naming_the_host_the_job_the_variable_and_where_it_was_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    jobs = [
        {"name": "Synchro Stock", "script": {"template": "templates/stock.bat.j2"}},
        {"name": "Synchro Prix", "script": {"template": "/nowhere/prix.bat.j2"}},
        {"name": "Synchro Images", "script": {"template": "templates/synchro_images.bat.j2"}},
    ]
    assert sync_job_problems(jobs, host="shop01", defaults={**DEFAULTS, "template_dir": "production"}) == [
        f"host 'shop01', job 'Synchro Stock': script.template 'templates/stock.bat.j2' was not found: looked for "
        f"'{tmp_path}/production/templates/stock.bat.j2' (a relative template is looked up in shop_sync_template_dir)",
        "host 'shop01', job 'Synchro Prix': script.template '/nowhere/prix.bat.j2' was not found",
        f"host 'shop01', job 'Synchro Images': script.template 'templates/synchro_images.bat.j2' was not found: looked for "
        f"'{tmp_path}/production/templates/synchro_images.bat.j2' (a relative template is looked up in shop_sync_template_dir)",
    ]
    # Where the template is, the same jobs translate; the check and the translation agree.
    assert sync_job_problems(jobs[2:], host="shop01", defaults=DEFAULTS) == []
    with pytest.raises(AnsibleFilterError) as raised:
        translate(jobs[:1])
    assert "job 'Synchro Stock': script.template 'templates/stock.bat.j2' was not found" in str(raised.value)


def test_a_job_without_script_or_sync_command_keeps_the_hosts_script() -> None:
    [job] = translate([{"name": "Synchro Stock"}])
    assert "script" not in job
    assert job["task"]["actions"][0]["arguments"] == "/c synchro.bat"  # type: ignore[index]


def test_an_absent_job_needs_only_its_name() -> None:
    assert translate([{"name": "Old sync", "state": "absent"}]) == [{"name": "Old sync", "state": "absent", "working_directory": f"{ROOT}\\Old sync"}]


def test_every_translated_task_is_a_valid_task_spec() -> None:
    jobs = [
        {"name": "A", "sync_command": "a.exe", "schedule": [{"every": "15m", "from": "06:00", "until": "22:00"}, {"at_boot": True}]},
        {"name": "B", "account": "svc", "password": "p", "schedule": [{"monthly": {"days": [1, "last"], "at": "03:00"}}]},
        {"name": "C", "arguments": "/k synchro.bat & exit", "schedule": [{"weekly": {"days": ["sun"]}}], "enabled": False},
    ]
    for job in translate(jobs):
        parse_spec({**job["task"], "name": job["name"]})  # type: ignore[dict-item]


# Bad inventories: every problem names the host, the job and the field, all at once. ---------------

BAD_JOBS = [
    pytest.param({"name": "A", "schedul": []}, "job 'A': schedul is not a known option (did you mean schedule?)", id="unknown job key"),
    pytest.param({"schedule": []}, "job shop_sync_jobs[0] (no name): name is required", id="no name"),
    pytest.param({"name": "A", "schedule": [{"daily": "25:00"}]}, "job 'A': schedule[0].daily '25:00' is not a time of day", id="bad time"),
    pytest.param(
        {"name": "A", "schedule": [{"every": "15m", "until": 1320}]},
        "job 'A': schedule[0].until got the number 1320: YAML reads an unquoted 22:00 as a base-60 number",
        id="unquoted time read as a number",
    ),
    pytest.param({"name": "A", "schedule": [{"daily": []}]}, "job 'A': schedule[0].daily must give at least one time of day", id="daily without time"),
    pytest.param({"name": "A", "schedule": [{"every": 15}]}, "job 'A': schedule[0].every 15 is a bare number", id="bare number duration"),
    pytest.param(
        {"name": "A", "schedule": [{"every": "15m", "from": "22:00", "until": "06:00"}]},
        "job 'A': schedule[0].until '06:00' must be later in the day than from (22:00)",
        id="until before from",
    ),
    pytest.param({"name": "A", "schedule": [{"daily": "02:00", "every": "5m"}]}, "job 'A': schedule[0] must say when with exactly one of", id="two kinds"),
    pytest.param({"name": "A", "schedule": [{"at": "02:00"}]}, "job 'A': schedule[0] must say when with exactly one of", id="no kind"),
    pytest.param({"name": "A", "schedule": {"daily": "02:00"}}, "job 'A': schedule must be a list of entries", id="schedule not a list"),
    pytest.param(
        {"name": "A", "schedule": [{"weekly": {"days": ["mon"], "hour": "02:00"}}]},
        "job 'A': schedule[0].weekly.hour is not a known option",
        id="unknown weekly key",
    ),
    pytest.param({"name": "A", "schedule": [{"weekly": {"days": ["moon"]}}]}, "job 'A': schedule[0].weekly.days[0] 'moon' is not one of", id="bad weekday"),
    pytest.param(
        {"name": "A", "schedule": [{"monthly": {"days": [32]}}]}, "job 'A': schedule[0].monthly.days[0] 32 is not a day of the month", id="bad month day"
    ),
    pytest.param({"name": "A", "schedule": [{"once": "06:00"}]}, "job 'A': schedule[0].once '06:00' must be a date and time", id="once without date"),
    pytest.param(
        {"name": "A", "working_directory": "Isotools\\x"}, "job 'A': working_directory 'Isotools\\x' must be an absolute folder", id="relative directory"
    ),
    pytest.param(
        {"name": "A", "working_directory": "\\\\srv\\share\\x"},
        "job 'A': working_directory '\\\\srv\\share\\x' must be on a drive of the host",
        id="UNC directory",
    ),
    pytest.param({"name": "A", "working_directory": "D:/Isotools/x"}, "job 'A': working_directory 'D:/Isotools/x' uses /", id="slashes"),
    pytest.param({"name": "A/B"}, "job 'A/B': name 'A/B' must not contain /", id="bad task name"),
    pytest.param({"name": "A", "logon_type": "passwrd"}, "job 'A': logon_type 'passwrd' is not one of", id="bad logon type"),
    pytest.param({"name": "A", "state": "gone"}, "job 'A': state 'gone' is not one of present, absent", id="bad state"),
    pytest.param(
        {"name": "A", "account": "svc", "logon_type": "s4u", "password": "secret-value"},
        "job 'A': password cannot be used",
        id="password for s4u (checked by the task spec)",
    ),
    pytest.param({"name": "A", "settings": {"priorty": 5}}, "job 'A': settings.priorty is not a known option (did you mean priority?)", id="unknown setting"),
    pytest.param({"name": "A", "triggers": [{"type": "daily", "at": "24:00"}]}, "job 'A': triggers[0].at '24:00' is not a time of day", id="bad raw trigger"),
    pytest.param({"name": "A", "script": {"content": "x", "template": "y.j2"}}, "job 'A': script.content cannot be given with", id="content and template"),
    pytest.param(
        {"name": "A", "script": {"vars": {"a": 1}}},
        "job 'A': sync_command is required by the role's default synchro.bat",
        id="default template without command",
    ),
    pytest.param(
        {"name": "A", "script": {"content": "x"}, "sync_command": "y.exe"}, "job 'A': sync_command is only used by a templated script", id="content and command"
    ),
    pytest.param(
        {"name": "A", "actions": [{"command": "a.exe"}], "command": "b.exe"}, "job 'A': command cannot be given with actions", id="actions and command"
    ),
    pytest.param({"name": "A", "enabled": False, "settings": {"enabled": True}}, "job 'A': enabled cannot be given with settings.enabled", id="enabled twice"),
    pytest.param("Synchro Stock", "job shop_sync_jobs[0] (no name): must be a mapping", id="job not a mapping"),
]


@pytest.mark.parametrize(("job", "expected"), BAD_JOBS)
def test_a_bad_job_is_refused_naming_host_job_and_field(job: object, expected: str) -> None:
    problems = sync_job_problems([job], host="shop01", defaults=DEFAULTS)
    assert any(problem.startswith(f"host 'shop01', {expected}") for problem in problems), problems


def test_duplicate_names_are_refused_ignoring_case() -> None:
    problems = sync_job_problems([{"name": "Synchro Stock"}, {"name": "SYNCHRO STOCK"}], host="shop01", defaults=DEFAULTS)
    assert problems == ["host 'shop01', job 'SYNCHRO STOCK': name is also the name of job 'Synchro Stock' (task names are case-insensitive on Windows)"]


def test_two_jobs_writing_one_script_are_refused() -> None:
    jobs = [
        {"name": "A", "sync_command": "a.exe", "working_directory": ROOT + "\\s"},
        {"name": "B", "sync_command": "b.exe", "working_directory": ROOT.lower() + "\\S"},
    ]
    problems = sync_job_problems(jobs, host="shop01", defaults=DEFAULTS)
    assert problems == [f"host 'shop01', job 'B': working_directory '{ROOT.lower()}\\S' holds synchro.bat, which job 'A' writes too"]


def test_without_a_root_every_job_needs_its_folder() -> None:
    problems = sync_job_problems([{"name": "A"}], host="shop01", defaults={"root": ""})
    assert problems == ["host 'shop01', job 'A': working_directory is required when shop_sync_root is not set"]


@pytest.mark.parametrize(
    ("defaults", "expected"),
    [
        ({"root": "Isotools"}, "host 'shop01': shop_sync_root 'Isotools' must be an absolute folder"),
        ({"log_keep": 0}, "host 'shop01': shop_sync_log_keep 0 must be between 1 and 99"),
        ({"logon_type": "console"}, "host 'shop01': shop_sync_default_logon_type 'console' is not one of"),
    ],
)
def test_bad_role_defaults_are_refused(defaults: dict[str, object], expected: str) -> None:
    problems = sync_job_problems([], host="shop01", defaults={**DEFAULTS, **defaults})
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize(("log_keep", "log_max_kb"), [("3", "512"), (3, 512)], ids=["text (ansible-core < 2.19)", "numbers (2.19+)"])
def test_the_log_numbers_are_taken_as_the_role_templates_them_on_every_core(log_keep: object, log_max_kb: object) -> None:
    # Without native Jinja types (ansible-core 2.17, 2.18) "{{ sync_jobs_log_keep }}" is text.
    [job] = translate([{"name": "Synchro Stock", "sync_command": "IsoSync.exe"}], log_keep=log_keep, log_max_kb=log_max_kb)
    script = job["script"]
    assert isinstance(script, dict)
    assert (script["vars"]["log_keep"], script["vars"]["log_max_kb"]) == (3, 512)


@pytest.mark.parametrize(
    ("defaults", "expected"),
    [
        ({"log_keep": "ten"}, "host 'shop01': shop_sync_log_keep must be a whole number, got 'ten'"),
        ({"log_keep": 2.5}, "host 'shop01': shop_sync_log_keep must be a whole number, got 2.5"),
        ({"log_keep": True}, "host 'shop01': shop_sync_log_keep must be a whole number, got true"),
        ({"log_max_kb": "1 MB"}, "host 'shop01': shop_sync_log_max_kb must be a whole number, got '1 MB'"),
    ],
    ids=["word", "fraction", "boolean", "unit"],
)
def test_a_log_number_that_is_not_a_number_is_refused_as_written(defaults: dict[str, object], expected: str) -> None:
    # Listed with the jobs' own problems (every problem at once), and fatal to the translation.
    problems = sync_job_problems([{"name": "Synchro Stock", "settings": {"priority": 11}}], host="shop01", defaults={**DEFAULTS, **defaults})
    assert problems == [expected, "host 'shop01', job 'Synchro Stock': settings.priority 11 must be between 0 and 10"]
    # The translation fails with the same list: the role's check is the translation.
    with pytest.raises(AnsibleFilterError) as raised:
        to_sync_jobs([{"name": "Synchro Stock", "settings": {"priority": 11}}], host="shop01", defaults={**DEFAULTS, **defaults})
    assert str(raised.value) == f"2 problems in the sync jobs:\n{problems[0]}\n{problems[1]}"


def test_every_problem_of_every_job_is_listed_at_once_and_the_filter_fails() -> None:
    jobs = [{"name": "A", "schedule": [{"daily": "25:00"}], "foo": 1}, {"name": "a"}]
    with pytest.raises(AnsibleFilterError) as raised:
        to_sync_jobs(jobs, host="shop01", defaults=DEFAULTS)
    message = str(raised.value)
    assert "3 problems in the sync jobs" in message
    for part in ("job 'A': foo", "job 'A': schedule[0].daily", "job 'a': name is also"):
        assert part in message


def test_a_password_never_appears_in_a_problem() -> None:
    problems = sync_job_problems([{"name": "A", "account": "svc", "logon_type": "s4u", "password": "s3cr3t-P4ss"}], host="h", defaults=DEFAULTS)
    assert problems
    assert not any("s3cr3t" in problem for problem in problems)


def test_unknown_filter_defaults_are_refused() -> None:
    with pytest.raises(AnsibleFilterError, match="defaults has unknown keys roots"):
        to_sync_jobs([], host="h", defaults={"roots": "D:\\x"})


def test_the_filters_are_registered() -> None:
    assert set(FilterModule().filters()) == {"to_sync_jobs", "sync_job_problems", "to_inventory_jobs", "to_inventory_yaml"}


# Adoption: existing tasks -> inventory jobs that re-apply with no change. --------------------------


def info_task(spec: dict[str, object], *, owned: bool = False, folder: str = "\\Isotools") -> dict[str, object]:
    return {
        "path": f"{folder}\\{spec['name']}",
        "name": spec["name"],
        "folder": folder,
        "supported": True,
        "unsupported_reasons": [],
        "spec": spec,
        "owned": owned,
    }


ADOPTABLE_JOBS = [
    {"name": "Synchro Stock", "sync_command": "a.exe", "schedule": [{"every": "15m", "from": "06:00", "until": "22:00"}]},
    {"name": "Synchro Prix", "account": "SHOP01\\svc_sync", "password": "p", "schedule": [{"daily": "02:00"}, {"at_boot": True, "delay": "5m"}]},
    {"name": "Synchro Commandes", "account": "svc_sync", "logon_type": "s4u", "schedule": [{"every": "5m", "days": ["mon", "tue"]}]},
    {"name": "Synchro Clients", "arguments": "/k synchro.bat & exit", "schedule": [{"weekly": {"days": ["sat"], "at": "03:30"}}], "enabled": False},
    {"name": "Synchro Images", "schedule": [{"monthly": {"days": [1, "last"], "at": "04:00", "months": ["jan", "jul"]}}, {"once": "2026-12-24 18:00"}]},
    {"name": "Synchro Avis", "working_directory": "E:\\Avis", "schedule": [{"every": "2h", "from": "08:00", "for": "1d"}], "triggers": [{"type": "logon"}]},
    {"name": "Synchro Export", "settings": {"execution_time_limit": "1h", "priority": 5}, "run_level": "highest", "schedule": [{"daily": "2012-03-01 06:00"}]},
]


@pytest.mark.parametrize("job", ADOPTABLE_JOBS, ids=[str(job["name"]) for job in ADOPTABLE_JOBS])
def test_an_adopted_task_re_applies_with_no_change(job: dict[str, object]) -> None:
    [translated] = translate([job])
    original = parse_spec({**translated["task"], "name": translated["name"], "folder": "\\Isotools"}).definition  # type: ignore[dict-item]
    adopted = to_inventory_jobs([info_task(spec_from_definition(original))], root=ROOT, folder="\\Isotools")
    [again] = translate(adopted["jobs"])
    redone = parse_spec({**again["task"], "name": again["name"], "folder": "\\Isotools"}).definition  # type: ignore[dict-item]
    assert change_lines(compare_definitions(redone, original)) == []


def test_adoption_says_triggers_in_plain_words() -> None:
    [translated] = translate([ADOPTABLE_JOBS[0]])
    spec = spec_from_definition(parse_spec({**translated["task"], "name": "Synchro Stock"}).definition)  # type: ignore[dict-item]
    [job] = to_inventory_jobs([info_task(spec)], root=ROOT)["jobs"]
    assert job["schedule"] == [{"every": "15m", "from": "06:00", "until": "22:00"}]
    assert "working_directory" not in job  # it is the default one, under shop_sync_root
    assert "command" not in job  # cmd.exe /c synchro.bat, the default


def test_adoption_notes_what_to_review_and_lists_what_it_cannot_manage() -> None:
    spec = {
        "name": "Hand made",
        "folder": "\\",
        "actions": [{"command": "C:\\Windows\\System32\\cmd.exe", "arguments": "/k synchro.bat & exit"}],
        "principal": {"user": "SHOP01\\jdupont", "logon_type": "password"},
    }
    unsupported = {"path": "\\Mail", "name": "Mail", "supported": False, "unsupported_reasons": ["actions[0] is a SendEmail action"]}
    adopted = to_inventory_jobs([info_task(spec, folder="\\"), unsupported], root=ROOT, folder="\\Isotools")
    notes = adopted["notes"]["Hand made"]
    assert adopted["skipped"] == [{"path": "\\Mail", "reasons": ["actions[0] is a SendEmail action"]}]
    assert any("was in the folder \\" in note for note in notes)
    assert any("made by hand" in note for note in notes)
    assert any("no start-in folder" in note for note in notes)
    assert any("cmd.exe /k" in note for note in notes)
    assert any("password" in note and "vault" in note for note in notes)
    assert adopted["jobs"][0]["logon_type"] == "password"


def test_adoption_refuses_what_is_not_a_task_list() -> None:
    with pytest.raises(AnsibleFilterError, match="expects the tasks list"):
        to_inventory_jobs("tasks")


def test_max_age_and_the_log_of_the_role_script_reach_win_sync_jobs() -> None:
    own, inherited, unwatched = translate(
        [
            {"name": "Synchro Stock", "sync_command": "IsoSync.exe", "max_age": "90m"},
            {"name": "Synchro Prix", "sync_command": "IsoSync.exe"},
            {"name": "Synchro Images", "script": {"content": "@echo off"}},
        ],
        max_age="PT26H",
    )
    assert (own["max_age"], inherited["max_age"], unwatched["max_age"]) == ("PT1H30M", "P1DT2H", "P1DT2H")
    assert own["log"] == ROOT + "\\Synchro Stock\\synchro.log"
    assert "log" not in unwatched  # a script written as given: where it logs is not known
    assert "max_age" not in translate([{"name": "Synchro Stock", "sync_command": "IsoSync.exe"}])[0]


def test_a_bad_max_age_names_the_host_the_job_and_the_variable() -> None:
    job = {"name": "Synchro Stock", "sync_command": "IsoSync.exe", "max_age": 60}
    problems = sync_job_problems([job], host="shop01", defaults={**DEFAULTS, "max_age": "soon"})
    assert any(problem.startswith("host 'shop01': shop_sync_default_max_age 'soon' is not a duration") for problem in problems), problems
    assert any(problem.startswith("host 'shop01', job 'Synchro Stock': max_age 60 is a bare number") for problem in problems), problems


def test_a_script_marked_sensitive_stays_marked_for_win_sync_jobs() -> None:
    templated, written = translate(
        [
            {"name": "Synchro Stock", "sync_command": "IsoSync.exe", "script": {"sensitive": True}},
            {"name": "Synchro Prix", "script": {"content": "@echo off", "sensitive": True}},
        ]
    )
    assert templated["script"]["sensitive"] is True and written["script"]["sensitive"] is True  # type: ignore[index]
    assert "sensitive" not in translate([{"name": "Synchro Stock", "sync_command": "IsoSync.exe"}])[0]["script"]  # type: ignore[operator]
    problems = sync_job_problems([{"name": "Synchro Stock", "sync_command": "IsoSync.exe", "script": {"sensitive": "maybe"}}], host="shop01", defaults=DEFAULTS)
    assert any("script.sensitive" in problem for problem in problems), problems


HAND_MADE_ACTION = {"command": "C:\\Tools\\sync.exe", "arguments": "/all"}


@pytest.mark.parametrize("root", [ROOT, ""], ids=["shop_sync_root set", "no shop_sync_root"])
def test_a_task_with_no_start_in_folder_and_an_account_display_name_is_adopted_exactly(root: str) -> None:
    spec = {
        "name": "Hand made",
        "folder": "\\Isotools",
        "actions": [HAND_MADE_ACTION],
        "principal": {"user": "SYSTEM", "display_name": "Synchronisation"},
    }
    adopted = to_inventory_jobs([info_task(spec)], root=root)
    [job] = adopted["jobs"]
    assert job["actions"] == [HAND_MADE_ACTION] and job["account_display_name"] == "Synchronisation"
    assert not any("shop_sync_root" in note for note in adopted["notes"]["Hand made"])
    [again] = to_sync_jobs([job], host="shop01", defaults={**DEFAULTS, "root": root})
    assert again["working_directory"] == ""  # no folder is made for it
    redone = parse_spec({**again["task"], "name": "Hand made", "folder": "\\Isotools"}).definition  # type: ignore[dict-item]
    assert change_lines(compare_definitions(redone, parse_spec(spec).definition)) == []


def test_a_job_with_its_own_actions_keeps_its_folder_when_it_has_a_script_or_an_action_starts_in_one() -> None:
    with_script = translate([{"name": "A", "actions": [HAND_MADE_ACTION], "script": {"content": "x"}}])
    started = translate([{"name": "B", "actions": [{**HAND_MADE_ACTION, "working_directory": "E:\\B"}]}])
    assert with_script[0]["working_directory"] == f"{ROOT}\\A" and started[0]["working_directory"] == f"{ROOT}\\B"


@pytest.mark.parametrize("root", [ROOT, ""], ids=["shop_sync_root set", "no shop_sync_root"])
@pytest.mark.parametrize("start_in", ["%TEMP%", "%appdata%\\..\\Local\\Tool"])
def test_a_task_starting_in_a_folder_no_job_may_own_is_adopted_as_its_actions_with_no_folder(root: str, start_in: str) -> None:
    # A job's folder is one the collection writes and locks down: %TEMP% stays refused as one.
    # The task is kept as its action, starting where it starts, and the job gets no folder.
    action = {**HAND_MADE_ACTION, "working_directory": start_in}
    spec = {"name": "Hand made", "folder": "\\Isotools", "actions": [action], "principal": {"user": "SYSTEM"}}
    adopted = to_inventory_jobs([info_task(spec)], root=root)
    assert adopted["skipped"] == []
    [job] = adopted["jobs"]
    assert job["actions"] == [action] and "working_directory" not in job
    notes = adopted["notes"]["Hand made"]
    assert any(f"starts in '{start_in}'" in note and "kept as actions" in note for note in notes), notes
    assert not any("shop_sync_root" in note for note in notes)
    [again] = to_sync_jobs([job], host="shop01", defaults={**DEFAULTS, "root": root})
    assert again["working_directory"] == ""  # nothing is created nor locked down for it
    redone = parse_spec({**again["task"], "name": "Hand made", "folder": "\\Isotools"}).definition  # type: ignore[dict-item]
    assert change_lines(compare_definitions(redone, parse_spec(spec).definition)) == []
    # Said by the user as a job's folder, it is still refused.
    problems = sync_job_problems([{"name": "Hand made", "working_directory": start_in, "sync_command": "x"}], host="shop01", defaults=DEFAULTS)
    assert problems and all("working_directory" in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("start_in", "why"),
    [
        ("[PATH]", "must be an absolute folder"),
        ('"C:\\Program Files (x86)\\Tool"', "must not be quoted: Task Scheduler uses the folder as written"),
    ],
    ids=["placeholder", "quoted"],
)
def test_a_task_starting_in_no_folder_windows_can_start_in_is_left_out_naming_its_start_in_folder(start_in: str, why: str) -> None:
    action = {**HAND_MADE_ACTION, "working_directory": start_in}
    spec = {"name": "Hand made", "folder": "\\Isotools", "actions": [action], "principal": {"user": "SYSTEM"}}
    adopted = to_inventory_jobs([info_task(spec)], root=ROOT)
    assert adopted["jobs"] == []
    [skipped] = adopted["skipped"]
    assert [reason.startswith(f"actions[0].working_directory '{start_in}' {why}") for reason in skipped["reasons"]] == [True], skipped


def test_a_task_that_names_no_account_is_not_adopted_and_says_why() -> None:
    spec = {"name": "Nobody", "folder": "\\Isotools", "actions": [HAND_MADE_ACTION], "principal": {"logon_type": "s4u"}}
    adopted = to_inventory_jobs([info_task(spec)], root=ROOT)
    assert adopted["jobs"] == []
    [skipped] = adopted["skipped"]
    assert skipped["path"] == "\\Isotools\\Nobody" and "names no account" in skipped["reasons"][0]


@pytest.mark.parametrize("no_password", [None, ""], ids=["None (ansible-core 2.19+)", "'' (ansible-core < 2.19, no native types)"])
def test_no_default_password_gives_a_password_logon_none_on_every_core(no_password: object) -> None:
    job = {"name": "Adopted", "account": "SHOP01\\svc_sync", "logon_type": "password", "actions": [HAND_MADE_ACTION]}
    assert sync_job_problems([job], host="shop01", defaults={**DEFAULTS, "password": no_password}) == []
    [translated] = translate([job], password=no_password)
    assert translated["task"]["principal"] == {"user": "SHOP01\\svc_sync", "logon_type": "password"}  # type: ignore[index]
