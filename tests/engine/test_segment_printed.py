"""Segmentation of bills as converted from print: page furniture, margin notes, the arrangement's titles,
definitions and cross-references broken across lines.

Every text here was written for these tests, in the shape of converted Malaysian and Pakistani bills:
pages cut by ``-----`` rules, left and right running heads with page numbers, margin notes spliced into
line ends, definitions lists.
"""

from __future__ import annotations

from concord.engine.segment import segment
from concord.engine.segment_arrangement import arrangement_titles, leading_note_plan, margin_plan
from concord.engine.segment_lines import Line, document_lines
from concord.engine.types import ExtractedText, Page, Provision

PRINTED_EN = """\
DATA SHARING BILL 2031

ARRANGEMENT OF CLAUSES

PART I

PRELIMINARY

Clause

1. Short title and commencement

2. Interpretation

PART II

SHARING

3. Duty to share data with other
public agencies

4. Refusal to share

5. Offences

-----

A BILL

i n t i t u l e d

An Act to provide for the sharing of data between public agencies.

ENACTED by the Parliament of Malaysia as follows:

PART I

PRELIMINARY

1. (1) This Act may be cited as the Data Sharing Act 2031.

(2) This Act comes into operation on a date appointed by the Minister.

2. In this Act, unless the context otherwise requires—

"agency" means a public body established by written law and any
-----

_4 Bill_

body corporate owned by such a public body;

"data" or "public data" means information held by an agency
in any form;

"dataset" means a collection of data held by an agency;

PART II

SHARING

3. (1) An agency shall share the data it holds with another
agency that asks for it if—

(a) the asking agency has complied with the duty under section 4
(1); and

(b) the request is made in the form set out in paragraph
(a); or

-----

_Data Sharing_ 5

(c) the Minister so directs.

(2) The record of a request under paragraph (1)(b) shall be kept by
the agency for the period prescribed under this
Act.

Refusal to share

4. (1) An agency may refuse a request that does not comply with
section 3.

-----

# 6 Bill

(2) A refusal shall be given in writing with its reasons.

-----

_Data Sharing_ 7 **Offences**

5. A person who shares data in breach of this Act commits an offence.
"""

PRINTED_MS = """\
RANG UNDANG-UNDANG PERKONGSIAN DATA 2031

SUSUNAN FASAL

BAHAGIAN I

PERMULAAN

Fasal

1. Tajuk ringkas dan permulaan kuat kuasa

2. Tafsiran

3. Kewajipan berkongsi data

-----

RANG UNDANG-UNDANG

b e r n a m a

Suatu Akta untuk mengadakan peruntukan bagi perkongsian data.

DIPERBUAT oleh Parlimen Malaysia seperti yang berikut:

BAHAGIAN I

PERMULAAN

1. (1) Akta ini bolehlah dinamakan Akta Perkongsian Tajuk
Data 2031. ringkas dan

(2) Akta ini mula berkuat kuasa pada tarikh yang permulaan
ditetapkan oleh Menteri. kuat kuasa

2. Dalam Akta ini, melainkan jika konteksnya Tafsiran.
menghendaki makna yang lain—

"agensi" ertinya badan awam yang ditubuhkan di bawah undang-undang bertulis;

-----

_Rang Undang-Undang_

"data" atau "data awam" ertinya maklumat yang dipegang oleh suatu agensi;

-----

_Perkongsian Data_ 3

"set data" ertinya himpunan data;

3. Suatu agensi hendaklah berkongsi data dengan agensi lain mengikut perenggan
(a) dan (b) subseksyen 2(1), dan hendaklah menyimpan rekod perkongsian itu.

-----

4 _Rang Undang-Undang_
"""

