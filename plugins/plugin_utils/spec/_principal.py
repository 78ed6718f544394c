# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``principal`` of a task spec: which account runs the task and how it logs on.

Private to :mod:`spec`. The password is read here but never enters the model or a message.
"""

from __future__ import annotations

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.accounts import is_service_account, is_sid
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import LogonType, Principal, RunLevel
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import account_problem
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import keys_at
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import Section, describe

__all__ = ["PRINCIPAL_KEYS", "default_logon_type", "gmsa_logon_problem", "gmsa_password_problem", "principal_spec", "read_principal"]

PRINCIPAL_KEYS = keys_at("principal")
_LOGON_TYPES = tuple(item.value for item in LogonType)
_RUN_LEVELS = tuple(item.value for item in RunLevel)
# The XML's own words are accepted too (RunLevel LeastPrivilege / HighestAvailable).
_RUN_LEVEL_ALIASES = {"leastprivilege": RunLevel.LIMITED.value, "highestavailable": RunLevel.HIGHEST.value}
_STORES_PASSWORD = (LogonType.PASSWORD, LogonType.INTERACTIVE_TOKEN_OR_PASSWORD)
_WHY_NO_PASSWORD = {
    LogonType.S4U: "logon_type s4u runs without a stored password (remove it, or use logon_type password)",
    LogonType.SERVICE_ACCOUNT: "service accounts (SYSTEM, LOCAL SERVICE, NETWORK SERVICE) have no password; remove it",
    LogonType.GROUP: "a group principal has no password; remove it",
    LogonType.INTERACTIVE_TOKEN: (
        "logon_type interactive_token runs only while the user is logged on; set logon_type: password to run whether the user is logged on or not"
    ),
}


def default_logon_type(user: str | None, group: str | None) -> LogonType | None:
    """The logon type a spec gets when it names none; ``None``: no account named either, or a
    user given by a SID, which does not say whether it is a gMSA: the plan settles that one from
    the host's read (a gMSA logs on with a password Windows fetches, any other account with its
    interactive token, as for a name)."""
    if group is not None:
        return LogonType.GROUP
    if user is None:
        return None
    if is_service_account(user):
        return LogonType.SERVICE_ACCOUNT
    if Principal(user_id=user).is_gmsa:
        return LogonType.PASSWORD
    if is_sid(user):
        return None
    return LogonType.INTERACTIVE_TOKEN


def gmsa_logon_problem(given: str, account: str) -> str:
    """Why a logon type other than ``password`` is refused for the gMSA ``account`` (described)."""
    return (
        f"{given} does not apply to the group managed service account {account}: a gMSA runs with "
        "logon_type password and no password (Windows fetches it from Active Directory)"
    )


def gmsa_password_problem(account: str) -> str:
    """Why a password is refused for the gMSA ``account`` (described), never quoting it."""
    return f"cannot be used for {account}: a group managed service account has no password to give (Windows fetches it from Active Directory); remove it"


def read_principal(section: Section | None) -> tuple[Principal, str | None]:
    """The principal and the password given with it (kept out of the model)."""
    if section is None:
        return Principal(), None
    user = _read_account(section, "user")
    group = _read_account(section, "group")
    if user is not None and group is not None:
        section.problem("group", "cannot be combined with principal.user: a task runs as one user or as any member of one group")
    given_logon_type = section.choice("logon_type", _LOGON_TYPES, None)
    run_level = section.choice("run_level", _RUN_LEVELS, RunLevel.LIMITED.value, _RUN_LEVEL_ALIASES)
    password = section.secret("password")
    principal = Principal(
        user_id=user,
        group_id=group,
        logon_type=LogonType(given_logon_type) if given_logon_type else default_logon_type(user, group),
        run_level=RunLevel(run_level),
        display_name=section.text("display_name", None),
    )
    if given_logon_type is not None:
        _check_logon_type(section, principal)
    if section.has("password"):
        _check_password(section, principal)
    return principal, password


def _read_account(section: Section, key: str) -> str | None:
    account = section.text(key, None, non_empty=True)
    if account is not None:
        problem = account_problem(account)
        if problem:
            section.problem(key, problem)
    return account


def _check_logon_type(section: Section, principal: Principal) -> None:
    logon_type, user = principal.logon_type, principal.user_id
    given = describe(section.raw("logon_type"))
    service_account = user is not None and is_service_account(user)
    if logon_type is LogonType.SERVICE_ACCOUNT and not service_account:
        who = f"principal.user is {describe(user)}" if user else "no principal.user is given"
        section.problem(
            "logon_type",
            f"{given} is only for SYSTEM, LOCAL SERVICE and NETWORK SERVICE (S-1-5-18, S-1-5-19, S-1-5-20), but {who}; other accounts use password or s4u",
        )
    elif logon_type is LogonType.GROUP and principal.group_id is None:
        section.problem("logon_type", f"{given} needs principal.group (e.g. group: 'BUILTIN\\Users')")
    elif principal.group_id is not None and logon_type is not LogonType.GROUP:
        section.problem("logon_type", f"{given} cannot be used with principal.group: a group principal runs with logon_type group")
    elif service_account and logon_type in (*_STORES_PASSWORD, LogonType.S4U):
        section.problem(
            "logon_type",
            f"{given} does not apply to {describe(user)}: service accounts have no password; use service_account (the default for them)",
        )
    elif principal.is_gmsa and logon_type is not LogonType.PASSWORD:
        section.problem("logon_type", gmsa_logon_problem(given, describe(user)))


def _check_password(section: Section, principal: Principal) -> None:
    """Refuse a password where Windows would not use it; never quote the password itself."""
    logon_type = principal.logon_type
    if principal.is_gmsa:
        section.problem("password", gmsa_password_problem(describe(principal.user_id)))
        return
    if logon_type in _STORES_PASSWORD:
        return
    if logon_type is None:
        reason = "a password is only stored with logon_type password (run whether the user is logged on or not)"
    else:
        reason = _WHY_NO_PASSWORD[logon_type]
    section.problem("password", f"cannot be used: {reason}")


def principal_spec(principal: Principal) -> dict[str, object]:
    """The canonical spec of a principal: only what differs from what the spec would default to."""
    spec: dict[str, object] = {}
    if principal.user_id is not None:
        spec["user"] = principal.user_id
    if principal.group_id is not None:
        spec["group"] = principal.group_id
    default = default_logon_type(principal.user_id, principal.group_id)
    if principal.logon_type is not None and principal.logon_type is not default:
        spec["logon_type"] = principal.logon_type.value
    if principal.run_level is not RunLevel.LIMITED:
        spec["run_level"] = principal.run_level.value
    if principal.display_name is not None:
        spec["display_name"] = principal.display_name
    return spec
