"""Import and export of the registry: a template with valid values, per-row errors naming row and column,
all or nothing, and a round trip through XLSX and CSV (with the formula guard)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from concord.audit.models import AuditEntry
from concord.programmes import actions
from concord.programmes.importing import COLUMNS, export_csv, export_xlsx, template_xlsx
from concord.programmes.models import Programme

from .conftest import make_programme

pytestmark = pytest.mark.django_db

HEADER = "title,party,summary,budget_amount,budget_currency,instruments,start_date,end_date,themes\n"


def _import(p, text: str, actor=None, filename="programmes.csv"):
    return actions.do_import_programmes(
        actor=actor or p.secretariat, dialogue=p.dialogue, data=text.encode(), filename=filename
    )


def _errors(report) -> dict[int, str]:
    return {row.line: "; ".join(row.errors) for row in report.failed}


def test_a_good_file_imports_every_row(personas):
    report = _import(
        personas,
        HEADER
        + "Digital Pakistan,PK,Broadband and e-government,5000000,PKR,infrastructure; skills,2019-12-05,,\n"
        + "MyDigital,my,The digital economy blueprint,,,funding,2021-02-19,2030-12-31,\n",
    )
    assert not report.error and not report.failed
    assert sorted(Programme.objects.values_list("title", "party__code")) == [
        ("Digital Pakistan", "PK"),
        ("MyDigital", "MY"),
    ]
    assert Programme.objects.get(title="Digital Pakistan").instruments == ["infrastructure", "skills"]
    assert AuditEntry.objects.filter(action="programme.import").count() == 1
    assert AuditEntry.objects.filter(action="programme.create").count() == 2


def test_each_bad_row_is_named_with_its_column_and_nothing_is_written(personas):
    report = _import(
        personas,
        HEADER
        + "Good one,PK,Fine,,,,,,\n"
        + "Bad budget,PK,S,-5,PKR,,,,\n"
        + "Bad currency,MY,S,10,XYZ,,,,\n"
        + "Unknown party,ZZ,S,,,,,,\n"
        + "Bad instrument,MY,S,,,magic,,,\n"
        + "Bad dates,MY,S,,,,2025-01-02,2025-01-01,\n"
        + "Bad theme,MY,S,,,,,,no-such-theme\n"
        + ",MY,,,,,,,\n",
    )
    errors = _errors(report)
    assert 2 not in errors
    assert "budget_amount: A budget cannot be negative." in errors[3]
    assert "budget_currency: “XYZ” is not an ISO 4217 currency code" in errors[4]
    assert "party: “ZZ” does not take part in this dialogue." in errors[5]
    assert "instruments: Unknown instrument: magic" in errors[6]
    assert "end_date: The end date comes before the start date." in errors[7]
    assert "themes: Unknown theme: no-such-theme" in errors[8]
    assert "title: Required." in errors[9]
    assert not Programme.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="programme.").exists()


def test_a_file_with_missing_columns_is_refused_whole(personas):
    report = _import(personas, "title,budget_amount\nX,5\n")
    assert "missing column(s): party, summary" in report.error
    assert not Programme.objects.exists()


def test_a_contact_point_imports_only_its_own_partys_programmes(personas):
    report = _import(personas, "title,party,summary\nOurs,PK,S\nTheirs,MY,S\n", actor=personas.analyst_pk)
    assert _errors(report) == {3: "party: You may not record programmes of MY."}
    assert not Programme.objects.exists()


def test_a_repeated_row_is_refused(personas):
    report = _import(personas, "title,party,summary\nSame,PK,S\nSame,PK,S\n")
    assert _errors(report) == {3: "title: repeats line 2."}


def test_export_then_import_gives_the_same_programmes(personas):
    make_programme(
        personas,
        title="Cloud first",
        target_groups=["ministries", "agencies"],
        lead_agency=personas.university,
        partners=[personas.university],
        themes=["ai"] if _has_theme("ai") else [],
        summary_by="Concord project",
        source_url="https://example.org/cloud",
    )
    make_programme(personas, party="pk", title="Digital Pakistan", visibility="public")
    before = [_comparable(p) for p in Programme.objects.order_by("title")]
    for export, name in ((export_xlsx, "export.xlsx"), (export_csv, "export.csv")):
        data = export(Programme.objects.order_by("title"))
        Programme.objects.all().delete()
        report = actions.do_import_programmes(
            actor=personas.secretariat, dialogue=personas.dialogue, data=data, filename=name
        )
        assert not report.error and not report.failed, (report.error, _errors(report))
        assert [_comparable(p) for p in Programme.objects.order_by("title")] == before


def _has_theme(slug: str) -> bool:
    from concord.library.models import Theme

    return Theme.objects.filter(slug=slug).exists()


def _comparable(p: Programme) -> tuple:
    return (
        p.title,
        p.party.code,
        p.summary,
        p.visibility,
        p.status,
        p.instruments,
        p.target_groups,
        p.lead_agency_id,
        sorted(p.partners.values_list("pk", flat=True)),
        p.budget_amount,
        p.budget_currency,
        p.start_date,
        p.end_date,
        sorted(p.themes.values_list("slug", flat=True)),
        p.source_url,
        p.summary_by,
    )


def test_csv_export_neutralises_formulas(personas):
    make_programme(personas, title='=HYPERLINK("http://evil.example")')
    rows = list(csv.reader(io.StringIO(export_csv(Programme.objects.all()).decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][10] == "1000000.00"  # a plain number stays a number


def test_the_template_has_the_header_an_example_and_the_valid_values(personas):
    book = load_workbook(io.BytesIO(template_xlsx(personas.dialogue)))
    sheet, valid = book.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 2
    columns = {c[0].value: [x.value for x in c[1:] if x.value] for c in valid.iter_cols()}
    assert columns["party"] == ["MY", "PK"]
    assert "international_cooperation" in columns["instruments"]
    assert "MYR" in columns["budget_currency"] and "PKR" in columns["budget_currency"]
    assert columns["status"] == ["planned", "active", "completed", "discontinued"]


def test_the_template_example_is_a_valid_row(personas):
    data = template_xlsx(personas.dialogue)
    report = actions.do_import_programmes(
        actor=personas.secretariat, dialogue=personas.dialogue, data=data, filename="t.xlsx"
    )
    assert not report.failed, _errors(report)
    assert Programme.objects.get().title == "National cloud-first programme"


def test_an_xlsx_import_names_rows_as_the_spreadsheet_shows_them(personas):
    book = Workbook()
    book.active.append(["title", "party", "summary"])
    book.active.append(["One", "PK", "S"])
    book.active.append(["Two", "XX", "S"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = actions.do_import_programmes(
        actor=personas.secretariat, dialogue=personas.dialogue, data=buffer.getvalue(), filename="p.xlsx"
    )
    assert _errors(report) == {3: "party: “XX” does not take part in this dialogue."}
