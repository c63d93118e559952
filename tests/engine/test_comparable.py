"""The comparable-programme ranking, checked by hand with the deterministic hashing encoder."""

from __future__ import annotations

from concord.engine.comparable import ProgrammeText, jaccard, rank_comparable, split_passages
from concord.engine.encoders import HashingEncoder

ENC = HashingEncoder(dim=256)
SOURCE = ProgrammeText(
    1,
    "National cyber security training. Train ten thousand cyber security professionals by 2030.",
    frozenset({"cybersecurity", "skills"}),
    frozenset({"skills", "funding"}),
)


def test_jaccard_counts_the_shared_share():
    assert jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == 1 / 3
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_split_passages_keeps_sentences_and_drops_fragments():
    assert split_passages("First sentence is long enough. Short. Another long sentence here.") == [
        "First sentence is long enough.",
        "Another long sentence here.",
    ]


def test_shared_themes_instruments_and_text_rank_first_with_their_reasons():
    close = ProgrammeText(
        2,
        "Cyber security skills. Train cyber security professionals in universities.",
        frozenset({"cybersecurity"}),
        frozenset({"skills"}),
    )
    partial = ProgrammeText(3, "Rural broadband towers for villages.", frozenset({"skills"}), frozenset())
    unrelated = ProgrammeText(4, "Zebra quokka marmalade.", frozenset(), frozenset())
    ranked = rank_comparable(SOURCE, [partial, unrelated, close], ENC)
    assert [c.id for c in ranked] == [2, 3]  # nothing shared with 4: left out
    best = ranked[0]
    assert best.shared_themes == ("cybersecurity",) and best.shared_instruments == ("skills",)
    assert best.theme_overlap == 0.5 and best.instrument_overlap == 0.5
    assert best.passages and "cyber security professionals" in best.passages[0].source
    assert 0 < best.score <= 1


def test_limit_and_empty_candidates():
    others = [
        ProgrammeText(n, "Cyber security training", frozenset({"cybersecurity"})) for n in range(10, 20)
    ]
    assert len(rank_comparable(SOURCE, others, ENC, limit=3)) == 3
    assert rank_comparable(SOURCE, [], ENC) == []
