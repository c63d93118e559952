"""The audit log follows the visibility of what it records: every role × visibility × place it is read.

Places: the /audit/ page, its CSV export, /api/audit, /api/audit/{id}, the admin (list and entry), and the
dashboard's recent activity. Party-only entries reach only the secretariat staff seconded by that party:
never the other party, never the joint secretariat, never administrators.
"""

from __future__ import annotations

import csv
import io

import pytest

from concord.accounts import actions as account_actions
from concord.audit.models import AuditEntry
from concord.audit.scope import Scope, scope_of
from concord.commitments import actions as commitment_actions
from concord.core import actions as core_actions
from tests.conftest import PASSWORD
from tests.factories import new_member

pytestmark = pytest.mark.django_db

# What each visibility is called in the entries' titles, so each place can be searched for it.
TOKENS = {
    "public": "ZQPUBLICNOTE",
    "dialogue": "ZQDIALOGUENOTE",
    "party-my": "ZQMYONLYNOTE",
    "party-pk": "ZQPKONLYNOTE",
    "child-my": "ZQMYMILESTONE",  # a milestone: no visibility of its own, it has its commitment's
}

# Who reads which: readers of the log (with the admin) and everyone else (no access anywhere).
EXPECTED = {
    "secretariat": {"public", "dialogue"},  # the joint secretariat: not party-only content
    "secretariat_my": {"public", "dialogue", "party-my", "child-my"},  # seconded by Malaysia
    "secretariat_pk": {"public", "dialogue", "party-pk"},
    "admin": {"public"},  # an administrator who is no member of the dialogue
    "delegate_my": None,
    "delegate_pk": None,
    "analyst_my": None,
    "analyst_pk": None,
    "stakeholder": None,
    "observer": None,
    "outsider": None,
}


@pytest.fixture
def world(personas, settings):
    settings.CONCORD_REQUIRE_2FA = False
    for code, party in (("my", personas.my), ("pk", personas.pk)):
        personas.users[f"secretariat_{code}"] = new_member(
            personas, f"secretariat_{code}@test.example", f"Seconded {code}", "secretariat", party=party
        )
    personas.users["admin"] = account_actions.do_create_user(
        actor=None, email="admin@test.example", full_name="Admin", password=PASSWORD
    )
    personas.users["admin"].is_superuser = True
    personas.users["admin"].save()
    for user in personas.users.values():
        user.is_staff = True  # the admin column: staff status alone must not open the log
        user.save(update_fields=["is_staff"])

    d = personas.dialogue

    def note(author, kind, **kw):
        core_actions.do_create_note(actor=author, dialogue=d, title=TOKENS[kind], body="b", **kw)

    malaysia_only = {"visibility": "party", "party": personas.my}
    note(personas.delegate_my, "public", visibility="public")
    note(personas.delegate_pk, "dialogue")
    note(personas.delegate_my, "party-my", **malaysia_only)
    note(personas.delegate_pk, "party-pk", visibility="party", party=personas.pk)
    commitment = commitment_actions.do_create_commitment(
        actor=personas.secretariat_my, dialogue=d, code="MY-1", title="Internal", **malaysia_only
    )
    commitment_actions.do_add_milestone(
        actor=personas.secretariat_my, commitment=commitment, title=TOKENS["child-my"]
    )
    entries = {}
    for kind, token in TOKENS.items():
        entries[kind] = AuditEntry.objects.get(object_repr__contains=token)
    return personas, entries


def _seen_on_page(client, token, entry) -> bool | None:
    response = client.get("/audit/", {"q": token})
    if response.status_code == 403:
        return None
    assert response.status_code == 200
    return f'href="/audit/{entry.pk}/"' in response.content.decode()  # the token also fills the search box


def _seen_in_csv(client, token) -> bool | None:
    response = client.post("/audit/export/", {"q": token})
    if response.status_code == 403:
        return None
    job = client.get(response["Location"]).content.decode()
    download = next(part for part in job.split('"') if part.startswith("/audit/export/"))
    rows = list(csv.reader(io.StringIO(b"".join(client.get(download).streaming_content).decode())))
    return any(token in row[5] for row in rows[1:])


