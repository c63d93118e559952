"""Forms keep what was typed and name the problem in words (issue 14, item 4)."""

from __future__ import annotations

from django.urls import reverse

from concord.secretariat.models import AgendaItem

from .conftest import make_meeting


def test_an_agenda_item_of_zero_minutes_is_refused_in_words_and_keeps_what_was_typed(personas, as_user):
    meeting = make_meeting(personas)
    client = as_user(personas.secretariat)
    response = client.post(
        reverse("secretariat:item_create", args=[meeting.pk]),
        {"title": "Digital trade chapter", "kind": "discussion", "duration_minutes": "0", "section": "Trade"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 1 minute" in page
    assert "duration_minutes:" not in page
    assert 'value="Digital trade chapter"' in page and 'value="Trade"' in page and 'value="0"' in page
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    # Corrected, it is added.
    response = client.post(
        reverse("secretariat:item_create", args=[meeting.pk]),
        {"title": "Digital trade chapter", "kind": "discussion", "duration_minutes": "30"},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting).duration_minutes == 30
