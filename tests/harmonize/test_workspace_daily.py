"""Issue 14, item 14: comparisons within one party, every theme offered, pickers, progress, the review
queue's excerpts, filters and bulk decisions, sign-offs in the history, and coverage through the tree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEntry
from concord.engine.coverage import tree_coverage
from concord.engine.types import Provision as EngineProvision
from concord.harmonize import actions
from concord.harmonize.models import Mapping, Review
from concord.harmonize.summary import build

from .conftest import MY_ACT
from .factories import compare, comparison_form

pytestmark = pytest.mark.django_db


def _ingest(personas, text, title, language="en"):
    from concord.library.actions import do_ingest_document

    return do_ingest_document(
        actor=personas.analyst_my,
        dialogue=personas.dialogue,
        upload=text.encode(),
        filename="act.md",
        title=title,
        kind="law",
        party=personas.my,
        visibility="dialogue",
        language=language,
        run="inline",
        embed="skip",
    ).document


def _accept_every_mapping(comparison, actor):
    """``actor`` accepts all the comparison's mappings in one bulk decision."""
    mapping_ids = list(comparison.mappings.values_list("pk", flat=True))
    return actions.do_review_mappings(
        actor=actor, comparison=comparison, mapping_ids=mapping_ids, decision="accept"
    )


@pytest.fixture
def versions_of_one_law(personas, library):
    """The Malaysian act and a second text of it (a later version), both documents of Malaysia."""
    my, _pk = library
    same_sections = MY_ACT.replace("(Malaysia, test text)", "(Malaysia, later text)")
    later = _ingest(personas, same_sections, "Personal Data Act 2030, later text")
    return my, later


