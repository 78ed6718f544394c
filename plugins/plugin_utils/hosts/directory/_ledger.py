# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one ``apply`` of a directory host has done so far, and how to take it back.

``acl.json`` and ``state.json`` grow with the number of scripts and tasks, so rewriting one for
each change made an apply of n changes cost O(n²). They and ``credentials.json`` are each read
at most once per call, edited in memory as the changes are applied, and written once when the
call ends, however it ends. A change is complete only once its bookkeeping is written: when
a file cannot be written, every change from the first one that edited it on is undone, newest
first so that each undo finds the image as its own change left it, and the files are written as
the changes before it left them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._acl import load_acl
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._state import StateBook
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._store import Image, load_json, save_json

__all__ = ["Ledger", "Transaction", "Undone"]


@dataclass(frozen=True)
class _Edit:
    position: int  # of the change that made it, in the call
    key: str
    value: Any  # None removes the key


@dataclass(frozen=True)
class Undone:
    """The changes at positions ``start`` up to ``stop`` were undone: ``path`` could not be written."""

    start: int
    stop: int
    path: Path
    error: OSError


class Ledger:
    """A JSON object file of the image: what it held when the call began, and the call's edits."""

    def __init__(self, path: Path, held: dict[str, Any], position: Callable[[], int]) -> None:
        self.path = path
        self._held = held
        self._current = dict(held)
        self._edits: list[_Edit] = []
        self._position = position
        self.on_disk = held  # what the file holds now, as far as this call knows

    def put(self, key: str, value: Any) -> None:
        """Set ``key`` to ``value`` (``None``: remove it) for the change being applied."""
        effective = key in self._current if value is None else self._current.get(key) != value
        if not effective:
            return  # so that a change which edits nothing never has to be undone for this file
        self._edits.append(_Edit(self._position(), key, value))
        if value is None:
            del self._current[key]
        else:
            self._current[key] = value

    def content(self, before: int) -> dict[str, Any]:
        """The file as the changes at positions before ``before`` left it."""
        if not self._edits or self._edits[-1].position < before:
            return self._current
        content = dict(self._held)
        for edit in self._edits:
            if edit.position >= before:
                break
            if edit.value is None:
                del content[edit.key]
            else:
                content[edit.key] = edit.value
        return content

    def first_edit(self, before: int) -> int | None:
        """The position of the first change before ``before`` that edited the file, if any."""
        first = self._edits[0].position if self._edits else None
        return first if first is not None and first < before else None


class Transaction:
    """One ``apply``: the bookkeeping files as its changes edited them, and each change's undo."""

    def __init__(self, image: Image, state: StateBook) -> None:
        self._image = image
        self._position = 0
        self._undo: dict[int, Callable[[], None]] = {}
        self.state = Ledger(image.state_file, {key: value for key, value in state.entries.items() if value}, self._current_position)
        self._acl: Ledger | None = None
        self._credentials: Ledger | None = None

    def begin(self, position: int) -> None:
        """The change at ``position`` (of the call's changes) is applied next."""
        self._position = position

    def on_undo(self, undo: Callable[[], None]) -> None:
        """How to take back the file writes of the change being applied (once it succeeded)."""
        self._undo[self._position] = undo

    def acl(self) -> Ledger:
        """``acl.json`` (read on first use; a broken file refuses each change that needs it)."""
        if self._acl is None:
            book = load_acl(self._image.acl_file)
            self._acl = Ledger(book.path, dict(book.stored), self._current_position)
        return self._acl

    def credentials(self) -> Ledger:
        """``credentials.json``: account SID -> when a password was last set for it."""
        if self._credentials is None:
            path = self._image.credentials_file
            held = load_json(path, {})
            if not isinstance(held, dict):
                raise RequestError(f"{path} must be a JSON object")
            self._credentials = Ledger(path, held, self._current_position)
        return self._credentials

    def commit(self, processed: int) -> list[Undone]:
        """Write the edited files; the changes undone because one could not be written.

        An ``OSError`` escapes only when an undo fails, or when a file written here must be put
        back as it was and cannot be: then no change is left to undo that would make it right.
        """
        undone: list[Undone] = []
        kept = processed
        while True:
            for ledger in self._ledgers():
                content = ledger.content(kept)
                if content == ledger.on_disk:
                    continue
                try:
                    save_json(ledger.path, content)
                except OSError as error:
                    first = ledger.first_edit(kept)
                    if first is None:
                        raise
                    self._undo_from(first, kept)
                    undone.append(Undone(first, kept, ledger.path, error))
                    kept = first
                    break
                ledger.on_disk = content
            else:
                return undone

    def _ledgers(self) -> list[Ledger]:
        # acl.json first: tasks require the ACL of their script, rarely the other way round, so
        # a later file that fails seldom takes back an edit of acl.json already written.
        return [ledger for ledger in (self._acl, self.state, self._credentials) if ledger is not None]

    def _undo_from(self, start: int, stop: int) -> None:
        for position in reversed(range(start, stop)):
            undo = self._undo.pop(position, None)
            if undo is not None:
                undo()

    def _current_position(self) -> int:
        return self._position
