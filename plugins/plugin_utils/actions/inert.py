# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host text as data, never a template: :func:`inert`, and :func:`plain`, what it can be given.

Apart from :mod:`support` (which re-exports it) so that the role's filters, which need
only this, do not import the actions' error handling and the task XML: every task of a play runs
in a new worker process, which imports its filters afresh, once per host (docs/reliability.md,
"Fleet cost").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar, cast

from ansible.utils.unsafe_proxy import wrap_var

_Value = TypeVar("_Value")


def inert(value: _Value) -> _Value:
    """``value`` as data a later template can show but never run, on every ansible-core.

    ansible-core 2.17 and 2.18 template any plain string a template reaches, so a task
    description holding ``{{ lookup('pipe', ...) }}`` would run when a play re-uses a result
    (``win_sync_task: "{{ info.tasks[0].spec }}"``) unless it is marked unsafe; they mark
    registered results so themselves, but not what a filter returns or a caller of the action
    holds. 2.19 and later never template a string that is not trusted as a template, and
    ``wrap_var`` there only removes that trust.
    """
    return cast(_Value, wrap_var(value))


def plain(value: object) -> object:
    """``value`` in plain dicts and lists, for a result :func:`inert` can mark. ansible-core 2.19+
    hands a filter (and an action's ``raw`` option) lazy containers, which cannot be built from
    outside: ``wrap_var`` rebuilds each sequence by its type, so a list passed through from the
    input (a raw trigger's ``days_of_week``) failed with "Direct construction of lazy containers
    is not supported"."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