DEFINITIONS_PK = """\
It is hereby enacted as follows:

1. Short title.- (1) This Act may be called the Online Records Act, 2031.

2. Definitions.- (1) In this Act, unless there is anything repugnant in the subject or context,-

(a) "act" includes-

(i) a series of acts; or

(ii) an omission;

(b) "access" means gaining control of any data;

"Authority" means the Records Authority established under this Act;

"Critical system" means a system the loss of which could result in harm to the public;

(k) "critical data" means data held in a critical system;

(l) "device" includes-

(i) a physical device; or

(ii) a virtual tool;

"seize" with respect to any data includes taking possession of a copy of it;

(h) "holder" means a person who holds data;

(i) "identity" means information that identifies a person;

(j) "investigation" means an inquiry under this Act.

3. Unauthorised access.- Whoever gains unauthorised access to data shall be punished with fine.
"""


def _by_id(provisions: list[Provision]) -> dict[str, Provision]:
    return {p.id: p for p in provisions}


def _sections(provisions: list[Provision]) -> dict[str, Provision]:
    return {p.number: p for p in provisions if p.level == "section"}


def _everything(provisions: list[Provision]) -> str:
    return "\n".join(f"{p.heading}\n{p.text}" for p in provisions)


# --- page furniture ---------------------------------------------------------------------------------------


def test_running_heads_and_page_numbers_never_reach_provision_text():
    provisions = segment(PRINTED_EN)
    everything = _everything(provisions)
    assert "Bill" not in everything
    assert "Data Sharing 5" not in everything and "Data Sharing 7" not in everything
    definitions = [p for p in provisions if p.level == "definition"]
    assert definitions[0].text == (
        '"agency" means a public body established by written law and any body corporate owned by such a '
        "public body;"
    )


def test_furniture_is_found_on_extracted_pages_too():
    pages = [Page(n + 1, chunk) for n, chunk in enumerate(PRINTED_EN.split("-----"))]
    provisions = segment(ExtractedText(pages=pages, media_type="text/markdown"))
    assert "Bill" not in _everything(provisions)
    assert _sections(provisions)["4"].page == 4


def test_a_running_head_glued_to_the_first_words_of_a_page_is_taken_off():
    sections = _sections(segment(PRINTED_EN))
    assert sections["5"].heading == "Offences"
    assert sections["5"].text == "A person who shares data in breach of this Act commits an offence."


def test_malay_running_heads_rang_undang_undang_are_dropped_but_the_bill_still_starts():
    provisions = segment(PRINTED_MS)
    assert "Rang Undang-Undang" not in _everything(provisions)
    assert "Perkongsian Data 3" not in _everything(provisions)
    assert sorted(_sections(provisions)) == ["1", "2", "3"]


def test_a_heading_that_repeats_on_two_pages_without_a_page_number_is_kept():
    text = "\n-----\n".join(
        [
            "ENACTED by Parliament as follows:\n\nTerm of office\n\n1. A member holds office for two years.",
            "Term of office\n\n2. The chairman holds office for three years.",
        ]
    )
    headings = [p.heading for p in segment(text) if p.level == "section"]
    assert headings == ["Term of office", "Term of office"]


def test_a_part_titled_like_the_bill_in_capitals_is_kept_at_the_top_of_a_page():
    text = (
        "PERSONAL DATA BILL 2031\n\nENACTED by Parliament as follows:\n\n1. This Act may be cited as the "
        "Personal Data Act 2031.\n-----\nPART II\n\nPERSONAL DATA\n\n2. Personal data shall be kept safe.\n"
        "-----\n_Personal Data_\n\n3. Personal data shall be accurate.\n"
    )
    provisions = segment(text)
    assert _by_id(provisions)["p2"].heading == "PERSONAL DATA"
    assert _sections(provisions)["2"].text == "Personal data shall be kept safe."


def test_document_lines_cut_pages_at_rules_and_form_feeds():
    lines = document_lines("Body one.\n\fPage 2\nBody two.\n\f3\nBody three.")
    assert [line.text for line in lines] == ["Body one.", "Body two.", "Body three."]


# --- margin notes and the arrangement ---------------------------------------------------------------------


def test_sections_without_a_heading_in_the_body_take_their_title_from_the_arrangement():
    sections = _sections(segment(PRINTED_EN))
    assert sections["1"].heading == "Short title and commencement"
    assert sections["2"].heading == "Interpretation"
    assert sections["3"].heading == "Duty to share data with other public agencies"


