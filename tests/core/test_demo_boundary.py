"""No production module imports demo code: demo behaviour lives in the demo loaders, which call the same
public actions as users do. Demo modules are ``concord/demo/*`` and every ``*/demo.py``; they may import
each other, and so may the ``concord demo`` command and management commands made for the demo."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "concord"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_demo_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "concord" and (parts[1:2] == ["demo"] or parts[-1] == "demo")


def may_import_demo(path: Path) -> bool:
    rel = path.relative_to(PACKAGE).as_posix()
    if is_demo_module(module_name(path)) or rel == "commands/demo.py":
        return True
    return "/management/commands/" in f"/{rel}" and "demo" in path.stem


def imported_modules(source: str, name: str, *, is_package: bool = False) -> set[str]:
    """Every module that ``source`` (the module ``name``) imports, with relative imports resolved and
    ``from package import module`` counted as importing the module. ``importlib.import_module("…")`` with
    a literal name counts too."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            target = node.args[0].value
            if target.startswith(".") and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                target = f"{node.args[1].value}{target}"
            found.add(target)
    return found


def demo_imports_in_production() -> list[str]:
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if may_import_demo(path):
            continue
        name = module_name(path)
        source = path.read_text(encoding="utf-8")
        for target in sorted(imported_modules(source, name, is_package=path.name == "__init__.py")):
            if is_demo_module(target):
                offences.append(f"{path.relative_to(ROOT)} imports {target}")
    return offences


def test_no_production_module_imports_a_demo_module():
    assert demo_imports_in_production() == []


def test_the_check_finds_each_way_of_importing_a_demo_module():
    ways = {
        "from .demo import apply_demo_decisions": "concord.harmonize.demo",
        "from . import demo": "concord.harmonize.demo",
        "from concord.demo.load import DEMO_DOMAIN": "concord.demo.load",
        "import concord.talent.demo": "concord.talent.demo",
        "from ..demo import load": "concord.demo",
        "def f():\n    from concord.directory import demo\n": "concord.directory.demo",
        "import importlib\nimportlib.import_module('concord.secretariat.demo')": "concord.secretariat.demo",
    }
    for source, target in ways.items():
        found = imported_modules(source, "concord.harmonize.pipeline")
        assert target in found and any(is_demo_module(m) for m in found), source
    assert not any(is_demo_module(m) for m in imported_modules("from . import rules", "concord.harmonize.x"))


def test_only_demo_code_and_the_demo_command_may_import_demo_modules():
    assert may_import_demo(PACKAGE / "demo" / "load.py")
    assert may_import_demo(PACKAGE / "harmonize" / "demo.py")
    assert may_import_demo(PACKAGE / "commands" / "demo.py")
    assert may_import_demo(PACKAGE / "talent" / "management" / "commands" / "load_demo.py")
    assert not may_import_demo(PACKAGE / "harmonize" / "pipeline.py")
    assert not may_import_demo(PACKAGE / "commands" / "serve.py")
    commands = PACKAGE / "reporting" / "management" / "commands"
    assert not may_import_demo(commands / "secretariat_reminders.py")
