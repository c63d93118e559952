"""Reminders by e-mail, the dashboard numbers and the round dossier (PDF and XLSX)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook

from concord.commitments import actions as ca
from concord.commitments.reminders import Due, select_reminders
from concord.reporting import reports
from concord.reporting.actions import do_request_dossier, do_send_reminders
from concord.secretariat import actions
from tests.engine.malformed import make_pdf, page_of_lines
from tests.secretariat.conftest import (
    KL,
    add_item,
    make_commitment,
    make_meeting,
    open_meeting,
    record_outcome,
)

TODAY = dt.date(2026, 5, 4)  # a Monday (ISO week 19)


def test_reminders_go_out_when_due_soon_and_weekly_when_overdue():
    soon = Due("commitment", 1, "Soon", TODAY + dt.timedelta(days=7), ("a@x",))
    later = Due("commitment", 2, "Later", TODAY + dt.timedelta(days=8), ("a@x",))
    late = Due("milestone", 3, "Late", TODAY - dt.timedelta(days=1), ("a@x", "b@x", "a@x"))
    review = Due("review", 4, "Review", TODAY, ("s@x",))
    got = {(r.due.id, r.recipient, r.state) for r in select_reminders([soon, later, late, review], TODAY)}
    assert got == {
        (1, "a@x", "due_soon"),
        (3, "a@x", "overdue"),
        (3, "b@x", "overdue"),
        (4, "s@x", "overdue"),
    }
    same_week = select_reminders([late], TODAY + dt.timedelta(days=6))  # Sunday, same ISO week
    next_week = select_reminders([late], TODAY + dt.timedelta(days=7))
    first = select_reminders([late], TODAY)
    assert same_week[0].key == first[0].key and next_week[0].key != first[0].key


@pytest.mark.django_db
def test_reminder_mails_are_sent_once(personas, django_capture_on_commit_callbacks):
    make_commitment(personas, "DUE", owner=personas.delegate_my, end_date=TODAY + dt.timedelta(days=3))
    make_commitment(personas, "LATE", owner=personas.delegate_pk, end_date=TODAY - dt.timedelta(days=3))
    make_commitment(personas, "DONE", completion="complete", end_date=TODAY - dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):  # reminders are e-mailed after commit
        assert do_send_reminders(actor=None, today=TODAY) == 2
    assert do_send_reminders(actor=None, today=TODAY) == 0
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("[Concord] Due on") and "DUE" in subjects[0]
    assert subjects[1].startswith("[Concord] Overdue since") and "LATE" in subjects[1]
    assert mail.outbox[0].to in (["delegate_my@test.example"], ["delegate_pk@test.example"])


@pytest.mark.django_db
def test_the_reminders_command_refuses_a_bad_date(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("secretariat_reminders", "--today", "soon")
    out = io.StringIO()
    call_command("secretariat_reminders", "--today", "2026-05-04", stdout=out)
    assert "reminder(s) sent" in out.getvalue()


@pytest.mark.django_db
def test_the_dashboard_rolls_up_and_lists_what_is_overdue(personas):
    parent = make_commitment(personas, "P", end_date=TODAY - dt.timedelta(days=1))
    done = make_commitment(personas, "P.1", parent=parent, weight=1, completion="complete")
    make_commitment(personas, "P.2", parent=parent, weight=3)
    ca.do_add_milestone(actor=personas.secretariat, commitment=done, title="m")
    data = reports.dashboard(personas.secretariat, personas.dialogue, TODAY)
    # P = (1*100 + 3*0) / 4 = 25; P.1 = 100; P.2 = 0
    assert data["percent"][parent.pk] == 25.0
    assert [c.code for c in data["overdue"]] == ["P"]
    assert data["overall"] == 25.0  # one root
    assert {g.label: g.percent for g in data["by_party"]} == {
        "Malaysia": pytest.approx(125 / 3),
        "Pakistan": pytest.approx(125 / 3),
    }


@pytest.fixture
def decided(personas):
    ministerial = make_meeting(
        personas,
        title="Ministerial meeting",
        level="ministerial",
        starts_at=dt.datetime(2026, 1, 10, 10, tzinfo=KL),
        ends_at=None,
    )
    old_item = add_item(personas, ministerial, "Before")
    som = make_meeting(personas, title="Mesyuarat pegawai kanan", is_illustrative=True)
    item = add_item(personas, som, "Cybersecurity")
    open_meeting(personas, ministerial)
    open_meeting(personas, som)
    record_outcome(personas, old_item, "decision", "Founding decision")
    outcome = record_outcome(
        personas, item, "action", "Draft the programme scope", text_ms="Merangka skop program"
    )
    actions.do_state_position(
        actor=personas.delegate_pk, outcome=outcome, party=personas.pk, stance="supports"
    )
    make_commitment(personas, "JP-CYB", title="Joint programme on cybersecurity", title_ms="Program bersama")
    return som


@pytest.mark.django_db
def test_the_dossier_is_built_in_the_background_and_holds_both_languages(
    personas, as_user, decided, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(personas.delegate_my)
    response = client.post(reverse("secretariat:dossier_request", args=["pk-my"]))
    job_url = response["Location"]
    job_page = client.get(job_url).content.decode()
    assert "Done" in job_page
    ready = client.get(reverse("secretariat:dossier_ready", args=[job_url.rstrip("/").split("/")[-1]]))
    assert ready.status_code == 200
    job_id = job_url.rstrip("/").split("/")[-1]
    pdf = b"".join(client.get(reverse("secretariat:dossier_file", args=[job_id, "pdf"])).streaming_content)
    assert pdf.startswith(b"%PDF")
    xlsx = b"".join(client.get(reverse("secretariat:dossier_file", args=[job_id, "xlsx"])).streaming_content)
    book = load_workbook(io.BytesIO(xlsx))
    rows = list(book["Commitments"].iter_rows(values_only=True))
    assert rows[0][:3] == ("code", "title_en", "title_ms")
    assert rows[1][:3] == ("JP-CYB", "Joint programme on cybersecurity", "Program bersama")
    outcomes = list(book["Outcomes"].iter_rows(values_only=True))
    texts = {r[7] for r in outcomes[1:]}
    assert "Draft the programme scope" in texts and "Founding decision" in texts
    assert outcomes[0][1:3] == ("starts_at (local time at the venue)", "time_zone")
    assert any(r[3] == "yes" for r in outcomes[1:])  # the illustrative flag travels with the record
    # Another user cannot fetch this dossier.
    assert (
        as_user(personas.delegate_pk)
        .get(reverse("secretariat:dossier_file", args=[job_id, "pdf"]))
        .status_code
        == 404
    )
    if not shutil.which("pdftotext"):
        pytest.skip("[poppler] pdftotext is not installed")
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Round dossier" in text and "Dosier pusingan" in text  # the catalogue's (glossary) term
    assert "Merangka skop program" in text and "Illustrative demo record" in text


@pytest.mark.django_db
def test_an_urdu_reader_gets_urdu_too(personas, decided, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    job = do_request_dossier(actor=personas.delegate_pk, dialogue=personas.dialogue, language="ur")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    from concord.reporting.tasks import dossier_path

    book = load_workbook(dossier_path(str(job.pk), "xlsx"))
    assert list(book["Commitments"].iter_rows(values_only=True))[0][:4] == (
        "code",
        "title_en",
        "title_ms",
        "title_ur",
    )


@pytest.mark.django_db
def test_the_dossier_holds_attendance_adopted_minutes_actions_milestones_and_verified_evidence(
    personas, decided, tmp_path, settings
):
    """What a minister's office reads before the next round: who came, what was adopted, who acts by when,
    and what was verified with which evidence (never what is still waiting for verification)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from concord.commitments.models import Commitment
    from concord.minutes import actions as minutes_actions
    from concord.secretariat.models import Outcome, Participant

    settings.MEDIA_ROOT = tmp_path
    som = decided
    for user, party in ((personas.delegate_my, personas.my), (personas.delegate_pk, personas.pk)):
        participant = actions.do_add_participant(
            actor=personas.secretariat, meeting=som, user=user, party=party
        )
        actions.do_record_attendance(
            actor=personas.secretariat, participant=participant, attended=user == personas.delegate_my
        )
    assert Participant.objects.filter(meeting=som).count() == 2
    outcome = Outcome.objects.get(text="Draft the programme scope")
    Outcome.objects.filter(pk=outcome.pk).update(
        action_owner=personas.delegate_pk, action_due=dt.date(2026, 6, 30)
    )
    actions.do_transition_meeting(actor=personas.secretariat, meeting=som, to="closed")
    minutes = minutes_actions.do_save_minutes(
        actor=personas.secretariat, meeting=som, language="ms", body="Mesyuarat bersetuju merangka skop."
    )
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    minutes_actions.do_save_minutes(
        actor=personas.secretariat, meeting=som, language="en", body="Draft minutes never adopted."
    )
    commitment = Commitment.objects.get(code="JP-CYB")
    ca.do_add_milestone(
        actor=personas.secretariat,
        commitment=commitment,
        title="Scope agreed",
        planned_date=dt.date(2026, 5, 1),
    )
    pdf_file = SimpleUploadedFile(
        "workshop-report.pdf", make_pdf([page_of_lines(["Workshop report"])]), "application/pdf"
    )
    verified = ca.do_submit_progress(
        actor=personas.delegate_my,
        commitment=commitment,
        text="Workshop held with both CERTs",
        percent=40,
        files=[pdf_file],
    )
    ca.do_review_progress(actor=personas.delegate_pk, update=verified, verify=True)
    ca.do_submit_progress(
        actor=personas.delegate_pk, commitment=commitment, text="Unverified claim", percent=90
    )

    data = reports.dossier_data(personas.secretariat, personas.dialogue)
    from concord.reporting import dossier

    with override("ur"):  # the reader's interface: the English-and-Malay dossier does not follow it
        ctx = dossier.context(data, personas.dialogue, "en")
    meeting = next(m for m in ctx["meetings"] if m["m"].pk == som.pk)
    assert meeting["attendance"]["recorded"] and meeting["attendance"]["groups"] == [("MY", ["Delegate My"])]
    assert [m["mn"].language for m in meeting["minutes"]] == ["ms"], "adopted minutes only"
    assert [m["language"] for m in meeting["minutes"]] == ["Bahasa Melayu"]
    row = next(r for r in ctx["rows"] if r["c"].code == "JP-CYB")
    assert [m.title for m in row["milestones"]] == ["Scope agreed"]
    assert [e["update"].text for e in row["evidence"]] == ["Workshop held with both CERTs"]
    assert row["evidence"][0]["files"] == ["workshop-report.pdf"]
    if not shutil.which("pdftotext"):
        pytest.skip("[poppler] pdftotext is not installed")
    path = tmp_path / "d.pdf"
    path.write_bytes(dossier.render_pdf(ctx))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())  # lines wrap in table cells
    for expected in (
        "Attendance",
        "Delegate My",
        "Mesyuarat bersetuju merangka skop.",
        "Delegate Pk",
        "2026-06-30",
        "Scope agreed",
        "Workshop held with both CERTs",
        "workshop-report.pdf",
        "PK: Supports",
        "Senior officials ·",
        "Bahasa Melayu ·",
    ):
        assert expected in text, expected
    assert "Unverified claim" not in text and "Draft minutes never adopted" not in text
