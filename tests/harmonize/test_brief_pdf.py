"""The harmonization brief in Malay and Urdu (issue 14, item 15): real text when copied or searched, mixed
directions kept in order, and the theme table on the page. Checked on the PDF with poppler's tools."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from concord.core.templatetags.bidi import isolate
from concord.harmonize import exports

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="[poppler] poppler-utils is not installed"
)


def _text(pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True)
    return done.stdout.decode()


@needs_poppler
def test_the_urdu_brief_is_real_text_when_copied(personas, ran, tmp_path):
    body, _type, name = exports.render(ran, personas.analyst_my, "pdf", language="ur")
    assert name.endswith("-ur.pdf")
    text = _text(body, tmp_path)
    for words in ("ہم آہنگی", "خلاصہ", "دستاویزات", "موضوع"):
        assert words in text, words
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "brief.pdf")], check=True, capture_output=True
    ).stdout.decode()
    assert "Nastaliq" not in fonts  # its glyph pieces cannot be mapped back to letters


@needs_poppler
def test_the_malay_theme_table_stays_on_the_page(personas, ran, tmp_path):
    body, _type, _name = exports.render(ran, personas.analyst_my, "pdf", language="ms")
    bbox = _text(body, tmp_path, "-bbox")
    page = re.search(r'<page width="([\d.]+)"', bbox)
    assert page is not None
    width = float(page.group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert right_edges and max(right_edges) <= width - 40  # inside the right margin (16 mm)
    assert "Persetujuan" in bbox or "Perse" in bbox


def test_an_isolated_run_keeps_its_own_direction():
    assert isolate("72 hours") == "\u206872 hours\u2069"
    assert isolate("") == "" and isolate(None) == ""
