"""The demo's personas find real notices in their inbox, made by the same actions a user calls."""

from __future__ import annotations

import io

import pytest

from concord.demo.load import load_foundation, load_secretariat
from concord.notices.kinds import Kind
from concord.notices.models import Notice


@pytest.mark.django_db
def test_the_demo_delegates_have_invitations_and_minutes_to_comment_on():
    load_foundation(io.StringIO())
    load_secretariat(io.StringIO())
    kinds = set(Notice.objects.values_list("kind", flat=True))
    assert {Kind.INVITATION, Kind.MINUTES_CIRCULATED} <= kinds
    invited = Notice.objects.filter(kind=Kind.INVITATION).select_related("recipient")
    assert all(n.recipient.memberships.exists() for n in invited)
