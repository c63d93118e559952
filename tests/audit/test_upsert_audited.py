"""`upsert_audited`: the one row a key names is created, then updated in place, and each write is recorded
on the object the entry names, in the same transaction as the write."""

from __future__ import annotations

import pytest
from django.db import transaction

from concord.audit.log import upsert_audited
from concord.audit.models import AuditEntry
from concord.core.models import WorkerHeartbeat


@pytest.mark.django_db
def test_creates_then_updates_the_one_row_and_records_each_write(personas):
    first = upsert_audited(
        WorkerHeartbeat,
        {"worker_id": "w-1"},
        {"hostname": "alpha", "pid": 10},
        actor=personas.secretariat,
        action="test.beat",
        after={"hostname": "alpha"},
    )
    second = upsert_audited(
        WorkerHeartbeat,
        {"worker_id": "w-1"},
        {"hostname": "beta", "pid": 11},
        actor=personas.secretariat,
        action="test.beat",
        after={"hostname": "beta"},
    )
    assert second.pk == first.pk
    assert WorkerHeartbeat.objects.filter(worker_id="w-1").count() == 1
    assert WorkerHeartbeat.objects.get(worker_id="w-1").hostname == "beta"
    entries = list(AuditEntry.objects.filter(action="test.beat").order_by("id"))
    assert [e.after for e in entries] == [{"hostname": "alpha"}, {"hostname": "beta"}]
    assert {e.object_id for e in entries} == {str(first.pk)}
    assert entries[0].actor_id == personas.secretariat.pk


@pytest.mark.django_db
def test_the_entry_names_its_subject_with_its_context(personas):
    upsert_audited(
        WorkerHeartbeat,
        {"worker_id": "w-2"},
        {"hostname": "gamma"},
        actor=personas.secretariat,
        action="test.beat.about",
        subject=personas.dialogue,
        party_code="MY",
        after={"hostname": "gamma"},
    )
    entry = AuditEntry.objects.get(action="test.beat.about")
    assert entry.object_type.endswith("dialogue")
    assert entry.object_id == str(personas.dialogue.pk)
    assert entry.party_code == "MY"


@pytest.mark.django_db
def test_a_write_rolled_back_takes_its_entry_with_it(personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        upsert_audited(
            WorkerHeartbeat,
            {"worker_id": "w-3"},
            {"hostname": "delta"},
            actor=personas.secretariat,
            action="test.beat.rolled",
            after={},
        )
        raise RuntimeError("the caller's transaction fails after the write")
    assert not WorkerHeartbeat.objects.filter(worker_id="w-3").exists()
    assert not AuditEntry.objects.filter(action="test.beat.rolled").exists()
