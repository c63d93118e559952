"""The dashboard's figures agree with its lists and with the commitments' pages: each comes from one rule
(issue 14, item 5; the rest of that rule is tests/secretariat/test_status_rules.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from concord.commitments import actions as ca
from concord.reporting import reports
from tests.secretariat.conftest import make_commitment


def _milestone(personas, commitment, title: str, planned_date: dt.date) -> None:
    """The secretariat adds a milestone to ``commitment``."""
    ca.do_add_milestone(
        actor=personas.secretariat, commitment=commitment, title=title, planned_date=planned_date
    )


def test_the_dashboard_counts_every_overdue_thing_it_lists(personas, as_user):
    today = timezone.localdate()
    commitment = make_commitment(personas)  # no end date: not overdue itself
    _milestone(personas, commitment, "Draft the data-sharing protocol", today - dt.timedelta(days=3))
    data = reports.dashboard(personas.delegate_my, personas.dialogue, today)
    assert data["overdue"] == [] and len(data["late_milestones"]) == 1
    assert data["overdue_count"] == 1
    page = (
        as_user(personas.delegate_my)
        .get(reverse("secretariat:dashboard", args=[personas.dialogue.slug]))
        .content.decode()
    )
    assert '<span class="stat">1</span>overdue' in page
    assert "Draft the data-sharing protocol" in page and "Nothing is overdue." not in page
    assert "Overdue: a commitment past its end date" in page
    # The commitment's page marks the same milestone late, by the same rule.
    detail = as_user(personas.delegate_my).get(commitment.get_absolute_url()).content.decode()
    assert "Late" in detail


def test_a_late_milestone_of_a_complete_commitment_is_not_overdue(personas):
    today = timezone.localdate()
    commitment = make_commitment(personas, completion="complete")
    _milestone(personas, commitment, "Old step", today - dt.timedelta(days=9))
    data = reports.dashboard(personas.delegate_my, personas.dialogue, today)
    assert data["overdue_count"] == 0
