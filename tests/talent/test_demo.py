"""The talent demo loads, is idempotent and ends with a finished, stable allocation round."""

from __future__ import annotations

import io

from concord.demo.load import load_foundation
from concord.talent.demo import TITLE_OF_ROUND, load_talent
from concord.talent.models import AllocationRound, Opportunity, Placement, Profile


def test_the_demo_loads_twice_without_duplicates_and_finishes_its_round(db):
    out = io.StringIO()
    load_foundation(out)
    load_talent(out)
    load_talent(out)
    assert Opportunity.objects.filter(is_demo=True).count() == 6
    assert all(o.title.startswith("Demo:") for o in Opportunity.objects.all())
    assert Profile.objects.count() == 6
    rnd = AllocationRound.objects.get(title=TITLE_OF_ROUND)
    assert rnd.status == "finished" and rnd.summary["blocking_pairs"] == 0
    assert Placement.objects.filter(round=rnd, opportunity__isnull=False).count() >= 4
