"""Statutes, bills and regulations in English and Malay: Part / Chapter / section / subsection / paragraph.

How a statute is read:

1. **Regions.** The arrangement of clauses (table of contents) and the long title are skipped: the body
   starts at the enacting formula ("ENACTED by the Parliament", "DIPERBUAT oleh Parlimen", "It is hereby
   enacted"), or after the arrangement when there is none. The body ends at the explanatory statement
   ("EXPLANATORY STATEMENT", "HURAIAN", "STATEMENT OF OBJECTS AND REASONS"). Schedules are kept as
   provisions of their own, and their numbered items are never sections.
2. **Section numbers as a sequence.** Every line that could open a section ("6. (1) ...", "**8.** Where",
   "Statutory 8. (1) ..." with a margin note in front, "# 10A. Hate speech") is a *candidate*. A candidate
   is accepted when its number follows the last trusted one (6 → 7, 10 → 10A → 10B → 11). A jump forward
   (lost sections) or an out-of-order number (OCR garbled "46" into "16") is accepted only when the line
   is strongly marked as a section (Markdown heading, bold, "(1)" after the number, a heading line above
   it) and never inside text quoted for insertion by an amending bill. Numbers inside the text
   ("under section\\n12.") are thus ignored.
3. **Lost numbers.** A heading followed by "(1)" ("Unlawful on-line content-(1) ..."), a Markdown heading
   followed by prose in a document whose sections are Markdown headings, and a subsection numbering that
   restarts at (1) each open a section whose number was lost. Lost and garbled numbers are then inferred
   from their neighbours (45, [16], [17], 48 → 46, 47) when the gap allows; otherwise the section gets an
   empty number and an id derived from its predecessor (``s41-x1``).

The patterns and the candidate / sequence rules are in :mod:`.segment_numbering`; this module walks the
lines and builds the tree.
"""

from __future__ import annotations

import re

from .segment_arrangement import (
    LEADING_NOTE_LINES,
    MARGIN_LINES,
    arrangement_titles,
    heading_lines,
    leading_note_plan,
    margin_plan,
    take_off,
)
from .segment_lines import RANK, Line, Node, TreeBuilder, roman_to_int, slug
from .segment_numbering import (
    _ARRANGEMENT,
    _CHAPTER,
    _CONNECTIVE_ONLY,
    _DEFINITION,
    _DIVISION,
    _ENACTING,
    _END_MATTER,
    _FORMULA_TAIL,
    _INTERPRETATION,
    _ITEM,
    _LEAD,
    _LOCAL_DEFINITIONS,
    _LOST_NUMBER,
    _MARKER_LINE,
    _MODAL,
    _NOISE,
    _PARAGRAPH,
    _PART,
    _REFERENCE_END,
    _ROMANS,
    _SCHEDULE,
    _SUBSECTION,
    _TITLE_SPLIT,
    _accept,
    _Candidate,
    _candidate,
    _heading_like,
    _insertion_intro,
    _to_int,
)


def segment_statute(lines: list[Line]) -> TreeBuilder:
    """Read a statute's lines into a provision tree (see the module docstring for how)."""
    start, end = _body_bounds(lines)
    body = lines[start:end]
    arrangement = _arrangement_index(lines)
    titles = arrangement_titles(lines[arrangement + 1 : start]) if arrangement is not None else {}
    candidates = [c for c in (_candidate(body, i) for i in range(len(body))) if c is not None]
    accepted = _accept(body, candidates)
    return _Builder(body, accepted, titles).build()


def _arrangement_index(lines: list[Line]) -> int | None:
    return next((i for i, ln in enumerate(lines) if _ARRANGEMENT.match(ln.text)), None)


def _body_bounds(lines: list[Line]) -> tuple[int, int]:
    arrangement = _arrangement_index(lines)
    search_from = arrangement + 1 if arrangement is not None else 0
    enacting = next((i for i in range(search_from, len(lines)) if _ENACTING.search(lines[i].text)), None)
    if enacting is not None:
        start = enacting + 1
    elif arrangement is not None:
        start = _after_contents(lines, arrangement + 1)
    else:
        start = 0
    end = next((i for i in range(start, len(lines)) if _is_end_matter(lines[i])), len(lines))
    return start, end


