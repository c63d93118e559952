"""Rolled-up progress of commitments, read for one user: only what they may view is counted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .models import Commitment, Completion, Milestone, ProgressUpdate, UpdateState
from .progress import MilestoneFact, build_forest, commitment_is_overdue, completion_level, percent_by_id


def visible_commitments(user, dialogue_id: int | None = None):
    qs = Commitment.objects.all().visible_to(user)
    if dialogue_id is not None:
        qs = qs.filter(dialogue_id=dialogue_id)
    return qs


def rollup(commitments) -> dict[int, float | None]:
    """Rolled-up progress of every commitment in ``commitments`` (a list or queryset), in three queries.

    Children outside the set (not visible to the reader) do not count.
    """
    commitments = list(commitments)
    ids = [c.pk for c in commitments]
    milestones: dict[int, list[MilestoneFact]] = defaultdict(list)
    for cid, weight, actual in Milestone.objects.filter(commitment_id__in=ids).values_list(
        "commitment_id", "weight", "actual_date"
    ):
        milestones[cid].append(MilestoneFact(weight=weight, done=actual is not None))
    verified: dict[int, int] = {}
    for cid, percent in (
        ProgressUpdate.objects.filter(commitment_id__in=ids, state=UpdateState.VERIFIED)
        .order_by("commitment_id", "created_at", "id")
        .values_list("commitment_id", "percent")
    ):
        verified[cid] = percent  # the latest wins
    rows = [
        {"id": c.pk, "parent_id": c.parent_id, "completion": c.completion, "weight": c.weight}
        for c in commitments
    ]
    return percent_by_id(build_forest(rows, milestones, verified))


def completion_of(commitment: Commitment, percent: float | None) -> Completion:
    """The completion level shown for a commitment: derived from its progress (progress.completion_level)."""
    return Completion(completion_level(percent, commitment.completion))


def is_overdue(commitment: Commitment, percent: float | None, today: dt.date) -> bool:
    return commitment_is_overdue(commitment.end_date, completion_of(commitment, percent), today)
