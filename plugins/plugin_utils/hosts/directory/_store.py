# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the directory host keeps a Windows machine on disk, and how it reads and writes it.

``ROOT/C/...`` is drive ``C:``, ``ROOT/D/...`` drive ``D:``; registered tasks live under
``ROOT/C/Windows/System32/Tasks`` as UTF-16LE files with a BOM, as Windows stores them. Windows
names are case-insensitive, so every lookup matches each path component case-insensitively
while anything created keeps the case it was given. Writes are atomic: a temporary file in the
same directory, then a rename over the target.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts.directory._errors import RequestError
from ansible_collections.isotools.shop_sync.plugins.plugin_utils.spec.values import describe, quoted

__all__ = [
    "TASKS_DIR",
    "WITHHELD_FILE",
    "TEMP_PREFIX",
    "MAX_TASK_FILE_BYTES",
    "WindowsPath",
    "Resolved",
    "LoadedTask",
    "parse_windows_path",
    "parse_task_path",
    "parse_folder_path",
    "invalid_name_reason",
    "display_task_path",
    "resolve",
    "cached_listings",
    "scan_folder",
    "load_task",
    "is_regular_file",
    "NOT_REGULAR",
    "encode_task_text",
    "host_sha256",
    "hash_file",
    "atomic_write",
    "make_dirs",
    "remove_dirs",
    "remove_file",
    "load_json",
    "save_json",
    "append_json_line",
    "iter_json_lines",
    "Image",
]

TASKS_DIR = ("C", "Windows", "System32", "Tasks")
# Temporary files of atomic writes start with this; listings never report them as tasks.
TEMP_PREFIX = ".shop_sync-tmp-"
# A real task definition is a few KiB; anything past this is not read (the record says why).
MAX_TASK_FILE_BYTES = 1 << 20
_CHUNK = 1 << 20
# Opening a FIFO blocks until someone writes to it, with the image's lock held: never done.
NOT_REGULAR = "is not a regular file (a FIFO, a device or a socket): not opened"

_DRIVE = re.compile(r"^([A-Za-z]):(?:[\\/]|$)")
# What NTFS and Task Scheduler refuse in a name (besides the separators).
_FORBIDDEN_CHARACTERS = set('<>:"|?*') | {chr(code) for code in range(32)}
_RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul"] + [f"com{digit}" for digit in range(1, 10)] + [f"lpt{digit}" for digit in range(1, 10)])

_Listing = dict[str, set[str]]  # casefolded name -> the names on disk that fold to it
# Inside cached_listings(): directory -> its listing, read once, kept true by the writes here.
_LISTINGS: contextvars.ContextVar[dict[str, _Listing] | None] = contextvars.ContextVar("shop_sync_directory_listings", default=None)


@dataclass(frozen=True)
class WindowsPath:
    """An absolute Windows file path: ``D:\\Isotools\\x`` is drive ``D`` and two parts."""

    drive: str
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"{self.drive}:\\" + "\\".join(self.parts)

    @property
    def key(self) -> str:
        """The case-insensitive identity of the path (how acl.json names it)."""
        return self.text.lower()

    @property
    def parent(self) -> WindowsPath | None:
        return WindowsPath(self.drive, self.parts[:-1]) if self.parts else None


@dataclass(frozen=True)
class Resolved:
    """Where a Windows path is on disk: existing components with their on-disk case."""

    path: Path
    exists: bool
    names: tuple[str, ...]  # on-disk names of existing components, the given ones after


@dataclass(frozen=True)
class LoadedTask:
    """A task file read from disk: its text, or why it could not be read."""

    text: str | None
    error: str | None


def parse_windows_path(text: object) -> WindowsPath:
    """``D:\\Isotools\\x`` (``/`` accepted as Windows does); relative or ``..`` paths are refused."""
    if not isinstance(text, str):
        raise RequestError(f"file path {describe(text)} must be a string")
    match = _DRIVE.match(text.strip())
    if not match:
        raise RequestError(f"file path '{text}' must be absolute with a drive letter (e.g. D:\\Isotools\\x)")
    parts = tuple(part for part in re.split(r"[\\/]+", text.strip()[2:]) if part not in ("", "."))
    return WindowsPath(match.group(1).upper(), _inside(parts, f"file path '{text}'"))


