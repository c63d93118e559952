"""The provisions on the other side of a comparison closest to one provision: the engine's candidates from
the comparison's last run, or else the closest by their stored vectors.

Across two countries' laws the engine's first suggestion is often not the counterpart (docs/evaluation.md,
"Across countries"), and its suggestions stop at its threshold. A reviewer who rejects a mapping, or finds a
provision without one, needs the next candidates, not a list of every provision of the other act.

The run keeps every candidate the engine ranked for each provision, suggested or not (`Candidate`): its
fused order reads the two sections' headings, best sentences and words, and across countries it reaches
more counterparts in its first five than cosine does (`bench/harmonize_cross_country.py`, "on pages"
against "cosine 5"). Where the last run did not rank a provision (it was added or changed since), the list
falls back on the vectors the library stored when it read each document (`concord.library.embedding`),
with plain cosine. Nothing is encoded here. On PostgreSQL with pgvector the database orders the other side
by cosine distance (`concord.library.pgvector`); elsewhere, or while some of the other side's rows have no
value in the vector column yet, the page scans the other side's vectors, read in chunks and kept as a top
few, so memory does not grow with the act.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL
from django.urls import reverse

from concord.library import pgvector
from concord.library.models import Provision

from . import summary
from .models import Candidate, Comparison

LIMIT = 5
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Closest:
    provision_id: int
    document_id: int
    label: str
    url: str  # the provision in its document
    similarity: float  # the cosine, or the engine's fused score when the list is the engine's
    mapping_id: int | None  # the comparison's mapping of this pair, when there is one the user may see


@dataclass(frozen=True, slots=True)
class ClosestList:
    """The closest provisions on ``side`` to one provision (``to``, on the other side); ``ready`` is False
    when that provision has no stored vector yet (its document is still being read), and the list is then
    empty. ``ranking``: "engine" (the last run's candidates, in its order) or "cosine"."""

    side: str
    to: int | None
    ready: bool
    items: tuple[Closest, ...] = ()
    ranking: str = "cosine"


def closest_to(
    comparison: Comparison,
    user,
    provision: Provision | None,
    side: str,
    *,
    exclude: tuple[int | None, ...] = (),
    limit: int = LIMIT,
) -> ClosestList:
    """The ``limit`` provisions closest to ``provision`` among the mappable provisions of the current
    versions of ``side``'s documents that ``user`` may see (``exclude``: provision ids left out): the last
    run's candidates for it when it has any there, else by cosine, where only vectors of the model that
    read ``provision`` are compared."""
    if provision is None:
        return ClosestList(side, None, ready=False)
    documents = {d.current_version_id: d for d in summary.visible_documents(comparison, user, side)}
    versions = [v for v in documents if v]
    left_out = [p for p in (*exclude, provision.pk) if p]
    ranked, ranking = _engine_ranked(comparison, provision, side, versions, left_out, limit), "engine"
    if not ranked:
        vector = provision.vector()
        if vector is None or not vector.size:
            return ClosestList(side, provision.pk, ready=False)
        ranked, ranking = _by_cosine(provision, vector, versions, left_out, limit), "cosine"
    mapped = _mappings(comparison, user, provision.pk, side, [row[0] for _, row in ranked])
    items = tuple(
        Closest(
            provision_id=pid,
            document_id=documents[version].pk,
            label=" ".join(
                x
                for x in (documents[version].short_title or documents[version].title, number or key, heading)
                if x
            ),
            url=reverse("library:document", args=[documents[version].pk])
            + f"?{urlencode({'version': version, 'provision': key})}#p-{key}",
            similarity=round(score, 3),
            mapping_id=mapped.get(pid),
        )
        for score, (pid, version, number, heading, key) in ranked
    )
    return ClosestList(side, provision.pk, ready=True, items=items, ranking=ranking)


def _engine_ranked(
    comparison: Comparison,
    provision: Provision,
    side: str,
    versions: list[int],
    left_out: list[int],
    limit: int,
) -> list[tuple[float, tuple]]:
    """(score, row) of the last run's candidates on ``side`` for ``provision``, in the engine's order, among
    the current versions given (a candidate in an older version, or in a document the user may not see,
    is left out)."""
    own = "target" if side == "source" else "source"
    rows = (
        Candidate.objects.filter(
            comparison=comparison, side=own, provision=provision, other__version_id__in=versions
        )
        .exclude(other_id__in=left_out)
        .order_by("rank", "other_id")
        .values_list("score", *(f"other__{f}" for f in FIELDS))[:limit]
    )
    return [(float(r[0]), tuple(r[1:])) for r in rows]


def _by_cosine(
    provision: Provision, vector: np.ndarray, versions: list[int], left_out: list[int], limit: int
) -> list[tuple[float, tuple]]:
    """(similarity, row) of the ``limit`` mappable provisions of ``versions`` closest to ``provision`` by
    the cosine of their stored vectors (of the same model)."""
    query = vector / (np.linalg.norm(vector) or 1.0)
    candidates = (
        Provision.objects.filter(version_id__in=versions)
        .mappable()
        .filter(embedding__isnull=False, embedding_model=provision.embedding_model)
        .exclude(pk__in=left_out)
    )
    ranked = _in_database(candidates, query, limit)
    return ranked if ranked is not None else _scanned(candidates, query, limit)


def closest_for_mapping(comparison: Comparison, user, mapping) -> list[ClosestList]:
    """A mapping's next candidates: the targets closest to its source provision, then the sources closest
    to its target provision, the mapping's own pair left out."""
    return [
        closest_to(
            comparison, user, mapping.source_provision, "target", exclude=(mapping.target_provision_id,)
        ),
        closest_to(
            comparison, user, mapping.target_provision, "source", exclude=(mapping.source_provision_id,)
        ),
    ]


FIELDS = ("id", "version_id", "number", "heading", "key")


def _scanned(candidates, query: np.ndarray, limit: int) -> list[tuple[float, tuple]]:
    """(similarity, row) of the ``limit`` candidates closest to ``query``, best first (ties: the lower
    id), from their stored bytes, read in chunks."""
    best: list[tuple[float, int, tuple]] = []
    for chunk in _chunks(candidates.values_list(*FIELDS, "embedding").iterator(chunk_size=CHUNK)):
        matrix = np.stack([np.frombuffer(bytes(r[5]), dtype=np.float32) for r in chunk])
        if matrix.shape[1] != query.shape[0]:
            continue
        scores = matrix @ query / np.maximum(np.linalg.norm(matrix, axis=1), 1e-12)
        for score, row in zip(scores.tolist(), chunk):
            item = (score, -row[0], row[:5])
            if len(best) < limit:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heappushpop(best, item)
    return [(score, row) for score, _, row in sorted(best, reverse=True)]


def _in_database(candidates, query: np.ndarray, limit: int) -> list[tuple[float, tuple]] | None:
    """The same as `_scanned`, ordered by pgvector's cosine distance in the database; None where pgvector's
    column is not there, or some candidate has no value in it yet (it was read before the column existed)."""
    if not pgvector.has_column():
        return None
    unread = RawSQL(f"{pgvector.COLUMN} IS NULL", (), output_field=BooleanField())  # noqa: S611 - no input
    if candidates.annotate(unread=unread).filter(unread=True).exists():
        return None
    vector = [pgvector.literal(query)]  # a parameter, not SQL text
    distance = RawSQL(f"{pgvector.COLUMN} <=> %s::vector", vector, output_field=FloatField())  # noqa: S611
    rows = candidates.annotate(distance=distance).order_by("distance", "id").values_list(*FIELDS, "distance")
    return [(1.0 - float(r[5]), r[:5]) for r in rows[:limit]]


def _chunks(rows, size: int = CHUNK):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _mappings(
    comparison: Comparison, user, provision_id: int, side: str, listed: list[int]
) -> dict[int, int]:
    """Listed provision (on ``side``) -> the comparison's mapping between it and ``provision_id`` (on the
    other side), among the mappings ``user`` may see."""
    given = "source" if side == "target" else "target"
    pairs = summary.visible_mappings(comparison, user).filter(
        **{f"{given}_provision_id": provision_id, f"{side}_provision_id__in": listed}
    )
    return dict(pairs.values_list(f"{side}_provision_id", "id"))
