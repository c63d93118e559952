"""Segmentation: statutes and strategy documents, English and Malay, clean and OCR-noisy.

Every text here was written for these tests in the style of Malaysian and Pakistani bills and policies.
"""

from __future__ import annotations

import pytest

from concord.engine.errors import NoProvisionsError, UnknownKindError, UnknownLanguageError
from concord.engine.segment import detect_kind, segment
from concord.engine.segment_lines import document_lines
from concord.engine.types import ExtractedText, Page, Provision

BILL_EN = """\
DIGITAL SERVICES BILL 2031

ARRANGEMENT OF CLAUSES

PART I
PRELIMINARY

Clause
1. Short title and commencement
2. Interpretation

PART II
PROVIDERS

3. Registration of providers
4. Duties of providers

A BILL

intituled

An Act to regulate digital services.

ENACTED by the Parliament of Malaysia as follows:

PART I

PRELIMINARY

**Short title and commencement**

**1.** (1) This Act may be cited as the Digital Services Act 2031.

(2) This Act comes into operation on a date to be appointed by the Minister.

**Interpretation**

**2.** In this Act, unless the context otherwise requires—

"provider" means a person who offers a digital service to the public;

"Minister" means the Minister charged with the responsibility for digital services;

PART II

PROVIDERS

**Registration of providers**

**3.** (1) A provider shall register with the Commission before offering a service.

(2) An application under subsection (1) shall contain—

_(a)_ the name of the provider;

_(b)_ the services offered, including—

(i) the kind of service; and

(ii) the place where it is offered; and

_(c)_ such other information as the Commission may require.

**Duties of providers**

**4.** A provider shall keep records of complaints for two years and shall give them to
section
4. The Commission on request.

SCHEDULE

1. Services exempted from registration.

2. Services of the Government.

EXPLANATORY STATEMENT

1. This Bill seeks to regulate digital services.

2. Clause 1 contains the short title.
"""

BILL_MS = """\
RANG UNDANG-UNDANG PERKHIDMATAN DIGITAL 2031

SUSUNAN FASAL

BAHAGIAN I
PERMULAAN

1. Tajuk ringkas
2. Tafsiran

RANG UNDANG-UNDANG

b e r n a m a

DIPERBUAT oleh Parlimen Malaysia seperti yang berikut:

BAHAGIAN I

PERMULAAN

Tajuk ringkas

1. Akta ini bolehlah dinamakan Akta Perkhidmatan Digital 2031.

Tafsiran

2. Dalam Akta ini, melainkan jika konteksnya menghendaki makna yang lain—

"pembekal" ertinya seseorang yang menawarkan perkhidmatan digital;

"Menteri" ertinya Menteri yang bertanggungjawab bagi perkhidmatan digital;

BAHAGIAN II

PEMBEKAL

Pendaftaran pembekal

3. (1) Seseorang pembekal hendaklah mendaftar dengan Suruhanjaya.

(2) Permohonan di bawah subseksyen (1) hendaklah mengandungi—

(a) nama pembekal; dan

(b) perkhidmatan yang ditawarkan.

HURAIAN

1. Rang Undang-Undang ini bertujuan mengawal selia perkhidmatan digital.
"""


def _by_id(provisions: list[Provision]) -> dict[str, Provision]:
    return {p.id: p for p in provisions}


def _sections(provisions: list[Provision]) -> list[str]:
    return [p.number for p in provisions if p.level == "section"]


# --- statutes -------------------------------------------------------------------------------------


def test_an_english_bill_becomes_parts_sections_subsections_and_paragraphs():
    provisions = segment(BILL_EN, language="en")
    ids = [p.id for p in provisions]
    assert ids[:6] == ["p1", "s1", "s1.1", "s1.2", "s2", "s2.def.provider"]
    assert _sections(provisions) == ["1", "2", "3", "4"]
    got = _by_id(provisions)
    assert got["s1"].heading == "Short title and commencement"
    assert got["s1"].parent == "p1" and got["p1"].heading == "PRELIMINARY" and got["p1"].level == "part"
    assert got["s3"].parent == "p2" and got["p2"].heading == "PROVIDERS"
    assert got["s3.2"].number == "3(2)" and got["s3.2"].level == "subsection"
    assert got["s3.2.b"].number == "3(2)(b)" and got["s3.2.b"].level == "paragraph"
    assert got["s3.2.b.ii"].number == "3(2)(b)(ii)" and got["s3.2.b.ii"].level == "subparagraph"
    assert got["s3.2.b.ii"].text == "the place where it is offered; and"
    assert got["s3.2.c"].parent == "s3.2"
    assert all(p.language == "en" for p in provisions)


