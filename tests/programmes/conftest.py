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


def add_lesson(p, programme, title: str = "Review", *, by=None, **kw):
    """A lesson learnt by ``programme``, recorded by ``by`` (Malaysia's analyst) as of 1 January 2024 unless
    ``kw`` says otherwise (date, what_worked, what_did_not, kind, files, …)."""
    kw.setdefault("date", dt.date(2024, 1, 1))
    kw.setdefault("what_worked", "W")
    return actions.do_add_lesson(actor=by or p.analyst_my, programme=programme, title=title, **kw)


def add_services_online(p, programme, target: int = 80):
    """Malaysia's analyst adds the indicator "Services online" (%): 12 at the end of 2022, ``target`` by the
    end of 2026."""
    return actions.do_add_indicator(
        actor=p.analyst_my,
        programme=programme,
        name="Services online",
        unit="%",
        baseline_value=Decimal("12"),
        baseline_date=dt.date(2022, 12, 31),
        target_value=Decimal(target),
        target_date=dt.date(2026, 12, 31),
    )
