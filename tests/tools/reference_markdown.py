# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible documentation markup to GitHub Markdown, for the pages of render_reference.py.

Follows the markup's own parsing rules (those of ansible-doc and antsibull-docs): ``C()``,
``I()``, ``B()``, ``M()``, ``U()`` end at the first ``)``; ``L(text, url)`` and ``R(text, ref)``
take two parameters; ``O()``, ``V()``, ``RV()``, ``E()``, ``P()`` may escape ``)`` and ``\\``
with a backslash. Text outside the markup is escaped, so a description renders as written.
A reference to a plugin of this collection links to its page in docs/reference; one to another
collection links to its page on docs.ansible.com.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

__all__ = ["COLLECTION", "code", "markup", "page_name", "paragraphs", "table", "table_cell", "value"]

COLLECTION = "isotools.shop_sync"

_COMMAND = re.compile(r"\b(?:(?P<name>RV|[BCEILMOPRUV])\(|HORIZONTALLINE\b)")
# Commands whose parameter may hold ")" or "\" escaped with a backslash.
_ESCAPED_COMMANDS = frozenset({"E", "O", "P", "RV", "V"})
_TWO_PARAMETER_COMMANDS = frozenset({"L", "R"})
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters Markdown (with GitHub's strikethrough) may read as syntax anywhere in a line.
_ALWAYS_ESCAPED = frozenset("`*[]<~")
_DOCS_SITE = "https://docs.ansible.com/ansible/latest/collections"


def page_name(plugin_type: str, name: str) -> str:
    """Return the file name, in docs/reference, of this collection's plugin or role ``name``."""
    return f"{name}.md" if plugin_type == "module" else f"{plugin_type}_{name}.md"


def _plugin_link(fqcn: str, plugin_type: str, text: str) -> str:
    parts = fqcn.split(".")
    if len(parts) != 3 or not plugin_type:
        return text
    namespace, collection, name = parts
    if f"{namespace}.{collection}" == COLLECTION:
        return f"[{text}]({page_name(plugin_type, name)})"
    return f"[{text}]({_DOCS_SITE}/{namespace}/{collection}/{name}_{plugin_type}.html)"


def code(text: str) -> str:
    """Return ``text`` as a code span, fenced by more backticks than it holds in a row."""
    text = text.replace("\n", " ")
    longest_run = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest_run + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _escape(text: str) -> str:
    """Return plain ``text`` with every character Markdown could read as syntax escaped."""
    escaped = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char == "\\":
            # A backslash before anything but punctuation is literal in Markdown.
            escaped.append("\\\\" if after in _ASCII_PUNCTUATION or not after else "\\")
        elif char in _ALWAYS_ESCAPED or (char == "_" and not (before.isalnum() and after.isalnum())):
            escaped.append("\\" + char)
        else:
            escaped.append(char)
    return "".join(escaped)


def _parameters(text: str, start: int, command: str) -> tuple[list[str], int] | None:
    """Return the parameters of the command whose ``(`` ends at ``start`` and the index after its ``)``."""
    if command in _ESCAPED_COMMANDS:
        chars: list[str] = []
        index = start
        while index < len(text):
            if text[index] == "\\" and index + 1 < len(text):
                chars.append(text[index + 1])
                index += 2
            elif text[index] == ")":
                return ["".join(chars)], index + 1
            else:
                chars.append(text[index])
                index += 1
        return None
    end = text.find(")", start)
    if end < 0:
        return None
    content = text[start:end]
    if command in _TWO_PARAMETER_COMMANDS:
        first, comma, second = content.partition(",")
        if not comma:
            return None
        return [first.strip(), second.strip()], end + 1
    return [content], end + 1


def _option_reference(reference: str) -> str:
    """Render ``O()``/``RV()``: ``name``, ``name=value`` or ``fqcn#type:name`` (roles: ``fqcn#role:entry:name``)."""
    target, hash_sign, local = reference.partition("#")
    plugin_type, colon, name = local.partition(":")
    if not (hash_sign and colon) or "=" in target:
        return code(reference)
    if plugin_type == "role":
        name = name.partition(":")[2]
    return _plugin_link(target, plugin_type, code(name))


def _render_command(command: str, parameters: list[str]) -> str:
    content = parameters[0]
    if command in {"C", "V", "E"}:
        return code(content)
    if command == "I":
        return f"*{_escape(content.strip())}*"
    if command == "B":
        return f"**{_escape(content.strip())}**"
    if command == "M":
        return _plugin_link(content, "module", _escape(content))
    if command == "P":
        fqcn, plugin_type = content.split("#", 1) if "#" in content else (content, "")
        return _plugin_link(fqcn, plugin_type, _escape(fqcn))
    if command in {"O", "RV"}:
        return _option_reference(content)
    if command == "U":
        return f"<{content}>"
    if command == "L":
        return f"[{_escape(content)}]({parameters[1]})"
    # R(text, sphinx reference): the reference only resolves on docs.ansible.com.
    return _escape(content)


def markup(text: str) -> str:
    """Return Ansible documentation markup ``text`` as Markdown."""
    rendered: list[str] = []
    position = 0
    search_from = 0
    while match := _COMMAND.search(text, search_from):
        command = match.group("name")
        if command is None:
            rendered.extend([_escape(text[position : match.start()]), "\n\n---\n\n"])
            position = search_from = match.end()
            continue
        parsed = _parameters(text, match.end(), command)
        if parsed is None:
            # Not markup after all (no closing parenthesis): kept as text.
            search_from = match.end()
            continue
        parameters, end = parsed
        rendered.extend([_escape(text[position : match.start()]), _render_command(command, parameters)])
        position = search_from = end
    rendered.append(_escape(text[position:]))
    return "".join(rendered)


def paragraphs(description: str | Sequence[str] | None) -> list[str]:
    """Return a documentation field (one string or a list of paragraphs) as Markdown paragraphs."""
    if description is None:
        return []
    texts = [description] if isinstance(description, str) else list(description)
    return [markup(text.strip()) for text in texts if text.strip()]


def value(data: object) -> str:
    """Return a default, choice or sample as a code span: strings as they are, anything else as JSON."""
    if isinstance(data, str) and data and data.strip() == data:
        return code(data)
    return code(json.dumps(data, sort_keys=True, ensure_ascii=False))


def table_cell(parts: Sequence[str]) -> str:
    """Return Markdown ``parts`` as one table cell: paragraphs on lines of their own, pipes escaped."""
    # GitHub splits cells at every "|", even inside a code span, unless it is escaped.
    return "<br>".join(part.replace("\n", " ") for part in parts if part).replace("|", "\\|")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return a Markdown table; ``rows`` hold cells made by table_cell()."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)
