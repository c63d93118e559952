"""Text that people write in Concord with a little Markdown (the minutes: ``#`` headings, ``-`` lists),
rendered as a document.

CommonMark, by ``markdown-it-py``, with raw HTML off: anything that looks like a tag is shown as text, so a
hostile string cannot reach the page. Images are off (a minute never loads a remote file), links open no
window into Concord (``rel="nofollow noopener noreferrer"``), and a line break is kept as written. Headings
are moved down to sit under the page's own: ``top`` is the level a ``#`` heading takes.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")


def render_markdown(text: str, *, top: int = 2) -> SafeString:
    """``text`` as HTML: headings from level ``top`` (at most 6), raw HTML and images shown as text."""
    tokens = _MD.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + top - 1)}"
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("rel", "nofollow noopener noreferrer")
    # safe: raw HTML is off, so every character of ``text`` reaches the page escaped
    return mark_safe(_MD.renderer.render(tokens, _MD.options, {}))  # noqa: S308
