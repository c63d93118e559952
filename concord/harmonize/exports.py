"""Exports of a comparison: CSV, XLSX (openpyxl), OSCAL 1.2 mapping-collection JSON and the PDF brief.

Every export holds only what the reader may view: mappings and gaps of documents hidden from them are
left out, exactly as on the pages.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from concord.core import charts
from concord.core.csvsafe import safe_cell
from concord.engine.coverage import Gap as EngineGap
from concord.engine.formats import oscal_mapping_collection
from concord.engine.harmonize import HarmonizeOptions, HarmonizeResult
from concord.engine.relate import Span

from . import summary
from .models import Comparison, Provenance, Relationship, ReviewStatus, SignOff

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "oscal": ("application/json", "oscal.json"),
    "pdf": ("application/pdf", "pdf"),
}
HEADER = [
    "source_document",
    "source_provision",
    "source_key",
    "target_document",
    "target_provision",
    "target_key",
    "relationship",
    "rationale",
    "confidence",
    "provenance",
    "review",
    "agreement",
    "signoffs",
    "diverging",
    "parameters",
    "cited_source",
    "cited_target",
    "decided_by",
    "decided_at",
]
FONT_DIR = Path(settings.BASE_DIR) / "concord" / "static" / "concord" / "fonts"
_NOT_TOKEN = re.compile(r"[^\w.\-]", re.UNICODE)


def mapping_rows(comparison: Comparison, user) -> list[dict]:
    mappings = list(
        summary.visible_mappings(comparison, user)
        .select_related("source_document", "target_document", "decided_by")
        .order_by("source_label", "target_label", "id")
    )
    signed: dict[int, list[SignOff]] = defaultdict(list)
    for s in SignOff.objects.filter(mapping__in=[m.pk for m in mappings]).select_related("party"):
        signed[s.mapping_id].append(s)
    rows = []
    for m in mappings:
        divergences = [d for d in (m.parameters or {}).get("divergences", []) if d.get("diverges")]
        rows.append(
            {
                "mapping": m,
                "source_document": str(m.source_document or ""),
                "source_provision": m.source_label,
                "source_key": m.source_key,
                "target_document": str(m.target_document or ""),
                "target_provision": m.target_label,
                "target_key": m.target_key,
                "relationship": m.relationship,
                "rationale": m.rationale,
                "confidence": round(m.confidence, 3),
                "provenance": m.provenance,
                "review": m.review_status,
                "agreement": m.agreement,
                "signoffs": "; ".join(
                    f"{s.party.code}: {s.decision}{'' if s.applies_to(m) else ' (earlier version)'}"
                    + (f" — {s.reason}" if s.reason else "")
                    for s in signed[m.pk]
                ),
                "diverging": m.diverging,
                "parameters": "; ".join(
                    f"{d.get('kind')}: {(d.get('source') or {}).get('text') or '—'} / "
                    f"{(d.get('target') or {}).get('text') or '—'}"
                    for d in divergences
                ),
                "cited_source": " | ".join(s.get("text", "") for s in m.cited_source or []),
                "cited_target": " | ".join(s.get("text", "") for s in m.cited_target or []),
                "decided_by": str(m.decided_by or ""),
                "decided_at": m.decided_at.isoformat() if m.decided_at else "",
            }
        )
    return rows


def to_csv(comparison: Comparison, user) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in mapping_rows(comparison, user):
        writer.writerow([safe_cell(row[h]) for h in HEADER])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(comparison: Comparison, user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = summary.build(comparison, user, gap_limit=100_000)
    book = Workbook()
    sheet = book.active
    sheet.title = "Mappings"
    sheet.append(HEADER)
    for row in mapping_rows(comparison, user):
        sheet.append([safe_cell(row[h]) if isinstance(row[h], str) else row[h] for h in HEADER])
    themes = book.create_sheet("Themes")
    rels = [r.value for r in Relationship if r != Relationship.NONE]
    themes.append(
        [
            "theme",
            "index",
            "source_coverage",
            "target_coverage",
            "source_provisions",
            "target_provisions",
            *rels,
            "agreed",
            "contested",
            "proposed",
        ]
    )
    for r in [data.total, *data.rows]:
        themes.append(
            [
                safe_cell(r.label),
                r.index,
                r.source_coverage,
                r.target_coverage,
                r.source_count,
                r.target_count,
                *[r.counts.get(k, 0) for k in rels],
                r.agreement.get("agreed", 0),
                r.agreement.get("contested", 0),
                r.agreement.get("proposed", 0),
            ]
        )
    gaps = book.create_sheet("Gaps")
    gaps.append(["side", "provision", "key", "nearest", "nearest_score"])
    for g in [*data.source_gaps, *data.target_gaps]:
        gaps.append([g.side, safe_cell(g.label), g.key, safe_cell(g.nearest_label), g.nearest_score])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def oscal_id(key: str) -> str:
    """A stable key (``12:s4.1``) as an OSCAL token (``doc12-s4.1``)."""
    document, _sep, provision = key.partition(":")
    return _NOT_TOKEN.sub("_", f"doc{document}-{provision}")


def to_oscal(comparison: Comparison, user) -> dict:
    rows = [r["mapping"] for r in mapping_rows(comparison, user)]
    chosen = [
        m for m in rows if m.review_status != ReviewStatus.REJECTED and m.relationship != Relationship.NONE
    ]
    engine_like = [
        SimpleNamespace(
            source_id=oscal_id(m.source_key),
            target_id=oscal_id(m.target_key),
            relationship=m.relationship,
            rationale=m.rationale,
            confidence=m.confidence,
            score=m.score,
            rank=m.rank,
            suggested=True,
            cited_source=[
                Span(s.get("start", 0), s.get("end", 0), s.get("text", "")) for s in m.cited_source or []
            ],
            cited_target=[
                Span(s.get("start", 0), s.get("end", 0), s.get("text", "")) for s in m.cited_target or []
            ],
        )
        for m in chosen
    ]
    data = summary.build(comparison, user, gap_limit=100_000)
    result = HarmonizeResult(
        mappings=engine_like,  # type: ignore[arg-type]
        source_gaps=[EngineGap("source", oscal_id(g.key), None, None, None) for g in data.source_gaps],
        target_gaps=[EngineGap("target", oscal_id(g.key), None, None, None) for g in data.target_gaps],
        themes=[],
        model_id=comparison.model_id,
        dim=0,
        options=HarmonizeOptions(),
    )
    doc = oscal_mapping_collection(
        result,
        source_href=f"concord:comparison/{comparison.pk}/source",
        target_href=f"concord:comparison/{comparison.pk}/target",
        title=comparison.title,
    )
    collection = doc["mapping-collection"]
    human = any(m.provenance != Provenance.AUTOMATION for m in chosen)
    collection["provenance"]["method"] = Provenance.HYBRID.value if human else Provenance.AUTOMATION.value
    collection["provenance"]["status"] = (
        "complete" if chosen and all(m.agreement == "agreed" for m in chosen) else "draft"
    )
    collection["provenance"]["mapping-description"] = (
        f"Concord comparison of {comparison.source_party.name} and {comparison.target_party.name} "
        "provisions: "
        "suggested by the harmonization engine, reviewed by analysts and signed off by both parties."
    )
    by_uuid = {
        entry["sources"][0]["id-ref"] + "\x1f" + entry["targets"][0]["id-ref"]: entry
        for entry in collection["mappings"][0]["maps"]
    }
    for m in chosen:
        entry = by_uuid.get(oscal_id(m.source_key) + "\x1f" + oscal_id(m.target_key))
        if entry is None:
            continue
        entry["props"] += [
            {"name": "provenance", "ns": "urn:concord", "value": m.provenance},
            {"name": "review-status", "ns": "urn:concord", "value": m.review_status},
            {"name": "agreement", "ns": "urn:concord", "value": m.agreement},
        ]
    return doc


def brief_context(comparison: Comparison, user) -> dict:
    rtl = translation.get_language_bidi()
    data = summary.build(comparison, user, gap_limit=10)
    columns = [(r.value, r.label) for r in Relationship if r != Relationship.NONE]
    peak = max((r.counts.get(key, 0) for r in data.rows for key, _label in columns), default=0)
    return {
        "comparison": comparison,
        "data": data,
        "columns": columns,
        "rtl": rtl,
        "font_dir": FONT_DIR.as_uri(),
        "generated": timezone.now(),
        "source_documents": summary.visible_documents(comparison, user, "source"),
        "target_documents": summary.visible_documents(comparison, user, "target"),
        "divergences": data.divergences[:15],
        "bar_rows": [
            (r, charts.bar_pair(r.source_coverage, r.target_coverage, rtl=rtl))
            for r in [data.total, *data.rows]
        ],
        "heat_rows": [
            (r, [charts.heat_cell(r.counts.get(key, 0), peak) for key, _label in columns]) for r in data.rows
        ],
    }


def to_pdf(comparison: Comparison, user) -> bytes:
    from weasyprint import HTML

    html = render_to_string("harmonize/brief.html", brief_context(comparison, user))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render(comparison: Comparison, user, fmt: str, *, language: str | None = None) -> tuple[bytes, str, str]:
    """(body, content type, file name) of one export, in ``language`` for the brief (else the current one)."""
    content_type, suffix = FORMATS[fmt]
    name = f"{slugify(comparison.title) or 'comparison'}-{comparison.pk}"
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    if fmt == "csv":
        body = to_csv(comparison, user)
    elif fmt == "xlsx":
        body = to_xlsx(comparison, user)
    elif fmt == "oscal":
        body = json.dumps(to_oscal(comparison, user), ensure_ascii=False, indent=2).encode("utf-8")
    else:
        with translation.override(language):
            body = to_pdf(comparison, user)
        name = f"{name}-brief-{language}"
    return body, content_type, f"{name}.{suffix}"