def test_a_section_text_reads_as_printed_with_its_markers():
    got = _by_id(segment(BILL_EN))
    assert got["s3"].text.startswith(
        "(1) A provider shall register with the Commission before offering a service.\n(2) "
    )
    assert "(a) the name of the provider;" in got["s3"].text
    assert "(i) the kind of service; and" in got["s3"].text


def test_definitions_of_an_interpretation_section_are_provisions():
    got = _by_id(segment(BILL_EN))
    definition = got["s2.def.provider"]
    assert definition.level == "definition" and definition.heading == "provider" and definition.parent == "s2"
    assert definition.text.startswith('"provider" means a person')
    assert got["s2"].text.startswith("In this Act, unless the context otherwise requires")
    assert "s2.def.minister" in got


def test_the_arrangement_schedule_items_and_explanatory_statement_are_not_sections():
    provisions = segment(BILL_EN)
    assert _sections(provisions) == ["1", "2", "3", "4"]
    assert [p.heading for p in provisions if p.level == "section"][0] == "Short title and commencement"
    assert not any("seeks to regulate" in p.text for p in provisions)
    schedule = [p for p in provisions if p.id.startswith("sch")]
    assert len(schedule) == 1 and "Services exempted from registration" in schedule[0].text


def test_a_number_inside_a_sentence_broken_across_lines_is_not_a_section():
    got = _by_id(segment(BILL_EN))
    assert "The Commission on request." in got["s4"].text
    assert "s4-2" not in got


def test_a_malay_bill_uses_bahagian_seksyen_and_skips_the_huraian():
    provisions = segment(BILL_MS)
    got = _by_id(provisions)
    assert _sections(provisions) == ["1", "2", "3"]
    assert got["p2"].heading == "PEMBEKAL" and got["s3"].parent == "p2"
    assert got["s2"].heading == "Tafsiran"
    assert got["s2.def.pembekal"].heading == "pembekal"
    assert got["s3.2.b"].text == "perkhidmatan yang ditawarkan."
    assert not any("bertujuan" in p.text for p in provisions)


def test_ids_are_stable_when_an_earlier_provision_changes():
    before = _by_id(segment(BILL_EN))
    amended = BILL_EN.replace(
        "This Act may be cited as the Digital Services Act 2031.",
        "This Act may be cited as the Digital Services Act 2032, and it binds the Government.",
    )
    after = _by_id(segment(amended))
    assert set(before) == set(after)
    assert before["s3.2.b"].text == after["s3.2.b"].text
    assert before["s1.1"].text != after["s1.1"].text


def test_repeated_numbers_get_unique_deterministic_ids():
    text = (
        "ENACTED by Parliament as follows:\n1. (1) First.\n(2) Second.\n(2) Second again.\n"
        "2. Next section here."
    )
    ids = [p.id for p in segment(text, kind="law")]
    assert ids == ["s1", "s1.1", "s1.2", "s1.2-2", "s2"]
    assert ids == [p.id for p in segment(text, kind="law")]


def test_pages_and_order_come_from_the_extracted_text():
    pages = [
        Page(1, "ENACTED by Parliament as follows:\n1. (1) The first section starts here."),
        Page(2, "(2) It goes on here.\n2. The second section is on page two."),
    ]
    provisions = segment(ExtractedText(pages=pages, media_type="application/pdf"))
    got = _by_id(provisions)
    assert (got["s1"].page, got["s1.2"].page, got["s2"].page) == (1, 2, 2)
    assert [p.order for p in provisions] == list(range(len(provisions)))


