"""The round dossier carries the national programmes and joint projects a reader may see:
each programme's party and status; each joint project's stage, its owners per party and its next workplan
milestone, in the PDF and the XLSX workbook."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from concord.programmes.joint import actions as ja
from concord.programmes.models import Stage
from concord.reporting import dossier, reports

from .conftest import make_programme
from .joint_fixtures import make_project, name_stage_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(personas):
    make_programme(personas, party="pk", title="Digital Pakistan cloud programme", status="active")
    make_programme(personas, party="my", visibility="party", title="Malaysia internal pilot")
    project = make_project(personas, stage=Stage.APPROVED, title="Joint cyber range")
    name_stage_owner(project, Stage.APPROVED, personas.pk, personas.analyst_pk, by=personas.delegate_pk)
    ja.do_add_workplan_milestone(
        actor=personas.delegate_my, project=project, title="Range procured", end_date=dt.date(2027, 3, 31)
    )
    ja.do_add_workplan_milestone(
        actor=personas.delegate_my, project=project, title="First joint drill", end_date=dt.date(2027, 9, 30)
    )
    return project


def test_the_dossier_lists_visible_programmes_and_joint_projects_with_stage_owners_and_next_milestone(
    personas, registry
):
    data = reports.dossier_data(personas.delegate_pk, personas.dialogue)
    ctx = dossier.context(data, personas.dialogue, "en")
    assert [r["p"].title for r in ctx["programmes"]] == ["Digital Pakistan cloud programme"], (
        "MY's own stays out"
    )
    [row] = ctx["joints"]
    assert row["j"].title == "Joint cyber range"
    assert dict(row["stage"]) == {"en": "Approved", "ms": "Diluluskan"}
    assert row["owners"] == [("MY", "its delegates / wakil delegasinya"), ("PK", "Analyst Pk")]
    assert row["next"].title == "Range procured" and row["next"].end_date == dt.date(2027, 3, 31)

    book = load_workbook(io.BytesIO(dossier.render_xlsx(ctx)))
    joint = list(book["Joint projects"].iter_rows(values_only=True))
    assert joint[1][:3] == ("Joint cyber range", "MY", "approved")
    assert "PK: Analyst Pk" in joint[1][3] and "Range procured" in joint[1][4]
    assert [r[1] for r in book["Programmes"].iter_rows(values_only=True)][1:] == [
        "Digital Pakistan cloud programme"
    ]


def test_the_pdf_shows_the_programmes_and_joint_projects_in_both_languages(personas, registry, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("[poppler] pdftotext is not installed")
    ctx = dossier.context(
        reports.dossier_data(personas.secretariat, personas.dialogue), personas.dialogue, "en"
    )
    path = tmp_path / "dossier.pdf"
    path.write_bytes(dossier.render_pdf(ctx))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in (
        "National programmes",
        "Program nasional",
        "Digital Pakistan cloud programme",
        "Joint projects",
        "Joint cyber range",
        "Diluluskan",
        "PK: Analyst Pk",
        "Range procured",
        "2027-03-31",
    ):
        assert expected in text, expected
    assert "Malaysia internal pilot" not in text, "one party's own programme stays with its delegation"