def _seen_in_api_list(client, token) -> bool | None:
    response = client.get("/api/audit", {"q": token})
    if response.status_code == 403:
        return None
    assert response.status_code == 200
    return any(token in item["object_repr"] for item in response.json()["items"])


def _seen_in_api_detail(client, entry) -> bool | None:
    response = client.get(f"/api/audit/{entry.pk}")
    if response.status_code == 403:
        return None
    assert response.status_code in (200, 404)
    return response.status_code == 200


def _seen_in_admin(client, token, entry) -> bool | None:
    listing = client.get("/admin/audit/auditentry/", {"q": token})
    if listing.status_code in (302, 403):  # to the admin's sign-in page, or refused
        assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code in (302, 403)
        return None
    assert listing.status_code == 200
    in_list = f"/admin/audit/auditentry/{entry.pk}/change/" in listing.content.decode()  # not the search box
    detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    # An entry the reader may not see is "not found" (the admin redirects to its index with a message).
    assert (detail.status_code == 200) == in_list, (token, detail.status_code)
    return in_list


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_reads_only_the_entries_it_may(world, client, role):
    personas, entries = world
    client.force_login(personas.users[role])
    expected = EXPECTED[role]
    for kind, token in TOKENS.items():
        want = None if expected is None else kind in expected
        entry = entries[kind]
        where = {
            "list page": _seen_on_page(client, token, entry),
            "csv": _seen_in_csv(client, token),
            "api list": _seen_in_api_list(client, token),
            "api detail": _seen_in_api_detail(client, entry),
        }
        if role == "admin":
            # An administrator is no secretariat member: the log's pages are closed, the admin is open.
            assert set(where.values()) == {None}, where
        else:
            assert where == dict.fromkeys(where, want), (role, kind, where)
        admin_want = want if role != "admin" else kind in expected
        assert _seen_in_admin(client, token, entry) == admin_want, (role, kind)


@pytest.mark.parametrize("role", ["secretariat", "secretariat_my", "secretariat_pk"])
def test_the_dashboard_shows_only_readable_activity(world, client, role):
    personas, entries = world
    client.force_login(personas.users[role])
    recent = list(client.get("/").context["recent_audit"])
    readable = set(AuditEntry.objects.visible_to(personas.users[role]).values_list("pk", flat=True))
    assert recent and {e.pk for e in recent} <= readable
    shown = {kind for kind, e in entries.items() if e.pk in {r.pk for r in recent}}
    assert shown == EXPECTED[role] & shown
    assert not ({"party-my", "party-pk", "child-my"} - EXPECTED[role]) & shown


def test_scope_is_the_narrowest_of_the_content_an_entry_touches(world):
    personas, entries = world
    milestone_entry = entries["child-my"]
    assert (milestone_entry.visibility, milestone_entry.party_id) == ("party", personas.my.pk)
    assert entries["dialogue"].visibility == "dialogue" and entries["public"].visibility == "public"
    # Two parties' private content at once is private to nobody.
    both = Scope("party", 1, personas.my.pk).narrowed(Scope("party", 1, personas.pk.pk))
    assert both == Scope("party", 1, None)
    assert not AuditEntry.objects.filter(visibility="party", party_id=None).visible_to(
        personas.secretariat_my
    )
    # People and organisations are not dialogue content: every reader of the log sees their entries.
    assert scope_of(personas.delegate_my) == Scope()
    membership = AuditEntry.objects.filter(action="membership.create").first()
    assert membership.visibility == ""
    for reader in ("secretariat", "secretariat_my", "admin"):
        assert AuditEntry.objects.visible_to(personas.users[reader]).filter(pk=membership.pk).exists()


def test_a_deactivated_reader_reads_nothing(world):
    personas, _entries = world
    user = personas.secretariat_my
    user.is_active = False
    user.save()
    user = type(user).objects.get(pk=user.pk)
    assert not AuditEntry.objects.visible_to(user).exists()
