# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which commits change ``plugins/`` or ``roles/`` without a changelog fragment.

Every user-visible change gets a fragment in ``changelogs/fragments/`` (DEVELOPERS.md,
"Changelog"). A commit since the base that touches ``plugins/`` or ``roles/`` must add or edit one,
unless it says it is not user-visible: its subject's areas are all among :data:`EXEMPT_AREAS`
(``tests: ...``, ``docs, ci: ...``), or its body has a ``No-changelog: <reason>`` line.

The base is the newest release tag when there is one; releases so far were not tagged (0.1.0 is
in ``changelogs/changelog.yaml`` only), so until the first tag it is :data:`BASE`: the last
commit made before the rule (the branches that were in flight when it came in, landed), as
commits already on main cannot be rewritten. Merge commits are not checked (their parents are).

``python tests/tools/changelog_fragments.py [REV]`` lists the offenders up to ``REV`` (HEAD).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The last commit made before the rule: the branches in flight on 2026-12-03 as they landed
# (DEVELOPERS.md, "Changelog").
BASE = "54422596e3b9cd289ca530d3122a86045d50e919"
USER_VISIBLE = ("plugins/", "roles/")
FRAGMENTS = "changelogs/fragments/"
EXEMPT_AREAS = frozenset({"tests", "docs", "ci"})
_NO_CHANGELOG = re.compile(r"^No-changelog:[ \t]*\S", re.MULTILINE)


class NotAGitCheckout(Exception):
    """The tree is not a git checkout of its own (an unpacked tarball): there is no history."""


@dataclass(frozen=True)
class Offender:
    commit: str
    subject: str
    paths: tuple[str, ...]  # what it changed under plugins/ or roles/

    def __str__(self) -> str:
        shown = ", ".join(self.paths[:3]) + (f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else "")
        return f"{self.commit[:10]} {self.subject!r} changes {shown} without a fragment in {FRAGMENTS}"


def git(*args: str, repo: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def toplevel(repo: Path = REPO) -> Path:
    """``repo`` when it is the root of a git work tree, else :class:`NotAGitCheckout`."""
    try:
        top = Path(git("rev-parse", "--show-toplevel", repo=repo).strip()).resolve()
    except (OSError, subprocess.CalledProcessError) as error:
        raise NotAGitCheckout(f"{repo} is not a git checkout (an unpacked tarball?): no history to check") from error
    if top != repo.resolve():
        raise NotAGitCheckout(f"{repo} is not a git checkout of its own (it lies inside {top}): no history to check")
    return top


def base(repo: Path = REPO, documented: str = BASE) -> str:
    """The newest tag reachable from HEAD when it is not older than ``documented``, else that."""
    try:
        tag = git("describe", "--tags", "--abbrev=0", "HEAD", repo=repo).strip()
    except subprocess.CalledProcessError:
        return documented
    ancestor = subprocess.run(["git", "merge-base", "--is-ancestor", documented, tag], cwd=repo, check=False, capture_output=True)
    return tag if ancestor.returncode == 0 else documented


def exempt(message: str) -> bool:
    """Whether the commit says it is not user-visible: exempt areas only, or No-changelog."""
    subject, _newline, body = message.partition("\n")
    area, colon, _what = subject.partition(":")
    areas = {part.strip().lower() for part in area.split(",")}
    return (bool(colon) and areas <= EXEMPT_AREAS) or _NO_CHANGELOG.search(body) is not None


def offenders(since: str, until: str = "HEAD", repo: Path = REPO) -> list[Offender]:
    """The non-merge commits in ``since..until`` that need a fragment and have none, oldest first."""
    found = []
    for record in git("log", "--no-merges", "--reverse", "--format=%H%x00%B%x1e", f"{since}..{until}", repo=repo).split("\x1e"):
        if not record.strip():
            continue
        commit, message = record.strip("\n").split("\x00", 1)
        if exempt(message):
            continue
        changes = [line.split("\t") for line in git("diff-tree", "--no-commit-id", "--root", "-r", "--name-status", commit, repo=repo).splitlines()]
        touched = tuple(fields[-1] for fields in changes if fields[-1].startswith(USER_VISIBLE))
        fragment = any(fields[0] in ("A", "M") and fields[-1].startswith(FRAGMENTS) and fields[-1].endswith((".yml", ".yaml")) for fields in changes)
        if touched and not fragment:
            found.append(Offender(commit, message.partition("\n")[0], touched))
    return found


def main(argv: list[str]) -> int:
    try:
        toplevel()
    except NotAGitCheckout as error:
        print(error)
        return 0
    since = base()
    found = offenders(since, argv[1] if len(argv) > 1 else "HEAD")
    for offender in found:
        print(offender)
    print(f"{len(found)} commit(s) since {since[:10]} change plugins/ or roles/ without a changelog fragment")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
