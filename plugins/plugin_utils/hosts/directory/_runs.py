# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a directory host's tasks, and the Operational log those runs leave.

Nothing is executed: a run looks at the task's first Exec action the way Windows would start it
(working directory, and for ``cmd.exe`` the ``.bat`` its arguments name) and takes the exit code
and duration from ``ROOT/outcomes.json`` (task path -> ``{"exit_code", "duration"}``; default
exit code 0 after 0.1 s). A script that is not in the working directory exits 1, as cmd.exe does
after "'synchro.bat' is not recognized as an internal or external command"; a working directory
that does not exist fails the launch with 0x8007010B. A run that is not waited for, or outlasts
the wait's timeout, stays ``running`` until the injected clock passes its end; it is completed
by the next call after that (:meth:`Runner.settle`). The knowledge base's ``/k synchro.bat &
exit`` exits with the script's code too: ``exit`` without a number leaves cmd's error level as the
script set it (Microsoft's ``exit`` page gives the number only when one is given; ReactOS'
``CommandExit`` in ``base/shell/cmd/internal.c`` changes it only then). Events go to ``ROOT/history.jsonl`` with
the ids of ``Microsoft-Windows-TaskScheduler/Operational``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import (
    E_DIRECTORY,
    E_FILE_NOT_FOUND,
    E_REQUEST_REFUSED,
    SCHED_E_ALREADY_RUNNING,
    SCHED_E_TASK_DISABLED,
    SCHED_S_TASK_RUNNING,
    RequestError,
    WinError,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._state import StateBook
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import (
    Image,
    display_task_path,
    iter_json_lines,
    load_json,
    load_task,
    parse_task_path,
    parse_windows_path,
)
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._xml import (
    ExecFacts,
    RejectedTaskXmlError,
    TaskFacts,
    task_facts,
)

__all__ = ["RunOutcome", "Runner", "load_outcomes", "read_history", "iso_seconds"]

_DEFAULT_OUTCOME_SECONDS = 0.1
_NOT_RECOGNIZED_EXIT_CODE = 1
_SCRIPT_TOKEN = re.compile(r'"([^"]+)"|([^\s"&|<>()]+)')
_KNOWN_VARIABLES = {"%windir%": "C:\\Windows", "%systemroot%": "C:\\Windows", "%systemdrive%": "C:"}
_VARIABLE = re.compile("|".join(re.escape(name) for name in _KNOWN_VARIABLES), re.IGNORECASE)


@dataclass(frozen=True)
class RunOutcome:
    exit_code: int = 0
    duration: float = _DEFAULT_OUTCOME_SECONDS


def load_outcomes(path: Path) -> dict[str, RunOutcome]:
    raw = load_json(path, {})
    if not isinstance(raw, dict):
        raise RequestError(f"{path} must be a JSON object mapping task paths to outcomes")
    outcomes: dict[str, RunOutcome] = {}
    for task, value in raw.items():
        exit_code = value.get("exit_code", 0) if isinstance(value, dict) else None
        duration = value.get("duration", _DEFAULT_OUTCOME_SECONDS) if isinstance(value, dict) else None
        if not isinstance(exit_code, int) or not isinstance(duration, (int, float)) or duration < 0:
            raise RequestError(f'{path}: outcome of \'{task}\' must be {{"exit_code": int, "duration": seconds >= 0}}')
        outcomes[str(task).lower()] = RunOutcome(exit_code & 0xFFFFFFFF, float(duration))
    return outcomes


def iso_seconds(moment: dt.datetime) -> str:
    """A moment as the run history writes it: ISO 8601 to the second."""
    return moment.isoformat(timespec="seconds")


class Runner:
    """Starts tasks and completes runs at ``now``, collecting the events they log."""

    def __init__(self, image: Image, state: StateBook, outcomes: Mapping[str, RunOutcome], now: dt.datetime) -> None:
        self._image = image
        self._state = state
        self._outcomes = outcomes
        self._now = now
        self.events: list[dict[str, Any]] = []

    def settle(self) -> bool:
        """Complete the runs whose end has come; whether any did."""
        settled = False
        for entry in self._state.entries.values():
            running = entry.get("running")
            if running and dt.datetime.fromisoformat(running["until"]) <= self._now:
                self._finish(entry, dt.datetime.fromisoformat(running["until"]))
                settled = True
        return settled

    def run(self, path: str, *, wait: bool, timeout: float) -> dict[str, Any]:
        parts = parse_task_path(path)
        task = self._image.task(parts)
        if not (task.exists and task.path.is_file()):
            return _not_started(path, E_FILE_NOT_FOUND.describe(f"no task {path}"))
        shown = display_task_path(task.names)
        loaded = load_task(task.path)
        if loaded.text is None:
            return _not_started(shown, loaded.error)
        try:
            facts = task_facts(loaded.text)
        except RejectedTaskXmlError as error:
            return _not_started(shown, str(error))
        refusal = self._refusal(shown, facts)
        if refusal is not None:
            return _not_started(shown, refusal)
        return self._start(shown, facts, wait=wait, timeout=timeout)

    def _refusal(self, shown: str, facts: TaskFacts) -> str | None:
        if not facts.enabled:
            return _with_code(SCHED_E_TASK_DISABLED, shown)
        if not facts.allow_demand_start:
            return _with_code(E_REQUEST_REFUSED, f"{shown} does not allow starting on demand")
        if self._state.entry(shown.lower()).get("running"):
            return _with_code(SCHED_E_ALREADY_RUNNING, shown)
        return None

    def _start(self, shown: str, facts: TaskFacts, *, wait: bool, timeout: float) -> dict[str, Any]:
        entry = self._state.entry(shown.lower())
        start = self._now
        activity = str(uuid.uuid4())
        user = facts.user_id or facts.group_id or "unknown"
        command = facts.exec_action.command if facts.exec_action else "(no Exec action)"
        entry["last_run_time"] = iso_seconds(start)
        self._log(shown, start, 100, None, activity, f'Task Scheduler started "{activity}" instance of the "{shown}" task for user "{user}".')
        launch_error = self._launch_error(facts.exec_action)
        if launch_error is not None:
            self._log(
                shown,
                start,
                203,
                launch_error.code,
                activity,
                f'Task Scheduler failed to launch action "{command}" in instance "{activity}" of task "{shown}". '
                f"Additional Data: Error Value: {launch_error.code}.",
            )
            self._log(
                shown,
                start,
                103,
                launch_error.code,
                activity,
                f'Task Scheduler failed to start instance "{activity}" of "{shown}" task for user "{user}". Additional Data: Error Value: {launch_error.code}.',
            )
            entry["last_result"] = launch_error.code
            return {**_run_record(shown, True, True, False, launch_error.code, start, start, launch_error.text), "instance_id": activity}
        self._log(shown, start, 129, None, activity, f'Task Scheduler launched action "{command}" of task "{shown}".')
        outcome = self._outcome(shown, facts.exec_action)
        end = start + dt.timedelta(seconds=outcome.duration)
        entry["running"] = {"until": end.isoformat(), "exit_code": outcome.exit_code, "activity_id": activity, "path": shown, "command": command, "user": user}
        # The instance started is the one waited for and reported, as IRunningTask.InstanceGuid is
        # on Windows: the ActivityId of this run's events.
        if wait and outcome.duration <= timeout:
            self._finish(entry, end)
            return {**_run_record(shown, True, True, False, outcome.exit_code, start, end, None), "instance_id": activity}
        entry["last_result"] = SCHED_S_TASK_RUNNING
        still = f"still running after the {timeout:g} s wait" if wait else "started; not waited for"
        return {**_run_record(shown, True, False, wait, SCHED_S_TASK_RUNNING, start, None, still), "instance_id": activity}

    def _finish(self, entry: dict[str, Any], end: dt.datetime) -> None:
        running = entry.pop("running")
        shown, activity, code = running["path"], running["activity_id"], running["exit_code"]
        self._log(
            shown,
            end,
            201,
            code,
            activity,
            f'Task Scheduler successfully completed task "{shown}" , instance "{activity}" , action "{running["command"]}" with return code {code}.',
        )
        self._log(
            shown, end, 102, None, activity, f'Task Scheduler successfully finished "{activity}" instance of the "{shown}" task for user "{running["user"]}".'
        )
        entry["last_result"] = code

    def _launch_error(self, action: ExecFacts | None) -> WinError | None:
        """Why Windows could not start the action: only a missing working directory is known."""
        directory = _expanded(action.working_directory) if action else None
        if directory is None or "%" in directory:
            return None
        try:
            resolved = self._image.file(parse_windows_path(directory))
        except RequestError:
            return E_DIRECTORY
        return None if resolved is not None and resolved.exists and resolved.path.is_dir() else E_DIRECTORY

    def _outcome(self, shown: str, action: ExecFacts | None) -> RunOutcome:
        script = _script_of(action)
        if script is not None and "%" not in script:
            try:
                resolved = self._image.file(parse_windows_path(script))
            except RequestError:
                resolved = None
            if resolved is None or not (resolved.exists and resolved.path.is_file()):
                return RunOutcome(_NOT_RECOGNIZED_EXIT_CODE, _DEFAULT_OUTCOME_SECONDS)
        return self._outcomes.get(shown.lower(), RunOutcome())

    def _log(self, shown: str, moment: dt.datetime, event_id: int, result: int | None, activity: str, message: str) -> None:
        event = {"path": shown, "time": iso_seconds(moment), "event_id": event_id, "result_code": result, "activity_id": activity}
        self.events.append({**event, "message": message})


def _script_of(action: ExecFacts | None) -> str | None:
    """The absolute Windows path of the ``.bat``/``.cmd`` a ``cmd.exe`` action runs, if any."""
    if action is None:
        return None
    program = (_expanded(action.command) or "").strip('"').replace("/", "\\").rsplit("\\", 1)[-1].lower()
    if program not in ("cmd.exe", "cmd"):
        return None
    names: list[str] = [quoted or bare for quoted, bare in _SCRIPT_TOKEN.findall(action.arguments or "")]
    script = next((name for name in names if name.lower().endswith((".bat", ".cmd"))), None)
    if script is None:
        return None
    if re.match(r"^[A-Za-z]:[\\/]", script):
        return script
    directory = _expanded(action.working_directory) or "C:\\Windows\\System32"
    return directory.rstrip("\\/") + "\\" + script


def _expanded(text: str | None) -> str | None:
    if text is None:
        return None
    return _VARIABLE.sub(lambda match: _KNOWN_VARIABLES[match.group(0).lower()], text).strip('"')


def _with_code(error: WinError, detail: str) -> str:
    return f"{error.describe(detail)} [0x{error.code:08X}]"


def _not_started(shown: str, message: str | None) -> dict[str, Any]:
    # As the Windows host sends a run it did not start: the rest is the contract's default (TaskRun).
    return {"path": shown, "started": False, "message": message}


def _run_record(
    shown: str,
    started: bool,
    finished: bool,
    timed_out: bool,
    last_result: int | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    message: str | None,
) -> dict[str, Any]:
    return {
        "path": shown,
        "started": started,
        "finished": finished,
        "timed_out": timed_out,
        "last_result": last_result,
        "start_time": None if start is None else iso_seconds(start),
        "end_time": None if end is None else iso_seconds(end),
        "duration": None if start is None or end is None else round((end - start).total_seconds(), 3),
        "message": message,
    }


def read_history(path: Path, tasks: Collection[str], max_events: int, event_ids: Collection[int] = ()) -> list[dict[str, Any]]:
    """The newest ``max_events`` events of ``tasks`` (paths as registered, matched exactly as the
    Windows query's ``Data="..."`` is; empty: all), newest first; with ``event_ids``, only events
    of those ids (the query's ``System[EventID=...]``)."""
    wanted = set(tasks)
    matching = (
        (str(event.get("time")), number, event)
        for number, event in iter_json_lines(path)
        if (not wanted or str(event.get("path", "")) in wanted) and (not event_ids or event.get("event_id") in event_ids)
    )
    return [event for _time, _number, event in heapq.nlargest(max_events, matching, key=lambda item: item[:2])]
