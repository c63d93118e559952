"""No function in ``concord/`` (outside migrations) runs over 80 lines: a long function is split into steps
whose names say what they do (issue 15, item 5). Lines are counted from ``def`` to the function's last line,
docstring, comments and blank lines included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "concord"
LIMIT = 80

# Functions allowed to stay long while a change is under way, as (file name, function name). Empty: every
# function is within the limit. The second test fails for an entry that is no longer long, so an entry added
# here cannot go stale.
STILL_LONG: set[tuple[str, str]] = set()


def long_functions(root: Path, limit: int = LIMIT) -> list[tuple[Path, str, int, int]]:
    """Every function (and method, nested or not) over ``limit`` lines under ``root``, outside migrations:
    (path, name, first line, length)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found.append((path, node.name, node.lineno, length))
    return found


def test_no_function_in_concord_is_over_80_lines():
    offences = [
        f"{path.relative_to(ROOT.parent)}:{line} {name} has {length} lines (at most {LIMIT})"
        for path, name, line, length in long_functions(ROOT)
        if (path.name, name) not in STILL_LONG
    ]
    assert offences == [], "split these into named steps:\n" + "\n".join(offences)


def test_every_function_still_allowed_to_be_long_is_still_long():
    still = {(path.name, name) for path, name, _line, _length in long_functions(ROOT)}
    shortened = sorted(f"{file}:{name}" for file, name in STILL_LONG - still)
    assert shortened == [], "no longer over 80 lines (or gone): remove from STILL_LONG: " + ", ".join(
        shortened
    )


def _write(folder: Path, name: str, source: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


def _function(name: str, lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 1))
    return f"{indent}def {name}():\n{body}"


@pytest.mark.parametrize("lines, found", [(80, False), (81, True)])
def test_the_scan_counts_a_function_from_def_to_its_last_line(tmp_path, lines, found):
    _write(tmp_path, "app/views.py", _function("render", lines))
    assert bool(long_functions(tmp_path)) is found


def test_the_scan_finds_methods_nested_and_async_functions_but_not_migrations(tmp_path):
    method = "class Page:\n" + _function("render", 90, indent="    ")
    nested = "def outer():\n" + _function("inner", 90, indent="    ")
    _write(tmp_path, "app/models.py", method)
    _write(tmp_path, "app/tasks.py", nested)
    _write(tmp_path, "app/jobs.py", "async " + _function("work", 90))
    _write(tmp_path, "app/migrations/0001_initial.py", _function("forwards", 200))
    names = {name for _path, name, _line, _length in long_functions(tmp_path)}
    assert names == {"render", "outer", "inner", "work"}
