"""engine.skills and the DB-free CLI contracts `concord skills link` and `concord allocate`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from concord import cli
from concord.engine.encoders import HashingEncoder
from concord.engine.errors import MatchingError
from concord.engine.folds import Fold, LeakError, Provenance, group_folds
from concord.engine.skills import (
    FITTED_PROVENANCE,
    HAND_SET,
    PARAMS_PATH,
    LinkerConfig,
    SkillLinker,
    TaxonomySkill,
    chunks,
    load_params,
    r_precision_at_k,
    write_params,
)
from concord.engine.skills_fit import (
    LabelledSentence,
    best_point,
    default_grid,
    held_out,
    held_out_repeated,
    score_grid,
)

TAXONOMY = [
    TaxonomySkill("py", "Python (computer programming)", ("Python",)),
    TaxonomySkill("sql", "SQL"),
    TaxonomySkill("less", "LESS"),
    TaxonomySkill("ml", "machine learning", ("pembelajaran mesin",)),
    TaxonomySkill("net", "network security", ("keselamatan rangkaian",)),
    TaxonomySkill("team", "work in teams"),
    TaxonomySkill("iot", "Internet of Things"),
]


@pytest.fixture(scope="module")
def linker():
    return SkillLinker(TAXONOMY, HashingEncoder())


def ids(linked):
    return [s.skill_id for s in linked]


def test_a_label_named_in_the_text_ranks_first_with_its_span_as_evidence(linker):
    text = "Build dashboards in SQL for the finance team."
    top = linker.link(text, top_k=3)[0]
    assert top.skill_id == "sql"
    assert top.evidence is not None and top.evidence.text == "SQL"
    assert text[top.evidence.start : top.evidence.end] == "SQL"
    assert "gazetteer" in top.sources


def test_a_label_without_its_parenthetical_qualifier_is_found(linker):
    assert ids(linker.link("Five years of python scripting", top_k=1)) == ["py"]


def test_acronym_labels_must_match_case_so_ordinary_words_do_not_trigger_them(linker):
    assert (
        "gazetteer"
        not in next(s for s in linker.link("less is more", top_k=7) if s.skill_id == "less").sources
    )
    assert ids(linker.link("We style pages with LESS", top_k=1)) == ["less"]


def test_several_skills_in_one_sentence_are_each_linked(linker):
    found = ids(linker.link("Machine learning engineer who also works on network security", top_k=2))
    assert set(found) == {"ml", "net"}


def test_malay_alternative_labels_link_to_the_same_skill(linker):
    assert ids(linker.link("Pengalaman dalam keselamatan rangkaian", top_k=1)) == ["net"]


def test_linking_works_without_an_encoder_on_lexical_and_gazetteer_signals():
    plain = SkillLinker(TAXONOMY, None)
    assert ids(plain.link("a project on the internet of things", top_k=1)) == ["iot"]


def test_the_same_text_always_gives_the_same_ranking(linker):
    text = "Team player with machine learning and SQL experience"
    assert ids(linker.link(text)) == ids(linker.link(text))


def test_an_empty_text_is_a_clear_error(linker):
    with pytest.raises(MatchingError) as err:
        linker.link("   ")
    assert err.value.code == "E511"


def test_an_empty_taxonomy_is_a_clear_error():
    with pytest.raises(MatchingError) as err:
        SkillLinker([], None)
    assert err.value.code == "E512"


def test_chunks_split_clauses_at_commas_and_conjunctions():
    text = "Python, SQL and network security"
    pieces = [text[a:b] for a, b in chunks(text)]
    assert {"Python", "SQL", "network security"} <= set(pieces)


def test_r_precision_counts_hits_in_the_top_k_over_the_smaller_of_k_and_gold():
    assert r_precision_at_k([["a", "b", "c"]], [["a", "z"]], k=5) == 50.0
    assert r_precision_at_k([["a", "b", "c", "d", "e", "f"]], [list("abcdefg")], k=5) == 100.0
    assert r_precision_at_k([["a"]], [[]]) == 0.0  # texts without gold are skipped


def test_reciprocal_rank_fusion_links_the_named_skill_first():
    rrf = SkillLinker(TAXONOMY, HashingEncoder(), LinkerConfig(fusion="rrf", rrf_k=60.0, gazetteer=1.0))
    assert ids(rrf.link("Build dashboards in SQL for the finance team", top_k=1)) == ["sql"]


def test_a_linker_returns_top_k_skills_even_when_few_are_candidates():
    narrow = SkillLinker(TAXONOMY, None, LinkerConfig(candidates=1))
    assert len(narrow.link("nothing in common", top_k=4)) == 4


@pytest.mark.parametrize("option", [{"fusion": "max"}, {"label_kind": "document"}, {"candidates": 0}])
def test_an_unknown_fusion_or_label_kind_is_a_clear_error(option):
    with pytest.raises(MatchingError) as err:
        LinkerConfig(**option)
    assert err.value.code == "E509"


class KindRecorder(HashingEncoder):
    def __init__(self):
        super().__init__()
        self.kinds = []

    def encode(self, texts, *, kind="passage"):
        self.kinds.append((len(texts), kind))
        return super().encode(texts, kind=kind)


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_labels_are_encoded_as_the_configured_kind_and_texts_as_queries(kind):
    encoder = KindRecorder()
    SkillLinker(TAXONOMY, encoder, LinkerConfig(label_kind=kind)).link("SQL and Python", top_k=1)
    assert encoder.kinds[0] == (len(TAXONOMY), kind)
    assert encoder.kinds[1][1] == "query"


# --- fitted parameters: shipped with provenance, fitted and scored on disjoint sentences --------------------


def test_linker_config_defaults_are_the_shipped_fitted_values():
    params, provenance = load_params(PARAMS_PATH)
    assert params, "skills_params.json is missing: run bench/talent.py fit"
    assert LinkerConfig().fitted_values() == {**HAND_SET, **params}
    assert provenance is not None and provenance == FITTED_PROVENANCE
    assert provenance.command == "bench/talent.py fit"
    assert provenance.fitted_on and all(g.startswith("s-") for g in provenance.fitted_on)  # digests, no text
    measures = set(provenance.held_out)
    for name in ("tech", "house"):  # held-out figures of both kinds of fold, for both sets
        assert any(m.startswith(f"{name}_5fold_by_sentence") for m in measures)
        assert f"{name}_cross_set" in measures


def test_params_files_round_trip_and_a_missing_file_falls_back_to_hand_set_defaults(tmp_path):
    assert load_params(tmp_path / "absent.json") == ({}, None)
    provenance = Provenance("bench/talent.py fit", "synthetic", "2026-01-01", ["s-1"], {"tech": 50.0})
    write_params(tmp_path / "p.json", {"fusion": "rrf", "lexical": 0.5}, provenance)
    assert load_params(tmp_path / "p.json") == ({"fusion": "rrf", "lexical": 0.5}, provenance)


@pytest.mark.parametrize(
    "body", ['{"params": {"shrink": 1}, "provenance": null}', "[1, 2]", '{"params": {"fusion": "max"}}']
)
def test_a_bad_params_file_is_a_clear_error(tmp_path, body):
    (tmp_path / "p.json").write_text(body, encoding="utf-8")
    with pytest.raises(MatchingError) as err:
        load_params(tmp_path / "p.json")
    assert err.value.code == "E514"


SYNTHETIC = [
    LabelledSentence("a", "We write SQL every day", ("SQL",)),
    LabelledSentence(
        "a", "Python scripts for machine learning", ("Python (computer programming)", "machine learning")
    ),
    LabelledSentence("a", "Audits of network security", ("network security",)),
    LabelledSentence("b", "Sensors on the internet of things", ("Internet of Things",)),
    LabelledSentence("b", "A team player who works in teams", ("work in teams",)),
    LabelledSentence("b", "Pages styled with LESS and SQL reports", ("LESS", "SQL")),
]


def test_fitting_never_scores_a_sentence_with_parameters_fitted_on_it(linker):
    signals = linker.signals_many([x.sentence for x in SYNTHETIC])
    grid = default_grid(["passage"])[::25]
    matrix = score_grid({"passage": (linker, signals)}, SYNTHETIC, grid)
    assert matrix.shape == (len(SYNTHETIC), len(grid))
    group = {r: f"s{r}" for r in range(len(SYNTHETIC))}
    seen: list[set[str]] = []

    def fit(m, train):
        seen.append({group[r] for r in train})
        return int(m[train].mean(axis=0).argmax())

    result = held_out(matrix, range(len(SYNTHETIC)), group.__getitem__, group_folds(group.values(), k=3), fit)
    assert len(result.folds) == len(seen) >= 2
    scored: list[int] = []
    for fold, trained in zip(result.folds, seen):
        assert trained == fold.fitted_on
        assert not fold.fitted_on & fold.scored_on
        assert {group[r] for r in fold.result} == fold.scored_on
        assert all(fold.result[r] == matrix[r, fold.params] for r in fold.result)
        scored += fold.result
    assert sorted(scored) == list(range(len(SYNTHETIC)))  # every sentence scored once, by one fold

    by_set = held_out(matrix, range(len(SYNTHETIC)), lambda r: SYNTHETIC[r].source, group_folds(["a", "b"]))
    assert [sorted(f.fitted_on) for f in by_set.folds] == [["b"], ["a"]]


def test_repeated_folds_average_each_sentences_held_out_scores():
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.5], [0.5, 1.0]])
    group = {r: f"s{r}" for r in range(6)}
    fold_sets = [group_folds(group.values(), k=3, seed=f"seed-{n}") for n in range(3)]
    result = held_out_repeated(matrix, range(6), group.__getitem__, fold_sets)
    assert len(result.folds) == sum(len(f) for f in fold_sets)
    singles = [held_out(matrix, range(6), group.__getitem__, folds) for folds in fold_sets]
    assert result.scores == pytest.approx({r: np.mean([s.scores[r] for s in singles]) for r in range(6)})
    assert all(not f.fitted_on & f.scored_on for f in result.folds)


def test_fitting_can_weigh_each_set_the_same_so_the_larger_does_not_decide():
    matrix = np.array([[1.0, 0.7]] * 4 + [[0.0, 0.5]])  # four "big" sentences, one "small"
    assert best_point(matrix, range(5)) == 0  # pooled: 0.80 vs 0.66
    assert best_point(matrix, range(5), ["big"] * 4 + ["small"]) == 1  # per set: 0.50 vs 0.60


def test_a_fold_that_would_train_on_its_own_sentences_is_refused():
    with pytest.raises(LeakError):
        Fold("leaky", frozenset({"s1", "s2"}), frozenset({"s2"}))


# --- `concord skills link` --------------------------------------------------------------------------------


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_skills_link_writes_one_ranked_line_per_input_line_in_order(tmp_path):
    labels = tmp_path / "labels.txt"
    labels.write_text("SQL\nmachine learning\nnetwork security\n", encoding="utf-8")
    sentences = write(
        tmp_path / "in.jsonl", [{"sentence": "SQL reports"}, {"sentence": "network security audits"}]
    )
    out = tmp_path / "out.jsonl"
    code = cli.main(
        [
            "skills",
            "link",
            "--taxonomy",
            str(labels),
            "--input",
            str(sentences),
            "--out",
            str(out),
            "--top-k",
            "2",
            "--encoder",
            "hashing",
            "--cache",
            "none",
            "--quiet",
        ]
    )
    assert code == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["sentence"] for r in rows] == ["SQL reports", "network security audits"]
    assert rows[0]["skills"][0] == "SQL" and len(rows[0]["skills"]) == 2
    assert rows[1]["skills"][0] == "network security"


@pytest.mark.parametrize(
    ("labels", "lines", "code"),
    [
        ("SQL\n", ['{"sentence": ""}'], "E511"),
        ("SQL\n", ['{"text": "x"}'], "E508"),
        ("SQL\n", ["not json"], "E508"),
        ("\n\n", ['{"sentence": "x"}'], "E512"),
    ],
)
def test_skills_link_bad_input_is_a_clear_error(tmp_path, capsys, labels, lines, code):
    (tmp_path / "l.txt").write_text(labels, encoding="utf-8")
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = cli.main(
        [
            "skills",
            "link",
            "--taxonomy",
            str(tmp_path / "l.txt"),
            "--input",
            str(tmp_path / "in.jsonl"),
            "--out",
            str(tmp_path / "o.jsonl"),
            "--encoder",
            "none",
            "--quiet",
        ]
    )
    assert status == 2
    assert capsys.readouterr().err.startswith(f"concord: error: [{code}]")


# --- `concord allocate` -------------------------------------------------------------------------------------


def run_allocate(tmp_path, applicants, programmes, *extra):
    a = write(tmp_path / "a.jsonl", applicants)
    p = write(tmp_path / "p.jsonl", programmes)
    out = tmp_path / "out.jsonl"
    code = cli.main(["allocate", "--applicants", str(a), "--programmes", str(p), "--out", str(out), *extra])
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return code, rows


def test_allocate_writes_one_line_per_applicant_in_input_order(tmp_path, capsys):
    code, rows = run_allocate(
        tmp_path,
        [
            {"id": "b", "preferences": ["x"], "group": "MY"},
            {"id": "a", "preferences": ["x", "y"]},
            {"id": "c", "preferences": []},
        ],
        [
            {"id": "x", "capacity": 1, "ranking": ["a", "b"], "reserves": {"MY": 1}},
            {"id": "y", "capacity": 1, "ranking": ["a"]},
        ],
        "--check",
    )
    assert code == 0
    assert rows == [
        {"applicant_id": "b", "programme_id": "x"},
        {"applicant_id": "a", "programme_id": "y"},
        {"applicant_id": "c", "programme_id": None},
    ]
    assert "0 blocking pairs" in capsys.readouterr().err


def test_allocate_writes_any_id_as_valid_json(tmp_path):
    odd = ['quote "a"', "back\\slash", "تحقیق", "line\nbreak", "17"]
    code, rows = run_allocate(
        tmp_path,
        [{"id": i, "preferences": ['p "1"']} for i in odd] + [{"id": 42, "preferences": []}],
        [{"id": 'p "1"', "capacity": 2, "ranking": odd[:2]}],
    )
    assert code == 0
    assert rows == [{"applicant_id": i, "programme_id": 'p "1"' if i in odd[:2] else None} for i in odd] + [
        {"applicant_id": "42", "programme_id": None}
    ]


@pytest.mark.parametrize(
    ("applicants", "programmes", "code"),
    [
        ([{"id": "a", "preferences": ["ghost"]}], [{"id": "x", "capacity": 1, "ranking": ["a"]}], "E503"),
        ([{"id": "a", "preferences": ["x"]}], [{"id": "x", "capacity": -2, "ranking": ["a"]}], "E504"),
        ([{"id": "a", "preferences": ["x", "x"]}], [{"id": "x", "capacity": 1, "ranking": ["a"]}], "E505"),
        ([{"preferences": ["x"]}], [{"id": "x", "capacity": 1, "ranking": []}], "E501"),
        ([{"id": "a", "preferences": "x"}], [{"id": "x", "capacity": 1, "ranking": []}], "E508"),
        ([{"id": "a", "preferences": ["x"]}], [{"id": "x", "ranking": []}], "E504"),
    ],
)
def test_allocate_bad_input_is_a_clear_error_and_writes_nothing(
    tmp_path, capsys, applicants, programmes, code
):
    status, rows = run_allocate(tmp_path, applicants, programmes)
    assert status == 2 and rows == []
    assert capsys.readouterr().err.startswith(f"concord: error: [{code}]")
