# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The committed reference (docs/reference) is what the documentation renders, and renders it right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import reference_markdown
import render_reference
from ansible.release import __version__ as ansible_core_version

REFERENCE = render_reference.REPO / "docs" / "reference"
# The pages are rendered with the pinned ansible-core of Python 3.11; other cores word the
# standard attributes differently, which is not staleness.
PINNED_CORE = re.search(r"^ansible-core==([\d.]+)", (render_reference.REPO / "requirements-dev.txt").read_text(encoding="utf-8"), re.M)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    ansible_doc = render_reference.default_ansible_doc()
    if not ansible_doc.is_file():
        pytest.skip(f"no ansible-doc next to {ansible_doc.parent / 'python'} (run `make venv`): the reference cannot be rendered")
    out_dir = tmp_path_factory.mktemp("reference")
    render_reference.write_reference(out_dir, ansible_doc)
    return {name: content.decode("utf-8") for name, content in _files(out_dir).items()}


def test_committed_reference_is_current(rendered: dict[str, str]) -> None:
    if PINNED_CORE is None or PINNED_CORE.group(1) != ansible_core_version:
        pytest.skip(f"docs/reference is rendered with the pinned ansible-core, this is {ansible_core_version}")
    committed = _files(REFERENCE) if REFERENCE.is_dir() else {}
    stale = sorted(name for name in rendered.keys() | committed.keys() if rendered.get(name, "").encode("utf-8") != committed.get(name))
    assert not stale, f"docs/reference is stale: run make docs (differs: {', '.join(stale)})"


def test_every_module_filter_and_role_has_a_page_linked_from_the_index(rendered: dict[str, str]) -> None:
    plugins = render_reference.REPO / "plugins"
    expected = {
        *(reference_markdown.page_name("module", path.stem) for path in (plugins / "modules").glob("*.py")),
        *(reference_markdown.page_name("filter", path.stem) for path in (plugins / "filter").glob("*.yml")),
        *(reference_markdown.page_name("role", role) for role in render_reference.ROLES),
    }

    assert set(rendered) == expected | {"index.md"}
    assert all(f"]({page})" in rendered["index.md"] for page in expected)


def test_pages_show_nested_options_examples_and_return_values(rendered: dict[str, str]) -> None:
    jobs_page = rendered["win_sync_jobs.md"]

    assert "| `jobs / script / template` | str |" in jobs_page
    assert "| `jobs / state` | str |  | `present` | `present`, `absent` |" in jobs_page
    assert "## Examples\n\n```yaml\n- " in jobs_page
    assert "| `jobs / outcome` | str |" in jobs_page
    assert "| `shop_sync_jobs / schedule / every` | str |" in rendered["role_sync_jobs.md"]
    assert "## Entry point `validate`" in rendered["role_sync_jobs.md"]


def test_the_internal_module_page_says_so_and_lists_no_options(rendered: dict[str, str]) -> None:
    host_page = rendered["win_sync_host.md"]

    assert "Internal module" in host_page
    assert "## Options" not in host_page
    assert "(not for playbooks)" in rendered["index.md"]


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("C(D:\\Isotools)", "`D:\\Isotools`"),
        ("C(a`b)", "``a`b``"),
        ("I(once) and B(never)", "*once* and **never**"),
        ("M(isotools.shop_sync.win_sync_task)", "[isotools.shop_sync.win_sync_task](win_sync_task.md)"),
        (
            "M(ansible.builtin.template)",
            "[ansible.builtin.template](https://docs.ansible.com/ansible/latest/collections/ansible/builtin/template_module.html)",
        ),
        ("P(isotools.shop_sync.sync_job_problems#filter)", "[isotools.shop_sync.sync_job_problems](filter_sync_job_problems.md)"),
        ("P(isotools.shop_sync.sync_jobs#role)", "[isotools.shop_sync.sync_jobs](role_sync_jobs.md)"),
        ("O(jobs[].state=absent)", "`jobs[].state=absent`"),
        ("O(isotools.shop_sync.win_sync_jobs#module:jobs)", "[`jobs`](win_sync_jobs.md)"),
        ("O(isotools.shop_sync.sync_jobs#role:main:shop_sync_root)", "[`shop_sync_root`](role_sync_jobs.md)"),
        ("RV(jobs) and E(ANSIBLE_CONFIG)", "`jobs` and `ANSIBLE_CONFIG`"),
        ("V(a\\)b)", "`a)b`"),
        ("L(the contract, https://example.org/c)", "[the contract](https://example.org/c)"),
        ("U(https://example.org)", "<https://example.org>"),
        ("R(ref text, some_label)", "ref text"),
        ("one HORIZONTALLINE two", "one \n\n---\n\n two"),
        ("shop_sync_root, *x* [y] <z> ~w _v_", "shop_sync_root, \\*x\\* \\[y\\] \\<z> \\~w \\_v\\_"),
        ("ABC(x) C(unclosed", "ABC(x) C(unclosed"),
    ],
)
def test_documentation_markup_becomes_markdown(text: str, markdown: str) -> None:
    assert reference_markdown.markup(text) == markdown


def test_a_table_cell_keeps_pipes_and_paragraphs_inside_the_cell() -> None:
    assert reference_markdown.table_cell(["a `x|y`", "second\nline"]) == "a `x\\|y`<br>second line"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"short_description": "s", "deprecated": {"why": "replaced"}}, "filter isotools.shop_sync.to_sync_jobs: documentation field(s) deprecated"),
        (
            {"short_description": "s", "options": {"defaults": {"type": "dict", "suboptions": {"root": {"type": "str", "env": [{"name": "ROOT"}]}}}}},
            "filter isotools.shop_sync.to_sync_jobs option defaults / root: documentation field(s) env",
        ),
    ],
)
def test_a_documentation_field_the_pages_would_not_show_fails_the_rendering(doc: dict[str, object], message: str) -> None:
    filters = {"isotools.shop_sync.to_sync_jobs": {"doc": doc, "examples": "", "return": {}}}

    with pytest.raises(render_reference.ReferenceDocError) as raised:
        render_reference.render_pages({}, filters, {})
    assert str(raised.value).startswith(message)
