"""Peer-learning fixtures: Malaysia's analyst asks Pakistan a question, through the public action."""

from __future__ import annotations

from concord.programmes.models import PeerRequest
from concord.programmes.peer import actions

from .conftest import make_programme


def make_request(p, visibility: str = "dialogue", about: bool = True, **kw) -> PeerRequest:
    programme = make_programme(p, party="pk", title="Pakistan cloud programme") if about else None
    return actions.do_ask_question(
        actor=kw.pop("actor", p.analyst_my),
        dialogue=p.dialogue,
        party=p.my,
        asked_party=p.pk,
        title=kw.pop("title", "How did you fund the national data centre?"),
        question=kw.pop("question", "Which budget lines paid for it, and who runs it now?"),
        programme=programme,
        visibility=visibility,
        **kw,
    )


def answer(p, request, actor=None, **kw):
    return actions.do_answer_request(
        actor=actor or p.delegate_pk,
        request=request,
        text=kw.pop("text", "From the development budget."),
        **kw,
    )
