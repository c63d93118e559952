"""Comparisons, runs, review decisions, sign-off and drift, through the actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.safestring import SafeString

from concord.harmonize import actions
from concord.harmonize.highlight import highlight
from concord.harmonize.models import Agreement, Mapping, ReviewStatus, SignOff
from concord.harmonize.summary import build

from .factories import compare, ingest_text, read_new_version_of_the_malaysian_act

pytestmark = pytest.mark.django_db


def _three(comparison):
    return list(comparison.mappings.order_by("id"))[:3]


def test_a_run_stores_typed_cited_mappings_gaps_and_the_index(ran):
    assert ran.status == "ready" and ran.run_count == 1 and ran.model_id
    mapping = ran.mappings.exclude(cited_source=[]).first()
    assert mapping.relationship and mapping.rationale and 0 <= mapping.confidence <= 1
    assert mapping.provenance == "automation" and mapping.source_provision and mapping.target_provision
    assert ran.gaps.filter(side="source").exists() or ran.gaps.filter(side="target").exists()
    assert any(t["theme"] == "*" for t in ran.engine_index)


def test_the_run_reports_progress_on_its_job(personas, make_comparison):
    comparison = make_comparison()
    job = actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison)
    assert job.status == "succeeded" and job.percent == 100
    assert job.result["mappings"] == comparison.mappings.count()
    assert job.result_url == comparison.get_absolute_url()


def test_the_runs_bar_moves_forward_through_named_stages(personas, make_comparison):
    from concord.harmonize import pipeline

    steps: list[tuple[int, str]] = []
    pipeline._run(make_comparison(), lambda done, total, message="": steps.append((done, message)))
    percents = [done for done, _ in steps]
    assert percents == sorted(percents) and percents[-1] == 90, "the bar never goes back"
    messages = {message for _, message in steps}
    assert {
        "Reading the source provisions",
        "Reading the target provisions",
        "Typing the relationships",
    } <= messages
    assert not any(message.startswith("encoding") for message in messages), "engine stage names stay out"


def test_re_running_after_a_review_changes_no_human_decision(personas, ran):
    accepted, retyped, rejected = _three(ran)
    actions.do_review_mapping(actor=personas.analyst_my, mapping=accepted, decision="accept")
    actions.do_review_mapping(
        actor=personas.analyst_pk,
        mapping=retyped,
        decision="retype",
        relationship="contrary-to",
        comment="No.",
    )
    actions.do_review_mapping(actor=personas.analyst_my, mapping=rejected, decision="reject")
    actions.do_sign_off(actor=personas.analyst_my, mapping=accepted)
    fields = [
        "relationship",
        "confidence",
        "provenance",
        "review_status",
        "decided_by_id",
        "decided_at",
        "agreement",
    ]
    before = {m.pk: {f: getattr(m, f) for f in fields} for m in Mapping.objects.filter(comparison=ran)}
    added = (
        actions.do_add_mapping(
            actor=personas.analyst_my,
            comparison=ran,
            source_provision=accepted.source_provision,
            target_provision=rejected.target_provision
            if rejected.target_provision != accepted.target_provision
            else retyped.target_provision,
            relationship="subset-of",
        )
        if not ran.mappings.filter(source_key=accepted.source_key, target_key=rejected.target_key).exists()
        else None
    )
    actions.do_run_comparison(actor=personas.analyst_my, comparison=ran)
    ran.refresh_from_db()
    assert ran.run_count == 2
    after = {m.pk: {f: getattr(m, f) for f in fields} for m in Mapping.objects.filter(comparison=ran)}
    for pk in (accepted.pk, retyped.pk, rejected.pk):
        assert after[pk] == before[pk]
    if added is not None:
        assert Mapping.objects.get(pk=added.pk).provenance == "human"
    assert SignOff.objects.filter(mapping=accepted).count() == 1


def test_review_decisions_set_provenance_and_confidence(personas, ran):
    m = ran.mappings.first()
    m = actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="accept")
    assert (m.review_status, m.provenance, m.confidence) == ("accepted", "hybrid", 1.0)
    assert m.decided_by == personas.analyst_my and m.decided_at is not None
    m = actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="reject")
    assert (m.review_status, m.confidence) == ("rejected", 0.0)
    m = actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="reopen")
    assert (m.review_status, m.provenance, m.relationship) == ("pending", "automation", m.engine_relationship)
    assert list(m.reviews.values_list("kind", flat=True)) == ["accept", "reject", "reopen"]


def test_retyping_to_an_unknown_or_the_same_relationship_is_refused(personas, ran):
    m = ran.mappings.first()
    with pytest.raises(ValidationError, match="Unknown relationship"):
        actions.do_review_mapping(
            actor=personas.analyst_my, mapping=m, decision="retype", relationship="kind-of"
        )
    with pytest.raises(ValidationError, match="already has"):
        actions.do_review_mapping(
            actor=personas.analyst_my, mapping=m, decision="retype", relationship=m.relationship
        )


def test_the_index_follows_review_decisions(personas, ran):
    before = build(ran, personas.analyst_my).total.index
    for m in ran.mappings.all():
        actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="accept")
    accepted = build(ran, personas.analyst_my).total.index
    for m in ran.mappings.all():
        actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="reject")
    rejected = build(ran, personas.analyst_my).total
    assert accepted > before
    assert rejected.index == 0.0 and rejected.mappings == 0 and rejected.rejected > 0


def test_agreement_needs_both_parties_and_an_objection_contests(personas, ran):
    m = ran.mappings.first()
    actions.do_sign_off(actor=personas.analyst_my, mapping=m)
    assert Mapping.objects.get(pk=m.pk).agreement == Agreement.PROPOSED
    actions.do_sign_off(actor=personas.delegate_pk, mapping=m)
    assert Mapping.objects.get(pk=m.pk).agreement == Agreement.AGREED
    with pytest.raises(ValidationError, match="Say why"):
        actions.do_sign_off(actor=personas.analyst_pk, mapping=m, decision="object")
    actions.do_sign_off(
        actor=personas.analyst_pk, mapping=m, decision="object", reason="PK sets no time limit."
    )
    assert Mapping.objects.get(pk=m.pk).agreement == Agreement.CONTESTED
    assert SignOff.objects.filter(mapping=m).count() == 2  # one row per party, the latest position


def test_a_sign_off_lapses_when_the_mapping_is_retyped(personas, ran):
    m = ran.mappings.first()
    actions.do_sign_off(actor=personas.analyst_my, mapping=m)
    actions.do_sign_off(actor=personas.analyst_pk, mapping=m)
    assert Mapping.objects.get(pk=m.pk).agreement == Agreement.AGREED
    new = "contrary-to" if m.relationship != "contrary-to" else "subset-of"
    actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="retype", relationship=new)
    assert Mapping.objects.get(pk=m.pk).agreement == Agreement.PROPOSED


def test_concurrent_sign_off_by_both_parties_loses_no_decision(personas, ran):
    """Each request works from the mapping as it loaded it; the agreement comes from all rows."""
    stale_my = Mapping.objects.get(pk=ran.mappings.first().pk)
    stale_pk = Mapping.objects.get(pk=stale_my.pk)
    actions.do_sign_off(actor=personas.analyst_my, mapping=stale_my)
    actions.do_sign_off(actor=personas.analyst_pk, mapping=stale_pk)
    assert set(SignOff.objects.filter(mapping=stale_my).values_list("party__code", flat=True)) == {"MY", "PK"}
    assert Mapping.objects.get(pk=stale_my.pk).agreement == Agreement.AGREED


def test_the_same_party_signing_twice_at_once_keeps_one_row(personas, ran):
    m = ran.mappings.first()
    actions.do_sign_off(actor=personas.analyst_my, mapping=m)
    actions.do_sign_off(actor=personas.delegate_my, mapping=m, decision="object", reason="On reflection, no.")
    rows = SignOff.objects.filter(mapping=m)
    assert rows.count() == 1 and rows.get().decision == "object"


def test_bulk_sign_off_per_theme(personas, ran):
    n = actions.do_sign_off_theme(actor=personas.analyst_my, comparison=ran, theme="personal-data-protection")
    assert n > 0
    assert (
        actions.do_sign_off_theme(actor=personas.analyst_my, comparison=ran, theme="personal-data-protection")
        == 0
    )
    actions.do_sign_off_theme(actor=personas.analyst_pk, comparison=ran, theme="personal-data-protection")
    themed = build(ran, personas.analyst_my).rows
    row = next(r for r in themed if r.slug == "personal-data-protection")
    assert row.agreement.get("agreed", 0) == n


def test_a_comparison_needs_documents_of_each_party_on_its_side(personas, library, make_comparison):
    my, pk = library
    with pytest.raises(ValidationError, match="on both sides"):
        make_comparison(source=[my], target=[my, pk])
    with pytest.raises(ValidationError, match="is not a document of"):
        make_comparison(source=[pk], target=[my])
    with pytest.raises(ValidationError, match="is not a document of"):
        compare(personas, [my], [pk], "x", target_party=personas.my)


def test_observers_and_outsiders_cannot_create(personas, make_comparison):
    for user in (personas.observer, personas.stakeholder, personas.outsider):
        with pytest.raises((PermissionDenied, ValidationError)):
            make_comparison(actor=user)


def test_a_comparison_with_no_provisions_is_refused_with_a_clear_message(personas, make_comparison):
    from concord.library.models import Theme

    theme = Theme.objects.create(
        slug="space-law", label_en="Space law", label_ms="Undang-undang angkasa", label_ur="خلائی قانون"
    )
    comparison = make_comparison(source_themes=[theme])
    with pytest.raises(ValidationError, match="source side has no provisions"):
        actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison)
    assert comparison.status == "draft" and not comparison.mappings.exists()


def test_a_deleted_document_keeps_every_decision(personas, ran, library):
    from concord.library.actions import do_delete_document

    my, pk = library
    m = ran.mappings.first()
    actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="accept", comment="Checked.")
    do_delete_document(actor=personas.delegate_pk, document=pk)
    m.refresh_from_db()
    assert (m.review_status, m.target_provision, m.target_document) == ("accepted", None, None)
    assert m.target_label and m.reviews.count() == 1
    with pytest.raises(ValidationError, match="target side has no documents left"):
        actions.do_run_comparison(actor=personas.analyst_my, comparison=ran)
    assert Mapping.objects.filter(pk=m.pk, review_status="accepted").exists()


def test_ingesting_a_new_version_flags_the_changed_mappings_with_the_diff(personas, ran, library):
    my, _pk = library
    breach = ran.mappings.filter(source_provision__number="2").first()
    consent = ran.mappings.filter(source_provision__number="1").first()
    assert breach is not None and consent is not None
    actions.do_review_mapping(actor=personas.analyst_my, mapping=breach, decision="accept")
    read_new_version_of_the_malaysian_act(personas, my)
    from concord.harmonize.drift import sync_drift

    # Ingesting the version flags the drift at once: nobody has to open the comparison first.
    breach.refresh_from_db()
    consent.refresh_from_db()
    assert breach.drift["op"] == "changed" and breach.review_status == "accepted"  # flagged, decision kept
    assert any(s["kind"] == "ins" and "forty-eight" in s["text"] for s in breach.drift["new"])
    assert consent.drift is None
    my.refresh_from_db()
    assert breach.source_provision.version_id == my.current_version_id
    ran.refresh_from_db()
    assert sync_drift(ran) == 0  # once only
    actions.do_review_mapping(actor=personas.analyst_my, mapping=breach, decision="accept")
    assert Mapping.objects.get(pk=breach.pk).drift is None


def test_highlight_escapes_text_and_marks_cited_spans():
    text = 'A <script>alert("x")</script> rule. The data controller shall notify within 72 hours.'
    start = text.index("The data")
    html = highlight(text, [{"start": start, "end": len(text), "text": text[start:]}])
    assert isinstance(html, SafeString)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.endswith("<mark>The data controller shall notify within 72 hours.</mark>")


def test_highlight_finds_a_moved_sentence_and_ignores_bad_spans():
    text = "First sentence here. Second sentence here."
    moved = highlight(
        text, [{"start": 0, "end": 5, "text": "Second sentence here."}, {"start": -4, "end": 999}]
    )
    assert moved == "First sentence here. <mark>Second sentence here.</mark>"


def test_review_status_choices_cover_the_queue():
    assert set(ReviewStatus.values) == {"pending", "accepted", "rejected"}


def test_a_gap_sent_to_the_agenda_keeps_its_link_when_the_comparison_runs_again(personas, ran):
    """A re-run replaces the gaps, but a gap that is still a gap keeps its row, so the agenda item where it
    was discussed still points at it; a gap the run no longer finds goes."""
    from concord.harmonize.models import Gap
    from concord.secretariat.actions import do_send_to_agenda

    gaps_before = {(g.side, g.key): g.pk for g in ran.gaps.all()}
    assert gaps_before, "the small comparison has gaps"
    gap = ran.gaps.order_by("pk").first()
    item = do_send_to_agenda(actor=personas.secretariat, obj=gap, dialogue=ran.dialogue)
    stale = Gap.objects.create(comparison=ran, side="source", key="gone:1", label="No longer a gap")
    actions.do_run_comparison(actor=personas.analyst_my, comparison=ran)
    assert {(g.side, g.key): g.pk for g in ran.gaps.all()} == gaps_before
    assert list(item.gaps.all()) == [gap]
    assert not Gap.objects.filter(pk=stale.pk).exists()


def test_a_proposed_mapping_sent_to_the_agenda_stays_when_the_run_no_longer_proposes_it(personas, ran):
    """Nobody has decided the mapping yet, but it is on an agenda: a re-run that no longer proposes it keeps
    it (marked as not in the last run) so that the agenda item still leads to it; an undiscussed one goes."""
    from concord.secretariat.actions import do_send_to_agenda

    discussed, forgotten = (
        Mapping.objects.create(
            comparison=ran, source_key=f"gone:{n}", target_key="gone:t", relationship="subset-of"
        )
        for n in (1, 2)
    )
    assert not discussed.has_human_decision
    item = do_send_to_agenda(actor=personas.secretariat, obj=discussed, dialogue=ran.dialogue)
    actions.do_run_comparison(actor=personas.analyst_my, comparison=ran)
    discussed.refresh_from_db()
    assert discussed.in_last_run is False
    assert list(item.mappings.all()) == [discussed]
    assert not Mapping.objects.filter(pk=forgotten.pk).exists()


def test_a_document_read_whole_is_compared_and_a_part_never_is(personas, make_comparison):
    """A page with no structure is read as one provision of level "document": it is what is compared. A
    Part only arranges its sections: they are compared, it is not."""
    note = ingest_text(
        personas,
        "A data controller shall notify the Commissioner of a personal data breach within 72 hours.",
        personas.my,
        personas.analyst_my,
        "MY policy",
        filename="MY-policy.txt",
        kind="policy",
    )
    act = ingest_text(
        personas,
        "PART I\nPRELIMINARY\n\n1. Breach notice\nA data controller shall notify a personal data breach "
        "within 72 hours.\n\nPART II\nOFFENCES\n\n2. Penalty\nA person who contravenes this Act commits an "
        "offence.\n",
        personas.pk,
        personas.analyst_pk,
        "PK law",
        filename="PK-law.txt",
    )
    levels = set(act.current_version.provisions.values_list("level", flat=True))
    assert note.current_version.provisions.get().level == "document" and "part" in levels
    comparison = make_comparison(source=[note], target=[act])
    actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison)
    mapped = comparison.mappings.select_related("source_provision", "target_provision")
    assert {m.source_provision.level for m in mapped} == {"document"}
    assert "part" not in {m.target_provision.level for m in mapped}
    assert mapped.order_by("-confidence").first().target_provision.number == "1"


def test_a_run_keeps_the_engines_candidates_both_ways_and_a_rerun_replaces_them(personas, ran):
    """Each source provision keeps the targets the engine ranked for it (suggested or not) and each target
    its sources, best first, at most ``top_k`` of each: the next candidates a mapping's or a gap's page
    lists. A re-run replaces them rather than adding to them."""
    from concord.harmonize.models import Candidate

    sources = set(ran.mappings.values_list("source_provision_id", flat=True))
    stored = list(ran.candidates.order_by("side", "provision_id", "rank"))
    assert {c.side for c in stored} == {"source", "target"}
    by_provision: dict[tuple[str, int], list] = {}
    for c in stored:
        by_provision.setdefault((c.side, c.provision_id), []).append(c)
    assert all(1 <= len(ranked) <= ran.options["top_k"] for ranked in by_provision.values())
    assert all(
        [c.rank for c in ranked] == list(range(1, len(ranked) + 1)) for ranked in by_provision.values()
    )
    assert all(ranked[0].score >= ranked[-1].score for ranked in by_provision.values()), (
        "best first, by the engine's score"
    )
    # every suggested mapping is among its source's candidates, at the rank the mapping records
    for m in ran.mappings.all():
        assert (m.source_provision_id, m.target_provision_id, m.rank) in {
            (c.provision_id, c.other_id, c.rank) for c in by_provision[("source", m.source_provision_id)]
        }
    assert sources <= {pid for side, pid in by_provision if side == "source"}
    count = len(stored)
    actions.do_run_comparison(actor=personas.analyst_my, comparison=ran)
    assert Candidate.objects.filter(comparison=ran).count() == count
