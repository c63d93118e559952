"""A professional's week in a browser: an opportunity cannot be applied to before matching is allowed (the
page says how); the professional allows it, applies (the manager is notified), and after the allocation
follows the result from the e-mail and the inbox to the round, and accepts the seat. Each page at 1366 px and
390 px and in Urdu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from concord.notices.models import Notice
from concord.talent import actions
from concord.talent.models import Placement
from tests.conftest import PASSWORD, Personas
from tests.talent.conftest import SAMPLE, make_opportunity, make_profile

from .week import follow_notice, in_urdu, look, mailed_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_professional_applies_and_accepts_a_seat(page, live_server, login, shot, settings):
    from concord.talent.models import Skill

    base = live_server.url
    settings.SITE_URL = base
    p = Personas()
    actions.do_import_esco(actor=p.secretariat, directory=SAMPLE)
    esco = {s.uri.split("skill:")[-1] if ":skill:" in s.uri else s.uri: s for s in Skill.objects.all()}
    opportunity = make_opportunity(p, esco, title="Applied machine learning fellowship")
    make_profile(p.outsider, esco, consent=False)
    login("outsider@test.example", PASSWORD)
    look(page, shot, "week-professional-01-my-work")

    # Without matching allowed, the opportunity says what to do instead of offering to apply.
    page.goto(f"{base}{opportunity.get_absolute_url()}")
    expect(page.get_by_role("button", name="Apply")).to_have_count(0)
    expect(page.get_by_text("and allow matching")).to_be_visible()
    look(page, shot, "week-professional-02-needs-consent")
    page.get_by_role("link", name="create your profile").click()
    page.get_by_label("Match me with opportunities").check()
    page.get_by_role("button", name="Save and suggest skills from my text").click()
    page.wait_for_load_state()

    # Apply: the manager hears of it.
    page.goto(f"{base}{opportunity.get_absolute_url()}")
    expect(page.get_by_text("How you match")).to_be_visible()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("You applied (your preference no. 1).")).to_be_visible()
    assert Notice.objects.filter(recipient=p.delegate_my, kind="application_received").exists()
    look(page, shot, "week-professional-03-applied")
    in_urdu(page, shot, "week-professional-03-applied")

    # The manager allocates; the result comes by e-mail and to the inbox, and both open the round.
    rnd = actions.do_create_round(
        actor=p.delegate_my, dialogue=p.dialogue, title="Spring fellowship round", opportunities=[opportunity]
    )
    actions.do_run_round(actor=p.delegate_my, allocation_round=rnd, run="inline")
    assert mailed_link(base, "outsider@test.example", "allocation") == rnd.get_absolute_url()
    follow_notice(page, base, "Spring fellowship round")
    assert page.url.split("#")[0] == base + rnd.get_absolute_url()
    expect(page.get_by_text("Your result and why")).to_be_visible()
    look(page, shot, "week-professional-04-result")
    in_urdu(page, shot, "week-professional-04-result")

    # Accept the seat.
    page.get_by_role("button", name="Accept the seat").click()
    page.wait_for_load_state()
    placement = Placement.objects.get(round=rnd, profile__user=p.outsider)
    assert placement.response == "accepted" and placement.opportunity == opportunity
    expect(page.get_by_role("button", name="Accept the seat")).to_have_count(0)
    look(page, shot, "week-professional-05-accepted")
