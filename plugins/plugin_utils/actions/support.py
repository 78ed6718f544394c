# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``run()`` skeleton the shop_sync actions that talk to a host share.

:class:`HostAction` is that ``run()`` once: Ansible's own checks, the arguments validated
against the action's ``ARGUMENT_SPEC``, and the action's :meth:`HostAction.act` run guarded;
an action says only its spec, its empty result and what it does with the :class:`ActionCall`
(its arguments, its host, its trace). Every action builds its result in one dict that already has its full shape (so ``register``
needs no guards), fills it step by step, and lets :func:`run_guarded` turn whatever goes wrong
into that same result. It is the one place where exceptions become results:

- :class:`HostUnreachable`, Ansible's ``AnsibleConnectionFailure`` or a ``ConnectionError``:
  ``unreachable: true``;
- input and planning errors (``SpecError``, ``PlanError``, ``TaskXmlError``,
  ``AnsibleActionFail``) and a host that could not serve a request (``HostError``,
  ``HostFailure``, ``ContractError``): ``failed: true`` and ``msg`` naming the problem;
- anything else: ``failed: true``, ``msg`` with the exception text, ``exception`` the traceback.

Whatever happens, every string of the result is scrubbed of the passwords found in the task
arguments before it leaves the action, what Ansible prints as it is (``msg``, ``warnings``, the
``diff`` texts, the -vvv traces) has its control characters shown escaped (``\\x1b``), and the result is handed back :func:`inert`: it holds text
read from the host (task names, descriptions, arguments), which must never become a template.
A failure's ``msg`` is also shown once as it is, where Ansible shows it only as JSON (its two
backslashes for one of a Windows path cannot be copied back): :func:`run_guarded`.
"""

from __future__ import annotations

import importlib.util
import os
import traceback
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ansible import constants as C
from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.inert import inert
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.actions.select import controller_path, host_for, host_label
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.contract import ContractError, HostFailure
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.errors import HostError, HostUnreachable
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.port import HostCaller
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.jobs.desired import ScriptTemplateError, TemplateRender
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan import PlanError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec import SpecError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import normalise_folder
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import printable, quoted
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.taskxml import TaskXmlError

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 trusts every template it is given

    def trust_as_template(value: str) -> str:
        return value


__all__ = [
    "ActionCall",
    "HostAction",
    "Result",
    "inert",
    "passwords_in",
    "scrubbed",
    "run_guarded",
    "trace",
    "folder_option",
    "jobs_options",
    "owner_option",
    "script_renderer",
]

Result = dict[str, Any]

# Keys whose values are secrets wherever they appear in task arguments (principal.password).
_SECRET_KEYS = frozenset({"password"})
_EXPECTED_FAILURES = (SpecError, PlanError, TaskXmlError, AnsibleActionFail, HostError, HostFailure, ContractError)
# A connection lost mid-call: Ansible's own, the WinRM host's, or the directory host's.
_UNREACHABLE = (HostUnreachable, AnsibleConnectionFailure, ConnectionError)

_display = Display()
# The parts of a diff Ansible's callbacks print as they are.
_DIFF_TEXTS = frozenset({"before", "after", "prepared", "before_header", "after_header"})


def passwords_in(arguments: object) -> tuple[str, ...]:
    """Every non-empty value held under a ``password`` key, at any depth of ``arguments``."""
    return tuple(sorted({secret for secret in _walk_secrets(arguments) if secret}, key=len, reverse=True))


def scrubbed(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with each secret replaced wherever it appears, in any string at any depth."""
    hidden = [secret for secret in secrets if secret]
    if not hidden:
        return value
    return remove_values(value, hidden)


def run_guarded(result: Result, body: Callable[[Result], None], *, secrets: Iterable[str], action: ActionBase, name: str, host: str) -> Result:
    """Run ``body(result)`` for the task of ``action`` on ``host`` and return ``result``, failed or
    not, scrubbed of ``secrets``.

    ``result`` must already hold every key the action returns; ``body`` updates it as it goes,
    so what it learnt before a failure (a plan, per-job outcomes) is still reported. A failed
    result's ``msg``, scrubbed, is shown once as it is (:func:`_show_failure`).
    """
    secrets = tuple(secrets)
    try:
        body(result)
    except _UNREACHABLE as error:
        result["unreachable"] = True
        result["msg"] = _message(error)
    except _EXPECTED_FAILURES as error:
        result["failed"] = True
        result["msg"] = _message(error)
    except Exception as error:  # noqa: BLE001 - the one place any failure becomes a result
        result["failed"] = True
        result["msg"] = f"{type(error).__name__}: {_message(error)}"
        result["exception"] = traceback.format_exc()
    shown = inert(_printed_plainly(scrubbed(result, secrets)))
    if shown.get("failed") and isinstance(shown.get("msg"), str) and not _failure_overridden(action):
        _show_failure(name, shown["msg"], host)
    return shown


