"""Benchmark: language detection on the shared English and Malay bills.

Reads ``../shared/data`` (relative to the project root): the aligned EN/MS sections in
``crosslingual/en-ms-digital-bills.jsonl`` and the full bill texts in ``texts/my-digital-bills/``. The
full texts are cut into provision-sized chunks (paragraphs merged up to about 200 characters) and, apart,
into their bold headings, which are one to six words long. The gold language is the file's language;
chunks of a bill that the index notes as quoting another language are counted apart ("chunks-q").

Prints, per set and language: items, accuracy and throughput. Target: at least 98% of provisions right.

    .venv/bin/python bench/language.py [--data PATH] [--show-errors N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from concord.engine.errors import LanguageError  # noqa: E402
from concord.engine.language import detect_language  # noqa: E402

_MARKUP = re.compile(r"[*_#>`|]+")
_HEADING = re.compile(r"^\*\*([^*]{3,80})\*\*$")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", text)).strip()


def section_items(path: Path) -> list[tuple[str, str, str]]:
    """(set, gold, text) for each side of each aligned section pair."""
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for lang in ("en", "ms"):
                text = row.get(f"{lang}_text") or ""
                if text.strip():
                    items.append(("sections", lang, text))
    return items


def text_items(folder: Path, min_chars: int = 200) -> list[tuple[str, str, str]]:
    """(set, gold, text) for provision-sized chunks and headings of each full bill text."""
    items = []
    index = [json.loads(line) for line in (folder / "index.jsonl").open(encoding="utf-8")]
    for entry in index:
        if "file" not in entry or entry.get("removed_reason"):
            continue
        gold = entry["lang"]
        # The index notes bills that quote long passages of another language (a Malay amending bill
        # quoting the English principal Act): their chunks are counted apart, as "chunks-q".
        chunk_set = "chunks-q" if entry.get("note") else "chunks"
        raw = (folder / entry["file"]).read_text(encoding="utf-8")
        buffer: list[str] = []
        for para in re.split(r"\n\s*\n", raw):
            heading = _HEADING.match(para.strip())
            if heading:
                items.append(("headings", gold, _clean(heading.group(1))))
            cleaned = _clean(para)
            if not re.search(r"[^\W\d_]", cleaned):
                continue
            buffer.append(cleaned)
            if sum(map(len, buffer)) >= min_chars:
                items.append((chunk_set, gold, " ".join(buffer)))
                buffer = []
        if buffer:
            items.append((chunk_set, gold, " ".join(buffer)))
    return items


def run(items: list[tuple[str, str, str]], show_errors: int) -> None:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, gold, text in items:
        groups[(name, gold)].append(text)
    print(
        f"{'set':<10} {'lang':<5} {'items':>6} {'correct':>8} {'accuracy':>9} {'items/s':>9} {'kchars/s':>9}"
    )
    errors = []
    # "all": every section and chunk (provision-sized text), headings apart, per language.
    for name, gold, text in items:
        if name != "headings":
            groups[("all", gold)].append(text)
    for (name, gold), texts in sorted(groups.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        start = time.perf_counter()
        got = []
        for text in texts:
            try:
                got.append(detect_language(text))
            except LanguageError as exc:
                got.append(exc.code)
        elapsed = time.perf_counter() - start
        correct = sum(g == gold for g in got)
        if name != "all":
            errors += [(name, gold, g, t) for g, t in zip(got, texts) if g != gold]
        chars = sum(map(len, texts))
        print(
            f"{name:<10} {gold:<5} {len(texts):>6} {correct:>8} {correct / len(texts):>9.2%} "
            f"{len(texts) / elapsed:>9.0f} {chars / elapsed / 1000:>9.0f}"
        )
    for name, gold, got_lang, text in errors[:show_errors]:
        print(f"  [{name} {gold}->{got_lang}] {text[:160]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    args = parser.parse_args()
    pairs = args.data / "crosslingual" / "en-ms-digital-bills.jsonl"
    texts = args.data / "texts" / "my-digital-bills"
    missing = [str(p) for p in (pairs, texts / "index.jsonl") if not p.exists()]
    if missing:
        print(
            f"development data not found: {', '.join(missing)} (expected ../shared/data beside the "
            "project; pass --data PATH)",
            file=sys.stderr,
        )
        return 2
    run(section_items(pairs) + text_items(texts), args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
