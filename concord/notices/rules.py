"""Who may do what with notices. A notice belongs to its recipient alone: nobody else reads what it says
or marks it read (not the secretariat, not an administrator: the admin shows only its kind and times).
Who *receives* a notice is decided by the view rule of the app the notice is about
(see ``actions.do_notify``)."""

from __future__ import annotations


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_use_inbox(user) -> bool:
    return _signed_in(user)


def can_read(user, notice) -> bool:
    return _signed_in(user) and notice.recipient_id == user.pk


def can_set_preferences(actor, user) -> bool:
    return _signed_in(actor) and actor.pk == user.pk
