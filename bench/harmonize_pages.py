"""Server time and queries of the harmonization workspace's busiest pages with 2,000 mappings.

Run from the project root::

    .venv/bin/python bench/harmonize_pages.py                 # 500 provisions a side, 4 mappings each
    .venv/bin/python bench/harmonize_pages.py --provisions 1000 --repeat 10
    .venv/bin/python bench/harmonize_pages.py --provisions 2000 --per-source 1   # a real act's size

It builds a throw-away SQLite database under a temporary directory (migrations, the test personas, two
documents and the mappings written straight to the database, every provision with a stored vector), then
renders each page in-process with
Django's test client (full middleware, templates and SVG charts) and reports the median and worst wall-clock
time, the median CPU time of this process (which a loaded machine inflates less than wall-clock time) and
the number of queries. Timings are reported, never asserted; the query bound is tested in
tests/harmonize/test_performance.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provisions", type=int, default=500)
    parser.add_argument("--per-source", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default="",
        help="an empty PostgreSQL database to use instead of a throw-away SQLite one (it is migrated and "
        "filled; with pgvector, the candidate lists are ordered in the database)",
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="concord-bench-")
    os.environ.update(CONCORD_VAR_DIR=tmp, DEBUG="1", CONCORD_REQUIRE_2FA="0", CONCORD_ENCODER="hashing")
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from concord.library import pgvector
    from tests.conftest import Personas
    from tests.harmonize.factories import large_comparison

    personas = Personas()
    comparison = large_comparison(personas, n_provisions=args.provisions, per_source=args.per_source)
    _store_vectors(comparison)
    client = Client()
    client.force_login(personas.analyst_pk)
    mapping = comparison.mappings.order_by("id").first()
    pages = {
        "overview": comparison.get_absolute_url(),
        "review queue (pending)": reverse("harmonize:review", args=[comparison.pk]),
        "review queue (all)": reverse("harmonize:review", args=[comparison.pk]) + "?status=all",
        "side by side (+ cosine)": mapping.get_absolute_url(),
        "API mappings (200)": f"/api/comparisons/{comparison.pk}/mappings?page_size=200",
        "CSV export": reverse("harmonize:export", args=[comparison.pk, "csv"]),
        "XLSX export": reverse("harmonize:export", args=[comparison.pk, "xlsx"]),
        "OSCAL export": reverse("harmonize:export", args=[comparison.pk, "oscal"]),
        "PDF brief": reverse("harmonize:export", args=[comparison.pk, "pdf"]),
    }
    n = comparison.mappings.count()
    database = connection.vendor + (" with pgvector" if pgvector.has_column() else "")
    print(f"\n{n:,} mappings, {args.provisions:,} provisions a side, {database}, {args.repeat} runs a page\n")
    print(f"{'page':<26} {'median ms':>10} {'worst ms':>10} {'CPU ms':>8} {'queries':>8}")
    for name, url in pages.items():
        _measure(client, name, url, args.repeat)
    # as after a run: each provision's five candidates both ways, which the mapping page then lists
    _store_candidates(comparison)
    _measure(client, "side by side (+ engine's)", mapping.get_absolute_url(), args.repeat)


def _measure(client, name: str, url: str, repeat: int) -> None:
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: template cache, first-query costs
    times, cpu = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (name, response.status_code)
    print(
        f"{name:<26} {statistics.median(times):>10.1f} {max(times):>10.1f} "
        f"{statistics.median(cpu):>8.1f} {len(queries):>8}"
    )


def _store_candidates(comparison, per: int = 5) -> None:
    """Five candidates for every provision of each side, as a run keeps them (random ones: the cost, not
    the ranking, is measured)."""
    import numpy as np

    from concord.harmonize.models import Candidate
    from concord.library.models import Provision

    rng = np.random.default_rng(1)
    sides = [
        list(Provision.objects.filter(version__document__in=documents).values_list("id", flat=True))
        for documents in (comparison.source_documents.all(), comparison.target_documents.all())
    ]
    rows = []
    for side, own, other in (("source", *sides), ("target", *sides[::-1])):
        for pid in own:
            for rank, oid in enumerate(rng.choice(other, size=min(per, len(other)), replace=False), 1):
                rows.append(
                    Candidate(
                        comparison=comparison,
                        side=side,
                        provision_id=pid,
                        other_id=int(oid),
                        rank=rank,
                        score=0.0,
                    )
                )
    Candidate.objects.bulk_create(rows, batch_size=1000)


def _store_vectors(comparison) -> None:
    """Give every provision a stored 384-dimension vector, as the library's reading leaves them, so that the
    mapping page's closest provisions scan the whole other side (random unit vectors: the cost, not the
    ranking, is measured)."""
    import numpy as np

    from concord.library import pgvector
    from concord.library.models import Provision

    rng = np.random.default_rng(0)
    rows = list(
        Provision.objects.filter(
            version__document__in=[*comparison.source_documents.all(), *comparison.target_documents.all()]
        ).only("id")
    )
    for row in rows:
        vector = rng.standard_normal(384).astype(np.float32)
        row.embedding = (vector / np.linalg.norm(vector)).tobytes()
        row.embedding_model, row.embedding_dim = "bench", 384
    Provision.objects.bulk_update(rows, ["embedding", "embedding_model", "embedding_dim"], batch_size=500)
    if pgvector.has_column():  # as the library's reading writes them
        pgvector.write_vectors([(row.pk, row.vector()) for row in rows])


if __name__ == "__main__":
    main()
