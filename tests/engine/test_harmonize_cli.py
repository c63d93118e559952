"""`concord harmonize`, `concord relate` and `concord evaluate` on files, with the hashing encoder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from concord import cli
from concord.commands import relate as relate_command
from tests.engine.test_harmonize import SOURCE, TARGET

KEYS = {"source_id", "target_id", "rank", "score", "relationship", "confidence", "rationale", "cited"}


def provisions_file(tmp_path: Path, name: str, provisions) -> Path:
    path = tmp_path / name
    path.write_text(
        "".join(
            json.dumps({"id": p.id, "text": p.text, "language": p.language, "theme": p.themes}) + "\n"
            for p in provisions
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def files(tmp_path):
    return provisions_file(tmp_path, "source.jsonl", SOURCE), provisions_file(
        tmp_path, "target.jsonl", TARGET
    )


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_harmonize_writes_ranked_mappings_gaps_and_index(tmp_path, files, capsys):
    out, gaps, index = tmp_path / "out.jsonl", tmp_path / "gaps.jsonl", tmp_path / "index.json"
    code = cli.main(
        [
            "harmonize",
            *map(str, files),
            "--out",
            str(out),
            "--top-k",
            "2",
            "--encoder",
            "hashing",
            "--gaps",
            str(gaps),
            "--index",
            str(index),
        ]
    )
    assert code == 0
    rows = lines(out)
    assert len(rows) == 2 * len(SOURCE) and all(set(r) >= KEYS for r in rows)
    assert [r["rank"] for r in rows if r["source_id"] == "en-fine"] == [1, 2]
    assert all(set(r["cited"]) == {"source", "target"} for r in rows)
    assert all(g["side"] in ("source", "target") and "nearest_id" in g for g in lines(gaps))
    themes = {t["theme"] for t in json.loads(index.read_text())["themes"]}
    assert {"*", "personal data protection", "online safety"} <= themes
    assert "concord:" in capsys.readouterr().err  # progress goes to stderr


def test_harmonize_is_deterministic_across_runs(tmp_path, files):
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}.jsonl"
        cli.main(["harmonize", *map(str, files), "--out", str(out), "--encoder", "hashing", "--quiet"])
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("fmt", ["csv", "oscal"])
def test_harmonize_other_formats(tmp_path, files, fmt):
    out = tmp_path / f"out.{fmt}"
    assert (
        cli.main(
            [
                "harmonize",
                *map(str, files),
                "--out",
                str(out),
                "--format",
                fmt,
                "--encoder",
                "hashing",
                "--quiet",
                "--threshold",
                "0",
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        assert text.startswith("source_id,target_id,rank,score,relationship,confidence,rationale")
    else:
        assert "mapping-collection" in json.loads(text)


def test_pairs_are_typed_by_harmonize_and_relate(tmp_path, files):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"source_id": "en-fine", "target_id": "ms-fine"}\n'
        '{"source_id": "en-child", "target_id": "ms-child"}\n'
    )
    out = tmp_path / "typed.jsonl"
    assert (
        cli.main(
            [
                "harmonize",
                *map(str, files),
                "--pairs",
                str(pairs),
                "--out",
                str(out),
                "--encoder",
                "hashing",
                "--quiet",
            ]
        )
        == 0
    )
    rows = lines(out)
    assert [(r["source_id"], r["target_id"]) for r in rows] == [
        ("en-fine", "ms-fine"),
        ("en-child", "ms-child"),
    ]
    parser = argparse.ArgumentParser()
    relate_command.add_arguments(parser)
    out2 = tmp_path / "typed2.jsonl"
    args = parser.parse_args(
        [*map(str, files), "--pairs", str(pairs), "--out", str(out2), "--encoder", "hashing", "--quiet"]
    )
    assert relate_command.run(args) == 0 and lines(out2) == rows


def test_evaluate_prints_the_metrics(tmp_path, files, capsys):
    out = tmp_path / "out.jsonl"
    cli.main(["harmonize", *map(str, files), "--out", str(out), "--encoder", "hashing", "--quiet"])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"a_id": "en-fine", "b_id": "ms-fine", "relationship": "Equivalent"}\n'
        '{"a_id": "en-breach", "b_id": "ms-breach", "relationship": "Subset"}\n'
    )
    capsys.readouterr()
    assert cli.main(["evaluate", str(out), str(gold)]) == 0
    printed = capsys.readouterr().out
    for label in (
        "Recall@1",
        "Recall@5",
        "Recall@10",
        "MRR",
        "MAP",
        "precision",
        "F1",
        "macro-F1",
        "ECE",
        "confusion",
    ):
        assert label in printed
    assert cli.main(["evaluate", str(out), str(gold), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["retrieval"]["mrr"] == 1.0


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E401"),
        (b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "E402"),
        (b'{"id": "a", "text": ""}\n', "E403"),
        (b'{"id": "a", "text": "caf\xc3\xa9"}\n{"id": "b", "text": "caf\xe9"}\n', "E405"),
        (b'{"id": "big", "text": "' + b"x" * 1_048_576 + b'"}\n', "E404"),
        (b"not json\n", "E406"),
    ],
)
def test_bad_input_exits_2_with_a_coded_message(tmp_path, files, capsys, content, code):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    status = cli.main(
        [
            "harmonize",
            str(bad),
            str(files[1]),
            "--out",
            str(tmp_path / "o.jsonl"),
            "--encoder",
            "hashing",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"concord: error: [{code}]") and "Traceback" not in err


def test_unknown_encoder_and_bad_top_k_are_errors(tmp_path, files, capsys):
    out = str(tmp_path / "o.jsonl")
    assert cli.main(["harmonize", *map(str, files), "--out", out, "--encoder", "nope"]) == 2
    assert "[E423]" in capsys.readouterr().err
    assert (
        cli.main(["harmonize", *map(str, files), "--out", out, "--encoder", "hashing", "--top-k", "0"]) == 2
    )
    assert "[E407]" in capsys.readouterr().err


def test_evaluate_with_a_missing_file_is_an_error(tmp_path, capsys):
    assert cli.main(["evaluate", str(tmp_path / "none.jsonl"), str(tmp_path / "gold.jsonl")]) == 2
    assert "[E409]" in capsys.readouterr().err


ACT_EN = """PART I
PRELIMINARY

