"""Secretariat pages: the dialogue's overview, working groups, meetings with agenda and outcomes, the backlog
and the calendar feeds. Commitments are in ``concord/commitments``, minutes in ``concord/minutes``."""

from __future__ import annotations

import csv
import io
import zoneinfo
from operator import attrgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts.models import User
from concord.commitments import rollup
from concord.commitments.models import Commitment
from concord.core import rules as core_rules
from concord.core.csvsafe import safe_cell
from concord.core.lookups import default_dialogue_or_404, dialogue_or_404
from concord.core.shortcuts import (
    REFUSALS,
    act,
    add_errors,
    attachment,
    flash_refusal,
    form_page,
    object_action,
    post_form,
    run_form,
    saved,
)
from concord.core.zones import iso_in_zone, wall_time
from concord.library.models import PolicyDocument

from . import actions, rules
from .forms import (
    AgendaItemForm,
    MeetingForm,
    OutcomeForm,
    PositionForm,
    WorkingGroupMemberForm,
)
from .ical import Event, calendar
from .lookups import dialogue_people, meeting_page_or_404, visible_item, visible_outcome, visible_participant
from .models import (
    AgendaItem,
    Meeting,
    MeetingState,
    Outcome,
    Participant,
    WorkingGroup,
    WorkingGroupMember,
)

FEED_SALT = "concord.secretariat.calendar"


# --- access helpers: 404 for anything the caller may not view -------------------------------------------
def _visible_item(request, pk: int) -> AgendaItem:
    return visible_item(request.user, pk)


def _visible_outcome(request, pk: int) -> Outcome:
    return visible_outcome(request.user, pk)


# --- overview ---------------------------------------------------------------------------------------------
def home(request):
    dialogue = default_dialogue_or_404(request.user)
    return redirect("secretariat:overview", slug=dialogue.slug)


def overview(request, slug: str):
    dialogue = dialogue_or_404(slug)
    user = request.user
    meetings = Meeting.objects.visible_to(user).filter(dialogue=dialogue).select_related("working_group")
    groups = (
        WorkingGroup.objects.visible_to(user)
        .filter(dialogue=dialogue)
        .prefetch_related(
            Prefetch("members", queryset=WorkingGroupMember.objects.select_related("user", "party"))
        )
    )
    feed_url = None
    if user.is_authenticated:
        token = signing.dumps({"u": user.pk}, salt=FEED_SALT)
        feed_url = request.build_absolute_uri(reverse("secretariat:user_feed", args=[token]))
    return render(
        request,
        "secretariat/overview.html",
        {
            "dialogue": dialogue,
            "meetings": meetings,
            "groups": groups,
            "can_run": rules.can_run_meetings(user, dialogue.pk),
            "feed_url": feed_url,
            "dialogue_feed_url": request.build_absolute_uri(
                reverse("secretariat:dialogue_feed", args=[slug])
            ),
        },
    )


def working_group(request, pk: int):
    group = WorkingGroup.objects.select_related("dialogue").filter(pk=pk).first()
    if group is None or not rules.can_view(request.user, group):
        raise Http404(_("No such working group, or you do not have access to it."))
    members = group.members.select_related("user", "party")
    commitments = list(group.commitments.visible_to(request.user))
    percent = rollup.rollup(rollup.visible_commitments(request.user, group.dialogue_id))
    for c in commitments:
        c.level = rollup.completion_of(c, percent.get(c.pk))  # the level shown: derived from progress
    meetings = group.meetings.visible_to(request.user)
    can_run = rules.can_run_meetings(request.user, group.dialogue_id)
    context = {
        "group": group,
        "members": members,
        "commitments": commitments,
        "meetings": meetings,
        "can_run": can_run,
    }
    if can_run:
        context["member_form"] = WorkingGroupMemberForm(
            people=dialogue_people(group.dialogue), parties=group.dialogue.parties.all()
        )
    return render(request, "secretariat/working_group.html", context)