def test_the_end_of_the_previous_sentence_above_a_section_is_not_its_heading():
    sections = _sections(segment(PRINTED_EN))
    assert sections["4"].heading == "Refusal to share"
    assert sections["3"].text.endswith("for the period prescribed under this Act.")


def test_a_margin_note_spliced_into_line_ends_becomes_the_heading():
    sections = _sections(segment(PRINTED_MS))
    assert sections["1"].heading == "Tajuk ringkas dan permulaan kuat kuasa"
    assert sections["1"].text == (
        "(1) Akta ini bolehlah dinamakan Akta Perkongsian Data 2031.\n"
        "(2) Akta ini mula berkuat kuasa pada tarikh yang ditetapkan oleh Menteri."
    )
    assert sections["2"].heading == "Tafsiran"
    assert sections["2"].text.startswith(
        "Dalam Akta ini, melainkan jika konteksnya menghendaki makna yang lain—"
    )


def test_a_sentence_ending_in_capitalised_words_is_not_a_margin_note():
    texts = ["(1) The Commission shall keep a register of the Personal Data", "Protection Principles."]
    assert margin_plan(texts, "Personal data protection principles") is None
    assert margin_plan(["The fund is called the Fund."], "Fund") is None


def test_the_arrangement_reads_wrapped_titles_and_skips_divisions():
    lines = [
        Line(text, None)
        for text in (
            "Fasal",
            "1. Tajuk ringkas",
            "Penggal 1",
            "Prinsip perlindungan data",
            "2. Hal keadaan yang pengguna data boleh enggan mematuhi",
            "permintaan",
            "3. Kuasa untuk membuat peraturan-peraturan",
        )
    ]
    assert arrangement_titles(lines) == {
        "1": "Tajuk ringkas",
        "2": "Hal keadaan yang pengguna data boleh enggan mematuhi permintaan",
        "3": "Kuasa untuk membuat peraturan-peraturan",
    }


def test_an_arrangement_whose_entries_run_on_is_read_entry_by_entry():
    """A PDF or a web page may flow the arrangement into lines of several entries; only the next number in
    sequence starts an entry, so a number cited in a title stays in it."""
    lines = [
        Line(text, None)
        for text in (
            "Fasal",
            "1. Tajuk ringkas 2. Pemakaian 3. Pindaan seksyen 4. 4. Tafsiran 5. Prinsip",
            "Penzahiran 6. Hal keadaan yang menyalahi undang-",
            "undang 7.",
            "Pemberitahuan mengenai keengganan 7A. Kuasa Menteri",
            "BAHAGIAN II",
            "PENGECUALIAN",
            "8. Pengecualian 9. Kuasa untuk membuat pengecualian tambahan",
        )
    ]
    assert arrangement_titles(lines) == {
        "1": "Tajuk ringkas",
        "2": "Pemakaian",
        "3": "Pindaan seksyen 4",
        "4": "Tafsiran",
        "5": "Prinsip Penzahiran",
        "6": "Hal keadaan yang menyalahi undang-undang",
        "7": "Pemberitahuan mengenai keengganan",
        "7A": "Kuasa Menteri",
        "8": "Pengecualian",
        "9": "Kuasa untuk membuat pengecualian tambahan",
    }


LEFT_NOTES_EN = """\
OPEN DATA BILL 2031

ARRANGEMENT OF CLAUSES

PART I

PRELIMINARY

1. Short title.

2. Interpretation.

PART II

DUTIES

Chapter 1

_Publication_

_1._ Duty to publish datasets.

4. Variation of a publication notice.

-----

A BILL

i n t i t u l e d

An Act to provide for the publication of open data.

ENACTED by the Parliament of Malaysia as follows:

PART I

PRELIMINARY

1. This Act may be cited as the Open Data Act 2031. Short title.

2. In this Act, unless the context otherwise requires— Interpretation.

"dataset" means a collection of records held by a public agency.

PART II

DUTIES

Duty to 3. (1) A public agency shall publish every dataset that
publish it holds in an open format within three months of its creation.
datasets.

(2) The Minister may exempt a dataset by order in the Gazette.

Variation 4. (1) The Minister may at any time modify, vary or
of a publication revoke a publication notice.
notice.

(2) A notice varied under subsection (1) shall be published again.
"""


