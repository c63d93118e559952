"""The kinds of notice, what each says, and whether it goes by e-mail unless the person chooses otherwise.

A notice stores its kind and the values of its sentence (``params``); the sentence itself is translated when
it is shown or mailed, so each reader gets it in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to a meeting")
    AGENDA_CHANGED = "agenda_changed", _("Agenda change")
    MEETING_RESCHEDULED = "meeting_rescheduled", _("Meeting moved")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MINUTES_CIRCULATED = "minutes_circulated", _("Minutes circulated for comment")
    MINUTES_ADOPTED = "minutes_adopted", _("Minutes adopted")
    PROGRESS_TO_VERIFY = "progress_to_verify", _("Progress waiting for verification")
    DUE = "due", _("Commitment or milestone falling due")
    MAPPING_TO_REVIEW = "mapping_to_review", _("Mapping waiting for your party's review")
    SIGN_OFF_REQUESTED = "sign_off_requested", _("Sign-off requested")
    APPLICATION_RECEIVED = "application_received", _("Application received")
    ALLOCATION_RESULT = "allocation_result", _("Allocation result")
    INTEREST = "interest", _("Expression of interest")
    SLOT_BOOKED = "slot_booked", _("Meeting slot booked")
    PEER_QUESTION = "peer_question", _("Peer-learning question to your party")
    PEER_ANSWER = "peer_answer", _("Answer to your party's peer-learning question")


@dataclass(frozen=True)
class KindSpec:
    sentence: object  # a lazy translation with %(name)s placeholders filled from the notice's params
    email_by_default: bool


SPECS: dict[str, KindSpec] = {
    Kind.INVITATION: KindSpec(_("You are invited to “%(title)s”, %(when)s."), True),
    Kind.AGENDA_CHANGED: KindSpec(_("The agenda of “%(title)s” changed: “%(item)s” was added."), False),
    Kind.MEETING_RESCHEDULED: KindSpec(_("“%(title)s” has moved: it is now %(when)s, at %(venue)s."), True),
    Kind.MEETING_CANCELLED: KindSpec(_("“%(title)s” is cancelled: %(reason)s"), True),
    Kind.MINUTES_CIRCULATED: KindSpec(_("The minutes of “%(title)s” are circulated for comment."), True),
    Kind.MINUTES_ADOPTED: KindSpec(_("The minutes of “%(title)s” are adopted."), False),
    Kind.PROGRESS_TO_VERIFY: KindSpec(
        _("Progress on “%(title)s” (%(percent)s%%) waits for your verification."), True
    ),
    Kind.DUE: KindSpec(_("Due on %(due)s: %(title)s"), True),
    Kind.MAPPING_TO_REVIEW: KindSpec(_("Mappings in “%(title)s” wait for your party's review."), False),
    Kind.SIGN_OFF_REQUESTED: KindSpec(
        _("%(party)s signed off mappings in “%(title)s”: your sign-off is requested."), True
    ),
    Kind.APPLICATION_RECEIVED: KindSpec(_("A new application to “%(title)s” was received."), False),
    Kind.ALLOCATION_RESULT: KindSpec(_("The results of the allocation round “%(title)s” are out."), True),
    Kind.INTEREST: KindSpec(_("%(org)s is interested in “%(title)s”."), True),
    Kind.SLOT_BOOKED: KindSpec(_("%(org)s booked a meeting about “%(title)s”, %(when)s."), True),
    Kind.PEER_QUESTION: KindSpec(_("%(party)s asks your party a peer-learning question: “%(title)s”."), True),
    Kind.PEER_ANSWER: KindSpec(_("%(party)s answered the peer-learning question “%(title)s”."), True),
}


# A due item past its date says so instead.
OVERDUE = _("Overdue since %(due)s: %(title)s")


def email_by_default(kind: str) -> bool:
    return SPECS[kind].email_by_default
