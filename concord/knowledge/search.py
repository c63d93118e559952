"""One search over everything registered: lexical full-text and vectors, fused, faceted, highlighted, and
filtered by what the caller may see.

How a query runs:

1. The query is cleaned and cut into word terms (letters and digits of any script). Nothing the user
   types reaches the database as syntax: each term is quoted (FTS5) or quoted and prefixed (tsquery).
2. **Lexical**: FTS5 ``bm25`` on SQLite, ``ts_rank_cd`` on a GIN-indexed ``tsvector`` on PostgreSQL; in
   both, the access columns of the index (visibility, dialogue, party) are filtered in the same query.
3. **Vectors**: the query is encoded with the configured encoder and compared with every entry the
   caller may see (an in-memory matrix); hits well above the typical similarity count.
4. The two rankings are fused by reciprocal rank (``1 / (60 + rank)`` summed).
5. Every candidate is **re-checked against the live object** with its source's ``visible_q``; only then
   are facets counted and snippets made, so no title, snippet or count comes from an item the caller
   may not see.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from concord.core import rules as core

from . import index, registry, rules
from .models import SearchEntry

MAX_QUERY = 500
MAX_TERMS = 24
LEXICAL_POOL = 120
PAIR_TERMS = 6  # up to this many words, entries with two of them come before entries with one
SQLITE_POOL_FACTOR = 8  # rank this many times the pool in FTS5 alone before checking access
BM25 = "bm25(knowledge_fts, 4.0, 1.0, 2.0)"  # FTS5 rank: title weighs 4, body 1, themes 2 (lower is better)
VECTOR_POOL = 60
VECTOR_MIN_Z = 2.5
VECTOR_MIN_ITEMS = 20
# A vector hit must also stand this far above the typical item, as a share of the way from the typical item
# to a perfect match. The z-score alone always lets the best of many items through: a made-up name brought
# back unrelated items (issue 14). bench/search_nothing_found.py, multilingual-e5-small, held out: made-up
# names returning anything 65% -> 0%, Malay queries finding their English section 57% -> 49%.
VECTOR_MIN_GAP = 0.2
SKETCH_POOL = 1000
RRF_K = 60
PAGE_SIZE = 20
FACETS = ("type", "party", "theme", "year")

_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass
class Filters:
    kinds: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


@dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    title_html: SafeString
    snippet: SafeString
    url: str
    party_code: str
    themes: list[str]
    date: dt.date | None
    score: float
    via: str  # "lexical", "vector" or "both"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]]
    warnings: list[str]


def clean_query(query: str) -> tuple[str, list[str]]:
    """The query as text (NFKC, no control characters, at most `MAX_QUERY` characters) and its terms."""
    query = unicodedata.normalize("NFKC", query or "")
    query = "".join(ch for ch in query if unicodedata.category(ch)[0] != "C" or ch in " \t")
    query = " ".join(query.split())[:MAX_QUERY]
    terms = []
    for t in _TERM.findall(query.casefold()):
        t = t.strip("_")
        if t and (len(t) > 1 or t.isdigit() or not t.isascii()) and t not in terms:
            terms.append(t)
    return query, terms[:MAX_TERMS]


# --- SQL pieces ------------------------------------------------------------------------------------------
def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _access_sql(user, alias: str = "e") -> tuple[str, list]:
    parts = [f"{alias}.visibility = 'public'"]
    if getattr(user, "is_authenticated", False):
        parts.append(f"{alias}.visibility = '{registry.RESTRICTED}'")  # decided per object by its source
    params: list = []
    member = sorted({s.dialogue_id for s in core.seats(user)})
    if member:
        parts.append(f"({alias}.visibility = 'dialogue' AND {alias}.dialogue_id IN ({_in(member)}))")
        params += member
    for dialogue_id in member:
        parties = sorted(core.party_ids(user, dialogue_id))
        if parties:
            parts.append(
                f"({alias}.visibility = 'party' AND {alias}.dialogue_id = %s"
                f" AND {alias}.party_id IN ({_in(parties)}))"
            )
            params += [dialogue_id, *parties]
    return "(" + " OR ".join(parts) + ")", params


def _filter_sql(filters: Filters, alias: str = "e") -> tuple[str, list]:
    parts, params = [], []
    if filters.kinds:
        parts.append(f"{alias}.kind IN ({_in(filters.kinds)})")
        params += filters.kinds
    if filters.parties:
        parts.append(f"{alias}.party_code IN ({_in(filters.parties)})")
        params += filters.parties
    for theme in filters.themes:
        parts.append(f"{alias}.themes LIKE %s")
        params.append(f"% {theme} %")
    if filters.years:
        parts.append(f"({alias}.date >= %s AND {alias}.date <= %s)")
        params += [dt.date(min(filters.years), 1, 1), dt.date(max(filters.years), 12, 31)]
    return (" AND ".join(parts) or "1=1"), params


def _filter_q(filters: Filters) -> Q:
    q = Q()
    if filters.kinds:
        q &= Q(kind__in=filters.kinds)
    if filters.parties:
        q &= Q(party_code__in=filters.parties)
    for theme in filters.themes:
        q &= Q(themes__contains=f" {theme} ")
    if filters.years:
        q &= Q(date__gte=dt.date(min(filters.years), 1, 1), date__lte=dt.date(max(filters.years), 12, 31))
    return q


def lexical_ids(user, terms: list[str], filters: Filters, limit: int = LEXICAL_POOL) -> list[int]:
    """Entry ids matching ``terms``, best first, among entries the caller may see (by the index).

    Every word first; when too few entries hold them all, entries with at least two of the words (up to
    `PAIR_TERMS` words), then with any of them. Each stage only adds ids after those already found, so
    better matches always rank first, and the broad any-word stage (which scores many rows) runs only
    when the narrower ones leave the page thin.
    """
    if not terms:
        return []
    access, access_params = _access_sql(user)
    where, where_params = _filter_sql(filters)
    stages = [[terms]]
    if 2 < len(terms) <= PAIR_TERMS:
        stages.append([[a, b] for i, a in enumerate(terms) for b in terms[i + 1 :]])
    if len(terms) > 1:
        stages.append([[t] for t in terms])
    ids: list[int] = []
    seen: set[int] = set()
    for groups in stages:
        if len(ids) >= limit // 4:
            break
        for i in _lexical_query(groups, access, access_params, where, where_params, limit):
            if i not in seen:
                seen.add(i)
                ids.append(i)
    return ids[:limit]


def _lexical_query(
    groups: list[list[str]], access, access_params, where, where_params, limit: int
) -> list[int]:
    """Ids of entries matching any group (a group matches when every term in it does), best first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " | ".join(
                "(" + " & ".join(f"'{t}':*" if len(t) > 2 else f"'{t}'" for t in group) + ")"
                for group in groups
            )
            cursor.execute(
                "SELECT e.id FROM knowledge_searchentry e, to_tsquery('simple', %s) q "  # noqa: S608
                f"WHERE e.tsv @@ q AND {access} AND {where} "
                "ORDER BY ts_rank_cd(e.tsv, q) DESC, e.id LIMIT %s",
                [tsquery, *access_params, *where_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
        match = " OR ".join(
            "(" + " AND ".join(f'"{t}"*' if len(t) > 2 else f'"{t}"' for t in group) + ")" for group in groups
        )
        # Rank in the full-text index alone (cheap), then check access and filters on the best few hundred;
        # only when those leave too few, and there were more matches, is every match checked (exact, slower).
        pool = limit * SQLITE_POOL_FACTOR
        cursor.execute(
            f"SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH %s ORDER BY {BM25}, rowid LIMIT %s",  # noqa: S608
            [match, pool],
        )
        ranked = [row[0] for row in cursor.fetchall()]
        if not ranked:
            return []
        cursor.execute(
            f"SELECT e.id FROM knowledge_searchentry e WHERE e.id IN ({_in(ranked)}) "  # noqa: S608
            f"AND {access} AND {where}",
            [*ranked, *access_params, *where_params],
        )
        allowed = {row[0] for row in cursor.fetchall()}
        ids = [i for i in ranked if i in allowed][:limit]
        if len(ids) == limit or len(ranked) < pool:  # a full page, or the pool held every match
            return ids
        cursor.execute(
            "SELECT e.id FROM knowledge_fts JOIN knowledge_searchentry e ON e.id = knowledge_fts.rowid "  # noqa: S608
            f"WHERE knowledge_fts MATCH %s AND {access} AND {where} "
            f"ORDER BY {BM25}, e.id LIMIT %s",
            [match, *access_params, *where_params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _access_mask(user, m: index.VectorMatrix) -> np.ndarray:
    mask = m.is_public.copy()
    if getattr(user, "is_authenticated", False):
        mask |= m.is_restricted
    member = {s.dialogue_id for s in core.seats(user)}
    if member:
        mask |= m.is_dialogue & np.isin(m.dialogue, sorted(member))
    for dialogue_id in member:
        parties = sorted(core.party_ids(user, dialogue_id))
        if parties:
            mask |= m.is_party & (m.dialogue == dialogue_id) & np.isin(m.party, parties)
    return mask


def vector_ids(user, query: str, filters: Filters, limit: int = VECTOR_POOL) -> list[int]:
    """Entry ids whose vectors stand out for ``query`` (z-score over what the caller may see), best first."""
    m = index.vector_matrix()
    if m is None or not query:
        return []
    enc = index._encoder()
    if enc.model_id != m.model_id:
        return []
    mask = _access_mask(user, m)
    if filters.kinds:
        mask &= np.isin(m.kind, filters.kinds)
    if mask.sum() < VECTOR_MIN_ITEMS:
        return []  # too few items for "well above the typical similarity" to mean anything
    qv = np.asarray(enc.encode([query], kind="query"), dtype=np.float32)[0]
    n = int(mask.sum())
    visible = np.flatnonzero(mask)
    if m.sketch is not None and m.projection is not None:
        # Scan the sketch, score the best SKETCH_POOL exactly; the typical similarity comes from a sample.
        approx = np.where(mask, m.sketch @ (qv @ m.projection), -np.inf)
        pool = np.argpartition(-approx, min(SKETCH_POOL, n) - 1)[: min(SKETCH_POOL, n)]
        # A fixed random sample of rows (drawn once per matrix), narrowed to what the caller may see.
        sample = m.sample[mask[m.sample]]  # drawn with the sketch, so present whenever it is
        if len(sample) < 128:
            sample = visible[np.random.default_rng(0).choice(n, min(n, 4096), replace=False)]
        background = m.vectors[sample] @ qv
        mean, std = float(background.mean()), float(background.std()) or 1.0
        candidates, sims = pool, m.vectors[pool] @ qv
    else:
        candidates, sims = visible, m.vectors[visible] @ qv
        mean, std = float(sims.mean()), float(sims.std()) or 1.0
    k = min(limit, len(candidates))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top], kind="stable")]
    # In n items no z-score can exceed sqrt(n - 1): small collections get a threshold they can reach.
    z_min = min(VECTOR_MIN_Z, 0.75 * math.sqrt(n - 1))
    reach = max(1e-6, 1.0 - mean)
    return [
        int(m.ids[candidates[i]])
        for i in top
        if (sims[i] - mean) / std >= z_min and sims[i] > 0 and (sims[i] - mean) / reach >= VECTOR_MIN_GAP
    ]


def fuse(*rankings: list[int], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal-rank fusion of id lists: ``sum(1 / (k + rank))``, rank from 1."""
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, entry_id in enumerate(ranking, start=1):
            scores[entry_id] += 1.0 / (k + rank)
    return scores


# --- highlighting ----------------------------------------------------------------------------------------
def _term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def highlight(text: str, terms: list[str], *, width: int = 240) -> SafeString:
    """An escaped window of ``text`` around the first matching term, each match in ``<mark>``."""
    pattern = _term_pattern(terms)
    text = " ".join(text.split())
    start = 0
    if pattern is not None:
        first = pattern.search(text)
        if first is not None and first.start() > width // 3:
            start = first.start() - width // 3
            space = text.rfind(" ", 0, start)
            start = space + 1 if space > start - 20 else start
    window = text[start : start + width]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    if pattern is None:
        return mark_safe(escape(prefix + window + suffix))  # noqa: S308 - escaped
    out, last = [escape(prefix)], 0
    for m in pattern.finditer(window):
        out.append(escape(window[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(window[last:]))
    out.append(escape(suffix))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


# --- the search ------------------------------------------------------------------------------------------
def parse_filters(kinds=(), parties=(), themes=(), years=()) -> tuple[Filters, list[str]]:
    """Filters from request values; unknown values are dropped with a warning (never an error)."""
    warnings = []
    known_kinds = {s.kind for s in registry.sources()}
    f = Filters()
    for k in kinds:
        (
            f.kinds.append(k)
            if k in known_kinds
            else warnings.append(_("Unknown type “%(v)s” ignored.") % {"v": k[:40]})
        )
    for p in parties:
        p = (p or "").upper()
        (
            f.parties.append(p)
            if re.fullmatch(r"[A-Z]{2}", p)
            else warnings.append(_("Unknown party “%(v)s” ignored.") % {"v": p[:40]})
        )
    for t in themes:
        (
            f.themes.append(t)
            if re.fullmatch(r"[a-z0-9-]{1,80}", t or "")
            else warnings.append(_("Unknown theme “%(v)s” ignored.") % {"v": (t or "")[:40]})
        )
    for y in years:
        try:
            year = int(y)
        except (TypeError, ValueError):
            year = 0
        (
            f.years.append(year)
            if 1900 <= year <= 2100
            else warnings.append(_("Unknown year “%(v)s” ignored.") % {"v": str(y)[:10]})
        )
    return f, warnings


def search(
    user, query: str, filters: Filters | None = None, *, page: int = 1, page_size: int = PAGE_SIZE
) -> Results:
    """Search everything ``user`` may see for ``query``; see the module docstring."""
    filters = filters or Filters()
    warnings: list[str] = []
    raw_length = len(query or "")
    query, terms = clean_query(query)
    if raw_length > MAX_QUERY:
        warnings.append(_("The query was cut to its first %(n)d characters.") % {"n": MAX_QUERY})
    if not terms:
        return Results(query, [], 0, 1, 0, {}, warnings)
    lexical = lexical_ids(user, terms, filters)
    vector = vector_ids(user, query, filters)
    fused = fuse(lexical, vector)
    lexical_set, vector_set = set(lexical), set(vector)
    entries = list(
        SearchEntry.objects.filter(id__in=list(fused))
        .filter(_entries_q(user))
        .filter(_filter_q(filters))
        # Only what a hit shows: the vector (and the column stored after it) would be read for nothing.
        .only("id", "kind", "object_id", "title", "body", "url", "party_code", "themes", "date")
    )
    entries = _live(user, entries)
    entries.sort(key=lambda e: (-fused[e.id], e.id))
    facets = _facets(entries, filters)
    total = len(entries)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    labels = {s.kind: str(s.label) for s in registry.sources()}
    hits = [
        Hit(
            kind=e.kind,
            kind_label=labels.get(e.kind, e.kind),
            object_id=e.object_id,
            title=e.title,
            title_html=highlight(e.title, terms, width=300),
            snippet=highlight(e.body, terms),
            url=e.url,
            party_code=e.party_code,
            themes=e.theme_list(),
            date=e.date,
            score=round(fused[e.id], 5),
            via="both"
            if e.id in lexical_set and e.id in vector_set
            else ("lexical" if e.id in lexical_set else "vector"),
        )
        for e in entries[(page - 1) * page_size : page * page_size]
    ]
    return Results(query, hits, total, page, pages if total else 0, facets, warnings)


def _entries_q(user) -> Q:
    q = rules.entries_q(user)
    if getattr(user, "is_authenticated", False):
        q |= Q(visibility=registry.RESTRICTED)
    return q


def _live(user, entries: list[SearchEntry]) -> list[SearchEntry]:
    """Keep the entries whose object still exists and the user may see now (one query per type)."""
    by_kind: dict[str, list[SearchEntry]] = defaultdict(list)
    for e in entries:
        by_kind[e.kind].append(e)
    kept = []
    for kind, group in by_kind.items():
        source = registry.get(kind)
        if source is None:
            continue
        allowed = source.visible_ids(user, [e.object_id for e in group])
        kept += [e for e in group if e.object_id in allowed]
    return kept


def _facets(entries: list[SearchEntry], filters: Filters) -> dict[str, list[FacetValue]]:
    from concord.accounts.models import Party
    from concord.library.models import Theme

    kinds = Counter(e.kind for e in entries)
    parties = Counter(e.party_code for e in entries if e.party_code)
    themes = Counter(t for e in entries for t in e.theme_list())
    years = Counter(e.date.year for e in entries if e.date)
    kind_labels = {s.kind: str(s.label) for s in registry.sources()}
    party_labels = {p.code: p.localized_name() for p in Party.objects.filter(code__in=list(parties))}
    theme_labels = {t.slug: t.label() for t in Theme.objects.filter(slug__in=list(themes))}

    def values(counter, labels, selected, key=None):
        items = sorted(counter.items(), key=key or (lambda kv: (-kv[1], str(kv[0]))))
        return [FacetValue(str(v), labels.get(v, str(v)), n, v in selected) for v, n in items]

    return {
        "type": values(kinds, kind_labels, set(filters.kinds)),
        "party": values(parties, party_labels, set(filters.parties)),
        "theme": values(themes, theme_labels, set(filters.themes))[:15],
        "year": values(years, {}, set(filters.years), key=lambda kv: -kv[0]),
    }
