# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every change to plugins/ or roles/ comes with a changelog fragment (tests/tools/changelog_fragments.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import changelog_fragments as check
import pytest

# Invented repositories, committed at one fixed time so that their history is reproducible.
COMMITTED = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.timezone.utc)


def test_every_change_to_plugins_or_roles_since_the_base_has_a_fragment() -> None:
    try:
        check.toplevel()
    except check.NotAGitCheckout as error:
        pytest.skip(str(error))
    if check.git("rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.skip("a shallow clone: the commits since the base may be missing (git fetch --unshallow)")
    since = check.base()
    found = check.offenders(since)
    assert not found, "\n".join(
        [
            *map(str, found),
            "Add a fragment (DEVELOPERS.md, 'Changelog'), or say why there is none: a subject in an area that is not",
            "user-visible (tests:, docs:, ci:) or a 'No-changelog: <reason>' line in the body.",
        ]
    )


class Repo:
    """A throwaway git repository whose commits carry the author dates a test gives."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        stamp = COMMITTED.isoformat()
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]
        return subprocess.run(["git", *identity, *args], cwd=self.root, env=env, check=True, capture_output=True, text=True).stdout

    def commit(self, message: str, *paths: str) -> str:
        for path in paths:
            file = self.root / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(f"{file.read_text() if file.exists() else ''}{message}\n", encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def offenders(self, since: str) -> list[str]:
        return [offender.subject for offender in check.offenders(since, repo=self.root)]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_a_change_to_plugins_or_roles_needs_a_fragment_unless_it_says_why_not(repo: Repo) -> None:
    base = repo.commit("core: the start", "plugins/plugin_utils/model.py")
    repo.commit("core: no fragment", "plugins/plugin_utils/model.py")
    repo.commit("role: with one", "roles/sync_jobs/tasks/main.yml", "changelogs/fragments/role.yml")
    repo.commit("role: an old fragment edited", "roles/sync_jobs/tasks/main.yml", "changelogs/fragments/role.yml")
    repo.commit("role, tests: no fragment", "roles/sync_jobs/tasks/main.yml", "tests/unit/test_role.py")
    repo.commit("tests: a helper under plugins", "plugins/plugin_utils/model.py")
    repo.commit("docs, ci: comments only", "plugins/action/win_sync_jobs.py")
    repo.commit("hosts: a refactor\n\nNo-changelog: internal, nothing a user sees changes.", "plugins/plugin_utils/hosts/directory.py")
    repo.commit("hosts: an empty trailer\n\nNo-changelog:", "plugins/plugin_utils/hosts/directory.py")
    repo.commit("playbooks: outside plugins and roles", "playbooks/drift.yml")
    repo.commit("core: a fragment that is not one", "plugins/plugin_utils/model.py", "changelogs/fragments/README")

    assert repo.offenders(base) == ["core: no fragment", "role, tests: no fragment", "hosts: an empty trailer", "core: a fragment that is not one"]


def test_a_fragment_deleted_is_no_fragment_and_a_merge_is_judged_by_its_parents(repo: Repo) -> None:
    base = repo.commit("core: the start", "plugins/a.py", "changelogs/fragments/a.yml")
    repo.git("rm", "-q", "changelogs/fragments/a.yml")
    repo.commit("core: drops a fragment", "plugins/a.py")
    repo.git("checkout", "-q", "-b", "side", base)
    repo.commit("core: on a branch, with a fragment", "plugins/b.py", "changelogs/fragments/b.yml")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side")

    assert repo.offenders(base) == ["core: drops a fragment"]


def test_the_base_is_the_newest_release_tag_once_there_is_one(repo: Repo) -> None:
    documented = repo.commit("core: the start", "plugins/a.py")
    assert check.base(repo.root, documented) == documented
    repo.commit("core: released without a fragment", "plugins/a.py")
    repo.git("tag", "0.2.0")
    assert check.base(repo.root, documented) == "0.2.0"
    assert repo.offenders(check.base(repo.root, documented)) == []

    older = repo.commit("core: a later documented base", "plugins/a.py")
    assert check.base(repo.root, older) == older  # a tag older than the documented base is not used


def test_outside_a_git_checkout_there_is_nothing_to_check(tmp_path: Path) -> None:
    unpacked = tmp_path / "ansible_collections" / "isotools" / "shop_sync"
    unpacked.mkdir(parents=True)
    with pytest.raises(check.NotAGitCheckout, match="not a git checkout"):
        check.toplevel(unpacked)
