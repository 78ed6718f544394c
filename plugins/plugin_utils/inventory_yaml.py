# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adopted jobs written as inventory YAML in which no text from a host can become a template.

Every string of an adopted job came from a host: its description, author, command, arguments,
folder, account, even its name, and a hand-made task can hold ``{{ lookup('pipe', ...) }}``
there. Ansible templates the strings of inventory files, so written as plain YAML such a value
would run on the controller at the next deploy or drift. Each string is therefore written with
Ansible's own ``!unsafe`` tag, which every ansible-core keeps as data, never a template; so is a
mapping key that is not one of the inventory's own words (a trigger's value query names). Numbers
and booleans cannot hold a template and stay plain. The review notes and the skipped tasks are
comments, each on one line with its control characters shown escaped (``\\x1b``), so that host
text can neither end a comment nor drive the reader's terminal. Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml  # type: ignore[import-untyped]  # PyYAML comes with ansible-core; its stubs are not installed

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import printable

__all__ = ["UNSAFE_TAG", "render_inventory_yaml"]

UNSAFE_TAG = "!unsafe"
# The inventory's own words (name, schedule, start_when_available...): no template fits in one.
_OWN_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")
_WIDTH = 120


class _Inert(str):
    """A string written with the ``!unsafe`` tag."""


class _InertDumper(yaml.SafeDumper):
    """SafeDumper writing :class:`_Inert` strings as ``!unsafe`` scalars, quoted."""


def _represent_inert(dumper: yaml.SafeDumper, text: _Inert) -> yaml.ScalarNode:
    # Single-quoted where YAML can say the text so, else PyYAML falls back to double quotes with
    # escapes: either way the loaded string is the host's, character for character.
    return dumper.represent_scalar(UNSAFE_TAG, str(text), style="'")


_InertDumper.add_representer(_Inert, _represent_inert)
# The inventory's own keys as plain strings, whatever str subclass the caller holds them in (an
# older ansible-core hands filters AnsibleUnsafeText).
_InertDumper.add_multi_representer(str, yaml.SafeDumper.represent_str)


def _inert(value: object) -> object:
    if isinstance(value, str):
        return _Inert(value)
    if isinstance(value, Mapping):
        return {(key if _OWN_KEY.match(str(key)) else _Inert(key)): _inert(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_inert(item) for item in value]
    return value


def _comment(text: object) -> str:
    """One comment line's text: host text cannot start a new line, YAML's or the terminal's."""
    return printable(str(text))


def _job_yaml(job: Mapping[str, object]) -> str:
    text = yaml.dump([_inert(job)], Dumper=_InertDumper, indent=2, sort_keys=False, width=_WIDTH, allow_unicode=True, default_flow_style=False)
    return "".join(f"  {line}" for line in text.splitlines(keepends=True))


def render_inventory_yaml(adopted: Mapping[str, object]) -> str:
    """``shop_sync_jobs`` of ``adopt_tasks``'s result as YAML, each job after its review notes,
    then the tasks left out as comments."""
    jobs = [job for job in _sequence(adopted.get("jobs")) if isinstance(job, Mapping)]
    notes = adopted.get("notes")
    notes = notes if isinstance(notes, Mapping) else {}
    lines: list[str] = []
    if jobs:
        lines.append("shop_sync_jobs:\n")
        for job in jobs:
            name = str(job.get("name", ""))
            lines.extend(f"  # {_comment(name)}: {_comment(note)}\n" for note in _sequence(notes.get(name)))
            lines.append(_job_yaml(job))
    else:
        lines.append("shop_sync_jobs: []\n")
    skipped = [task for task in _sequence(adopted.get("skipped")) if isinstance(task, Mapping)]
    if skipped:
        lines.append("# Not adopted: the collection cannot manage these tasks as they are.\n")
        for task in skipped:
            reasons = "; ".join(str(reason) for reason in _sequence(task.get("reasons")))
            lines.append(f"#   {_comment(task.get('path', '?'))}: {_comment(reasons)}\n")
    return "".join(lines)


def _sequence(value: object) -> Sequence[object]:
    return value if isinstance(value, (list, tuple)) else ()
