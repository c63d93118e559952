"""The workspace pages: create, run, overview, side by side, review queue, sign-off, exports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concord.harmonize.models import Comparison, Mapping, ReviewStatus

from .factories import comparison_form, read_new_version_of_the_malaysian_act

pytestmark = pytest.mark.django_db


def test_an_analyst_creates_and_runs_a_comparison_through_the_pages(personas, library, as_user):
    my, pk = library
    client = as_user(personas.analyst_my)
    page = client.get(reverse("harmonize:create"))
    assert page.status_code == 200
    form = comparison_form("Data protection", personas.my, [my], personas.pk, [pk])
    response = client.post(reverse("harmonize:create"), form)
    comparison = Comparison.objects.get(title="Data protection")
    assert response.status_code == 302
    comparison.options = {"top_k": 2, "threshold": 0.05}
    comparison.save()
    client.post(reverse("harmonize:run", args=[comparison.pk]))
    comparison.refresh_from_db()
    assert comparison.status == "ready", comparison.error
    assert comparison.mappings.exists()
    overview = client.get(comparison.get_absolute_url())
    assert overview.status_code == 200
    body = overview.content.decode()
    assert "<svg" in body and "Coverage by theme" in body
    assert "Harmonization index" in body


def test_the_overview_lists_diverging_parameters_and_gaps(personas, ran, as_user):
    client = as_user(personas.analyst_pk)
    body = client.get(ran.get_absolute_url()).content.decode()
    assert "Diverging parameters" in body
    assert "no counterpart" in body


def test_side_by_side_highlights_cited_sentences_and_escapes_text(personas, ran, as_user):
    mapping = ran.mappings.exclude(cited_source=[]).first()
    response = as_user(personas.analyst_pk).get(mapping.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>" in body
    assert "Read it in the full document" in body
    assert f"#p-{mapping.source_provision.key}" in body


@pytest.mark.parametrize("language", ["en", "ms", "ur"])
def test_pages_render_in_every_language(personas, ran, as_user, language):
    client = as_user(personas.analyst_my)
    client.cookies["django_language"] = language
    mapping = ran.mappings.first()
    for url in (
        ran.get_absolute_url(),
        reverse("harmonize:review", args=[ran.pk]),
        mapping.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200
        if language == "ur":
            assert 'dir="rtl"' in response.content.decode()


def test_the_review_queue_orders_by_uncertainty_and_loads_the_shortcuts(personas, ran, as_user):
    response = as_user(personas.analyst_my).get(reverse("harmonize:review", args=[ran.pk]))
    rows = list(response.context["rows"])
    assert [m.certainty for m in rows] == sorted(m.certainty for m in rows)
    assert "harmonize-review.js" in response.content.decode()


def test_review_decisions_through_the_page(personas, ran, as_user):
    client = as_user(personas.analyst_my)
    first, second, third = list(ran.mappings.order_by("id"))[:3]
    url = lambda m: reverse("harmonize:mapping_review", args=[ran.pk, m.pk])  # noqa: E731
    client.post(url(first), {"decision": "accept"})
    client.post(
        url(second), {"decision": "retype", "relationship": "contrary-to", "comment": "They conflict."}
    )
    client.post(url(third), {"decision": "reject"})
    states = dict(
        Mapping.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "review_status")
    )
    assert states == {first.pk: "accepted", second.pk: "accepted", third.pk: "rejected"}
    assert Mapping.objects.get(pk=second.pk).relationship == "contrary-to"
    # the page says which state is the review's and which the parties' agreement
    page = client.get(reverse("harmonize:mapping", args=[ran.pk, first.pk])).content.decode()
    assert '<span class="badge ok">Review: Accepted</span>' in page
    assert '<span class="badge warn">Agreement: Proposed</span>' in page


def test_both_parties_sign_off_through_the_pages(personas, ran, as_user, client):
    mapping = ran.mappings.first()
    url = reverse("harmonize:mapping_signoff", args=[ran.pk, mapping.pk])
    as_user(personas.analyst_my).post(url, {"decision": "approve"})
    as_user(personas.delegate_pk).post(url, {"decision": "approve"})
    mapping.refresh_from_db()
    assert mapping.agreement == "agreed"


def test_theme_bulk_sign_off_from_the_overview(personas, ran, as_user):
    as_user(personas.analyst_my).post(
        reverse("harmonize:theme_signoff", args=[ran.pk]), {"decision": "approve", "theme": ""}
    )
    as_user(personas.analyst_pk).post(
        reverse("harmonize:theme_signoff", args=[ran.pk]), {"decision": "approve", "theme": ""}
    )
    assert set(ran.mappings.values_list("agreement", flat=True)) == {"agreed"}


def test_adding_a_mapping_by_hand(personas, ran, library, as_user):
    my, pk = library
    source = my.current_version.provisions.get(number="5")
    target = pk.current_version.provisions.get(number="3")
    client = as_user(personas.analyst_pk)
    assert client.get(reverse("harmonize:mapping_add", args=[ran.pk])).status_code == 200
    response = client.post(
        reverse("harmonize:mapping_add", args=[ran.pk]),
        {
            "source_provision": source.pk,
            "target_provision": target.pk,
            "relationship": "intersects-with",
            "rationale": "functional",
            "comment": "Both regulate who may process data.",
        },
    )
    assert response.status_code == 302
    added = ran.mappings.get(source_provision=source, target_provision=target)
    assert (added.provenance, added.review_status) == ("human", ReviewStatus.ACCEPTED)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "oscal", "pdf"])
def test_every_export_downloads(personas, ran, as_user, fmt):
    response = as_user(personas.observer).get(reverse("harmonize:export", args=[ran.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert len(response.content) > 100


def test_the_progress_panel_polls_until_the_run_finishes(personas, make_comparison, as_user):
    from concord.core.actions import do_start_job
    from concord.harmonize.models import Comparison

    comparison = make_comparison()
    job = do_start_job(actor=personas.analyst_my, kind="harmonize.run", label="Comparing", total=100)
    Comparison.objects.filter(pk=comparison.pk).update(job=job, status="running")
    client = as_user(personas.analyst_pk)  # not the job's owner: the panel is the comparison's
    url = reverse("harmonize:progress", args=[comparison.pk])
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    assert 'hx-get="' in client.get(comparison.get_absolute_url()).content.decode()
    job.status = "succeeded"
    job.save()
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.content.decode()


# --- drift: flagged when the new version is read; the pages only read -------------------------------------
WRITE_SQL = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _read_new_version_of_the_malaysian_act(personas, library):
    my, _pk = library
    read_new_version_of_the_malaysian_act(personas, my)


def test_a_new_version_shows_as_changed_mappings_on_the_pages(personas, ran, library, as_user):
    _read_new_version_of_the_malaysian_act(personas, library)
    client = as_user(personas.analyst_pk)
    assert "changed since review" in client.get(reverse("harmonize:overview", args=[ran.pk])).content.decode()
    rows = list(client.get(reverse("harmonize:review", args=[ran.pk])).context["rows"])
    assert rows[0].drift is not None and rows[0].drift["op"] == "changed"
    assert all(m.drift is None for m in rows[1:])


def test_the_overview_and_the_review_queue_write_nothing(personas, ran, library, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    compared = dict(ran.versions)
    _read_new_version_of_the_malaysian_act(personas, library)
    # Even a comparison that has not caught up with its documents' versions is only read by its pages.
    Comparison.objects.filter(pk=ran.pk).update(versions=compared)
    client = as_user(personas.analyst_my)
    for url in (
        reverse("harmonize:overview", args=[ran.pk]),
        reverse("harmonize:review", args=[ran.pk]),
        reverse("harmonize:review", args=[ran.pk]) + "?status=accepted",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = [q["sql"].lstrip() for q in queries.captured_queries]
        writes = [s for s in sql if s.upper().startswith(WRITE_SQL)]
        assert writes == [], url
    assert Comparison.objects.get(pk=ran.pk).versions == compared


def test_a_runner_up_mapping_says_why_its_values_are_not_compared(personas, ran, as_user):
    mapping = ran.mappings.first()
    client = as_user(personas.analyst_my)
    url = reverse("harmonize:mapping", args=[ran.pk, mapping.pk])
    compared = {"source": [], "target": [], "divergences": [], "diverging": False}
    mapping.parameters = {**compared, "counterparts": False}
    mapping.save(update_fields=["parameters"])
    assert "Not compared: each of these provisions has a closer match" in client.get(url).content.decode()
    mapping.parameters = compared
    mapping.save(update_fields=["parameters"])
    assert "Not compared" not in client.get(url).content.decode()
