# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A ``_name`` module is private to its package (DEVELOPERS.md, "Layout"): only modules of that
package, or of the packages inside it, import it; everything else, the tests too, goes through
the package's ``__init__``, its public face."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COLLECTION = ("ansible_collections", "isotools", "shop_sync")
SCANNED = ("plugins", "tests")


def _package_of(path: Path) -> tuple[str, ...]:
    """The package a file's module belongs to, as the collection names it (``plugins``, ...)."""
    parts = path.relative_to(REPO).with_suffix("").parts
    return parts[:-1]


def _is_module(parts: tuple[str, ...]) -> bool:
    base = REPO.joinpath(*parts)
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _targets(tree: ast.AST, package: tuple[str, ...]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Each module of the collection an import names (its line, its parts below the collection)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [tuple(alias.name.split(".")) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = tuple(node.module.split(".")) if node.module else ()
            if node.level:
                base = package[: len(package) - node.level + 1] + base
            modules = [base, *((*base, alias.name) for alias in node.names)]
        else:
            continue
        for module in modules:
            inner = module[len(COLLECTION) :] if module[: len(COLLECTION)] == COLLECTION else module
            if inner[:1] == ("plugins",) and _is_module(inner):
                yield node.lineno, inner


def private_imports(path: Path, source: str) -> list[str]:
    """The imports of ``source`` (the text of ``path``) of another package's private module."""
    package = _package_of(path)
    found = []
    for line, target in _targets(ast.parse(source, str(path)), package):
        private = next((index for index, name in enumerate(target) if name.startswith("_") and not name.startswith("__")), None)
        if private is not None and package[:private] != target[:private]:
            found.append(f"{path.relative_to(REPO)}:{line}: imports {'.'.join(target)}, private to {'.'.join(target[:private])}")
    return found


def test_no_module_imports_another_packages_private_module() -> None:
    files = sorted(path for folder in SCANNED for path in (REPO / folder).rglob("*.py") if "__pycache__" not in path.parts)

    assert len(files) > 100  # the tree was found
    assert [found for path in files for found in private_imports(path, path.read_text(encoding="utf-8"))] == []


HOSTS = "ansible_collections.isotools.shop_sync.plugins.plugin_utils.hosts"


@pytest.mark.parametrize(
    ("importer", "source", "flagged"),
    [
        ("tests/unit/test_x.py", f"from {HOSTS}.directory import _apply", True),
        ("tests/unit/test_x.py", f"from {HOSTS}.directory._apply import save_json", True),
        ("tests/unit/test_x.py", f"import {HOSTS}.directory._store", True),
        ("plugins/plugin_utils/sync.py", "from ansible_collections.isotools.shop_sync.plugins.plugin_utils.plan._files import ACCOUNT_WORDS", True),
        ("plugins/plugin_utils/hosts/winrm.py", "from .directory import _apply", True),
        ("tests/unit/test_x.py", f"from {HOSTS}.directory import DirectoryHost, image", False),
        ("plugins/plugin_utils/hosts/directory/__init__.py", f"from {HOSTS}.directory._apply import apply_changes", False),
        ("plugins/plugin_utils/hosts/directory/_apply.py", "from ._store import save_json", False),
        ("tests/unit/test_x.py", "from ansible.module_utils._text import to_text", False),  # not the collection's
    ],
)
def test_the_rule_knows_a_private_import_from_a_public_one(importer: str, source: str, flagged: bool) -> None:
    assert bool(private_imports(REPO / importer, source)) is flagged
