"""The development sets of the harmonization benchmark as *problems*, each with its held-out group.

A problem is one run of the engine: a source and a target set of provisions and the gold links between
them. Its ``group`` is the unit held out when anything is tuned, and its ``dataset`` is the kind it
stands for (every dataset weighs the same when fitting):

- ``crosswalk``: NIST CSF 1.1 -> SP 800-53 r5 (group ``csf``) and CIS v8 -> CSF 1.1 (group ``cis``):
  leave one crosswalk out;
- ``bills-within``: the English and Malay sections of one bill (105 bills: the 5 digital-policy bills and
  100 more); group ``bill:<id>``, held out five bills-folds at a time;
- ``bills-across``: the English sections of all bills of one bills-fold against all their Malay sections
  (group ``across:<fold>``; the fold's bills are held out with it);
- ``ntrex-en-ms``, ``ntrex-en-ur``, ``ntrex-ms-ur``: NTREX news sentences in pools of 300 consecutive
  sentences (consecutive sentences come from the same news document, so a pool holds whole documents
  but for its edges); group ``ntrex:<pool>``.

Data is read from ``../shared/data`` at run time; nothing from it is copied into the repository.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from concord.engine.folds import Fold, group_folds  # noqa: E402
from concord.engine.formats import GoldLink, normalise_relationship  # noqa: E402
from concord.engine.types import Provision  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BILL_FOLDS = 5
NTREX_POOL = 300
# SP 800-53 controls read with their discussion (see `whole_text`); decided by the held-out rule in
# docs/evaluation.md ("The target's whole text")
WHOLE_TEXT = False


@dataclass
class Problem:
    """One harmonization run with its gold; ``matrices`` caches what the fusion needs (see `prepare`)."""

    name: str
    dataset: str
    group: str
    source: list[Provision]
    target: list[Provision]
    gold: list[GoldLink]
    hierarchical_target: bool = False  # the target side has families (roll-up applies)
    # ancestors read for context only (`harmonize`'s source_context / target_context): document structure,
    # never anything derived from the gold links
    source_context: list[Provision] = field(default_factory=list)
    target_context: list[Provision] = field(default_factory=list)
    # read with the provisions' headings, for the heading score only (`harmonize_retrieval.fit_fusion`'s
    # third stage); the fusion's other settings are fitted on the problems without
    headed: bool = False
    matrices: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def relevant(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for g in self.gold:
            out[g.a_id].add(g.b_id)
        return out


def rows(relative: str) -> list[dict[str, Any]]:
    path = DATA / relative
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        return [json.loads(line) for line in fh if line.strip()]


def provisions(items: list[dict[str, Any]], language: str = "en") -> list[Provision]:
    return [
        Provision(
            id=str(r["id"]),
            number="",
            heading=(r.get("title") or "").strip(),
            text=r["text"].strip(),
            level="section",
            language=language,
        )
        for r in items
    ]


def gold_links(relative: str) -> list[GoldLink]:
    return [
        GoldLink(str(r["a_id"]), str(r["b_id"]), normalise_relationship(r.get("relationship")))
        for r in rows(relative)
    ]


def csf_categories() -> list[Provision]:
    """The CSF 1.1 categories (``ID.AM``: "Asset Management (ID.AM): ..."), parents of the subcategories
    (``ID.AM-1``) by their ids; read from the CSF side of the CSF -> SP 800-53 set."""
    seen: dict[str, str] = {}
    for r in rows("harmonize/nist-csf-1.1_to_800-53r5/items_a_csf_1_1_subcategories.jsonl"):
        seen.setdefault(str(r["id"]).rsplit("-", 1)[0], r["category"].strip())
    return [Provision(cid, "", "", text, "category", language="en") for cid, text in seen.items()]


def cis_controls() -> list[Provision]:
    """The CIS v8 controls (``1``), parents of the safeguards (``1.1``) by their ids."""
    return provisions(rows("harmonize/cis-v8_to_nist-csf-1.1/cis_v8_controls.jsonl"))


def whole_text(row: dict[str, Any]) -> dict[str, Any]:
    """A catalogue row whose text is its statement followed, on a new line, by its discussion: the
    provision's text as ingesting the whole document gives it (the discussion is part of the published
    control, so reading it is a run-time input, not gold)."""
    discussion = (row.get("discussion") or "").strip()
    return {**row, "text": f"{row['text'].strip()}\n{discussion}" if discussion else row["text"]}


def crosswalks(*, discussion: bool = WHOLE_TEXT) -> list[Problem]:
    """The two crosswalks. ``discussion``: SP 800-53's targets read with their discussion (`whole_text`);
    without it, title and statement only (the loader before 2026-12-06)."""
    csf_src = provisions(rows("harmonize/nist-csf-1.1_to_800-53r5/items_a_csf_1_1_subcategories.jsonl"))
    catalog = [r for r in rows("harmonize/nist-800-53r5-catalog/controls.jsonl") if not r.get("withdrawn")]
    controls = provisions([whole_text(r) for r in catalog] if discussion else catalog)
    for control, r in zip(controls, catalog):  # a base control's parent is its family (catalogue structure)
        if not r.get("is_enhancement") and r.get("family"):
            control.parent = str(r["family"])
    cis_src = provisions(rows("harmonize/cis-v8_to_nist-csf-1.1/items_a_cis_v8_safeguards.jsonl"))
    cis_tgt = provisions(rows("harmonize/cis-v8_to_nist-csf-1.1/items_b_nist_csf_1_1_subcategories.jsonl"))
    return [
        Problem(
            "CSF 1.1 -> SP 800-53",
            "crosswalk",
            "csf",
            csf_src,
            controls,
            gold_links("harmonize/nist-csf-1.1_to_800-53r5/links.jsonl"),
            hierarchical_target=True,
            source_context=csf_categories(),
        ),
        Problem(
            "CIS v8 -> CSF 1.1",
            "crosswalk",
            "cis",
            cis_src,
            cis_tgt,
            gold_links("harmonize/cis-v8_to_nist-csf-1.1/links.jsonl"),
            source_context=cis_controls(),
            target_context=csf_categories(),
        ),
    ]


def _bill_rows() -> dict[str, list[dict[str, Any]]]:
    bills: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows("crosslingual/en-ms-digital-bills.jsonl") + rows("crosslingual/en-ms-bills-100.jsonl.gz"):
        if r.get("en_text", "").strip() and r.get("ms_text", "").strip():
            bills[str(r["bill_id"])].append(r)
    return dict(sorted(bills.items()))


def _bill_sides(
    bill: str, items: list[dict[str, Any]], headings: bool = False
) -> tuple[list[Provision], list[Provision]]:
    # numbers are left out, and headings unless asked for: the texts alone must find each other
    def side(language: str) -> list[Provision]:
        return [
            Provision(
                f"{bill}/{language}/{k}",
                "",
                (r.get(f"{language}_heading") or "").strip() if headings else "",
                r[f"{language}_text"].strip(),
                "section",
                language=language,
            )
            for k, r in enumerate(items)
        ]

    return side("en"), side("ms")


def bill_folds(bills: list[str]) -> dict[str, int]:
    """Each bill's fold (stable, by a hash of its id)."""
    folds = group_folds(bills, BILL_FOLDS)
    return {b: n for n, f in enumerate(folds) for b in f.test}