def test_margin_notes_printed_before_the_number_do_not_hide_a_section():
    text = """ENACTED by the Parliament of Malaysia as follows:
1. (1) The Commission shall consist of the members Membership.
(2) The members shall be appointed by the Minister.
Statutory 2. (1) No person shall be appointed as a member
declaration unless he declares his interests.
Tenure of 3. A member holds office for three years.
4. A member may resign by notice to the Minister under section
5. Any later notice has no effect."""
    provisions = segment(text, kind="law")
    assert _sections(provisions) == ["1", "2", "3", "4"]
    assert "5. Any later notice" in _by_id(provisions)["s4"].text


def test_a_title_printed_alone_after_its_number_is_the_section_s_title():
    """A PDF printed from a word processor: "2. Interpretation" on a line of its own (its bold lost in the
    extraction), the text below it; and no arrangement of sections to read titles from."""
    text = """ENACTED by the Parliament as follows:
1. Short title and commencement
(1) This Act may be cited as the Digital Safety Act.
(2) This Act comes into operation on a date appointed by the Minister.
2. Interpretation
In this Act, "service provider" means a person who provides an online service.
3. Akta ini bolehlah dinamakan Akta Telekomunikasi
(Pindaan) 1991.
4. This Act applies to every service provider in Malaysia and
Labuan."""
    provisions = _by_id(segment(text, kind="law", language="en"))
    assert (provisions["s1"].heading, provisions["s2"].heading) == (
        "Short title and commencement",
        "Interpretation",
    )
    assert provisions["s2"].text.startswith('In this Act, "service provider" means')
    # a bracket that goes on with the line, or a sentence that wraps, is text, not a title
    assert provisions["s3"].heading == "" and provisions["s3"].text.endswith("(Pindaan) 1991.")
    assert provisions["s4"].heading == "" and provisions["s4"].text.startswith("This Act applies to")


def test_an_amending_bill_does_not_take_quoted_new_sections_for_its_own():
    text = """BE IT ENACTED as follows:
1. This Act may be cited as the Telecoms (Amendment) Act 2031.
2. The principal Act is amended by inserting, after section 30, the following new sections:
"31A. (1) A Magistrate may issue a warrant.
(2) The warrant is valid for seven days.
45. (1) Any person who obstructs an officer commits an offence.".
3. Section 40 of the principal Act is amended by deleting the word "five"."""
    provisions = segment(text, kind="law")
    assert _sections(provisions) == ["1", "2", "3"]
    assert "A Magistrate may issue a warrant" in _by_id(provisions)["s2"].text


# --- OCR noise ------------------------------------------------------------------------------------

OCR_ACT = """\
# BILL
It is hereby enacted as follows:
# CHAPTER I
# PRELIMINARY
# 1. Short title and commencement -
(1) This Act may be called the Online Safety Act, 2031.
(2) It comes into force at once.
# 2. Definitions -
(a) "content" means any information in an information system;
# 3
# 3. Unlawful content.
Whoever uploads unlawful content shall be punished with a fine.
# 4. Hate speech
Whoever spreads hate speech shall be punished with imprisonment.
# 3.1
# Takedown of content-(1)
The Authority may order the removal of unlawful content.
# (2)
The order shall give reasons.
# Appeals.
Any person aggrieved may appeal to the High Court.
# 7. Protection of minors
Whoever harms a minor online shall be punished.
# 18. Power to make rules
The Government may make rules under this Act.
# 9. Repeal
The Electronic Offences Ordinance is repealed.
# STATEMENT OF OBJECTS AND REASONS
1. The Bill protects people online.
"""


def test_ocr_noise_never_merges_sections_whose_numbers_were_lost_or_garbled():
    provisions = segment(OCR_ACT, kind="law")
    sections = [p for p in provisions if p.level == "section"]
    headings = [p.heading for p in sections]
    assert headings == [
        "Short title and commencement",
        "Definitions",
        "Unlawful content",
        "Hate speech",
        "Takedown of content",
        "Appeals",
        "Protection of minors",
        "Power to make rules",
        "Repeal",
    ]
    numbers = [p.number for p in sections]
    # lost numbers (5, 6) inferred from their neighbours; the garbled "18" between 7 and 9 repaired to 8
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
    got = _by_id(provisions)
    assert (
        got["s5"].text
        == "(1) The Authority may order the removal of unlawful content.\n(2) The order shall give reasons."
    )
    assert got["s6"].text == "Any person aggrieved may appeal to the High Court."
    assert not any("protects people online" in p.text for p in provisions)