def parse_task_path(text: object) -> tuple[str, ...]:
    """``\\Isotools\\Synchro Stock`` -> ``("Isotools", "Synchro Stock")``."""
    if not isinstance(text, str) or not text.startswith("\\") or text.endswith("\\") or "\\\\" in text:
        raise RequestError(f"task path {describe(text)} must look like \\Folder\\Name (or \\Name in the root folder)")
    return _inside(tuple(text[1:].split("\\")), f"task path '{text}'")


def parse_folder_path(text: object) -> tuple[str, ...]:
    """``\\`` -> ``()``; ``\\A\\B`` (or ``\\A\\B\\``) -> ``("A", "B")``."""
    if not isinstance(text, str) or not text.startswith("\\") or "\\\\" in text:
        raise RequestError(f"task folder {describe(text)} must be \\ or look like \\Folder (\\A\\B when nested)")
    stripped = text.strip("\\")
    return _inside(tuple(stripped.split("\\")), f"task folder '{text}'") if stripped else ()


def _inside(parts: tuple[str, ...], what: str) -> tuple[str, ...]:
    """``parts``, refused when one of them would lead the path out of where it belongs on disk."""
    for part in parts:
        if part in (".", "..") or "/" in part or "\x00" in part:
            raise RequestError(f"{what} must not contain '.', '..', '/' or NUL as or in a name")
    return parts


def invalid_name_reason(name: str) -> str | None:
    """Why Windows would refuse ``name`` as a file, folder or task name, or ``None``."""
    if name in ("", ".", ".."):
        return f"'{name}' is not a name"
    bad = sorted({character for character in name if character in _FORBIDDEN_CHARACTERS or character == "/"})
    if bad:
        shown = " ".join(quoted(character) for character in bad)
        return f"'{name}' contains {shown}; names cannot contain \\ / : * ? \" < > | or control characters"
    if name[-1] in ". ":
        return f"'{name}' ends with a dot or a space, which Windows strips from names"
    if name.split(".")[0].lower() in _RESERVED_NAMES:
        return f"'{name}' is a reserved device name on Windows"
    return None


def display_task_path(names: Sequence[str]) -> str:
    return "\\" + "\\".join(names)


def resolve(base: Path, parts: Sequence[str]) -> Resolved:
    """``base/parts``, each existing component found case-insensitively, as Windows does."""
    listings = _LISTINGS.get()
    current = str(base)  # strings, not Paths: this runs for every path of every change
    names: list[str] = []
    for index, part in enumerate(parts):
        match = _match(current, part) if listings is None else _listed_match(listings, current, part)
        if match is None:
            rest = tuple(parts[index:])
            return Resolved(Path(current, *rest), False, tuple(names) + rest)
        current = os.path.join(current, match)
        names.append(match)
    return Resolved(Path(current), True, tuple(names))


@contextlib.contextmanager
def cached_listings() -> Iterator[None]:
    """Within the block, :func:`resolve` lists each directory once instead of asking the disk.

    A lookup that misses must list the directory to match the name case-insensitively, and
    doing that for each of n new tasks in a folder of n made an apply O(n²). Only for a block in
    which nothing but this module's writers changes the image (its lock is held): each of them
    updates the listings it changes.
    """
    token = _LISTINGS.set({})
    try:
        yield
    finally:
        _LISTINGS.reset(token)


def _match(directory: str, name: str) -> str | None:
    """The on-disk name of ``name`` in ``directory``: itself, else its first case-insensitive match."""
    if os.path.lexists(os.path.join(directory, name)):
        return name
    listing = _listing(directory)
    return _pick(listing.get(name.casefold()) if listing else None, name)


def _listed_match(listings: dict[str, _Listing], directory: str, name: str) -> str | None:
    listing = listings.get(directory)
    if listing is None:
        listing = _listing(directory)
        if listing is None:
            return None
        listings[directory] = listing
    return _pick(listing.get(name.casefold()), name)


