# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile text a hand-made task can carry, put into a real task export.

The base is a real export of the corpus, ``005_desktopupdater-daily-interactive-sid.xml`` (daily at
09:00, an interactive account given by SID, a description and an author). The text put into it is
invented: in each field a person who can make a task on the host can fill, a template that, if it
ever reached Ansible's templar, would create a marker file on the controller (or change the
value, for the name and the folder, where a template can only compute).
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from shared_data import CORPUS, require

BASE_TASK = "005_desktopupdater-daily-interactive-sid.xml"
# The account the base task runs as, and a name for it the directory host can resolve.
BASE_ACCOUNT = ("ANUMIEL\\morte", "S-1-5-21-160531367-2731080895-3115721477-1001")
HOSTILE_NAME = "DesktopUpdater {{ 7 + 7 }}"
# Task XML element -> what the element would hold once templated (the hostile text is below).
TEMPLATED_FIELDS = ("Description", "Author", "Arguments", "WorkingDirectory", "URI")


class _UnsafeLoader(yaml.SafeLoader):
    """Reads ``!unsafe`` scalars as the strings they hold, as Ansible's loader hands them to a task."""


_UnsafeLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def load_adopted(text: str) -> Any:
    """An adopted host_vars file (``!unsafe`` strings) as plain data."""
    return yaml.load(text, Loader=_UnsafeLoader)  # a SafeLoader that knows one more tag


def injections(marker: Path, root: str) -> dict[str, str]:
    """Element -> hostile text; a template run anywhere creates ``<marker>-<element>``."""
    return {
        "Description": f"{{{{ lookup('ansible.builtin.pipe', 'touch {marker}-Description') }}}} Starts every day at 9 o'clock",
        "Author": f"{{% set x = lookup('ansible.builtin.pipe', 'touch {marker}-Author') %}}ANUMIEL\\morte",
        "Arguments": f"/update {{{{ lookup('ansible.builtin.pipe', 'touch {marker}-Arguments') }}}}",
        "WorkingDirectory": f"{root}\\{{{{ 7 + 7 }}}}",
        "URI": f"\\Isotools\\{HOSTILE_NAME}",
    }


def hostile_task_xml(marker: Path, root: str) -> bytes:
    """The base export with each of :func:`injections` in its element, as Windows stores it."""
    text = require(CORPUS / BASE_TASK).read_bytes().decode("utf-16")
    text = _replace_element(text, "Description", injections(marker, root)["Description"])
    text = _replace_element(text, "Author", injections(marker, root)["Author"])
    text = _replace_element(text, "URI", injections(marker, root)["URI"])
    command = "<Command>C:\\DesktopUpdater\\DesktopUpdater.exe</Command>"
    added = "".join(f"\n      <{element}>{escape(injections(marker, root)[element])}</{element}>" for element in ("Arguments", "WorkingDirectory"))
    assert command in text
    text = text.replace(command, command + added)
    assert sorted(element for element in TEMPLATED_FIELDS if f"<{element}>" in text) == sorted(TEMPLATED_FIELDS)
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _replace_element(text: str, element: str, value: str) -> str:
    start, end = text.index(f"<{element}>") + len(element) + 2, text.index(f"</{element}>")
    return text[:start] + escape(value) + text[end:]
