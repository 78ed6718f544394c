# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pip bootstrap seeded for ansible-test (tests/tools/seed_get_pip.py) is found and works."""

from __future__ import annotations

import ensurepip
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import ansible_test
import pytest
import seed_get_pip


def test_seeded_script_is_where_ansible_test_looks_for_it() -> None:
    requirements_py = Path(ansible_test.__file__).parent / "_util" / "target" / "setup" / "requirements.py"
    source = requirements_py.read_text(encoding="utf-8")
    formula = re.search(r"cache_path = os\.path\.expanduser\('([^']+)' % pip_version\.replace\(\"\.\", \"_\"\)\)", source)
    assert formula, f"ansible-test no longer builds its get-pip cache path as expected: read {requirements_py}"

    version = seed_get_pip.expected_pip_version(f"{sys.version_info.major}.{sys.version_info.minor}")

    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", version)
    assert seed_get_pip.cache_path(version) == Path(os.path.expanduser(formula.group(1) % version.replace(".", "_")))


@pytest.mark.parametrize(
    ("environ", "settings"),
    [
        ({}, {}),
        ({"PIP_CERT": "/etc/ssl/ca.pem", "HOME": "/root"}, {"cert": "/etc/ssl/ca.pem"}),
        ({"PIP_INDEX_URL": "https://mirror.example/simple", "PIP_FIND_LINKS": ""}, {"index-url": "https://mirror.example/simple"}),
        ({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/srv/wheels"}, {"no-index": "1", "find-links": "/srv/wheels"}),
        ({"PIP_DISABLE_PIP_VERSION_CHECK": "1"}, {}),
    ],
)
def test_pip_settings_come_from_the_pip_variables_that_are_set(environ: dict[str, str], settings: dict[str, str]) -> None:
    assert seed_get_pip.pip_settings(environ) == settings


def _bundled_pip_wheels() -> Path:
    """Return the folder of the pip wheel ensurepip ships, so installing pip needs no index."""
    bundled = Path(ensurepip.__file__).parent / "_bundled"
    if not any(bundled.glob("pip-*.whl")):
        pytest.skip(f"this Python ships no pip wheel in {bundled} (a distribution's repackaged ensurepip)")
    return bundled


@pytest.mark.parametrize(
    "host_python",
    [
        pytest.param(sys.executable, id="pip-of-the-seeding-python"),
        pytest.param("/nonexistent/bin/python", id="ensurepip-when-that-python-is-gone"),
    ],
)
def test_bootstrap_installs_pip_in_an_empty_venv_with_a_scrubbed_environment(tmp_path: Path, host_python: str) -> None:
    target_venv = tmp_path / "venv"
    venv.create(target_venv, with_pip=False)
    script = tmp_path / "get_pip_test.py"
    # Offline: `pip install pip` is satisfied from the wheel ensurepip ships.
    settings = {"no-index": "true", "find-links": str(_bundled_pip_wheels())}
    script.write_text(seed_get_pip.bootstrap_script(settings, host_python), encoding="utf-8")
    python = target_venv / "bin" / "python"
    scrubbed = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}

    # The arguments ansible-test passes (requirements.py bootstrap()).
    subprocess.run(
        [str(python), str(script), "--disable-pip-version-check", "pip", "--no-setuptools", "--no-wheel"],
        check=True,
        env=scrubbed,
        capture_output=True,
    )

    pip_version = subprocess.run([str(python), "-m", "pip", "--version"], check=True, env=scrubbed, capture_output=True, text=True)
    assert pip_version.stdout.startswith("pip ")
    assert str(target_venv) in pip_version.stdout
    pip_conf = (target_venv / "pip.conf").read_text(encoding="utf-8")
    assert pip_conf == f"[global]\nfind-links = {settings['find-links']}\nno-index = true\n"


def test_a_downloaded_get_pip_is_kept_unless_forced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    downloaded = seed_get_pip.cache_path("24.2")
    downloaded.parent.mkdir(parents=True)
    downloaded.write_text("# the real get-pip.py\n", encoding="utf-8")

    assert seed_get_pip.main(["--pip-version", "24.2"]) == 0
    assert downloaded.read_text(encoding="utf-8") == "# the real get-pip.py\n"

    assert seed_get_pip.main(["--pip-version", "24.2", "--force"]) == 0
    assert "ensurepip" in downloaded.read_text(encoding="utf-8")
