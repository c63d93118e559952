"""`concord segment FILE`: provisions as JSON lines, JSON or an outline, with no database; errors exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from concord import cli
from concord.commands import segment as segment_command

from .malformed import PNG_1PX, make_pdf, page_of_lines

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ["id", "number", "heading", "text", "level", "parent", "page", "language"]

ACT = """\
ENACTED by the Parliament of Malaysia as follows:

PART I

PRELIMINARY

Short title

1. This Act may be cited as the Open Data Act 2031.

Duty to publish

2. (1) Every agency shall publish its datasets.

(2) A dataset shall be published in a machine-readable form.
"""


@pytest.fixture
def act_file(tmp_path: Path) -> Path:
    path = tmp_path / "open-data.md"
    path.write_text(ACT, encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["segment", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_segment_command_needs_no_django():
    assert segment_command.NEEDS_DJANGO is False


def test_jsonl_prints_one_provision_a_line_with_the_documented_fields(act_file, capsys):
    code, out, err = _run(capsys, str(act_file), "--language", "en")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(list(row) == FIELDS for row in rows)
    assert [row["id"] for row in rows] == ["p1", "s1", "s2", "s2.1", "s2.2"]
    section = rows[2]
    assert section == {
        "id": "s2",
        "number": "2",
        "heading": "Duty to publish",
        "text": "(1) Every agency shall publish its datasets.\n"
        "(2) A dataset shall be published in a machine-readable form.",
        "level": "section",
        "parent": "p1",
        "page": None,
        "language": "en",
    }


def test_json_prints_one_array(act_file, capsys):
    code, out, _ = _run(capsys, str(act_file), "--format", "json", "--language", "ms")
    assert code == 0
    rows = json.loads(out)
    assert [row["number"] for row in rows] == ["I", "1", "2", "2(1)", "2(2)"]
    assert {row["language"] for row in rows} == {"ms"}


def test_text_prints_an_indented_outline(act_file, capsys):
    code, out, _ = _run(capsys, str(act_file), "--format", "text", "--kind", "law")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "[p1] I PRELIMINARY: "
    assert lines[2].startswith(
        "  [s2] 2 Duty to publish: (1) Every agency shall publish its datasets. (2) A dataset"
    )
    assert lines[3].startswith("    [s2.1] 2(1): Every agency")


def test_a_pdf_gives_page_numbers(tmp_path, capsys):
    pdf = tmp_path / "act.pdf"
    pdf.write_bytes(
        make_pdf(
            [
                page_of_lines(
                    ["ENACTED by Parliament as follows:", "1. (1) The first section starts on page one."]
                ),
                page_of_lines(
                    ["(2) It continues on page two.", "2. The second section is also on page two."]
                ),
            ]
        )
    )
    code, out, _ = _run(capsys, str(pdf), "--language", "en")
    assert code == 0
    pages = {row["id"]: row["page"] for row in map(json.loads, out.splitlines())}
    assert pages == {"s1": 1, "s1.1": 1, "s1.2": 2, "s2": 2}


def test_a_bad_file_prints_its_code_and_exits_2(tmp_path, capsys):
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(PNG_1PX)
    code, out, err = _run(capsys, str(fake))
    assert code == 2 and out == ""
    assert err.startswith("concord: error: [E104] ") and "PNG" in err


def test_a_missing_file_exits_2(tmp_path, capsys):
    code, _, err = _run(capsys, str(tmp_path / "nothing.pdf"))
    assert code == 2 and err.startswith("concord: error: [E100] ") and "no such file" in err


def test_an_unknown_kind_is_refused_by_the_parser(act_file, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["segment", str(act_file), "--kind", "poem"])
    assert exit_.value.code == 2
    assert "invalid choice: 'poem'" in capsys.readouterr().err


def test_it_runs_as_a_module_in_a_fresh_process_and_reads_stdin(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "concord.cli", "segment", "-", "--language", "en"],
        input=ACT.encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert [json.loads(line)["id"] for line in run.stdout.decode().splitlines()] == [
        "p1",
        "s1",
        "s2",
        "s2.1",
        "s2.2",
    ]
    assert b"django" not in run.stderr.lower()


def test_it_fails_cleanly_in_a_fresh_process(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = subprocess.run(
        [sys.executable, "-m", "concord.cli", "segment", str(empty)],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.decode().startswith("concord: error: [E102] The file is empty.")