@dataclass(frozen=True)
class ActionCall:
    """One run of an action: its validated arguments and what it asks of Ansible."""

    action: HostAction
    variables: Mapping[str, Any]
    args: Mapping[str, Any]
    secrets: tuple[str, ...]

    @property
    def host_name(self) -> str:
        """The inventory name of the host, for backup paths, images and messages."""
        return host_label(self.variables)

    @property
    def check_mode(self) -> bool:
        return bool(self.action._task.check_mode)

    @property
    def diff(self) -> bool:
        return bool(self.action._task.diff)

    def host(self) -> HostCaller:
        """The host the inventory selects; nothing is sent to it yet."""
        return host_for(self.action, self.variables, allow_unencrypted_password=self.args["allow_unencrypted_password"])

    def trace(self, message: str) -> None:
        """``message`` at -vvv, named by the action and the host, scrubbed of the secrets."""
        trace(self.action.NAME, message, secrets=self.secrets, host=self.host_name)

    def controller_path(self, path: str) -> str:
        """``path`` on the controller, a relative one from the playbook's directory."""
        return controller_path(self.action, self.variables, path)

    def script_renderer(self) -> TemplateRender:
        """How a job's script template is rendered for this task (:func:`script_renderer`)."""
        return script_renderer(self.action, self.variables)


class HostAction(ActionBase):
    """An action that talks to one host: the ``run()`` they share, in one place.

    A subclass names itself (``NAME``, as its traces say it), gives its ``ARGUMENT_SPEC`` (with
    the host fragment's ``allow_unencrypted_password``), the result it returns whatever happens
    (:meth:`empty_result`), and what it does (:meth:`act`).
    """

    NAME: ClassVar[str]
    ARGUMENT_SPEC: ClassVar[dict[str, dict[str, Any]]]
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> Result:
        variables = task_vars or {}
        # The arguments may carry passwords (a principal's, the role's translated jobs'): never in the result.
        secrets = passwords_in(self._task.args)

        def body(result: Result) -> None:
            super(HostAction, self).run(tmp, variables)
            self.act(ActionCall(self, variables, self.arguments(), secrets), result)

        return run_guarded(self.empty_result(), body, secrets=secrets, action=self, name=self.NAME, host=host_label(variables))

    def arguments(self) -> dict[str, Any]:
        """The task's arguments, validated against ``ARGUMENT_SPEC`` (defaults filled in)."""
        args: dict[str, Any] = self.validate_argument_spec(self.ARGUMENT_SPEC)[1]
        return args

    @abstractmethod
    def empty_result(self) -> Result:
        """The result with every key the action returns, before anything was done."""

    @abstractmethod
    def act(self, call: ActionCall, result: Result) -> None:
        """Do the action's work, filling ``result`` as it goes (see :func:`run_guarded`)."""


def _printed_plainly(result: Result) -> Result:
    """``result`` with the texts Ansible's callbacks print raw freed of control characters (the
    rest they print as JSON, which escapes them); the data fields keep the host's text exactly."""
    if isinstance(result.get("msg"), str):
        result["msg"] = printable(result["msg"], lines=True)
    if isinstance(result.get("warnings"), list):
        result["warnings"] = [printable(warning, lines=True) if isinstance(warning, str) else warning for warning in result["warnings"]]
    diffs = result.get("diff")
    for diff in diffs if isinstance(diffs, list) else [diffs]:
        if isinstance(diff, dict):
            diff.update({key: printable(text, lines=True) for key, text in diff.items() if key in _DIFF_TEXTS and isinstance(text, str)})
    return result


def trace(action: str, message: str, *, secrets: Iterable[str], host: str | None = None) -> None:
    """Show ``message`` at -vvv, scrubbed: with :func:`_show_failure`, the only ways the actions
    write to the display."""
    _display.vvv(printable(f"{action}: {scrubbed(message, secrets)}", lines=True), host=host)


def _core_shows_failures() -> bool:
    """Whether ansible-core's callbacks show a failed action's ``msg`` as it is themselves.

    From 2.19 on, a failed result becomes an error of its own (``ansible._internal._errors``,
    new in 2.19) that the default callback prints before the result's JSON, as
    ``[ERROR]: Task failed: Action failed: <msg>``, even under ``no_log``; 2.17 and 2.18 print only
    the JSON (the feature, not the version, decides: DEVELOPERS.md, "ansible-core legs").
    """
    try:
        return importlib.util.find_spec("ansible._internal._errors") is not None
    except ModuleNotFoundError:  # no ansible._internal at all (before 2.19)
        return False


