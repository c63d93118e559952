"""Every write path records an audit entry: each `do_*` action, each unsafe API operation, and the admin.

New actions and API operations fail `test_every_action_has_a_scenario` / `test_every_unsafe_api_operation_
is_covered` until a scenario proves they are audited. Apps add scenarios in `tests/<app>/audit_scenarios.py`
as a dict ``ACTIONS = {"module.do_verb": callable(personas) -> expected action prefix}`` and
``API = {("METHOD", "/api/path/{param}"): callable(personas, client) -> expected action prefix}``, written
as rows of tests/audit/scenarios.py (``action(...)``, ``call(...)``) where a row can say it; the accounts and
notes scenarios below are such rows.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from functools import partial

import pytest
from django.urls import reverse

import tests
from concord.accounts import actions as aa
from concord.audit.models import AuditEntry, AuditLogIsAppendOnly
from concord.core import actions as ca
from concord.core.models import Note
from tests.audit.scenarios import action, call, persona, scenarios
from tests.factories import make_note


def _all_actions() -> set[str]:
    """Every do_* function in the actions modules of the installed Concord apps."""
    from django.apps import apps

    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("concord."):
            continue
        names = [f"{config.name}.actions"] + [
            m.name
            for m in pkgutil.walk_packages(config.module.__path__, f"{config.name}.")
            if m.name.endswith(".actions")
        ]
        for name in dict.fromkeys(names):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn_name.startswith("do_") and fn.__module__ == module.__name__:
                    found.add(f"{name.removeprefix('concord.')}.{fn_name}")
    return found


def _org(p):
    return aa.do_create_organization(actor=p.secretariat, name="Gone", country="PK", kind="company")


def _note(p):
    return make_note(p, visibility="dialogue")


def _invitation(p):
    return aa.do_invite(
        actor=p.secretariat, dialogue=p.dialogue, email="guest@test.example", role="observer"
    )[0]


def _token(p, owner: str = "secretariat"):
    return aa.do_create_token(actor=getattr(p, owner), name="t")[0]


def _job(p):
    return ca.do_start_job(actor=p.secretariat, kind="k", label="L")


PASSPHRASE = "another-long-passphrase"
observer = persona("observer")
dialogue = persona("dialogue")
by_observer = partial(action, actor="observer")

ACTIONS: dict[str, Callable] = scenarios(
    action(aa.do_create_user, "user.create", email="new@test.example", full_name="New", password=PASSPHRASE),
    action(
        aa.do_create_administrator,
        "user.make_administrator",
        actor="administrator",
        email="second-admin@test.example",
        full_name="Second",
        password=None,
    ),
    action(aa.do_delete_user, "user.delete", user=observer),
    by_observer(aa.do_set_language, "user.set_language", user=observer, language="ms"),
    by_observer(aa.do_change_password, "user.change_password", user=observer, password=PASSPHRASE),
    action(aa.do_reset_password, "user.reset_password", actor=None, user=observer, password=PASSPHRASE),
    action(aa.do_invite, "invitation.create", dialogue=dialogue, email="guest@test.example", role="observer"),
    action(aa.do_withdraw_invitation, "invitation.withdraw", invitation=_invitation),
    action(
        aa.do_accept_invitation,
        "invitation.accept",
        actor=None,
        invitation=_invitation,
        full_name="Guest",
        password=PASSPHRASE,
    ),
    action(aa.do_create_party, "party.create", code="SG", name="Singapore"),
    action(aa.do_create_dialogue, "dialogue.create", slug="other", name="Other", parties=lambda p: [p.my]),
    action(
        aa.do_add_membership,
        "membership.create",
        user=persona("outsider"),
        dialogue=dialogue,
        role="observer",
    ),
    action(aa.do_end_membership, "membership.end", membership=lambda p: p.observer.memberships.get()),
    action(aa.do_create_organization, "organization.create", name="Org", country="PK", kind="company"),
    action(aa.do_update_organization, "organization.update", org=persona("university"), name="Renamed"),
    action(aa.do_delete_organization, "organization.delete", org=_org),
    action(aa.do_create_token, "token.create", actor="analyst_pk", name="t"),
    action(aa.do_revoke_token, "token.revoke", actor="analyst_pk", token=partial(_token, owner="analyst_pk")),
    action(aa.do_record_login, "auth.login", actor=None, user=observer, success=True),
    action(aa.do_record_logout, "auth.logout", actor=None, user=observer),
    action(ca.do_create_note, "note.create", actor="delegate_pk", dialogue=dialogue, title="T", body="B"),
    action(ca.do_update_note, "note.update", actor="delegate_my", note=_note, title="T2"),
    action(ca.do_delete_note, "note.delete", actor="delegate_my", note=_note),
    action(ca.do_start_job, "job.start", kind="k", label="L"),
    action(ca.do_finish_job, "job.finish", actor=None, job=_job),
)

API: dict[tuple[str, str], Callable] = scenarios(
    call(
        "POST /api/organizations",
        "organization.create",
        body={"name": "X", "country": "MY", "kind": "company"},
    ),
    call(
        "PATCH /api/organizations/{org_id}",
        "organization.update",
        persona("university"),
        {"short_name": "TU"},
    ),
    call("DELETE /api/organizations/{org_id}", "organization.delete", _org),
    call("POST /api/tokens", "token.create", body={"name": "ci"}),
    call("DELETE /api/tokens/{token_id}", "token.revoke", _token),
    call("POST /api/notes", "note.create", body={"dialogue": "pk-my", "title": "T", "body": "B"}),
    call("PATCH /api/notes/{note_id}", "note.update", _note, {"title": "T2"}),
    call("DELETE /api/notes/{note_id}", "note.delete", _note),
)


def _extend_from_apps():
    for mod in pkgutil.iter_modules(tests.__path__):
        try:
            scenarios = importlib.import_module(f"tests.{mod.name}.audit_scenarios")
        except ModuleNotFoundError:
            continue
        ACTIONS.update(getattr(scenarios, "ACTIONS", {}))
        API.update(getattr(scenarios, "API", {}))


_extend_from_apps()


def test_every_action_has_a_scenario():
    missing = _all_actions() - set(ACTIONS)
    assert not missing, f"actions without an audit scenario: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_action_records_an_entry(personas, name):
    before = AuditEntry.objects.count()
    expected = ACTIONS[name](personas)
    new = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert any(e.action.startswith(expected) for e in new), f"{name} recorded {[e.action for e in new]}"


def _unsafe_operations() -> set[tuple[str, str]]:
    from concord.api.api import api

    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("post", "put", "patch", "delete")
    }


def test_every_unsafe_api_operation_is_covered():
    missing = _unsafe_operations() - set(API)
    assert not missing, f"API writes without an audit scenario: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(API))
def test_api_write_records_an_entry_with_ip_and_channel(personas, client, settings, key):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.secretariat)
    before = AuditEntry.objects.count()
    # A scenario may sign in as someone else (a stage's owner, say) and name them as a third element.
    response, expected, *actor = API[key](personas, client)
    assert response.status_code < 300, response.content
    entry = AuditEntry.objects.filter(action__startswith=expected).order_by("-id").first()
    assert entry is not None and AuditEntry.objects.count() > before
    assert entry.via == "api"
    assert entry.ip_address == "127.0.0.1"
    assert entry.actor == (actor[0] if actor else personas.secretariat)


@pytest.mark.django_db
def test_web_forms_record_entries(personas, as_user):
    client = as_user(personas.delegate_my)
    client.post(
        reverse("core:note_create", args=["pk-my"]),
        {"title": "Web", "kind": "briefing", "body": "B", "visibility": "dialogue", "party": personas.my.pk},
    )
    note = Note.objects.get(title="Web")
    client.post(
        reverse("core:note_edit", args=[note.pk]),
        {
            "title": "Web 2",
            "kind": "briefing",
            "body": "B",
            "visibility": "dialogue",
            "party": personas.my.pk,
        },
    )
    client.post(reverse("core:note_delete", args=[note.pk]))
    actions = list(
        AuditEntry.objects.filter(object_id=str(note.pk), object_type="core.note").values_list(
            "action", "via"
        )
    )
    assert actions == [("note.delete", "web"), ("note.update", "web"), ("note.create", "web")]


@pytest.mark.django_db
def test_admin_writes_record_entries(personas, as_user):
    client = as_user(personas.secretariat)
    response = client.post(
        f"/admin/accounts/organization/{personas.university.pk}/change/",
        {
            "name": "Renamed University",
            "short_name": "",
            "country": "MY",
            "kind": "university",
            "website": "",
            "description": "",
            "description_ms": "",
            "description_ur": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.change.accounts.organization")
    assert entry.before["name"] == "Test University" and entry.after["name"] == "Renamed University"
    assert entry.via == "admin"


@pytest.mark.django_db
def test_the_log_cannot_be_changed_or_deleted(personas):
    entry = AuditEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db
def test_the_database_refuses_updates_even_from_raw_sql(personas):
    from django.db import DatabaseError, connection, transaction

    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])


@pytest.mark.django_db
def test_no_page_or_api_offers_to_edit_the_log(personas, as_user):
    client = as_user(personas.secretariat)
    entry = AuditEntry.objects.first()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert client.delete(f"/api/audit/{entry.pk}").status_code == 405
    assert client.patch(f"/api/audit/{entry.pk}", "{}", content_type="application/json").status_code == 405


@pytest.mark.django_db
def test_only_the_secretariat_reads_the_log(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    for role in ("delegate_my", "analyst_pk", "observer", "stakeholder"):
        client.force_login(personas.users[role])
        assert client.get("/audit/").status_code == 403
        assert client.get("/api/audit").status_code == 403
    client.force_login(personas.secretariat)
    page = client.get("/audit/?action=membership")
    assert page.status_code == 200 and b"membership.create" in page.content


@pytest.mark.django_db
def test_export_runs_as_a_job_and_neutralises_formulas(personas, as_user):
    ca.do_create_note(
        actor=personas.delegate_pk, dialogue=personas.dialogue, title='=HYPERLINK("http://x")', body="B"
    )
    client = as_user(personas.secretariat)
    response = client.post("/audit/export/", {"action": "note"})
    job_url = response["Location"]
    job = client.get(job_url)
    assert b"Done" in job.content
    download = next(line for line in job.content.decode().split('"') if line.startswith("/audit/export/"))
    csv_text = b"".join(client.get(download).streaming_content).decode()
    assert "note.create" in csv_text and "membership.create" not in csv_text
    assert "'=HYPERLINK" in csv_text
