"""Programme fixtures: a programme of a party, made through the public action as a contact point."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from concord.programmes import actions
from concord.programmes.models import Programme


def make_programme(p, party: str = "my", visibility: str = "dialogue", **kw) -> Programme:
    """A Malaysian (``party="my"``) or Pakistani programme, recorded by that party's analyst."""
    actor = kw.pop("actor", p.users[f"analyst_{party}"])
    fields = {
        "title": "National cloud-first programme",
        "summary": "Moves government services to shared cloud infrastructure.",
        "instruments": ["infrastructure", "public_services"],
        "budget_amount": Decimal("1000000"),
        "budget_currency": "MYR" if party == "my" else "PKR",
        "start_date": dt.date(2023, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        **kw,
    }
    return actions.do_create_programme(
        actor=actor, dialogue=p.dialogue, party=getattr(p, party), visibility=visibility, **fields
    )
