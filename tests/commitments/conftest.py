"""Commitments are built on the secretariat's fixtures (a commitment needs a dialogue's secretariat)."""

from tests.migrating import executor
from tests.secretariat.conftest import commitment, meeting

__all__ = ["commitment", "executor", "meeting"]
