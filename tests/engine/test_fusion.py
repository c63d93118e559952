"""Fusion of dense and lexical evidence that adapts to the pair of documents, and its fitted settings."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from concord.engine.encoders import HashingEncoder
from concord.engine.fusion import (
    PARAMS_PATH,
    PASSAGE_SHARE,
    FusionParams,
    dense_scores,
    fused_matrix,
    heading_blend,
    load_fusion,
    sentence_scores,
    several_sentences,
)
from concord.engine.harmonize import HarmonizeOptions, _prepare, harmonize, rank_targets, relate_pairs
from concord.engine.lexical import BM25Index
from concord.engine.relate import default_model
from concord.engine.retrieve import hubness
from concord.engine.types import Provision

ENC = HashingEncoder()

EN = [
    "The data controller shall notify the Commission of a personal data breach within 72 hours.",
    "A child under the age of 18 years shall not give consent to processing of personal data.",
    "Any person who commits an offence shall be liable to a fine not exceeding one million ringgit.",
    "Electronic signatures are valid when the signer is identified and the record is unaltered.",
    "Personal data shall not be transferred to a country without adequate protection.",
    "A service provider shall keep traffic records for one year.",
]
EN_TARGET = [
    "Controllers notify the Commission of breaches of personal data without delay, within 72 hours.",
    "Consent of a child below 18 years to the processing of personal data is not valid.",
    "An offender is liable to a fine of up to one million ringgit.",
    "An electronic signature is valid if the signer can be identified and the record is not altered.",
    "Transfers of personal data to another country need adequate protection there.",
    "Service providers keep records of traffic data for one year.",
    "Football clubs register their players before the season begins.",
]
UR = [
    "ڈیٹا کنٹرولر ذاتی ڈیٹا کی خلاف ورزی کی اطلاع اتھارٹی کو دے گا۔",
    "بچہ ذاتی ڈیٹا کی پروسیسنگ کے لیے رضامندی نہیں دے سکتا۔",
    "جرم کرنے والے پر جرمانہ ہو گا۔",
    "الیکٹرانک دستخط درست ہیں۔",
    "ذاتی ڈیٹا کسی دوسرے ملک منتقل نہیں کیا جائے گا۔",
    "خدمات فراہم کرنے والا ریکارڈ ایک سال تک رکھے گا۔",
]


def provisions(texts: list[str], prefix: str, language: str) -> list[Provision]:
    return [Provision(f"{prefix}{n}", "", "", t, "section", language=language) for n, t in enumerate(texts)]


def test_documents_in_languages_that_share_no_words_give_word_overlap_no_weight() -> None:
    params = FusionParams(lexical_max=0.4, agree_low=0.2, agree_high=0.6)
    _, plan = rank_targets(provisions(EN, "en", "en"), provisions(UR, "ur", "ur"), ENC, fusion=params)
    assert plan.shared_vocabulary < 0.05
    assert plan.lexical_weight == 0.0


def test_documents_in_one_language_give_word_overlap_weight_when_it_agrees_with_meaning() -> None:
    params = FusionParams(lexical_max=0.4, agree_low=0.2, agree_high=0.6)
    found, plan = rank_targets(
        provisions(EN, "a", "en"), provisions(EN_TARGET, "b", "en"), ENC, fusion=params
    )
    assert plan.agreement > 0.6
    assert plan.lexical_weight == pytest.approx(0.4)
    assert [int(found.indices[i, 0]) for i in range(len(EN))] == list(range(len(EN)))


def test_a_fixed_lexical_weight_overrides_the_plan() -> None:
    options = HarmonizeOptions(lexical_weight=0.25)
    _, plan = rank_targets(provisions(EN, "en", "en"), provisions(UR, "ur", "ur"), ENC, options)
    assert plan.lexical_weight == 0.25


def assert_ranked_by(found, fused: np.ndarray) -> None:
    """``found`` ranks each source's targets by the ``fused`` scores (ties in the targets' order) and gives
    those scores."""
    n_sources, n_targets = fused.shape
    for i in range(n_sources):
        order = np.lexsort((np.arange(n_targets), -fused[i]))
        assert found.indices[i].tolist() == order.tolist()
        assert np.allclose(found.score[i], fused[i][order], atol=1e-4)


def test_the_whole_matrix_scoring_used_for_fitting_ranks_as_the_engine_does() -> None:
    # The benchmark fits the fusion on whole matrices (fused_matrix); it must score as harmonize does.
    params = FusionParams(hub_weight=0.5, sentence_weight=0.3, lexical_max=0.3, agree_low=0.0, agree_high=0.5)
    src, tgt = provisions(EN, "a", "en"), provisions(EN_TARGET, "b", "en")
    options = HarmonizeOptions(top_k=len(tgt), rollup=False)
    found, plan = rank_targets(src, tgt, ENC, options, fusion=params)
    s = _prepare(src, ENC, "query", None, "s", sentences_too=False)
    t = _prepare(tgt, ENC, "query", None, "t", sentences_too=True)
    cos = s.vectors @ t.vectors.T
    best = np.stack([[float((v @ s.vectors[i]).max()) for v in t.sentence_vectors] for i in range(len(src))])
    lex = np.stack([BM25Index(t.tokens).scores(toks) for toks in s.tokens])
    fused, weight = fused_matrix(cos, lex, params, best_sentence=best)
    assert weight == pytest.approx(plan.lexical_weight)
    assert_ranked_by(found, fused)


def test_hubness_is_each_targets_mean_similarity_to_its_nearest_queries() -> None:
    rng = np.random.default_rng(1)
    queries = rng.standard_normal((20, 8)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    hub = queries.mean(axis=0)
    targets = np.vstack([hub / np.linalg.norm(hub), queries[:3]]).astype(np.float32)
    r = hubness(targets, queries, k=5)
    expected = np.sort(targets @ queries.T, axis=1)[:, -5:].mean(axis=1)
    assert np.allclose(r, expected, atol=1e-6)


def test_a_hub_target_stops_being_every_querys_nearest_when_hubness_counts() -> None:
    rng = np.random.default_rng(7)
    base = rng.standard_normal((30, 16)).astype(np.float32)
    queries = base / np.linalg.norm(base, axis=1, keepdims=True)
    noisy = queries + 0.4 * rng.standard_normal(queries.shape).astype(np.float32)
    targets = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    centre = queries.mean(axis=0)
    targets = np.vstack([targets, centre / np.linalg.norm(centre)]).astype(np.float32)
    cos = queries @ targets.T
    lex = np.zeros_like(cos)
    plain, _ = fused_matrix(cos, lex, FusionParams(hub_weight=0.0, lexical_max=0.0))
    corrected, _ = fused_matrix(cos, lex, FusionParams(hub_weight=1.0, lexical_max=0.0))
    hub = targets.shape[0] - 1
    assert (corrected.argmax(axis=1) == hub).sum() < (plain.argmax(axis=1) == hub).sum()
    assert (corrected.argmax(axis=1) == np.arange(30)).sum() >= (plain.argmax(axis=1) == np.arange(30)).sum()


def test_the_lexical_weight_rises_with_agreement_and_stays_within_its_bounds() -> None:
    params = FusionParams(lexical_max=0.3, agree_low=0.2, agree_high=0.6)
    weights = [params.lexical_weight(a) for a in np.linspace(0, 1, 21)]
    assert weights[0] == 0.0 and weights[-1] == pytest.approx(0.3)
    assert all(b >= a for a, b in zip(weights, weights[1:]))


def test_settings_round_trip_and_the_shipped_ones_state_where_they_came_from(tmp_path) -> None:
    params = FusionParams(hub_weight=0.25, lexical_max=0.1, provenance={"command": "x"})
    params.save(tmp_path / "f.json")
    assert load_fusion(tmp_path / "f.json") == params
    assert PARAMS_PATH.exists(), "the fitted fusion settings ship with the engine"
    shipped = load_fusion()
    assert {"command", "fitted_on", "held_out", "data"} <= set(shipped.provenance)
    assert shipped.provenance["held_out"]


def test_harmonize_reports_the_fusion_it_planned() -> None:
    result = harmonize(provisions(EN, "en", "en"), provisions(UR, "ur", "ur"), ENC, model=default_model())
    assert result.fusion is not None
    assert result.fusion.lexical_weight == 0.0
    assert set(result.fusion.to_dict()) == {
        "lexical_weight",
        "agreement",
        "pseudo_links",
        "shared_vocabulary",
    }


def test_typing_features_of_a_pair_do_not_depend_on_the_other_pairs_given() -> None:
    # In real use nobody hands the engine the gold graph: a pair's degree features must come from the
    # engine's own candidates, so typing one pair alone or among others gives the same features.
    src, tgt = provisions(EN, "a", "en"), provisions(EN_TARGET, "b", "en")
    alone = relate_pairs(src, tgt, [("a0", "b0")], ENC, model=default_model())[0]
    crowded = relate_pairs(
        src, tgt, [("a0", "b0"), ("a1", "b0"), ("a2", "b0"), ("a0", "b3")], ENC, model=default_model()
    )[0]
    assert alone.relation is not None and crowded.relation is not None
    assert alone.relation.features == crowded.relation.features


def test_a_target_answers_a_long_query_sentence_by_sentence() -> None:
    unit = np.eye(5, dtype=np.float32)
    targets = unit[[0, 1, 2, 3, 4]]  # targets of sentences (0, 1), (2, 3) and (4,)
    starts = np.array([0, 2, 4])
    short = sentence_scores(unit[[2]], [unit[[2]]], targets, starts)
    assert short[0].tolist() == [0.0, 1.0, 0.0]  # one sentence: the target's best sentence answers it
    # a query of three sentences (0, 1, 2), whole vector 4: the first target answers two of them, the
    # second one. Most targets have several sentences (a statute's sections), so every target is read so,
    # the one of one sentence too, and one query's scores compare: the third answers none of them.
    long = sentence_scores(unit[[4]], [unit[[0, 1, 2]]], targets, starts, memory_mb=1e-6)
    assert long[0].tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])


def test_a_catalogue_of_one_line_items_is_compared_with_the_query_whole() -> None:
    # Five targets, one of two sentences (0, 1) and four of one (2, 3, 4, 5): fewer than a quarter are
    # passages, so a long query is compared whole with each target's best sentence, even with the one
    # target of two sentences, rather than mixing two scales in one list.
    unit = np.eye(6, dtype=np.float32)
    starts = np.array([0, 2, 3, 4, 5])
    query_sentences = [unit[[0, 2]]]
    assert PASSAGE_SHARE > 1 / 5
    rows, cols = several_sentences(query_sentences, starts, 6)
    assert rows.tolist() == [True] and cols.tolist() == [False] * 5
    scores = sentence_scores(unit[[5]], query_sentences, unit, starts)
    assert scores[0].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    # against four targets of which two have several sentences, it is read sentence by sentence against all
    rows, cols = several_sentences(query_sentences, np.array([0, 2, 4, 5]), 6)
    assert cols.tolist() == [True] * 4


def test_by_sentence_a_long_section_is_not_pulled_onto_a_target_by_one_generic_sentence() -> None:
    # A statute's section shares a boilerplate sentence with an unrelated section of the other act; the
    # two that correspond share their subject. Scored by the target's one best sentence (as shipped), the
    # boilerplate decides; read sentence by sentence (``sentence_mean_weight``), the section goes to its
    # counterpart, in `rank_targets` and `harmonize` alike, while the boilerplate alone still finds its
    # target.
    boilerplate = "The Minister may make regulations to be published in the Gazette."
    source = [
        _section(
            "s3",
            "Unauthorised access",
            f"A person who gains unauthorised access to a computer commits an offence. {boilerplate}",
        ),
        _section("q", "", boilerplate),
    ]
    target = [
        _section(
            "t3",
            "Unauthorised access",
            "Whoever gains unauthorised access to a computer system commits "
            "an offence and is liable to imprisonment.",
        ),
        _section(
            "t48",
            "Power to make rules",
            "Football clubs register their players before the season begins "
            f"each year. {boilerplate} Rules may prescribe the fees payable by clubs and referees for each "
            "match.",
        ),
    ]
    params = FusionParams(hub_weight=0.0, sentence_weight=0.9, lexical_max=0.0)
    shipped, _ = rank_targets(source, target, ENC, HarmonizeOptions(rollup=False), fusion=params)
    assert [target[int(j)].id for j in shipped.indices[:, 0]] == ["t48", "t48"]
    by_sentence = replace(params, sentence_mean_weight=0.9)
    options = HarmonizeOptions(rollup=False)
    found, _ = rank_targets(source, target, ENC, options, fusion=by_sentence)
    assert [target[int(j)].id for j in found.indices[:, 0]] == ["t3", "t48"]
    result = harmonize(source, target, ENC, options, fusion=by_sentence, model=default_model())
    assert {m.source_id: m.target_id for m in result.mappings if m.rank == 1} == {"s3": "t3", "q": "t48"}


def test_sentence_by_sentence_pairs_take_their_own_weight() -> None:
    # Only a query of several sentences against a target read as a passage is read sentence by sentence,
    # and only that pair takes ``sentence_mean_weight``; every other pair keeps ``sentence_weight``.
    cosine = np.array([[0.2, 0.4], [0.6, 0.8]], dtype=np.float32)
    best = np.array([[1.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    several = (np.array([False, True]), np.array([True, True]))
    params = FusionParams(hub_weight=0.0, sentence_weight=0.5, sentence_mean_weight=0.25)
    scores = dense_scores(cosine, params, best_sentence=best, several=several)
    assert scores.ravel().tolist() == pytest.approx([0.6, 0.7, 0.7, 0.6])
    row = dense_scores(cosine[1], params, best_sentence=best[1], several=(several[0][1], several[1]))
    assert row.tolist() == pytest.approx([0.7, 0.6])
    # unset, every pair is read whole against the targets' sentences with ``sentence_weight``
    whole = dense_scores(
        cosine, replace(params, sentence_mean_weight=None), best_sentence=best, several=several
    )
    assert whole.ravel().tolist() == pytest.approx([0.6, 0.7, 0.8, 0.4])
    assert FusionParams.from_dict(params.to_dict()) == params
    assert FusionParams.from_dict({"sentence_weight": 0.5}).sentence_mean_weight is None


def test_the_heading_score_reorders_headed_targets_and_leaves_the_others() -> None:
    # One query with a heading against three targets: two with headings, one without. The headings'
    # cosine moves the two headed targets against each other; their mean score, and so their place
    # against the target with no heading, stays where it was. A query without a heading keeps its row.
    score = np.array([[0.80, 0.70, 0.75], [0.80, 0.70, 0.75]], dtype=np.float32)
    cosine = np.array([[0.50, 0.90, 0.10], [0.50, 0.90, 0.10]], dtype=np.float32)
    queries, targets = np.array([True, False]), np.array([True, True, False])
    out = heading_blend(score, cosine, queries, targets, 0.5)
    # headings' mean 0.70 moved to the scores' mean 0.75: 0.55 and 0.95, blended half and half
    assert out[0].tolist() == pytest.approx([0.675, 0.825, 0.75])
    assert out[0, :2].mean() == pytest.approx(score[0, :2].mean())
    assert out[1].tolist() == pytest.approx(score[1].tolist())
    row = heading_blend(score[0], cosine[0], queries[0], targets, 0.5)
    assert row.tolist() == pytest.approx(out[0].tolist())
    # no headings on one side, or no weight: nothing changes
    assert heading_blend(score, cosine, queries, np.zeros(3, dtype=bool), 0.5).tolist() == score.tolist()
    params = FusionParams(hub_weight=0.0)
    assert dense_scores(score, params, heading=(cosine, queries, targets)).tolist() == score.tolist()
    weighted = dense_scores(score, replace(params, heading_weight=0.5), heading=(cosine, queries, targets))
    assert weighted.ravel().tolist() == pytest.approx(out.ravel().tolist())
    assert FusionParams.from_dict({"sentence_weight": 0.5}).heading_weight == 0.0


def test_two_acts_that_title_an_offence_alike_are_matched_by_their_headings() -> None:
    # Two offences whose texts share a long penalty clause and differ in a word of their own, which the
    # other act words otherwise; the other act titles its two offences as this act does. Read whole, the
    # texts pull each section onto the wrong offence; with the heading score each goes to the section of
    # its own subject, in `rank_targets` and in `harmonize`. A source section without a heading is ranked
    # as before.
    clause = (
        "shall on conviction be liable to a fine or to imprisonment for a term not exceeding three years."
    )
    source = [
        _section(
            "s3",
            "Unauthorised access to computer material",
            f"Whoever alters a program, its data or its software {clause}",
        ),
        _section(
            "s5",
            "Unauthorised modification of a computer",
            f"Whoever enters a system, its network or its server {clause}",
        ),
        _section("s9", "", f"Whoever alters a program, its data or its software {clause}"),
    ]
    target = [
        _section(
            "t5",
            "Modification of a computer",
            f"A person who alters a program, its data or its software {clause}",
        ),
        _section(
            "t3",
            "Access to computer material",
            f"A person who enters a system, its network or its server {clause}",
        ),
    ]
    params = FusionParams(hub_weight=0.0, lexical_max=0.0)
    options = HarmonizeOptions(rollup=False)
    plain, _ = rank_targets(source, target, ENC, options, fusion=params)
    assert [target[int(j)].id for j in plain.indices[:2, 0]] == ["t5", "t3"]
    headed = replace(params, heading_weight=0.75)
    found, _ = rank_targets(source, target, ENC, options, fusion=headed)
    assert [target[int(j)].id for j in found.indices[:2, 0]] == ["t3", "t5"]
    assert found.indices[2].tolist() == plain.indices[2].tolist()
    assert found.score[2, :2].tolist() == pytest.approx(plain.score[2, :2].tolist())
    result = harmonize(source, target, ENC, options, fusion=headed, model=default_model())
    best = {m.source_id: m.target_id for m in result.mappings if m.rank == 1}
    assert (best["s3"], best["s5"]) == ("t3", "t5")


def test_a_heading_that_is_the_texts_first_sentence_is_not_encoded_again() -> None:
    calls: list[list[str]] = []

    class Counting(HashingEncoder):
        def encode(self, texts, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return super().encode(texts, **kwargs)

    heading = "Unauthorised access to computer material"
    items = [
        _section("s1", heading, "A person who gains access commits an offence. He is liable to a fine."),
        _section(
            "s2", "Short", "A person who modifies a program commits an offence. He is liable to a fine."
        ),
        _section("s3", "", "No heading here at all, only a text of one sentence."),
    ]
    prepared = _prepare(items, Counting(), "query", None, "s", headings_too=True)
    assert prepared.headed is not None and prepared.headed.tolist() == [True, True, False]
    assert prepared.heading_vectors is not None
    assert calls[-1] == ["Short"]  # a heading of fewer than 12 characters joins the next sentence
    assert prepared.heading_vectors[0] == pytest.approx(HashingEncoder().encode([heading])[0], abs=1e-6)
    assert not prepared.heading_vectors[2].any()
    assert _prepare(items, ENC, "query", None, "s").heading_vectors is None


def _section(pid: str, heading: str, text: str) -> Provision:
    return Provision(pid, pid.lstrip("stq"), heading, text, "section", language="en")
