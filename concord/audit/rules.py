"""Who may read which audit entries. An entry follows the visibility of the content it records
(``scope.py``), with the rules of ``concord.core.rules``:

- Only auditors read the log: the secretariat (and, in the admin, administrators).
- Entries about what is not dialogue content (people, parties, organisations, the system): every auditor.
- Entries about public or dialogue-wide content: the secretariat of that dialogue; administrators read the
  public ones.
- Entries about content of one party only: secretariat staff seconded by that party in that dialogue, and
  nobody else: not the joint secretariat, not the other party, not administrators.
"""

from __future__ import annotations

from django.db.models import Q

from concord.accounts.models import Role
from concord.core import rules as core
from concord.core.models import Visibility

from .scope import NOT_CONTENT

NOBODY = Q(pk__in=[])


def _secretariat_seats(user) -> list[core.Seat]:
    return [s for s in core.seats(user) if s.role == Role.SECRETARIAT]


def can_read_log(user) -> bool:
    """May open the audit log at all (page, export, API)."""
    return bool(_secretariat_seats(user))


def can_read_log_in_admin(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False)) or can_read_log(
        user
    )


def visible_q(user) -> Q:
    """The entries ``user`` may read."""
    if not can_read_log_in_admin(user):
        return NOBODY
    q = Q(visibility=NOT_CONTENT)
    if user.is_superuser:
        q |= Q(visibility=Visibility.PUBLIC)
    seats = _secretariat_seats(user)
    dialogues = sorted({s.dialogue_id for s in seats})
    if dialogues:
        q |= Q(visibility__in=[Visibility.PUBLIC, Visibility.DIALOGUE], dialogue_id__in=dialogues)
    for dialogue_id in dialogues:
        parties = sorted({s.party_id for s in seats if s.dialogue_id == dialogue_id and s.party_id})
        if parties:
            q |= Q(visibility=Visibility.PARTY, dialogue_id=dialogue_id, party_id__in=parties)
    return q


def can_read_entry(user, entry) -> bool:
    return type(entry).objects.visible_to(user).filter(pk=entry.pk).exists()
