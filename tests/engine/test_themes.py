"""Theme tagging: the default taxonomy, keywords in three languages, dense fusion, and bad taxonomy files.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from concord.engine.errors import TaxonomyError
from concord.engine.themes import (
    DEFAULT_TAXONOMY,
    LANGUAGES,
    load_taxonomy,
    tag_themes,
    tag_themes_many,
    taxonomy_from_dict,
)

DIALOGUE_THEMES = {
    "ai",
    "data-governance",
    "iot",
    "cybersecurity",
    "personal-data-protection",
    "digital-finance",
    "e-government",
    "smart-cities",
    "digital-skills-talent",
    "connectivity-infrastructure",
    "digital-trade",
    "online-safety",
    "innovation-startups",
    "investment",
    "research-collaboration",
}


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def ids(scores):
    return [s.theme_id for s in scores]


class ConceptEncoder:
    """A fake encoder: one dimension per concept, fed by words of any of the three languages.

    Texts that share concepts point the same way, so similarities can be worked out by hand.
    """

    CONCEPTS = [
        ("privacy", "personal peribadi ذاتی privacy privasi individual individu"),
        ("security", "cyber siber سائبر security keselamatan attacks serangan"),
        ("money", "payment payments pembayaran finance financial kewangan مالی ادائیگی"),
        ("learning", "intelligence kecerdasan ذہانت learning pembelajaran machine mesin"),
        ("trade", "commerce dagang trade perdagangan تجارت"),
        ("city", "city cities bandar شہر urban"),
    ]

    def __init__(self):
        self.calls = []
        self.index = {w: i for i, (_, words) in enumerate(self.CONCEPTS) for w in words.split()}

    def encode(self, texts, kind="passage"):
        self.calls.append((len(texts), kind))
        out = np.zeros((len(texts), len(self.CONCEPTS)), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if word in self.index:
                    out[row, self.index[word]] += 1.0
        return out


# --- the default taxonomy ------------------------------------------------------------------------------


def test_the_default_taxonomy_covers_the_dialogue_themes(taxonomy):
    assert {t.id for t in taxonomy} == DIALOGUE_THEMES
    assert len(taxonomy) == 15


def test_every_default_theme_speaks_three_languages(taxonomy):
    for theme in taxonomy:
        for lang in LANGUAGES:
            assert theme.labels[lang] and theme.descriptions[lang]
            assert len(theme.keywords[lang]) >= 5, (theme.id, lang)
        assert re.search("[\u0600-\u06ff]", theme.labels["ur"]), theme.id


def test_the_default_taxonomy_is_a_data_file_not_code():
    assert DEFAULT_TAXONOMY.suffix == ".json" and DEFAULT_TAXONOMY.exists()
    assert len(json.loads(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))["themes"]) == 15


def test_parents_roll_up(taxonomy):
    assert taxonomy.ancestors("personal-data-protection") == ["data-governance"]
    assert "personal-data-protection" in taxonomy.children("data-governance")
    assert taxonomy.ancestors("ai") == []


# --- keywords ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "The data controller shall notify the Commissioner of a personal data breach.",
            "personal-data-protection",
        ),
        (
            "Operators of critical information infrastructure shall report ransomware incidents.",
            "cybersecurity",
        ),
        (
            "The agency shall publish open data and set data quality standards for all ministries.",
            "data-governance",
        ),
        (
            "Licensed operators shall extend broadband and 5G coverage to rural districts.",
            "connectivity-infrastructure",
        ),
        (
            "Platforms shall remove child sexual abuse material and act against cyberbullying.",
            "online-safety",
        ),
        (
            "Citizens may renew their licences through the government portal using a digital identity.",
            "e-government",
        ),
        ("The city will deploy smart traffic lights and an urban mobility platform.", "smart-cities"),
        ("Smart meters and other connected devices shall be registered before sale.", "iot"),
        (
            "Electronic signatures shall have the same effect as handwritten ones in e-commerce.",
            "digital-trade",
        ),
    ],
)
def test_english_keywords_find_their_theme(taxonomy, text, theme):
    assert ids(tag_themes(text, taxonomy))[0] == theme


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "Pengawal data hendaklah memaklumkan Pesuruhjaya tentang pelanggaran data peribadi.",
            "personal-data-protection",
        ),
        ("Pengendali infrastruktur maklumat kritikal hendaklah melaporkan serangan siber.", "cybersecurity"),
        (
            "Kerajaan akan menyediakan geran penyelidikan untuk penyelidikan bersama antara universiti.",
            "research-collaboration",
        ),
        ("Bank Negara akan menyelia dompet digital dan sistem pembayaran dalam talian.", "digital-finance"),
        ("Program latihan semula akan meningkatkan kemahiran digital tenaga kerja.", "digital-skills-talent"),
        ("Sistem kecerdasan buatan yang membuat keputusan automatik hendaklah diaudit.", "ai"),
        ("Insentif cukai akan diberikan untuk menarik pelaburan langsung asing.", "investment"),
        ("Syarikat pemula boleh menguji produk dalam kotak pasir kawal selia.", "innovation-startups"),
    ],
)
def test_malay_keywords_find_their_theme(taxonomy, text, theme):
    assert ids(tag_themes(text, taxonomy, language="ms"))[0] == theme


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("ڈیٹا کنٹرولر ذاتی ڈیٹا کی حفاظت کا ذمہ دار ہوگا۔", "personal-data-protection"),
        ("اہم معلوماتی ڈھانچے پر سائبر حملے کی اطلاع فوری دی جائے گی۔", "cybersecurity"),
        ("حکومت مصنوعی ذہانت کے استعمال کے لیے رہنما اصول جاری کرے گی۔", "ai"),
        ("براہ راست غیر ملکی سرمایہ کاری کے لیے ٹیکس مراعات دی جائیں گی۔", "investment"),
        ("ای کامرس کے ذریعے سرحد پار تجارت کو فروغ دیا جائے گا۔", "digital-trade"),
        ("فری لانسر اور ہنر مند نوجوانوں کے لیے تربیتی پروگرام شروع کیا جائے گا۔", "digital-skills-talent"),
    ],
)
def test_urdu_keywords_find_their_theme(taxonomy, text, theme):
    assert ids(tag_themes(text, taxonomy, language="ur"))[0] == theme


def test_urdu_typed_with_arabic_letters_still_matches(taxonomy):
    arabic_coded = "مصنوعی ذہانت".replace("ی", "ي")
    assert ids(tag_themes(f"{arabic_coded} کے اصول", taxonomy))[0] == "ai"


@pytest.mark.parametrize("spelling", ["e-commerce", "ecommerce", "e commerce", "E-Commerce"])
def test_hyphen_and_case_variants_match_one_keyword(taxonomy, spelling):
    scores = tag_themes(f"Rules for {spelling} platforms.", taxonomy)
    assert ids(scores)[0] == "digital-trade"


def test_english_plurals_and_wildcards_match(taxonomy):
    (score, *_) = tag_themes("Algorithms and neural networks shall be explained.", taxonomy)
    assert score.theme_id == "ai"
    assert {"algorithms", "neural networks"} <= set(score.evidence)


def test_keywords_match_whole_words_only(taxonomy):
    # "paid" contains "ai" and "certain" contains "cert": neither is a keyword match.
    assert tag_themes("The fee shall be paid in certain cases.", taxonomy) == []


# --- multi-label, ranking, options ---------------------------------------------------------------------


def test_a_provision_can_have_several_themes(taxonomy):
    text = (
        "A regulatory sandbox will let fintech start-ups test digital payments, and investors in them "
        "will receive tax incentives."
    )
    found = ids(tag_themes(text, taxonomy, top_k=None))
    assert {"digital-finance", "innovation-startups", "investment"} <= set(found)
    assert found[0] == "digital-finance"


def test_top_k_and_threshold_limit_the_result(taxonomy):
    text = "A regulatory sandbox will let fintech start-ups test digital payments with tax incentives."
    assert len(tag_themes(text, taxonomy, top_k=1)) == 1
    assert tag_themes(text, taxonomy, threshold=0.99) == []


def test_scores_are_ordered_and_within_bounds(taxonomy):
    scores = tag_themes("Cyber attacks on smart city sensors and IoT devices", taxonomy, top_k=None)
    values = [s.score for s in scores]
    assert values == sorted(values, reverse=True)
    assert all(0 < v <= 1 for v in values)
    assert all(s.evidence for s in scores)


def test_unrelated_text_gets_no_theme(taxonomy):
    assert tag_themes("This Act may be cited as the Short Title Act.", taxonomy) == []
    assert tag_themes("", taxonomy) == []


def test_tagging_is_deterministic(taxonomy):
    text = "Data centres, broadband and cloud computing for digital government services."
    assert tag_themes(text, taxonomy, top_k=None) == tag_themes(text, taxonomy, top_k=None)


def test_bad_options_are_refused(taxonomy):
    for kwargs in ({"top_k": 0}, {"threshold": 1.5}, {"dense_weight": -0.1}, {"language": "fr"}):
        with pytest.raises(TaxonomyError) as err:
            tag_themes("privacy", taxonomy, **kwargs)
        assert err.value.code == "E609"


# --- dense fusion --------------------------------------------------------------------------------------


def test_without_an_encoder_the_dense_part_is_none(taxonomy):
    (score, *_) = tag_themes("personal data", taxonomy)
    assert score.dense is None and score.score == score.lexical


def test_an_encoder_lifts_a_theme_its_keywords_miss(taxonomy):
    text = "An individual may ask to see what is held about him."  # no privacy keyword at all
    assert tag_themes(text, taxonomy) == []
    (score, *_) = tag_themes(text, taxonomy, encoder=ConceptEncoder(), threshold=0.2)
    assert score.theme_id == "personal-data-protection"
    assert score.lexical == 0 and score.dense > 0.5


def test_dense_and_keywords_agree_and_fuse(taxonomy):
    text = "Personal data and privacy of individuals."
    (lexical_only, *_) = tag_themes(text, taxonomy)
    (fused, *_) = tag_themes(text, taxonomy, encoder=ConceptEncoder(), dense_weight=0.5)
    assert fused.theme_id == lexical_only.theme_id == "personal-data-protection"
    assert fused.score == pytest.approx(0.5 * fused.lexical + 0.5 * fused.dense, abs=1e-5)


def test_theme_vectors_are_encoded_once_per_encoder(taxonomy):
    encoder = ConceptEncoder()
    tag_themes_many(["cyber attacks", "digital payments"], taxonomy, encoder=encoder)
    tag_themes("smart city", taxonomy, encoder=encoder)
    passages = [c for c in encoder.calls if c[1] == "passage"]
    queries = [c for c in encoder.calls if c[1] == "query"]
    assert passages == [(15 * 3, "passage")]
    assert queries == [(2, "query"), (1, "query")]


def test_an_encoder_of_the_wrong_shape_is_refused():
    class Broken:
        def encode(self, texts, kind="passage"):
            return np.zeros((len(texts) + 1, 4))

    with pytest.raises(TaxonomyError) as err:
        tag_themes("privacy", load_taxonomy(), encoder=Broken())
    assert err.value.code == "E609" and "shape" in err.value.message


# --- bad taxonomy files --------------------------------------------------------------------------------


def good_theme(theme_id="privacy", **changes):
    theme = {
        "id": theme_id,
        "parent": None,
        "labels": {"en": "Privacy", "ms": "Privasi", "ur": "رازداری"},
        "descriptions": {"en": "Privacy of people.", "ms": "Privasi orang ramai.", "ur": "لوگوں کی رازداری۔"},
        "keywords": {"en": ["privacy"], "ms": ["privasi"], "ur": ["رازداری"]},
    }
    theme.update(changes)
    return theme


def write(tmp_path, data):
    path = tmp_path / "themes.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def error_for(tmp_path, data):
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(write(tmp_path, data))
    return err.value


def test_a_small_valid_file_loads(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, {"themes": [good_theme()]}))
    assert [t.id for t in taxonomy] == ["privacy"]
    assert ids(tag_themes("Privasi data", taxonomy)) == ["privacy"]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(tmp_path / "nowhere.json")
    assert err.value.code == "E601" and "nowhere.json" in err.value.message


def test_broken_json_says_where(tmp_path):
    err = error_for(tmp_path, '{"themes": [\n  {"id": "x",,}\n]}')
    assert err.code == "E602" and "line 2" in err.message


@pytest.mark.parametrize("data", [[], {"themes": []}, {"themes": "ai"}, {"name": "x"}])
def test_a_file_without_themes_is_refused(tmp_path, data):
    assert error_for(tmp_path, data).code == "E603"


@pytest.mark.parametrize(
    ("bad_id", "shown"), [("Digital Trade", "'Digital Trade'"), (None, "None"), ("trade_", "'trade_'")]
)
def test_a_bad_id_is_named_with_its_position(tmp_path, bad_id, shown):
    err = error_for(tmp_path, {"themes": [good_theme(), good_theme(bad_id)]})
    assert err.code == "E604" and "theme #2" in err.message and shown in err.message


def test_an_entry_that_is_not_an_object_is_refused(tmp_path):
    err = error_for(tmp_path, {"themes": [good_theme(), "ai"]})
    assert err.code == "E604" and "theme #2" in err.message


def test_duplicate_ids_name_both_entries(tmp_path):
    err = error_for(tmp_path, {"themes": [good_theme(), good_theme("other"), good_theme()]})
    assert err.code == "E605" and "theme #3" in err.message and "#1" in err.message


def test_a_missing_malay_label_is_named(tmp_path):
    theme = good_theme(labels={"en": "Privacy", "ur": "رازداری"})
    err = error_for(tmp_path, {"themes": [theme]})
    assert err.code == "E606" and "labels.ms" in err.message and "'privacy'" in err.message


def test_an_empty_urdu_description_is_named(tmp_path):
    theme = good_theme(descriptions={"en": "x", "ms": "y", "ur": "  "})
    err = error_for(tmp_path, {"themes": [theme]})
    assert err.code == "E606" and "descriptions.ur" in err.message


@pytest.mark.parametrize(
    "keywords", [{"en": "privacy"}, {"en": ["privacy", ""]}, {"fr": ["vie privée"]}, ["privacy"], {"ms": [3]}]
)
def test_bad_keywords_are_named(tmp_path, keywords):
    err = error_for(tmp_path, {"themes": [good_theme(keywords=keywords)]})
    assert err.code == "E607" and "'privacy'" in err.message


def test_an_unknown_parent_is_named(tmp_path):
    err = error_for(tmp_path, {"themes": [good_theme(parent="data")]})
    assert err.code == "E608" and "'data'" in err.message


def test_a_parent_cycle_is_shown(tmp_path):
    themes = [good_theme("a", parent="b"), good_theme("b", parent="a")]
    err = error_for(tmp_path, {"themes": themes})
    assert err.code == "E608" and "a -> b -> a" in err.message


def test_taxonomy_from_dict_needs_no_file():
    taxonomy = taxonomy_from_dict({"themes": [good_theme()]})
    assert "privacy" in taxonomy and taxonomy.get("privacy").labels["ms"] == "Privasi"
