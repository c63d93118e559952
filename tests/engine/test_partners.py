"""The partner recommender, checked by hand on tiny organisations."""

from __future__ import annotations

from concord.engine.partners import (
    Feedback,
    ListingFeatures,
    OrgFeatures,
    dice,
    fit_opportunity,
    jaccard,
    lexical_baseline,
    recommend,
)

HUB = OrgFeatures(
    1,
    "MY",
    "tech_hub",
    "Hub",
    frozenset({"iot", "innovation-startups"}),
    ("start-up incubation",),
    ("sensor testing laboratory",),
    "A hub for start-ups.",
)
UNI = OrgFeatures(
    2,
    "PK",
    "university",
    "Uni",
    frozenset({"iot", "ai"}),
    ("sensor testing laboratory", "machine learning"),
    ("industry pilots",),
    "A university.",
)
FUND = OrgFeatures(3, "PK", "investor", "Fund", frozenset({"investment"}), ("seed funding",), (), "A fund.")
SAME = OrgFeatures(4, "MY", "university", "Same country", frozenset({"iot"}), ("sensor testing laboratory",))


def test_overlaps_by_hand():
    assert jaccard({"a", "b"}, {"b", "c"}) == 1 / 3
    assert jaccard([], ["a"]) == 0
    assert dice(frozenset({"a", "b"}), frozenset({"b"})) == 2 / 3


def test_only_cross_border_partners_are_proposed_with_reasons():
    recs = recommend(HUB, [HUB, UNI, FUND, SAME])
    assert [r.target_id for r in recs][:1] == [2]
    assert 4 not in [r.target_id for r in recs]
    codes = {r.code for r in recs[0].reasons}
    assert {"shared_themes", "capability_meets_need"} <= codes
    need = next(r for r in recs[0].reasons if r.code == "capability_meets_need")
    assert need.detail == {"need": "sensor testing laboratory", "capability": "sensor testing laboratory"}


def test_a_request_is_matched_to_an_answering_offer():
    request = ListingFeatures(
        10, 1, "technology_request", "Sensor testing partners", "Test our IoT sensors", frozenset({"iot"})
    )
    offer = ListingFeatures(
        11, 2, "technology_offer", "Sensor testing laboratory", "We test IoT sensors", frozenset({"iot"})
    )
    recs = recommend(HUB, [HUB, UNI], [request, offer])
    listing = next(r for r in recs if r.target == "listing")
    assert listing.target_id == 11
    assert "matches_your_listing" in {r.code for r in listing.reasons}


def test_feedback_removes_lifts_and_penalises():
    base = {(r.target, r.target_id): r.score for r in recommend(HUB, [HUB, UNI, FUND])}
    gone = recommend(HUB, [HUB, UNI, FUND], feedback=Feedback({("organization", 2): -1}))
    assert ("organization", 2) not in {(r.target, r.target_id) for r in gone}
    lifted = recommend(HUB, [HUB, UNI, FUND], feedback=Feedback({("organization", 3): 1}))
    assert next(r.score for r in lifted if r.target_id == 3) > base[("organization", 3)]
    penalised = recommend(HUB, [HUB, UNI, FUND], feedback=Feedback({}, {2: 1}))
    assert next(r.score for r in penalised if r.target_id == 2) < base[("organization", 2)]


def test_opportunity_fit_respects_eligible_countries():
    assert fit_opportunity(UNI, themes=["ai"], countries=["MY"])[0] == 0
    score, reasons = fit_opportunity(UNI, themes=["ai"], countries=["PK"], text="machine learning research")
    assert score > 0 and {r.code for r in reasons} == {"shared_themes", "matches_profile"}
    assert fit_opportunity(UNI, themes=["ai"], countries=[])[0] > 0  # every country


def test_the_lexical_baseline_ranks_cross_border_profiles():
    assert lexical_baseline(HUB, [HUB, UNI, FUND, SAME])[0] == 2
