"""An account deleted by an administrator (on a page, the API or the admin site) takes its talent profile
with it; a seat the person held is then offered to the next applicant, as when they delete the profile."""

from __future__ import annotations

from django.urls import reverse

from concord.accounts import actions as accounts_actions
from concord.accounts.models import User
from concord.audit.models import AuditEntry
from concord.talent.models import AllocationRound, Placement

from .conftest import make_opportunity, run_inline_round, two_applicants


def _round_with_one_seat(personas, esco):
    opp = make_opportunity(personas, esco, seats=1)
    first, second = two_applicants(personas, esco, opp)
    rnd = run_inline_round(personas, [opp])
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == first
    return rnd, opp, second


def test_deleting_a_placed_persons_account_offers_the_seat_to_the_next_applicant(personas, esco):
    rnd, opp, second = _round_with_one_seat(personas, esco)
    accounts_actions.do_delete_user(actor=personas.administrator, user=personas.outsider)
    rnd = AllocationRound.objects.get(pk=rnd.pk)
    assert rnd.status == "finished" and rnd.summary["applicants"] == 1
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == second
    entry = AuditEntry.objects.get(action="talent.round.rerun")
    assert entry.after["reason"] == "seat_freed" and entry.actor_id == personas.administrator.pk


def test_deleting_the_account_in_the_admin_site_frees_the_seat_too(personas, esco, as_user):
    rnd, opp, second = _round_with_one_seat(personas, esco)
    gone = personas.outsider.pk
    client = as_user(personas.administrator)
    response = client.post(reverse("admin:accounts_user_delete", args=[gone]), {"post": "yes"}, follow=True)
    assert response.status_code == 200 and not User.objects.filter(pk=gone).exists()
    assert Placement.objects.get(round=rnd, opportunity=opp).profile == second


def test_deleting_an_account_without_a_seat_reruns_nothing(personas, esco):
    _round_with_one_seat(personas, esco)
    accounts_actions.do_delete_user(actor=personas.administrator, user=personas.observer)
    assert not AuditEntry.objects.filter(action="talent.round.rerun").exists()
