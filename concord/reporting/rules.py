"""Who may build and fetch the round dossier. The dashboard is read by whoever reaches the dialogue: each
figure counts only what the reader may view (``concord/commitments/rules.py``, ``secretariat/rules.py``).

- **request** a dossier: any signed-in member of the dialogue, observers included (it holds only what they
  may view).
- **fetch** a dossier's page and files: the person who requested it, and nobody else (it was built with
  their view of the dialogue).
"""

from __future__ import annotations

from concord.core import rules as core
from concord.core.models import Job

# The kind of a dossier's job. Stored on every ``Job`` row: it keeps the name it had in the secretariat.
DOSSIER_KIND = "secretariat.dossier"


def can_request_dossier(user, dialogue_id: int) -> bool:
    return user.is_authenticated and core.is_member(user, dialogue_id)


def can_fetch_dossier(user, job: Job) -> bool:
    return user.is_authenticated and job.kind == DOSSIER_KIND and job.owner_id == user.pk