def test_a_misprinted_number_in_the_arrangement_is_read_from_its_neighbours():
    """'_1._ Duty to publish datasets.' between 2 and 4 is entry 3: it neither overwrites section 1's title
    nor leaves section 3 untitled."""
    sections = _sections(segment(LEFT_NOTES_EN))
    assert sections["1"].heading == "Short title"
    assert sections["3"].heading == "Duty to publish datasets"
    lines = [Line(t, None) for t in ("1. Short title.", "2. Interpretation.", "1. Repeal.", "5. Savings.")]
    assert arrangement_titles(lines)["1"] == "Repeal"  # no number is left for it between 2 and 5: as printed


def test_a_margin_note_spliced_into_line_starts_is_taken_out_of_the_text():
    sections = _sections(segment(LEFT_NOTES_EN))
    assert sections["3"].text == (
        "(1) A public agency shall publish every dataset that it holds in an open format within three "
        "months of its creation.\n(2) The Minister may exempt a dataset by order in the Gazette."
    )
    assert sections["4"].heading == "Variation of a publication notice"
    assert sections["4"].text.startswith(
        "(1) The Minister may at any time modify, vary or revoke a publication notice.\n(2) A notice"
    )
    assert sections["1"].text == "This Act may be cited as the Open Data Act 2031."


def test_a_sentence_that_ends_at_a_line_start_is_not_a_margin_note():
    assert (
        leading_note_plan(["Minister. (2) The Commission shall report."], "Approval of the Minister") is None
    )
    assert leading_note_plan(["Minister. the Commission"], "Approval of the Minister") is None  # under half
    assert leading_note_plan(["the Minister. directions to the Commission"], "Direction by the Minister") == {
        0: 2
    }
    # with the note's first word before the number, the rest must follow it exactly
    assert leading_note_plan(["arahan. mengubahsuaikan"], "Perubahan arahan", "Perubahan") == {0: 1}
    assert leading_note_plan(["arahan. mengubahsuaikan"], "Perubahan arahan", "Pindaan") is None


def test_a_margin_note_glued_at_line_ends_is_read_letter_by_letter():
    texts = [
        "(1) The Minister may determine Determination",
        "any matter specified in this Act by theMinister.",
    ]
    assert margin_plan(texts, "Determination by the Minister") == {0: 1, 1: 2}
    # a dash that ends the sentence before the note is the sentence's, not the note's
    texts = ["(1) Where a subscriber asks Effect of", "for revocation, the subscriber ceases — revocation"]
    assert margin_plan(texts, "Effect of revocation") == {0: 2, 1: 1}


def test_a_division_is_read_like_a_chapter_and_its_title_stays_out_of_the_next_heading():
    text = (
        "DIPERBUAT oleh Parlimen seperti yang berikut:\n\nBAHAGIAN II\n\nPERLINDUNGAN\n\nPenggal 1\n\n"
        "_Prinsip perlindungan_\n\n**Prinsip Am**\n\n**5. (1) Seseorang pengguna data tidak boleh memproses "
        "data.**\n\n(2) Data hendaklah dilindungi.\n"
    )
    got = _by_id(segment(text))
    assert got["p2.div1"].level == "chapter" and got["p2.div1"].heading == "Prinsip perlindungan"
    assert got["s5"].heading == "Prinsip Am" and got["s5"].parent == "p2.div1"


# --- definitions ------------------------------------------------------------------------------------------


def test_each_quoted_definition_is_its_own_provision_with_its_alternative_terms():
    provisions = segment(PRINTED_EN)
    definitions = [p.heading for p in provisions if p.level == "definition"]
    assert definitions == ["agency", "data", "dataset"]
    data = next(p for p in provisions if p.heading == "data")
    assert data.text == '"data" or "public data" means information held by an agency in any form;'
    malay = [p.heading for p in segment(PRINTED_MS) if p.level == "definition"]
    assert malay == ["agensi", "data", "set data"]


