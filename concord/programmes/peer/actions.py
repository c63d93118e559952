"""Writes on peer-learning requests: ask, answer (citing programmes and library documents), close as
answered and reopen.

Each ``do_<verb>`` checks permission, checks its input before writing, and writes in one transaction with
an audit entry; the notice to the other party is sent at the end (``notices.hooks``). A refusal names the
problem: an empty question, a programme or document the writer cannot see (refused as if it did not
exist), a closed request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.audit.log import record, save_audited, update_audited
from concord.core.checks import require
from concord.core.models import Visibility
from concord.core.text import clean_text
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument, Theme
from concord.notices import hooks

from .. import rules
from ..cleaning import party_in_dialogue
from ..models import PeerAnswer, PeerRequest, Programme, RequestState

REQUEST_FIELDS = ["title", "question", "asked_party", "programme", "theme", "visibility", "party", "state"]
MAX_CITATIONS = 20


def _text(value, *, field: str, max_length: int, empty: str, multiline: bool = True) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({field: empty})
    return clean_text(value, max_length=max_length, field=field, multiline=multiline)


def _cited_programmes(actor, dialogue_id: int, programmes: Iterable[Programme]) -> list[Programme]:
    out: list[Programme] = []
    for programme in programmes or []:
        if programme.dialogue_id != dialogue_id or not rules.can_view_programme(actor, programme):
            raise ValidationError({"programmes": _("No programme with id %(id)s.") % {"id": programme.pk}})
        if programme not in out:
            out.append(programme)
    return out


def _cited_documents(actor, documents: Iterable[PolicyDocument]) -> list[PolicyDocument]:
    out: list[PolicyDocument] = []
    for doc in documents or []:
        if not library_rules.can_view(actor, doc):
            raise ValidationError({"documents": _("No document with id %(id)s.") % {"id": doc.pk}})
        if doc not in out:
            out.append(doc)
    return out


# --- asking ----------------------------------------------------------------------------------------------
def do_ask_question(
    *,
    actor,
    dialogue: Dialogue,
    party: Party | None,
    asked_party: Party | None,
    title: str,
    question: str,
    programme: Programme | None = None,
    theme: Theme | None = None,
    visibility: str = Visibility.DIALOGUE,
) -> PeerRequest:
    """``party`` asks ``asked_party`` a question, optionally about one of the asked party's programmes or a
    theme. The asked party's contact points are notified (in the app and by e-mail)."""
    if visibility not in (Visibility.DIALOGUE, Visibility.PUBLIC):
        raise ValidationError(
            {
                "visibility": _(
                    "A question between parties is seen by both: choose dialogue members or public."
                )
            }
        )
    party = party_in_dialogue(dialogue, party, "party")
    asked_party = party_in_dialogue(dialogue, asked_party, "asked_party")
    require(
        rules.can_ask(actor, dialogue.pk, visibility, party.pk),
        _("Only the party's delegates and analysts ask questions in its name."),
    )
    if asked_party.pk == party.pk:
        raise ValidationError({"asked_party": _("Ask another party: a party does not ask itself.")})
    title = _text(
        title, field="title", max_length=300, empty=_("Give the question a subject."), multiline=False
    )
    question = _text(question, field="question", max_length=8000, empty=_("Write your question."))
    if programme is not None:
        if programme.dialogue_id != dialogue.pk or not rules.can_view_programme(actor, programme):
            raise ValidationError({"programme": _("No programme with id %(id)s.") % {"id": programme.pk}})
        if programme.party_id != asked_party.pk:
            raise ValidationError(
                {
                    "programme": _("“%(title)s” is not a programme of %(party)s, the party you ask.")
                    % {"title": programme.title, "party": asked_party.code}
                }
            )
    request = PeerRequest(
        dialogue=dialogue,
        party=party,
        asked_party=asked_party,
        visibility=visibility,
        title=title,
        question=question,
        programme=programme,
        theme=theme,
        created_by=actor,
    )
    request.full_clean()
    with transaction.atomic():
        save_audited(request, actor=actor, action="peer.ask", fields=REQUEST_FIELDS)
        hooks.peer_question_asked(request)
    return request


# --- the thread ------------------------------------------------------------------------------------------
def do_answer_request(
    *,
    actor,
    request: PeerRequest,
    text: str,
    programmes: Iterable[Programme] = (),
    documents: Iterable[PolicyDocument] = (),
) -> PeerAnswer:
    """Write in an open request's thread, citing programmes and library documents the writer can see. An
    answer by the asked party notifies the asking party's contact points."""
    if not request.is_open:
        raise ValidationError(
            _("This request is closed as answered; the asking party may reopen it to continue the thread.")
        )
    require(
        rules.can_answer_request(actor, request),
        _("Only the delegates and analysts of the two parties write in this thread."),
    )
    text = _text(text, field="text", max_length=10000, empty=_("Write your answer."))
    programmes = list(programmes or [])
    documents = list(documents or [])
    if len(programmes) + len(documents) > MAX_CITATIONS:
        raise ValidationError(
            _("Cite at most %(n)d programmes and documents in one answer.") % {"n": MAX_CITATIONS}
        )
    cited_programmes = _cited_programmes(actor, request.dialogue_id, programmes)
    cited_documents = _cited_documents(actor, documents)
    answer = PeerAnswer(
        request=request, party_id=rules.answering_party_id(actor, request), author=actor, text=text
    )
    answer.full_clean(exclude=["party"])
    with transaction.atomic():
        answer.save()
        answer.programmes.set(cited_programmes)
        answer.documents.set(cited_documents)
        record(
            actor=actor,
            action="peer.answer",
            obj=answer,
            about=request,
            after={
                "text": text,
                "party": answer.party.code if answer.party_id else None,
                "programmes": [p.pk for p in cited_programmes],
                "documents": [d.pk for d in cited_documents],
            },
        )
        hooks.peer_question_answered(answer)
    return answer


def _set_state(actor, request: PeerRequest, state: str, verb: str) -> PeerRequest:
    require(
        rules.can_close_request(actor, request),
        _("Only the delegates and analysts of the asking party close or reopen its request."),
    )
    return update_audited(
        request,
        {"state": state, "closed_at": timezone.now() if state == RequestState.ANSWERED else None},
        actor=actor,
        action=f"peer.{verb}",
        before={"state": request.state},
        after={"state": state},
        also=("updated_at",),
    )


def do_close_request(*, actor, request: PeerRequest) -> PeerRequest:
    """The asking party closes its request as answered."""
    if not request.is_open:
        raise ValidationError(_("This request is already closed."))
    if not request.answers.exclude(party_id=request.party_id).exists():
        raise ValidationError(_("Nobody has answered yet: wait for an answer before closing the request."))
    return _set_state(actor, request, RequestState.ANSWERED, "close")


def do_reopen_request(*, actor, request: PeerRequest) -> PeerRequest:
    """The asking party reopens its request, to continue the thread."""
    if request.is_open:
        raise ValidationError(_("This request is open already."))
    return _set_state(actor, request, RequestState.OPEN, "reopen")
