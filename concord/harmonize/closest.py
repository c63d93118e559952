"""The provisions on the other side of a comparison closest to one provision, by their stored vectors.

Across two countries' laws the engine's first suggestion is often not the counterpart (docs/evaluation.md,
"Across countries"), and its suggestions stop at its threshold. A reviewer who rejects a mapping, or finds a
provision without one, needs the next candidates, not a list of every provision of the other act. These are
read from the vectors the library stored when it read each document (`concord.library.embedding`), with
plain cosine: the encoder alone, which ranks at least as well as the engine on that task. Nothing is
encoded here, so the page costs a scan of the other side's vectors, read in chunks and kept as a top few.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.urls import reverse

from concord.library.models import Provision

from . import summary
from .models import Comparison

LIMIT = 5
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Closest:
    provision_id: int
    document_id: int
    label: str
    url: str  # the provision in its document
    similarity: float
    mapping_id: int | None  # the comparison's mapping of this pair, when there is one the user may see


@dataclass(frozen=True, slots=True)
class ClosestList:
    """The closest provisions on ``side`` to one provision (``to``, on the other side); ``ready`` is False
    when that provision has no stored vector yet (its document is still being read), and the list is then
    empty."""

    side: str
    to: int | None
    ready: bool
    items: tuple[Closest, ...] = ()


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
    versions of ``side``'s documents that ``user`` may see (``exclude``: provision ids left out). Only
    vectors of the model that read ``provision`` are compared."""
    vector = provision.vector() if provision is not None else None
    if provision is None or vector is None or not vector.size:
        return ClosestList(side, provision.pk if provision is not None else None, ready=False)
    query = vector / (np.linalg.norm(vector) or 1.0)
    documents = {d.current_version_id: d for d in summary.visible_documents(comparison, user, side)}
    rows = (
        Provision.objects.filter(version_id__in=[v for v in documents if v])
        .mappable()
        .filter(embedding__isnull=False, embedding_model=provision.embedding_model)
        .exclude(pk__in=[p for p in (*exclude, provision.pk) if p])
        .values_list("id", "version_id", "number", "heading", "key", "embedding")
    )
    best: list[tuple[float, int, tuple]] = []
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
        matrix = np.stack([np.frombuffer(bytes(r[5]), dtype=np.float32) for r in chunk])
        if matrix.shape[1] != query.shape[0]:
            continue
        scores = matrix @ query / np.maximum(np.linalg.norm(matrix, axis=1), 1e-12)
        for score, row in zip(scores.tolist(), chunk):
            item = (score, -row[0], row[:5])
            if len(best) < limit:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
    ranked = sorted(best, reverse=True)
    mapped = _mappings(comparison, user, provision.pk, side, [r[2][0] for r in ranked])
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
        for score, _, (pid, version, number, heading, key) in ranked
    )
    return ClosestList(side, provision.pk, ready=True, items=items)


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
