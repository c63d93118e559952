"""Files in and out of the harmonization engine: JSON Lines, CSV and OSCAL 1.2 mapping collections.

Readers check every line and raise `HarmonizationError` with the file, the line number and what is wrong
(bad encoding E405, bad JSON or field type E406, missing field E403/E410, duplicate id E402, empty file
E401, unreadable file E409), so the CLI can print one clear message instead of a traceback.
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from .errors import HarmonizationError
from .harmonize import Gap, HarmonizeResult, Mapping
from .types import STRUCTURE_LEVELS, Provision

T = TypeVar("T")

OSCAL_VERSION = "1.2.0"
CONCORD_NS = "urn:concord:relationship"  # qualifies relationships that OSCAL does not define
_UUID_NS = uuid.UUID("5b0f3d3e-2c55-4c8e-9a43-6f1f3c1a7e01")  # fixed: the same mapping, the same uuid
OSCAL_RELATIONSHIPS = (
    "equal-to",
    "equivalent-to",
    "subset-of",
    "superset-of",
    "intersects-with",
    "no-relationship",
)
RELATIONSHIP_ALIASES = {
    "equal": "equal-to", "equivalent": "equivalent-to", "subset": "subset-of", "superset": "superset-of",
    "intersects": "intersects-with", "intersect": "intersects-with", "contrary": "contrary-to",
    "none": "no-relationship", "no relationship": "no-relationship",
}  # fmt: skip
CSV_FIELDS = (
    "source_id", "target_id", "rank", "score", "relationship", "confidence", "rationale", "link_confidence",
    "relationship_confidence", "suggested", "diverging", "cited_source", "cited_target",
)  # fmt: skip


def normalise_relationship(value: Any) -> str | None:
    """Map ``Equivalent``/``Subset``/``Superset`` (and OSCAL spellings) to the OSCAL tokens; None for
    untyped values such as ``informative_reference``."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().lower().replace("_", " ")
    if v.replace(" ", "-") in (*OSCAL_RELATIONSHIPS, "contrary-to"):
        return v.replace(" ", "-")
    return RELATIONSHIP_ALIASES.get(v)


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of a JSON Lines file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise HarmonizationError(f"{p}: cannot be read ({exc.strerror or exc})", code="E409") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            raise HarmonizationError(
                f"{p}, line {number}: not valid UTF-8 (byte {exc.start}); the file mixes encodings. "
                "Save it as UTF-8.", code="E405") from exc  # fmt: skip
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise HarmonizationError(f"{p}, line {number}: not valid JSON ({exc.msg})", code="E406") from exc
        if not isinstance(obj, dict):
            raise HarmonizationError(f"{p}, line {number}: expected a JSON object", code="E406")
        yield number, obj


