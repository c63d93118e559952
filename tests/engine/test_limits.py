"""Limits by meaning: characters per document (E204) and per provision (split into numbered parts), and
the characters an encoder reads."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.encoders import MAX_ENCODER_CHARS, HashingEncoder
from concord.engine.errors import DocumentTooLongError, LimitOptionError
from concord.engine.intake import check_upload
from concord.engine.limits import check_document_length, cut_points, split_long_provisions
from concord.engine.segment import segment
from concord.engine.types import Provision


def test_a_document_over_the_limit_is_refused_naming_the_limit_and_its_size():
    with pytest.raises(DocumentTooLongError) as caught:
        segment("word " * 300, max_document_chars=1000)
    assert caught.value.code == "E204"
    assert "1,500 characters" in caught.value.message and "limit of 1,000" in caught.value.message
    assert caught.value.params == {"chars": 1500, "limit": 1000}
    check_document_length(1000, 1000)  # at the limit is fine


def test_a_text_upload_is_refused_before_it_is_read():
    data = ("# Act\n\n" + "A sentence of the act. " * 100).encode()
    with pytest.raises(DocumentTooLongError):
        check_upload(data, filename="act.md", max_chars=500)
    assert check_upload(data, filename="act.md", max_chars=len(data)) == "text/markdown"


@pytest.mark.parametrize("bad", [0, -5, 2.5, "20000", True])
def test_a_limit_must_be_a_positive_whole_number(bad):
    with pytest.raises(LimitOptionError) as caught:
        segment("Some words here.", max_provision_chars=bad)
    assert caught.value.code == "E205"


def test_one_huge_line_becomes_numbered_parts_none_over_the_limit():
    line = "The operator shall keep records of every transfer. " * 4000  # 200,000 characters, one line
    provisions = segment(line, max_provision_chars=20_000, language="en")
    assert len(provisions) == 11
    assert all(len(p.text) <= 20_000 for p in provisions)
    assert provisions[0].id == "doc" and provisions[1].id == "doc.part2"
    assert [p.number for p in provisions[:2]] == ["[1/11]", "[2/11]"]
    assert [p.order for p in provisions] == list(range(11))
    # Nothing is lost, and each cut falls after a sentence.
    assert " ".join(p.text for p in provisions).split() == line.split()
    assert all(p.text.endswith(".") for p in provisions)


def test_parts_follow_their_provision_and_keep_its_parent():
    tree = [
        Provision(id="s1", number="1", heading="Short", text="Short text.", level="section"),
        Provision(id="s2", number="2", heading="Long", text="x " * 60, level="section", parent="p1"),
        Provision(id="s3", number="3", heading="Next", text="Next text.", level="section"),
    ]
    out = split_long_provisions(tree, 50)
    assert [p.id for p in out] == ["s1", "s2", "s2.part2", "s2.part3", "s3"]
    assert {p.parent for p in out if p.id.startswith("s2")} == {"p1"}
    assert [p.number for p in out] == ["1", "2 [1/3]", "2 [2/3]", "2 [3/3]", "3"]


def test_a_long_provision_with_children_is_cut_not_split():
    tree = [
        Provision(id="s1", number="1", heading="", text="word " * 40, level="section"),
        Provision(id="s1.1", number="(1)", heading="", text="word " * 20, level="subsection", parent="s1"),
    ]
    out = split_long_provisions(tree, 60)
    assert [p.id for p in out] == ["s1", "s1.1", "s1.1.part2"]
    assert len(out[0].text) <= 60


def test_cuts_without_spaces_are_hard_cuts():
    assert cut_points("x" * 25, 10) == [10, 20]


def test_an_encoder_reads_only_its_first_characters():
    encoder = HashingEncoder()
    head = "privacy consent transfer " * (MAX_ENCODER_CHARS // 25 + 1)
    a, b = encoder.encode([head + "alpha beta gamma", head + "completely different tail words"])
    assert np.allclose(a, b)
    short_a, short_b = encoder.encode(["privacy alpha", "privacy beta"])
    assert not np.allclose(short_a, short_b)