def _pick(matches: set[str] | None, name: str) -> str | None:
    if not matches:
        return None
    return name if name in matches else min(matches)


def _listing(directory: str) -> _Listing | None:
    """The names in ``directory`` by their case-folded form; ``None`` when it is no directory."""
    listing: _Listing = {}
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                listing.setdefault(entry.name.casefold(), set()).add(entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return listing


def _note_created(path: Path, *, directory: bool = False) -> None:
    listings = _LISTINGS.get()
    if listings is None:
        return
    listing = listings.get(str(path.parent))
    if listing is not None:
        listing.setdefault(path.name.casefold(), set()).add(path.name)
    if directory:
        listings[str(path)] = {}


def _note_removed(path: Path) -> None:
    listings = _LISTINGS.get()
    if listings is None:
        return
    listings.pop(str(path), None)
    listing = listings.get(str(path.parent))
    if listing is not None:
        listing.get(path.name.casefold(), set()).discard(path.name)


def scan_folder(directory: Path) -> tuple[list[str], list[str]]:
    """The task files and the sub-folders of a task folder, each sorted case-insensitively."""
    files: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith(TEMP_PREFIX):
                    continue
                (folders if entry.is_dir() else files).append(entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    files.sort(key=lambda name: (name.casefold(), name))
    folders.sort(key=lambda name: (name.casefold(), name))
    return files, folders


def load_task(path: Path) -> LoadedTask:
    """A task file as text: UTF-16 (with or without BOM) as Windows writes it, or UTF-8."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return LoadedTask(None, f"task file {NOT_REGULAR}")
        size = status.st_size
        if size > MAX_TASK_FILE_BYTES:
            return LoadedTask(None, f"task file is {size} bytes, more than the {MAX_TASK_FILE_BYTES} a task definition can hold; not read")
        data = path.read_bytes()
    except OSError as error:
        return LoadedTask(None, f"task file cannot be read: {error.strerror or error}")
    try:
        return LoadedTask(_decode_task_bytes(data), None)
    except UnicodeDecodeError as error:
        return LoadedTask(None, f"task file is neither UTF-16 nor UTF-8 text ({error.reason} at byte {error.start})")


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (through links, as a read would open it)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _decode_task_bytes(data: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    # Without a BOM, the first character ('<') tells UTF-16 by its zero byte.
    if len(data) >= 2 and data[0] != 0 and data[1] == 0:
        return data.decode("utf-16-le")
    if len(data) >= 2 and data[0] == 0 and data[1] != 0:
        return data.decode("utf-16-be")
    return data.decode("utf-8")


def encode_task_text(text: str) -> bytes:
    """What Windows writes to System32\\Tasks: UTF-16LE with a BOM."""
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def host_sha256(data: bytes) -> str:
    """The hash this host reports for a file or a task, computed on its side as Windows does (not the controller's)."""
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write(target: Path, data: bytes, *, before_replace: Callable[[], None] | None = None) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    ``before_replace`` runs between the two (fault injection); whatever fails, the temporary
    file is removed and ``target`` keeps its previous content.

    Not fsync'ed: the rename alone is what keeps a reader, or a process killed mid-write, from
    ever seeing half a file. An fsync would add durability across a power cut, which an image
    standing in for a Windows machine in tests and demos does not need, at a cost that grew
    with every file an apply writes (1,500 fsyncs were a quarter of a 500-job deploy).
    """
    descriptor, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, target)
        _note_created(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def make_dirs(path: Path) -> list[Path]:
    """Create ``path`` and its missing parents; the ones created, outermost first."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    created: list[Path] = []
    try:
        for directory in reversed(missing):
            directory.mkdir()
            _note_created(directory, directory=True)
            created.append(directory)
    except OSError:
        remove_dirs(created)
        raise
    return created


def remove_dirs(created: Sequence[Path]) -> None:
    """Undo :func:`make_dirs` (innermost first); a directory someone filled meanwhile stays."""
    for directory in reversed(created):
        try:
            directory.rmdir()
        except OSError:
            return
        _note_removed(directory)


def remove_file(path: Path) -> None:
    """Delete the file ``path``, if it exists."""
    path.unlink(missing_ok=True)
    _note_removed(path)


def load_json(path: Path, default: Any) -> Any:
    """A JSON file of the image; ``default`` when absent. A broken file names itself."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default
    try:
        return json.loads(text)
    except ValueError as error:
        raise RequestError(f"{path} is not valid JSON: {error}") from None


def save_json(path: Path, value: Any) -> None:
    text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))


def append_json_line(path: Path, value: dict[str, Any]) -> None:
    """Append one JSON object as a line, in one write so lines of concurrent writers never mix."""
    line = (json.dumps(value, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
    _note_created(path)


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a JSON-lines file with their line numbers; a torn last line is skipped."""
    try:
        stream = path.open(encoding="utf-8")
    except FileNotFoundError:
        return
    with stream:
        for number, line in enumerate(stream):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                yield number, value


def _first_link(base: Path, names: Sequence[str]) -> int | None:
    """The index of the first of ``names``, walked down from ``base``, that is a symbolic link."""
    current = str(base)
    for index, name in enumerate(names):
        current = os.path.join(current, name)
        if os.path.islink(current):
            return index
        if not os.path.lexists(current):
            return None
    return None


# A snapshot's sensitive scripts: their hash and size, not their content (see image).
WITHHELD_FILE = "withheld.json"


@dataclass(frozen=True)
class Image:
    """The files of one directory host under its ROOT."""

    root: Path

    @property
    def tasks_dir(self) -> Path:
        return resolve(self.root, TASKS_DIR).path

    def task(self, parts: Sequence[str]) -> Resolved:
        """A task (or task folder) by its path components."""
        return resolve(self.tasks_dir, parts)

    def file_link(self, path: WindowsPath) -> str | None:
        """The outermost symbolic link on ``path`` (the drive, a folder above, the path itself),
        as a Windows path; ``None`` when there is none. Every component is looked at, none followed."""
        drive = resolve(self.root, (path.drive,))
        if not drive.exists:
            return None
        if os.path.islink(drive.path):
            return f"{path.drive}:\\"
        index = _first_link(drive.path, resolve(drive.path, path.parts).names)
        return None if index is None else WindowsPath(path.drive, path.parts[: index + 1]).text

    def task_link(self, parts: Sequence[str]) -> str | None:
        """The outermost symbolic link on the way to a task folder or task, from ``C:\\`` down
        through ``Windows\\System32\\Tasks``, as a Windows path; ``None`` when there is none."""
        names = resolve(self.root, (*TASKS_DIR, *parts)).names
        index = _first_link(self.root, names)
        return None if index is None else f"{names[0]}:\\" + "\\".join(names[1 : index + 1])

    def file(self, path: WindowsPath) -> Resolved | None:
        """A file or directory; ``None`` when its drive does not exist on this machine.

        ``C:`` always exists (its folder is created when first written); another drive exists
        when ``ROOT/<letter>`` does.
        """
        drive = resolve(self.root, (path.drive,))
        if not drive.exists and path.drive != "C":
            return None
        return resolve(drive.path, path.parts)

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def journal_file(self) -> Path:
        return self.root / "journal.jsonl"

    @property
    def history_file(self) -> Path:
        return self.root / "history.jsonl"

    @property
    def credentials_file(self) -> Path:
        return self.root / "credentials.json"

    @property
    def withheld_file(self) -> Path:
        return self.root / WITHHELD_FILE

    @property
    def acl_file(self) -> Path:
        return self.root / "acl.json"

    @property
    def accounts_file(self) -> Path:
        return self.root / "accounts.json"

    @property
    def environment_file(self) -> Path:
        return self.root / "environment.json"

    @property
    def host_file(self) -> Path:
        return self.root / "host.json"

    @property
    def outcomes_file(self) -> Path:
        return self.root / "outcomes.json"

    @property
    def lock_file(self) -> Path:
        return self.root / ".lock"
