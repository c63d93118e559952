"""Knowledge fixtures: content at every visibility, indexed."""

from __future__ import annotations

import pytest

from concord.directory.models import Opportunity
from concord.knowledge import index
from concord.library.models import PolicyDocument

# (key, visibility, owning party): the same word "harbour" is in every title, a unique word in each.
ITEMS = [
    ("public", "public", None),
    ("dialogue", "dialogue", None),
    ("partymy", "party", "my"),
    ("partypk", "party", "pk"),
]
UNIQUE = {"public": "aardvark", "dialogue": "bison", "partymy": "caracal", "partypk": "dugong"}


@pytest.fixture
def corpus(personas):
    made = {}
    for key, visibility, party in ITEMS:
        party_obj = getattr(personas, party) if party else None
        doc = PolicyDocument.objects.create(
            dialogue=personas.dialogue,
            visibility=visibility,
            party=party_obj,
            kind="policy",
            year=2025,
            title=f"Harbour policy {UNIQUE[key]} document",
            issuer=f"Issuer {UNIQUE[key]}",
        )
        opp = Opportunity.objects.create(
            dialogue=personas.dialogue,
            visibility=visibility,
            party=party_obj,
            kind="research_call",
            title=f"Harbour call {UNIQUE[key]}",
            summary=f"Joint harbour research on {UNIQUE[key]} habitats",
            themes=["research-collaboration"],
        )
        index.refresh(doc)
        index.refresh(opp)
        made[key] = (doc, opp)
    personas.items = made
    return personas
