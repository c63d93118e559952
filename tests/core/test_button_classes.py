"""Every class a button wears in a template is one the stylesheet styles: a misspelt class leaves the
browser's bare grey button in a page (as "link" for "link-button" did on a programme's values)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "concord"


def test_every_button_class_in_the_templates_is_styled():
    css = (ROOT / "static" / "concord" / "concord.css").read_text(encoding="utf-8")
    unstyled = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in re.finditer(r'<button\b[^>]*\bclass="([^"{]*)"', path.read_text(encoding="utf-8"))
        for name in match.group(1).split()
        if not re.search(r"\." + re.escape(name) + r"(?![\w-])", css)
    )
    assert not unstyled, unstyled
