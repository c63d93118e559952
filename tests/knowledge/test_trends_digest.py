"""Trends (themes over time, rising topics, the SVG chart) and the monthly digest, permission-safe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from concord.engine import trends as engine
from concord.knowledge import actions, trends
from concord.knowledge.models import DigestLog, SearchEntry


def test_series_and_rising_topics_by_hand():
    months = engine.month_range("2026-01", "2026-06")
    assert months == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    counts = {("ai", "2026-05"): 2, ("ai", "2026-06"): 1, ("iot", "2026-01"): 5, ("iot", "2026-06"): 1}
    table = engine.build_table(counts, months)
    assert [s.theme for s in table.series] == ["iot", "ai"]
    assert table.series[1].counts == (0, 0, 0, 0, 2, 1)
    rising = engine.rising(table)
    assert [(r.theme, r.recent, r.before, r.ratio) for r in rising] == [("ai", 3, 0, 4.0)]
    lines, top = engine.chart_lines(table, ["ai"], width=100, height=100, pad=10)
    assert top == 2 and lines[0].points.split()[4] == "74.0,10.0"


def test_month_range_crosses_years():
    assert engine.month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert engine.month_range("2026-02", "2026-01") == []


def _entry(
    visibility, month, theme, party_id=None, dialogue_id=None, kind="opportunity", object_id=1, on=None
):
    return SearchEntry.objects.create(
        kind=kind,
        object_id=object_id,
        title="t",
        url="/",
        visibility=visibility,
        party_id=party_id,
        dialogue_id=dialogue_id,
        themes=f" {theme} ",
        date=on or dt.date(2026, month, 15),
    )


@pytest.mark.django_db
def test_trends_count_only_what_the_caller_may_see(personas):
    _entry("public", 10, "ai", object_id=1)
    _entry(
        "party", 10, "cybersecurity", party_id=personas.pk.pk, dialogue_id=personas.dialogue.pk, object_id=2
    )
    today = dt.date(2026, 11, 20)
    public, _m = trends.counts(AnonymousUser(), today=today)
    assert dict(public) == {("ai", "2026-10"): 1}
    delegate, _m = trends.counts(personas.delegate_pk, today=today)
    assert delegate[("cybersecurity", "2026-10")] == 1
    assert ("cybersecurity", "2026-10") not in trends.counts(personas.delegate_my, today=today)[0]


@pytest.mark.django_db
def test_the_trends_page_draws_an_svg_chart(personas, client):
    from django.utils import timezone

    today = timezone.localdate()  # this month, and never a day after today (the page counts to today)
    for i in range(3):
        _entry("public", today.month, "ai", object_id=10 + i, on=today.replace(day=1))
    page = client.get("/search/trends/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b"<polyline" in page.content
    assert b"style=" not in page.content.split(b"<main")[1]  # CSP: no inline styles
    api = client.get("/api/trends", {"months": 6}).json()
    assert api["rising"][0]["theme"] == "ai" and len(api["months"]) == 6
    assert client.get("/api/trends", {"months": 0}).status_code == 422


@pytest.mark.django_db
def test_the_digest_is_sent_once_and_holds_only_visible_items(personas):
    from concord.directory.models import Opportunity

    for pk, title, vis, party in (
        (1, "Public call", "public", None),
        (2, "Secret call", "party", personas.pk),
    ):
        Opportunity.objects.create(
            pk=pk,
            dialogue=personas.dialogue,
            kind="investment",
            title=title,
            summary="s",
            visibility=vis,
            party=party,
        )
    # Entries dated in October by hand (saving the opportunities indexed them under today's date).
    SearchEntry.objects.filter(kind="opportunity").delete()

    def october_entry(object_id: int, title: str, day: int, **kw):
        return SearchEntry.objects.create(
            kind="opportunity", object_id=object_id, title=title, date=dt.date(2026, 10, day), **kw
        )

    october_entry(1, "Public call", 3, url="/x", visibility="public", themes=" ai ")
    pakistan_only = {"visibility": "party", "party_id": personas.pk.pk, "dialogue_id": personas.dialogue.pk}
    october_entry(2, "Secret call", 4, url="/y", **pakistan_only)
    mail.outbox.clear()
    log = actions.do_send_digest(actor=None, user=personas.delegate_my, period="2026-10")
    assert log is not None and log.items == 1
    assert "Public call" in mail.outbox[0].body and "Secret call" not in mail.outbox[0].body
    assert actions.do_send_digest(actor=None, user=personas.delegate_my, period="2026-10") is None
    assert DigestLog.objects.count() == 1
    actions.do_send_digest(actor=None, user=personas.delegate_pk, period="2026-10")
    assert "Secret call" in mail.outbox[-1].body
    with pytest.raises(Exception):  # noqa: B017 - ValidationError naming the period
        actions.do_send_digest(actor=None, user=personas.delegate_pk, period="October")


@pytest.mark.django_db
def test_the_digest_task_reaches_every_member(personas):
    from concord.directory.models import Opportunity
    from concord.knowledge import index, tasks

    opp = Opportunity.objects.create(
        dialogue=personas.dialogue, kind="investment", title="Public call", summary="s", visibility="public"
    )
    index.refresh(opp)
    SearchEntry.objects.update(date=dt.date(2026, 10, 3))
    job = tasks.start_digests(actor=None, period="2026-10")
    job.refresh_from_db()
    assert job.result == {"sent": 7, "users": 7}


# --- what is new in a month: by when it came into Concord, in the site's time zone (issue 14, item 11) ---


def _at(y, m, d, hour=12):
    from zoneinfo import ZoneInfo

    return dt.datetime(y, m, d, hour, tzinfo=ZoneInfo("Asia/Kuala_Lumpur"))


def _freeze(monkeypatch, when: dt.datetime):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: when)


@pytest.mark.django_db
def test_a_month_of_activity_fills_the_digest_whatever_the_contents_own_date(personas, monkeypatch, settings):
    """A law added in November is dated by its year, an organisation has no date, a commitment falls due next
    year: each is still new in November, and shows in November's digest."""
    settings.TIME_ZONE = "Asia/Kuala_Lumpur"
    from concord.knowledge import digest

    _freeze(monkeypatch, _at(2026, 12, 1, 9))
    rows = [
        ("document", "A law of 2010 added in November", dt.date(2010, 1, 1), _at(2026, 11, 12)),
        ("organization", "An organisation registered in November", None, _at(2026, 11, 20)),
        # 00:30 on 1 November in Kuala Lumpur is still 31 October in UTC: it belongs to November here.
        ("listing", "Published just after midnight", None, _at(2026, 11, 1, 0) + dt.timedelta(minutes=30)),
        ("listing", "Added in October", dt.date(2026, 10, 30), _at(2026, 10, 30)),
        ("listing", "Added on 1 December", dt.date(2026, 12, 1), _at(2026, 12, 1, 8)),
    ]
    for i, (kind, title, date, added) in enumerate(rows, start=1):
        SearchEntry.objects.create(
            kind=kind,
            object_id=i,
            title=title,
            url=f"/x{i}",
            visibility="public",
            date=date,
            updated_at=added,
        )
    monkeypatch.setattr(digest, "_live", lambda user, entries: list(entries))  # no live objects behind these
    assert digest.previous_month() == "2026-11"
    built = digest.build(personas.delegate_my, "2026-11")
    assert [e.title for e in built.items] == [
        "An organisation registered in November",
        "A law of 2010 added in November",
        "Published just after midnight",
    ]
    subject, body = digest.render(personas.delegate_my, built)
    assert "A law of 2010 added in November" in body and "Nothing new" not in body


