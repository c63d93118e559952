"""Meeting slots are offered in a stated zone and shown in it to both sides (issue 14, items 1 and 4)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from concord.directory import actions
from concord.directory.forms import SlotForm
from concord.directory.models import MeetingSlot

from .conftest import make_listing

NEXT_YEAR = timezone.now().year + 1


@pytest.mark.usefixtures("in_london")
def test_a_slot_typed_in_karachi_is_shown_at_0930_karachi_to_both_sides(
    eco, as_user, django_capture_on_commit_callbacks
):
    listing = make_listing(eco, "published")
    client = as_user(eco.stakeholder)
    client.post(
        reverse("directory:slot_create", args=[listing.pk]),
        {
            "time_zone": "Asia/Karachi",
            "starts_at": f"{NEXT_YEAR}-02-03T09:30",
            "minutes": "30",
            "place": "Online",
        },
    )
    slot = MeetingSlot.objects.get(listing=listing)
    assert slot.time_zone == "Asia/Karachi"
    assert slot.starts_at == dt.datetime(NEXT_YEAR, 2, 3, 9, 30, tzinfo=ZoneInfo("Asia/Karachi"))
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "09:30" in page and "(Asia/Karachi)" in page

    interest = actions.do_express_interest(
        actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="We would like to meet."
    )
    actions.do_decide_interest(actor=eco.stakeholder, interest=interest, accept=True)
    page = as_user(eco.stakeholder_pk).get(listing.get_absolute_url()).content.decode()
    assert "09:30 (Asia/Karachi)" in page  # the booking button
    with django_capture_on_commit_callbacks(execute=True):  # notices are e-mailed after commit
        actions.do_book_slot(actor=eco.stakeholder_pk, interest=interest, slot=slot)
    assert "09:30 (Asia/Karachi)" in mail.outbox[-1].body


def test_an_unknown_zone_is_refused_by_name(eco):
    form = SlotForm({"time_zone": "Mars/Olympus", "starts_at": f"{NEXT_YEAR}-02-03T09:30", "minutes": 30})
    assert not form.is_valid()
    assert "Mars/Olympus" in form.errors["time_zone"][0]
    listing = make_listing(eco, "published")
    with pytest.raises(Exception, match="Mars/Olympus"):
        actions.do_add_slot(
            actor=eco.stakeholder,
            listing=listing,
            starts_at=timezone.now() + dt.timedelta(days=3),
            time_zone="Mars/Olympus",
        )
    assert not MeetingSlot.objects.filter(listing=listing).exists()


def test_the_slot_field_hint_matches_its_picker():
    field = SlotForm()["starts_at"]
    html = str(field)
    assert 'type="datetime-local"' in html
    assert "YYYY-MM-DD" not in str(field.label) and "YYYY-MM-DD" not in str(field.help_text)
    # A value typed before an error comes back in the picker's own format.
    bound = SlotForm({"time_zone": "Asia/Karachi", "starts_at": f"{NEXT_YEAR}-02-03T09:30", "minutes": 2})
    assert not bound.is_valid()
    assert f'value="{NEXT_YEAR}-02-03T09:30"' in str(bound["starts_at"])


def test_the_api_takes_and_returns_the_zone(eco, as_user):
    listing = make_listing(eco, "published")
    client = as_user(eco.stakeholder)
    response = client.post(
        f"/api/directory/listings/{listing.pk}/slots",
        json.dumps({"starts_at": f"{NEXT_YEAR}-02-03T09:30:00+05:00", "time_zone": "Asia/Karachi"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["time_zone"] == "Asia/Karachi"
    response = client.post(
        f"/api/directory/listings/{listing.pk}/slots",
        json.dumps({"starts_at": f"{NEXT_YEAR}-02-03T11:30:00+05:00", "time_zone": "Mars/Olympus"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "Mars/Olympus" in response.content.decode()
