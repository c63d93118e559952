"""Signals the library sends, so that apps built on it can react without the library knowing them."""

from django.dispatch import Signal

# Sent once a new version of a document has been read into provisions and committed.
# Arguments: ``version`` (the DocumentVersion, now READY).
version_ingested = Signal()