def test_a_lost_number_with_no_room_left_gets_a_derived_id():
    text = """ENACTED as follows:
# 1. First rule
Text of the first rule.
# Second rule
Text of the second rule, whose number was lost.
# 2. Third rule
Text of the third rule.
# 3. Fourth rule
Text of the fourth rule."""
    provisions = segment(text, kind="law")
    assert [p.id for p in provisions if p.level == "section"] == ["s1", "s1-x1", "s2", "s3"]
    assert _by_id(provisions)["s1-x1"].number == ""


def test_subsection_numbering_restarting_at_one_starts_a_new_section():
    text = """ENACTED as follows:
1. (1) The Agency is established.
(2) The Agency is a body corporate.
(1) The Agency shall keep accounts.
(2) The accounts shall be audited.
3. (1) The Minister may give directions."""
    provisions = segment(text, kind="law")
    sections = [p for p in provisions if p.level == "section"]
    assert [p.number for p in sections] == ["1", "2", "3"]
    assert sections[1].text.startswith("(1) The Agency shall keep accounts.")


def test_a_lost_interpretation_section_number_is_recovered_from_its_formula():
    text = """DIPERBUAT oleh Parlimen seperti yang berikut:
1. Akta ini bolehlah dinamakan Akta Data 2031.
2. Akta ini mula berkuat kuasa pada tarikh yang ditetapkan oleh Menteri.
Dalam Akta ini, melainkan jika konteksnya menghendaki makna yang lain—
"data" ertinya maklumat dalam apa-apa bentuk;
"Menteri" ertinya Menteri yang bertanggungjawab;
4. (1) Suruhanjaya hendaklah menyimpan daftar."""
    provisions = segment(text, kind="law")
    assert _sections(provisions) == ["1", "2", "3", "4"]
    assert _by_id(provisions)["s3.def.data"].heading == "data"


def test_ocr_look_alike_digits_in_numbers_are_read():
    sections = "".join(f"{n}. Section number {n} of the act.\n" for n in range(1, 10))
    text = (
        f"ENACTED as follows:\n{sections}l0. The tenth section, OCR read 1 as l.\n11. The eleventh.\n"
        "1O. Not a section."
    )
    provisions = segment(text, kind="law")
    assert _sections(provisions) == [str(n) for n in range(1, 12)]
    assert _by_id(provisions)["s10"].text == "The tenth section, OCR read 1 as l."


# --- strategy documents ---------------------------------------------------------------------------

STRATEGY_EN = """\
Table of Contents
1. Introduction ........ 3
2. Strategic Thrusts ........ 5

1. Introduction
The nation will build a digital economy that includes everyone.

1.1 Vision
A digitally skilled workforce by 2035.

2. Strategic Thrusts
Thrust 1: Drive digital transformation in the public sector
The Government will move its services online.
Strategy S1: Build digital public services
Initiative 1: Launch a single sign-on for every citizen.
Initiative 2: Publish open data by default.
Strategy S2: Strengthen cyber security
Initiative 3: Protect critical information infrastructure.
Thrust 2: Boost the digital skills of the workforce
2.1 Talent
2.1.1 Fellowships
(a) fund 500 fellowships in AI;
(b) fund exchanges with partner universities.
"""

STRATEGY_MS = """\
Teras 1: Memacu transformasi digital dalam sektor awam
Kerajaan akan memindahkan perkhidmatannya ke dalam talian.
Strategi S1: Membina perkhidmatan awam digital
Inisiatif 1: Melancarkan log masuk tunggal untuk setiap rakyat.
Teras 2: Meningkatkan kemahiran digital tenaga kerja
Strategi S2: Melatih pakar keselamatan siber
"""


def test_a_strategy_document_becomes_numbered_headings_thrusts_strategies_and_initiatives():
    provisions = segment(STRATEGY_EN)
    got = _by_id(provisions)
    assert got["n1"].heading == "Introduction" and got["n1"].level == "part"
    assert got["n1"].text == "The nation will build a digital economy that includes everyone."
    assert got["n1.1"].parent == "n1" and got["n1.1"].level == "chapter"
    assert got["t1"].heading == "Drive digital transformation in the public sector"
    assert got["t1.ss1"].level == "chapter" and got["t1.ss1"].parent == "t1"
    assert got["t1.ss1.i1"].text == "" and got["t1.ss1.i1"].heading.startswith("Launch a single sign-on")
    assert got["t1.ss2.i3"].parent == "t1.ss2"
    assert got["n2.1.1"].level == "section"
    assert [p.text for p in provisions if p.parent == "n2.1.1"] == [
        "fund 500 fellowships in AI;",
        "fund exchanges with partner universities.",
    ]
    assert sum(1 for p in provisions if p.id == "n1") == 1  # the contents list is not a provision


