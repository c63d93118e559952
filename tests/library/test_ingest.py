"""Ingestion: one path from the stored original to provisions, themes, embeddings and diffs."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from concord.core.models import JobStatus
from concord.library import actions, pgvector
from concord.library.models import (
    DocumentVersion,
    EmbeddingCache,
    IngestionStatus,
    PolicyDocument,
    Provision,
    ProvisionTheme,
    Theme,
)
from tests.factories import ingest_act

from .conftest import FRENCH, STATUTE, STATUTE_AMENDED

pytestmark = pytest.mark.django_db


def test_it_reads_a_statute_into_a_provision_tree(ingest):
    result = ingest()
    version = result.version
    assert version.status == IngestionStatus.READY and result.job.status == JobStatus.SUCCEEDED
    keys = list(version.provisions.values_list("key", flat=True))
    assert keys == ["p1", "s1", "s1.1", "s1.2", "s2", "p2", "s3", "s3.1", "s3.2", "s4"]
    s31 = version.provisions.get(key="s3.1")
    assert s31.number == "3(1)" and s31.level == "subsection" and s31.parent.key == "s3" and s31.depth == 2
    assert s31.language == "en" and "consent" in s31.text
    assert version.language == "en" and result.document.language == "en"
    assert result.document.current_version == version


def test_it_keeps_the_original_file_untouched_with_its_hash(ingest, statute):
    version = ingest(statute).version
    assert version.original.read() == statute
    assert version.sha256 == hashlib.sha256(statute).hexdigest()
    assert version.size == len(statute) and version.original_filename == "act.md"
    assert version.media_type == "text/markdown"


def test_it_tags_themes_and_the_document(ingest):
    result = ingest()
    s4 = result.version.provisions.get(key="s4")
    assert "personal-data-protection" in {link.theme.slug for link in s4.theme_links.all()}
    assert result.document.themes.filter(slug="personal-data-protection").exists()


def test_it_embeds_provisions_with_the_configured_encoder(ingest):
    version = ingest().version
    p = version.provisions.get(key="s3.1")
    assert p.embedding_model == "concord-hashing-v1-512" and p.embedding_dim == 512
    vector = p.vector()
    assert vector.dtype == np.float32 and vector.shape == (512,)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4)
    assert EmbeddingCache.objects.count() == version.provisions.exclude(text="", heading="").count()


def test_unchanged_text_is_never_embedded_twice(ingest, personas):
    first = ingest().version
    cached = EmbeddingCache.objects.count()
    job = actions.do_queue_embeddings(actor=None, version=first)
    assert job.result["provisions"] == 0  # nothing to do on a re-run
    result = actions.do_ingest_version(
        actor=personas.delegate_my,
        document=first.document,
        upload=STATUTE_AMENDED.encode(),
        filename="act-2031.md",
    )
    embed_job = result.version.provisions.first()
    assert embed_job is not None
    # Only the provisions whose text changed were encoded: one new section, one changed, one gone.
    assert EmbeddingCache.objects.count() - cached <= 3


def test_identical_files_are_reported_not_duplicated(ingest):
    first = ingest()
    again = ingest(title="Another title")
    assert again.duplicate and again.version == first.version
    assert PolicyDocument.objects.count() == 1 and DocumentVersion.objects.count() == 1


def test_a_duplicate_the_uploader_cannot_see_is_not_revealed(ingest, personas):
    ours = ingest(visibility="party", party="my")
    theirs = ingest(actor=personas.delegate_pk, visibility="party", party="pk")
    assert not theirs.duplicate and theirs.document != ours.document


def test_rerunning_keeps_provision_ids_and_human_theme_decisions(ingest, personas):
    result = ingest()
    version = result.version
    s3 = version.provisions.get(key="s3")
    ids = dict(version.provisions.values_list("key", "pk"))
    ai = Theme.objects.get(slug="ai")
    auto = s3.theme_links.get(theme__slug="personal-data-protection").theme
    actions.do_set_provision_theme(actor=personas.analyst_my, provision=s3, theme=ai, present=True)
    actions.do_set_provision_theme(actor=personas.analyst_my, provision=s3, theme=auto, present=False)

    job = actions.do_reprocess_version(actor=personas.delegate_my, version=version)

    assert job.status == JobStatus.SUCCEEDED
    assert dict(version.provisions.values_list("key", "pk")) == ids
    shown = set(ProvisionTheme.objects.shown().filter(provision=s3).values_list("theme__slug", flat=True))
    assert "ai" in shown and "personal-data-protection" not in shown


def test_a_new_version_gives_a_provision_level_diff(ingest, personas):
    first = ingest().version
    result = actions.do_ingest_version(
        actor=personas.delegate_my,
        document=first.document,
        upload=STATUTE_AMENDED.encode(),
        filename="act-2031.md",
        label="2031",
    )
    version = result.version
    assert version.supersedes == first and result.document.current_version == version
    # Section 3 changes with its subsection (3)(2) removed: a section's text spans its subsections.
    assert version.diff_summary == {
        "base": first.pk,
        "mode": "full",
        "added": 1,
        "removed": 1,
        "changed": 2,
        "unchanged": 7,
    }


def test_a_human_decision_carries_to_the_next_version_when_the_text_is_unchanged(ingest, personas):
    first = ingest().version
    s2 = first.provisions.get(key="s2")
    actions.do_set_provision_theme(
        actor=personas.analyst_my, provision=s2, theme=Theme.objects.get(slug="ai"), present=True
    )
    version = actions.do_ingest_version(
        actor=personas.delegate_my, document=first.document, upload=STATUTE_AMENDED.encode(), filename="v2.md"
    ).version
    link = ProvisionTheme.objects.get(provision__version=version, provision__key="s2", theme__slug="ai")
    assert link.source == "human" and not link.rejected


def test_an_amending_act_links_to_the_act_it_amends(ingest, personas):
    act = ingest()
    amendment = ingest(
        STATUTE_AMENDED.encode(), title="Data Protection (Amendment) Act 2031", amends=act.document
    )
    assert amendment.version.amends == act.version
    assert amendment.version.diff_summary["mode"] == "amendment"
    assert amendment.version.diff_summary["removed"] == 0


def test_a_declared_language_is_kept(ingest):
    version = ingest(language="ms").version
    assert set(version.provisions.values_list("language", flat=True)) == {"ms"}


def test_a_failure_keeps_the_upload_and_writes_no_provision(ingest):
    result = ingest(FRENCH, filename="loi.md")
    version = result.version
    assert version.status == IngestionStatus.FAILED and version.error_code == "E302"
    assert "French" in version.error
    assert result.job.status == JobStatus.FAILED
    assert version.original.read() == FRENCH
    assert not Provision.objects.exists()


def test_a_failed_rerun_leaves_the_earlier_provisions_whole(ingest, personas, monkeypatch):
    result = ingest()
    before = list(result.version.provisions.values_list("pk", "text"))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("concord.library.pipeline._save_tags", broken)
    job = actions.do_reprocess_version(actor=personas.delegate_my, version=result.version)
    result.version.refresh_from_db()
    assert job.status == JobStatus.FAILED and result.version.status == IngestionStatus.FAILED
    assert list(result.version.provisions.values_list("pk", "text")) == before


def test_oversized_uploads_are_refused_before_anything_is_stored(ingest, settings):
    settings.CONCORD_MAX_UPLOAD_BYTES = 100
    with pytest.raises(actions.ValidationError) as exc:
        ingest(STATUTE.encode())
    assert "over the 100 bytes upload limit" in " ".join(exc.value.messages)
    assert not DocumentVersion.objects.exists()


def test_pgvector_is_optional_and_safe_without_it():
    # SQLite (and PostgreSQL without the extension): no column, nothing breaks.
    from django.db import connection

    if connection.vendor != "postgresql":
        assert pgvector.ensure_column() is False
        assert pgvector.has_column() is False
    assert pgvector.literal(np.array([0.5, 1.0], dtype=np.float32)) == "[0.5,1]"


def test_queued_ingestion_leaves_the_version_waiting_for_the_worker(personas, settings, statute):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    result = ingest_act(personas, statute, title="Act")
    assert result.version.status == IngestionStatus.PENDING and result.job.status == JobStatus.QUEUED
    assert result.version.original.read() == statute
