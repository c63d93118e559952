"""Library fixtures: uploads go to a temporary MEDIA_ROOT; a small statute and strategy to ingest."""

from __future__ import annotations

import pytest

from concord.accounts import actions as account_actions

STATUTE = """# Data Protection Act 2030

## PART I — PRELIMINARY

### 1. Short title and commencement

(1) This Act may be cited as the Data Protection Act 2030.

(2) This Act comes into operation on a date appointed by the Minister.

### 2. Interpretation

In this Act, "personal data" means any information that relates to an identified person.

## PART II — PROTECTION OF PERSONAL DATA

### 3. Consent

(1) A data controller shall not process personal data without the consent of the data subject.

(2) Consent may be withdrawn at any time by notice in writing.

### 4. Notification of a personal data breach

A data controller shall notify the Commissioner of a personal data breach within seventy-two hours.
"""

STATUTE_AMENDED = (
    STATUTE.replace("within seventy-two hours", "within forty-eight hours")
    .replace(
        "### 4. Notification",
        "### 3A. Data portability\n\nA data subject may ask for a copy of their personal data.\n\n"
        "### 4. Notification",
    )
    .replace("(2) Consent may be withdrawn at any time by notice in writing.\n\n", "")
)

# A well-formed file that is read and then refused: French is not a language Concord supports (E302).
FRENCH = (
    "# Loi relative à la protection des données\n\n## Article premier\n\nLa présente loi s'applique à tout "
    "traitement de données à caractère personnel effectué par une personne physique ou morale. Les données "
    "sont collectées pour des finalités déterminées, explicites et légitimes, et ne sont pas traitées "
    "ultérieurement d'une manière incompatible avec ces finalités.\n"
).encode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONCORD_ENCODER = "hashing"


@pytest.fixture
def statute() -> bytes:
    return STATUTE.encode()


@pytest.fixture
def ingest(personas):
    """Ingest ``data`` as a document of the Malaysian delegation (runs the task immediately)."""
    from concord.library.actions import do_ingest_document

    def _ingest(
        data: bytes = STATUTE.encode(),
        *,
        actor=None,
        filename="act.md",
        visibility="dialogue",
        party="my",
        **kwargs,
    ):
        kwargs.setdefault("title", "Data Protection Act 2030")
        kwargs.setdefault("kind", "law")
        return do_ingest_document(
            actor=actor or personas.delegate_my,
            dialogue=personas.dialogue,
            upload=data,
            filename=filename,
            visibility=visibility,
            party=getattr(personas, party) if party else None,
            **kwargs,
        )

    return _ingest


@pytest.fixture
def api_as(client, settings):
    """A client authenticated with a personal access token of ``user``."""
    settings.CONCORD_REQUIRE_2FA = False

    def _as(user):
        _token, key = account_actions.do_create_token(actor=user, name="tests")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return client

    return _as
