"""Text written with a little Markdown, rendered as a document (`concord.core.prose`)."""

from __future__ import annotations

from concord.core.prose import render_markdown


def test_headings_sit_under_the_page_s_own():
    assert render_markdown("# A\n\n## B", top=3) == "<h3>A</h3>\n<h4>B</h4>\n"
    assert render_markdown("###### deep", top=3) == "<h6>deep</h6>\n"


def test_links_carry_no_referrer_and_images_are_not_loaded():
    html = render_markdown("[terms](https://example.org/t) ![x](https://example.org/x.png)")
    assert '<a href="https://example.org/t" rel="nofollow noopener noreferrer">terms</a>' in html
    assert "<img" not in html


def test_empty_text_is_empty():
    assert render_markdown("") == "" and render_markdown(None) == ""  # type: ignore[arg-type]
