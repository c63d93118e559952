"""Pages: they render for every role, hide what a role may not see (404), and stay within a query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from concord.commitments import actions as ca
from concord.minutes import actions as ma
from concord.secretariat import actions

from .conftest import add_item, make_commitment, make_meeting, open_meeting, record_outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    wg = actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug="talent", name="Talent and skills"
    )
    actions.do_add_working_group_member(
        actor=personas.secretariat,
        working_group=wg,
        user=personas.delegate_my,
        position="co_chair",
        party=personas.my,
    )
    meeting = make_meeting(personas, working_group=wg, visibility="public")
    item = add_item(personas, meeting, "Exchanges", section="Talent")
    actions.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    open_meeting(personas, meeting)
    outcome = record_outcome(personas, item, "action", "Design the exchange.")
    actions.do_state_position(
        actor=personas.delegate_pk, outcome=outcome, party=personas.pk, stance="supports"
    )
    parent = make_commitment(
        personas,
        "T-1",
        working_group=wg,
        source_outcome=outcome,
        visibility="public",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    child = make_commitment(personas, "T-1.1", parent=parent, end_date=dt.date(2026, 2, 1))
    ca.do_add_dependency(actor=personas.secretariat, commitment=parent, depends_on=child)
    ca.do_add_milestone(
        actor=personas.secretariat, commitment=child, title="Kick-off", planned_date=dt.date(2026, 1, 15)
    )
    ca.do_submit_progress(actor=personas.delegate_my, commitment=child, text="Started", percent=20)
    minutes = ma.do_save_minutes(actor=personas.secretariat, meeting=meeting, language="en", body="We met.")
    secret = make_meeting(personas, title="MY-only caucus", visibility="party", party=personas.my)
    return {
        "wg": wg,
        "meeting": meeting,
        "parent": parent,
        "child": child,
        "minutes": minutes,
        "secret": secret,
    }


def _pages(world, slug="pk-my"):
    return [
        reverse("secretariat:overview", args=[slug]),
        reverse("secretariat:backlog", args=[slug]),
        reverse("secretariat:commitments", args=[slug]),
        reverse("secretariat:dashboard", args=[slug]),
        reverse("secretariat:working_group", args=[world["wg"].pk]),
        reverse("secretariat:meeting", args=[world["meeting"].pk]),
        reverse("secretariat:commitment", args=[world["parent"].pk]),
        reverse("secretariat:minutes", args=[world["minutes"].pk]),
        reverse("secretariat:dialogue_feed", args=[slug]),
    ]


@pytest.mark.parametrize(
    "role", ["secretariat", "delegate_my", "delegate_pk", "analyst_my", "observer", "outsider"]
)
def test_every_page_renders_for_every_role(personas, as_user, world, role):
    client = as_user(personas.users[role])
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_anonymous_visitors_see_public_meetings_only(personas, client, world):
    assert client.get(reverse("secretariat:meeting", args=[world["meeting"].pk])).status_code == 200
    assert client.get(reverse("secretariat:commitment", args=[world["child"].pk])).status_code == 404
    assert client.get(reverse("secretariat:minutes", args=[world["minutes"].pk])).status_code == 200


def test_party_only_meetings_do_not_exist_for_the_other_party(personas, as_user, world):
    url = reverse("secretariat:meeting", args=[world["secret"].pk])
    assert as_user(personas.delegate_pk).get(url).status_code == 404
    assert as_user(personas.secretariat).get(url).status_code == 404
    assert as_user(personas.analyst_my).get(url).status_code == 200
    overview = as_user(personas.observer).get(reverse("secretariat:overview", args=["pk-my"]))
    assert b"MY-only caucus" not in overview.content


def test_observers_see_only_public_commitments(personas, as_user, world):
    page = as_user(personas.observer).get(reverse("secretariat:commitments", args=["pk-my"]))
    assert b"T-1.1" not in page.content and b"T-1" in page.content


@pytest.mark.parametrize("name", ["commitments", "dashboard", "overview"])
def test_list_pages_do_not_grow_queries_with_rows(
    personas, as_user, world, django_assert_max_num_queries, name
):
    for i in range(15):
        make_commitment(personas, f"X-{i}", parent=world["parent"], end_date=dt.date(2026, 3, 1))
        make_meeting(personas, title=f"M{i}")
    client = as_user(personas.secretariat)
    with django_assert_max_num_queries(25):
        assert client.get(reverse(f"secretariat:{name}", args=["pk-my"])).status_code == 200
