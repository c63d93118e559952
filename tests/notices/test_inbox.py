"""The inbox: the unread count in the header, following a notice, marking read, paging, filtering by kind,
the API, and the rule that a notice is read by its recipient alone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from concord.notices import rules
from concord.notices.kinds import Kind
from concord.notices.models import Notice
from tests.matrix import ROLES

from .audit_scenarios import notice_for


def test_the_header_shows_the_unread_count_and_it_falls_when_a_notice_is_followed(personas, as_user):
    first, _second = (
        notice_for(personas.delegate_my, personas.dialogue),
        notice_for(personas.delegate_my, personas.dialogue),
    )
    client = as_user(personas.delegate_my)
    page = client.get(reverse("core:home")).content.decode()
    assert 'class="count"' in page and ">2</span>" in page
    response = client.get(reverse("notices:follow", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/secretariat/"
    page = client.get(reverse("notices:inbox")).content.decode()
    assert ">1</span>" in page
    client.post(reverse("notices:mark_all_read"))
    assert 'class="count"' not in client.get(reverse("notices:inbox")).content.decode()


def test_the_inbox_filters_by_kind_and_pages(personas, as_user):
    from concord.notices.actions import do_notify

    for i in range(30):
        notice_for(personas.delegate_my, personas.dialogue)
    do_notify(
        kind=Kind.MINUTES_ADOPTED,
        recipients=[personas.delegate_my],
        url="/secretariat/",
        params={"title": "Old meeting", "language": "en"},
        may_view=lambda u: True,
    )
    client = as_user(personas.delegate_my)
    page = client.get(reverse("notices:inbox"), {"kind": "minutes_adopted"}).content.decode()
    assert "Old meeting" in page and "Data flows" not in page
    page = client.get(reverse("notices:inbox"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in page


def test_the_inbox_page_does_not_grow_queries_with_notices(personas, as_user, django_assert_max_num_queries):
    for _ in range(25):
        notice_for(personas.delegate_my, personas.dialogue)
    client = as_user(personas.delegate_my)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notices:inbox")).status_code == 200


def test_nobody_opens_or_marks_another_persons_notice(personas, as_user):
    notice = notice_for(personas.delegate_my, personas.dialogue)
    client = as_user(personas.secretariat)
    assert client.get(reverse("notices:follow", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:mark_read", args=[notice.pk])).status_code == 404
    assert "Data flows" not in client.get(reverse("notices:inbox")).content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_inbox_asks_to_sign_in(client):
    assert client.get(reverse("notices:inbox")).status_code == 302


def test_the_api_lists_counts_and_marks_only_ones_own(personas, as_user):
    mine = notice_for(personas.delegate_my, personas.dialogue)
    theirs = notice_for(personas.delegate_pk, personas.dialogue)
    client = as_user(personas.delegate_my)
    body = client.get("/api/notices").json()
    assert [n["id"] for n in body["items"]] == [mine.pk]
    assert "Data flows" in body["items"][0]["text"] and body["items"][0]["url"] == "/secretariat/"
    assert client.get("/api/notices/unread").json() == {"unread": 1}
    assert client.post(f"/api/notices/{theirs.pk}/read").status_code == 404
    assert client.post(f"/api/notices/{mine.pk}/read").json()["read_at"]
    assert client.get("/api/notices/unread").json() == {"unread": 0}
    assert client.get("/api/notices", {"unread": "true"}).json()["count"] == 0


def test_the_preferences_form_on_the_settings_page_saves_choices(personas, as_user):
    from concord.notices.models import email_choices

    client = as_user(personas.delegate_my)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'name="email" value="invitation"' in page
    client.post(reverse("notices:preferences"), {"email": ["agenda_changed"]})
    chosen = email_choices(personas.delegate_my)
    assert chosen["agenda_changed"] is True and chosen["invitation"] is False


# --- the permission matrix ----------------------------------------------------------------------------------
# The notice belongs to the Malaysian delegate; EXPECTED[action] = roles allowed, written out by hand.
EXPECTED = {
    "use_inbox": set(ROLES) - {"anonymous"},
    "read": {"delegate_my"},
    "set_preferences_of_the_owner": {"delegate_my"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_rules_matrix(personas, role, action):
    user = AnonymousUser() if role == "anonymous" else personas.users[role]
    notice = Notice(recipient=personas.delegate_my, kind=Kind.INVITATION, url="/")
    allowed = {
        "use_inbox": lambda: rules.can_use_inbox(user),
        "read": lambda: rules.can_read(user, notice),
        "set_preferences_of_the_owner": lambda: rules.can_set_preferences(user, personas.delegate_my),
    }[action]()
    assert allowed == (role in EXPECTED[action])
