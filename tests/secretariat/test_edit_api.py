"""The edit operations through the API: the same rules and messages as the pages."""

from __future__ import annotations

import json

import pytest

from concord.commitments import actions as ca
from concord.secretariat import actions

from .conftest import add_item, make_commitment, make_meeting

pytestmark = pytest.mark.django_db
J = "application/json"


def test_cancelling_through_the_api_names_a_missing_reason(personas, as_user):
    meeting = make_meeting(personas)
    client = as_user(personas.secretariat)
    blank = client.post(
        f"/api/secretariat/meetings/{meeting.pk}/cancel", json.dumps({"reason": " "}), content_type=J
    )
    assert blank.status_code == 400
    assert blank.json()["error"]["details"]["reason"] == ["Say why the meeting is cancelled."]
    transition = client.post(
        f"/api/secretariat/meetings/{meeting.pk}/transition", json.dumps({"to": "cancelled"}), content_type=J
    )
    assert transition.status_code == 400
    done = client.post(
        f"/api/secretariat/meetings/{meeting.pk}/cancel", json.dumps({"reason": "No quorum"}), content_type=J
    )
    assert done.json()["state"] == "cancelled" and done.json()["cancellation_reason"] == "No quorum"


def test_a_delegate_cannot_edit_the_agenda_through_the_api(personas, as_user):
    meeting = make_meeting(personas)
    item = add_item(personas, meeting, "A")
    client = as_user(personas.delegate_my)
    assert (
        client.patch(
            f"/api/secretariat/agenda-items/{item.pk}", json.dumps({"title": "B"}), content_type=J
        ).status_code
        == 403
    )
    assert client.delete(f"/api/secretariat/agenda-items/{item.pk}").status_code == 403
    item.refresh_from_db()
    assert item.title == "A"


def test_agenda_items_move_through_the_api(personas, as_user):
    meeting = make_meeting(personas)
    one, two = (add_item(personas, meeting, t) for t in ("One", "Two"))
    client = as_user(personas.secretariat)
    moved = client.post(
        f"/api/secretariat/agenda-items/{two.pk}/move", json.dumps({"direction": "up"}), content_type=J
    )
    assert moved.status_code == 200 and moved.json()["order"] == 10
    refused = client.post(
        f"/api/secretariat/agenda-items/{two.pk}/move", json.dumps({"direction": "up"}), content_type=J
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "“Two” is already first on the agenda."


def test_bulk_verification_through_the_api_names_each_refusal(personas, as_user):
    own = ca.do_submit_progress(
        actor=personas.delegate_pk, commitment=make_commitment(personas, "A"), text="t", percent=5
    )
    other = ca.do_submit_progress(
        actor=personas.delegate_my, commitment=make_commitment(personas, "B"), text="t", percent=6
    )
    response = as_user(personas.delegate_pk).post(
        "/api/secretariat/progress/verify",
        json.dumps({"updates": [own.pk, other.pk, 999999]}),
        content_type=J,
    )
    body = response.json()
    assert [u["id"] for u in body["verified"]] == [other.pk]
    reasons = {r["id"]: r["reason"] for r in body["refused"]}
    assert set(reasons) == {own.pk, 999999}
    assert "cannot verify its own progress update" in reasons[own.pk]
    assert reasons[999999] == "No such progress update, or you do not have access to it."


def test_milestone_owner_is_set_by_email_and_an_unknown_one_is_named(personas, as_user):
    milestone = ca.do_add_milestone(
        actor=personas.secretariat, commitment=make_commitment(personas), title="M"
    )
    client = as_user(personas.secretariat)
    ok = client.patch(
        f"/api/secretariat/milestones/{milestone.pk}",
        json.dumps({"owner": "analyst_pk@test.example"}),
        content_type=J,
    )
    assert ok.status_code == 200 and ok.json()["owner"] == "analyst_pk@test.example"
    assert ok.json()["actual_date"] is None
    bad = client.patch(
        f"/api/secretariat/milestones/{milestone.pk}",
        json.dumps({"owner": "nobody@test.example"}),
        content_type=J,
    )
    assert bad.status_code == 400 and "nobody@test.example" in bad.json()["error"]["details"]["owner"][0]


def test_working_group_members_are_managed_through_the_api(personas, as_user):
    group = actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug="g", name="G"
    )
    client = as_user(personas.secretariat)
    added = client.post(
        f"/api/secretariat/working-groups/{group.pk}/members",
        json.dumps({"email": "delegate_pk@test.example", "position": "focal_point", "party": "PK"}),
        content_type=J,
    ).json()
    assert (added["email"], added["position"], added["party"]) == (
        "delegate_pk@test.example",
        "focal_point",
        "PK",
    )
    listed = client.get(f"/api/secretariat/working-groups/{group.pk}/members").json()
    assert [m["id"] for m in listed] == [added["id"]]
    assert client.delete(f"/api/secretariat/working-group-members/{added['id']}").status_code == 204
    assert not group.members.exists()


def test_a_member_of_a_party_outside_the_dialogue_is_refused_in_the_readers_language(personas, as_user):
    group = actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug="g", name="G"
    )
    client = as_user(personas.secretariat)
    answers = {
        language: client.post(
            f"/api/secretariat/working-groups/{group.pk}/members",
            json.dumps({"email": "delegate_pk@test.example", "party": "sg"}),
            content_type=J,
            HTTP_ACCEPT_LANGUAGE=language,
        )
        for language in ("en", "ms")
    }
    assert {r.status_code for r in answers.values()} == {400}
    english = answers["en"].json()["error"]["details"]["party"][0]
    malay = answers["ms"].json()["error"]["details"]["party"][0]
    assert english == "“SG” does not take part in this dialogue."
    assert "SG" in malay and malay != english
    assert not group.members.exists()
