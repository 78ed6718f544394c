# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``plugins/plugin_utils/`` is the pure core (DEVELOPERS.md, "Layout"): no file, no working
directory, no environment, no clock, no printing. Its edges are ``actions/`` (Ansible: display,
the task, the controller's files) and ``hosts/`` (the host); a core module that needs one of
those is given it by its caller (``template_exists``, ``absolute_path``, ``SyncRun.now``,
``BackupFiles``). The rule is read from the sources with ``ast``, through the names a module
imports (``import datetime as dt`` then ``dt.datetime.now``)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "plugins" / "plugin_utils"
EDGES = ("actions", "hosts")
# What reads or writes the controller's state, each as the module that defines it names it.
IMPURE = {
    "open": "opens a file",
    "print": "prints",
    "io.open": "opens a file",
    "os.open": "opens a file",
    "os.fdopen": "opens a file",
    "os.makedirs": "makes a folder",
    "os.mkdir": "makes a folder",
    "os.chmod": "changes a file's mode",
    "os.getcwd": "reads the working directory",
    "os.path.abspath": "reads the working directory",
    "os.path.realpath": "reads the working directory",
    "os.path.expanduser": "reads HOME",
    "os.environ": "reads the environment",
    "os.getenv": "reads the environment",
    "pathlib.Path.cwd": "reads the working directory",
    "pathlib.Path.home": "reads HOME",
    "datetime.datetime.now": "reads the clock",
    "datetime.datetime.utcnow": "reads the clock",
    "datetime.datetime.today": "reads the clock",
    "datetime.date.today": "reads the clock",
    "time.time": "reads the clock",
    "time.time_ns": "reads the clock",
    "ansible.utils.display": "prints through Ansible's Display",
}
# Built-ins are theirs unless a module binds the name itself.
BUILTINS = ("open", "print")


def is_core(path: Path) -> bool:
    """A module of the pure core: under ``plugins/plugin_utils/``, in no edge package."""
    parts = path.relative_to(CORE).parts
    return len(parts) == 1 or parts[0] not in EDGES


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Each name a module binds by an import, and the dotted name it stands for."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                # ``import os.path`` binds ``os``; ``import datetime as dt`` binds ``dt``.
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """What ``node`` (``dt.datetime.now``, ``environ``) names, through the module's imports."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    if node.id in names:
        return ".".join([names[node.id], *attributes])
    return ".".join([node.id, *attributes]) if node.id in BUILTINS else None


def _uses(tree: ast.AST) -> Iterator[tuple[int, str]]:
    names = _imported_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, (ast.Attribute, ast.Name)):
            dotted = _dotted(node, names)
            if dotted is not None:
                yield node.lineno, dotted


def impure_uses(path: Path, source: str) -> list[str]:
    """What the module ``source`` (the text of ``path``) uses of :data:`IMPURE`, once a line."""
    tree = ast.parse(source, str(path))
    bound = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    bound |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    bound |= {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    found = {(line, name) for line, name in _uses(tree) if name in IMPURE and not (name in BUILTINS and name in bound)}
    return [f"{path.relative_to(REPO)}:{line}: {name} ({IMPURE[name]})" for line, name in sorted(found)]


def test_the_pure_core_reads_no_file_no_environment_no_clock_and_prints_nothing() -> None:
    files = sorted(path for path in CORE.rglob("*.py") if "__pycache__" not in path.parts)
    core = [path for path in files if is_core(path)]

    assert all((CORE / edge).is_dir() for edge in EDGES)
    assert len(core) > 40 and len(files) > len(core)  # the tree was found, and the edges told apart
    assert [found for path in core for found in impure_uses(path, path.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize(
    ("module", "source", "flagged"),
    [
        ("sync.py", "with open(path, 'wb') as stream:\n    stream.write(b'')", "open"),
        ("sync.py", "import os\nos.open(path, os.O_WRONLY, 0o600)", "os.open"),
        ("sync.py", "import os\nos.makedirs(folder, mode=0o700)", "os.makedirs"),
        ("jobs/inventory.py", "import os.path\nos.path.abspath(path)", "os.path.abspath"),
        ("jobs/inventory.py", "from os.path import abspath as absolute\nabsolute(path)", "os.path.abspath"),
        ("jobs/inventory.py", "import os\nos.path.expanduser('~')", "os.path.expanduser"),
        ("spec/values.py", "import os\nos.getcwd()", "os.getcwd"),
        ("spec/values.py", "import os\nos.environ.get('HOME')", "os.environ"),
        ("spec/values.py", "from os import environ\nhome = environ['HOME']", "os.environ"),
        ("freshness.py", "import datetime as dt\ndt.datetime.now(dt.timezone.utc)", "datetime.datetime.now"),
        ("freshness.py", "from datetime import datetime\ndatetime.now()", "datetime.datetime.now"),
        ("freshness.py", "import datetime\nclock = datetime.datetime.now", "datetime.datetime.now"),
        ("timeutil.py", "import time\ntime.time()", "time.time"),
        ("report/data.py", "from pathlib import Path\nPath.cwd()", "pathlib.Path.cwd"),
        ("report/html.py", "from ansible.utils.display import Display\nDisplay().display('x')", "ansible.utils.display"),
        ("report/html.py", "import ansible.utils.display", "ansible.utils.display"),
        ("report/html.py", "print('x')", "print"),
        # What is pure: path arithmetic, a given time, a time of day, a name of one's own.
        ("sync.py", "import os\nos.path.join(folder, name)", None),
        ("freshness.py", "import datetime as dt\nnow - dt.timedelta(hours=1)", None),
        ("spec/values.py", "from datetime import time\ntime(6, 0)", None),
        ("sync.py", "def f(run):\n    return run.now", None),
        ("sync.py", "def f(open):\n    return open('x')", None),
    ],
)
def test_the_rule_knows_what_is_impure(module: str, source: str, flagged: str | None) -> None:
    # A name imported and then used is found on both lines: one finding a line, of one name.
    found = impure_uses(CORE / module, source)
    assert {line.split(": ", 1)[1].split(" (")[0] for line in found} == ({flagged} if flagged else set())


@pytest.mark.parametrize(
    ("module", "core"), [("sync.py", True), ("jobs/inventory.py", True), ("actions/support.py", False), ("hosts/directory/_store.py", False)]
)
def test_the_edges_are_left_out(module: str, core: bool) -> None:
    assert is_core(CORE / module) is core
