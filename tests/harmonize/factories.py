"""Builders of the harmonization tests: comparisons built straight in the database (no file ingestion), for
audit scenarios and benchmarks; a comparison created through the action; a new version of the Malaysian act;
what the new-comparison form sends."""

from __future__ import annotations

import hashlib

from concord.harmonize import actions
from concord.harmonize.models import Comparison, Gap, Mapping
from concord.library.models import DocumentVersion, PolicyDocument, Provision, ProvisionTheme, Theme

TEXTS = [
    "A data controller shall notify the Commissioner of a personal data breach within 72 hours.",
    "Personal data shall not be processed without the consent of the data subject.",
    "A data subject may ask for a copy of the personal data held about them.",
    "A person who contravenes this section shall be liable to a fine not exceeding one million ringgit.",
    "Critical personal data shall be processed only in a data centre located in the country.",
]


def document(personas, party, title: str, texts: list[str], *, visibility="dialogue") -> PolicyDocument:
    doc = PolicyDocument.objects.create(
        dialogue=personas.dialogue,
        party=party,
        visibility=visibility,
        title=title,
        short_title=title,
        kind="law",
        language="en",
    )
    body = "\n".join(texts).encode()
    version = DocumentVersion.objects.create(
        document=doc,
        original=f"library/test/{title}.md",
        original_filename=f"{title}.md",
        size=len(body),
        sha256=hashlib.sha256(body + title.encode()).hexdigest(),
        status="ready",
        language="en",
    )
    doc.current_version = version
    doc.save(update_fields=["current_version"])
    theme, _ = Theme.objects.get_or_create(
        slug="personal-data-protection",
        defaults={
            "label_en": "Personal data protection",
            "label_ms": "Perlindungan data peribadi",
            "label_ur": "ذاتی ڈیٹا کا تحفظ",
        },
    )
    rows = Provision.objects.bulk_create(
        [
            Provision(
                version=version,
                key=f"s{i + 1}",
                number=str(i + 1),
                heading=f"Section {i + 1}",
                text=text,
                level="section",
                order=i,
                language="en",
            )
            for i, text in enumerate(texts)
        ]
    )
    ProvisionTheme.objects.bulk_create([ProvisionTheme(provision=p, theme=theme, score=0.9) for p in rows])
    return doc


def ingest_text(personas, text: str, party, actor, title: str, *, filename: str = "", **kw) -> PolicyDocument:
    """``text`` read into the library as a law of ``party`` (``kw``: another kind, visibility, ...), visible
    to the dialogue, its provisions read at once and not embedded."""
    from concord.library.actions import do_ingest_document

    kw.setdefault("kind", "law")
    kw.setdefault("visibility", "dialogue")
    return do_ingest_document(
        actor=actor,
        dialogue=personas.dialogue,
        upload=text.encode(),
        filename=filename or f"{party.code}.md",
        title=title,
        party=party,
        language="en",
        run="inline",
        embed="skip",
        **kw,
    ).document


def compare(personas, source: list, target: list, title: str = "MY–PK", *, actor=None, **kw) -> Comparison:
    """A comparison of the ``source`` documents, Malaysia's, with the ``target`` documents, Pakistan's
    (``kw``: another ``source_party`` or ``target_party``, options, visibility, …), created by ``actor``
    (Malaysia's analyst). It is not run."""
    kw.setdefault("source_party", personas.my)
    kw.setdefault("target_party", personas.pk)
    return actions.do_create_comparison(
        actor=actor or personas.analyst_my,
        dialogue=personas.dialogue,
        title=title,
        source_documents=source,
        target_documents=target,
        **kw,
    )


def small_comparison(personas, *, run: bool = True) -> Comparison:
    my = document(personas, personas.my, "MY Act", TEXTS)
    pk = document(
        personas, personas.pk, "PK Act", [t.replace("72 hours", "without undue delay") for t in TEXTS]
    )
    comparison = compare(personas, [my], [pk], options={"top_k": 2, "threshold": 0.05})
    if run:
        actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison, run="inline")
        comparison.refresh_from_db()
    return comparison


