"""Segmentation benchmark: sections found in real bills, as Markdown and as printed PDFs, and speed.

Run from the project root::

    .venv/bin/python bench/segment.py            # all documents, Markdown and PDF
    .venv/bin/python bench/segment.py --no-pdf   # Markdown only (no Chromium needed)

It reads the shared development data at ``../shared/data`` (relative to the project root) at run time and
exits with a message when it is missing. Nothing from it is copied into the repository.

Documents
    The Malaysian bills listed in ``texts/my-digital-bills/index.jsonl`` (every entry with a ``file``), in
    English and Malay, and Pakistan's PECA 2016 in noisy OCR (``texts/pk/peca-2016.ocr.md``).

Formats
    ``md``: the file as given, through :func:`concord.engine.extract.extract` and
    :func:`concord.engine.segment.segment` (what ``concord segment FILE`` runs).
    ``pdf``: the bill rendered to simple HTML (one HTML page per page of the printed bill, as marked by the
    ``-----`` rules; paragraphs, bold, italics) and printed by Chromium (Playwright, ``/usr/bin/chromium``)
    with ``displayHeaderFooter`` on: every page gets a running header (the bill's id) and a footer ("Page
    N of M") on top of the bill's own running heads. PDFs are cached in ``bench/out/pdf/``.

Ground truth (independent of the segmenter)
    *Which sections exist* comes from a strict reading of the printed bill's arrangement of clauses: every
    line ``N. Heading`` between "ARRANGEMENT OF CLAUSES" / "SUSUNAN FASAL" and the start of the bill
    ("A BILL" / "RANG UNDANG-UNDANG" or the enacting formula). Where OCR garbled a number in the
    arrangement itself ("_1._" between 6 and 8), the number is repaired from its two neighbours. The one
    bill without an arrangement (DR-1-1991, an amending bill) has 28 clauses, counted by hand in both
    languages and confirmed by its explanatory statement, which describes clauses 1 to 28.

    *Where each section starts* (its anchor) is found by a strict sequential search of the Markdown body:
    for section N, the first ``N.`` after the previous section's anchor that is followed by "(1)", a
    capital or a quote, and not preceded by "section", "seksyen", "clause", ... The anchor is the first
    six words after the number. A Malay margin note is often spliced into those words ("Lembaga" at
    a line end), so an anchor also matches with the words of the section's arrangement title left out
    on both sides. Arrangement, explanatory statement and schedules are thus never
    anchors.

    For PECA, which has no arrangement, the 57 section units of this text were checked by hand against
    the printed act and are listed below by line number: the act's 55 numbered sections as printed in
    this version (with 10A, 10B, 19A and 49A) plus the headed units "Prosecution and trial ... by a minor"
    and "Procedure", which carry no number in this text. OCR dropped two numbers (40, 41) and garbled
    five (34 → "3.1", 46 → "16", 47 → "17", 48 → "18", 50 → "54").

Scores
    An output provision of level ``section`` matches a true section when its heading and first 40 words
    contain the section's anchor; each true section takes the first unmatched output section after the
    previous match that holds its anchor (wrapping round, since converted text can put a page out of
    order), so every true section and every output section counts at most once. *Recall* = matched / true;
    *precision* = matched / output sections (an output section that matches nothing, or repeats a matched
    one, is not real and unique); *number* = matched sections whose ``number`` is the true number.
    PECA: *apart* = true units whose output section holds no other unit's anchor; *ratio* = output
    sections / true units (shattering shows as a ratio well above 1).

Inside provisions (:mod:`segment_quality`, where each reference is defined)
    *Section titles*: true sections whose matched output section carries the arrangement's title;
    *furniture left*: page-furniture lines of the raw file (running heads, page numbers, "Bill" /
    "Rang Undang-Undang" lines, margin notes at line ends) still inside a provision; *merged*: provisions
    holding two or more quoted definitions; *nested*: definitions nested under another definition;
    *junk*: provisions with no word but connectives ("; and"); *short*: under 10 characters (some are
    real items, so printed apart).

    The rules for furniture, margin notes, arrangement titles, definitions and cross-references were
    written while reading DR-3-1997, DR-17-2006, DR-35-2009 and DR-1-1991 (both languages) and PECA 2016:
    the *development* documents. DR-2-1997, DR-15-1998, DR-16-1998 and DR-21-2007 are *held out*; their
    figures are summed apart. Two looks at held-out output happened, neither to write an engine rule: the
    bench's own furniture list was checked once over every bill (which made its margin-note and
    bare-number rules stricter), and the missed sections of DR-16-1998.ms were read when recall fell,
    which showed the anchors carrying margin-note words (hence the anchor rule above). A grep of
    DR-15-1998.en for junk provisions ("(b) or (c)") was made before the split was fixed.

Speed
    Pages per second for extraction and for segmentation over all the PDFs, and the wall time of
    extract + segment on a PDF of at least 100 pages (the longest bills' pages, concatenated). No
    embedding is involved.

Targets: Malaysian bills, both languages, both formats: recall ≥ 97 %, precision ≥ 97 %. PECA: ≥ 90 %
apart, ratio near 1. A 100-page PDF in < 10 s. The script prints and never asserts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from segment_pdf import hundred_pages, render_pdfs  # noqa: E402
from segment_quality import (  # noqa: E402
    arrangement_titles,
    furniture_left,
    furniture_lines,
    junk,
    merged_definitions,
    nested_definitions,
    notes_left,
    print_inside,
    title_recall,
)

from concord.engine.extract import extract  # noqa: E402
from concord.engine.segment import segment  # noqa: E402
from concord.engine.types import Provision  # noqa: E402

HAND_CHECKED_COUNTS = {"DR-1-1991": 28}
# PECA 2016 (texts/pk/peca-2016.ocr.md): (line number in the file, true section number or None).
PECA_UNITS: tuple[tuple[int, str | None], ...] = (
    (13, "1"),
    (25, "2"),
    (132, "3"),
    (134, "4"),
    (136, "5"),
    (140, "6"),
    (144, "7"),
    (148, "8"),
    (152, "9"),
    (158, "10"),
    (169, "10A"),
    (173, "10B"),
    (177, "11"),
    (183, "12"),
    (187, "13"),
    (191, "14"),
    (197, "15"),
    (201, "16"),
    (207, "17"),
    (211, "18"),
    (221, "19"),
    (242, "19A"),
    (253, "20"),
    (259, "21"),
    (274, "22"),
    (286, "23"),
    (292, "24"),
    (298, "25"),
    (310, "26"),
    (320, "27"),
    (324, "28"),
    (336, "29"),
    (346, "30"),
    (364, "31"),
    (370, "32"),
    (413, "33"),
    (444, "34"),
    (464, "35"),
    (482, "36"),
    (508, "37"),
    (512, "38"),
    (520, "39"),
    (550, "40"),
    (556, "41"),
    (566, None),
    (570, None),
    (574, "42"),
    (580, "43"),
    (584, "44"),
    (592, "45"),
    (602, "46"),
    (614, "47"),
    (620, "48"),
    (652, "49"),
    (656, "49A"),
    (660, "50"),
    (668, "51"),
)
ANCHOR_WORDS = 6
SEARCH_WORDS = 40

_ARRANGEMENT = re.compile(r"^\W*(?:ARRANGEMENT OF (?:CLAUSES|SECTIONS)|SUSUNAN (?:FASAL|SEKSYEN))\W*$", re.I)
_BILL_START = re.compile(r"^\W*(?:A BILL|RANG UNDANG-UNDANG)\W*$|ENACTED|DIPERBUAT")
_ENTRY = re.compile(r"^[\W_]*?(\d+[A-Z]?)\s?\.[*_]*\s+\S")
_ENACTING = re.compile(r"ENACTED|DIPERBUAT")
_END_MATTER = re.compile(
    r"^\W*(?:EXPLANATORY STATEMENT|HURAIAN|(?:FIRST )?SCHEDULES?|JADUAL(?: PERTAMA)?)\W*$", re.M
)
_REFERENCE_BEFORE = re.compile(
    r"\b(?:section|seksyen|subsection|subseksyen|clause|fasal|paragraph|perenggan|under)[*_\s]*$", re.I
)


@dataclass
class Truth:
    number: str | None
    anchor: str | None
    # the arrangement title's words, alone and glued together (a margin note's words)
    title_words: frozenset[str] = frozenset()


@dataclass
class Row:
    document: str
    fmt: str
    pages: int
    truth: int
    found: int
    matched: int
    numbered: int
    seconds: float
    extra: str = ""
    titled: int = 0  # true sections with a title in the arrangement
    titles_right: int = 0  # ... whose matched output section carries that title
    furniture: int = 0  # page-furniture lines in the raw file
    furniture_left: int = 0  # ... still inside a provision's heading or text
    notes_left: int = 0  # titled sections whose text still holds its margin note's end mid-sentence
    merged: int = 0  # provisions holding two or more quoted definitions
    nested: int = 0  # definitions nested under another definition
    junk: int = 0  # provisions with no word but connectives ("; and")
    short: int = 0  # provisions under 10 characters


@dataclass
class Quality:
    """What the raw file says about titles and furniture, read once per file."""

    titles: dict[str, str]
    furniture: list


# --- ground truth ----------------------------------------------------------------------------------------


def arrangement_numbers(markdown: str) -> list[str] | None:
    """Section numbers listed in the arrangement of clauses, OCR-garbled entries repaired by neighbours."""
    lines = [line.strip() for line in markdown.splitlines()]
    start = next((i for i, line in enumerate(lines) if _ARRANGEMENT.match(line)), None)
    if start is None:
        return None
    numbers: list[str] = []
    for line in lines[start + 1 :]:
        if numbers and _BILL_START.search(line):
            break
        match = _ENTRY.match(line)
        if match:
            numbers.append(match.group(1))
    ints = [int(re.match(r"\d+", n).group()) for n in numbers]  # type: ignore[union-attr]
    for k in range(1, len(ints) - 1):
        if ints[k - 1] + 2 == ints[k + 1] and ints[k] != ints[k - 1] + 1:
            numbers[k] = str(ints[k - 1] + 1)
            ints[k] = ints[k - 1] + 1
    return numbers


def normalise_words(text: str) -> list[str]:
    text = text.lower().replace("_", " ").replace("(l)", "(1)")  # OCR reads (1) as (l)
    return re.findall(r"[a-z0-9]+", text)


def locate_anchors(markdown: str, numbers: list[str]) -> list[Truth]:
    """The first words of each section's body, found by a strict sequential search after the enacting
    formula."""
    arrangement = next((m.end() for m in re.finditer(r"ARRANGEMENT OF|SUSUNAN FASAL", markdown, re.I)), 0)
    enacting = _ENACTING.search(markdown, arrangement)
    position = enacting.end() if enacting else 0
    end_matter = _END_MATTER.search(markdown, position)
    end = end_matter.start() if end_matter else len(markdown)
    truths: list[Truth] = []
    for number in numbers:
        pattern = re.compile(rf"(?:^|(?<=[\s*_]))[*_]*{re.escape(number)}\.[*_]*\s+(?=[(A-Z\"“'*_])", re.M)
        anchor = None
        for match in pattern.finditer(markdown, position, end):
            if _REFERENCE_BEFORE.search(markdown[max(0, match.start() - 30) : match.start()]):
                continue  # "... under section\n12." is a reference, not a section
            following = re.split(r"(?m)^\s*-{3,}\s*$", markdown[match.end() : match.end() + 400])[0]
            words = normalise_words(following)
            anchor = " ".join(words[:ANCHOR_WORDS])
            position = match.end()
            break
        truths.append(Truth(number, anchor))
    return truths


def bill_truth(stem: str, markdown: str) -> list[Truth]:
    numbers = arrangement_numbers(markdown)
    if numbers is None:
        count = HAND_CHECKED_COUNTS[stem.split(".")[0]]
        numbers = [str(n) for n in range(1, count + 1)]
    truths = locate_anchors(markdown, numbers)
    titles = arrangement_titles(markdown)
    for truth in truths:
        words = normalise_words(titles.get(truth.number or "", ""))
        # a note's words as a conversion may glue them: "lesenindividu", "theminister"
        glued = {"".join(words[a:b]) for a in range(len(words)) for b in range(a + 2, len(words) + 1)}
        truth.title_words = frozenset(words) | frozenset(glued)
    return truths


# --- scoring -----------------------------------------------------------------------------------------------


def haystack(provision: Provision) -> str:
    return " ".join(normalise_words(f"{provision.heading} {provision.text}")[: SEARCH_WORDS + 12])


def align(sections: list[Provision], truths: list[Truth]) -> list[tuple[int, int]]:
    """Match output sections to true sections, each at most once.

    A true section takes the first unmatched output section that holds its anchor, looking forward from
    the previous match first and then from the start (a converter can leave pages out of order).
    """
    hay = [haystack(p) for p in sections]

    def compatible(i: int, j: int) -> bool:
        truth = truths[j]
        if truth.anchor and truth.anchor in hay[i]:
            return True
        if truth.anchor and truth.title_words:
            # A margin note spliced into the first lines puts its words into the raw anchor; a segmenter
            # that takes the note out must still match, so the title's words are ignored on both sides.
            anchor = " ".join(w for w in truth.anchor.split() if w not in truth.title_words)
            text = " ".join(w for w in hay[i].split() if w not in truth.title_words)
            return bool(anchor) and f" {anchor} " in f" {text} "
        if truth.anchor:
            return False
        return sections[i].number == truth.number

    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    cursor = 0
    for j in range(len(truths)):
        order = [*range(cursor, len(sections)), *range(cursor)]
        match = next((i for i in order if i not in used and compatible(i, j)), None)
        if match is not None:
            used.add(match)
            pairs.append((match, j))
            cursor = match + 1
    return pairs


DEBUG = False


def score_bill(
    document: str,
    fmt: str,
    provisions: list[Provision],
    truths: list[Truth],
    pages: int,
    seconds: float,
    quality: Quality | None = None,
) -> Row:
    sections = [p for p in provisions if p.level == "section"]
    pairs = align(sections, truths)
    if DEBUG:
        matched_out = {i for i, _ in pairs}
        matched_truth = {j for _, j in pairs}
        for j, truth in enumerate(truths):
            if j not in matched_truth:
                print(f"  {document} {fmt}: missed section {truth.number}: {truth.anchor}")
        for i, section in enumerate(sections):
            if i not in matched_out:
                print(
                    f"  {document} {fmt}: extra section {section.id} {section.heading[:40]!r}: "
                    f"{section.text[:70]!r}"
                )
    numbered = sum(1 for i, j in pairs if sections[i].number == truths[j].number)
    unlocated = sum(1 for t in truths if t.anchor is None)
    extra = f"{unlocated} anchors by number" if unlocated else ""
    row = Row(document, fmt, pages, len(truths), len(sections), len(pairs), numbered, seconds, extra)
    if quality is not None:
        numbers = [t.number for t in truths]
        row.titles_right, row.titled = title_recall(pairs, sections, numbers, quality.titles)
        notes = notes_left(pairs, sections, numbers, quality.titles)
        row.notes_left = len(notes)
        if DEBUG:
            for number, excerpt in notes:
                print(f"  {document} {fmt}: margin note left in {number}: {excerpt!r}")
        if DEBUG:
            matched = {j: i for i, j in pairs}
            for j, number in enumerate(numbers):
                title = quality.titles.get(number or "")
                got = sections[matched[j]].heading if j in matched else None
                if title and (got is None or got.lower().rstrip(".") != title.lower()):
                    print(f"  {document} {fmt}: title of {number}: {got!r} instead of {title!r}")
        score_inside(row, provisions, quality)
    return row


def score_inside(row: Row, provisions: list[Provision], quality: Quality) -> None:
    """Furniture left in provisions, merged definitions and junk provisions."""
    left = furniture_left(quality.furniture, provisions)
    row.furniture, row.furniture_left = len(quality.furniture), len(left)
    merged = merged_definitions(provisions)
    empty, short = junk(provisions)
    row.merged, row.junk, row.short = len(merged), len(empty), len(short)
    row.nested = len(nested_definitions(provisions))
    if DEBUG:
        for f in left:
            print(
                f"  {row.document} {row.fmt}: furniture left: {f.text!r} "
                f"(between {f.before!r} and {f.after!r})"
            )
        for p in merged:
            print(f"  {row.document} {row.fmt}: merged definitions in {p.id}: {p.text[:90]!r}")
        for p in empty:
            print(f"  {row.document} {row.fmt}: junk provision {p.id}: {p.text!r}")


def score_peca(provisions: list[Provision], lines: list[str], seconds: float, quality: Quality) -> Row:
    sections = [p for p in provisions if p.level == "section"]
    hay = [haystack(p) + " " + " ".join(normalise_words(p.text)) for p in sections]
    holders: list[int | None] = []
    start = 0
    for line_number, _ in PECA_UNITS:
        words = normalise_words(re.sub(r"^[#\s]*(?:\d+[A-Z]?\.)?", "", lines[line_number - 1]))
        anchor = " ".join(words[:ANCHOR_WORDS])
        holder = next((i for i in range(start, len(sections)) if anchor in hay[i]), None)
        if holder is None:
            holder = next((i for i in range(len(sections)) if anchor in hay[i]), None)
        holders.append(holder)
        if holder is not None:
            start = holder
    apart = sum(1 for h in holders if h is not None and holders.count(h) == 1)
    numbered = sum(
        1
        for h, (_, number) in zip(holders, PECA_UNITS)
        if h is not None and number is not None and holders.count(h) == 1 and sections[h].number == number
    )
    ratio = len(sections) / len(PECA_UNITS)
    row = Row(
        "PECA-2016 (OCR)",
        "md",
        0,
        len(PECA_UNITS),
        len(sections),
        apart,
        numbered,
        seconds,
        f"apart {apart}/{len(PECA_UNITS)}, ratio {ratio:.2f}",
    )
    score_inside(row, provisions, quality)
    return row


# --- running -----------------------------------------------------------------------------------------------


def run_file(data: bytes, filename: str) -> tuple[list[Provision], int, float, float]:
    start = time.perf_counter()
    extracted = extract(data, filename=filename)
    middle = time.perf_counter()
    provisions = segment(extracted)
    end = time.perf_counter()
    return provisions, len(extracted.pages), middle - start, end - middle


def bills() -> list[Path]:
    folder = DATA / "texts" / "my-digital-bills"
    entries = [json.loads(line) for line in (folder / "index.jsonl").read_text().splitlines() if line.strip()]
    return [folder / e["file"] for e in entries if e.get("file") and (folder / e["file"]).exists()]


def print_table(rows: Iterable[Row]) -> None:
    header = (
        f"{'document':<22} {'fmt':<4} {'pages':>5} {'truth':>5} {'found':>5} {'recall':>7} {'precis.':>7} "
    )
    header += f"{'number':>7} {'secs':>6}  note"
    print(header)
    print("-" * len(header))
    for r in rows:
        recall = r.matched / r.truth if r.truth else 0.0
        precision = r.matched / r.found if r.found else 0.0
        number = r.numbered / r.matched if r.matched else 0.0
        flag = "" if recall >= 0.97 and precision >= 0.97 else "  <-- below target"
        if r.document.startswith("PECA"):
            flag = ""
        print(
            f"{r.document:<22} {r.fmt:<4} {r.pages:>5} {r.truth:>5} {r.found:>5} "
            f"{recall:>7.1%} {precision:>7.1%} "
            f"{number:>7.1%} {r.seconds:>6.2f}  {r.extra}{flag}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip the Chromium-printed PDFs")
    parser.add_argument("--only", default="", help="only documents whose file name contains this")
    parser.add_argument("--debug", action="store_true", help="list missed and extra sections")
    args = parser.parse_args(argv)
    global DEBUG
    DEBUG = args.debug
    if not DATA.is_dir():
        sys.exit(f"The shared data is missing: expected {DATA} (../shared/data from the project root).")

    sources = [s for s in bills() if args.only in s.name]
    pdfs = {} if args.no_pdf else render_pdfs(sources)
    rows: list[Row] = []
    totals = {"pages": 0, "extract": 0.0, "segment": 0.0}
    for source in sources:
        markdown = source.read_text(encoding="utf-8")
        truths = bill_truth(source.stem, markdown)
        titles = arrangement_titles(markdown)
        quality = Quality(titles, furniture_lines(markdown, titles))
        provisions, pages, t_extract, t_segment = run_file(markdown.encode("utf-8"), source.name)
        rows.append(score_bill(source.stem, "md", provisions, truths, pages, t_extract + t_segment, quality))
        if source in pdfs:
            provisions, pages, t_extract, t_segment = run_file(
                pdfs[source].read_bytes(), f"{source.stem}.pdf"
            )
            # the printed PDF adds its own header and footer, which the raw file does not list
            rows.append(
                score_bill(source.stem, "pdf", provisions, truths, pages, t_extract + t_segment, quality)
            )
            totals["pages"] += pages
            totals["extract"] += t_extract
            totals["segment"] += t_segment
    peca = DATA / "texts" / "pk" / "peca-2016.ocr.md"
    if peca.exists() and args.only in peca.name:
        text = peca.read_text(encoding="utf-8")
        provisions, _, t_extract, t_segment = run_file(text.encode("utf-8"), peca.name)
        quality = Quality({}, furniture_lines(text, {}))
        rows.append(score_peca(provisions, text.splitlines(), t_extract + t_segment, quality))
    print_table(rows)
    print("\nrecall = true sections found; precision = output sections that are real and unique;")
    print("number = matched sections carrying the true number.  Targets: recall and precision >= 97%.")
    print()
    print_inside(rows)
    bills_rows = [r for r in rows if not r.document.startswith("PECA")]
    if bills_rows:
        worst_recall = min(r.matched / r.truth for r in bills_rows)
        worst_precision = min(r.matched / r.found if r.found else 0 for r in bills_rows)
        print(f"Malaysian bills, worst recall {worst_recall:.1%}, worst precision {worst_precision:.1%}")
    if totals["pages"]:
        print(
            f"\nThroughput over {totals['pages']} PDF pages: "
            f"extraction {totals['pages'] / totals['extract']:.0f} "
            f"pages/s, segmentation {totals['pages'] / totals['segment']:.0f} pages/s"
        )
        hundred_pages(pdfs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