def _after_contents(lines: list[Line], begin: int) -> int:
    """Where the body starts when a table of contents has no enacting formula after it: the numbering
    restarts (the contents list 1..N, then the body begins again at 1)."""
    previous = 0
    for i in range(begin, len(lines)):
        match = _LEAD.match(lines[i].text)
        if not match:
            continue
        number = _to_int(match.group("num"))[0]
        if number < previous and number <= 2:
            back = i
            while back > begin and (
                _PART.match(lines[back - 1].text)
                or _CHAPTER.match(lines[back - 1].text)
                or lines[back - 1].text.isupper()
                or _heading_like(lines[back - 1])
            ):
                back -= 1
            return back
        previous = number
    return begin


def _is_end_matter(line: Line) -> bool:
    return (
        bool(_END_MATTER.match(line.text))
        and (line.text.isupper() or line.heading > 0)
        and len(line.text.split()) <= 6
    )


class _Builder:
    """Second pass: walk the body lines and open provisions."""

    def __init__(
        self, body: list[Line], accepted: dict[int, tuple[_Candidate, bool]], titles: dict[str, str]
    ) -> None:
        self.body = body
        self.accepted = accepted
        self.titles = titles  # {number: title} from the arrangement of sections
        self.tree = TreeBuilder()
        self.part: Node | None = None
        self.section: Node | None = None
        self.title_of: Node | None = None  # a Part or Chapter whose title lines follow
        self.in_schedule = False
        self.schedules = 0
        self.sections: list[tuple[Node, str | None, str]] = []  # (node, trusted number, printed number)
        heading_sections = sum(1 for cand, _ in accepted.values() if body[cand.index].heading)
        self.heading_style = heading_sections >= max(3, len(accepted) // 3)
        self.interpretation = False
        self.paragraph_letter = ""
        self.insertion = False
        self.structure_lines: set[int] = set()  # Part, Chapter and Division lines and their titles

    def build(self) -> TreeBuilder:
        for i, line in enumerate(self.body):
            if i in self.accepted:
                cand, trusted = self.accepted[i]
                number = f"{cand.number}{cand.suffix}"  # OCR look-alikes mended: "l0" → "10"
                title = self.titles.get(number) if trusted else None
                heading, used = self._heading_above(i, title)
                for j in reversed(used):
                    self._drop_last_text(self.body[j].text)
                rest = cand.rest
                if title and not heading:
                    rest, heading = self._margin_note(i, rest, title)
                if title:
                    heading = self._leading_note(i, title, cand.prefix) or heading
                following = self.body[i + 1] if i + 1 < len(self.body) else None
                self._open_section(
                    number if trusted else None,
                    rest,
                    heading,
                    line,
                    number,
                    wraps=following is not None and following.text[:1].islower(),
                    before_block=following is not None and bool(_BLOCK_START.match(following.text)),
                )
                continue
            text = line.text
            if _NOISE.match(text):
                continue
            if self._structure(line):
                self.structure_lines.add(i)
                continue
            if self.in_schedule:
                self.tree.add_text(text)
                continue
            if self.title_of is not None:
                if text.isupper() or (not self.title_of.heading and _heading_like(line)):
                    self.title_of.heading = f"{self.title_of.heading} {text}".strip()
                    self.structure_lines.add(i)
                    continue
                self.title_of = None
            if _insertion_intro(self.body, i):
                self.insertion = True
            if self.sections and not self.insertion and self._lost_number(i, line):
                continue
            if i > 0 and self._completes_reference(self.body[i - 1].text, text):
                self.tree.add_text(text)
                continue
            self._content(text, line)
        self._infer_numbers()
        self._fold_connectives()
        for node, _, _ in self.sections:
            if not node.heading and node.number in self.titles:
                node.heading = self.titles[node.number]  # the margin note was lost in conversion
        return self.tree

    # --- structure -----------------------------------------------------------------------------------------

    def _structure(self, line: Line) -> bool:
        text = line.text
        schedule = _SCHEDULE.match(text)
        if schedule:
            self.schedules += 1
            ordinal = schedule.group("pre") or schedule.group("post") or str(self.schedules)
            self.section = None
            self.in_schedule = True
            self.tree.close_all()
            self.tree.open("part", f"sch{self.schedules}", number=ordinal, heading=text, page=line.page)
            return True
        if self.insertion or text.startswith(('"', "“", "'")):
            return False
        part = _PART.match(text)
        if part and (part.group("kw").isupper() or not part.group("rest")):
            rest = part.group("rest")
            if not rest or rest.isupper() or rest[0] in "-–—:":
                number = part.group("num")
                self._close_structure()
                self.tree.close_all()
                self.part = self.tree.open(
                    "part",
                    f"p{_ordinal(number)}",
                    number=number,
                    heading=rest.lstrip("-–—: "),
                    page=line.page,
                )
                self.title_of = self.part
                return True
        division = _DIVISION.match(text)
        if division:
            # "Penggal 2" / "Division 2": a group of sections inside a Part, read like a Chapter
            under = self._close_to_part()
            number = division.group("num")
            self.title_of = self.tree.open(
                "chapter", f"div{_ordinal(number)}", number=number, page=line.page, under=under
            )
            return True
        chapter = _CHAPTER.match(text)
        if chapter and (not chapter.group("rest") or chapter.group("rest")[0].isupper()):
            if _MODAL.search(chapter.group("rest")):
                return False
            if self.title_of is not None and self.title_of.level == "chapter" and not self.title_of.heading:
                return True  # "CHAPTER III" then "CHAPTER I": an OCR echo of the same heading
            number = chapter.group("num")
            under = self._close_to_part()
            self.title_of = self.tree.open(
                "chapter",
                f"ch{_ordinal(number)}",
                number=number,
                heading=chapter.group("rest"),
                page=line.page,
                under=under,
            )
            return True
        return False

    def _close_structure(self) -> None:
        self.in_schedule = False
        self.section = None

    def _close_to_part(self) -> Node | None:
        """Close what is open for a Chapter or Division to begin: the Part it opens under when one is still
        open (returned), else everything."""
        self._close_structure()
        under = self.part if self.part is not None and self.part in self.tree.stack else None
        if under is None:
            self.tree.close_all()
        return under

    def _heading_above(self, i: int, title: str | None = None) -> tuple[str, list[int]]:
        """The section's heading from the heading-like lines above it; with the arrangement's ``title``,
        only the lines that read like it."""
        used: list[int] = []
        j = i - 1
        while j >= 0 and len(used) < 2 and j not in self.accepted and _heading_like(self.body[j]):
            if self.title_of is not None or j in self.structure_lines or _NOISE.match(self.body[j].text):
                break
            used.append(j)
            j -= 1
        used.reverse()
        if title is not None:
            used = used[len(used) - heading_lines([self.body[j].text for j in used], title) :]
        return " ".join(self.body[j].text.rstrip(".") for j in used), used

    def _margin_note(self, i: int, rest: str, title: str) -> tuple[str, str]:
        """Take a margin note spliced into the ends of the section's first lines out of the text.

        Returns the opening line's rest and the heading (the title when a note was found)."""
        texts = [rest, *(self.body[k].text for k in self._lines_after(i, MARGIN_LINES - 1))]
        plan = margin_plan(texts, title)
        if plan is None:
            return rest, ""
        for offset, words in plan.items():
            if offset:
                self.body[i + offset].text = take_off(self.body[i + offset].text, words)
        return take_off(rest, plan.get(0, 0)), title

    def _lines_after(self, i: int, count: int) -> list[int]:
        """The indices of up to ``count`` body lines after line ``i``, stopping before the next section."""
        following: list[int] = []
        for k in range(i + 1, min(i + 1 + count, len(self.body))):
            if k in self.accepted:
                break
            following.append(k)
        return following

    def _leading_note(self, i: int, title: str, before: str) -> str:
        """Take a margin note spliced into the starts of the lines after the section's first line out of
        them (`leading_note_plan`); the title when one was found, else ""."""
        following = self._lines_after(i, LEADING_NOTE_LINES)
        plan = leading_note_plan([self.body[k].text for k in following], title, before)
        if plan is None:
            return ""
        for offset, words in plan.items():
            line = self.body[following[offset]]
            line.text = " ".join(line.text.split()[words:])
        return title

    def _drop_last_text(self, text: str) -> None:
        node = self.tree.current
        if node is not None and node.own and node.own[-1] == text:
            node.own.pop()

    def _open_section(
        self,
        number: str | None,
        rest: str,
        heading: str,
        line: Line,
        printed: str,
        *,
        wraps: bool = False,
        before_block: bool = False,
    ) -> None:
        self.in_schedule = False
        self.title_of = None
        self.insertion = False
        self.paragraph_letter = ""
        title = None if heading else _TITLE_SPLIT.match(rest)
        if title and not title.group("body") and not (line.heading or line.bold):
            title = None  # "In this Act, unless the context otherwise requires—" is text, not a title
        if title and len(title.group("title").split()) <= 20 and not _MODAL.search(title.group("title")):
            heading = heading or title.group("title").strip().rstrip(".")
            rest = title.group("body").strip()
        elif (
            not wraps
            and (line.heading or (not heading and not self.titles and before_block and _title_alone(rest)))
            and rest
            and len(rest.split()) <= 20
            and not rest.startswith("(")
            and not _REFERENCE_END.search(rest)
            and _heading_like(Line(rest, None, 1))
        ):
            heading = heading or rest.rstrip(".")
            rest = ""
        anchor = self._section_parent()
        if anchor is None:
            self.tree.close_all()
        node = self.tree.open(
            "section",
            f"s{number}" if number else "s?",
            number=number or "",
            heading=heading,
            page=line.page,
            under=anchor,
            absolute=True,
        )
        self.section = node
        self.sections.append((node, number, printed))
        self.interpretation = bool(_INTERPRETATION.search(heading) or _INTERPRETATION.search(rest[:80]))
        if rest:
            self._content(rest, line)

    def _section_parent(self) -> Node | None:
        for node in reversed(self.tree.stack):
            if node.level in ("part", "chapter") and not node.local.startswith("sch"):
                return node
        return None

    def _lost_number(self, i: int, line: Line) -> bool:
        """Open a section whose number OCR lost; True when one was opened."""
        text = line.text
        lost = _LOST_NUMBER.match(text)
        if lost and len(lost.group("title").split()) <= 15 and not _MODAL.search(lost.group("title")):
            self._open_section(None, lost.group("body"), lost.group("title").rstrip(". "), line, "")
            return True
        if self.heading_style and line.heading and _heading_like(line) and i + 1 < len(self.body):
            following = self.body[i + 1]
            if (
                i + 1 not in self.accepted
                and not following.heading
                and not _LEAD.match(following.text)
                and not following.text.startswith("(")
            ):
                self._open_section(None, "", text.rstrip(". "), line, "")
                return True
        return False

    def _infer_numbers(self) -> None:
        """Give lost and garbled section numbers the value their neighbours leave room for."""
        previous: tuple[int, str] | None = None
        previous_local = "s0"
        unknown = 0
        for k, (node, number, printed) in enumerate(self.sections):
            if number:
                previous, previous_local, unknown = _to_int(number), node.local, 0
                continue
            following = next((_to_int(n) for _, n, _ in self.sections[k + 1 :] if n), None)
            guess = (previous[0] + 1) if previous else 1
            if following is None or guess < following[0]:
                node.number, node.local = str(guess), f"s{guess}"
                previous, previous_local, unknown = (guess, ""), node.local, 0
            else:
                unknown += 1
                node.number = printed
                node.local = f"{previous_local}-x{unknown}"

    # --- inside a section ----------------------------------------------------------------------------------

    @staticmethod
    def _completes_reference(previous: str, text: str) -> bool:
        """A marker that ends a cross-reference broken across lines ("... under section 5" + "(1); and"),
        or a marker followed by nothing but connectives ("(c)."): text of the provision before it."""
        marker = _MARKER_LINE.match(text)
        if marker is None:
            return False
        rest = text[marker.end() :].strip()
        return bool(_REFERENCE_END.search(previous)) or (bool(rest) and bool(_CONNECTIVE_ONLY.match(rest)))

    def _fold_connectives(self) -> None:
        """A provision whose whole text is connectives ("; and") goes back into the one before it."""
        nodes = self.tree.nodes
        for k in range(len(nodes) - 1, 0, -1):
            node = nodes[k]
            if node.children or node.level in ("part", "chapter", "section") or node.parent is None:
                continue
            text = " ".join(node.own).strip()
            if not _CONNECTIVE_ONLY.match(text):
                continue
            node.parent.children.remove(node)
            del nodes[k]
            nodes[k - 1].own.append(f"({node.label}) {text}".strip() if node.label else text)

    def _content(self, text: str, line: Line) -> None:
        if self.section is None:
            return  # text between a heading and the first section (e.g. a Part's preamble) is not a provision
        sub = _SUBSECTION.match(text)
        if sub and (
            sub.group("rest")[:1].isupper() or sub.group("rest")[:1] in "\"“'(" or not sub.group("rest")
        ):
            ocr_l = sub.group("num") == "l"
            if not (ocr_l and self.paragraph_letter == "k"):
                number = "1" if ocr_l else sub.group("num")
                if number == "1" and self._has_subsections() and not self.insertion:
                    self._open_section(
                        None, text, "", line, ""
                    )  # numbering restarts: a section lost its number
                    return
                self.paragraph_letter = ""
                self.tree.open("subsection", number, label=number, page=line.page, under=self.section)
                if _LOCAL_DEFINITIONS.match(sub.group("rest")):
                    self.interpretation = True
                self._add_rest(sub.group("rest"), line)
                return
        para = _PARAGRAPH.match(text)
        if para and self.interpretation and not self.insertion and _DEFINITION.match(para.group("rest")):
            # "(k) "term" means ...": a lettered definition is a sibling of the definitions before it,
            # lettered or not, never a paragraph of the one before
            letter = para.group("num")
            self.paragraph_letter = letter
            self.tree.open("paragraph", letter, label=letter, page=line.page, under=self._definitions_home())
            self._add_rest(para.group("rest"), line)
            return
        if para:
            letter = para.group("num")
            level = self._paragraph_level(letter)
            if level is not None:
                if level == "paragraph":
                    self.paragraph_letter = letter
                self.tree.open(level, letter, label=letter, page=line.page)
                self._add_rest(para.group("rest"), line)
                return
        item = _ITEM.match(text)
        if item and self.tree.current is not None and RANK[self.tree.current.level] >= RANK["paragraph"]:
            self.tree.open("item", item.group("num"), label=item.group("num"), page=line.page)
            self._add_rest(item.group("rest"), line)
            return
        definition = _DEFINITION.match(text)
        if definition and not self.interpretation and not self.insertion and self._after_formula():
            # The interpretation formula's tail, then definitions, inside another section: the
            # interpretation section lost its number line ("3. In this Act, ...").
            self._open_section(None, "", "", line, "")
            self.interpretation = True
        if definition and self.interpretation:
            term = definition.group("term").strip()
            current = self.tree.current
            if (
                current is not None
                and current.level == "paragraph"
                and not current.own
                and not current.heading
            ):
                current.heading = term
            else:
                self.paragraph_letter = ""
                self.tree.open("definition", f"def.{slug(term)}", heading=term, page=line.page)
        self.tree.add_text(text)

    def _definitions_home(self) -> Node | None:
        """The subsection or section that holds the definitions being read."""
        for node in reversed(self.tree.stack):
            if node.level in ("subsection", "section"):
                return node
        return None

    def _after_formula(self) -> bool:
        current = self.tree.current
        own = current.own if current is not None else []
        return bool(own) and bool(_FORMULA_TAIL.search(own[-1]))

    def _add_rest(self, rest: str, line: Line) -> None:
        if not rest:
            return
        current = self.tree.current
        nested = _PARAGRAPH.match(rest) or _SUBSECTION.match(rest)
        if nested and current is not None and current.level in ("subsection", "paragraph"):
            self._content(rest, line)  # "(2) (a) ..." on one line
            return
        definition = _DEFINITION.match(rest)
        if definition and current is not None and not current.heading and self.interpretation:
            current.heading = definition.group("term").strip()
        self.tree.add_text(rest)

    def _paragraph_level(self, letter: str) -> str | None:
        roman = letter in _ROMANS
        inside_paragraph = any(n.level == "paragraph" for n in _ancestors(self.tree.current))
        previous = self.paragraph_letter
        if roman and len(letter) == 1 and previous and ord(letter) == ord(previous) + 1:
            return "paragraph"  # (h) then (i), (u) then (v), (w) then (x)
        if roman and inside_paragraph:
            return "subparagraph"
        if len(letter) > 1 and not (roman or len(set(letter)) == 1):
            return None  # "(ab)", "(iiD": not a marker
        return "paragraph"

    def _has_subsections(self) -> bool:
        return self.section is not None and any(
            child.level == "subsection" for child in self.section.children
        )


def _ancestors(node: Node | None) -> list[Node]:
    out: list[Node] = []
    while node is not None:
        out.append(node)
        node = node.parent
    return out


def _ordinal(token: str) -> str:
    if token.isdigit():
        return str(int(token))
    value = roman_to_int(token)
    if value is not None and token.isupper():
        return str(value)
    return token.lower()


# a line that starts a new block of text: a subsection or paragraph mark ("(1)", "(1A)", "(a)", "(iv)") or a
# sentence; not a bracket that goes on with the line before ("(Pindaan) 1991.")
_BLOCK_START = re.compile(r"\((?:\d+[A-Z]?|[a-z]{1,4})\)|[\"“‘']?[A-Z]")


def _title_alone(rest: str) -> bool:
    """A section number's rest that is a whole title on a line of its own ("2. Interpretation" printed
    above "In this Act, ..."), where nothing marks it as a heading (a PDF's bold is lost): short, with no
    comma and no closing punctuation, so a sentence's first line is never taken for one."""
    text = rest.strip()
    return 0 < len(text.split()) <= 8 and "," not in text and text[-1:] not in ".;:—–-"
