"""A mapping's page lists the provisions on the other side closest to each of its two, by stored vectors,
with a way to map them: the next candidates when the engine's suggestion is not the counterpart."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from concord.harmonize.closest import closest_to
from concord.harmonize.models import Mapping
from concord.library.models import Provision

from .factories import TEXTS, compare, document

pytestmark = pytest.mark.django_db


def _embed(doc, vectors: list[list[float]], model: str = "test-model") -> list[Provision]:
    rows = list(doc.current_version.provisions.order_by("order"))
    for row, vector in zip(rows, vectors):
        row.embedding = np.asarray(vector, dtype=np.float32).tobytes()
        row.embedding_model = model
        row.embedding_dim = len(vector)
        row.save(update_fields=["embedding", "embedding_model", "embedding_dim"])
    return rows


@pytest.fixture()
def mapped(personas):
    """MY section 1 mapped to PK section 1; by their vectors, PK sections 3, 5 and 2 are the next closest
    to MY section 1, in that order, and PK section 4 is opposite."""
    my = document(personas, personas.my, "MY Act", TEXTS)
    pk = document(personas, personas.pk, "PK Act", TEXTS)
    source = _embed(my, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1]])
    target = _embed(pk, [[1, 0.1, 0], [0.2, 1, 0], [1, 0.3, 0], [-1, 0, 0], [0.9, 0.5, 0]])
    comparison = compare(personas, [my], [pk])
    rows = {
        pair: Mapping.objects.create(
            comparison=comparison,
            source_key=f"1:{source[a].key}",
            target_key=f"2:{target[b].key}",
            source_provision=source[a],
            target_provision=target[b],
            source_label=f"MY {a + 1}",
            target_label=f"PK {b + 1}",
            relationship="equivalent-to",
        )
        for pair, (a, b) in {"main": (0, 0), "other": (0, 4)}.items()
    }
    return comparison, rows, source, target


def test_the_next_candidates_are_the_closest_by_stored_vectors_and_say_which_are_mapped(mapped, personas):
    comparison, rows, source, target = mapped
    found = closest_to(comparison, personas.analyst_my, source[0], "target", exclude=(target[0].pk,), limit=3)
    assert found.ready
    assert [c.provision_id for c in found.items] == [target[2].pk, target[4].pk, target[1].pk]
    assert [c.mapping_id for c in found.items] == [None, rows["other"].pk, None]
    assert found.items[0].label == "PK Act 3 Section 3" and found.items[0].similarity == pytest.approx(
        0.958, abs=1e-3
    )
    # the other direction: the source provisions closest to PK section 1, MY section 1 left out
    back = closest_to(comparison, personas.analyst_my, target[0], "source", exclude=(source[0].pk,))
    assert back.items[0].provision_id == source[4].pk


def test_the_mapping_page_links_each_candidate_to_a_prefilled_new_mapping(mapped, personas, as_user):
    comparison, rows, source, target = mapped
    client = as_user(personas.analyst_my)
    body = client.get(rows["main"].get_absolute_url()).content.decode()
    assert "Closest provisions on the other side" in body
    add = reverse("harmonize:mapping_add", args=[comparison.pk])
    assert f"{add}?source={source[0].pk}&amp;target={target[2].pk}" in body
    assert reverse("harmonize:mapping", args=[comparison.pk, rows["other"].pk]) in body
    assert f"source={source[0].pk}&amp;target={target[0].pk}" not in body  # the pair shown is not offered
    assert f"{add}?source={source[4].pk}&amp;target={target[0].pk}" in body  # the other direction
    form = client.get(f"{add}?source={source[0].pk}&target={target[2].pk}").content.decode()
    chosen = re.findall(r'<option value="(\d+)" selected', form)
    assert chosen == [str(source[0].pk), str(target[2].pk)]
    # a malformed or foreign id in the link selects nothing and breaks nothing
    assert client.get(f"{add}?source=%C2%B2&target=99999999").status_code == 200


def test_an_observer_sees_the_candidates_but_is_not_offered_to_map_them(mapped, personas, as_user):
    comparison, rows, source, target = mapped
    body = as_user(personas.observer).get(rows["main"].get_absolute_url()).content.decode()
    assert "Other target provisions closest to the source provision" in body
    assert reverse("harmonize:mapping_add", args=[comparison.pk]) not in body


def test_a_document_the_reader_may_not_see_gives_no_candidates(mapped, personas):
    comparison, rows, source, target = mapped
    hidden = document(personas, personas.pk, "PK internal", TEXTS, visibility="party")
    _embed(hidden, [[1, 0, 0]] * len(TEXTS))  # the very closest, for those who may see it
    comparison.target_documents.add(hidden)
    hidden_ids = set(hidden.current_version.provisions.values_list("pk", flat=True))
    mine = closest_to(comparison, personas.analyst_my, source[0], "target", exclude=(target[0].pk,))
    assert not hidden_ids & {c.provision_id for c in mine.items}
    theirs = closest_to(comparison, personas.analyst_pk, source[0], "target", exclude=(target[0].pk,))
    assert {c.provision_id for c in theirs.items} <= hidden_ids


def test_without_a_stored_vector_the_page_says_the_provision_is_not_read_yet(mapped, personas, as_user):
    comparison, rows, source, target = mapped
    Provision.objects.filter(pk=source[0].pk).update(embedding=None)
    assert not closest_to(
        comparison, personas.analyst_my, Provision.objects.get(pk=source[0].pk), "target"
    ).ready
    body = as_user(personas.analyst_my).get(rows["main"].get_absolute_url()).content.decode()
    assert "Not available yet" in body
    # vectors of another model are not compared with these
    Provision.objects.filter(pk__in=[t.pk for t in target[1:3]]).update(embedding_model="other-model")
    found = closest_to(comparison, personas.analyst_my, target[4], "target")
    assert {c.provision_id for c in found.items} == {target[0].pk, target[3].pk}


def test_the_api_lists_the_next_candidates_on_both_sides(mapped, personas, as_user):
    comparison, rows, source, target = mapped
    url = f"/api/comparisons/{comparison.pk}/mappings/{rows['main'].pk}/closest"
    lists = as_user(personas.observer).get(url).json()
    assert [x["side"] for x in lists] == ["target", "source"] and all(x["ready"] for x in lists)
    first = lists[0]["items"]
    assert [c["provision_id"] for c in first[:3]] == [target[2].pk, target[4].pk, target[1].pk]
    assert first[1]["mapping_id"] == rows["other"].pk and first[0]["mapping_id"] is None
    assert lists[1]["items"][0]["provision_id"] == source[4].pk
    assert Client().get(url).status_code == 404  # the comparison is the dialogue's, not public


def test_a_gaps_page_offers_the_closest_provisions_on_the_other_side(mapped, personas, as_user):
    from concord.harmonize.models import Gap

    comparison, rows, source, target = mapped
    gap = Gap.objects.create(
        comparison=comparison,
        side="target",
        key=f"2:{target[3].key}",
        provision_id=target[3].pk,
        document_id=target[3].version.document_id,
        label="PK 4",
    )
    body = as_user(personas.analyst_my).get(gap.get_absolute_url()).content.decode()
    add = reverse("harmonize:mapping_add", args=[comparison.pk])
    # PK section 4 points away from MY section 1: the closest source provisions are the others
    assert "Closest provisions on the other side" in body
    assert f"{add}?source={source[1].pk}&amp;target={target[3].pk}" in body
    assert "Map these two" not in as_user(personas.observer).get(gap.get_absolute_url()).content.decode()


@pytest.mark.postgres_only
def test_on_pgvector_the_database_orders_the_candidates_as_the_scan_does(mapped):
    from concord.harmonize.closest import _in_database, _scanned
    from concord.library import pgvector

    if not pgvector.has_column():
        pytest.skip("[pgvector] the vector extension is not installed on this PostgreSQL")
    comparison, rows, source, target = mapped
    candidates = Provision.objects.filter(pk__in=[t.pk for t in target])
    query = source[0].vector() / np.linalg.norm(source[0].vector())
    # rows read before the vector column existed have no value in it: the page scans their bytes instead
    assert _in_database(candidates, query, 3) is None
    pgvector.write_vectors([(p.pk, p.vector()) for p in [*source, *target]])
    in_database, scanned = _in_database(candidates, query, 3), _scanned(candidates, query, 3)
    assert [row[0] for _, row in in_database] == [target[0].pk, target[2].pk, target[4].pk]
    assert [row for _, row in in_database] == [row for _, row in scanned]
    assert [s for s, _ in in_database] == pytest.approx([s for s, _ in scanned], abs=1e-5)


def _ranked_by_the_engine(comparison, provision, others, side="source"):
    from concord.harmonize.models import Candidate

    Candidate.objects.bulk_create(
        Candidate(comparison=comparison, side=side, provision=provision, other=o, rank=r, score=1.0 - r / 10)
        for r, o in enumerate(others, 1)
    )


def test_the_last_runs_candidates_come_in_the_engines_order_not_by_cosine(mapped, personas, as_user):
    """The engine's fused order (headings, best sentences, words) reaches more counterparts across countries
    than cosine: where the last run ranked a provision, its candidates are listed in that order."""
    comparison, rows, source, target = mapped
    # by cosine PK 3, 5, 2 come first; the engine ranked PK 4, the mapped pair PK 1, then PK 2
    _ranked_by_the_engine(comparison, source[0], [target[3], target[0], target[1]])
    found = closest_to(comparison, personas.analyst_my, source[0], "target", exclude=(target[0].pk,))
    assert found.ranking == "engine" and found.ready
    assert [c.provision_id for c in found.items] == [target[3].pk, target[1].pk]
    assert [c.similarity for c in found.items] == [pytest.approx(0.9), pytest.approx(0.7)]
    # the other direction was not ranked by the run: by cosine, as before
    back = closest_to(comparison, personas.analyst_my, target[0], "source", exclude=(source[0].pk,))
    assert back.ranking == "cosine" and back.items[0].provision_id == source[4].pk
    body = as_user(personas.analyst_my).get(rows["main"].get_absolute_url()).content.decode()
    assert "In the order the engine ranked them in the comparison's last run." in body
    assert "By similarity of meaning: the last run did not rank this provision." in body
    url = f"/api/comparisons/{comparison.pk}/mappings/{rows['main'].pk}/closest"
    lists = as_user(personas.observer).get(url).json()
    assert [x["ranking"] for x in lists] == ["engine", "cosine"]
    assert [c["provision_id"] for c in lists[0]["items"]] == [target[3].pk, target[1].pk]


def test_an_engine_candidate_the_reader_may_not_see_is_left_out_and_none_left_falls_back_on_cosine(
    mapped, personas
):
    comparison, rows, source, target = mapped
    hidden = document(personas, personas.pk, "PK internal", TEXTS, visibility="party")
    comparison.target_documents.add(hidden)
    secret = list(hidden.current_version.provisions.order_by("order"))
    _ranked_by_the_engine(comparison, source[0], [secret[0], target[2]])
    mine = closest_to(comparison, personas.analyst_my, source[0], "target")
    assert mine.ranking == "engine" and [c.provision_id for c in mine.items] == [target[2].pk]
    theirs = closest_to(comparison, personas.analyst_pk, source[0], "target")
    assert [c.provision_id for c in theirs.items] == [secret[0].pk, target[2].pk]
    # only the hidden candidate ranked: Malaysia's analyst gets the closest by cosine instead of nothing
    _ranked_by_the_engine(comparison, source[1], [secret[1]])
    other = closest_to(comparison, personas.analyst_my, source[1], "target")
    assert (
        other.ranking == "cosine"
        and other.items
        and not {c.provision_id for c in other.items} & {p.pk for p in secret}
    )


def test_a_candidate_of_a_documents_older_version_is_not_listed(mapped, personas):
    """After a document's new version, the last run's candidates in its old version are not offered: they
    may be gone or changed. The page falls back on cosine over the current version until the next run."""
    from concord.library.models import DocumentVersion

    comparison, rows, source, target = mapped
    _ranked_by_the_engine(comparison, source[0], [target[2]])
    doc = target[2].version.document
    newer = DocumentVersion.objects.create(
        document=doc, label="v2", original_filename="v2.txt", size=0, sha256="0" * 64
    )
    doc.current_version = newer
    doc.save(update_fields=["current_version"])
    found = closest_to(comparison, personas.analyst_my, source[0], "target")
    assert found.ranking == "cosine" and target[2].pk not in {c.provision_id for c in found.items}
