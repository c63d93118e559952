"""One catalogue of the engine's errors, each with a code and a message that says what to do.

Codes are stable: the web, the API and the CLI show them, and tests assert them. Add new codes at the end
of their block; never reuse a code.
"""

from __future__ import annotations


class EngineError(Exception):
    """An error the user can act on. ``code`` is stable; ``message`` names the problem."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ExtractionError(EngineError):
    """The file cannot be read as the document it claims to be (E1xx)."""

    code = "E100"


class SegmentationError(EngineError):
    """The text cannot be split into provisions (E2xx)."""

    code = "E200"


class LanguageError(EngineError):
    """The text is in a language Concord does not support, or none can be told (E3xx)."""

    code = "E300"


class HarmonizationError(EngineError):
    """The harmonization inputs or options are wrong (E4xx)."""

    code = "E400"


class MatchingError(EngineError):
    """Matching or allocation inputs are wrong (E5xx)."""

    code = "E500"
