"""The minutes PDF of a meeting (its page and the minutes pages are in ``secretariat/views.py``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from ..views import _visible_meeting
from . import pdf


def minutes_pdf(request, pk: int):
    """Everyone who may see the meeting may download its minutes, in every language they are kept in."""
    meeting = _visible_meeting(request, pk)
    response = HttpResponse(pdf.render(meeting), content_type="application/pdf")
    name = slugify(meeting.title)[:60] or "meeting"
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}-{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
