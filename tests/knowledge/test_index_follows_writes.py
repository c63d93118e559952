"""The search index follows every save and delete of every kind of content (issue 14, item 2).

Each kind is created through its action and then searched for by its exact title, as a user would, without
anyone pressing "Rebuild"; deleted, it is gone; and a name that matches nothing says so.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from concord.directory import actions as directory_actions
from concord.knowledge import search
from concord.knowledge.models import SearchEntry
from concord.secretariat import actions as secretariat_actions
from concord.talent import actions as talent_actions
from tests.factories import ingest_act, record_outcome
from tests.library.conftest import STATUTE
from tests.secretariat.conftest import make_commitment

NOTHING = "Nothing found."


def _titles(user, query: str, kind: str | None = None) -> list[str]:
    filters = search.Filters(kinds=[kind]) if kind else None
    return [h.title for h in search.search(user, query, filters).hits]


def _page(client, query: str) -> str:
    return client.get(reverse("knowledge:search"), {"q": query}).content.decode()


def _talent_opportunity(personas, title: str, kind: str, **kw):
    """A public talent opportunity in Malaysia, posted by Malaysia's delegate."""
    return talent_actions.do_create_opportunity(
        actor=personas.delegate_my,
        dialogue=personas.dialogue,
        title=title,
        kind=kind,
        host_country="MY",
        visibility="public",
        **kw,
    )


def _meeting(personas, title: str, **kw):
    """A senior officials' meeting the secretariat schedules."""
    return secretariat_actions.do_create_meeting(
        actor=personas.secretariat, dialogue=personas.dialogue, title=title, level="senior_officials", **kw
    )


def test_a_talent_opportunity_is_found_by_its_exact_title_and_gone_when_deleted(personas, as_user):
    opp = _talent_opportunity(
        personas, "Quokka cloud security fellowship", "fellowship", seats=2, status="published"
    )
    page = _page(as_user(personas.delegate_pk), "Quokka cloud security fellowship")
    assert "Quokka cloud security fellowship" in page and opp.get_absolute_url() in page
    opp.delete()
    assert _titles(personas.delegate_pk, "Quokka cloud security fellowship") == []


def test_a_draft_talent_opportunity_is_not_found_until_published(personas):
    opp = _talent_opportunity(personas, "Numbat data internship", "internship", seats=1, status="draft")
    assert _titles(personas.delegate_pk, "Numbat data internship") == []
    talent_actions.do_set_opportunity_status(actor=personas.delegate_my, opportunity=opp, status="published")
    assert _titles(personas.delegate_pk, "Numbat data internship") == ["Numbat data internship"]


def test_a_new_meeting_is_found_at_once_and_gone_when_deleted(personas):
    meeting = _meeting(
        personas,
        "Wombat senior officials meeting",
        starts_at=dt.datetime(2026, 3, 10, 0, 30, tzinfo=ZoneInfo("Asia/Karachi")),
        time_zone="Asia/Karachi",
    )
    [hit] = search.search(personas.delegate_pk, "Wombat senior officials meeting").hits
    assert hit.title == "Wombat senior officials meeting" and hit.url == meeting.get_absolute_url()
    assert hit.snippet  # never an empty snippet
    # The day at the venue (00:30 in Karachi is still the 9th in UTC).
    assert SearchEntry.objects.get(kind="meeting", object_id=meeting.pk).date == dt.date(2026, 3, 10)
    meeting.delete()
    assert _titles(personas.delegate_pk, "Wombat senior officials meeting") == []


def test_observers_do_not_find_dialogue_meetings_the_secretariat_hides_from_them(personas):
    _meeting(personas, "Dingo closed session")
    assert _titles(personas.delegate_my, "Dingo closed session") == ["Dingo closed session"]
    assert _titles(personas.observer, "Dingo closed session") == []


def test_a_new_commitment_is_found_at_once_and_gone_when_deleted(personas):
    commitment = make_commitment(personas, "C-9", title="Platypus cross-border data sandbox")
    assert _titles(personas.delegate_pk, "Platypus cross-border data sandbox") == [
        "C-9 — Platypus cross-border data sandbox"
    ]
    commitment.delete()
    assert _titles(personas.delegate_pk, "Platypus cross-border data sandbox") == []


def test_a_carried_over_item_is_found_once_with_a_snippet(personas):
    from tests.secretariat.conftest import make_meeting, open_meeting

    first = open_meeting(personas, make_meeting(personas, title="First round"))
    make_meeting(personas, title="Second round", previous=first, starts_at=None, ends_at=None)
    item = secretariat_actions.do_add_agenda_item(
        actor=personas.secretariat, dialogue=personas.dialogue, meeting=first, title="Echidna payment rails"
    )
    record_outcome(
        personas, item, "decision", "Deferred until the central banks report.", disposition="deferred"
    )
    secretariat_actions.do_transition_meeting(actor=personas.secretariat, meeting=first, to="closed")
    hits = search.search(personas.delegate_pk, "Echidna payment rails").hits
    assert [h.title for h in hits if h.kind == "agenda_item"] == ["Echidna payment rails"]
    [hit] = [h for h in hits if h.kind == "agenda_item"]
    assert "Second round" in hit.snippet and "central banks" in hit.snippet
    assert hit.object_id != item.pk  # the copy in the later meeting, which links back to the first


