"""Reading ESCO CSV files and national framework CSV files into plain rows (no database writes here).

ESCO's CSV download names its files ``<kind>_<language>.csv``. We read:

- ``skills_<lang>.csv`` (required): ``conceptUri``, ``preferredLabel``, and ``altLabels``, ``skillType``,
  ``description`` when present;
- ``skillGroups_<lang>.csv``: the groups of the skills pillar (same columns);
- ``broaderRelationsSkillPillar_<lang>.csv``: ``conceptUri`` → ``broaderUri`` (the hierarchy);
- ``occupations_<lang>.csv``: ``conceptUri``, ``preferredLabel``, ``iscoGroup``, ``description``;
- ``occupationSkillRelations_<lang>.csv``: ``occupationUri``, ``relationType`` (essential/optional),
  ``skillUri``.

A national framework is one CSV with ``code``, ``label`` and optionally ``label_ms``, ``label_ur``,
``parent_code``, ``description``. Every problem raises `MatchingError` E513 naming the file and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from concord.engine.errors import MatchingError

REQUIRED: dict[str, tuple[str, ...]] = {
    "skills": ("conceptUri", "preferredLabel"),
    "skillGroups": ("conceptUri", "preferredLabel"),
    "broaderRelationsSkillPillar": ("conceptUri", "broaderUri"),
    "occupations": ("conceptUri", "preferredLabel"),
    "occupationSkillRelations": ("occupationUri", "relationType", "skillUri"),
}
FRAMEWORK_REQUIRED = ("code", "label")
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class EscoRows:
    """The rows of one ESCO download in one language."""

    language: str
    skills: list[dict[str, str]] = field(default_factory=list)
    groups: list[dict[str, str]] = field(default_factory=list)
    broader: list[dict[str, str]] = field(default_factory=list)
    occupations: list[dict[str, str]] = field(default_factory=list)
    relations: list[dict[str, str]] = field(default_factory=list)


def read_csv(data: bytes, name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Parse CSV bytes, checking that the ``required`` columns exist and are filled on every row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MatchingError(f"{name} is not UTF-8 text; ESCO CSV files are UTF-8", code="E513") from exc
    if "\x00" in text:
        raise MatchingError(f"{name} is not a CSV file (it holds binary data)", code="E513")
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [c for c in required if c not in columns]
    if missing:
        raise MatchingError(
            f"{name} lacks the column(s) {', '.join(missing)}; it has: {', '.join(columns) or 'no header'}",
            code="E513",
        )
    rows = []
    try:
        for n, row in enumerate(reader, 2):
            for c in required:
                if not (row.get(c) or "").strip():
                    raise MatchingError(f"{name}, line {n}: the column {c} is empty", code="E513")
            rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
    except csv.Error as exc:
        raise MatchingError(f"{name}: not valid CSV ({exc})", code="E513") from exc
    return rows


def _find(directory: Path, kind: str, language: str) -> Path | None:
    path = directory / f"{kind}_{language}.csv"
    return path if path.is_file() else None


def read_esco_dir(directory: Path, language: str = "en") -> EscoRows:
    """Read the ESCO CSV files of ``language`` in ``directory``; only the skills file is required."""
    if not directory.is_dir():
        raise MatchingError(f"{directory} is not a folder of ESCO CSV files", code="E513")
    rows = EscoRows(language=language)
    for kind, attr in (
        ("skills", "skills"),
        ("skillGroups", "groups"),
        ("broaderRelationsSkillPillar", "broader"),
        ("occupations", "occupations"),
        ("occupationSkillRelations", "relations"),
    ):
        path = _find(directory, kind, language)
        if path is None:
            if kind == "skills":
                raise MatchingError(
                    f"{directory} has no skills_{language}.csv; give the folder of an ESCO CSV download",
                    code="E513",
                )
            continue
        if path.stat().st_size > MAX_BYTES:
            raise MatchingError(f"{path.name} is too large to import", code="E513")
        setattr(rows, attr, read_csv(path.read_bytes(), path.name, REQUIRED[kind]))
    for r in rows.relations:
        if r["relationType"] not in ("essential", "optional"):
            raise MatchingError(
                f"occupationSkillRelations_{language}.csv: relationType {r['relationType']!r} is neither "
                "essential nor optional",
                code="E513",
            )
    return rows


def read_framework(data: bytes, name: str) -> list[dict[str, str]]:
    """Read a national framework CSV (``code``, ``label``, optional ``label_ms``, ``label_ur``,
    ``parent_code``, ``description``)."""
    rows = read_csv(data, name, FRAMEWORK_REQUIRED)
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise MatchingError(f"{name}: the code {dup!r} appears twice", code="E513")
    known = set(codes)
    for r in rows:
        parent = r.get("parent_code", "")
        if parent and parent not in known:
            raise MatchingError(f"{name}: {r['code']!r} names unknown parent_code {parent!r}", code="E513")
    if not rows:
        raise MatchingError(f"{name} has no skills", code="E513")
    return rows


def split_alt_labels(value: str) -> list[str]:
    """ESCO separates alternative labels by new lines (some exports by ``|``)."""
    parts = value.replace("|", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]