def bills(headings: bool = False) -> list[Problem]:
    """Each bill's English sections against its Malay ones, and each fold's bills pooled. ``headings``:
    the sections read with their headings (datasets ``bills-within-headed`` and ``bills-across-headed``,
    in the same folds), for the heading score."""
    by_bill = _bill_rows()
    fold_of = bill_folds(list(by_bill))
    out: list[Problem] = []
    tag = "-headed" if headings else ""
    pooled: dict[int, tuple[list[Provision], list[Provision]]] = defaultdict(lambda: ([], []))
    for bill, items in by_bill.items():
        en, ms = _bill_sides(bill, items, headings)
        gold = [GoldLink(a.id, b.id) for a, b in zip(en, ms)]
        out.append(
            Problem(f"bill {bill}{tag}", f"bills-within{tag}", f"bill:{bill}", en, ms, gold, headed=headings)
        )
        pooled[fold_of[bill]][0].extend(en)
        pooled[fold_of[bill]][1].extend(ms)
    for k, (en, ms) in sorted(pooled.items()):
        gold = [GoldLink(a.id, b.id) for a, b in zip(en, ms)]
        name = f"bills of fold {k + 1}, pooled{tag}"
        out.append(Problem(name, f"bills-across{tag}", f"across:{k}", en, ms, gold, headed=headings))
    return out


