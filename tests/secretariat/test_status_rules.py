"""Status figures agree with each other: each comes from one rule, shown on the page (issue 14, item 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concord.commitments import actions as ca
from concord.commitments import progress

from .conftest import make_commitment

RULE = "Completion follows the verified progress"


@pytest.mark.parametrize(
    ("percent", "declared", "level"),
    [
        (0, "substantial", "not_started"),
        (25, "not_started", "limited"),
        (49.9, "limited", "limited"),
        (50, "not_started", "substantial"),
        (100, "limited", "complete"),
        (None, "withdrawn", "withdrawn"),
        (60, "withdrawn", "withdrawn"),
    ],
)
def test_the_completion_level_follows_the_progress(percent, declared, level):
    assert progress.completion_level(percent, declared) == level


def _verified(personas, commitment, percent: int):
    update = ca.do_submit_progress(
        actor=personas.delegate_my, commitment=commitment, text="Work done so far.", percent=percent
    )
    ca.do_review_progress(actor=personas.delegate_pk, update=update, verify=True)


def test_not_started_never_appears_beside_verified_progress(personas, as_user):
    commitment = make_commitment(personas, completion="not_started")
    _verified(personas, commitment, 25)
    client = as_user(personas.delegate_my)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "25%" in page
    assert "<strong>Limited</strong>" in page and "<strong>Not started</strong>" not in page
    assert RULE in page
    listing = client.get(reverse("secretariat:commitments", args=[personas.dialogue.slug])).content.decode()
    assert "<td>Limited</td>" in listing and "<td>Not started</td>" not in listing and RULE in listing
    # The filter uses the level shown.
    limited = client.get(
        reverse("secretariat:commitments", args=[personas.dialogue.slug]), {"completion": "limited"}
    ).content.decode()
    assert commitment.title in limited
    not_started = client.get(
        reverse("secretariat:commitments", args=[personas.dialogue.slug]), {"completion": "not_started"}
    ).content.decode()
    assert commitment.title not in not_started


def test_substantial_never_appears_beside_no_progress(personas, as_user):
    commitment = make_commitment(personas, completion="substantial")
    page = as_user(personas.delegate_my).get(commitment.get_absolute_url()).content.decode()
    assert "<strong>Not started</strong>" in page and "<strong>Substantial</strong>" not in page
