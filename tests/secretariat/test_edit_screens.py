"""The secretariat's weekly edit screens: working groups and members, editing, rescheduling and cancelling a
meeting (with its calendar file), agenda items edited, reordered and deleted, participants removed or
invited by working group, commitments and milestone owners edited, and several updates verified at once."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from concord.audit.models import AuditEntry
from concord.commitments import actions as ca
from concord.secretariat import actions
from concord.secretariat.agenda import actions as agenda_actions
from concord.secretariat.models import AgendaItem, Participant, WorkingGroup

from .conftest import KL, add_item, make_commitment, make_meeting, open_meeting, record_outcome

pytestmark = pytest.mark.django_db


def _agenda(personas, meeting, *titles):
    return [add_item(personas, meeting, t) for t in titles]


def _titles(meeting):
    return list(meeting.agenda.order_by("order", "id").values_list("title", flat=True))


def _group(personas, *members):
    group = actions.do_create_working_group(
        actor=personas.secretariat, dialogue=personas.dialogue, slug="data", name="Data governance"
    )
    for user in members:
        actions.do_add_working_group_member(actor=personas.secretariat, working_group=group, user=user)
    return group


# --- working groups -----------------------------------------------------------------------------------
def test_the_secretariat_creates_a_working_group_and_manages_its_members(personas, as_user):
    client = as_user(personas.secretariat)
    response = client.post(
        reverse("secretariat:working_group_create", args=["pk-my"]),
        {"name": "Cross-border data", "slug": "cross-border-data", "visibility": "public"},
    )
    group = WorkingGroup.objects.get(slug="cross-border-data")
    assert response["Location"] == group.get_absolute_url()
    client.post(
        reverse("secretariat:working_group_member_add", args=[group.pk]),
        {"user": personas.delegate_my.pk, "position": "co_chair", "party": personas.my.pk},
    )
    member = group.members.get()
    assert (member.user, member.position, member.party) == (personas.delegate_my, "co_chair", personas.my)
    page = client.get(group.get_absolute_url())
    assert b"Remove" in page.content and b"Add to the working group" in page.content
    client.post(reverse("secretariat:working_group_member_remove", args=[member.pk]))
    assert not group.members.exists()
    assert list(
        AuditEntry.objects.filter(object_id=str(group.pk), action__startswith="working_group")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["working_group.create", "working_group.member", "working_group.member_remove"]


def test_a_duplicate_short_name_is_named_on_the_form(personas, as_user):
    _group(personas)
    response = as_user(personas.secretariat).post(
        reverse("secretariat:working_group_create", args=["pk-my"]),
        {"name": "Again", "slug": "data", "visibility": "public"},
    )
    assert response.status_code == 400
    assert "Another working group already uses this short name." in response.content.decode()


def test_only_the_secretariat_changes_working_groups(personas, as_user):
    group = _group(personas, personas.delegate_pk)
    member = group.members.get()
    with pytest.raises(PermissionDenied):
        actions.do_remove_working_group_member(actor=personas.delegate_my, member=member)
    client = as_user(personas.delegate_my)
    assert client.get(reverse("secretariat:working_group_create", args=["pk-my"])).status_code == 403
    assert b"Add to the working group" not in client.get(group.get_absolute_url()).content


# --- meetings ---------------------------------------------------------------------------------------
def test_rescheduling_reads_local_time_at_the_venue_and_bumps_the_calendar_sequence(
    personas, as_user, meeting
):
    client = as_user(personas.secretariat)
    page = client.get(reverse("secretariat:meeting_edit", args=[meeting.pk]))
    assert b'value="2026-03-10T09:30"' in page.content  # the wall time in Kuala Lumpur, as stored
    response = client.post(
        reverse("secretariat:meeting_edit", args=[meeting.pk]),
        {
            "title": "Senior officials meeting (moved)",
            "mode": "hybrid",
            "venue": "Islamabad",
            "time_zone": "Asia/Karachi",
            "starts_at": "2026-03-12T10:00",
            "ends_at": "2026-03-12T16:00",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2026, 3, 12, 5, 0, tzinfo=dt.UTC)
    assert (meeting.venue, meeting.time_zone, meeting.sequence) == ("Islamabad", "Asia/Karachi", 1)
    entry = AuditEntry.objects.filter(action="meeting.update").latest("id")
    assert entry.before["venue"] == "Putrajaya" and entry.after["venue"] == "Islamabad"


def test_a_meeting_that_ends_before_it_starts_is_refused_beside_the_field(personas, as_user, meeting):
    response = as_user(personas.secretariat).post(
        reverse("secretariat:meeting_edit", args=[meeting.pk]),
        {
            "title": "X",
            "mode": "online",
            "time_zone": "Asia/Kuala_Lumpur",
            "starts_at": "2026-03-12T10:00",
            "ends_at": "2026-03-12T09:00",
        },
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Senior officials meeting"


def test_a_cancelled_meeting_stays_visible_with_its_reason_and_its_calendar_entry_is_cancelled(
    personas, as_user, meeting
):
    client = as_user(personas.secretariat)
    refused = client.post(
        reverse("secretariat:meeting_cancel", args=[meeting.pk]), {"reason": "  "}, follow=True
    )
    assert "This field is required." in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == "draft"
    client.post(reverse("secretariat:meeting_cancel", args=[meeting.pk]), {"reason": "The venue is closed."})
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancellation_reason) == ("cancelled", "The venue is closed.")
    page = as_user(personas.delegate_pk).get(meeting.get_absolute_url()).content.decode()
    assert "This meeting was cancelled." in page and "The venue is closed." in page
    ics = as_user(personas.delegate_pk).get(reverse("secretariat:meeting_ics", args=[meeting.pk]))
    event = next(iter(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")))
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert AuditEntry.objects.get(action="meeting.cancel").after["reason"] == "The venue is closed."


def test_cancelling_without_a_reason_is_refused_through_every_door(personas, meeting):
    with pytest.raises(ValidationError) as raised:
        actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="cancelled")
    assert raised.value.message_dict["reason"] == ["Say why the meeting is cancelled."]
    with pytest.raises(ValidationError):
        actions.do_cancel_meeting(actor=personas.secretariat, meeting=meeting, reason="")
    open_meeting(personas, meeting)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        actions.do_cancel_meeting(actor=personas.secretariat, meeting=meeting, reason="Too late")


def test_the_meeting_calendar_file_downloads_in_the_venue_zone(personas, as_user, meeting):
    response = as_user(personas.delegate_my).get(reverse("secretariat:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    assert b"DTSTART;TZID=Asia/Kuala_Lumpur:20260310T093000\r\n" in response.content
    assert (
        b"Add to my calendar (.ics)" in as_user(personas.delegate_my).get(meeting.get_absolute_url()).content
    )


def test_the_calendar_file_follows_the_meetings_visibility(personas, client):
    members_only = make_meeting(personas)
    assert client.get(reverse("secretariat:meeting_ics", args=[members_only.pk])).status_code == 404
    undated = make_meeting(personas, visibility="public", starts_at=None, ends_at=None)
    assert client.get(reverse("secretariat:meeting_ics", args=[undated.pk])).status_code == 404


# --- participants -----------------------------------------------------------------------------------------
def test_inviting_a_working_group_adds_each_member_once_and_mails_the_new_ones(
    personas, as_user, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    group = _group(personas, personas.delegate_my, personas.delegate_pk, personas.analyst_pk)
    actions.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_my)
    mailoutbox.clear()
    client = as_user(personas.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("secretariat:invite_group", args=[meeting.pk]), {"working_group": group.pk})
    assert set(meeting.participants.values_list("user__email", flat=True)) == {
        "delegate_my@test.example",
        "delegate_pk@test.example",
        "analyst_pk@test.example",
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["analyst_pk@test.example", "delegate_pk@test.example"]
    assert meeting.participants.get(user=personas.delegate_pk).party == personas.pk
    again = client.post(
        reverse("secretariat:invite_group", args=[meeting.pk]), {"working_group": group.pk}, follow=True
    )
    assert "Every member of Data governance was already invited." in again.content.decode()
    entry = AuditEntry.objects.filter(action="participant.invite_group").earliest("id")
    assert sorted(entry.after["users"]) == ["analyst_pk@test.example", "delegate_pk@test.example"]


def test_a_member_whose_seat_ended_is_not_invited_with_the_group(personas, meeting):
    from concord.accounts import actions as account_actions

    group = _group(personas, personas.delegate_my, personas.delegate_pk)
    account_actions.do_end_membership(
        actor=personas.secretariat, membership=personas.delegate_pk.memberships.get()
    )
    added = actions.do_invite_working_group(actor=personas.secretariat, meeting=meeting, working_group=group)
    assert [p.user for p in added] == [personas.delegate_my]


def test_a_participant_is_removed_until_attendance_is_on_record(personas, as_user, meeting):
    for user in (personas.delegate_my, personas.delegate_pk):
        actions.do_add_participant(actor=personas.secretariat, meeting=meeting, user=user)
    gone, kept = (meeting.participants.get(user=u) for u in (personas.delegate_my, personas.delegate_pk))
    client = as_user(personas.secretariat)
    client.post(reverse("secretariat:participant_remove", args=[gone.pk]))
    assert not Participant.objects.filter(pk=gone.pk).exists()
    assert AuditEntry.objects.get(action="participant.remove").before == {"user": "delegate_my@test.example"}
    actions.do_record_attendance(actor=personas.secretariat, participant=kept, attended=False)
    with pytest.raises(ValidationError, match="attendance is on record"):
        actions.do_remove_participant(actor=personas.secretariat, participant=kept)
    with pytest.raises(PermissionDenied):
        actions.do_remove_participant(actor=personas.delegate_pk, participant=kept)


# --- agenda -----------------------------------------------------------------------------------------------
def test_agenda_items_move_up_and_down_without_javascript(personas, as_user, meeting):
    first, second, third = _agenda(personas, meeting, "Opening", "Data flows", "Any other business")
    client = as_user(personas.secretariat)
    response = client.post(reverse("secretariat:item_move", args=[third.pk]), {"direction": "up"})
    assert response["Location"].endswith(f"#item-{third.pk}")
    assert _titles(meeting) == ["Opening", "Any other business", "Data flows"]
    client.post(reverse("secretariat:item_move", args=[first.pk]), {"direction": "down"})
    assert _titles(meeting) == ["Any other business", "Opening", "Data flows"]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.index("Any other business") < page.index("Opening") < page.index("Data flows")
    assert AuditEntry.objects.filter(action="agenda_item.move").latest("id").after == {"position": 2}


def test_the_first_item_cannot_move_up_and_the_message_names_it(personas, as_user, meeting):
    first, _second = _agenda(personas, meeting, "Opening", "Close")
    response = as_user(personas.secretariat).post(
        reverse("secretariat:item_move", args=[first.pk]), {"direction": "up"}, follow=True
    )
    assert "“Opening” is already first on the agenda." in response.content.decode()
    assert _titles(meeting) == ["Opening", "Close"]


def test_an_agenda_item_is_edited_and_a_zero_duration_is_named(personas, as_user, meeting):
    (item,) = _agenda(personas, meeting, "Data flows")
    client = as_user(personas.secretariat)
    url = reverse("secretariat:item_edit", args=[item.pk])
    refused = client.post(url, {"title": "Data flows", "kind": "decision", "duration_minutes": "0"})
    assert refused.status_code == 400
    assert "An agenda item lasts at least 1 minute" in refused.content.decode()
    client.post(
        url,
        {
            "title": "Cross-border data flows",
            "kind": "decision",
            "duration_minutes": "45",
            "section": "Trade",
        },
    )
    item.refresh_from_db()
    assert (item.title, item.kind, item.duration_minutes, item.section) == (
        "Cross-border data flows",
        "decision",
        45,
        "Trade",
    )
    entry = AuditEntry.objects.get(action="agenda_item.update")
    assert entry.before["title"] == "Data flows" and entry.after["title"] == "Cross-border data flows"


def test_an_item_with_outcomes_is_kept_and_others_are_deleted(personas, as_user, meeting):
    kept, gone = _agenda(personas, meeting, "Decided", "Dropped")
    open_meeting(personas, meeting)
    record_outcome(personas, kept, "decision", "Yes")
    client = as_user(personas.secretariat)
    client.post(reverse("secretariat:item_delete", args=[gone.pk]))
    assert not AgendaItem.objects.filter(pk=gone.pk).exists()
    assert AuditEntry.objects.get(action="agenda_item.delete").before["title"] == "Dropped"
    response = client.post(reverse("secretariat:item_delete", args=[kept.pk]), follow=True)
    assert "“Decided” has recorded outcomes" in response.content.decode()
    assert AgendaItem.objects.filter(pk=kept.pk).exists()


def test_a_closed_meetings_agenda_does_not_change(personas, meeting):
    (item,) = _agenda(personas, meeting, "Item")
    open_meeting(personas, meeting)
    actions.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    for call in (
        lambda: agenda_actions.do_update_agenda_item(actor=personas.secretariat, item=item, title="New"),
        lambda: agenda_actions.do_move_agenda_item(actor=personas.secretariat, item=item, direction="down"),
        lambda: agenda_actions.do_delete_agenda_item(actor=personas.secretariat, item=item),
    ):
        with pytest.raises(ValidationError, match="closed or cancelled"):
            call()


def test_only_the_secretariat_edits_the_agenda(personas, as_user, meeting):
    (item,) = _agenda(personas, meeting, "Item")
    for role in ("delegate_my", "analyst_pk", "observer"):
        with pytest.raises((PermissionDenied,)):
            agenda_actions.do_move_agenda_item(actor=personas.users[role], item=item, direction="down")
    client = as_user(personas.delegate_my)
    assert client.get(reverse("secretariat:item_edit", args=[item.pk])).status_code == 403
    assert b"item_move" not in client.get(meeting.get_absolute_url()).content


# --- commitments ------------------------------------------------------------------------------------------
def test_a_commitments_title_dates_and_owner_are_edited(personas, as_user, commitment):
    client = as_user(personas.secretariat)
    response = client.post(
        reverse("secretariat:commitment_edit", args=[commitment.pk]),
        {
            "title": "Mutual recognition of data-protection certificates",
            "owner": personas.delegate_pk.pk,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title == "Mutual recognition of data-protection certificates"
    assert commitment.owner == personas.delegate_pk and commitment.end_date == dt.date(2026, 12, 31)
    refused = client.post(
        reverse("secretariat:commitment_edit", args=[commitment.pk]),
        {"title": "T", "start_date": "2026-12-31", "end_date": "2026-01-01"},
    )
    assert refused.status_code == 400
    assert "The end date comes before the start date." in refused.content.decode()


def test_a_commitment_owner_must_be_a_member_of_the_dialogue(personas, commitment):
    with pytest.raises(ValidationError) as raised:
        ca.do_update_commitment(actor=personas.secretariat, commitment=commitment, owner=personas.outsider)
    assert "owner" in raised.value.message_dict


def test_a_milestone_gets_an_owner(personas, as_user, commitment):
    milestone = ca.do_add_milestone(actor=personas.secretariat, commitment=commitment, title="Draft the MoU")
    client = as_user(personas.secretariat)
    client.post(
        reverse("secretariat:milestone_edit", args=[milestone.pk]),
        {
            f"m{milestone.pk}-title": "Draft the MoU text",
            f"m{milestone.pk}-planned_date": "2026-05-01",
            f"m{milestone.pk}-owner": personas.analyst_my.pk,
            f"m{milestone.pk}-weight": "2",
        },
    )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.owner, milestone.weight) == (
        "Draft the MoU text",
        personas.analyst_my,
        2,
    )
    assert "Analyst My" in client.get(commitment.get_absolute_url()).content.decode()
    assert (
        AuditEntry.objects.filter(action="milestone.update").latest("id").after["owner"]
        == personas.analyst_my.pk
    )
    with pytest.raises(PermissionDenied):
        ca.do_update_milestone(actor=personas.observer, milestone=milestone, title="X")


# --- bulk verification ------------------------------------------------------------------------------------
def test_several_updates_are_verified_at_once_and_a_refused_one_is_named(personas, as_user):
    c1, c2, c3 = (make_commitment(personas, code) for code in ("C-1", "C-2", "C-3"))
    mine = ca.do_submit_progress(actor=personas.delegate_pk, commitment=c1, text="PK work", percent=20)
    theirs = ca.do_submit_progress(actor=personas.delegate_my, commitment=c2, text="MY work", percent=30)
    also = ca.do_submit_progress(actor=personas.analyst_my, commitment=c3, text="MY more", percent=40)
    client = as_user(personas.delegate_pk)
    page = client.get(reverse("secretariat:progress_waiting", args=["pk-my"])).content.decode()
    assert "C-2" in page and "C-3" in page and f'value="{mine.pk}"' not in page  # not its own party's
    response = client.post(
        reverse("secretariat:progress_waiting", args=["pk-my"]),
        {"update": [mine.pk, theirs.pk, also.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "2 updates verified." in text
    assert "C-1 (20%) was not verified: A party cannot verify its own progress update" in text
    for update in (mine, theirs, also):
        update.refresh_from_db()
    assert [mine.state, theirs.state, also.state] == ["submitted", "verified", "verified"]
    assert AuditEntry.objects.filter(action="progress.verify").count() == 2


def test_bulk_verification_needs_a_choice(personas, as_user):
    response = as_user(personas.secretariat).post(
        reverse("secretariat:progress_waiting", args=["pk-my"]), {}, follow=True
    )
    assert "Tick the updates to verify." in response.content.decode()


def test_the_waiting_list_stays_within_a_fixed_number_of_queries(
    personas, as_user, django_assert_max_num_queries
):
    for i in range(8):
        c = make_commitment(personas, f"Q-{i}")
        ca.do_submit_progress(actor=personas.delegate_my, commitment=c, text="t", percent=10)
    client = as_user(personas.delegate_pk)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("secretariat:progress_waiting", args=["pk-my"]))
    assert response.content.decode().count('name="update"') == 8


def test_meeting_times_in_the_edit_form_are_shown_in_the_venue_zone(personas, as_user):
    meeting = make_meeting(
        personas,
        time_zone="Asia/Karachi",
        starts_at=dt.datetime(2026, 3, 10, 13, 0, tzinfo=KL),
        ends_at=dt.datetime(2026, 3, 10, 15, 0, tzinfo=KL),
    )
    page = as_user(personas.secretariat).get(reverse("secretariat:meeting_edit", args=[meeting.pk]))
    assert b'value="2026-03-10T10:00"' in page.content


# --- send to the agenda -----------------------------------------------------------------------------------
def test_a_commitment_is_sent_to_a_meetings_agenda_and_shows_where_it_was_discussed(
    personas, as_user, commitment
):
    meeting = make_meeting(personas, title="Review meeting")
    client = as_user(personas.secretariat)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "s agenda yet." in page.split('id="discussed"')[1] and "Review meeting" in page
    client.post(reverse("secretariat:commitment_to_agenda", args=[commitment.pk]), {"meeting": meeting.pk})
    item = meeting.agenda.get()
    assert list(item.commitments.all()) == [commitment]
    assert item.title == "Progress on C-1 Commitment C-1"
    open_meeting(personas, meeting)
    record_outcome(personas, item, "decision", "Extend to 2027.")
    page = as_user(personas.delegate_my).get(commitment.get_absolute_url()).content.decode()
    discussed = page.split('id="discussed"')[1].split("<h2")[0]
    assert "Review meeting" in discussed and "Extend to 2027." in discussed


def test_a_delegate_sends_a_commitment_to_the_backlog_only(personas, as_user, commitment):
    meeting = make_meeting(personas)
    client = as_user(personas.delegate_my)
    assert f'<option value="{meeting.pk}">' not in client.get(commitment.get_absolute_url()).content.decode()
    client.post(reverse("secretariat:commitment_to_agenda", args=[commitment.pk]), {"meeting": meeting.pk})
    assert not meeting.agenda.exists()  # only the secretariat builds a meeting's agenda
    client.post(reverse("secretariat:commitment_to_agenda", args=[commitment.pk]), {"meeting": ""})
    waiting = AgendaItem.objects.get(meeting=None)
    assert list(waiting.commitments.all()) == [commitment]
