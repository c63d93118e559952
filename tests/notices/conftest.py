"""Notices fixtures: the apps' own fixtures, reused, and a helper that runs e-mail sent after commit."""

from __future__ import annotations

import pytest

from tests.directory.conftest import eco  # noqa: F401 - fixtures shared with the directory tests
from tests.harmonize.conftest import _media, library, make_comparison, ran  # noqa: F401
from tests.talent.conftest import esco  # noqa: F401


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (the queued e-mails) of what happens inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
