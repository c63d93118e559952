"""The audit log is append-only in the database itself, on SQLite and on PostgreSQL (this file runs in
both passes of the suite), and entries outlive the accounts of the people who wrote them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from concord.accounts import actions as account_actions
from concord.accounts.models import User
from concord.audit import append_only
from concord.audit.models import AuditEntry
from concord.core import actions as core_actions
from concord.core.models import Note


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'forged' WHERE id = %s",
        "UPDATE audit_auditentry SET visibility = 'public', party_id = NULL WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s OR 1 = 1",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(personas, sql):
    entry = AuditEntry.objects.first()
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(sql, [entry.pk])
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.get(pk=entry.pk).action == entry.action


@pytest.mark.django_db
def test_both_triggers_are_installed_after_the_migrations():
    expected = {
        "sqlite": {"audit_entry_no_update", "audit_entry_no_delete"},
        "postgresql": {"audit_entry_no_update_delete"},
    }[connection.vendor]
    assert append_only.installed_triggers(connection) == expected


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_a_database_and_keeps_the_triggers(personas):
    """The test runner's flush between transactional tests; afterwards the log is append-only again."""
    assert AuditEntry.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists() and not User.objects.exists()
    user = account_actions.do_create_user(actor=None, email="a@test.example", full_name="A", password=None)
    entry = AuditEntry.objects.get(object_id=str(user.pk))
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


# --- deleting users ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deleted_user_leaves_their_entries_under_a_pseudonym(personas, as_user):
    author = personas.delegate_my
    author_pk, email = author.pk, author.email
    note = core_actions.do_create_note(actor=author, dialogue=personas.dialogue, title="Kept", body="b")
    written = AuditEntry.objects.filter(actor_id=author.pk)
    ids = set(written.values_list("pk", flat=True))
    assert ids and written.get(action="note.create").actor_display == author.email

    account_actions.do_delete_user(actor=personas.secretariat, user=author)

    assert not User.objects.filter(pk=author_pk).exists()
    kept = AuditEntry.objects.filter(pk__in=ids).select_related("actor")
    assert set(kept.values_list("pk", flat=True)) == ids  # nothing lost
    assert {e.actor_id for e in kept} == {author_pk}
    assert {e.actor_display for e in kept} == {f"#{author_pk}"}
    assert email not in {e.actor_label for e in kept}
    deletion = AuditEntry.objects.get(action="user.delete")
    assert deletion.actor_id == personas.secretariat.pk and deletion.object_repr == f"#{author_pk}"
    assert email not in str(deletion.before) + deletion.object_repr
    assert Note.objects.get(pk=note.pk).created_by is None  # the content stays, without its author

    client = as_user(personas.secretariat)
    page = client.get("/audit/", {"actor": f"#{author_pk}"}).content.decode()
    assert f"#{author_pk}" in page and email not in page
    api = client.get("/api/audit", {"actor": f"#{author_pk}"}).json()["items"]
    assert api and {item["actor"] for item in api} == {f"#{author_pk}"}
    assert client.get(f"/audit/{deletion.pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("secretariat", "delegate_my", True),
        ("secretariat", "outsider", True),  # no membership at all
        ("secretariat", "secretariat", False),  # not oneself
        ("delegate_my", "analyst_my", False),
        ("analyst_pk", "observer", False),
        ("observer", "stakeholder", False),
        ("outsider", "observer", False),
    ],
)
def test_who_may_delete_an_account(personas, actor, target, allowed):
    actor_user, target_user = personas.users[actor], personas.users[target]
    if allowed:
        account_actions.do_delete_user(actor=actor_user, user=target_user)
        assert not User.objects.filter(pk=target_user.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            account_actions.do_delete_user(actor=actor_user, user=target_user)
        assert User.objects.filter(pk=target_user.pk).exists()
        assert not AuditEntry.objects.filter(action="user.delete").exists()


@pytest.mark.django_db
def test_the_secretariat_may_not_delete_members_of_other_dialogues_nor_administrators(personas):
    other = account_actions.do_create_dialogue(actor=None, slug="other", name="Other", parties=[personas.my])
    member = personas.delegate_pk
    other_secretariat = account_actions.do_create_user(
        actor=None, email="other-secretariat@test.example", full_name="Other Secretariat", password=None
    )
    account_actions.do_add_membership(
        actor=personas.administrator, user=other_secretariat, dialogue=other, role="secretariat"
    )
    account_actions.do_add_membership(
        actor=other_secretariat, user=member, dialogue=other, role="delegate", party=personas.my
    )
    with pytest.raises(PermissionDenied):
        account_actions.do_delete_user(actor=personas.secretariat, user=member)
    admin = User.objects.create_superuser("root@test.example", "x" * 20, full_name="Root")
    with pytest.raises(PermissionDenied):
        account_actions.do_delete_user(actor=personas.secretariat, user=admin)
    account_actions.do_delete_user(actor=admin, user=member)  # an administrator may
    assert not User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_the_admin_deletes_users_through_the_action(personas, as_user):
    personas.secretariat.is_staff = True
    personas.secretariat.save()
    client = as_user(personas.secretariat)
    target = personas.observer
    response = client.post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=target.pk).exists()
    entry = AuditEntry.objects.get(action="user.delete")
    assert entry.via == "admin" and entry.object_repr == f"#{target.pk}"
