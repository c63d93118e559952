"""Reading provision, pair, gold and mapping files; writing JSONL, CSV and OSCAL mapping collections."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest

from concord.engine.encoders import HashingEncoder
from concord.engine.errors import HarmonizationError
from concord.engine.formats import (
    CONCORD_NS,
    normalise_relationship,
    oscal_mapping_collection,
    read_gold,
    read_mappings,
    read_pairs,
    read_provisions,
    write_csv,
    write_jsonl,
)
from concord.engine.harmonize import HarmonizeOptions, harmonize
from concord.engine.relate import Span, default_model
from tests.engine.test_harmonize import SOURCE, TARGET, mapping
from tests.oscal import oscal_mapping_errors


def write(tmp_path: Path, name: str, lines: list[str] | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(lines if isinstance(lines, bytes) else ("\n".join(lines) + "\n").encode())
    return path


def test_provisions_take_title_theme_and_language(tmp_path):
    path = write(
        tmp_path,
        "p.jsonl",
        [
            json.dumps(
                {
                    "id": 7,
                    "title": "Breach",
                    "text": "Notify within 72 hours.",
                    "language": "en",
                    "theme": "cybersecurity",
                }
            ),
            "",
            json.dumps({"id": "b", "text": "Data peribadi.", "themes": ["a", "b"]}),
        ],
    )
    first, second = read_provisions(path)
    assert (first.id, first.heading, first.language, first.themes) == ("7", "Breach", "en", ["cybersecurity"])
    assert second.themes == ["a", "b"] and second.order == 1


@pytest.mark.parametrize(
    ("content", "code", "fragment"),
    [
        (b"", "E401", "empty"),
        (b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "E402", "line 2"),
        (b'{"id": "a"}\n', "E403", 'no "text"'),
        (b'{"text": "x"}\n', "E403", 'missing "id"'),
        (b'{"id": "a", "text": "caf\xc3\xa9"}\n{"id": "b", "text": "caf\xe9"}\n', "E405", "line 2"),
        (b'{"id": "a", "text": "x"\n', "E406", "line 1"),
        (b'["a", "b"]\n', "E406", "JSON object"),
        (b'{"id": "a", "text": 5}\n', "E406", "must be a string"),
        (b'{"id": "a", "text": "x", "theme": 5}\n', "E406", "theme"),
    ],
)
def test_bad_provision_files_name_the_problem(tmp_path, content, code, fragment):
    with pytest.raises(HarmonizationError) as err:
        read_provisions(write(tmp_path, "bad.jsonl", content))
    assert err.value.code == code and fragment in err.value.message


def test_missing_file_is_e409(tmp_path):
    with pytest.raises(HarmonizationError) as err:
        read_provisions(tmp_path / "nope.jsonl")
    assert err.value.code == "E409"


def test_byte_order_mark_is_accepted(tmp_path):
    assert (
        read_provisions(write(tmp_path, "bom.jsonl", b'\xef\xbb\xbf{"id": "a", "text": "x"}\n'))[0].id == "a"
    )


def test_pairs_gold_and_mappings(tmp_path):
    assert read_pairs(write(tmp_path, "p.jsonl", ['{"source_id": 1, "target_id": "t"}'])) == [("1", "t")]
    gold = read_gold(
        write(
            tmp_path,
            "g.jsonl",
            ['{"a_id": "a", "b_id": "b", "relationship": "Subset"}', '{"a_id": "a", "b_id": "c"}'],
        )
    )
    assert [g.relationship for g in gold] == ["subset-of", None]
    with pytest.raises(HarmonizationError) as err:
        read_mappings(write(tmp_path, "m.jsonl", ['{"source_id": "a"}']))
    assert err.value.code == "E410"


def test_relationship_names_are_normalised():
    assert normalise_relationship("Equivalent") == "equivalent-to"
    assert normalise_relationship("Superset") == "superset-of"
    assert normalise_relationship("intersects-with") == "intersects-with"
    assert normalise_relationship("informative_reference") is None


def test_jsonl_and_csv_writers(tmp_path):
    m = mapping("s", "t", "subset-of")
    m.cited_source = [Span(0, 5, "hello")]
    assert write_jsonl(tmp_path / "m.jsonl", [m.to_dict()]) == 1
    assert json.loads((tmp_path / "m.jsonl").read_text())["cited"]["source"][0]["text"] == "hello"
    write_csv(tmp_path / "m.csv", [m])
    row = next(csv.DictReader((tmp_path / "m.csv").open()))
    assert (row["source_id"], row["relationship"], row["cited_source"]) == ("s", "subset-of", "hello")


@pytest.fixture(scope="module")
def collection():
    result = harmonize(
        SOURCE, TARGET, HashingEncoder(), HarmonizeOptions(top_k=2, threshold=0.0), model=default_model()
    )
    result.mappings[0].relationship = "contrary-to"
    result.mappings[0].suggested = True
    return oscal_mapping_collection(result, source_href="my pdpa.jsonl", target_href="pk.jsonl")


def test_oscal_collection_has_the_required_structure(collection):
    mc = collection["mapping-collection"]
    assert {"uuid", "metadata", "provenance", "mappings"} <= set(mc)
    assert mc["metadata"]["oscal-version"].startswith("1.2")
    assert mc["provenance"]["method"] == "automation"
    mapping_ = mc["mappings"][0]
    assert mapping_["source-resource"] == {"type": "catalog", "href": "my%20pdpa.jsonl"}
    for entry in mapping_["maps"]:
        assert {"uuid", "relationship", "sources", "targets"} <= set(entry)
        assert 0 <= entry["confidence-score"]["percentage"] <= 1
        assert entry["sources"][0]["type"] == "control"
    contrary = [m for m in mapping_["maps"] if m["relationship"] == "contrary-to"]
    assert contrary and contrary[0]["ns"] == CONCORD_NS


def test_oscal_uuids_are_stable(collection):
    again = harmonize(
        SOURCE, TARGET, HashingEncoder(), HarmonizeOptions(top_k=2, threshold=0.0), model=default_model()
    )
    again.mappings[0].relationship = "contrary-to"
    again.mappings[0].suggested = True
    doc = oscal_mapping_collection(again, source_href="my pdpa.jsonl", target_href="pk.jsonl")
    assert doc["mapping-collection"]["uuid"] == collection["mapping-collection"]["uuid"]


def test_oscal_collection_validates_against_the_nist_model(collection):
    assert oscal_mapping_errors(collection) == []


def test_the_oscal_check_rejects_a_collection_that_breaks_the_model(collection):
    broken = copy.deepcopy(collection)
    broken["mapping-collection"]["provenance"]["method"] = "guesswork"
    del broken["mapping-collection"]["mappings"][0]["maps"][0]["uuid"]
    errors = oscal_mapping_errors(broken)
    assert any(e.startswith("mapping-collection.provenance.method") for e in errors), errors
    assert any(e.startswith("mapping-collection.mappings") and "uuid" in e for e in errors), errors
