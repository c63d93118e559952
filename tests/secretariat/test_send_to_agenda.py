"""One thread through the dialogue: a contested mapping, a gap, a theme and a listing are sent to the agenda,
and each one's page then says where it was discussed, with the outcome and the commitments decided."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concord.audit.models import AuditEntry
from concord.harmonize.models import Gap, Mapping
from concord.library.models import Theme
from concord.secretariat import actions
from concord.secretariat.models import AgendaItem
from tests.directory.conftest import make_listing

from .conftest import (
    make_commitment,
    make_comparison,
    make_contested_mapping,
    make_meeting,
    open_meeting,
    record_outcome,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping(personas):
    return make_contested_mapping(
        make_comparison(personas), "s2", "PDA s. 2 Breach notification", "PDPA s. 2 Personal data breach"
    )


@pytest.fixture
def gap(personas):
    return Gap.objects.create(
        comparison=make_comparison(personas),
        side="target",
        key="2:s3",
        label="PDPA s. 3 Cross-border transfer",
    )


@pytest.fixture
def theme():
    return Theme.objects.create(
        slug="data-protection",
        label_en="Personal data protection",
        label_ms="Perlindungan data peribadi",
        label_ur="ذاتی ڈیٹا کا تحفظ",
    )


def _discussed(page: bytes) -> str:
    return page.decode().split('id="discussed"')[1].split("</section>")[0]


def test_a_contested_mapping_goes_to_a_meeting_and_its_page_shows_the_outcome_and_commitment_decided(
    personas, as_user, mapping
):
    meeting = make_meeting(personas, title="Data ministers' meeting")
    client = as_user(personas.secretariat)
    page = client.get(mapping.get_absolute_url())
    assert "s agenda yet." in _discussed(page.content)
    assert f'<option value="{meeting.pk}">' in page.content.decode()

    response = client.post(
        reverse("secretariat:to_agenda", args=["mapping", mapping.pk]), {"meeting": meeting.pk}
    )
    assert response.status_code == 302 and response["Location"].endswith("#discussed")
    item = meeting.agenda.get()
    assert list(item.mappings.all()) == [mapping]
    assert item.title == "Mapping: PDA s. 2 Breach notification → PDPA s. 2 Personal data breach"
    # The agenda item links to the mapping.
    assert f'href="{mapping.get_absolute_url()}"' in client.get(meeting.get_absolute_url()).content.decode()
    entry = AuditEntry.objects.filter(action="agenda_item.create").latest("id")
    assert entry.after["mappings"] == [mapping.pk]

    open_meeting(personas, meeting)
    outcome = record_outcome(personas, item, "decision", "Align the 72 hours.")
    make_commitment(personas, code="C-9", title="Align breach notification", source_outcome=outcome)
    discussed = _discussed(as_user(personas.analyst_pk).get(mapping.get_absolute_url()).content)
    assert "Data ministers" in discussed and "Align the 72 hours." in discussed
    assert "Align breach notification" in discussed


def test_a_gap_has_a_page_and_a_delegate_sends_it_to_the_backlog(personas, as_user, gap):
    meeting = make_meeting(personas)
    client = as_user(personas.delegate_pk)
    page = client.get(gap.get_absolute_url()).content.decode()
    assert "PDPA s. 3 Cross-border transfer" in page
    assert f'<option value="{meeting.pk}">' not in page  # only the secretariat fills a meeting's agenda
    client.post(reverse("secretariat:to_agenda", args=["gap", gap.pk]), {"meeting": ""})
    item = AgendaItem.objects.get(meeting=None)
    assert list(item.gaps.all()) == [gap] and item.visibility == "dialogue" and item.party is None


def test_a_theme_is_sent_from_its_page_in_the_dialogue(personas, as_user, theme):
    meeting = make_meeting(personas)
    client = as_user(personas.secretariat)
    url = reverse("secretariat:theme", args=[personas.dialogue.slug, theme.slug])
    assert "Personal data protection" in client.get(url).content.decode()
    response = client.post(
        reverse("secretariat:theme_to_agenda", args=[personas.dialogue.slug, theme.slug]),
        {"meeting": meeting.pk},
    )
    assert response["Location"] == url
    item = meeting.agenda.get()
    assert list(item.themes.all()) == [theme] and item.title == "Theme: Personal data protection"
    assert "Theme: Personal data protection" in _discussed(client.get(url).content)


def test_a_published_listing_goes_onto_a_meeting_and_shows_where_it_was_discussed(personas, as_user):
    listing = make_listing(personas, status="published")
    meeting = make_meeting(personas, title="Ecosystem round table")
    client = as_user(personas.secretariat)
    client.post(reverse("secretariat:to_agenda", args=["listing", listing.pk]), {"meeting": meeting.pk})
    assert list(meeting.agenda.get().listings.all()) == [listing]
    discussed = _discussed(as_user(personas.stakeholder).get(listing.get_absolute_url()).content)
    assert "Ecosystem round table" in discussed
    # The listing's own organisation sees where it was discussed, but may not fill the agenda.
    assert (
        'id="send-to-agenda"'
        not in as_user(personas.stakeholder).get(listing.get_absolute_url()).content.decode()
    )


def test_a_closed_meeting_is_refused_with_a_message_and_nothing_is_written(personas, as_user, mapping):
    meeting = make_meeting(personas, title="Past meeting")
    open_meeting(personas, meeting)
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    client = as_user(personas.secretariat)
    response = client.post(
        reverse("secretariat:to_agenda", args=["mapping", mapping.pk]), {"meeting": meeting.pk}, follow=True
    )
    assert "Choose a coming meeting" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_what_the_user_cannot_see_cannot_be_sent(personas, as_user):
    hidden = Mapping.objects.create(
        comparison=make_comparison(personas, visibility="party"),
        source_key="1:s1",
        target_key="2:s1",
        source_label="MY caucus only",
        target_label="PK s1",
        relationship="equivalent-to",
    )
    client = as_user(personas.delegate_pk)
    response = client.post(reverse("secretariat:to_agenda", args=["mapping", hidden.pk]), {"meeting": ""})
    assert response.status_code == 404
    assert client.post(reverse("secretariat:to_agenda", args=["note", 1]), {}).status_code == 404
    assert not AgendaItem.objects.exists()


def test_discussed_at_costs_the_same_queries_for_many_meetings(personas, as_user, mapping):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(personas.secretariat)
    counts = []
    for n in range(3):
        meeting = make_meeting(personas, title=f"Meeting {n}")
        item = actions.do_send_to_agenda(actor=personas.secretariat, obj=mapping, meeting=meeting)
        open_meeting(personas, meeting)
        record_outcome(personas, item, "information", "N", disposition="noted")
        make_commitment(personas, code=f"C-{n}", source_outcome=item.outcomes.get())
        client.get(mapping.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            page = client.get(mapping.get_absolute_url())
        counts.append(len(queries))
        assert _discussed(page.content).count("<li>") == n + 1
    assert counts[0] == counts[-1], counts
