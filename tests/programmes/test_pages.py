"""The registry's pages as each role uses them: list with filters, detail with the indicator chart and its
table, the forms (with their refusals), import and export, and the query count of the busiest pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from concord.audit.models import AuditEntry
from concord.programmes import actions
from concord.programmes.models import Indicator, IndicatorValue, Lesson, Programme

from .conftest import add_lesson, add_services_online, make_programme

pytestmark = pytest.mark.django_db

ROLES = ["observer", "stakeholder", "analyst_my", "analyst_pk", "delegate_my", "delegate_pk", "secretariat"]


def _with_indicator(p, **kw) -> tuple[Programme, Indicator]:
    programme = make_programme(p, **kw)
    indicator = add_services_online(p, programme, target=80)
    for date, value in ((dt.date(2023, 6, 30), 25), (dt.date(2024, 6, 30), 41)):
        actions.do_record_value(
            actor=p.analyst_my, indicator=indicator, date=date, value=value, source="MAMPU annual report"
        )
    return programme, indicator


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads_the_registry_and_a_programme(personas, as_user, role):
    programme, _ = _with_indicator(personas)
    client = as_user(personas.users[role])
    listing = client.get("/programmes/")
    assert listing.status_code == 200 and programme.title in listing.content.decode()
    page = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert "Services online" in page and "MAMPU annual report" in page
    assert ("Add an indicator" in page) is (role in ("analyst_my", "delegate_my", "secretariat"))
    can_record = role in ("analyst_my", "delegate_my", "analyst_pk", "delegate_pk", "secretariat")
    assert ("Record a programme" in listing.content.decode()) is can_record


def test_the_chart_shows_values_axis_labels_a_legend_and_a_table_behind_it(personas, as_user):
    programme, _ = _with_indicator(personas)
    page = as_user(personas.observer).get(f"/programmes/{programme.pk}/").content.decode()
    svg = re.search(r"<svg[^>]*class=\"chart-svg\".*?</svg>", page, re.S).group(0)
    assert svg.count("<circle") == 2  # the two measured values
    assert svg.count("<path") == 2  # the baseline and the target
    assert 'aria-label="Services online"' in svg and ">%</text>" in svg  # title and the value axis's unit
    assert "2022-12" in svg and "2026-12" in svg  # first and last dates on the time axis
    legend = page[page.index("</svg>", page.index(svg[:40])) :]
    assert "Services online</li>" in legend and "Baseline or target</li>" in legend
    table = legend[legend.index("<table") :]
    assert "2023-06-30" in table and "25 %" in table and "41 %" in table and "Target" in table


def test_urdu_pages_are_right_to_left(personas, as_user):
    programme, _ = _with_indicator(personas)
    client = as_user(personas.observer)
    page = client.get(f"/programmes/{programme.pk}/", HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert 'dir="rtl"' in page


def test_filters_and_search(personas, as_user):
    make_programme(personas, title="Cloud first", instruments=["infrastructure"], status="active")
    make_programme(personas, party="pk", title="Digital Pakistan", instruments=["skills"], status="planned")
    client = as_user(personas.observer)

    def titles(**query):
        page = client.get("/programmes/", query).content.decode()
        return {t for t in ("Cloud first", "Digital Pakistan") if t in page}

    assert titles() == {"Cloud first", "Digital Pakistan"}
    assert titles(party="PK") == {"Digital Pakistan"}
    assert titles(instrument="infrastructure") == {"Cloud first"}
    assert titles(status="planned") == {"Digital Pakistan"}
    assert titles(q="pakistan") == {"Digital Pakistan"}


def test_the_list_and_detail_pages_do_not_grow_queries_per_programme(
    personas, as_user, django_assert_max_num_queries
):
    for i in range(12):
        make_programme(personas, title=f"Programme {i}", partners=[personas.university])
    programme, _ = _with_indicator(personas, title="Busy one")
    for _ in range(3):
        add_lesson(personas, programme, "L")
    client = as_user(personas.observer)
    with django_assert_max_num_queries(20):
        assert client.get("/programmes/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/programmes/{programme.pk}/").status_code == 200


def _record(client, party, **fields):
    """Post the "Record a programme" form for ``party`` (an active programme seen by the dialogue)."""
    form = {"title": "T", "summary": "S", "status": "active", "visibility": "dialogue", **fields}
    return client.post("/programmes/new/", {"party": party.pk, **form})


def test_a_contact_point_records_a_programme_an_indicator_a_value_and_a_lesson(personas, as_user):
    client = as_user(personas.analyst_pk)
    response = _record(
        client,
        personas.pk,
        title="Digital Pakistan",
        summary="Broadband, e-government and skills.",
        instruments=["infrastructure", "skills"],
        target_groups="citizens\nfreelancers",
        budget_amount="2500000",
        budget_currency="pkr",
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/programmes/{programme.pk}/"
    assert programme.budget_currency == "PKR" and programme.target_groups == ["citizens", "freelancers"]
    client.post(
        f"/programmes/{programme.pk}/indicators/new/", {"name": "Freelancers trained", "unit": "people"}
    )
    indicator = Indicator.objects.get()
    client.post(f"/programmes/indicators/{indicator.pk}/values/new/", {"date": "2024-06-30", "value": "5000"})
    assert IndicatorValue.objects.get().value == 5000
    client.post(
        f"/programmes/{programme.pk}/lessons/new/",
        {"kind": "lesson", "title": "Train the trainers", "date": "2024-07-01", "what_worked": "Cascades"},
    )
    assert Lesson.objects.get().author == personas.analyst_pk
    assert set(AuditEntry.objects.filter(via="web").values_list("action", flat=True)) >= {
        "programme.create",
        "programme.indicator.create",
        "programme.value.create",
        "programme.lesson.create",
    }


def test_forms_refuse_bad_input_with_the_message_by_the_field(personas, as_user):
    client = as_user(personas.analyst_my)
    page = _record(
        client,
        personas.my,
        budget_amount="10",
        budget_currency="ABC",
        start_date="2025-05-01",
        end_date="2025-04-01",
    )
    assert page.status_code == 400
    assert "“ABC” is not an ISO 4217 currency code" in page.content.decode()
    assert not Programme.objects.exists()
    page = _record(client, personas.my, budget_amount="-3", budget_currency="MYR")
    assert page.status_code == 400 and not Programme.objects.exists()
    programme = make_programme(personas)
    page = client.post(f"/programmes/{programme.pk}/indicators/new/", {"name": "No unit", "unit": ""})
    assert page.status_code == 400 and not Indicator.objects.exists()
    indicator = actions.do_add_indicator(actor=personas.analyst_my, programme=programme, name="N", unit="%")
    page = client.post(f"/programmes/indicators/{indicator.pk}/values/new/", {"date": "", "value": "4"})
    assert page.status_code == 400 and not IndicatorValue.objects.exists()


def test_the_other_party_cannot_reach_the_forms(personas, as_user):
    programme = make_programme(personas)
    client = as_user(personas.analyst_pk)
    assert client.get(f"/programmes/{programme.pk}/edit/").status_code == 403
    assert client.get(f"/programmes/{programme.pk}/indicators/new/").status_code == 403
    assert client.post(f"/programmes/{programme.pk}/delete/").status_code == 403
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_a_delegate_deletes_a_programme_after_confirming(personas, as_user):
    programme = make_programme(personas)
    client = as_user(personas.delegate_my)
    assert (
        "Delete “National cloud-first programme”"
        in client.get(f"/programmes/{programme.pk}/delete/").content.decode()
    )
    assert client.post(f"/programmes/{programme.pk}/delete/").status_code == 302
    assert not Programme.objects.exists()


def test_import_page_reports_rows_and_exports_download(personas, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(personas.secretariat)
    bad = SimpleUploadedFile("p.csv", b"title,party,summary\nX,ZZ,S\n")
    page = client.post("/programmes/import/", {"file": bad})
    assert page.status_code == 400
    assert "Row 2" in page.content.decode() and "“ZZ” does not take part" in page.content.decode()
    good = SimpleUploadedFile("p.csv", b"title,party,summary\nX,PK,S\n")
    assert client.post("/programmes/import/", {"file": good}).status_code == 302
    assert Programme.objects.get().title == "X"
    template = client.get("/programmes/import/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    exported = client.get("/programmes/export.csv").content.decode("utf-8-sig")
    assert exported.splitlines()[1].startswith("X,PK,S,")
    assert client.get("/programmes/export.xlsx")["Content-Type"].startswith("application/vnd.openxml")


def test_export_holds_only_what_the_user_may_see(personas, as_user):
    make_programme(personas, party="pk", visibility="party", title="Secret PK plan")
    make_programme(personas, title="Open MY plan", visibility="public")
    exported = as_user(personas.analyst_my).get("/programmes/export.csv").content.decode("utf-8-sig")
    assert "Open MY plan" in exported and "Secret PK plan" not in exported


def test_lesson_files_download_only_for_those_who_see_the_programme(personas, as_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    programme = make_programme(personas, visibility="party")
    lesson = actions.do_add_lesson(
        actor=personas.analyst_my,
        programme=programme,
        title="Review",
        date=dt.date(2024, 1, 1),
        what_worked="W",
        files=[SimpleUploadedFile("notes.txt", b"plain notes")],
    )
    item = lesson.files.get()
    response = as_user(personas.delegate_my).get(f"/programmes/files/{item.pk}/")
    assert b"".join(response.streaming_content) == b"plain notes"
    assert "attachment" in response["Content-Disposition"]
    assert as_user(personas.delegate_pk).get(f"/programmes/files/{item.pk}/").status_code == 404


def test_a_contact_point_edits_an_indicator_and_a_lesson_adding_a_file(personas, as_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    programme, indicator = _with_indicator(personas)
    lesson = add_lesson(personas, programme, "Review")
    client = as_user(personas.delegate_my)
    form = client.get(f"/programmes/indicators/{indicator.pk}/edit/").content.decode()
    assert 'value="Services online"' in form
    response = client.post(
        f"/programmes/indicators/{indicator.pk}/edit/",
        {"name": "Services online", "unit": "percent", "target_value": "90", "target_date": "2027-12-31"},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.unit == "percent" and indicator.target_value == 90 and indicator.baseline_value is None
    response = client.post(
        f"/programmes/lessons/{lesson.pk}/edit/",
        {
            "kind": "evaluation",
            "title": "Final review",
            "date": "2024-12-01",
            "what_worked": "W",
            "files": SimpleUploadedFile("report.txt", b"final report"),
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "Final review" and lesson.kind == "evaluation"
    assert [f.name for f in lesson.files.all()] == ["report.txt"]
    assert as_user(personas.analyst_pk).get(f"/programmes/lessons/{lesson.pk}/edit/").status_code == 403
