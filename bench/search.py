"""Benchmarks of the ecosystem: search latency at scale, and partner-recommendation quality.

    .venv/bin/python bench/search.py latency [--items 100000] [--queries 200]   # SQLite (a temporary file)
    DATABASE_URL=postgres://... .venv/bin/python bench/search.py latency        # the same on PostgreSQL
    .venv/bin/python bench/search.py quality                                     # no database needed

**latency** builds a throw-away database with ``--items`` search entries (synthetic text drawn from the words
of the demo organisations' descriptions in English, Malay and Urdu; 70% public, 20% dialogue, 10% one party;
hashing-encoder vectors of the titles), then times `concord.knowledge.search.search` end to end — lexical
full-text (FTS5 or tsvector/GIN), the vector pass, fusion, the live permission check, facets and
highlighting — for an anonymous visitor and for a delegate. It prints p50/p95/max in milliseconds.
Numbers, not assertions.

**quality** scores the partner recommender (`concord.engine.partners.recommend`) against a lexical baseline
(BM25 over each organisation's whole profile text) on ``bench/data/partner_pairs.json``: for some demo
organisations, the cross-border organisations that we judged to be natural partners (counterpart regulators,
universities with universities and research funders, start-up programmes with start-up investors...). It
prints precision@5 and recall@5 for both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ORGS = ROOT / "concord" / "demo" / "organisations.json"
PAIRS = ROOT / "bench" / "data" / "partner_pairs.json"
THEME_ALIASES = {"digital-skills": "digital-skills-talent", "connectivity": "connectivity-infrastructure"}


# --- quality ---------------------------------------------------------------------------------------------
def _features():
    from concord.engine.partners import OrgFeatures

    out = {}
    for i, o in enumerate(json.loads(ORGS.read_text(encoding="utf-8")), start=1):
        key = o.get("short_name") or o["name"]
        out[key] = OrgFeatures(
            id=i,
            country=o["country"],
            kind=o["kind"],
            name=o["name"],
            themes=frozenset(THEME_ALIASES.get(t, t) for t in o.get("themes", [])),
            capabilities=tuple(o.get("capabilities", [])),
            needs=tuple(o.get("needs", [])),
            description=o.get("description_en", ""),
        )
    return out


def quality(k: int = 5) -> None:
    from concord.engine.partners import lexical_baseline, recommend

    feats = _features()
    by_id = {f.id: key for key, f in feats.items()}
    labels = json.loads(PAIRS.read_text(encoding="utf-8"))["relevant"]
    rows = []
    for key, relevant in labels.items():
        org = feats[key]
        ours = [
            by_id[r.target_id] for r in recommend(org, feats.values(), limit=k) if r.target == "organization"
        ]
        base = [by_id[i] for i in lexical_baseline(org, feats.values(), limit=k)]
        rel = set(relevant)
        rows.append(
            (
                key,
                len(set(ours[:k]) & rel) / k,
                len(set(base[:k]) & rel) / k,
                len(set(ours[:k]) & rel) / len(rel),
                len(set(base[:k]) & rel) / len(rel),
            )
        )
    print(f"Partner recommendations: {len(rows)} labelled organisations, precision@{k} and recall@{k}\n")
    print(f"{'organisation':18} {'ours P@5':>9} {'BM25 P@5':>9} {'ours R@5':>9} {'BM25 R@5':>9}")
    for key, p_ours, p_base, r_ours, r_base in rows:
        print(f"{key[:18]:18} {p_ours:9.2f} {p_base:9.2f} {r_ours:9.2f} {r_base:9.2f}")
    mean = [statistics.fmean(r[i] for r in rows) for i in range(1, 5)]
    print(f"{'mean':18} {mean[0]:9.3f} {mean[1]:9.3f} {mean[2]:9.3f} {mean[3]:9.3f}")


# --- latency ---------------------------------------------------------------------------------------------
def _setup_django(db_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["CONCORD_ENCODER"] = "hashing"
    os.environ["CONCORD_VAR_DIR"] = db_dir
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/concord_bench"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS concord_bench")
            c.execute("CREATE DATABASE concord_bench")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _vocabulary() -> list[str]:
    words: list[str] = []
    for o in json.loads(ORGS.read_text(encoding="utf-8")):
        for field in ("description_en", "description_ms", "description_ur"):
            words += re.findall(r"\w{3,}", o.get(field, ""))
        for phrase in o.get("capabilities", []) + o.get("needs", []):
            words += re.findall(r"\w{3,}", phrase)
    return sorted(set(words))


def _register_bench_source() -> None:
    from concord.core import rules
    from concord.knowledge import registry

    registry.register(
        registry.Source(
            kind="benchitem",
            label="Bench item",
            model="knowledge.SearchEntry",
            title=lambda e: e.title,
            body=lambda e: e.body,
            access=lambda e: None,
            visible_q=rules.visible_q,
            url=lambda e: e.url,
        )
    )


def build(n: int, seed: int = 7) -> tuple[object, object]:
    """Fill the index with ``n`` synthetic entries; return (anonymous, delegate) users."""
    import numpy as np
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction

    from concord.accounts import actions
    from concord.knowledge import index
    from concord.knowledge.models import SearchEntry

    _register_bench_source()
    my = actions.do_create_party(actor=None, code="MY", name="Malaysia")
    pk = actions.do_create_party(actor=None, code="PK", name="Pakistan")
    dialogue = actions.do_create_dialogue(actor=None, slug="pk-my", name="Bench", parties=[my, pk])
    delegate = actions.do_create_user(actor=None, email="d@bench.example", full_name="D", password="x" * 20)
    # The bootstrap path of concord/accounts/rules.py: an administrator appoints the secretariat, who adds
    # the delegate.
    admin = actions.do_create_administrator(actor=None, email="a@bench.example", full_name="A", password=None)
    secretariat = actions.do_create_user(actor=admin, email="s@bench.example", full_name="S", password=None)
    actions.do_add_membership(actor=admin, user=secretariat, dialogue=dialogue, role="secretariat")
    actions.do_add_membership(actor=secretariat, user=delegate, dialogue=dialogue, role="delegate", party=my)
    rng = random.Random(seed)
    vocab = _vocabulary()
    themes = ["ai", "iot", "cybersecurity", "digital-trade", "investment", "smart-cities", "e-government"]
    enc = index._encoder()
    started = time.perf_counter()
    batch = 2000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(start + batch, n)):
            title = " ".join(rng.choices(vocab, k=rng.randint(4, 9)))
            body = " ".join(rng.choices(vocab, k=rng.randint(30, 70)))
            r = rng.random()
            visibility = "public" if r < 0.7 else ("dialogue" if r < 0.9 else "party")
            party = rng.choice([my, pk])
            rows.append(
                SearchEntry(
                    id=i + 1,
                    kind="benchitem",
                    object_id=i + 1,
                    title=title,
                    body=body,
                    url=f"/bench/{i + 1}",
                    dialogue_id=dialogue.pk,
                    visibility=visibility,
                    party_id=party.pk if visibility == "party" else None,
                    party_code=party.code,
                    themes=" " + " ".join(rng.sample(themes, rng.randint(0, 2))) + " ",
                    date=__import__("datetime").date(rng.randint(2019, 2026), rng.randint(1, 12), 1),
                )
            )
        # Vectors of the titles only: encoding the bodies of 100k synthetic items with the hashing encoder
        # takes long and adds nothing to what is timed (search cost does not depend on what vectors say).
        vectors = np.asarray(enc.encode([e.title for e in rows]), dtype=np.float32)
        for e, v in zip(rows, vectors, strict=True):
            e.embedding, e.embedding_model = v.tobytes(), enc.model_id
        with transaction.atomic():
            SearchEntry.objects.bulk_create(rows)
        print(f"\r  indexed {min(start + batch, n):>7}/{n}", end="", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_searchentry")
    print(f"  ({time.perf_counter() - started:.0f} s)")
    return AnonymousUser(), delegate


def latency(n: int, queries: int, keep: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(keep or tmp)
        from django.contrib.auth.models import AnonymousUser
        from django.db import connection

        from concord.accounts.models import User
        from concord.knowledge import index, search
        from concord.knowledge.models import SearchEntry

        print(f"Search latency on {connection.vendor}, {n} indexed items, {queries} queries per user\n")
        if keep and SearchEntry.objects.count() == n:  # --keep: reuse the database built last time
            _register_bench_source()
            anonymous, delegate = AnonymousUser(), User.objects.get(email="d@bench.example")
        else:
            anonymous, delegate = build(n)
        t = time.perf_counter()
        index.vector_matrix()
        print(f"  vector matrix loaded in {time.perf_counter() - t:.1f} s (once per process)\n")
        rng = random.Random(11)
        vocab = _vocabulary()
        qs = [" ".join(rng.choices(vocab, k=rng.randint(1, 3))) for _ in range(queries)]
        print(f"{'user':10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'mean hits':>10}")
        for name, user in (("anonymous", anonymous), ("delegate", delegate)):
            search.search(user, qs[0])  # warm-up
            times, totals = [], []
            for q in qs:
                t = time.perf_counter()
                r = search.search(user, q)
                times.append((time.perf_counter() - t) * 1000)
                totals.append(r.total)
            times.sort()
            p50 = times[len(times) // 2]
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{name:10} {p50:8.1f} {p95:8.1f} {times[-1]:8.1f} {statistics.fmean(totals):10.1f}")
        # Where the time goes, for the delegate: each phase timed on its own over the same queries.
        phases: dict[str, list[float]] = {"lexical": [], "vectors": [], "whole search": []}
        for q in qs:
            _clean, terms = search.clean_query(q)
            for name, fn in (
                ("lexical", lambda t=terms: search.lexical_ids(delegate, t, search.Filters())),
                ("vectors", lambda q=q: search.vector_ids(delegate, q, search.Filters())),
                ("whole search", lambda q=q: search.search(delegate, q)),
            ):
                t = time.perf_counter()
                fn()
                phases[name].append((time.perf_counter() - t) * 1000)
        print(f"\n{'phase (delegate)':18} {'p50 ms':>8} {'p95 ms':>8}")
        for name, values in phases.items():
            values.sort()
            print(f"{name:18} {values[len(values) // 2]:8.1f} {values[int(len(values) * 0.95) - 1]:8.1f}")
        if connection.vendor == "postgresql":
            connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("--items", type=int, default=100_000)
    lat.add_argument("--queries", type=int, default=200)
    lat.add_argument("--keep", metavar="DIR", help="keep the SQLite database in DIR and reuse it next time")
    sub.add_parser("quality")
    args = parser.parse_args()
    if args.what == "quality":
        quality()
    else:
        latency(args.items, args.queries, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
