"""A professional withdraws an application, reorders their preferences, and accepts or declines a seat; a
declined seat goes to the next applicant, as when a placed person deletes their profile."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from concord.audit.models import AuditEntry
from concord.talent import actions
from concord.talent.models import AllocationRound, Application, Placement

from .conftest import make_opportunity, make_profile, run_inline_round, two_applicants

pytestmark = pytest.mark.django_db


def _three_applications(personas, esco):
    make_profile(personas.outsider, esco)
    opps = [
        make_opportunity(personas, esco, title=t) for t in ("Alpha fellowship", "Beta exchange", "Gamma job")
    ]
    for opp in opps:
        actions.do_apply(actor=personas.outsider, opportunity=opp)
    return opps


def _preferences(user):
    return list(
        Application.objects.filter(profile__user=user)
        .order_by("rank")
        .values_list("opportunity__title", flat=True)
    )


def _round(personas, esco, seats=1):
    opp = make_opportunity(personas, esco, seats=seats)
    first, second = two_applicants(personas, esco, opp)
    rnd = run_inline_round(personas, [opp])
    return opp, rnd, first, second


def test_preferences_move_up_and_down_with_buttons(personas, esco, as_user):
    _three_applications(personas, esco)
    client = as_user(personas.outsider)
    gamma = Application.objects.get(opportunity__title="Gamma job")
    response = client.post(reverse("talent:application_move", args=[gamma.pk]), {"direction": "up"})
    assert response["Location"].endswith("#apps-h")
    assert _preferences(personas.outsider) == ["Alpha fellowship", "Gamma job", "Beta exchange"]
    alpha = Application.objects.get(opportunity__title="Alpha fellowship")
    client.post(reverse("talent:application_move", args=[alpha.pk]), {"direction": "down"})
    assert _preferences(personas.outsider) == ["Gamma job", "Alpha fellowship", "Beta exchange"]
    page = client.get(reverse("talent:my_profile")).content.decode()
    assert page.index("Gamma job") < page.index("Alpha fellowship") < page.index("Beta exchange")
    entry = AuditEntry.objects.filter(action="talent.application.move").latest("id")
    assert (entry.before["rank"], entry.after["rank"]) == (1, 2)


def test_the_first_preference_cannot_move_up_and_the_range_is_named(personas, esco, as_user):
    _three_applications(personas, esco)
    alpha = Application.objects.get(opportunity__title="Alpha fellowship")
    response = as_user(personas.outsider).post(
        reverse("talent:application_move", args=[alpha.pk]), {"direction": "up"}, follow=True
    )
    assert "Give a preference from 1 to 3." in response.content.decode()
    assert _preferences(personas.outsider) == ["Alpha fellowship", "Beta exchange", "Gamma job"]


def test_an_application_is_withdrawn_and_the_rest_close_up(personas, esco, as_user):
    _three_applications(personas, esco)
    beta = Application.objects.get(opportunity__title="Beta exchange")
    response = as_user(personas.outsider).post(
        reverse("talent:application_withdraw", args=[beta.pk]), follow=True
    )
    assert "Your application to “Beta exchange” was withdrawn." in response.content.decode()
    assert _preferences(personas.outsider) == ["Alpha fellowship", "Gamma job"]
    assert list(
        Application.objects.filter(profile__user=personas.outsider).values_list("rank", flat=True)
    ) == [1, 2]
    assert AuditEntry.objects.filter(action="talent.application.withdraw").exists()


def test_nobody_else_moves_or_withdraws_a_persons_applications(personas, esco, as_user):
    _three_applications(personas, esco)
    alpha = Application.objects.get(opportunity__title="Alpha fellowship")
    with pytest.raises(PermissionDenied):
        actions.do_move_application(actor=personas.delegate_my, application=alpha, rank=2)
    client = as_user(personas.delegate_my)  # manages the opportunities, still not the applicant
    assert (
        client.post(reverse("talent:application_move", args=[alpha.pk]), {"direction": "down"}).status_code
        == 404
    )
    assert client.post(reverse("talent:application_withdraw", args=[alpha.pk])).status_code == 404
    assert _preferences(personas.outsider)[0] == "Alpha fellowship"


def test_accepting_a_seat_is_recorded_and_shown(personas, esco, as_user):
    opp, rnd, first, _second = _round(personas, esco)
    placement = Placement.objects.get(round=rnd, profile=first)
    client = as_user(personas.outsider)
    assert b"Accept the seat" in client.get(rnd.get_absolute_url()).content
    response = client.post(
        reverse("talent:placement_respond", args=[placement.pk]), {"answer": "accept"}, follow=True
    )
    assert "You accepted your seat: Applied machine learning fellowship." in response.content.decode()
    placement.refresh_from_db()
    assert placement.response == "accepted" and placement.responded_at is not None
    assert AuditEntry.objects.get(action="talent.placement.accept").actor == personas.outsider
    with pytest.raises(ValidationError, match="already answered"):
        actions.do_respond_to_placement(actor=personas.outsider, placement=placement, accept=False)


def test_a_declined_seat_goes_to_the_next_applicant(personas, esco):
    opp, rnd, first, second = _round(personas, esco)
    placement = Placement.objects.get(round=rnd, profile=first)
    assert placement.opportunity == opp
    actions.do_respond_to_placement(actor=personas.outsider, placement=placement, accept=False, run="inline")
    rnd = AllocationRound.objects.get(pk=rnd.pk)
    assert rnd.status == "finished"
    assert Placement.objects.get(round=rnd, opportunity=opp, response="pending").profile == second
    assert not Application.objects.filter(profile=first, opportunity=opp).exists()
    rerun = AuditEntry.objects.get(action="talent.round.rerun")
    assert rerun.after["reason"] == "seat_declined" and rerun.actor == personas.outsider
    assert AuditEntry.objects.filter(action="talent.placement.decline").exists()
    mine = Placement.objects.get(round=rnd, profile=first)
    assert (mine.opportunity, mine.response) == (opp, "declined")


def test_an_accepted_seat_is_kept_when_another_is_declined(personas, esco):
    opp = make_opportunity(personas, esco, seats=2)
    people = [personas.outsider, personas.observer, personas.stakeholder]
    profiles = [
        make_profile(u, esco, skills=s)
        for u, s in zip(people, [("python", "ml", "sql"), ("python", "ml"), ("python", "ml")], strict=True)
    ]
    for user in people:
        actions.do_apply(actor=user, opportunity=opp)
    rnd = actions.do_create_round(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="R", opportunities=[opp]
    )
    actions.do_run_round(actor=personas.delegate_my, allocation_round=rnd, run="inline")
    placed = [p for p in Placement.objects.filter(round=rnd, opportunity=opp).select_related("profile__user")]
    assert len(placed) == 2
    keeper, decliner = placed
    actions.do_respond_to_placement(actor=keeper.profile.user, placement=keeper, accept=True)
    actions.do_respond_to_placement(
        actor=decliner.profile.user, placement=decliner, accept=False, run="inline"
    )
    after = {p.profile_id: p for p in Placement.objects.filter(round=rnd)}
    assert after[keeper.profile_id].opportunity == opp and after[keeper.profile_id].response == "accepted"
    waiting = next(p for p in profiles if p.pk not in (keeper.profile_id, decliner.profile_id))
    assert after[waiting.pk].opportunity == opp and after[waiting.pk].response == "pending"
    assert after[decliner.profile_id].opportunity == opp and after[decliner.profile_id].response == "declined"
    assert AllocationRound.objects.get(pk=rnd.pk).summary["stable"]["placed"] == 2


def test_only_the_person_placed_answers_for_the_seat(personas, esco, as_user):
    _opp, rnd, first, _second = _round(personas, esco)
    placement = Placement.objects.get(round=rnd, profile=first)
    for user in (personas.delegate_my, personas.observer, personas.secretariat):
        with pytest.raises(PermissionDenied):
            actions.do_respond_to_placement(actor=user, placement=placement, accept=False)
    response = as_user(personas.delegate_my).post(
        reverse("talent:placement_respond", args=[placement.pk]), {"answer": "decline"}
    )
    assert response.status_code == 404
    assert b"Accept the seat" not in as_user(personas.delegate_my).get(rnd.get_absolute_url()).content