1. Short title
This Act may be cited as the Personal Data Act.

2. Interpretation
In this Act, "data" means personal data.

PART II
PROTECTION

3. Security principle
A data user shall protect personal data from loss.

4. Retention principle
Personal data shall not be kept longer than necessary.

PART III

5. Fees
A data user shall pay the registration fee.
"""

ACT_MS = """BAHAGIAN I
PERMULAAN

1. Tajuk ringkas
Akta ini bolehlah dinamakan Akta Data Peribadi.

2. Tafsiran
Dalam Akta ini, "data" ertinya data peribadi.

BAHAGIAN II
PERLINDUNGAN

3. Prinsip keselamatan
Pengguna data hendaklah melindungi data peribadi daripada kehilangan.

4. Prinsip penyimpanan
Data peribadi tidak boleh disimpan lebih lama daripada yang perlu.

BAHAGIAN III

5. Fi
Pengguna data hendaklah membayar fi pendaftaran.
"""


def test_an_act_segmented_then_harmonized_maps_sections_not_its_parts(tmp_path, capsys):
    """`concord segment` then `concord harmonize`, the two commands' documented use: a Part only arranges
    the act, so mapping it would roll every section's match up onto a Part."""
    files = []
    for name, text in (("en", ACT_EN), ("ms", ACT_MS)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        assert cli.main(["segment", str(tmp_path / f"{name}.txt"), "--kind", "act", "--format", "jsonl"]) == 0
        (tmp_path / f"{name}.jsonl").write_text(capsys.readouterr().out, encoding="utf-8")
        files.append(str(tmp_path / f"{name}.jsonl"))
    parts = [row for row in lines(tmp_path / "ms.jsonl") if row["level"] == "part"]
    assert len(parts) == 3 and not (parts[2]["heading"] or parts[2]["text"]), "a Part with no words"
    out = tmp_path / "out.jsonl"
    assert cli.main(["harmonize", *files, "--out", str(out), "--encoder", "hashing"]) == 0
    assert "3 source parts and chapters arrange the document and are not mapped" in capsys.readouterr().err
    rows = lines(out)
    assert rows and not {r["source_id"] for r in rows} & {"p1", "p2", "p3"}
    assert not {r["target_id"] for r in rows} & {"p1", "p2", "p3"}
    best = {r["source_id"]: r["target_id"] for r in rows if r["rank"] == 1}
    assert set(best) == {"s1", "s2", "s3", "s4", "s5"} and best["s2"] == "s2" and best["s3"] == "s3"


def test_a_document_read_whole_is_still_mapped():
    from concord.engine.types import Provision, mappable

    whole = Provision("doc", "", "", "The ministry publishes open data.", level="document")
    part = Provision("p1", "I", "PRELIMINARY", "", level="part")
    section = Provision("s1", "1", "Short title", "This Act is cited.", level="section", parent="p1")
    assert mappable([whole]) == [whole]
    assert mappable([part, section]) == [section]
