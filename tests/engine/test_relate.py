"""Relationship typing: sentences and citations, polarity, the rules and the default model's directions."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.encoders import HashingEncoder
from concord.engine.lexical import tokenize
from concord.engine.relate import (
    FEATURES,
    PARAMS_PATH,
    RELATIONSHIPS,
    LogisticModel,
    PairEvidence,
    RelationModel,
    Side,
    default_model,
    load_model,
    polarity,
    relate,
    split_sentences,
    swap_features,
)

ENC = HashingEncoder()
NOTIFY = "The controller shall notify the Commissioner of a personal data breach within 72 hours."
CONSENT = "Personal data shall be processed only with the consent of the data subject."
RECORD = "The controller shall keep a record of every processing operation for seven years."


def side(text: str, language: str = "en") -> Side:
    sentences = split_sentences(text)
    return Side(
        text,
        ENC.encode([text])[0],
        sentences,
        ENC.encode([s.text for s in sentences]),
        frozenset(tokenize(text, language)),
        language,
    )


def rel(a: str, b: str, **kw):
    return relate(side(a), side(b), PairEvidence(2.0, 2.0, 2.0), {}, model=default_model(), **kw)


def test_sentences_keep_exact_offsets():
    text = "First sentence here. (a) an item that runs on; (b) another item.\nالگ جملہ یہاں ہے۔ دوسرا جملہ۔"
    spans = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert spans[0].text == "First sentence here."
    assert any(s.text.startswith("(b)") for s in spans)


def test_enumerators_and_bracketed_colons_do_not_end_sentences():
    spans = split_sentences(
        "a. Develop and document [Assignment: organization-defined roles]: policy; and b. review."
    )
    assert (
        spans[0].text.startswith("a. Develop") and "[Assignment: organization-defined roles]" in spans[0].text
    )


def test_polarity_in_three_languages():
    assert polarity("The controller shall not disclose data.") == -1
    assert polarity("The controller shall disclose data.") == 1
    assert polarity("Pengawal data tidak boleh mendedahkan data.") == -1
    assert polarity("Pengawal data hendaklah mendedahkan data.") == 1
    assert polarity("ڈیٹا کا انکشاف ممنوع ہے") == -1
    assert polarity("Data is a resource.") == 0


def test_identical_texts_are_equal_to_and_syntactic():
    r = rel(NOTIFY, "the controller shall notify the commissioner of a personal-data breach within 72 hours")
    assert (r.relationship, r.rationale) == ("equal-to", "syntactic")
    assert r.link_confidence >= 0.99


def test_a_prohibition_against_an_obligation_is_contrary_to():
    r = rel(
        "Personal data shall be transferred outside Malaysia.",
        "Personal data shall not be transferred outside Malaysia.",
    )
    assert r.relationship == "contrary-to"
    assert r.cited_source[0].text.startswith("Personal data shall be")


def test_source_contained_in_target_is_subset_of_and_the_reverse_superset_of():
    whole = f"{NOTIFY} {CONSENT} {RECORD}"
    assert rel(NOTIFY, whole).relationship == "subset-of"
    assert rel(whole, NOTIFY).relationship == "superset-of"


def test_partial_overlap_is_intersects_with():
    r = rel(f"{NOTIFY} Football clubs must register players.", f"{NOTIFY} Rivers are measured in kilometres.")
    assert r.relationship == "intersects-with"


def test_citations_point_at_the_supporting_sentences():
    whole = f"{CONSENT} {NOTIFY} {RECORD}"
    r = rel(NOTIFY, whole)
    assert [s.text for s in r.cited_target] == [NOTIFY]
    start = whole.index(NOTIFY)
    assert (r.cited_target[0].start, r.cited_target[0].end) == (start, start + len(NOTIFY))


def test_english_and_malay_translations_are_cited_across_languages():
    ms = "Pengawal data hendaklah memaklumkan Suruhanjaya mengenai pelanggaran data peribadi dalam tempoh 72 "
    ms += "jam."
    r = relate(side(NOTIFY), side(ms, "ms"), PairEvidence(2.0, 2.0, 0.5), {}, model=default_model())
    assert r.relationship not in ("no-relationship", "contrary-to", "equal-to")
    assert r.rationale == "semantic" and r.cited_target[0].text == ms


def test_confidences_are_probabilities_and_multiply():
    r = rel(NOTIFY, f"{NOTIFY} {CONSENT}")
    assert 0 <= r.confidence <= r.link_confidence <= 1
    assert r.confidence == pytest.approx(r.link_confidence * r.relationship_confidence, abs=1e-3)
    assert r.relationship in RELATIONSHIPS


def _unrelated_pair(**kw):
    """The notification duty against a sentence about rivers, with weak evidence of a link."""
    weak = PairEvidence(-3.0, -3.0, -1.0, rank=9, best_score=2.0)
    return relate(
        side(NOTIFY), side("Rivers are measured in kilometres."), weak, {}, model=default_model(), **kw
    )


def test_unrelated_pair_with_weak_evidence_is_no_relationship():
    r = _unrelated_pair()
    assert r.relationship == "no-relationship" and r.link_confidence < 0.05


def test_logistic_model_learns_a_separable_rule_and_round_trips():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 2))
    y = ["hi" if v > 0 else "lo" for v in x[:, 0]]
    model = LogisticModel.fit(x, y, ["lo", "hi"], ["a", "b"], l2=0.1)
    pred = ["hi" if p[1] > 0.5 else "lo" for p in model.predict_proba(x)]
    assert np.mean([a == b for a, b in zip(pred, y)]) > 0.95
    again = LogisticModel.from_dict(model.to_dict())
    assert np.allclose(again.predict_proba(x), model.predict_proba(x))


def test_swapping_twice_gives_the_same_features():
    x = np.arange(2 * len(FEATURES), dtype=float).reshape(2, -1)
    assert np.array_equal(swap_features(swap_features(x)), x)
    assert swap_features(x)[0, FEATURES.index("cover_src")] == x[0, FEATURES.index("cover_tgt")]


def test_fitted_parameters_load_and_state_their_provenance(tmp_path):
    model = load_model()
    assert isinstance(model, RelationModel)
    assert PARAMS_PATH.exists(), "the fitted relation model ships with the engine"
    assert {"command", "fitted_on", "held_out"} <= set(model.provenance)
    assert set(model.types.features) <= set(FEATURES)
    path = tmp_path / "params.json"
    default_model().save(path)
    assert load_model(path).class_bias == default_model().class_bias


def test_malay_prohibition_against_permission_is_contrary_to():
    r = relate(
        side("Data peribadi boleh dipindahkan ke luar Malaysia.", "ms"),
        side("Data peribadi tidak boleh dipindahkan ke luar Malaysia.", "ms"),
        PairEvidence(2.0, 2.0, 2.0),
        {},
        model=default_model(),
    )
    assert r.relationship == "contrary-to"


def test_malay_source_contained_in_malay_target_is_subset_of():
    part = "Pengawal data hendaklah menyimpan rekod pemprosesan data peribadi."
    whole = f"{part} Pengguna boleh meminta akses kepada data mereka. Suruhanjaya boleh mengenakan denda."
    assert (
        relate(
            side(part, "ms"), side(whole, "ms"), PairEvidence(2.0, 2.0, 2.0), {}, model=default_model()
        ).relationship
        == "subset-of"
    )
    assert (
        relate(
            side(whole, "ms"), side(part, "ms"), PairEvidence(2.0, 2.0, 2.0), {}, model=default_model()
        ).relationship
        == "superset-of"
    )


def test_given_pairs_are_always_typed_and_confidence_is_the_type_probability():
    r = _unrelated_pair(given=True)
    assert r.relationship != "no-relationship"
    assert r.confidence == r.relationship_confidence and r.link_confidence < 0.05


def test_a_negation_that_only_bounds_a_quantity_is_not_a_prohibition():
    assert polarity("shall be liable to a fine not exceeding fifty thousand ringgit") == 1
    assert polarity("boleh didenda tidak melebihi lima puluh ribu ringgit") == 1
    assert polarity("Whether or not the data is stored, the controller shall notify the Commission") == 1
    assert polarity("No person shall disclose personal data") == -1


def test_a_penalty_clause_and_its_translation_are_not_contrary():
    r = relate(
        side(
            "Any person who contravenes this section commits an offence and shall be liable to a fine "
            "not exceeding fifty thousand ringgit.",
            "en",
        ),
        side(
            "Mana-mana orang yang melanggar seksyen ini melakukan suatu kesalahan dan boleh didenda "
            "tidak melebihi lima puluh ribu ringgit.",
            "ms",
        ),
        PairEvidence(2.0, 2.0, 0.0),
        {},
        model=default_model(),
    )
    assert r.relationship != "contrary-to"


def test_contrary_to_needs_sentences_far_above_the_encoders_background():
    args = (
        side("Data peribadi boleh dipindahkan.", "ms"),
        side("Data peribadi tidak boleh dipindahkan.", "ms"),
    )
    near = relate(*args, PairEvidence(2.0, 2.0, 2.0), {}, model=default_model())
    assert near.relationship == "contrary-to"
    # an encoder under which unrelated texts already score 0.95 cannot vouch for this pair's topic
    far = relate(*args, PairEvidence(2.0, 2.0, 2.0), {}, model=default_model(), background=(0.95, 0.02))
    assert far.relationship != "contrary-to"


def test_a_weakly_settled_type_is_said_as_intersects_with():
    model = default_model()
    model.abstain_below = 0.999
    model.intersect_below = 0.0
    r = relate(
        side("The controller shall keep records of processing."),
        side("The controller shall keep records of processing and appoint an officer."),
        PairEvidence(2.0, 2.0, 2.0),
        {},
        model=model,
    )
    assert r.relationship == "intersects-with"


def test_equivalence_is_one_to_one_so_a_pair_that_is_not_mutual_is_typed_otherwise():
    a = side("The controller shall notify the Commission of a breach within 72 hours.")
    b = side("The controller must notify the Commission of any breach within 72 hours.")
    model = default_model()
    model.intersect_below = 0.0
    mutual = relate(a, b, PairEvidence(2.0, 2.0, 2.0, mutual=True), {}, model=model)
    assert mutual.relationship == "equivalent-to"
    one_of_many = relate(a, b, PairEvidence(2.0, 2.0, 2.0, mutual=False), {}, model=model)
    assert one_of_many.relationship in ("subset-of", "superset-of")
    # whether the rule holds is part of the fitted decision: without it the same pair is equivalent
    model.one_to_one = False
    free = relate(a, b, PairEvidence(2.0, 2.0, 2.0, mutual=False), {}, model=model)
    assert free.relationship == "equivalent-to"
    assert RelationModel.from_dict(model.to_dict()).one_to_one is False


def test_sentence_coverage_is_asymmetric_when_one_side_holds_the_other():
    # The narrow side's one sentence has a close counterpart in the wide side; only one of the wide
    # side's three sentences has one in the narrow side.
    whole = f"{NOTIFY} {CONSENT} {RECORD}"
    narrow_in_wide = rel(NOTIFY, whole).features
    assert narrow_in_wide["share_src"] == pytest.approx(1.0)
    assert narrow_in_wide["share_tgt"] < 0.6
    assert narrow_in_wide["share_diff"] > 0.4
    assert narrow_in_wide["lead_src"] == 0.0  # the narrow side's lead sentence is the best match
    reverse = rel(whole, NOTIFY).features
    assert reverse["share_diff"] == pytest.approx(-narrow_in_wide["share_diff"])


def test_word_coverage_counts_shared_content_words_from_each_side():
    f = rel("The controller shall notify the Commissioner.", f"{NOTIFY} {RECORD}").features
    # controller, notify, commissioner: all three of the source's content words are in the target
    assert f["terms_src"] == pytest.approx(1.0)
    assert 0.0 < f["terms_tgt"] < 0.5
    assert f["log_word_ratio"] < 0


def test_scope_and_detail_cues_in_english_and_malay():
    wide = "Every organisation shall protect all personal data it holds."
    narrow = "The controller shall encrypt backups at least weekly, including those held by processors."
    f = rel(narrow, wide).features
    assert f["scope_tgt"] > f["scope_src"] and f["scope_diff"] < 0
    assert f["detail_src"] > f["detail_tgt"] and f["detail_diff"] > 0
    malay = relate(
        side("Setiap pengawal hendaklah melindungi semua data peribadi.", "ms"),
        side("Pengawal hendaklah menyimpan rekod sekurang-kurangnya tujuh tahun, termasuk salinan.", "ms"),
        PairEvidence(2.0, 2.0, 2.0),
        {},
        model=default_model(),
    ).features
    assert malay["scope_diff"] > 0 and malay["detail_diff"] < 0


def test_features_read_the_other_way_round_are_the_swapped_features():
    # swap_features is how the type model learns both directions from one: it must agree with
    # computing the features of the reversed pair.
    whole = f"{NOTIFY} {CONSENT} Every controller shall keep all records for at least 7 years."
    forward = rel(NOTIFY, whole).features
    backward = rel(whole, NOTIFY).features
    x = np.array([[forward[name] for name in FEATURES]])
    swapped = swap_features(x)[0]
    for k, name in enumerate(FEATURES):
        assert swapped[k] == pytest.approx(backward[name], abs=1e-9), name


# Translated bill sections: Malay negates words English writes with a prefix or a verb.
DESCRIBING = [
    (
        "A data subject shall be able to correct personal data that is inaccurate or not up-to-date.",
        "Subjek data hendaklah boleh membetulkan data peribadi yang tidak tepat atau tidak terkini.",
    ),
    (
        "A data user who fails to comply with the code commits an offence and shall be liable to a fine.",
        "Pengguna data yang tidak mematuhi tataamalan melakukan suatu kesalahan dan boleh didenda.",
    ),
    (
        "Nothing in this section shall be deemed to apply to any statement.",
        "Tiada apa jua dalam seksyen ini hendaklah disifatkan terpakai bagi apa-apa pernyataan.",
    ),
    (
        "The Minister may appoint a deputy when the Commissioner is unable to perform his functions.",
        "Menteri boleh melantik timbalan apabila Pesuruhjaya tidak boleh melaksanakan fungsinya.",
    ),
]


@pytest.mark.parametrize(("en", "ms"), DESCRIBING)
def test_a_sentence_and_its_translation_agree_in_polarity(en, ms):
    assert polarity(en) == polarity(ms)


def test_a_negation_that_describes_rather_than_forbids_is_not_a_prohibition():
    assert polarity("Subjek data hendaklah diberi akses kepada data yang tidak tepat.") == 1
    assert polarity("Pengawal data hendaklah tidak mendedahkan data.") == -1
    assert polarity("Tiada seorang pun boleh mendedahkan data peribadi.") == -1
    assert polarity("کنٹرولر ڈیٹا ظاہر نہیں کرے گا") == -1
