"""Databases made before the minutes became their own app keep their rows.

The database is migrated back to where the previous release left it (minutes still in the secretariat app),
rows are written through the models of that state, and the database is migrated forward again: the same
rows read back through today's models, with their versions and amendments, their content type (same id,
new label) and the notices about them; the audit log reads an object's entries under either label.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from concord.audit.models import AuditEntry
from concord.minutes.models import Amendment, Minutes, MinutesVersion
from concord.notices.models import Notice
from concord.secretariat.models import Meeting
from tests.migrating import migrate_forward, old_dialogue

BEFORE = [("minutes", None)]  # and with it what depends on it: secretariat 0006


def _write_old_rows(apps) -> dict:
    dialogue, _my, user = old_dialogue(apps)
    meeting = apps.get_model("secretariat", "Meeting").objects.create(
        dialogue=dialogue, title="Old meeting", level="senior_officials"
    )
    minutes = apps.get_model("secretariat", "Minutes").objects.create(
        meeting=meeting, language="ms", body="Kami bertemu.", state="circulated", version=2
    )
    MinutesVersion = apps.get_model("secretariat", "MinutesVersion")
    for version, state in ((1, "draft"), (2, "circulated")):
        MinutesVersion.objects.create(minutes=minutes, version=version, state=state, body="Kami bertemu.")
    amendment = apps.get_model("secretariat", "Amendment").objects.create(
        minutes=minutes, proposed_by=user, original="bertemu", replacement="bertemu di Putrajaya"
    )
    apps.get_model("notices", "Notice").objects.create(
        recipient=user,
        kind="minutes_circulated",
        url="/",
        object_type="secretariat.minutes",
        object_id=str(minutes.pk),
    )
    apps.get_model("audit", "AuditEntry").objects.create(
        action="minutes.create", object_type="secretariat.minutes", object_id=str(minutes.pk)
    )
    return {"meeting": meeting.pk, "minutes": minutes.pk, "amendment": amendment.pk}


@pytest.mark.django_db(transaction=True)
def test_minutes_written_before_the_move_read_back_after_it(executor):
    type_ids = {m: ContentType.objects.get_for_model(m).pk for m in (Minutes, MinutesVersion, Amendment)}
    old_apps = executor.migrate(BEFORE).apps
    assert {ContentType.objects.get(pk=pk).app_label for pk in type_ids.values()} == {"secretariat"}
    ids = _write_old_rows(old_apps)

    migrate_forward(executor)

    minutes = Minutes.objects.get(pk=ids["minutes"])
    assert (minutes.meeting_id, minutes.language, minutes.state, minutes.version) == (
        ids["meeting"],
        "ms",
        "circulated",
        2,
    )
    assert list(Meeting.objects.get(pk=ids["meeting"]).minutes.all()) == [minutes]
    assert [(v.version, v.state) for v in minutes.versions.all()] == [(1, "draft"), (2, "circulated")]
    amendment = minutes.amendments.get()
    assert (amendment.pk, amendment.replacement) == (ids["amendment"], "bertemu di Putrajaya")
    for model, pk in type_ids.items():
        content_type = ContentType.objects.get(pk=pk)
        assert (content_type.app_label, content_type.model) == ("minutes", model._meta.model_name)
    assert Notice.objects.get(object_id=str(minutes.pk)).object_type == "minutes.minutes"
    assert [e.action for e in AuditEntry.objects.for_object(minutes)] == ["minutes.create"]
