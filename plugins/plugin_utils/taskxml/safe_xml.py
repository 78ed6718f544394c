# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Untrusted XML goes through defusedxml, behind the one guarded import of the collection.

Task XML comes from hosts we do not control: entities, external references and document type
declarations are refused. The import is guarded because Ansible imports plugins before it knows
whether they will be used (and ansible-test checks that they import with ansible-core alone);
the missing package becomes a clear error when XML is actually parsed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

try:
    from defusedxml import DefusedXmlException, DTDForbidden
    from defusedxml.ElementTree import fromstring as _defused_fromstring

    DEFUSEDXML_IMPORT_ERROR: ImportError | None = None
except ImportError as missing:
    DEFUSEDXML_IMPORT_ERROR = missing

__all__ = ["UnsafeXmlError", "DoctypeRefused", "MissingDefusedXml", "parse_untrusted"]


class UnsafeXmlError(ValueError):
    """The XML uses entities or external references, which are refused."""


class DoctypeRefused(UnsafeXmlError):
    """The XML has a document type declaration; task XML never has one."""


class MissingDefusedXml(RuntimeError):
    """defusedxml is not installed on the controller."""


def parse_untrusted(text: str) -> ET.Element:
    """The root element of ``text``; :class:`ET.ParseError` when it is not well-formed."""
    if DEFUSEDXML_IMPORT_ERROR is not None:
        raise MissingDefusedXml(f"the Python package defusedxml is needed on the controller to read task XML safely ({DEFUSEDXML_IMPORT_ERROR})")
    try:
        return _defused_fromstring(text, forbid_dtd=True)
    except DTDForbidden as error:
        raise DoctypeRefused(str(error)) from None
    except DefusedXmlException as error:
        raise UnsafeXmlError(repr(error)) from None
