"""My work: what waits for each role, each line linking to where it is done, in bounded queries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from concord.commitments import actions as com
from concord.minutes import actions as minutes_actions
from concord.secretariat import actions as sec
from tests.secretariat.conftest import make_commitment, make_meeting, open_meeting


def lines(client) -> str:
    return client.get(reverse("notices:my_work")).content.decode()


def test_a_delegate_sees_progress_to_verify_and_minutes_to_comment_on(personas, as_user):
    commitment = make_commitment(
        personas, "C-7", owner=personas.delegate_pk, end_date=timezone.localdate() + dt.timedelta(days=5)
    )
    com.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="Half", percent=50)
    meeting = make_meeting(personas)
    sec.do_add_participant(actor=personas.secretariat, meeting=meeting, user=personas.delegate_pk)
    participant = meeting.participants.get(user=personas.delegate_pk)
    sec.do_set_rsvp(actor=personas.delegate_pk, participant=participant, rsvp="accepted")
    open_meeting(personas, meeting)
    minutes = minutes_actions.do_save_minutes(
        actor=personas.secretariat, meeting=meeting, language="en", body="T"
    )
    minutes_actions.do_transition_minutes(actor=personas.secretariat, minutes=minutes, to="circulated")

    page = lines(as_user(personas.delegate_pk))
    assert "Verify progress on" in page and commitment.get_absolute_url() in page
    assert "Comment on the minutes of" in page and minutes.get_absolute_url() in page
    assert "Report progress on" in page  # the delegate owns C-7, due in five days
    # The submitter's own party does not verify it.
    assert "Verify progress on" not in lines(as_user(personas.delegate_my))
    # Observers and stakeholders have nothing of this.
    page = lines(as_user(personas.observer))
    assert "Verify progress" not in page and "Comment on the minutes" not in page


def test_an_analyst_sees_mappings_to_review_and_to_sign_off(personas, as_user, ran):
    from concord.harmonize import actions

    page = lines(as_user(personas.analyst_pk))
    assert "mappings in MY–PK data protection" in page and reverse("harmonize:review", args=[ran.pk]) in page
    actions.do_review_mapping(actor=personas.analyst_my, mapping=ran.mappings.first(), decision="accept")
    assert "Sign off 1 accepted mappings" in lines(as_user(personas.analyst_pk))
    assert (
        "Review"
        not in lines(as_user(personas.stakeholder)).split("<main", 1)[1].split("Mappings to review")[1][:200]
    )


def test_a_professional_and_a_manager_see_their_talent_work(personas, as_user, esco):
    from concord.talent import actions
    from tests.talent.conftest import make_opportunity, make_profile

    opportunity = make_opportunity(personas, esco)
    make_profile(personas.analyst_pk, esco)
    actions.do_apply(actor=personas.analyst_pk, opportunity=opportunity)
    assert "Rank your 1 applications" in lines(as_user(personas.analyst_pk))
    assert "1 applications to Applied machine learning fellowship" in lines(as_user(personas.delegate_my))
    assert "applications to" not in lines(as_user(personas.delegate_pk))


def test_an_organisation_sees_interest_to_answer_and_its_bookings(eco, as_user):
    from concord.directory import actions
    from tests.directory.conftest import make_listing

    listing = make_listing(eco, "published")
    interest = actions.do_express_interest(
        actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="Hi"
    )
    assert "Answer Test University of Pakistan" in lines(as_user(eco.stakeholder))
    actions.do_decide_interest(actor=eco.stakeholder, interest=interest, accept=True)
    slot = actions.do_add_slot(
        actor=eco.stakeholder,
        listing=listing,
        starts_at=timezone.now() + dt.timedelta(days=3),
        time_zone="Asia/Karachi",
    )
    actions.do_book_slot(actor=eco.stakeholder_pk, interest=interest, slot=slot)
    page = lines(as_user(eco.stakeholder_pk))
    assert "Meeting with Test University of Pakistan" in page and "(Asia/Karachi)" in page


def test_my_work_stays_within_a_fixed_number_of_queries(personas, as_user, django_assert_max_num_queries):
    for i in range(8):
        commitment = make_commitment(
            personas, f"C-{i}", owner=personas.delegate_pk, end_date=timezone.localdate()
        )
        com.do_add_milestone(
            actor=personas.secretariat,
            commitment=commitment,
            title=f"M{i}",
            planned_date=timezone.localdate(),
        )
        com.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="Some", percent=10)
    client = as_user(personas.delegate_pk)
    with django_assert_max_num_queries(25):
        page = lines(client)
    assert page.count("Verify progress on") == 8 and page.count("Milestone M") == 8


def test_my_work_is_a_signed_in_users_home_and_anonymous_visitors_keep_the_landing(personas, as_user, client):
    commitment = make_commitment(personas, "C-8")
    com.do_submit_progress(actor=personas.delegate_my, commitment=commitment, text="Half", percent=50)
    landing = client.get("/").content.decode()
    assert 'id="my-work"' not in landing and ">Home</a>" in landing
    page = as_user(personas.delegate_pk).get("/").content.decode()
    main = page.split("<main", 1)[1]
    assert main.index('id="my-work"') < main.index('id="recent-notes"')  # what waits comes first
    assert "Verify progress on" in main and commitment.get_absolute_url() in main
    # The header's "My work" leads home, marked as the current page there.
    assert f'<a href="{reverse("core:home")}" aria-current="page">My work</a>' in page
    assert ">Home</a>" not in page