def test_a_malay_strategy_uses_teras_strategi_and_inisiatif():
    provisions = segment(STRATEGY_MS, kind="strategy", language="ms")
    assert [(p.id, p.level) for p in provisions] == [
        ("t1", "part"),
        ("t1.ss1", "chapter"),
        ("t1.ss1.i1", "section"),
        ("t2", "part"),
        ("t2.ss2", "chapter"),
    ]
    assert provisions[0].text == "Kerajaan akan memindahkan perkhidmatannya ke dalam talian."
    assert {p.language for p in provisions} == {"ms"}


def test_markdown_headings_without_numbers_make_the_tree():
    text = (
        "# Digital Pakistan Policy\nIntro text.\n## Connectivity\nBroadband for all.\n"
        "## E-government\nOnline services."
    )
    provisions = segment(text, kind="policy")
    assert [(p.id, p.level, p.parent) for p in provisions] == [
        ("h-digital-pakistan-policy", "part", None),
        ("h-digital-pakistan-policy.h-connectivity", "chapter", "h-digital-pakistan-policy"),
        ("h-digital-pakistan-policy.h-e-government", "chapter", "h-digital-pakistan-policy"),
    ]


def test_the_kind_is_told_from_the_text():
    assert detect_kind(document_lines(BILL_EN)) == "statute"
    assert detect_kind(document_lines(BILL_MS)) == "statute"
    assert detect_kind(document_lines(STRATEGY_EN)) == "strategy"


# --- edges ----------------------------------------------------------------------------------------


def test_text_without_structure_is_one_document_provision():
    provisions = segment("Minutes of the meeting. The delegations agreed to meet again.")
    assert [(p.id, p.level) for p in provisions] == [("doc", "document")]
    assert provisions[0].text == "Minutes of the meeting. The delegations agreed to meet again."


def test_text_without_words_is_refused():
    with pytest.raises(NoProvisionsError) as caught:
        segment("  \n --- \n ** \n")
    assert caught.value.code == "E201"


def test_unknown_kind_and_language_are_refused_with_their_codes():
    with pytest.raises(UnknownKindError) as kind:
        segment(BILL_EN, kind="poem")
    assert kind.value.code == "E202" and "poem" in kind.value.message
    with pytest.raises(UnknownLanguageError) as language:
        segment(BILL_EN, language="fr")
    assert language.value.code == "E203" and "'fr'" in language.value.message


def test_language_is_detected_per_provision_when_not_given():
    pytest.importorskip("concord.engine.language")
    provisions = segment(BILL_MS)
    sections = [p for p in provisions if p.level == "section"]
    assert [p.language for p in sections] == ["ms", "ms", "ms"]
    assert _by_id(segment(BILL_EN))["s3"].language == "en"


def test_a_section_that_lost_its_number_right_after_a_chapter_heading_is_kept():
    text = """It is hereby enacted as follows:
# CHAPTER I
# 1. Offences
Whoever hacks a system shall be punished.
# CHAPTER - II
# PROSECUTION
Offences to be compoundable:-(1) All offences under this Act are compoundable.
(2) Offences against minors are not.
# Trial of offences.
The Sessions Court shall try offences under this Act.
# 4. Appeal
An appeal lies to the High Court.
# 5. Repeal
The old Ordinance is repealed."""
    provisions = segment(text, kind="law")
    sections = [p for p in provisions if p.level == "section"]
    assert [(p.number, p.heading) for p in sections] == [
        ("1", "Offences"),
        ("2", "Offences to be compoundable"),
        ("3", "Trial of offences"),
        ("4", "Appeal"),
        ("5", "Repeal"),
    ]
    assert [p.parent for p in sections] == ["ch1", "ch2", "ch2", "ch2", "ch2"]
