"""A search-index rebuild holds no transaction while it embeds, so the site keeps signing in and writing;
token-authenticated reads never fail, nor wait long, because recording token use is skipped when busy.

These tests commit (other threads must see their rows); tests/conftest.py reloads the theme taxonomy
that their flush empties.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from django.db import connection, transaction

from concord.accounts import actions as account_actions
from concord.accounts.models import AccessToken
from concord.core.models import Job
from concord.knowledge import index
from concord.knowledge.models import SearchEntry
from concord.library.models import PolicyDocument
from tests.conftest import PASSWORD


class RecordingEncoder:
    """The test encoder, noting whether each call ran inside a transaction (and, optionally, waiting)."""

    def __init__(self, inner, entered: threading.Event | None = None, release: threading.Event | None = None):
        self.inner, self.entered, self.release = inner, entered, release
        self.model_id = inner.model_id
        self.calls: list[tuple[int, bool]] = []

    def encode(self, texts, *, kind="passage") -> np.ndarray:
        self.calls.append((len(texts), connection.in_atomic_block))
        if self.entered is not None:
            self.entered.set()
        if self.release is not None:
            assert self.release.wait(30), "the test never released the encoder"
        return self.inner.encode(texts, kind=kind)


def _documents(personas, n: int) -> list[PolicyDocument]:
    return [
        PolicyDocument.objects.create(
            dialogue=personas.dialogue, visibility="dialogue", kind="policy", title=f"Policy number {i}"
        )
        for i in range(n)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_embeds_outside_any_transaction_in_batches(personas, monkeypatch):
    docs = _documents(personas, 7)
    SearchEntry.objects.create(kind="document", object_id=10**9, title="gone", url="/", visibility="public")
    encoder = RecordingEncoder(index._encoder())
    monkeypatch.setattr(index, "_encoder", lambda: encoder)
    monkeypatch.setattr(index, "BATCH", 3)
    counts = index.rebuild(["document"])
    assert counts == {"document": 7}
    assert [n for n, _atomic in encoder.calls] == [3, 3, 1]
    assert not any(atomic for _n, atomic in encoder.calls)
    found = set(SearchEntry.objects.filter(kind="document").values_list("object_id", flat=True))
    assert found == {d.pk for d in docs}  # and the entry of a deleted object is gone


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_writes_succeed_while_a_rebuild_is_embedding(personas, client, settings, monkeypatch):
    settings.CONCORD_REQUIRE_2FA = False
    _documents(personas, 3)
    index.rebuild(["document"])  # entries exist, so the rebuild replaces rows as it would in real use
    entered, release = threading.Event(), threading.Event()
    encoder = RecordingEncoder(index._encoder(), entered, release)
    monkeypatch.setattr(index, "_encoder", lambda: encoder)
    failures: list[BaseException] = []

    def rebuild_in_background():
        try:
            index.rebuild(["document"])
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=rebuild_in_background)
    worker.start()
    try:
        assert entered.wait(30), "the rebuild never reached the encoder"
        response = client.post(
            "/accounts/login/", {"username": "analyst_my@test.example", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(personas.analyst_my.pk)
        token, _key = account_actions.do_create_token(actor=personas.analyst_my, name="during the rebuild")
        assert AccessToken.objects.filter(pk=token.pk).exists()
    finally:
        release.set()
        worker.join(60)
    assert not worker.is_alive() and failures == []
    assert SearchEntry.objects.filter(kind="document").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_token_read_succeeds_while_another_connection_holds_the_write_lock(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    token, key = account_actions.do_create_token(actor=personas.analyst_my, name="reader")
    job = Job.objects.create(kind="test.lock", label="holds the lock")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                # PostgreSQL: lock the token's row; SQLite: any write takes the database's one write lock.
                list(AccessToken.objects.select_for_update().filter(pk=token.pk))
                Job.objects.filter(pk=job.pk).update(label="busy")
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(30)
        response = client.get("/api/library/documents", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200
    finally:
        release.set()
        holder.join(60)
    # The use was not recorded (the database was busy), and the read did not pay for it.
    assert AccessToken.objects.get(pk=token.pk).last_used_at is None
    # Once the database is free, use is recorded again.
    assert client.get("/api/library/documents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert AccessToken.objects.get(pk=token.pk).last_used_at is not None