# --- meetings ---------------------------------------------------------------------------------------------
@login_required
def meeting_create(request, slug: str):
    dialogue = dialogue_or_404(slug)
    if not rules.can_run_meetings(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat can convene meetings."))
    form = MeetingForm(
        request.POST or None,
        initial={"previous": request.GET.get("previous"), "visibility": "dialogue"},
        working_groups=WorkingGroup.objects.filter(dialogue=dialogue),
        meetings=Meeting.objects.filter(dialogue=dialogue),
        visibility_choices=core_rules.visibility_choices_for(request.user, dialogue.pk)[:2],
    )
    return form_page(
        request,
        form,
        "secretariat/meeting_form.html",
        {"dialogue": dialogue},
        save=lambda data: actions.do_create_meeting(actor=request.user, dialogue=dialogue, **data),
        done=saved(request, _("Meeting created as a draft.")),
        refusals=REFUSALS,
    )


def meeting_detail(request, pk: int):
    return _meeting_page(request, meeting_page_or_404(request, pk))


def _meeting_page(request, meeting: Meeting, *, item_form: AgendaItemForm | None = None, status: int = 200):
    """The meeting page; with ``item_form``, the agenda form as the user sent it, with its errors."""
    user = request.user
    items = list(
        meeting.agenda.select_related("presenter", "carried_over_from__meeting").prefetch_related(
            "documents",
            "commitments",
            "mappings",
            "gaps",
            "themes",
            "listings",
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("referred_to", "action_owner").prefetch_related(
                    "positions__party", "commitments"
                ),
            ),
        )
    )
    sections: list[tuple[str, list[AgendaItem]]] = []
    for number, item in enumerate(items, start=1):
        item.number = number
        item.is_first, item.is_last = number == 1, number == len(items)
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append(item)
    can_manage = rules.can_manage_meeting(user, meeting)
    dialogue = meeting.dialogue
    participants = list(meeting.participants.select_related("user", "party"))
    me = next((p for p in participants if p.user_id == user.pk), None)
    context = {
        "meeting": meeting,
        "sections": sections,
        "participants": participants,
        "me": me,
        "can_manage": can_manage,
        "minutes": meeting.minutes.all(),
        "carried_into": AgendaItem.objects.filter(carried_over_from__meeting=meeting).select_related(
            "meeting"
        ),
        "languages": [("en", _("English")), ("ms", _("Malay")), ("ur", _("Urdu"))],
        "recording": meeting.state in (MeetingState.OPEN, MeetingState.IN_PROGRESS, MeetingState.CLOSED),
        "editable": meeting.state not in (MeetingState.CLOSED, MeetingState.CANCELLED),
        "delegate_parties": {
            s.party_id for s in core_rules.seats_in(user, dialogue.pk) if s.role == "delegate"
        },
    }
    if can_manage:
        context.update(
            item_form=item_form
            or AgendaItemForm(
                documents=core_rules.visible(user, PolicyDocument.objects.filter(dialogue=dialogue)),
                commitments=Commitment.objects.visible_to(user).filter(dialogue=dialogue),
            ),
            backlog=AgendaItem.objects.visible_to(user).filter(dialogue=dialogue, meeting=None),
            people=dialogue_people(dialogue).exclude(pk__in=[p.user_id for p in participants]),
            groups=WorkingGroup.objects.visible_to(user).filter(dialogue=dialogue),
        )
        groups, people = WorkingGroup.objects.filter(dialogue=dialogue), dialogue_people(dialogue)
        for item in items:
            item.outcome_form = OutcomeForm(prefix=f"o{item.pk}", working_groups=groups, people=people)
    context["position_form"] = PositionForm(parties=dialogue.parties.all())
    return render(request, "secretariat/meeting.html", context, status=status)


@login_required
@require_POST
def meeting_transition(request, pk: int):
    meeting = meeting_page_or_404(request, pk)
    if act(request, actions.do_transition_meeting, meeting=meeting, to=request.POST.get("to", "")):
        messages.success(
            request, _("The meeting is now “%(state)s”.") % {"state": meeting.get_state_display()}
        )
        if meeting.state == MeetingState.CLOSED:
            carried = AgendaItem.objects.filter(carried_over_from__meeting=meeting).select_related("meeting")
            for item in carried:
                where = str(item.meeting) if item.meeting_id else _("the backlog")
                messages.info(
                    request, _("Carried over to %(where)s: %(item)s") % {"where": where, "item": item}
                )
    return redirect(meeting)


