"""Harmonize fixtures: a Malaysian and a Pakistani statute in the library, and a comparison of them."""

from __future__ import annotations

import pytest

MY_ACT = """# Personal Data Act 2030 (Malaysia, test text)

## PART I — PROTECTION OF PERSONAL DATA

### 1. Consent

A data user shall not process personal data about a data subject unless the data subject has given
consent to the processing.

### 2. Notification of a personal data breach

A data controller shall notify the Commissioner of a personal data breach within seventy-two hours after
becoming aware of it.

### 3. Data portability

A data subject may ask the data controller to transmit the personal data to another data controller.

### 4. Penalty

A person who contravenes section 1 commits an offence and shall be liable to a fine not exceeding one
million ringgit.

### 5. Registration of data users

A data user of a class specified by the Minister shall register with the Commissioner before processing
personal data.
"""

PK_ACT = """# Personal Data Protection Act 2031 (Pakistan, test text)

## CHAPTER I — OBLIGATIONS

### 1. Consent of the data subject

No person shall process personal data of a data subject without the consent of the data subject.

### 2. Personal data breach

In case of a personal data breach, the data controller shall report the breach to the Authority without
undue delay.

### 3. Cross-border transfer

Critical personal data shall be processed only in a server or data centre located in Pakistan.

### 4. Penalty for processing without consent

Whoever processes personal data in violation of section 1 shall be liable to a fine which may extend to
fifteen million rupees.
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONCORD_ENCODER = "hashing"


@pytest.fixture
def library(personas):
    """Two read documents, one per party, visible to the dialogue; returns (my_document, pk_document)."""
    from .factories import ingest_text

    def ingest(text, party, actor, title, **kw):
        return ingest_text(personas, text, party, actor, title, **kw)

    my = ingest(MY_ACT, personas.my, personas.analyst_my, "Personal Data Act 2030", short_title="MY PDA")
    pk = ingest(
        PK_ACT, personas.pk, personas.analyst_pk, "Personal Data Protection Act 2031", short_title="PK PDPA"
    )
    return my, pk


@pytest.fixture
def make_comparison(personas, library):
    from .factories import compare

    def _make(actor=None, *, source=None, target=None, **kw):
        kw.setdefault("options", {"top_k": 2, "threshold": 0.05})
        my, pk = library
        title = kw.pop("title", "MY–PK data protection")
        return compare(personas, source or [my], target or [pk], title, actor=actor, **kw)

    return _make


@pytest.fixture
def ran(personas, make_comparison):
    """A comparison that has been run (tasks run immediately in tests)."""
    from concord.harmonize.actions import do_run_comparison

    comparison = make_comparison()
    do_run_comparison(actor=personas.analyst_my, comparison=comparison)
    comparison.refresh_from_db()
    return comparison
