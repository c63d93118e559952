"""Minutes as the secretariat keeps them every week (issue 14, item 3): the editor starts from what is
recorded, minutes are not adopted while the meeting runs, and every earlier version can be opened and
compared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from concord.minutes import actions as ma
from concord.secretariat import actions
from tests.secretariat.conftest import add_item, record_outcome

from .conftest import make_meeting, open_meeting


@pytest.fixture
def held(personas):
    """A meeting in progress with attendance, a decision and an action recorded."""
    meeting = open_meeting(personas, make_meeting(personas, title="Third senior officials meeting"))
    present = actions.do_add_participant(
        actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk
    )
    away = actions.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_my)
    actions.do_record_attendance(actor=personas.secretariat, participant=present, attended=True)
    actions.do_record_attendance(actor=personas.secretariat, participant=away, attended=False)
    item = add_item(personas, meeting, "Cross-border data flows")
    record_outcome(
        personas,
        item,
        "decision",
        "The joint working group is set up.",
        text_ms="Kumpulan kerja bersama ditubuhkan.",
    )
    record_outcome(
        personas,
        item,
        "action",
        "Circulate the draft terms of reference.",
        action_owner=personas.delegate_pk,
        action_due=dt.date(2026, 4, 30),
    )
    return meeting


def _editor(as_user, personas, meeting, language: str) -> str:
    """The minutes editor of ``meeting`` in ``language``, as the secretariat opens it."""
    url = reverse("secretariat:minutes_edit", args=[meeting.pk, language])
    return as_user(personas.secretariat).get(url).content.decode()


def test_the_editor_starts_from_the_recorded_outcomes_attendance_and_actions(personas, as_user, held):
    page = _editor(as_user, personas, held, "en")
    assert "Third senior officials meeting" in page
    assert "09:30 (Asia/Kuala_Lumpur)" in page
    assert "Present: Delegate Pk (PK)" in page and "Apologies: Delegate My (MY)" in page
    assert "Cross-border data flows" in page and "Agreed: The joint working group is set up." in page
    assert "Circulate the draft terms of reference." in page and "2026-04-30" in page
    assert "first draft" in page


def test_the_malay_draft_uses_the_malay_outcome_text(personas, as_user, held):
    page = _editor(as_user, personas, held, "ms")
    assert "Kumpulan kerja bersama ditubuhkan." in page


def test_saved_minutes_are_edited_as_saved_not_redrafted(personas, as_user, held):
    ma.do_save_minutes(actor=personas.secretariat, meeting=held, language="en", body="Our own words.")
    page = _editor(as_user, personas, held, "en")
    assert "Our own words." in page and "first draft" not in page


def test_minutes_cannot_be_adopted_while_the_meeting_is_in_progress(personas, as_user, held):
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=held, language="en", body="We met.")
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")
    with pytest.raises(ValidationError, match="only after the meeting is closed"):
        ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    minutes.refresh_from_db()
    assert minutes.state == "circulated" and not minutes.is_locked
    client = as_user(personas.secretariat)
    page = client.get(minutes.get_absolute_url()).content.decode()
    assert "only after the meeting is closed" in page and "In progress" in page
    assert 'value="adopted"' not in page  # no button that can only fail
    response = client.post(reverse("secretariat:minutes_transition", args=[minutes.pk]), {"to": "adopted"})
    assert response.status_code == 302
    assert "only after the meeting is closed" in client.get(minutes.get_absolute_url()).content.decode()
    minutes.refresh_from_db()
    assert minutes.state == "circulated"
    # Closed: now they can.
    actions.do_transition_meeting(actor=personas.secretariat, meeting=held, to="closed")
    ma.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    minutes.refresh_from_db()
    assert minutes.is_locked


def test_an_earlier_version_opens_and_is_compared_with_the_one_before(personas, as_user, held):
    minutes = ma.do_save_minutes(
        actor=personas.secretariat, meeting=held, language="en", body="The meeting agreed the plan."
    )
    ma.do_save_minutes(
        actor=personas.secretariat,
        meeting=held,
        language="en",
        body="The meeting unanimously agreed the plan.",
    )
    client = as_user(personas.delegate_pk)
    page = client.get(minutes.get_absolute_url()).content.decode()
    assert reverse("secretariat:minutes_version", args=[minutes.pk, 1]) in page
    v2 = client.get(reverse("secretariat:minutes_version", args=[minutes.pk, 2])).content.decode()
    assert "<ins> unanimously</ins>" in v2
    v1 = client.get(reverse("secretariat:minutes_version", args=[minutes.pk, 1])).content.decode()
    assert "The meeting agreed the plan." in v1 and "<ins>" not in v1  # the first has nothing before it
    against = client.get(reverse("secretariat:minutes_version", args=[minutes.pk, 1]), {"against": 2})
    assert "<del> unanimously</del>" in against.content.decode()
    assert client.get(reverse("secretariat:minutes_version", args=[minutes.pk, 9])).status_code == 404


def test_versions_are_seen_only_by_those_who_see_the_meeting(personas, as_user, held):
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=held, language="en", body="We met.")
    url = reverse("secretariat:minutes_version", args=[minutes.pk, 1])
    assert as_user(personas.outsider).get(url).status_code == 404


def test_the_minutes_read_as_a_document_with_their_headings_and_lists(personas, as_user, held):
    """The draft is written with Markdown headings and lists; the page shows them as such, under its own
    heading, and a line break stays a line break."""
    body = (
        "# Third meeting\n\nWhen: 10 March\nVenue: Kuala Lumpur\n\n"
        "## Attendance\n\n- Delegate Pk\n- Delegate My\n"
    )
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=held, language="en", body=body)
    page = as_user(personas.delegate_pk).get(minutes.get_absolute_url()).content.decode()
    assert "<h2>Third meeting</h2>" in page and "<h3>Attendance</h3>" in page
    assert "<li>Delegate Pk</li>" in page
    assert "When: 10 March<br />\nVenue: Kuala Lumpur" in page
    assert "## Attendance" not in page


def test_markup_and_scripts_in_the_minutes_are_shown_as_text(personas, as_user, held):
    body = '<script>alert("x")</script>\n\n[site](javascript:alert(1)) ![pixel](https://example.org/p.png)\n'
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=held, language="en", body=body)
    page = as_user(personas.delegate_pk).get(minutes.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page and "<img" not in page.split('class="card prose minutes-body"')[1]
