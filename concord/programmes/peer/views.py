"""Pages of peer-learning requests: the list (open or answered), asking, a request's thread with the
answer form, and closing or reopening. Anything the caller may not see answers 404; a refused action
comes back as a message naming why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts.models import Dialogue, Party
from concord.core.lookups import default_dialogue, default_dialogue_or_404
from concord.core.shortcuts import add_errors, filtered_page, first_or_404, form_page, saved
from concord.library import rules as library_rules
from concord.library.models import PolicyDocument, Theme

from .. import rules
from ..models import PeerRequest, Programme, RequestState
from . import actions
from .forms import AnswerForm, AskForm


def _request(request, pk: int) -> PeerRequest:
    return first_or_404(
        PeerRequest.objects.visible_to(request.user).select_related(
            "party", "asked_party", "programme", "theme", "created_by", "dialogue"
        ),
        _("No such request, or you do not have access to it."),
        pk=pk,
    )


def ask_form(request, dialogue: Dialogue, *, programme: Programme | None = None, data=None) -> AskForm | None:
    """The ask form for ``request.user``, or None when they may not ask in any party's name. About a
    programme, the asked party is the programme's."""
    party_ids = rules.asking_party_ids(request.user, dialogue.pk)
    if programme is not None:
        party_ids.discard(programme.party_id)
    if not party_ids:
        return None
    parties = Party.objects.filter(pk__in=party_ids)
    if programme is not None:
        asked = Party.objects.filter(pk=programme.party_id)
        programmes = Programme.objects.filter(pk=programme.pk)
    else:
        asked = dialogue.parties.all()
        programmes = (
            Programme.objects.visible_to(request.user)
            .filter(dialogue=dialogue)
            .only("id", "title", "party_id")
        )
    initial = {"visibility": "dialogue"}
    if len(party_ids) == 1:
        initial["party"] = next(iter(party_ids))
    if programme is not None:
        initial |= {"asked_party": programme.party_id, "programme": programme.pk}
    elif asked.exclude(pk__in=party_ids).count() == 1:
        initial["asked_party"] = asked.exclude(pk__in=party_ids).first().pk
    return AskForm(data, initial=initial, parties=parties, asked=asked, programmes=programmes)


def request_list(request):
    qs = PeerRequest.objects.visible_to(request.user).for_list()
    f = {k: request.GET.get(k, "")[:80] for k in ("state", "party")}
    if f["state"] in RequestState.values:
        qs = qs.filter(state=f["state"])
    if f["party"]:
        code = f["party"].upper()
        qs = qs.filter(Q(party__code=code) | Q(asked_party__code=code))
    dialogue = default_dialogue(request.user)
    form = ask_form(request, dialogue) if dialogue and request.user.is_authenticated else None
    return render(
        request,
        "programmes/request_list.html",
        {
            **filtered_page(request, qs, f),
            "states": RequestState.choices,
            "parties": Party.objects.filter(dialogues__isnull=False).distinct(),
            "form": form,
        },
    )


@login_required
def request_create(request):
    dialogue = default_dialogue_or_404(request.user)
    programme = None
    programme_id = request.POST.get("about") or request.GET.get("programme")
    if programme_id and programme_id.isdigit():
        programme = Programme.objects.visible_to(request.user).filter(pk=int(programme_id)).first()
        if programme is None:
            raise Http404(_("No such programme, or you do not have access to it."))
    form = ask_form(request, dialogue, programme=programme, data=request.POST or None)
    if form is None:
        raise PermissionDenied(_("Only a party's delegates and analysts ask questions in its name."))
    return form_page(
        request,
        form,
        "programmes/request_form.html",
        {"programme": programme},
        save=lambda data: actions.do_ask_question(
            actor=request.user,
            dialogue=dialogue,
            party=data["party"],
            asked_party=data["asked_party"],
            title=data["title"],
            question=data["question"],
            programme=data["programme"],
            theme=Theme.objects.filter(slug=data["theme"]).first() if data["theme"] else None,
            visibility=data["visibility"],
        ),
        done=saved(request, _("Question sent. The other party's contact points are notified.")),
    )


def _answer_form(request, peer: PeerRequest, data=None) -> AnswerForm:
    user = request.user
    return AnswerForm(
        data,
        programmes=Programme.objects.visible_to(user)
        .filter(dialogue_id=peer.dialogue_id)
        .select_related("party")
        .only("id", "title", "party__code", "party__name"),
        documents=PolicyDocument.objects.filter(library_rules.visible_q(user)).only(
            "id", "title", "short_title"
        ),
    )


def request_detail(request, pk: int, form: AnswerForm | None = None):
    peer = _request(request, pk)
    user = request.user
    answers = peer.answers.select_related("author", "party").prefetch_related(
        Prefetch(
            "programmes",
            Programme.objects.visible_to(user).select_related("party").only("id", "title", "party__code"),
        ),
        Prefetch(
            "documents",
            PolicyDocument.objects.filter(library_rules.visible_q(user)).only("id", "title", "short_title"),
        ),
    )
    can_answer = rules.can_answer_request(user, peer)
    show_programme = (
        peer.programme if peer.programme and rules.can_view_programme(user, peer.programme) else None
    )
    return render(
        request,
        "programmes/request_detail.html",
        {
            "peer": peer,
            "answers": answers,
            "about": show_programme,
            "can_answer": can_answer,
            "can_close": rules.can_close_request(user, peer),
            "form": form or (_answer_form(request, peer) if can_answer else None),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def request_answer(request, pk: int):
    peer = _request(request, pk)
    form = _answer_form(request, peer, request.POST)
    if form.is_valid():
        try:
            answer = actions.do_answer_request(actor=request.user, request=peer, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(peer)
        else:
            messages.success(request, _("Answer posted."))
            return redirect(answer.get_absolute_url())
    return request_detail(request, pk, form=form)


@login_required
@require_POST
def request_state(request, pk: int, verb: str):
    peer = _request(request, pk)
    do = {"close": actions.do_close_request, "reopen": actions.do_reopen_request}.get(verb)
    if do is None:
        raise Http404(_("No such change."))
    try:
        do(actor=request.user, request=peer)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(
            request, _("Request closed as answered.") if verb == "close" else _("Request reopened.")
        )
    return redirect(peer)


def programme_requests(user, programme: Programme):
    """The requests about ``programme`` that ``user`` may see, for its page."""
    return PeerRequest.objects.visible_to(user).filter(programme=programme).for_list()