def _text_field(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise HarmonizationError(f"{where}: field {key!r} must be a string", code="E406")
    return value


def read_provisions(path: str | Path) -> list[Provision]:
    """Read ``{"id", "text", "title"?, "language"?, "theme"?|"themes"?, "parent"?}`` lines as provisions.

    The title becomes the provision's heading (and so part of the text compared).
    """
    provisions: list[Provision] = []
    seen: dict[str, int] = {}
    for number, obj in iter_jsonl(path):
        where = f"{path}, line {number}"
        pid = _text_field(obj, "id", where)
        if pid is None or not pid.strip():
            raise HarmonizationError(f'{where}: missing "id"', code="E403")
        text = _text_field(obj, "text", where)
        title = _text_field(obj, "title", where) or _text_field(obj, "heading", where) or ""
        level = _text_field(obj, "level", where) or "section"
        # a Part may have no words of its own ("PART V" alone): it only arranges, and is never mapped
        if not (text or "").strip() and not title.strip() and level not in STRUCTURE_LEVELS:
            raise HarmonizationError(f'{where}: provision {pid!r} has no "text"', code="E403")
        if pid in seen:
            raise HarmonizationError(
                f"{where}: id {pid!r} already used on line {seen[pid]}; ids must be unique", code="E402"
            )
        seen[pid] = number
        themes = obj.get("themes", obj.get("theme")) or []
        if isinstance(themes, str):
            themes = [themes]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise HarmonizationError(f'{where}: "theme" must be a string or a list of strings', code="E406")
        provisions.append(Provision(
            id=pid, number=_text_field(obj, "number", where) or "", heading=title, text=text or "",
            level=level, parent=_text_field(obj, "parent", where),
            language=_text_field(obj, "language", where), order=len(provisions), themes=list(themes),
        ))  # fmt: skip
    if not provisions:
        raise HarmonizationError(f"{path}: no provisions (the file is empty)", code="E401")
    return provisions


def _read_rows(path: str | Path, what: str, row: Callable[[str, dict[str, Any]], T]) -> list[T]:
    """``row(where, object)`` for each line of the JSON Lines file at ``path`` (``where`` names the file and
    line); E401 naming ``what`` when the file has none."""
    rows = [row(f"{path}, line {number}", obj) for number, obj in iter_jsonl(path)]
    if not rows:
        raise HarmonizationError(f"{path}: no {what} (the file is empty)", code="E401")
    return rows


def _ids(where: str, obj: dict[str, Any]) -> tuple[str, str]:
    sid, tid = obj.get("source_id"), obj.get("target_id")
    if sid is None or tid is None:
        raise HarmonizationError(f'{where}: needs "source_id" and "target_id"', code="E410")
    return str(sid), str(tid)


def read_pairs(path: str | Path) -> list[tuple[str, str]]:
    """Read ``{"source_id", "target_id"}`` lines."""
    return _read_rows(path, "pairs", _ids)


@dataclass(frozen=True, slots=True)
class GoldLink:
    """A reference link: source ``a_id`` corresponds to target ``b_id``, optionally typed."""

    a_id: str
    b_id: str
    relationship: str | None = None


def read_gold(path: str | Path) -> list[GoldLink]:
    """Read ``{"a_id", "b_id", "relationship"?}`` lines; relationships are normalised to OSCAL tokens."""
    return _read_rows(path, "gold links", _gold_link)


def _gold_link(where: str, obj: dict[str, Any]) -> GoldLink:
    a, b = obj.get("a_id"), obj.get("b_id")
    if a is None or b is None:
        raise HarmonizationError(f'{where}: needs "a_id" and "b_id"', code="E410")
    return GoldLink(str(a), str(b), normalise_relationship(obj.get("relationship")))


def read_mappings(path: str | Path) -> list[dict[str, Any]]:
    """Read mapping lines as written by ``concord harmonize`` (needs ``source_id`` and ``target_id``)."""
    return _read_rows(path, "mappings", _mapping)


def _mapping(where: str, obj: dict[str, Any]) -> dict[str, Any]:
    obj["source_id"], obj["target_id"] = _ids(where, obj)
    return obj


# --- writers --------------------------------------------------------------------------------------------


def _open_for_writing(path: str | Path) -> Any:
    try:
        return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller's with
    except OSError as exc:
        raise HarmonizationError(f"{path}: cannot be written ({exc.strerror or exc})", code="E409") from exc


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object a line (UTF-8, keys in insertion order); return the number of lines."""
    count = 0
    with _open_for_writing(path) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_csv(path: str | Path, mappings: Iterable[Mapping]) -> int:
    """Write mappings as CSV (cited sentences joined with `` | ``); return the number of rows."""
    count = 0
    with _open_for_writing(path) as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for m in mappings:
            row = m.to_dict()
            row["cited_source"] = " | ".join(s.text for s in m.cited_source)
            row["cited_target"] = " | ".join(s.text for s in m.cited_target)
            writer.writerow({k: row[k] for k in CSV_FIELDS})
            count += 1
    return count


def write_json(path: str | Path, document: dict[str, Any]) -> None:
    """Write one JSON document, indented."""
    with _open_for_writing(path) as fh:
        fh.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_NS, "\x1f".join(parts)))


def _timestamp() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _gap_summary(name: str, gaps: list[Gap]) -> dict[str, Any]:
    return {"uuid": _uuid(name, *[g.provision_id for g in gaps]),
            "unmapped-controls": [{"with-ids": [g.provision_id for g in gaps]}]}  # fmt: skip


def oscal_mapping_collection(
    result: HarmonizeResult | list[Mapping],
    *,
    source_href: str = "source.jsonl",
    target_href: str = "target.jsonl",
    title: str = "Concord provision mapping",
    all_candidates: bool = False,
) -> dict[str, Any]:
    """An OSCAL 1.2 ``mapping-collection`` of the suggested mappings (all candidates if asked).

    Each map carries the relationship (``contrary-to`` qualified by Concord's namespace, since OSCAL
    does not define it), the matching rationale, the confidence as a percentage, the score and rank as
    properties, and the cited sentences in its remarks. Gaps go to the source and target gap summaries.
    UUIDs are derived from the ids, so the same mappings give the same document.
    """
    mappings = result.mappings if isinstance(result, HarmonizeResult) else result
    chosen = [m for m in mappings if all_candidates or m.suggested]
    maps = []
    for m in chosen:
        entry: dict[str, Any] = {"uuid": _uuid("map", m.source_id, m.target_id)}
        if m.relationship not in OSCAL_RELATIONSHIPS:
            entry["ns"] = CONCORD_NS
        entry.update({
            "matching-rationale": m.rationale, "relationship": m.relationship,
            "sources": [{"type": "control", "id-ref": m.source_id}],
            "targets": [{"type": "control", "id-ref": m.target_id}],
            "confidence-score": {"percentage": round(float(m.confidence), 4)},
            "props": [{"name": "score", "ns": "urn:concord", "value": f"{m.score:.4f}"},
                      {"name": "rank", "ns": "urn:concord", "value": str(m.rank)}],
        })  # fmt: skip
        cited = [f"Source: {s.text}" for s in m.cited_source] + [f"Target: {s.text}" for s in m.cited_target]
        if cited:
            entry["remarks"] = "\n\n".join(cited)
        maps.append(entry)
    mapping: dict[str, Any] = {
        "uuid": _uuid("mapping", source_href, target_href),
        "source-resource": {"type": "catalog", "href": quote(source_href)},
        "target-resource": {"type": "catalog", "href": quote(target_href)},
        "maps": maps,
    }
    if isinstance(result, HarmonizeResult):
        if result.source_gaps:
            mapping["source-gap-summary"] = _gap_summary("source-gaps", result.source_gaps)
        if result.target_gaps:
            mapping["target-gap-summary"] = _gap_summary("target-gaps", result.target_gaps)
    if not maps:  # OSCAL requires at least one map; say explicitly that nothing was found
        maps.append({
            "uuid": _uuid("none", source_href, target_href), "relationship": "no-relationship",
            "sources": [{"type": "control", "id-ref": mappings[0].source_id if mappings else "none"}],
            "targets": [{"type": "control", "id-ref": mappings[0].target_id if mappings else "none"}],
            "remarks": "No mapping reached the confidence threshold.",
        })  # fmt: skip
    return {"mapping-collection": {
        "uuid": _uuid("collection", source_href, target_href, *[m["uuid"] for m in maps]),
        "metadata": {"title": title, "last-modified": _timestamp(), "version": "1.0",
                     "oscal-version": OSCAL_VERSION},
        "provenance": {"method": "automation", "matching-rationale": "semantic", "status": "draft",
                       "mapping-description": "Suggested by Concord's harmonization engine; to be reviewed "
                       "by analysts of both parties before sign-off."},
        "mappings": [mapping],
    }}  # fmt: skip
