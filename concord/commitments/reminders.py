"""Which due-date and overdue reminders to send today. Pure Python: no Django.

A reminder goes out once when something falls due within ``window`` days (``due_soon``), and once a week
(per ISO week) while it is overdue (``overdue``). Review dates of outcomes remind on the day they fall due
and weekly after. Each reminder has a key, so sending the same day twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Due:
    kind: str  # commitment, milestone, action, review
    id: int
    title: str
    due: dt.date
    recipients: tuple[str, ...]
    url: str = ""


@dataclass(frozen=True)
class Reminder:
    key: str
    recipient: str
    state: str  # due_soon or overdue
    due: Due


def select_reminders(items: Iterable[Due], today: dt.date, *, window: int = 7) -> list[Reminder]:
    out: list[Reminder] = []
    year, week, _ = today.isocalendar()
    for item in items:
        days = (item.due - today).days
        if days < 0 or (item.kind == "review" and days == 0):
            state, stamp = "overdue", f"{year}-W{week:02d}"
        elif 0 <= days <= window and item.kind != "review":
            state, stamp = "due_soon", item.due.isoformat()
        else:
            continue
        for recipient in sorted(set(item.recipients)):
            if recipient:
                key = f"{item.kind}:{item.id}:{state}:{stamp}:{recipient}"
                out.append(Reminder(key=key, recipient=recipient, state=state, due=item))
    return out
