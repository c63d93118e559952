"""Databases made before commitments became their own app keep their rows.

The database is migrated back to where the previous release left it (commitments still in the secretariat
app), rows are written through the models of that state, and the database is migrated forward again: the
same rows read back through today's models, with their links (agenda items, joint projects' workplans),
their content type (same id, new label) and the notices about them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from concord.commitments.models import Commitment, Milestone, ProgressUpdate
from concord.notices.models import Notice
from concord.programmes.models import JointProject
from concord.secretariat.models import AgendaItem
from tests.migrating import migrate_forward, old_dialogue

BEFORE = [("commitments", None)]  # and with it what depends on it: secretariat 0005, programmes 0004


def _write_old_rows(apps) -> dict:
    dialogue, my, user = old_dialogue(apps)
    Commitment = apps.get_model("secretariat", "Commitment")
    parent = Commitment.objects.create(dialogue=dialogue, code="C-1", title="Data-sharing agreement")
    child = Commitment.objects.create(
        dialogue=dialogue, code="C-2", title="Pilot", parent=parent, end_date=dt.date(2026, 6, 30)
    )
    child.depends_on.add(parent)
    apps.get_model("secretariat", "CommitmentParty").objects.create(commitment=parent, party=my)
    apps.get_model("secretariat", "Milestone").objects.create(commitment=parent, title="Draft signed")
    apps.get_model("secretariat", "ProgressUpdate").objects.create(
        commitment=parent, party=my, submitted_by=user, text="Half done", percent=50
    )
    item = apps.get_model("secretariat", "AgendaItem").objects.create(dialogue=dialogue, title="Review C-1")
    item.commitments.add(parent)
    project = apps.get_model("programmes", "JointProject").objects.create(
        dialogue=dialogue, title="Joint lab", summary="A lab", proposed_by=my
    )
    project.workplan.add(child)
    apps.get_model("notices", "Notice").objects.create(
        recipient=user, kind="due", url="/", object_type="secretariat.commitment", object_id=str(child.pk)
    )
    return {"parent": parent.pk, "child": child.pk, "item": item.pk, "project": project.pk}


@pytest.mark.django_db(transaction=True)
def test_commitments_written_before_the_move_read_back_after_it(executor):
    type_id = ContentType.objects.get_for_model(Commitment).pk
    old_apps = executor.migrate(BEFORE).apps
    assert ContentType.objects.get(pk=type_id).app_label == "secretariat"
    ids = _write_old_rows(old_apps)

    migrate_forward(executor)

    parent = Commitment.objects.get(pk=ids["parent"])
    child = Commitment.objects.get(pk=ids["child"])
    assert (parent.code, parent.title, child.parent_id) == ("C-1", "Data-sharing agreement", parent.pk)
    assert list(child.depends_on.all()) == [parent]
    assert [s.party.code for s in parent.party_shares.all()] == ["MY"]
    assert [m.title for m in Milestone.objects.filter(commitment=parent)] == ["Draft signed"]
    assert [(u.text, u.percent) for u in ProgressUpdate.objects.filter(commitment=parent)] == [
        ("Half done", 50)
    ]
    assert list(AgendaItem.objects.get(pk=ids["item"]).commitments.all()) == [parent]
    assert list(JointProject.objects.get(pk=ids["project"]).workplan.all()) == [child]
    assert list(parent.agenda_items.values_list("pk", flat=True)) == [ids["item"]]
    content_type = ContentType.objects.get(pk=type_id)
    assert (content_type.app_label, content_type.model) == ("commitments", "commitment")
    assert Notice.objects.get(object_id=str(child.pk)).object_type == "commitments.commitment"
