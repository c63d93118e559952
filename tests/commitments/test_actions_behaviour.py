"""Each public action on commitments, milestones, progress and imports, accepted and refused.

A refused call names the problem and writes nothing (no row, no audit entry); an accepted call records
exactly one audit entry of its kind. The last test requires such tests for every action of the app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concord.commitments import actions as ca
from concord.commitments.models import Commitment, EvidenceFile, Milestone, ProgressUpdate
from tests.behaviour import audited, denied, invalid, missing_behaviour_tests, writes_nothing
from tests.commitments.audit_scenarios import CSV, _milestone, _update
from tests.secretariat.conftest import make_commitment

from .test_evidence import EXE

pytestmark = pytest.mark.django_db


# --- commitments -------------------------------------------------------------------------------------------
def test_a_commitment_is_recorded_once_per_code_by_those_allowed(personas):
    base = {"dialogue": personas.dialogue, "code": "C-1", "title": "Data-sharing agreement", "is_joint": True}
    with denied("You may not record commitments here.", Commitment):
        ca.do_create_commitment(actor=personas.observer, **base)
    with invalid("The end date comes before the start date.", Commitment):
        ca.do_create_commitment(
            actor=personas.secretariat, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 5, 1), **base
        )
    with invalid("Unknown completion level.", Commitment):
        ca.do_create_commitment(actor=personas.secretariat, completion="half", **base)
    with audited("commitment.create"):
        commitment = ca.do_create_commitment(actor=personas.secretariat, **base)
    assert {s.party for s in commitment.party_shares.all()} == {personas.my, personas.pk}
    with invalid("A commitment with the code “C-1” exists already.", Commitment):
        ca.do_create_commitment(actor=personas.secretariat, **base)


def test_a_commitment_is_changed_by_its_editors_and_blocking_needs_a_reason(personas, commitment):
    with denied("You may not change this commitment.", objects=[commitment]):
        ca.do_update_commitment(actor=personas.observer, commitment=commitment, title="Renamed")
    with invalid("Say why the commitment is blocked.", objects=[commitment]):
        ca.do_update_commitment(actor=personas.secretariat, commitment=commitment, is_blocked=True)
    with invalid("These fields cannot be changed here: dialogue", objects=[commitment]):
        ca.do_update_commitment(actor=personas.secretariat, commitment=commitment, dialogue=None)
    with audited("commitment.update"):
        ca.do_update_commitment(
            actor=personas.secretariat, commitment=commitment, is_blocked=True, blocked_reason="Awaiting law"
        )
    commitment.refresh_from_db()
    assert (commitment.is_blocked, commitment.blocked_reason) == (True, "Awaiting law")


def test_a_partys_completion_is_set_only_for_a_party_with_a_share(personas):
    mine = make_commitment(personas, "MY-1", is_joint=False, party=personas.my, visibility="dialogue")
    with denied("You may not change this commitment.", objects=[*mine.party_shares.all()]):
        ca.do_set_party_completion(
            actor=personas.observer, commitment=mine, party=personas.my, completion="limited"
        )
    with invalid("This party has no share in the commitment.", objects=[*mine.party_shares.all()]):
        ca.do_set_party_completion(
            actor=personas.secretariat, commitment=mine, party=personas.pk, completion="limited"
        )
    with invalid("Unknown completion level.", objects=[*mine.party_shares.all()]):
        ca.do_set_party_completion(
            actor=personas.secretariat, commitment=mine, party=personas.my, completion="x"
        )
    with audited("commitment.party_completion"):
        share = ca.do_set_party_completion(
            actor=personas.secretariat, commitment=mine, party=personas.my, completion="substantial"
        )
    assert share.completion == "substantial"


def test_a_circular_dependency_is_refused_naming_the_chain(personas):
    first, second = make_commitment(personas, "A"), make_commitment(personas, "B")
    with denied("You may not change this commitment.", Commitment.depends_on.through):
        ca.do_add_dependency(actor=personas.observer, commitment=first, depends_on=second)
    with audited("commitment.depend"):
        ca.do_add_dependency(actor=personas.secretariat, commitment=first, depends_on=second)
    with invalid("This would make a circular dependency: B → A → B.", Commitment.depends_on.through):
        ca.do_add_dependency(actor=personas.secretariat, commitment=second, depends_on=first)
    assert list(first.depends_on.all()) == [second]


def test_a_dependency_is_removed_by_an_editor_only(personas):
    first, second = make_commitment(personas, "A"), make_commitment(personas, "B")
    ca.do_add_dependency(actor=personas.secretariat, commitment=first, depends_on=second)
    with denied("You may not change this commitment.", Commitment.depends_on.through):
        ca.do_remove_dependency(actor=personas.stakeholder, commitment=first, depends_on=second)
    with audited("commitment.undepend"):
        ca.do_remove_dependency(actor=personas.secretariat, commitment=first, depends_on=second)
    assert not first.depends_on.exists()


# --- milestones --------------------------------------------------------------------------------------------
def test_milestones_are_added_by_those_who_work_on_the_commitment(personas, commitment):
    with denied("You may not add milestones here.", Milestone):
        ca.do_add_milestone(actor=personas.observer, commitment=commitment, title="Draft law")
    with invalid("", Milestone) as info:
        ca.do_add_milestone(actor=personas.secretariat, commitment=commitment, title="   ")
    assert "title" in info.value.message_dict
    with audited("milestone.create"):
        milestone = ca.do_add_milestone(actor=personas.secretariat, commitment=commitment, title="Draft law")
    assert milestone.order == 0


def test_a_milestone_weight_stays_between_1_and_1000(personas):
    milestone = _milestone(personas)
    with denied("You may not change this milestone.", objects=[milestone]):
        ca.do_update_milestone(actor=personas.observer, milestone=milestone, weight=2)
    with invalid("Give a weight from 1 to 1000.", objects=[milestone]):
        ca.do_update_milestone(actor=personas.secretariat, milestone=milestone, weight=0)
    with invalid("These fields cannot be changed here: actual_date", objects=[milestone]):
        ca.do_update_milestone(
            actor=personas.secretariat, milestone=milestone, actual_date=dt.date(2026, 1, 1)
        )
    with audited("milestone.update"):
        ca.do_update_milestone(actor=personas.secretariat, milestone=milestone, weight=5)
    assert Milestone.objects.get(pk=milestone.pk).weight == 5


def test_a_milestone_cannot_be_reached_in_the_future(personas):
    milestone = _milestone(personas)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with invalid("A milestone cannot be reached in the future.", objects=[milestone]):
        ca.do_reach_milestone(actor=personas.secretariat, milestone=milestone, actual_date=tomorrow)
    with denied("You may not change this milestone.", objects=[milestone]):
        ca.do_reach_milestone(actor=personas.observer, milestone=milestone, actual_date=dt.date(2026, 1, 5))
    with audited("milestone.update"):
        ca.do_reach_milestone(
            actor=personas.secretariat,
            milestone=milestone,
            actual_date=dt.date(2026, 1, 5),
            evidence="Gazette",
        )
    assert Milestone.objects.get(pk=milestone.pk).actual_date == dt.date(2026, 1, 5)


# --- progress ----------------------------------------------------------------------------------------------
def test_progress_is_reported_by_a_party_with_a_percentage_and_real_evidence(personas, commitment):
    with denied("You may not report progress on this commitment.", ProgressUpdate):
        ca.do_submit_progress(actor=personas.observer, commitment=commitment, text="Done", percent=10)
    with invalid("Give a whole percentage from 0 to 100.", ProgressUpdate):
        ca.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="Done", percent=150)
    exe = SimpleUploadedFile("tool.exe", EXE, content_type="application/octet-stream")
    with invalid("“tool.exe”", ProgressUpdate, EvidenceFile):
        ca.do_submit_progress(
            actor=personas.delegate_my, commitment=commitment, text="Done", percent=10, files=[exe]
        )
    with audited("progress.submit"):
        update = ca.do_submit_progress(
            actor=personas.delegate_my, commitment=commitment, text="Signed", percent=40
        )
    assert (update.party, update.state) == (personas.my, "submitted")


def test_a_party_cannot_verify_its_own_update_and_a_return_says_why(personas):
    update = _update(personas)  # submitted by Malaysia's delegate
    with denied("A party cannot verify its own progress update", objects=[update]):
        ca.do_review_progress(actor=personas.delegate_my, update=update, verify=True)
    with invalid("Say why the update is returned.", objects=[update]):
        ca.do_review_progress(actor=personas.delegate_pk, update=update, verify=False)
    with audited("progress.verify"):
        ca.do_review_progress(actor=personas.delegate_pk, update=update, verify=True)
    assert ProgressUpdate.objects.get(pk=update.pk).reviewed_by == personas.delegate_pk
    with invalid("This update was reviewed already.", objects=[update]):
        ca.do_review_progress(actor=personas.secretariat, update=update, verify=False, note="Wrong")


def test_a_bulk_review_names_each_refused_update_and_writes_nothing_for_it(personas):
    own = _update(personas)
    with writes_nothing(objects=[own]):
        result = ca.do_review_many(actor=personas.delegate_my, updates=[own], verify=True)
    assert result.done == [] and "cannot verify its own progress update" in result.refused[0][1]
    with audited("progress.verify"):
        result = ca.do_review_many(actor=personas.secretariat, updates=[own], verify=True)
    assert result.done == [own] and result.refused == []


# --- import ------------------------------------------------------------------------------------------------
def test_an_import_by_an_observer_is_refused(personas):
    with denied("You may not import commitments here.", Commitment):
        ca.do_import_commitments(
            actor=personas.observer, dialogue=personas.dialogue, data=CSV, filename="c.csv"
        )


def test_an_import_with_a_bad_row_imports_nothing_and_names_the_row(personas):
    bad = CSV + b"I-2,Second,2026-06-30,2026-01-01\n"
    with writes_nothing(Commitment):
        report = ca.do_import_commitments(
            actor=personas.secretariat, dialogue=personas.dialogue, data=bad, filename="c.csv"
        )
    assert report.imported == [] and len(report.failed) == 1
    with writes_nothing(Commitment):
        report = ca.do_import_commitments(
            actor=personas.secretariat, dialogue=personas.dialogue, data=b"\x00\x01", filename="c.xlsx"
        )
    assert report.error
    with audited("commitment.import", alone=False) as log:
        report = ca.do_import_commitments(
            actor=personas.secretariat, dialogue=personas.dialogue, data=CSV, filename="c.csv"
        )
    assert report.imported == ["I-1"] and log.entry.after["imported"] == 1


def test_behaviour_tests_name_every_commitments_action():
    missing = missing_behaviour_tests(["concord.commitments"], [Path(__file__)])
    assert missing == {"no refusal test": [], "no accepted test": []}, missing