def test_lettered_and_unlettered_definitions_are_siblings_in_sequence():
    provisions = segment(DEFINITIONS_PK)
    got = _by_id(provisions)
    children = [p for p in provisions if p.parent == "s2.1"]
    assert [p.heading for p in children] == [
        "act",
        "access",
        "Authority",
        "Critical system",
        "critical data",
        "device",
        "seize",
        "holder",
        "identity",
        "investigation",
    ]
    assert got["s2.1.k"].level == "paragraph" and got["s2.1.k"].number == "2(1)(k)"
    assert [p.id for p in provisions if p.parent == "s2.1.l"] == ["s2.1.l.i", "s2.1.l.ii"]
    assert got["s2.1.i"].level == "paragraph"  # (i) after (h) is a letter here, not a roman numeral
    assert got["s2.1.a.ii"].level == "subparagraph"


def test_definitions_for_one_section_only_are_split_too():
    text = (
        "ENACTED by Parliament as follows:\n\n7. (1) A data user shall not process sensitive data.\n\n"
        "(2) For the purposes of this section—\n\n"
        '"medical purposes" includes preventive medicine;\n\n"sensitive data" means data about health.\n'
    )
    got = _by_id(segment(text))
    assert [p.heading for p in segment(text) if p.parent == "s7.2"] == ["medical purposes", "sensitive data"]
    assert got["s7.2"].text.startswith("For the purposes of this section—")


# --- cross-references -------------------------------------------------------------------------------------


def test_a_cross_reference_broken_across_lines_is_never_split_into_a_provision():
    provisions = segment(PRINTED_EN)
    got = _by_id(provisions)
    assert [p.id for p in provisions if p.parent == "s3.1"] == ["s3.1.a", "s3.1.b", "s3.1.c"]
    assert got["s3.1.a"].text == "the asking agency has complied with the duty under section 4 (1); and"
    assert got["s3.1.b"].text == "the request is made in the form set out in paragraph (a); or"
    malay = _sections(segment(PRINTED_MS))["3"]
    assert [p for p in segment(PRINTED_MS) if p.parent == malay.id] == []
    assert "mengikut perenggan (a) dan (b) subseksyen 2(1), dan hendaklah" in malay.text


def test_no_provision_is_only_punctuation_or_connectives():
    text = (
        "ENACTED by Parliament as follows:\n\n9. (1) The Minister may—\n\n(a) issue a direction; and\n\n"
        "(b) revoke it,\n\n(c).\n\n(2) A direction shall be published.\n"
    )
    provisions = segment(text)
    for provision in provisions:
        assert any(ch.isalpha() for ch in provision.text.replace("and", "")), provision
    assert _by_id(provisions)["s9.1.b"].text == "revoke it, (c)."


def test_left_and_right_running_heads_of_a_printed_pdf_are_dropped():
    """Each head is on a third of the pages at most, and half of them lost their page number, which is
    what defeats the extractor's share-of-pages rule."""
    from concord.engine.extract import extract

    from .malformed import make_pdf, page_of_lines

    heads = ("{n} Bill", "Data Sharing {n}", "Bill", "Data Sharing")
    duties = (
        *("share", "publish", "correct", "archive", "encrypt", "index"),
        *("audit", "anonymise", "describe", "license", "retire"),
    )
    pages = [page_of_lines(["DATA SHARING BILL 2031", "ENACTED by the Parliament as follows:", "1. An"])]
    for n in range(2, 12):
        body = [f"agency shall {duties[n - 2]} its data.", f"{n}. An"]
        pages.append([(72, 810, heads[n % 4].format(n=n)), *page_of_lines(body, top=770)])
    pages.append(page_of_lines([f"agency shall {duties[10]} its data."]))
    extracted = extract(make_pdf(pages), filename="bill.pdf")
    sections = _sections(segment(extracted))
    assert len(sections) == 11
    assert [p.text for p in sections.values()] == [f"An agency shall {duty} its data." for duty in duties]
