"""Each kind of notice reaches the people who may open its page, and nobody else; e-mail follows their
choices, in their language, with the page's absolute address."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from concord.commitments import actions as com
from concord.minutes import actions as minutes_actions
from concord.notices.kinds import Kind
from concord.notices.models import Notice
from concord.secretariat import actions as sec
from tests.secretariat.conftest import make_commitment, make_meeting, open_meeting

KARACHI = ZoneInfo("Asia/Karachi")


def got(kind) -> set[str]:
    return {
        n.recipient.email.split("@")[0] for n in Notice.objects.filter(kind=kind).select_related("recipient")
    }


# --- secretariat ------------------------------------------------------------------------------------------
def test_an_invitation_reaches_the_invitee_by_inbox_and_email_in_their_language(personas, committed):
    personas.delegate_pk.language = "ur"
    personas.delegate_pk.save()
    meeting = make_meeting(
        personas, starts_at=dt.datetime(2026, 3, 10, 10, 0, tzinfo=KARACHI), time_zone="Asia/Karachi"
    )
    mail.outbox.clear()
    with override_settings(SITE_URL="https://concord.example"), committed():
        sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    assert got(Kind.INVITATION) == {"delegate_pk"}
    [message] = mail.outbox
    assert message.to == ["delegate_pk@test.example"]
    assert "https://concord.example" + meeting.get_absolute_url() in message.body
    assert "10:00 (Asia/Karachi)" in message.body
    assert "مدعو" in message.body  # Urdu: "invited"


def test_an_agenda_change_reaches_the_participants_who_see_the_item(personas):
    meeting = make_meeting(personas)
    for who in ("delegate_my", "delegate_pk", "observer"):
        sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.users[who])
    sec.do_add_agenda_item(
        actor=personas.secretariat, dialogue=personas.dialogue, meeting=meeting, title="Data flows"
    )
    # The observer reads only public secretariat records; this meeting is for dialogue members.
    assert got(Kind.AGENDA_CHANGED) == {"delegate_my", "delegate_pk"}
    notice = Notice.objects.filter(kind=Kind.AGENDA_CHANGED).first()
    assert "Data flows" in notice.text() and notice.url.startswith(meeting.get_absolute_url())


def test_a_moved_meeting_tells_its_participants_when_and_where_it_now_is(personas, committed):
    meeting = make_meeting(personas, time_zone="Asia/Karachi")
    for who in ("delegate_my", "delegate_pk"):
        sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.users[who])
    sec.do_update_meeting(actor=personas.secretariat, meeting=meeting, title="Senior officials (renamed)")
    assert got(Kind.MEETING_RESCHEDULED) == set(), "a new title alone moves nothing"
    mail.outbox.clear()
    with committed():
        sec.do_update_meeting(
            actor=personas.secretariat,
            meeting=meeting,
            starts_at=dt.datetime(2026, 4, 2, 10, 0, tzinfo=KARACHI),
            ends_at=dt.datetime(2026, 4, 2, 16, 0, tzinfo=KARACHI),
            venue="Islamabad",
        )
    assert got(Kind.MEETING_RESCHEDULED) == {"delegate_my", "delegate_pk"}
    text = Notice.objects.filter(kind=Kind.MEETING_RESCHEDULED).first().text()
    assert "10:00 (Asia/Karachi)" in text and "Islamabad" in text
    assert len(mail.outbox) == 2, "moves go by e-mail unless a person chooses otherwise"
    sec.do_update_meeting(actor=personas.secretariat, meeting=meeting, venue="Lahore")
    assert Notice.objects.filter(kind=Kind.MEETING_RESCHEDULED).count() == 4, "each move is its own notice"


def test_a_cancelled_meeting_tells_its_participants_why(personas):
    meeting = make_meeting(personas)
    sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    sec.do_cancel_meeting(
        actor=personas.secretariat, meeting=meeting, reason="The venue is closed for repairs."
    )
    assert got(Kind.MEETING_CANCELLED) == {"delegate_pk"}
    assert "closed for repairs" in Notice.objects.get(kind=Kind.MEETING_CANCELLED).text()


def test_minutes_circulated_and_adopted_reach_the_participants(personas):
    meeting = make_meeting(personas)
    sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    open_meeting(personas, meeting)
    minutes = minutes_actions.do_save_minutes(
        actor=personas.secretariat, meeting=meeting, language="en", body="Text"
    )
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")
    assert got(Kind.MINUTES_CIRCULATED) == {"delegate_pk"}
    sec.do_transition_meeting(actor=personas.secretariat, meeting=meeting, to="closed")
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="adopted")
    assert got(Kind.MINUTES_ADOPTED) == {"delegate_pk"}
    assert Notice.objects.get(kind=Kind.MINUTES_ADOPTED).url == minutes.get_absolute_url()


def test_progress_waits_for_the_other_partys_delegates_and_the_secretariat(personas):
    commitment = make_commitment(personas)
    com.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="Done half", percent=50)
    # Never the submitter, never the submitter's own party, never analysts, stakeholders or observers.
    assert got(Kind.PROGRESS_TO_VERIFY) == {"secretariat", "delegate_pk"}


def test_due_reminders_become_notices_once(personas, committed):
    today = timezone.localdate()
    from concord.reporting.actions import do_send_reminders

    make_commitment(personas, "DUE", owner=personas.delegate_my, end_date=today + dt.timedelta(days=3))
    mail.outbox.clear()
    with committed():
        assert do_send_reminders(actor=None, today=today) == 1
    assert do_send_reminders(actor=None, today=today) == 0
    assert got(Kind.DUE) == {"delegate_my"}
    assert len(mail.outbox) == 1 and "DUE" in mail.outbox[0].subject


# --- harmonize ----------------------------------------------------------------------------------------------
def test_a_review_by_one_party_waits_for_the_other_partys_reviewers(personas, ran):
    from concord.harmonize import actions

    mapping = ran.mappings.first()
    actions.do_review_mapping(actor=personas.analyst_my, mapping=mapping, decision="accept")
    assert got(Kind.MAPPING_TO_REVIEW) == {"analyst_pk", "delegate_pk"}
    actions.do_sign_off(actor=personas.delegate_my, mapping=mapping)
    assert got(Kind.SIGN_OFF_REQUESTED) == {"analyst_pk", "delegate_pk"}
    assert Notice.objects.filter(kind=Kind.SIGN_OFF_REQUESTED).first().url == ran.get_absolute_url()


def test_a_party_only_comparison_tells_nobody_outside_that_party(personas, make_comparison):
    from concord.harmonize import actions

    comparison = make_comparison(visibility="party", party=personas.my)
    actions.do_run_comparison(actor=personas.analyst_my, comparison=comparison)
    mapping = comparison.mappings.first()
    actions.do_review_mapping(actor=personas.analyst_my, mapping=mapping, decision="accept")
    actions.do_sign_off(actor=personas.delegate_my, mapping=mapping)
    assert got(Kind.MAPPING_TO_REVIEW) == set() and got(Kind.SIGN_OFF_REQUESTED) == set()


# --- talent -------------------------------------------------------------------------------------------------
def test_an_application_reaches_the_opportunitys_managers_and_the_result_the_applicants(personas, esco):
    from concord.talent import actions
    from tests.talent.conftest import make_opportunity, make_profile

    opportunity = make_opportunity(personas, esco)
    make_profile(personas.analyst_pk, esco)
    actions.do_apply(actor=personas.analyst_pk, opportunity=opportunity)
    # The Malaysian delegate created it; the secretariat manages every opportunity it can see.
    assert got(Kind.APPLICATION_RECEIVED) == {"delegate_my", "secretariat"}
    allocation_round = actions.do_create_round(
        actor=personas.delegate_my,
        dialogue=personas.dialogue,
        title="Spring round",
        opportunities=[opportunity],
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=allocation_round, run="inline")
    assert got(Kind.ALLOCATION_RESULT) == {"analyst_pk"}


# --- directory ----------------------------------------------------------------------------------------------
def test_interest_and_a_booked_slot_reach_the_listings_organisation_with_a_calendar_file(eco, committed):
    from concord.directory import actions
    from tests.directory.conftest import make_listing

    listing = make_listing(eco, "published")
    mail.outbox.clear()
    with committed():
        interest = actions.do_express_interest(
            actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="Let us meet."
        )
    assert got(Kind.INTEREST) == {"stakeholder"}
    actions.do_decide_interest(actor=eco.stakeholder, interest=interest, accept=True)
    starts = timezone.now().astimezone(KARACHI).replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + dt.timedelta(days=7)
    slot = actions.do_add_slot(
        actor=eco.stakeholder, listing=listing, starts_at=starts, time_zone="Asia/Karachi"
    )
    mail.outbox.clear()
    with committed():
        actions.do_book_slot(actor=eco.stakeholder_pk, interest=interest, slot=slot)
    assert got(Kind.SLOT_BOOKED) == {"stakeholder"}
    [message] = mail.outbox
    assert "09:30 (Asia/Karachi)" in message.body
    [(name, content, media_type)] = message.attachments
    assert name.endswith(".ics") and media_type == "text/calendar"
    assert "DTSTART;TZID=Asia/Karachi:" in content and "T093000" in content


# --- preferences --------------------------------------------------------------------------------------------
def test_a_person_who_chose_in_app_only_gets_no_email(personas, committed):
    from concord.notices.actions import do_set_email_choices

    do_set_email_choices(actor=personas.delegate_pk, user=personas.delegate_pk, email_kinds=[])
    meeting = make_meeting(personas)
    mail.outbox.clear()
    with committed():
        sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    assert got(Kind.INVITATION) == {"delegate_pk"} and mail.outbox == []


def test_a_person_may_ask_for_email_of_a_kind_that_is_in_app_only_by_default(personas, committed):
    from concord.notices.actions import do_set_email_choices

    do_set_email_choices(
        actor=personas.delegate_pk, user=personas.delegate_pk, email_kinds=[Kind.AGENDA_CHANGED]
    )
    meeting = make_meeting(personas)
    sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    mail.outbox.clear()
    with committed():
        sec.do_add_agenda_item(
            actor=personas.secretariat, dialogue=personas.dialogue, meeting=meeting, title="New item"
        )
    assert [m.to for m in mail.outbox] == [["delegate_pk@test.example"]]


def test_nobody_sets_another_persons_choices(personas):
    from django.core.exceptions import PermissionDenied

    from concord.notices.actions import do_set_email_choices

    with pytest.raises(PermissionDenied):
        do_set_email_choices(actor=personas.secretariat, user=personas.delegate_pk, email_kinds=[])


def test_an_unknown_kind_is_refused_by_name(personas):
    from django.core.exceptions import ValidationError

    from concord.notices.actions import do_set_email_choices

    with pytest.raises(ValidationError, match="weather"):
        do_set_email_choices(actor=personas.delegate_pk, user=personas.delegate_pk, email_kinds=["weather"])


def test_a_failing_mail_server_never_fails_the_action(personas, committed, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    meeting = make_meeting(personas)
    with committed():
        sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    notice = Notice.objects.get(kind=Kind.INVITATION)
    assert notice.emailed_at is None