@pytest.mark.django_db
def test_an_index_rebuild_does_not_make_old_content_new(personas, monkeypatch):
    from concord.directory.models import Opportunity
    from concord.knowledge import index

    _freeze(monkeypatch, _at(2026, 10, 5))
    # Saving indexes the opportunity at once (the index follows every save), at the frozen time.
    opp = Opportunity.objects.create(
        dialogue=personas.dialogue, kind="investment", title="Public call", summary="s", visibility="public"
    )
    assert SearchEntry.objects.get(kind="opportunity").updated_at == _at(2026, 10, 5)
    _freeze(monkeypatch, _at(2026, 12, 3))
    index.rebuild(kinds=["opportunity"])
    assert SearchEntry.objects.get(kind="opportunity").updated_at == _at(2026, 10, 5)
    opp.title = "Public call, extended"
    opp.save()
    index.refresh(opp)
    assert SearchEntry.objects.get(kind="opportunity").updated_at == _at(2026, 12, 3)


@pytest.mark.django_db
def test_the_preview_shows_the_current_month_so_far_and_says_when_nothing_is_new(
    personas, as_user, monkeypatch
):
    from concord.directory.models import Opportunity
    from concord.knowledge import index

    _freeze(monkeypatch, _at(2026, 12, 5))
    client = as_user(personas.delegate_my)
    response = client.get("/search/digest/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="2026-11" selected' in body and "2026-12 (this month so far)" in body
    assert "Nothing new for you this month" in body and "Nothing new this month." in body

    opp = Opportunity.objects.create(
        dialogue=personas.dialogue,
        kind="investment",
        title="A call this December",
        summary="s",
        visibility="public",
    )
    index.refresh(opp)
    body = client.get("/search/digest/", {"period": "2026-12"}).content.decode()
    assert 'value="2026-12" selected' in body
    assert "A call this December" in body and "Nothing new" not in body
    # A month outside the list falls back to last month, with no error.
    assert 'value="2026-11" selected' in client.get("/search/digest/", {"period": "1999-01"}).content.decode()