def test_directory_listings_and_opportunities_follow_their_actions(personas):
    from tests.directory.conftest import make_directory_opportunity, make_listing

    listing = make_listing(personas, "published", title="Kookaburra sensor testbed")
    assert _titles(personas.delegate_pk, "Kookaburra sensor testbed") == ["Kookaburra sensor testbed"]
    directory_actions.do_delete_listing(actor=personas.stakeholder, listing=listing)
    assert _titles(personas.delegate_pk, "Kookaburra sensor testbed") == []
    opp = make_directory_opportunity(
        personas, "Bilby research call", "research_call", summary="Joint research", send_alerts=False
    )
    assert _titles(personas.delegate_pk, "Bilby research call") == ["Bilby research call"]
    directory_actions.do_delete_opportunity(actor=personas.secretariat, opportunity=opp)
    assert _titles(personas.delegate_pk, "Bilby research call") == []


def test_profiles_and_renamed_organisations_reach_the_index_without_waiting_for_the_encoder(
    personas, monkeypatch
):
    """A directory write does not run the encoder in the request (the vector follows in the background),
    and the entries that repeat what changed, the organisation's own and its listings', follow it."""
    from concord.knowledge import index
    from tests.directory.conftest import make_listing

    calls = []
    real_embed = index._embed
    monkeypatch.setattr(index, "_embed", lambda entries: calls.append(len(entries)) or real_embed(entries))
    listing = make_listing(personas, "published", title="Wombat mesh pilot")
    org = listing.organization
    directory_actions.do_save_profile(
        actor=personas.stakeholder, organization=org, capabilities=["Platypus telemetry"]
    )
    assert calls == []
    [hit] = [
        h for h in search.search(personas.delegate_pk, "Platypus telemetry").hits if h.kind == "organization"
    ]
    assert hit.object_id == org.pk
    org.name = "Dingo Digital Works"
    org.save()
    listing_hits = search.search(personas.delegate_pk, "Dingo Digital Works").hits
    assert listing.pk in {h.object_id for h in listing_hits if h.kind == "listing"}


def test_an_uploaded_document_and_its_provisions_are_found_without_a_rebuild(personas):
    title = "Cassowary Data Protection Act 2030"
    ingest_act(personas, STATUTE.encode(), title=title, party=personas.my, run="inline", embed="none")
    assert "Cassowary Data Protection Act 2030" in _titles(
        personas.delegate_pk, "Cassowary Data Protection Act"
    )
    provisions = _titles(personas.delegate_pk, "identified person", kind="provision")
    assert provisions and all("Cassowary" in t or "Data Protection Act" in t for t in provisions)
    # Their vectors were computed by the index's own task (immediate in tests): nothing is left without.
    assert not SearchEntry.objects.filter(embedding=None).exists()


def test_entries_written_in_a_transaction_that_fails_are_gone_with_it(personas):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_commitment(personas, "C-X", title="Rolled back")
        raise RuntimeError
    assert not SearchEntry.objects.filter(title__contains="Rolled back").exists()


@pytest.mark.django_db(transaction=True)
def test_vectors_are_added_after_the_commit(personas):
    from django.db import transaction

    with transaction.atomic():
        make_commitment(personas, "C-V", title="Vector later")
        # Found by its words at once; the model has not run inside the request's transaction.
        assert SearchEntry.objects.get(kind="commitment").embedding is None
    assert SearchEntry.objects.get(kind="commitment").embedding is not None  # the task ran after the commit


def test_a_name_that_matches_nothing_says_nothing_found(personas, as_user):
    from concord.accounts.models import Organization

    for i in range(30):
        Organization.objects.create(
            name=f"Filler company {i}",
            country="MY",
            kind="company",
            description=f"Sells office furniture number {i}.",
        )
    Organization.objects.create(
        name="Breach Desk",
        country="MY",
        kind="company",
        description="Notification of a personal data breach to the authority.",
    )
    page = _page(as_user(personas.delegate_pk), "Zubair Qwertyani")
    assert NOTHING in page
    assert "Filler company" not in page and "Breach Desk" not in page


def test_a_national_programme_is_found_by_title_and_by_its_lessons_within_its_visibility(personas):
    from concord.programmes import actions as programme_actions
    from tests.programmes.conftest import add_lesson, make_programme

    programme = make_programme(personas, party="my", visibility="party", title="Quokka national data centre")
    assert _titles(personas.delegate_my, "Quokka national data centre", "programme") == [
        "Quokka national data centre"
    ]
    assert _titles(personas.delegate_pk, "Quokka national data centre", "programme") == [], "MY's own"
    worked = "Blended wombatfinance from the development bank"
    add_lesson(personas, programme, "Funding", date=dt.date(2025, 3, 1), what_worked=worked)
    assert _titles(personas.delegate_my, "wombatfinance", "programme") == ["Quokka national data centre"]
    programme_actions.do_update_programme(
        actor=personas.analyst_my, programme=programme, visibility="dialogue"
    )
    assert _titles(personas.delegate_pk, "wombatfinance", "programme") == ["Quokka national data centre"]
    programme_actions.do_delete_programme(actor=personas.delegate_my, programme=programme)
    assert _titles(personas.delegate_my, "wombatfinance", "programme") == []
