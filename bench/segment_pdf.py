"""The segmentation benchmark's printed PDFs: each bill rendered to simple HTML and printed by Chromium
with a running header and footer on every page (see :mod:`segment` for how the figures use them)."""

from __future__ import annotations

import hashlib
import html
import re
import sys
import time
from pathlib import Path

from concord.engine.extract import extract
from concord.engine.segment import segment
from tests.chromium import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
RENDERER_VERSION = "2"


# --- rendering ---------------------------------------------------------------------------------------------


def markdown_to_html(markdown: str, title: str) -> str:
    """Simple HTML for printing: one <section> per printed page, paragraphs, headings, bold, italics."""
    pages = re.split(r"(?m)^\s*-{3,}\s*$", markdown)
    body: list[str] = []
    for page in pages:
        parts: list[str] = []
        for block in re.split(r"\n\s*\n", page):
            paragraph: list[str] = []
            for line in (line.strip() for line in block.strip().splitlines()):
                if line.startswith("#"):  # an ATX heading interrupts a paragraph, as in Markdown
                    if paragraph:
                        parts.append(f"<p>{_inline(' '.join(paragraph))}</p>")
                    paragraph = []
                    parts.append(f"<h3>{_inline(line.lstrip('#').strip())}</h3>")
                elif line:
                    paragraph.append(line)
            if paragraph:
                parts.append(f"<p>{_inline(' '.join(paragraph))}</p>")
        body.append(f"<section>{''.join(parts)}</section>")
    css = (
        "body{font:10pt 'DejaVu Serif',serif} section{break-after:page} h3{font-size:10pt;margin:4pt 0}"
        " p{margin:3pt 0}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"(?<!\w)_(\S(?:.*?\S)?)_(?!\w)", r"<i>\1</i>", text)


def render_pdfs(sources: list[Path]) -> dict[Path, Path]:
    """Print each Markdown file to PDF with Chromium (cached by content hash)."""
    out_dir = OUT / "pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    targets: dict[Path, Path] = {}
    missing: list[tuple[Path, Path]] = []
    for source in sources:
        digest = hashlib.sha256(source.read_bytes() + RENDERER_VERSION.encode()).hexdigest()[:12]
        target = out_dir / f"{source.stem}.{digest}.pdf"
        targets[source] = target
        if not target.exists():
            missing.append((source, target))
    if not missing:
        return targets
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium (or run with --no-pdf).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for source, target in missing:
            print(f"  printing {source.name} to PDF ...", flush=True)
            page.set_content(markdown_to_html(source.read_text(encoding="utf-8"), f"Bill {source.stem}"))
            page.pdf(
                path=str(target),
                format="A4",
                display_header_footer=True,
                header_template=(
                    "<div style='font-size:8px;width:100%;text-align:center'>"
                    "<span class='title'></span> · Concord benchmark print</div>"
                ),
                footer_template=(
                    "<div style='font-size:8px;width:100%;text-align:center'>"
                    "Page <span class='pageNumber'></span> of <span class='totalPages'></span></div>"
                ),
                margin={"top": "20mm", "bottom": "20mm", "left": "18mm", "right": "18mm"},
            )
        browser.close()
    return targets


def hundred_pages(pdfs: dict[Path, Path]) -> None:
    """Extract + segment one PDF of at least 100 pages (bills' pages concatenated with pypdfium2)."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for source in sorted(pdfs, key=lambda s: -pdfs[s].stat().st_size):
        document = pdfium.PdfDocument(pdfs[source])
        merged.import_pages(document)
        document.close()
        if len(merged) >= 100:
            break
    if len(merged) > 100:
        for index in range(len(merged) - 1, 99, -1):
            merged.del_page(index)
    target = OUT / "hundred-pages.pdf"
    merged.save(str(target))
    merged.close()
    start = time.perf_counter()
    extracted = extract(target.read_bytes(), filename=target.name)
    provisions = segment(extracted)
    seconds = time.perf_counter() - start
    sections = sum(1 for p in provisions if p.level == "section")
    print(
        f"{len(extracted.pages)}-page PDF: extract + segment in {seconds:.2f} s ({sections} sections, "
        f"{len(provisions)} provisions). Target < 10 s."
    )
