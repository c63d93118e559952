"""Experience exchange on the pages: the other party's most comparable programmes with their reasons, and
two programmes side by side with their indicators on one chart where the units agree."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from concord.library.models import Theme
from concord.programmes import actions

from .conftest import add_lesson, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes(db):
    return [
        Theme.objects.get_or_create(slug=s, defaults={"label_en": s, "label_ms": s, "label_ur": s})[0]
        for s in ("cybersecurity", "smart-cities")
    ]


def _pair(p):
    mine = make_programme(
        p,
        title="Malaysia cyber security talent plan",
        summary="Trains cyber security professionals in universities and agencies.",
        instruments=["skills", "funding"],
        themes=["cybersecurity"],
    )
    close = make_programme(
        p,
        party="pk",
        title="Pakistan cyber security skills drive",
        summary="Trains cyber security professionals in universities.",
        instruments=["skills"],
        themes=["cybersecurity"],
    )
    far = make_programme(
        p,
        party="pk",
        title="Smart city lighting",
        summary="Street lights.",
        instruments=[],
        themes=["smart-cities"],
    )
    return mine, close, far


def test_the_other_partys_most_comparable_programme_comes_first_with_its_reasons(personas, as_user, themes):
    mine, close, far = _pair(personas)
    make_programme(
        personas, title="Another Malaysian cyber plan", themes=["cybersecurity"], instruments=["skills"]
    )
    page = as_user(personas.observer).get(f"/programmes/{mine.pk}/").content.decode()
    section = page[page.index('id="comparable"') : page.index("Indicators</h2>")]
    assert section.index(close.title) < (section.index(far.title) if far.title in section else len(section))
    assert "Another Malaysian cyber plan" not in section  # the same party's programmes are not offered
    assert f"Shared themes: {themes[0].label()}" in section and "Shared instruments: Skills" in section
    assert "Matching passages" in section and "cyber security professionals" in section
    assert f"/programmes/compare/{mine.pk}/{close.pk}/" in section


def test_programmes_the_reader_may_not_see_are_never_offered(personas, as_user, themes):
    mine, close, _far = _pair(personas)
    hidden = make_programme(
        personas, party="pk", visibility="party", title="Pakistan-only cyber plan", themes=["cybersecurity"]
    )
    page = as_user(personas.analyst_my).get(f"/programmes/{mine.pk}/").content.decode()
    assert close.title in page and hidden.title not in page


def test_side_by_side_puts_indicators_of_one_unit_on_one_chart(personas, as_user, themes):
    mine, close, _far = _pair(personas)
    for programme, actor, values in (
        (mine, personas.analyst_my, (10, 30)),
        (close, personas.analyst_pk, (5, 25)),
    ):
        indicator = actions.do_add_indicator(
            actor=actor, programme=programme, name=f"Trained {programme.party.code}", unit="people"
        )
        for year, value in zip((2023, 2024), values, strict=True):
            actions.do_record_value(actor=actor, indicator=indicator, date=dt.date(year, 1, 1), value=value)
    actions.do_add_indicator(actor=personas.analyst_my, programme=mine, name="Budget spent", unit="%")
    worked = "University partnerships filled the places."
    add_lesson(personas, close, "Start with universities", by=personas.analyst_pk, what_worked=worked)
    response = as_user(personas.observer).get(f"/programmes/compare/{mine.pk}/{close.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert mine.title in page and close.title in page and "Shared instruments: Skills" in page
    svgs = re.findall(r"<svg[^>]*class=\"chart-svg\".*?</svg>", page, re.S)
    assert len(svgs) == 1 and svgs[0].count("<circle") == 4  # both parties' people on one axis
    assert "MY: Trained MY</li>" in page and "PK: Trained PK</li>" in page
    assert "Budget spent" in page[page.index("unit the other programme does not use") :]
    assert "University partnerships filled the places." in page
    assert "1,000,000.00 MYR" in page or "1000000" in page.replace(",", "")


def test_side_by_side_answers_404_for_a_programme_the_reader_may_not_see(personas, as_user, themes):
    mine, _close, _far = _pair(personas)
    hidden = make_programme(personas, party="pk", visibility="party")
    assert as_user(personas.analyst_my).get(f"/programmes/compare/{mine.pk}/{hidden.pk}/").status_code == 404


def test_the_programme_page_with_comparable_programmes_keeps_its_queries_bounded(
    personas, as_user, themes, django_assert_max_num_queries
):
    mine, _close, _far = _pair(personas)
    for n in range(8):
        make_programme(personas, party="pk", title=f"Pakistani programme {n}", themes=["cybersecurity"])
    client = as_user(personas.observer)
    with django_assert_max_num_queries(30):
        assert client.get(f"/programmes/{mine.pk}/").status_code == 200