_CORE_SHOWS_FAILURES = _core_shows_failures()


def _failure_overridden(action: ActionBase) -> bool:
    """Whether the task's own words decide its failure (``ignore_errors``, ``failed_when``,
    ``until``): then it is no error to show. ``ignore_errors`` is templated by the time the action
    runs; ``failed_when`` holds the task's conditions, judged after it; with ``until`` the action
    runs once per attempt and cannot tell its last one, so a failure it showed could be followed
    by an attempt that succeeds (the core shows the last attempt's result as JSON)."""
    task = action._task
    return bool(task.ignore_errors) or bool(task.failed_when) or bool(task.until)


def _show_failure(action: str, msg: str, host: str) -> None:
    """Show a failed result's ``msg`` (scrubbed and printable already) once, as it is, on a core
    whose callback shows it only as JSON. Unwrapped: Display would break a path across lines.
    Displayed, not Display.error, which on those cores shows a text once per run: a later task
    failing alike would get no plain line."""
    if not _CORE_SHOWS_FAILURES:
        _display.display(f"ERROR! [{host}] {action}: {msg}", color=C.COLOR_ERROR, stderr=True)


def folder_option(text: str, option: str = "folder") -> str:
    """A Task Scheduler folder option, normalised (``Isotools\\`` -> ``\\Isotools``)."""
    try:
        return normalise_folder(text)
    except ValueError as error:
        raise AnsibleActionFail(f"{option} {error}") from None


def jobs_options() -> dict[str, dict[str, Any]]:
    """The argument spec of the jobs an action reads, as win_sync_jobs takes them: win_sync_snapshot
    reads what a deploy of the same jobs compares against, so both take them alike. New dicts
    each call: an action's spec is its own."""
    return {
        # Each job is validated deeply (and named in every message) by desired_jobs.
        "jobs": {"type": "list", "elements": "raw", "required": True},
        "folder": {"type": "str", "default": "\\Isotools"},
        "root": {"type": "str"},
        "secure_acl": {"type": "bool", "default": True},
    }


def owner_option(text: str) -> str:
    """The ``owner`` option: a label written into each task's ownership marker."""
    if not text.strip() or text != text.strip() or any(character < " " for character in text):
        raise AnsibleActionFail(f"owner {quoted(text)} must be a non-empty label without leading or trailing spaces or control characters")
    return text


def script_renderer(action: ActionBase, task_vars: Mapping[str, Any]) -> TemplateRender:
    """Render a job's script template the way the template module does: found through the
    role's and the playbook's ``templates/`` search path, with the task's variables plus the
    template's own ``vars``, backslashes kept as written (Windows paths)."""

    def render(template: str, variables: Mapping[str, object]) -> str:
        try:
            source = action._find_needle("templates", template)
        except AnsibleError as error:
            raise ScriptTemplateError(f"'{template}' was not found in the templates search path: {_message(error)}") from None
        try:
            text = _text_of(action, source)
            templar = action._templar.copy_with_new_env(
                searchpath=[os.path.dirname(source), *task_vars.get("ansible_search_path", [])],
                available_variables={**task_vars, **variables},
            )
            rendered = templar.template(trust_as_template(text), escape_backslashes=False)
        except AnsibleError as error:
            raise ScriptTemplateError(f"'{template}' could not be rendered: {_message(error)}") from None
        return "" if rendered is None else str(rendered)

    return render


def _text_of(action: ActionBase, path: str) -> str:
    """A controller file's text through the loader, which decrypts a vaulted template."""
    loader = action._loader
    if hasattr(loader, "get_text_file_contents"):
        return str(loader.get_text_file_contents(path))
    data, _shown = loader._get_file_contents(path)  # ansible-core < 2.19
    return str(data.decode("utf-8"))


def _message(error: BaseException) -> str:
    # AnsibleError.message is the text without the task-origin decoration str() adds.
    message = getattr(error, "message", None)
    return str(message) if isinstance(message, str) and message else str(error)


def _walk_secrets(value: object) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            # A boolean is refused as a password, and its text ("True") would mask every true
            # of the result on cores whose remove_values compares texts.
            if isinstance(key, str) and key.lower() in _SECRET_KEYS and item is not None and not isinstance(item, bool):
                # str() also reveals a vaulted value, so its clear text is scrubbed too.
                yield str(item)
            else:
                yield from _walk_secrets(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk_secrets(item)
