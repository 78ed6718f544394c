# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every problem at once, in the user's words: the variable the inventory wrote, every field."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.isotools.shop_sync.plugins.filter.sync_jobs import sync_job_problems, to_sync_jobs

ROOT = "D:\\Isotools\\Synchro_prod"
JOB = {"name": "Synchro Stock", "schedule": [{"daily": "02:00"}]}
KNOWN = ["shop_sync_jobs", "shop_sync_root", "shop_sync_folder", "shop_sync_log_keep"]


def problems(job: dict[str, object], **defaults: object) -> list[str]:
    return sync_job_problems([job], host="shop01", defaults={"root": ROOT, **defaults})


def test_a_job_level_problem_does_not_hide_the_task_level_ones() -> None:
    assert problems({**JOB, "bogus_key": 1, "settings": {"priority": 11}}) == [
        "host 'shop01', job 'Synchro Stock': bogus_key is not a known option",
        "host 'shop01', job 'Synchro Stock': settings.priority 11 must be between 0 and 10",
    ]


def test_a_value_from_a_role_default_is_named_by_its_variable() -> None:
    assert problems(JOB, account="bad/acc") == [
        "host 'shop01', job 'Synchro Stock': shop_sync_default_account 'bad/acc' must not contain / (not allowed in account names)"
    ]
    assert problems(JOB, settings={"priority": 12}) == ["host 'shop01', job 'Synchro Stock': shop_sync_default_settings.priority 12 must be between 0 and 10"]
    # Blank rather than '': the role passes "no default password" as '' on cores before 2.19.
    assert problems({**JOB, "account": "svc_sync"}, password="  ") == ["host 'shop01', job 'Synchro Stock': shop_sync_default_password must not be empty"]


def test_the_job_own_value_is_named_by_the_job_field() -> None:
    assert problems({**JOB, "account": "bad/acc", "settings": {"priority": 12}}, settings={"priority": 3}) == [
        "host 'shop01', job 'Synchro Stock': account 'bad/acc' must not contain / (not allowed in account names)",
        "host 'shop01', job 'Synchro Stock': settings.priority 12 must be between 0 and 10",
    ]


def test_a_misspelt_variable_is_named_with_the_likely_one_and_no_jobs_is_said() -> None:
    found = sync_job_problems([], host="shop01", defaults={"root": ROOT}, variables=["shop_sync_job", "shop_sync_root"], known=KNOWN)
    assert found == [
        "host 'shop01': shop_sync_job is not a variable of the role: did you mean shop_sync_jobs?",
        "host 'shop01': shop_sync_jobs is not set, so no job is declared: list the host's jobs (shop_sync_jobs: [] for none)",
    ]


def test_the_translation_fails_on_the_misspelt_variable_the_problems_name() -> None:
    # The role's check is the translation (one call per host): what sync_job_problems lists, the
    # translation refuses, in the same words.
    variables = ["shop_sync_jobs", "shop_sync_job", "shop_sync_root"]
    [expected] = sync_job_problems([JOB], host="shop01", defaults={"root": ROOT}, variables=variables, known=KNOWN)
    with pytest.raises(AnsibleFilterError) as raised:
        to_sync_jobs([JOB], host="shop01", defaults={"root": ROOT}, variables=variables, known=KNOWN)
    assert str(raised.value) == f"1 problem in the sync jobs:\n{expected}"
    assert to_sync_jobs([JOB], host="shop01", defaults={"root": ROOT}, variables=["shop_sync_jobs"], known=KNOWN)[0]["name"] == "Synchro Stock"


def test_a_helper_variable_of_the_inventory_is_its_own_business() -> None:
    given = ["shop_sync_jobs", "shop_sync_common_jobs", "shop_sync_extra_jobs"]
    assert sync_job_problems([JOB], host="shop01", defaults={"root": ROOT}, variables=given, known=KNOWN) == []


def test_a_bad_folder_and_script_name_variable_are_named() -> None:
    assert problems(JOB, folder="Isotools/Prod", script_name="a:b.bat") == [
        "host 'shop01': shop_sync_folder 'Isotools/Prod' uses /; Task Scheduler folders are separated by \\ (write '\\Isotools\\Prod')",
        "host 'shop01': shop_sync_script_name 'a:b.bat' must be a file name in the job's working_directory, without \\ / : * ? \" < > |",
    ]
