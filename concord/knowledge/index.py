"""Keeping the search index in step: one object (`refresh`, `remove`), or everything (`rebuild`).

Index writes are bookkeeping, like job progress: they are not audited themselves. The writes that cause
them (publishing an offer, editing a profile...) are, and a rebuild runs as an audited job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from .models import SearchEntry
from .registry import Source, get, source_for, sources

BODY_LIMIT = 20000
BATCH = 256


def _encoder():
    from concord.library.embedding import encoder

    return encoder()


def _entry(source: Source, obj) -> SearchEntry | None:
    access = source.access(obj)
    if access is None:
        return None
    title = (source.title(obj) or "")[:300]
    body = (source.body(obj) or "")[:BODY_LIMIT]
    themes = sorted({t for t in source.themes(obj) if t})
    return SearchEntry(
        kind=source.kind,
        object_id=obj.pk,
        title=title,
        body=body,
        url=source.url(obj)[:500],
        dialogue_id=access.dialogue_id,
        visibility=access.visibility,
        party_id=access.party_id,
        party_code=(source.party_code(obj) or "")[:2],
        themes=(" " + " ".join(themes) + " ") if themes else "",
        date=source.date(obj),
        language=(source.language(obj) or "")[:2],
        updated_at=timezone.now(),
    )


def embedding_text(entry: SearchEntry) -> str:
    return f"{entry.title}. {entry.body[:2000]}"


def _embed(entries: list[SearchEntry]) -> None:
    if not entries:
        return
    enc = _encoder()
    vectors = np.asarray(enc.encode([embedding_text(e) for e in entries], kind="passage"), dtype=np.float32)
    for entry, vector in zip(entries, vectors, strict=True):
        entry.embedding = vector.tobytes()
        entry.embedding_model = enc.model_id


def refresh(obj) -> SearchEntry | None:
    """Index ``obj`` again (or drop it, when its source says it should not be found now)."""
    source = source_for(obj)
    if source is None:
        return None
    entry = _entry(source, obj)
    if entry is not None:
        _embed([entry])  # before the transaction: embedding takes time, and holds no lock
    with transaction.atomic():
        old = SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk)
        if entry is not None:
            _keep_time_if_unchanged([entry], old)
        old.delete()
        if entry is None:
            return None
        entry.save()
    return entry


def refresh_ids(kind: str, ids: list[int], *, embed: bool = True) -> int:
    """Index the objects ``ids`` of ``kind`` as they are now (read through the source's queryset, so an
    object it leaves out, such as a provision of a superseded version, is dropped); returns how many are
    indexed. Without ``embed`` the entries carry no vector yet: `embed_missing` adds it later."""
    source = get(kind)
    if source is None or not ids:
        return 0
    entries = [e for obj in source.all_objects().filter(pk__in=ids) if (e := _entry(source, obj))]
    if embed:
        _embed(entries)
    with transaction.atomic():
        old = SearchEntry.objects.filter(kind=kind, object_id__in=ids)
        _keep_time_if_unchanged(entries, old)
        old.delete()
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def embed_missing(limit: int = BATCH) -> int:
    """Compute the vectors of up to ``limit`` entries that have none (written on save, see autoindex)."""
    entries = list(SearchEntry.objects.filter(embedding=None).order_by("id")[:limit])
    _embed(entries)
    for entry in entries:
        # Only where the entry was not replaced meanwhile (its row is gone then, and the update a no-op).
        SearchEntry.objects.filter(pk=entry.pk, embedding=None).update(
            embedding=entry.embedding, embedding_model=entry.embedding_model, updated_at=timezone.now()
        )
    return len(entries)


def _keep_time_if_unchanged(entries: list[SearchEntry], old) -> None:
    """An entry indexed again without a change keeps its ``updated_at``: the digest reads it as the time the
    content was added or last changed, and a rebuild of the index is neither."""
    same = ("title", "body", "visibility", "party_id", "dialogue_id")
    before = {e["object_id"]: e for e in old.values("object_id", "updated_at", *same)}
    for entry in entries:
        prior = before.get(entry.object_id)
        if prior and all(prior[f] == getattr(entry, f) for f in same):
            entry.updated_at = prior["updated_at"]


def remove(obj) -> None:
    source = source_for(obj)
    if source is not None:
        SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).delete()


def remove_ids(kind: str, ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).delete()


def rebuild(kinds: list[str] | None = None, progress: Callable[..., None] | None = None) -> dict[str, int]:
    """Index every object of every source (or of ``kinds``) afresh; returns counts per kind.

    Runs in batches of ``BATCH`` objects: each batch is read and embedded outside any transaction, then
    written in one short transaction (its old entries replaced), so the site keeps reading and writing
    while a rebuild runs, and search keeps answering from the old entries until a batch replaces them.
    Entries of objects that are gone are removed at the end of their kind, also in short transactions.
    """
    chosen = [s for s in sources() if kinds is None or s.kind in kinds]
    counts: dict[str, int] = {}
    ids_of = {s.kind: list(s.all_objects().order_by("pk").values_list("pk", flat=True)) for s in chosen}
    total = sum(len(ids) for ids in ids_of.values())
    done = 0
    for source in chosen:
        ids = ids_of[source.kind]
        n = 0
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            # Read one batch by id (no cursor held open across batches), embed it, then write it.
            entries = [e for obj in source.all_objects().filter(pk__in=chunk) if (e := _entry(source, obj))]
            _embed(entries)
            with transaction.atomic():
                old = SearchEntry.objects.filter(kind=source.kind, object_id__in=chunk)
                _keep_time_if_unchanged(entries, old)
                old.delete()
                SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
            n += len(entries)
            done += len(chunk)
            if progress:
                progress(done, total, source.kind)
        _remove_stale(source.kind, set(ids))
        counts[source.kind] = n
        if progress:
            progress(done, total, source.kind)
    return counts


def _remove_stale(kind: str, live: set[int]) -> None:
    """Drop the entries of ``kind`` whose object no longer exists, a batch per short transaction."""
    stale = [
        pk
        for pk, object_id in SearchEntry.objects.filter(kind=kind).values_list("pk", "object_id")
        if object_id not in live
    ]
    for start in range(0, len(stale), BATCH):
        with transaction.atomic():
            SearchEntry.objects.filter(pk__in=stale[start : start + BATCH]).delete()


def kinds_indexed() -> list[str]:
    return [s.kind for s in sources()]


def get_source(kind: str) -> Source | None:
    return get(kind)


# --- the in-memory vector matrix -------------------------------------------------------------------------
@dataclass
class VectorMatrix:
    key: tuple
    ids: np.ndarray  # entry ids
    vectors: np.ndarray  # (n, dim) float32, unit rows
    kind: np.ndarray  # object array of kind strings
    visibility: np.ndarray
    is_public: np.ndarray  # booleans, precomputed so a search builds its mask without string compares
    is_dialogue: np.ndarray
    is_party: np.ndarray
    is_restricted: np.ndarray
    dialogue: np.ndarray  # int64, -1 for none
    party: np.ndarray  # int64, -1 for none
    model_id: str
    # Above `SKETCH_FROM` entries: a random projection of every vector to `SKETCH_DIM` dimensions, scanned
    # first; only the best candidates are then scored exactly (4x less memory traffic per query).
    sketch: np.ndarray | None = None
    projection: np.ndarray | None = None
    sample: np.ndarray | None = None  # with the sketch: random row numbers, for a query's typical similarity


SKETCH_FROM = 20_000
SKETCH_DIM = 128
_cache: dict[str, VectorMatrix] = {}
_lock = threading.Lock()


def _state_key() -> tuple:
    """Changes whenever an entry is added or re-indexed (both read from indexes, so this is cheap).
    A deleted entry may linger in the matrix: search fetches entries by id, so it drops out there."""
    # Two single-column lookups: each walks one index to its end (one aggregate of both scans the table).
    top = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first()
    last = SearchEntry.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return (connection.settings_dict.get("NAME"), last, top)


def vector_matrix() -> VectorMatrix | None:
    """All entry vectors with their access columns, loaded once per process and reloaded on change."""
    key = _state_key()
    with _lock:
        cached = _cache.get("m")
        if cached is not None and cached.key == key:
            return cached
        rows = list(
            SearchEntry.objects.exclude(embedding=None)
            .order_by("id")
            .values_list(
                "id", "kind", "visibility", "dialogue_id", "party_id", "embedding", "embedding_model"
            )
        )
        if not rows:
            _cache.pop("m", None)
            return None
        dim = len(bytes(rows[0][5])) // 4
        model_id = rows[0][6]
        rows = [r for r in rows if len(bytes(r[5])) == dim * 4 and r[6] == model_id]
        vectors = np.frombuffer(b"".join(bytes(r[5]) for r in rows), dtype=np.float32).reshape(len(rows), dim)
        matrix = VectorMatrix(
            key=key,
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            vectors=vectors,
            kind=np.array([r[1] for r in rows], dtype=object),
            visibility=(visibility := np.array([r[2] for r in rows], dtype=object)),
            is_public=visibility == "public",
            is_dialogue=visibility == "dialogue",
            is_party=visibility == "party",
            is_restricted=visibility == "restricted",
            dialogue=np.array([r[3] if r[3] is not None else -1 for r in rows], dtype=np.int64),
            party=np.array([r[4] if r[4] is not None else -1 for r in rows], dtype=np.int64),
            model_id=model_id,
        )
        if len(rows) >= SKETCH_FROM and dim > SKETCH_DIM:
            rng = np.random.default_rng(0)
            matrix.projection = (rng.standard_normal((dim, SKETCH_DIM)) / np.sqrt(SKETCH_DIM)).astype(
                np.float32
            )
            matrix.sketch = np.ascontiguousarray(vectors @ matrix.projection)
            matrix.sample = np.sort(rng.choice(len(rows), min(len(rows), 2048), replace=False))
        _cache["m"] = matrix
        return matrix