def ntrex() -> list[Problem]:
    sentences = sorted(rows("crosslingual/ntrex-dev-en-ms-ur.jsonl"), key=lambda r: int(r["i"]))
    out = []
    for start in range(0, len(sentences), NTREX_POOL):
        pool = sentences[start : start + NTREX_POOL]
        for a, b in (("en", "ms"), ("en", "ur"), ("ms", "ur")):
            src = [Provision(f"{a}/{r['i']}", "", "", r[a].strip(), "sentence", language=a) for r in pool]
            tgt = [Provision(f"{b}/{r['i']}", "", "", r[b].strip(), "sentence", language=b) for r in pool]
            gold = [GoldLink(x.id, y.id) for x, y in zip(src, tgt)]
            out.append(
                Problem(
                    f"NTREX {a}->{b} {start}-{start + len(pool) - 1}",
                    f"ntrex-{a}-{b}",
                    f"ntrex:{start // NTREX_POOL}",
                    src,
                    tgt,
                    gold,
                )
            )
    return out


def all_problems(which: set[str] | None = None, *, headings: bool = False) -> list[Problem]:
    """The development problems (``which``: some sets only); ``headings`` adds the bills read with their
    headings."""
    out: list[Problem] = []
    if which is None or "crosswalk" in which:
        out += crosswalks()
    if which is None or which & {"bills-within", "bills-across", "bills"}:
        out += bills()
        if headings:
            out += bills(headings=True)
    if which is None or "ntrex" in which:
        out += ntrex()
    return out


def folds_for(problems: list[Problem]) -> list[Fold]:
    """The held-out folds: each crosswalk alone; each bills-fold (its within-bill problems with its
    pooled problem); each NTREX pool (its three language pairs). A fold trains on every other group."""
    groups = sorted({p.group for p in problems})
    bills_here = sorted({g.split(":", 1)[1] for g in groups if g.startswith("bill:")})
    fold_of = bill_folds(bills_here) if bills_here else {}
    units: dict[str, set[str]] = defaultdict(set)
    for g in groups:
        if g.startswith("bill:"):
            units[f"bills-fold-{fold_of[g.split(':', 1)[1]] + 1}"].add(g)
        elif g.startswith("across:"):
            units[f"bills-fold-{int(g.split(':', 1)[1]) + 1}"].add(g)
        else:
            units[g].add(g)
    everything = frozenset(groups)
    return [Fold(name, everything - frozenset(test), frozenset(test)) for name, test in sorted(units.items())]


def ranks_of(scores: np.ndarray, problem: Problem, allowed: np.ndarray | None = None) -> list[float]:
    """Reciprocal rank of the first gold target of each source with gold (rows of ``scores`` follow
    ``problem.source``); ``allowed`` masks targets that may be ranked (roll-up keeps only roots)."""
    t_index = {p.id: j for j, p in enumerate(problem.target)}
    out = []
    relevant = problem.relevant
    for i, p in enumerate(problem.source):
        gold = [t_index[t] for t in relevant.get(p.id, ()) if t in t_index]
        if not gold:
            continue
        row = scores[i] if allowed is None else np.where(allowed, scores[i], -np.inf)
        best = max(row[g] for g in gold)
        out.append(1.0 / (1 + int((row > best).sum())))
    return out
