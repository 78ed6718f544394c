# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What `ansible-galaxy collection build` puts into the tarball users install.

The build runs on a copy of git's view of the working tree (tracked files and untracked files
that are not ignored), to which the git-ignored files a developer or an operator really has
lying around are added: the adopt playbook's output, the Windows test inventory the docs tell
people to fill with ``ansible_password=``, the demo hosts, reports, caches. The tarball must hold
exactly git's view, less the developer-only files listed here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_GALAXY = Path(sys.executable).parent / "ansible-galaxy"

# Tracked, but of no use in an installed collection, or harmful there: ansible.cfg points at the
# demo inventory and at ./build/collections; .ci/run is the CI entry point; the pre-commit hooks
# call the developer's .venv.
DEVELOPER_ONLY = frozenset({"ansible.cfg", ".ci/run", ".pre-commit-config.yaml"})
# Test-only code, never shipped: the loopback WinRM server (tests/support/winrm_loopback.py).
DEVELOPER_ONLY_DIRS = ("tests/support/",)
# Written by ansible-galaxy itself, from galaxy.yml, which it leaves out.
BUILD_METADATA = frozenset({"MANIFEST.json", "FILES.json"})
GALAXY_YML = "galaxy.yml"
# Git-ignored files found in real working trees (the test checks that git ignores each one).
GIT_IGNORED = (
    "adopted/host_vars/shop-prod-03.yml",
    "snapshots/shop-prod-03/C/Windows/System32/Tasks/Isotools/Synchro Stock",
    "tests/integration/inventory.winrm",
    "demo/shop01/host.json",
    "reports/20261202T101500Z/summary.md",
    "tests/output/junit/sanity.xml",
    "plugins/plugin_utils/__pycache__/model.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed",
    ".mypy_cache/3.11/cache.db",
    ".ruff_cache/CACHEDIR.TAG",
    ".hypothesis/examples/x",
    ".benchmarks/Linux-CPython-3.11/0001.json",
    "isotools-shop_sync-0.0.9.tar.gz",
)


def git(*arguments: str, stdin: str | None = None) -> str:
    completed = subprocess.run(["git", "-C", str(REPO), *arguments], input=stdin, capture_output=True, text=True, check=False)
    if completed.returncode not in (0, 1):
        pytest.skip(f"git {' '.join(arguments)} failed ({completed.stderr.strip()}): not a git working tree")
    return completed.stdout


@pytest.fixture(scope="module")
def git_view() -> frozenset[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return frozenset(path for path in git("ls-files", "-co", "--exclude-standard", "-z").split("\0") if path and (REPO / path).is_file())


@pytest.fixture(scope="module")
def shipped(git_view: frozenset[str], tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    if not ANSIBLE_GALAXY.exists():
        pytest.skip(f"{ANSIBLE_GALAXY} is missing (run make venv)")
    tree = tmp_path_factory.mktemp("collection")
    for path in git_view:
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / path, tree / path)
    for path in GIT_IGNORED:
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text("ansible_password=not-a-real-one\n", encoding="utf-8")
    output = tmp_path_factory.mktemp("dist")
    subprocess.run([str(ANSIBLE_GALAXY), "collection", "build", "--output-path", str(output)], cwd=tree, check=True, capture_output=True, text=True)
    (tarball,) = output.glob("isotools-shop_sync-*.tar.gz")
    with tarfile.open(tarball) as archive:
        return frozenset(member.name for member in archive.getmembers() if member.isfile())


def test_the_sample_files_are_ignored_by_git() -> None:
    ignored = set(git("check-ignore", "--no-index", "--stdin", stdin="\n".join(GIT_IGNORED) + "\n").splitlines())
    assert ignored == set(GIT_IGNORED), f"not git-ignored, so not a sample of an ignored file: {sorted(set(GIT_IGNORED) - ignored)}"


def test_no_git_ignored_file_ships(shipped: frozenset[str]) -> None:
    ignored = git("check-ignore", "--no-index", "--stdin", stdin="\n".join(sorted(shipped)) + "\n").splitlines()
    assert ignored == [], f"the tarball holds git-ignored files: {ignored}"


def developer_only(paths: frozenset[str]) -> frozenset[str]:
    return frozenset(path for path in paths if path in DEVELOPER_ONLY or path.startswith(DEVELOPER_ONLY_DIRS))


def test_no_developer_only_file_ships(git_view: frozenset[str], shipped: frozenset[str]) -> None:
    assert any(path.startswith(DEVELOPER_ONLY_DIRS) for path in git_view), "no test-only file to leave out"
    assert sorted(developer_only(shipped)) == []


def test_the_tarball_is_gits_view_less_the_developer_files(git_view: frozenset[str], shipped: frozenset[str]) -> None:
    assert sorted(shipped - BUILD_METADATA) == sorted(git_view - developer_only(git_view) - {GALAXY_YML})