@login_required
@require_POST
def item_create(request, pk: int):
    meeting = meeting_page_or_404(request, pk)
    dialogue = meeting.dialogue
    form = AgendaItemForm(
        request.POST,
        documents=core_rules.visible(request.user, PolicyDocument.objects.filter(dialogue=dialogue)),
        commitments=Commitment.objects.visible_to(request.user).filter(dialogue=dialogue),
    )
    if form.is_valid():
        try:
            actions.do_add_agenda_item(
                actor=request.user, dialogue=dialogue, meeting=meeting, **form.cleaned_data
            )
        except PermissionDenied as exc:
            flash_refusal(request, exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Agenda item added."))
            return redirect(meeting)
    if form.errors:
        # The form again, as typed, with each message beside its field (not a field's internal name).
        messages.error(request, _("The agenda item was not added: see the form below."))
        return _meeting_page(request, meeting, item_form=form, status=400)
    return redirect(meeting)


@login_required
@require_POST
def item_schedule(request, pk: int):
    meeting = meeting_page_or_404(request, pk)
    raw = request.POST.get("item", "")
    item = _visible_item(request, int(raw) if raw.isdigit() else 0)
    act(request, actions.do_schedule_item, item=item, meeting=meeting)
    return redirect(meeting)


@login_required
@require_POST
def participant_add(request, pk: int):
    meeting = meeting_page_or_404(request, pk)
    user = dialogue_people(meeting.dialogue).filter(pk=request.POST.get("user") or 0).first()
    if user is None:
        messages.error(request, _("Choose a member of the dialogue."))
        return redirect(meeting)
    act(request, actions.do_add_participant, meeting=meeting, user=user)
    return redirect(meeting)


def _own_participation(request, pk: int) -> Participant:
    """The user's own place among the participants of meeting ``pk`` (a 404 when they have none)."""
    meeting = meeting_page_or_404(request, pk)
    participant = get_object_or_404(Participant, meeting=meeting, user=request.user)
    participant.meeting = meeting
    return participant


rsvp = object_action(
    _own_participation, actions.do_set_rsvp, "participant", posted=("rsvp",), back=attrgetter("meeting")
)


@login_required
@require_POST
def attendance(request, pk: int):
    participant = visible_participant(request, pk)
    attended = request.POST.get("attended") == "yes"
    act(request, actions.do_record_attendance, participant=participant, attended=attended)
    return redirect(participant.meeting)


@login_required
@require_POST
def outcome_create(request, pk: int):
    item = _visible_item(request, pk)
    if item.meeting is None:
        raise Http404(_("Backlog items have no outcomes."))
    dialogue = item.dialogue
    form = OutcomeForm(
        request.POST,
        prefix=f"o{item.pk}",
        working_groups=WorkingGroup.objects.filter(dialogue=dialogue),
        people=dialogue_people(dialogue),
    )
    post_form(request, form, actions.do_record_outcome, success=_("Outcome recorded."), item=item)
    return redirect(item)


@login_required
@require_POST
def outcome_position(request, pk: int):
    outcome = _visible_outcome(request, pk)
    form = PositionForm(request.POST, parties=outcome.agenda_item.dialogue.parties.all())
    post_form(
        request, form, actions.do_state_position, invalid=_("Choose a party and a position."), outcome=outcome
    )
    return redirect(outcome)


@login_required
@require_POST
def outcome_done(request, pk: int):
    outcome = _visible_outcome(request, pk)
    act(request, actions.do_complete_action, outcome=outcome, done=request.POST.get("done") != "no")
    return redirect(outcome)


def backlog(request, slug: str):
    dialogue = dialogue_or_404(slug)
    user = request.user
    form = AgendaItemForm(
        request.POST or None,
        documents=core_rules.visible(user, PolicyDocument.objects.filter(dialogue=dialogue)),
        commitments=Commitment.objects.visible_to(user).filter(dialogue=dialogue),
    )
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form.is_valid() and run_form(
            form, actions.do_add_agenda_item, actor=user, dialogue=dialogue, meeting=None
        ):
            messages.success(request, _("Added to the backlog."))
            return redirect("secretariat:backlog", slug=slug)
    items = (
        AgendaItem.objects.visible_to(user)
        .filter(dialogue=dialogue, meeting=None)
        .select_related("carried_over_from__meeting")
    )
    return render(
        request,
        "secretariat/backlog.html",
        {
            "dialogue": dialogue,
            "items": items,
            "form": form,
            "can_propose": rules.can_propose_item(user, dialogue.pk, "dialogue", None)
            or bool(rules.party_ids_of(user, dialogue.pk)),
        },
        status=400 if form.errors else 200,
    )


# --- calendar feeds ---------------------------------------------------------------------------------------
def _events(request, meetings) -> list[Event]:
    status = {
        MeetingState.CANCELLED: "CANCELLED",
        MeetingState.DRAFT: "TENTATIVE",
        MeetingState.POSTPONED: "TENTATIVE",
    }
    host = request.get_host().split(":")[0]
    events = []
    for m in meetings:
        if m.starts_at is None:
            continue
        local = timezone.localtime(m.starts_at, timezone=zoneinfo.ZoneInfo(m.time_zone))
        events.append(
            Event(
                uid=f"meeting-{m.pk}@{host}",
                summary=str(m) + (f" ({_('Illustrative demo record')})" if m.is_illustrative else ""),
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                location=m.venue,
                description=f"{m.get_level_display()} · {m.get_mode_display()} · "
                f"{local:%Y-%m-%d %H:%M} {m.time_zone}",
                url=request.build_absolute_uri(m.get_absolute_url()),
                status=status.get(m.state, "CONFIRMED"),
                sequence=m.sequence,
                time_zone=m.time_zone,
                last_modified=m.updated_at,
            )
        )
    return events


def _ics(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def dialogue_feed(request, slug: str):
    dialogue = dialogue_or_404(slug)
    meetings = Meeting.objects.visible_to(request.user).filter(dialogue=dialogue).order_by("starts_at", "id")
    return _ics(calendar(_events(request, meetings), name=str(dialogue), now=timezone.now()), f"{slug}.ics")


def meetings_csv(request, slug: str):
    """The dialogue's meetings as CSV: each time is the local time at the venue, with its zone beside it."""
    dialogue = dialogue_or_404(slug)
    meetings = Meeting.objects.visible_to(request.user).filter(dialogue=dialogue).order_by("starts_at", "id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["title", "level", "state", "starts (local)", "ends (local)", "time_zone", "starts_iso", "venue"]
    )
    for m in meetings:
        writer.writerow(
            [
                safe_cell(m.title),
                m.level,
                m.state,
                f"{wall_time(m.starts_at, m.time_zone):%Y-%m-%d %H:%M}" if m.starts_at else "",
                f"{wall_time(m.ends_at, m.time_zone):%Y-%m-%d %H:%M}" if m.ends_at else "",
                m.time_zone,
                iso_in_zone(m.starts_at, m.time_zone),
                safe_cell(m.venue),
            ]
        )
    return attachment(out.getvalue(), "text/csv; charset=utf-8", f"{slug}-meetings.csv")


def user_feed(request, token: str):
    """A personal feed behind a signed link (calendar applications cannot sign in)."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature as exc:
        raise Http404(_("This calendar link is not valid.")) from exc
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise Http404(_("This calendar link is not valid."))
    dialogues = {s.dialogue_id for s in core_rules.seats(user)}
    meetings = Meeting.objects.visible_to(user).filter(dialogue_id__in=dialogues).order_by("starts_at", "id")
    return _ics(
        calendar(_events(request, meetings), name=_("My meetings"), now=timezone.now()), "concord.ics"
    )