def test_two_documents_of_one_party_can_be_compared(personas, versions_of_one_law, as_user):
    my, later = versions_of_one_law
    form = comparison_form("Two texts of one act", personas.my, [my], personas.my, [later])
    response = as_user(personas.analyst_my).post(reverse("harmonize:create"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    from concord.harmonize.models import Comparison

    comparison = Comparison.objects.get(title="Two texts of one act")
    assert comparison.one_party


def test_an_identical_text_is_fully_covered_once_its_mappings_are_accepted(personas, versions_of_one_law):
    my, later = versions_of_one_law
    options = {"top_k": 1, "threshold": 0.0}
    comparison = compare(personas, [my], [later], "Identical", target_party=personas.my, options=options)
    actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison, run="inline")
    comparison.refresh_from_db()
    assert comparison.status == "ready", comparison.error
    # Each section maps to its own copy: accept those, with the relationship the analyst sees (equal).
    for m in comparison.mappings.all():
        m.comparison = comparison
        same = m.source_key.split(":", 1)[1] == m.target_key.split(":", 1)[1]
        if same and m.relationship != "equal-to":
            actions.do_review_mapping(
                actor=personas.analyst_my, mapping=m, decision="retype", relationship="equal-to"
            )
        else:
            actions.do_review_mapping(
                actor=personas.analyst_my, mapping=m, decision="accept" if same else "reject"
            )
    total = build(comparison, personas.analyst_my).total
    assert total.source_coverage == pytest.approx(1.0)
    assert total.target_coverage == pytest.approx(1.0)
    assert total.index == pytest.approx(1.0)


def _p(key, parent=None):
    return EngineProvision(id=key, number="", heading="", text="", level="section", parent=parent)


def test_coverage_reaches_sub_provisions_and_their_parents():
    provisions = [_p("s1"), _p("s1.1", "s1"), _p("s1.1.a", "s1.1"), _p("s2"), _p("s2.1", "s2"), _p("s3")]
    cover = tree_coverage(provisions, {"s1": 1.0, "s2.1": 0.5})
    assert cover["s1.1"] == cover["s1.1.a"] == 1.0  # a mapped section covers what it holds
    assert cover["s2"] == 0.5  # a section is reached through its mapped subsection
    assert cover["s3"] == 0.0


def test_every_theme_of_the_taxonomy_is_offered_and_each_document_once(personas, library, as_user):
    my, pk = library
    body = as_user(personas.analyst_my).get(reverse("harmonize:create")).content.decode()
    assert "Personal data protection" in body
    for side in ("source", "target"):  # once per side, no duplicates
        assert body.count(f'name="{side}_documents" value="{my.pk}"') == 1
    assert "MY PDA · " in body and "English" in body  # named with its party and language


def test_the_queue_shows_provision_text_and_filters(personas, ran, as_user):
    client = as_user(personas.analyst_pk)
    url = reverse("harmonize:review", args=[ran.pk])
    body = client.get(url).content.decode()
    assert 'class="excerpt small"' in body
    assert "A data user shall not process personal data" in body or "data controller" in body
    first = ran.mappings.order_by("pk").first()
    only = client.get(url, {"relationship": first.relationship, "status": "all"})
    assert (
        only.context["page"].paginator.count == ran.mappings.filter(relationship=first.relationship).count()
    )
    high = client.get(url, {"confidence": "high", "status": "all"})
    assert all(m.confidence >= 0.7 for m in high.context["rows"])
    by_doc = client.get(url, {"document": str(first.source_document_id), "status": "all"})
    assert by_doc.context["page"].paginator.count == ran.mappings.count()
    themed = client.get(url, {"theme": "no-such-theme", "status": "all"})
    assert themed.context["page"].paginator.count == 0


def test_a_decision_leads_back_to_the_next_row(personas, ran, as_user):
    client = as_user(personas.analyst_pk)
    url = reverse("harmonize:review", args=[ran.pk])
    rows = client.get(url).context["rows"]
    assert len(rows) >= 2
    first, second = rows[0], rows[1]
    response = client.post(first.url + "review/", {"decision": "accept", "next": first.after})
    assert response.status_code == 302 and response["Location"].endswith(f"#m-{second.pk}")


def test_the_queue_script_decides_without_leaving_the_page(personas, ran, as_user):
    client = as_user(personas.analyst_pk)
    m = ran.mappings.order_by("pk").first()
    url = reverse("harmonize:mapping_review", args=[ran.pk, m.pk])
    response = client.post(url, {"decision": "reject"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200
    assert response.json()["review_status"] == "rejected"
    bad = client.post(url, {"decision": "nonsense"}, HTTP_X_REQUESTED_WITH="fetch")
    assert bad.status_code == 400 and bad.json()["error"]


def test_bulk_decisions_apply_to_the_filtered_set_and_are_audited_per_mapping(personas, ran, as_user):
    relationship = ran.mappings.order_by("pk").first().relationship
    chosen = set(ran.mappings.filter(relationship=relationship).values_list("pk", flat=True))
    client = as_user(personas.analyst_pk)
    response = client.post(
        reverse("harmonize:review_bulk", args=[ran.pk]),
        {"status": "pending", "relationship": relationship, "decision": "accept"},
    )
    assert response.status_code == 302
    accepted = set(ran.mappings.filter(review_status="accepted").values_list("pk", flat=True))
    assert accepted == chosen
    audited = AuditEntry.objects.filter(action="harmonize.mapping.accept")
    assert audited.count() == len(chosen)
    assert Review.objects.filter(mapping_id__in=chosen, kind="accept").count() == len(chosen)


def test_bulk_decisions_are_bounded_per_press_and_the_rest_follow(personas, ran, as_user, monkeypatch):
    """A huge queue is decided a bounded batch at a time: the page says more remain, the next press
    decides them, and the action refuses an oversized list outright."""
    total = ran.mappings.count()
    assert total >= 3
    monkeypatch.setattr(actions, "BULK_REVIEW_LIMIT", 2)
    client = as_user(personas.analyst_pk)
    url = reverse("harmonize:review_bulk", args=[ran.pk])
    response = client.post(url, {"status": "pending", "decision": "reject"}, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "2 mappings decided." in said and "press the same button again" in said
    assert ran.mappings.filter(review_status="rejected").count() == 2
    for _ in range(total):
        if not ran.mappings.exclude(review_status="rejected").exists():
            break
        client.post(url, {"decision": "reject"})
    assert not ran.mappings.exclude(review_status="rejected").exists()
    assert AuditEntry.objects.filter(action="harmonize.mapping.reject").count() == total
    with pytest.raises(ValidationError, match="At most 2 mappings"):
        _accept_every_mapping(ran, personas.analyst_pk)
    assert not ran.mappings.filter(review_status="accepted").exists()


def test_bulk_decisions_need_the_right_to_review(personas, ran):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _accept_every_mapping(ran, personas.observer)
    assert not ran.mappings.exclude(review_status="pending").exists()


def test_sign_offs_are_in_the_history_and_the_other_party_sees_what_waits(personas, ran, as_user):
    m = ran.mappings.order_by("pk").first()
    m.comparison = ran
    actions.do_review_mapping(actor=personas.analyst_my, mapping=m, decision="accept")
    actions.do_sign_off(actor=personas.analyst_my, mapping=m)
    pk_client = as_user(personas.analyst_pk)
    overview = pk_client.get(ran.get_absolute_url())
    assert overview.context["waiting"] == 1
    queue = pk_client.get(reverse("harmonize:review", args=[ran.pk]), {"status": "accepted", "waiting": "1"})
    assert [r.pk for r in queue.context["rows"]] == [m.pk]
    actions.do_sign_off(actor=personas.analyst_pk, mapping=m, decision="object", reason="Different scope.")
    body = pk_client.get(m.get_absolute_url()).content.decode()
    history = body[body.index('id="history-h"') :]
    assert "Signed off for MY" in history and "Objected for PK" in history and "Different scope." in history
    assert pk_client.get(ran.get_absolute_url()).context["waiting"] == 0


def test_the_overview_explains_its_figures_and_hides_the_model_id(personas, ran, as_user):
    type(ran).objects.filter(pk=ran.pk).update(model_id="intfloat/multilingual-e5-small:abc")
    body = as_user(personas.analyst_my).get(ran.get_absolute_url()).content.decode()
    assert "intfloat" not in body
    assert "How the index and coverage are computed" in body


def test_a_running_comparison_shows_time_left_and_no_run_button(
    personas, make_comparison, as_user, monkeypatch
):
    from concord.core.actions import do_start_job
    from concord.harmonize.models import Comparison

    comparison = make_comparison()
    job = do_start_job(actor=personas.analyst_my, kind="harmonize.run", label="Comparing", total=100)
    now = timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        status="running", done=25, started_at=now - timedelta(minutes=5)
    )
    Comparison.objects.filter(pk=comparison.pk).update(job=job, status="running")
    monkeypatch.setattr(timezone, "now", lambda: now)  # the clock stands still while the page is made
    body = as_user(personas.analyst_my).get(comparison.get_absolute_url()).content.decode()
    assert 'id="run-form"' not in body
    assert 'data-minutes-left="15"' in body


def test_a_waiting_job_knows_its_place_in_the_queue(personas):
    from concord.core.actions import do_start_job

    first = do_start_job(actor=None, kind="library.ingest", label="one", total=1)
    second = do_start_job(actor=None, kind="library.ingest", label="two", total=1)
    type(first).objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    second.refresh_from_db()
    assert second.queue_position == 2
    assert Mapping.objects.count() == 0  # nothing else was written
