"""Minutes are built on the secretariat's fixtures (minutes belong to a meeting)."""

from tests.migrating import executor
from tests.secretariat.conftest import make_meeting, meeting, open_meeting

__all__ = ["executor", "make_meeting", "meeting", "open_meeting"]
