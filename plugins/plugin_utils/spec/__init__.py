# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task specs (the options of win_sync_task, the ``task:`` of a win_sync_jobs job) <-> the model.

:func:`parse_spec` validates a spec (plain YAML data, friendly or canonical, see
``docs/task-options.md``) into a :class:`model.TaskDefinition`, collecting every problem of the
spec into one :class:`SpecError` so a user fixes everything in one go. The password is kept out
of the definition and out of every message.

:func:`spec_from_definition` writes any definition back as the canonical spec (ISO 8601 times,
lowercase words, only the keys whose value is not the default), so that an adopted task
re-applies with no change: ``parse_spec(spec_from_definition(d)).definition == d``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.model import (
    ExecAction,
    RegistrationInfo,
    TaskDefinition,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec._principal import (
    PRINCIPAL_KEYS,
    gmsa_logon_problem,
    gmsa_password_problem,
    principal_spec,
    read_principal,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec._settings import (
    SETTINGS_KEYS,
    read_settings,
    settings_spec,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec._triggers import (
    ALL_TRIGGER_KEYS,
    read_triggers,
    trigger_spec,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.names import (
    name_problem,
    normalise_folder,
    working_directory_problem,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.options import keys_at, most_items
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import (
    AT_ANCHOR_DATE,
    Report,
    Section,
    describe,
    kind_of,
    parse_duration_text,
    parse_time_of_day,
    printable,
)

__all__ = [
    "ACTION_KEYS",
    "AT_ANCHOR_DATE",
    "MAX_ACTIONS",
    "OPTION_PLACES",
    "TOP_KEYS",
    "UNNAMED",
    "OptionPlace",
    "Problem",
    "SpecError",
    "TaskSpec",
    "gmsa_logon_problem",
    "gmsa_password_problem",
    "parse_duration_text",
    "parse_spec",
    "parse_time_of_day",
    "spec_from_definition",
]

MAX_ACTIONS = most_items("actions")
UNNAMED = "<unnamed>"
# The option names are the task options' table's (spec/options.py).
TOP_KEYS = keys_at("")
ACTION_KEYS = keys_at("actions")
_REGISTRATION_KEYS = ("description", "author", "documentation")
# Names other tools give an action's parts, answered with ours.
_ACTION_SYNONYMS = {
    synonym: f"is not a known option (did you mean {ours}?)"
    for synonym, ours in (
        ("program", "command"),
        ("execute", "command"),
        ("path", "command"),
        ("args", "arguments"),
        ("start_in", "working_directory"),
        ("chdir", "working_directory"),
        ("cwd", "working_directory"),
    )
}
# `C:\Windows\System32\cmd.exe /k synchro.bat & exit` typed as one command, as the KB shows it.
_COMMAND_WITH_ARGUMENTS = re.compile(r"^(?P<program>[^\"]+?\.(?:exe|bat|cmd|com))\s+(?P<arguments>\S.*)$", re.IGNORECASE | re.DOTALL)
_EXAMPLE_ACTIONS = "[{command: 'C:\\Windows\\System32\\cmd.exe', arguments: '/k synchro.bat & exit'}]"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a spec: ``str()`` is ``task 'X': field message``."""

    task: str
    field: str
    message: str
    label: str = ""  # how the message names the task ("job 'stock'"); empty: task '<task>'

    def __str__(self) -> str:
        subject = self.label or f"task '{printable(self.task)}'"
        return f"{subject}: {self.field} {self.message}" if self.field else f"{subject}: {self.message}"


class SpecError(ValueError):
    """Every problem of one spec; ``task`` and ``field`` are those of the first problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("SpecError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.task: str = self.problems[0].task
        self.field: str = self.problems[0].field
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[type[SpecError], tuple[tuple[Problem, ...]]]:
        return (SpecError, (self.problems,))


@dataclass(frozen=True)
class TaskSpec:
    """A validated spec: the definition, plus the password kept apart from it (never shown)."""

    definition: TaskDefinition
    password: str | None = field(repr=False)
    password_version: str | None


def parse_spec(options: Mapping[str, object], *, task_label: str | None = None) -> TaskSpec:
    """Validate ``options`` into a :class:`TaskSpec`; raise :class:`SpecError` listing every problem.

    ``task_label`` replaces ``task '<name>'`` at the start of each message (``job 'stock'``).
    """
    given: object = options  # YAML data: the annotation is what callers should pass, not a guarantee
    if not isinstance(given, Mapping):
        message = f"the task options must be a mapping, got {kind_of(given)}"
        raise SpecError((Problem(UNNAMED, "", message, task_label or ""),))
    report = Report()
    root = Section(given, "", report)
    root.check_keys(TOP_KEYS, _MISPLACED_KEYS)
    name = _read_name(root)
    folder = _read_folder(root)
    info = RegistrationInfo(**{key: root.text(key, None) for key in _REGISTRATION_KEYS})
    actions = _read_actions(root)
    triggers = read_triggers(root)
    principal, password = read_principal(root.child("principal", PRINCIPAL_KEYS))
    settings = read_settings(root.child("settings", SETTINGS_KEYS))
    _check_expiry(root)
    password_version = root.text("password_version", None, non_empty=True)
    if report.problems:
        given_name = given.get("name")
        task = given_name if isinstance(given_name, str) and given_name else UNNAMED
        raise SpecError(tuple(Problem(task, path, message, task_label or "") for path, message in report.problems))
    definition = TaskDefinition(
        name=name,
        folder=folder,
        registration_info=info,
        triggers=triggers,
        principal=principal,
        settings=settings,
        actions=actions,
    )
    return TaskSpec(definition=definition, password=password, password_version=password_version)


@dataclass(frozen=True)
class OptionPlace:
    """Where an option of a task spec goes: ``settings.priority``, said ``under settings``."""

    path: str  # 'settings.priority', 'actions[0].command'; a top-level option: its own name
    section: str = ""  # how the message says its section ('under settings'); '' at the top level

    @property
    def hint(self) -> str:
        """Where an option written outside its section belongs, as every message says it."""
        return f"belongs {self.section} ({self.path})"


def _option_places() -> dict[str, OptionPlace]:
    """Every option of a task spec and its place, for the hint given where it is written elsewhere.

    Where a key exists in several sections (``enabled``, ``id``), the later, likelier one wins;
    a top-level option wins over all.
    """
    places: dict[str, OptionPlace] = {}
    for key in sorted(ALL_TRIGGER_KEYS):
        places[key] = OptionPlace(f"triggers[0].{key}", "to a trigger")
    for key in ACTION_KEYS:
        places[key] = OptionPlace(f"actions[0].{key}", "to an action")
    for key in SETTINGS_KEYS:
        places[key] = OptionPlace(f"settings.{key}", "under settings")
    for key in PRINCIPAL_KEYS:
        places[key] = OptionPlace(f"principal.{key}", "under principal")
    places.update({key: OptionPlace(key) for key in TOP_KEYS})
    return places


OPTION_PLACES: Mapping[str, OptionPlace] = _option_places()


def _misplaced_keys() -> dict[str, str]:
    """Messages for top-level keys that belong to a section, and for the reserved ``source``."""
    messages = {key: place.hint for key, place in OPTION_PLACES.items() if place.section}
    messages["source"] = "is reserved for the ownership marker: the collection writes RegistrationInfo/Source itself to recognise the tasks it owns"
    return messages


_MISPLACED_KEYS = _misplaced_keys()


def _read_name(root: Section) -> str:
    name = root.text("name", None, required=True)
    if name is None:
        return ""
    problem = name_problem(name)
    if problem:
        root.problem("name", problem)
    return name


def _read_folder(root: Section) -> str:
    text = root.text("folder", "\\")
    try:
        return normalise_folder(text)
    except ValueError as error:
        root.problem("folder", str(error))
        return "\\"


def _read_actions(root: Section) -> tuple[ExecAction, ...]:
    if not root.has("actions"):
        root.problem("actions", f"is required: at least one program to run (e.g. actions: {_EXAMPLE_ACTIONS})")
    elif isinstance(root.raw("actions"), (list, tuple)) and not root.raw("actions"):
        root.problem("actions", f"must have at least one action (e.g. {_EXAMPLE_ACTIONS})")
    needs = "a command (e.g. {command: 'C:\\Windows\\System32\\cmd.exe'})"
    return tuple(root.mappings("actions", _read_action, limit=MAX_ACTIONS, example=_EXAMPLE_ACTIONS, needs=needs))


def _read_action(section: Section) -> ExecAction | None:
    section.check_keys(ACTION_KEYS, _ACTION_SYNONYMS)
    command = section.text("command", None, required=True, non_empty=True)
    if command is not None and command != command.strip():
        # Windows looks the program up without them: the task would differ from the spec on every read.
        section.problem("command", f"{describe(command)} must not start or end with spaces (write '{command.strip()}')")
    elif command is not None:
        split = _COMMAND_WITH_ARGUMENTS.match(command.strip())
        if split:
            section.problem(
                "command",
                f"{describe(command)} includes arguments: give the program alone and the rest in arguments "
                f"(command: '{split['program']}', arguments: '{split['arguments']}')",
            )
    working_directory = section.text("working_directory", None)
    if working_directory is not None:
        problem = working_directory_problem(working_directory)
        if problem:
            section.problem("working_directory", problem)
    arguments = section.text("arguments", None)
    action_id = section.text("id", None, non_empty=True)
    if command is None:
        return None
    return ExecAction(command=command, arguments=arguments, working_directory=working_directory, id=action_id)


def _check_expiry(root: Section) -> None:
    """``delete_expired_task_after`` counts from the task's last end boundary; without one it never applies."""
    settings = root.raw("settings")
    if not isinstance(settings, Mapping) or settings.get("delete_expired_task_after") is None:
        return
    triggers = root.raw("triggers")
    items = triggers if isinstance(triggers, (list, tuple)) else []
    if not any(isinstance(item, Mapping) and item.get("end_boundary") is not None for item in items):
        root.report.add(
            "settings.delete_expired_task_after",
            "needs an end_boundary on at least one trigger: Windows deletes the task that long after it expires",
        )


def spec_from_definition(definition: TaskDefinition) -> dict[str, object]:
    """The canonical spec of ``definition``: ISO 8601 times, lowercase words, non-default keys only.

    What the spec cannot express is left out (unsupported actions and triggers, unknown elements,
    principal id/SID/privileges, registration date/URI/source/version, Task/@version); the caller
    checks ``definition.unsupported_reasons`` before offering the spec for adoption.
    """
    spec: dict[str, object] = {"name": definition.name, "folder": definition.folder}
    info = definition.registration_info
    for key, value in (("description", info.description), ("author", info.author), ("documentation", info.documentation)):
        if value is not None:
            spec[key] = value
    spec["actions"] = [_action_spec(action) for action in definition.actions if isinstance(action, ExecAction)]
    triggers = [trigger for trigger in map(trigger_spec, definition.triggers) if trigger is not None]
    if triggers:
        spec["triggers"] = triggers
    principal = principal_spec(definition.principal)
    if principal:
        spec["principal"] = principal
    settings = settings_spec(definition.settings)
    if settings:
        spec["settings"] = settings
    return spec


def _action_spec(action: ExecAction) -> dict[str, object]:
    spec: dict[str, object] = {"command": action.command}
    for key, value in (("arguments", action.arguments), ("working_directory", action.working_directory), ("id", action.id)):
        if value is not None:
            spec[key] = value
    return spec
