"""Importing commitments from CSV and XLSX: per-row error reports, all or nothing unless partial."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from concord.commitments.actions import do_import_commitments
from concord.commitments.importing import Context, TableError, check_rows, read_table
from concord.commitments.models import Commitment
from concord.secretariat import actions
from tests.secretariat.conftest import make_commitment


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CTX = Context(
    existing_codes=frozenset({"OLD"}),
    working_groups={"talent": "talent"},
    organizations={"mdec": "MY", "hec": "PK"},
    parties=frozenset({"MY", "PK"}),
)


def test_wrong_columns_are_named():
    with pytest.raises(TableError) as err:
        read_table(b"code,titel,colour\nA,B,C\n", "x.csv")
    message = str(err.value)
    assert "missing column(s): title" in message and "unknown column(s): titel, colour" in message


def test_other_formats_and_empty_files_are_refused():
    with pytest.raises(TableError):
        read_table(b"anything", "x.pdf")
    with pytest.raises(TableError):
        read_table(b"", "x.csv")
    with pytest.raises(TableError):
        read_table(b"not a zip", "x.xlsx")


def test_each_bad_row_gets_its_own_errors():
    header, rows = read_table(
        (
            b"code,title,start_date,end_date,working_group,lead_agency_my,parent,weight\n"
            b"A,Good,2026-01-01,2026-12-31,talent,MDEC,,2\n"
            b"B,Bad date,2026-13-01,,,,,\n"
            b"A,Duplicate,,,,,,\n"
            b"OLD,Exists,,,,,,\n"
            b"C,Backwards,2026-05-01,2026-01-01,nope,Nobody,ZZZ,0\n"
            b"D,Child of A,,,,,A,\n"
        ),
        "c.csv",
    )
    results = check_rows(header, rows, CTX)
    by_line = {r.line: r.errors for r in results}
    assert by_line[2] == []
    assert by_line[3] == ["start_date: “2026-13-01” is not a date; write it as YYYY-MM-DD."]
    assert by_line[4] == ["code: “A” is repeated (first on line 2)."]
    assert by_line[5] == ["code: “OLD” already exists."]
    assert set(by_line[6]) == {
        "end_date: comes before start_date.",
        "working_group: no working group “nope”; give its code or its name in English, Malay or Urdu "
        "(codes: talent).",
        "parent: no commitment “ZZZ” (a parent must exist or come on an earlier line).",
        "weight: “0” is not a whole number from 1 to 1000.",
        "lead_agency_my: no organisation “Nobody”.",
    }
    assert by_line[7] == []


def test_the_row_report_is_in_the_readers_language_with_the_columns_as_written():
    from django.utils import translation

    header, rows = read_table(b"code,title,party\nA,,XX\n", "c.csv")
    with translation.override("ms"):
        [row] = check_rows(header, rows, CTX)
        with pytest.raises(TableError) as err:
            read_table(b"code,titel\nA,B\n", "x.csv")
    assert set(row.errors) == {
        "title: wajib diisi.",
        "party: “XX” tidak mengambil bahagian dalam dialog ini.",
    }
    assert "lajur tiada: title" in str(err.value)
    with translation.override("ur"):
        [row] = check_rows(header, rows, CTX)
    assert "title: لازمی ہے۔" in row.errors


@pytest.mark.django_db
def test_an_xlsx_with_errors_imports_nothing_unless_partial_is_chosen(personas):
    actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug="talent", name="Talent"
    )
    make_commitment(personas, "OLD")
    data = _xlsx(
        [
            ["code", "title", "start_date", "end_date", "working_group", "joint"],
            ["N-1", "Fine", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "talent", "yes"],
            ["N-2", "Wrong date", "31/12/2026", None, None, None],
            ["N-1", "Duplicate", None, None, None, None],
            ["OLD", "Exists", None, None, None, None],
        ]
    )
    report = do_import_commitments(
        actor=personas.secretariat, dialogue=personas.dialogue, data=data, filename="c.xlsx"
    )
    assert report.imported == []
    assert [r.line for r in report.failed] == [3, 4, 5]
    assert not Commitment.objects.filter(code="N-1").exists()

    report = do_import_commitments(
        actor=personas.secretariat, dialogue=personas.dialogue, data=data, filename="c.xlsx", partial=True
    )
    assert report.imported == ["N-1"]
    imported = Commitment.objects.get(code="N-1")
    assert imported.end_date == dt.date(2026, 6, 30) and imported.is_joint
    assert imported.working_group.slug == "talent"
    assert sorted(s.party.code for s in imported.party_shares.all()) == ["MY", "PK"]


@pytest.mark.django_db
def test_a_valid_csv_imports_parents_before_children(personas):
    data = b"code,title,parent,weight,lead_agency_my\nP,Parent,,,\nP.1,Child,P,3,Test University\n"
    report = do_import_commitments(
        actor=personas.secretariat, dialogue=personas.dialogue, data=data, filename="c.csv"
    )
    assert report.imported == ["P", "P.1"] and not report.failed
    child = Commitment.objects.get(code="P.1")
    assert child.parent.code == "P" and child.weight == 3
    assert child.party_shares.get().lead_agency == personas.university


@pytest.mark.django_db
def test_the_import_page_shows_the_row_report(personas, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(personas.delegate_my)
    url = reverse("secretariat:commitment_import", args=["pk-my"])
    bad = SimpleUploadedFile("c.csv", b"code,title,end_date\nX,Bad,tomorrow\n", content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "“tomorrow” is not a date" in response.content.decode()
    wrong = SimpleUploadedFile("c.csv", b"name,when\nX,1\n", content_type="text/csv")
    response = client.post(url, {"file": wrong})
    assert "Wrong columns" in response.content.decode()
    good = SimpleUploadedFile("c.csv", b"code,title\nX,Good\n", content_type="text/csv")
    assert client.post(url, {"file": good}).status_code == 200
    assert Commitment.objects.get(code="X").party == personas.my
    assert as_user(personas.observer).get(url).status_code == 403


# --- working groups by name in any language, the template, row and column in errors (issue 14, item 13) ---


def _group(personas, slug, name, name_ms="", name_ur=""):
    group = actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug=slug, name=name
    )
    type(group).objects.filter(pk=group.pk).update(name_ms=name_ms, name_ur=name_ur)
    return group


@pytest.mark.django_db
def test_a_working_group_is_found_by_its_code_or_its_name_in_any_language(personas):
    _group(
        personas,
        "cybersecurity",
        "Cybersecurity cooperation",
        "Kerjasama keselamatan siber",
        "سائبر سیکیورٹی تعاون",
    )
    rows = "\n".join(
        [
            "code,title,working_group",
            "W-1,By code,cybersecurity",
            "W-2,By English name,  cybersecurity COOPERATION ",
            "W-3,By Malay name,Kerjasama keselamatan siber",
            "W-4,By Urdu name,سائبر سیکیورٹی تعاون",
            "W-5,Unknown,Cyber",
        ]
    ).encode()
    report = do_import_commitments(
        actor=personas.secretariat, dialogue=personas.dialogue, data=rows, filename="c.csv", partial=True
    )
    assert report.imported == ["W-1", "W-2", "W-3", "W-4"]
    assert {c.working_group.slug for c in Commitment.objects.filter(code__startswith="W-")} == {
        "cybersecurity"
    }
    (failed,) = report.failed
    assert failed.line == 6
    assert failed.errors == [
        "working_group: no working group “Cyber”; give its code or its name in English, Malay or Urdu "
        "(codes: cybersecurity)."
    ]


def test_a_name_two_groups_share_is_not_guessed():
    from concord.commitments.importing import group_keys

    keys = group_keys([("a", ["Data", "Data (MY)"]), ("b", ["Data"]), ("data", ["Other"])])
    assert keys["data"] == "data"  # a code wins
    assert keys["data (my)"] == "a"
    keys = group_keys([("a", ["Shared name"]), ("b", ["Shared name"])])
    assert "shared name" not in keys


@pytest.mark.django_db
def test_the_import_page_shows_the_codes_and_offers_templates_that_import(personas, as_user):
    from openpyxl import load_workbook

    _group(personas, "cybersecurity", "Cybersecurity cooperation", "Kerjasama keselamatan siber")
    client = as_user(personas.delegate_my)
    url = f"/secretariat/d/{personas.dialogue.slug}/commitments/import/"
    body = client.get(url).content.decode()
    assert "<code>cybersecurity</code>" in body and "Kerjasama keselamatan siber" in body
    assert "template.csv" in body and "template.xlsx" in body

    xlsx = client.get(url + "template.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    first, valid = book.worksheets
    header, example = ([c.value for c in row] for row in first.iter_rows(max_row=2))
    assert (
        header[:2] == ["code", "title"]
        and example[header.index("working_group")] == "Cybersecurity cooperation"
    )
    listed = [c.value for row in valid.iter_rows() for c in row if c.value]
    assert "cybersecurity" in listed and "not_started" in listed and "MY" in listed

    csv_file = client.get(url + "template.csv")
    assert csv_file.status_code == 200 and csv_file.content.startswith("\ufeff".encode())
    # Each template, as downloaded, imports its example row.
    for data, name in ((xlsx.content, "t.xlsx"), (csv_file.content, "t.csv")):
        Commitment.objects.filter(code="EXAMPLE-1").delete()
        report = do_import_commitments(
            actor=personas.secretariat, dialogue=personas.dialogue, data=data, filename=name
        )
        assert report.imported == ["EXAMPLE-1"], report.failed
    assert client.get(url + "template.pdf").status_code == 404
    assert as_user(personas.observer).get(url + "template.csv").status_code == 403
