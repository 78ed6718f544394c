# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""execution-environment.yml: ansible-builder makes a build context that installs this collection.

The collection is built with ansible-galaxy as docs/awx.md says, then ``ansible-builder create``
writes the context (no container is built: that needs a registry). The context must install the
tarball just built, with the collection's Python and system requirements.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EE_FILES = ("execution-environment.yml", "requirements.txt", "bindep.txt")
TARBALL = Path("build") / "ee" / "isotools-shop_sync.tar.gz"


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool in ("ansible-galaxy", "ansible-builder"):
        if not (BIN / tool).exists():
            pytest.skip(f"{BIN / tool} is missing (run make venv)")
    work = tmp_path_factory.mktemp("ee")
    for name in EE_FILES:
        shutil.copy(REPO / name, work / name)
    output = work / "build" / "ee"
    subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(output), str(REPO)], check=True, capture_output=True, timeout=300
    )
    [built] = output.glob("isotools-shop_sync-*.tar.gz")
    built.rename(work / TARBALL)
    subprocess.run(
        # As docs/awx.md runs it: ansible-builder 3 names the file after the container runtime it
        # finds (Containerfile for podman, Dockerfile where only docker is installed, as here)
        # unless told.
        [str(BIN / "ansible-builder"), "create", "--file", "execution-environment.yml", "--context", "context", "--output-filename", "Containerfile"],
        cwd=work,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return work / "context"


def test_no_page_sends_a_build_to_a_bindep_profile_bindep_txt_lacks() -> None:
    # The Kerberos packages are commented-out lines of bindep.txt, selected by platform only:
    # uncommenting them is all a build needs, there is no "kerberos" profile to build.
    # A package line, commented out or not: "krb5-devel [platform:rpm compile]".
    profiles = set(re.findall(r"^#? *[\w.+-]+ +\[([^\]]*)\] *$", (REPO / "bindep.txt").read_text(encoding="utf-8"), re.M))
    known = {word for selectors in profiles for word in selectors.split() if not word.startswith("platform:")}
    for path in ("execution-environment.yml", "docs/awx.md"):
        named = set(re.findall(r"bindep'?s? \W?(\w+)\W? profile", (REPO / path).read_text(encoding="utf-8")))
        assert named <= known, f"{path} names the bindep profile(s) {sorted(named - known)}; bindep.txt has {sorted(known)}"


def test_the_containerfile_installs_the_galaxy_requirements_and_the_python_and_system_ones(context: Path) -> None:
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    assert "ansible-galaxy collection install" in containerfile and "-r requirements.yml" in containerfile
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    assert "COPY _build/bindep.txt bindep.txt" in containerfile
    assert "introspect" in containerfile  # the collection's meta/execution-environment.yml is read
    assert 'ARG PYCMD="/usr/bin/python3.11"' in containerfile


def test_the_galaxy_requirements_name_the_collection_tarball_in_the_context(context: Path) -> None:
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text(encoding="utf-8"))
    [collection] = requirements["collections"]
    assert collection == {"name": "collections/isotools-shop_sync.tar.gz", "type": "file"}
    assert (context / "_build" / collection["name"]).is_file()


def test_the_tarball_is_this_collection_with_its_requirements(context: Path) -> None:
    with tarfile.open(context / "_build" / "collections" / "isotools-shop_sync.tar.gz") as archive:
        names = set(archive.getnames())
        manifest = json.load(archive.extractfile("MANIFEST.json"))  # type: ignore[arg-type]
    assert (manifest["collection_info"]["namespace"], manifest["collection_info"]["name"]) == ("isotools", "shop_sync")
    for member in (
        "meta/execution-environment.yml",
        "requirements.txt",
        "bindep.txt",
        "roles/sync_jobs/meta/argument_specs.yml",
        "plugins/filter/sync_jobs.py",
        "plugins/action/sync_report.py",
        "playbooks/drift.yml",
    ):
        assert member in names, member
    assert not any(name.startswith((".venv/", "build/", "demo/", "reports/")) for name in names)


def test_the_python_requirements_bring_pywinrm_and_defusedxml(context: Path) -> None:
    requirements = (context / "_build" / "requirements.txt").read_text(encoding="utf-8")
    active = [line.split("#")[0].strip() for line in requirements.splitlines() if line.split("#")[0].strip()]
    assert any(line.startswith("pywinrm") for line in active)
    assert any(line.startswith("defusedxml") for line in active)
    meta = yaml.safe_load((REPO / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    assert meta["dependencies"] == {"python": "requirements.txt", "system": "bindep.txt"}
