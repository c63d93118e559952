"""Embedding provisions in batches with the configured encoder (``settings.CONCORD_ENCODER``).

Vectors are cached by text hash and model id (`EmbeddingCache`), so unchanged text is never embedded
twice: not on a re-run, not in a new version of a document, not in two documents that quote each other.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from concord.audit.log import AuditContext, record, reset_context, set_context
from concord.core import jobs
from concord.engine.encoders import Encoder, get_encoder

from . import pgvector
from .models import DocumentVersion, EmbeddingCache, Provision

BATCH_SIZE = 32
_encoders: dict[str, Encoder] = {}
_lock = threading.Lock()


def encoder() -> Encoder:
    """The configured encoder, loaded once per process (the default model takes seconds to load)."""
    name = settings.CONCORD_ENCODER
    with _lock:
        if name not in _encoders:
            _encoders[name] = get_encoder(name)
        return _encoders[name]


def embedding_text(p: Provision) -> str:
    return " ".join(x for x in (p.number, p.heading, p.text) if x).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_embedding(
    *,
    job_id: str,
    version_id: int,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict:
    version = DocumentVersion.objects.select_related("document", "document__party").get(pk=version_id)
    token = None if on_progress else set_context(AuditContext(via="task"))
    try:
        with jobs.running(job_id) as progress:
            result = _embed_version(version, batch_size, progress, on_progress)
            document = version.document
            with transaction.atomic():
                record(
                    actor=None,
                    action="library.version.embed",
                    obj=version,
                    **document.audit_scope(),
                    after=result,
                )
        jobs.finish(job_id, result=result, result_url=version.get_absolute_url())
    finally:
        if token is not None:
            reset_context(token)
    return result


def _embed_version(version: DocumentVersion, batch_size: int, progress, on_progress) -> dict:
    enc = encoder()
    model_id = enc.model_id
    pending = []
    for p in (
        Provision.objects.filter(version=version)
        .only("id", "number", "heading", "text", "embedding_model", "embedding_hash")
        .order_by("order")
    ):
        text = embedding_text(p)
        digest = text_hash(text)
        if text and (p.embedding_model != model_id or p.embedding_hash != digest):
            pending.append((p, text, digest))
    total = len(pending)
    progress(0, total, _("Embedding %(n)d provisions") % {"n": total}, force=True)
    with_vector_column = pgvector.has_column()
    encoded = cached = 0
    for start in range(0, total, batch_size):
        batch = pending[start : start + batch_size]
        hashes = list({d for _p, _t, d in batch})
        known = {
            c.text_hash: np.frombuffer(bytes(c.vector), dtype=np.float32)
            for c in EmbeddingCache.objects.filter(model_id=model_id, text_hash__in=hashes)
        }
        missing = [(t, d) for _p, t, d in batch if d not in known]
        missing = list(dict(((d, t) for t, d in missing)).items())  # one text per hash
        if missing:
            vectors = np.asarray(enc.encode([t for _d, t in missing], kind="passage"), dtype=np.float32)
            fresh = {d: vectors[i] for i, (d, _t) in enumerate(missing)}
            encoded += len(fresh)
        else:
            fresh = {}
        cached += sum(1 for _p, _t, d in batch if d in known)
        with transaction.atomic():
            EmbeddingCache.objects.bulk_create(
                [
                    EmbeddingCache(text_hash=d, model_id=model_id, dim=int(v.shape[0]), vector=v.tobytes())
                    for d, v in fresh.items()
                ],
                ignore_conflicts=True,
            )
            vectors_of = {**known, **fresh}
            rows = []
            for p, _t, d in batch:
                v = vectors_of[d]
                p.embedding, p.embedding_model, p.embedding_dim, p.embedding_hash = (
                    v.tobytes(),
                    model_id,
                    int(v.shape[0]),
                    d,
                )
                rows.append(p)
            Provision.objects.bulk_update(
                rows, ["embedding", "embedding_model", "embedding_dim", "embedding_hash"]
            )
            if with_vector_column:
                pgvector.write_vectors([(p.pk, vectors_of[d]) for p, _t, d in batch])
        done = min(start + batch_size, total)
        progress(done, total, _("Embedded %(done)d of %(total)d provisions") % {"done": done, "total": total})
        if on_progress is not None:
            on_progress(done, total)
    return {
        "version": version.pk,
        "model": model_id,
        "provisions": total,
        "encoded": encoded,
        "from_cache": cached,
        "pgvector": with_vector_column,
    }
