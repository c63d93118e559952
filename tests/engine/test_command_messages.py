"""What a sub-command says when it stops: its error (status 2) or what it did (status 0, unless quiet)."""

from concord.commands import fail, succeed


def test_fail_says_the_problem_on_standard_error_and_returns_2(capsys):
    assert fail("no such file") == 2
    assert capsys.readouterr() == ("", "concord: error: no such file\n")


def test_succeed_says_what_was_done_on_standard_error_and_returns_0(capsys):
    assert succeed("wrote 3 mappings to out.jsonl") == 0
    assert capsys.readouterr() == ("", "concord: wrote 3 mappings to out.jsonl\n")


def test_succeed_says_nothing_when_quiet(capsys):
    assert succeed("wrote 3 mappings to out.jsonl", quiet=True) == 0
    assert capsys.readouterr() == ("", "")
