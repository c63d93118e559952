"""The worker's daily chores: listings expire, reminders and last month's digest go out, once each."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from concord import chores
from concord.directory.models import Listing, ListingStatus, Opportunity
from concord.knowledge.models import DigestLog, SearchEntry

from .conftest import make_listing

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 15)


def _setup(eco):
    listing = make_listing(eco, "published")
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(days=1))
    Opportunity.objects.create(
        pk=99,
        dialogue=eco.dialogue,
        kind="investment",
        title="October call",
        summary="s",
        visibility="public",
    )
    SearchEntry.objects.update_or_create(  # indexed on save; dated in October by hand
        kind="opportunity", object_id=99,
        defaults={"title": "October call", "url": "/x", "visibility": "public",
                  "date": dt.date(2026, 10, 3), "themes": " ai "},
    )  # fmt: skip
    return listing


def test_the_daily_chores_do_their_work_once(eco):
    listing = _setup(eco)
    mail.outbox.clear()
    first = chores.run_daily(TODAY)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.EXPIRED and first["expired"] == 1
    assert first["digests"] >= 1 and DigestLog.objects.filter(period="2026-10").count() == first["digests"]
    assert any("October call" in m.body for m in mail.outbox)
    sent = len(mail.outbox)
    again = chores.run_daily(TODAY)
    assert again == {"expired": 0, "reminders": 0, "digests": 0, "originals": 0}
    assert len(mail.outbox) == sent


def test_one_failing_chore_does_not_stop_the_others(eco, monkeypatch):
    _setup(eco)

    def broken(today):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(chores, "_reminders", broken)
    done = chores.run_daily(TODAY)
    assert done["reminders"] == "failed: mail server down"
    assert done["expired"] == 1 and done["digests"] >= 1


def test_the_worker_can_run_the_chores_once_and_exit(eco, capsys):
    from concord import cli

    _setup(eco)
    assert cli.main(["worker", "--chores-only"]) == 0
    assert "'expired': 1" in capsys.readouterr().out
