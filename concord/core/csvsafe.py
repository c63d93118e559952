"""Text cells for spreadsheets (CSV and XLSX exports): nothing a user typed runs as a formula.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
("CSV injection", OWASP), also after a tab or carriage return and, in some of them, after leading white
space. Such a cell is written with a leading apostrophe, which makes it text; the apostrophe is not shown.
A plain number (``-5``, ``+3.25``, ``-1,000``, ``-2e3``) cannot run anything and stays a number.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@")
_CONTROL_STARTS = ("\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if text.startswith(_CONTROL_STARTS):
        return True
    stripped = text.lstrip()
    if not stripped.startswith(FORMULA_STARTS):
        return False
    return not (any(ch.isdigit() for ch in stripped) and _NUMBER.fullmatch(stripped))


def safe_cell(value: object) -> str:
    """``value`` as the text of one spreadsheet cell ("" for None), with a formula made harmless."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula(text) else text
