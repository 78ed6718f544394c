# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The password never shows: not in a TaskSpec's repr, not in the definition, not in an error."""

from __future__ import annotations

import pickle

import pytest

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError, parse_spec, spec_from_definition

SECRET = "Sup3r-S3cret!"
CMD = "C:\\Windows\\System32\\cmd.exe"


def task(**options: object) -> dict[str, object]:
    return {"name": "Synchro Stock", "actions": [{"command": CMD}], **options}


def test_task_spec_keeps_the_password_apart_and_out_of_its_repr() -> None:
    spec = parse_spec(task(principal={"user": "svc_sync", "logon_type": "password", "password": SECRET}))
    assert spec.password == SECRET
    assert SECRET not in repr(spec)
    assert SECRET not in str(spec)
    assert SECRET not in repr(spec.definition)
    assert SECRET not in repr(spec_from_definition(spec.definition))


@pytest.mark.parametrize(
    "options",
    [
        {"principal": {"user": "svc_sync", "logon_type": "s4u", "password": SECRET}},
        {"principal": {"user": "SYSTEM", "password": SECRET}},
        {"principal": {"user": "NT AUTHORITY\\NETWORK SERVICE", "logon_type": "password", "password": SECRET}},
        {"principal": {"group": "BUILTIN\\Users", "password": SECRET}},
        {"principal": {"user": "ISOTOOLS\\gmsa_sync$", "password": SECRET}},
        {"principal": {"user": "svc_sync", "password": SECRET}},
        {"principal": {"password": SECRET}},
        {"principal": {"user": "svc_sync", "logon_type": "password", "password": [SECRET]}},
        {"principal": {"user": "svc_sync", "logon_type": "password", "password": {"value": SECRET}}},
        {"principal": {"user": "svc_sync", "logon_type": "password", "pasword": SECRET}},
        {"principal": {"user": "svc_sync", "logon_type": "passwrd", "password": SECRET}},
        {"password": SECRET},
        {"principal": {"user": "svc_sync", "logon_type": "password", "password": SECRET}, "settings": {"priority": 11}},
        {"principal": {"user": "svc/sync", "logon_type": "password", "password": SECRET}},
    ],
    ids=[
        "s4u",
        "system",
        "network-service-password-logon",
        "group",
        "gmsa",
        "interactive-default",
        "no-account",
        "password-in-a-list",
        "password-in-a-mapping",
        "misspelt-key",
        "misspelt-logon-type",
        "top-level",
        "unrelated-error",
        "bad-user",
    ],
)
def test_spec_error_never_echoes_the_password(options: dict[str, object]) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(task(**options))
    error = caught.value
    shown = [str(error), repr(error), repr(error.args), error.task, error.field]
    shown += [text for problem in error.problems for text in (str(problem), repr(problem))]
    assert all(SECRET not in text for text in shown), shown
    assert SECRET.encode() not in pickle.dumps(error)