def large_comparison(personas, n_provisions: int = 500, per_source: int = 4) -> Comparison:
    """``n_provisions`` a side, ``n_provisions * per_source`` mappings, written directly (no engine run)."""
    texts = [f"{TEXTS[i % len(TEXTS)]} (item {i})" for i in range(n_provisions)]
    my = document(personas, personas.my, "MY Code", texts)
    pk = document(personas, personas.pk, "PK Code", texts)
    comparison = compare(personas, [my], [pk], "Large")
    src = list(my.current_version.provisions.order_by("order"))
    tgt = list(pk.current_version.provisions.order_by("order"))
    rels = ["equivalent-to", "subset-of", "superset-of", "intersects-with", "contrary-to"]
    mappings = []
    for i, s in enumerate(src):
        for k in range(per_source):
            t = tgt[(i + k * 7) % len(tgt)]
            conf = ((i * 31 + k * 17) % 100) / 100
            mappings.append(
                Mapping(
                    comparison=comparison,
                    source_key=f"{my.pk}:{s.key}",
                    target_key=f"{pk.pk}:{t.key}",
                    source_provision=s,
                    target_provision=t,
                    source_document=my,
                    target_document=pk,
                    source_version_id=s.version_id,
                    target_version_id=t.version_id,
                    source_label=f"MY Code {s.number} {s.heading}",
                    target_label=f"PK Code {t.number} {t.heading}",
                    relationship=rels[(i + k) % len(rels)],
                    confidence=conf,
                    certainty=abs(conf - 0.5),
                    engine_relationship=rels[(i + k) % len(rels)],
                    engine_confidence=conf,
                    cited_source=[{"start": 0, "end": 20, "text": s.text[:20]}],
                    cited_target=[{"start": 0, "end": 20, "text": t.text[:20]}],
                    diverging=k == 0 and i % 10 == 0,
                    parameters={
                        "divergences": [
                            {
                                "kind": "duration",
                                "diverges": True,
                                "source": {"text": "72 hours"},
                                "target": None,
                            }
                        ]
                    }
                    if k == 0 and i % 10 == 0
                    else {},
                )
            )
    Mapping.objects.bulk_create(mappings, batch_size=500)
    Gap.objects.bulk_create(
        [
            Gap(
                comparison=comparison,
                side="target",
                key=f"{pk.pk}:{t.key}",
                provision=t,
                document=pk,
                label=f"PK Code {t.number}",
            )
            for t in tgt[:50]
        ]
    )
    comparison.status, comparison.run_count = "ready", 1
    comparison.versions = {str(my.pk): my.current_version_id, str(pk.pk): pk.current_version_id}
    comparison.save()
    return comparison


def read_new_version_of_the_malaysian_act(personas, my) -> None:
    """A second version of the Malaysian act ``my`` is read at once: its breach deadline is forty-eight
    hours instead of seventy-two."""
    from concord.library.actions import do_ingest_version

    from .conftest import MY_ACT

    shorter = MY_ACT.replace("seventy-two hours", "forty-eight hours").encode()
    do_ingest_version(
        actor=personas.analyst_my, document=my, upload=shorter, filename="v2.md", run="inline", embed="skip"
    )


def comparison_form(title: str, source_party, source: list, target_party, target: list) -> dict:
    """What the new-comparison page's form sends for a comparison visible to the dialogue."""
    return {
        "title": title,
        "source_party": source_party.pk,
        "source_documents": [d.pk for d in source],
        "target_party": target_party.pk,
        "target_documents": [d.pk for d in target],
        "visibility": "dialogue",
    }


def ready_comparison(personas, title: str = "MY–PK data protection", **kw) -> Comparison:
    """A comparison of Malaysia (source) with Pakistan (target) saved as run once and ready, without documents
    (``kw``: visibility, party, created_by, …)."""
    kw.setdefault("visibility", "dialogue")
    return Comparison.objects.create(
        dialogue=personas.dialogue,
        title=title,
        source_party=personas.my,
        target_party=personas.pk,
        status="ready",
        run_count=1,
        **kw,
    )


def saved_mapping(comparison, source_label: str, target_label: str, section: str = "s1", **kw) -> Mapping:
    """A mapping of ``comparison`` saved as it stands, between ``section`` of the first source and the first
    target document (``kw``: relationship, agreement, confidence, …)."""
    return Mapping.objects.create(
        comparison=comparison,
        source_key=f"1:{section}",
        target_key=f"2:{section}",
        source_label=source_label,
        target_label=target_label,
        **kw,
    )
