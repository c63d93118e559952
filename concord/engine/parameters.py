"""Where two provisions' quantities (time limits, fines, ages, thresholds) differ.

The quantities are read by :func:`~concord.engine.quantities.extract_parameters` (re-exported here with
:class:`~concord.engine.quantities.Quantity`, ``KINDS`` and ``HOURS``) in English, Malay and Urdu, and
normalised so that two provisions can be compared whatever their language.

:func:`compare_parameters` pairs the quantities of two provisions kind by kind and says which diverge.
:func:`compare_provisions` compares only inside corresponding sub-provisions, and only what it can pair
with confidence. Money in different currencies is never converted with invented rates: pass ``rates``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .errors import HarmonizationError
from .numbers import normalise_digits
from .quantities import HOURS, KINDS, Quantity, extract_parameters
from .subprovisions import (
    SubProvision,
    align_subprovisions,
    group_subprovisions,
    numbered_label,
    split_subprovisions,
)

__all__ = [
    "HOURS",
    "KINDS",
    "ParameterDivergence",
    "PartSimilarity",
    "ProvisionComparison",
    "Quantity",
    "compare_parameters",
    "compare_provisions",
    "extract_parameters",
    "sentence_similarity",
]


@dataclass(slots=True)
class ParameterDivergence:
    """How one quantity of the source compares with its counterpart in the target.

    ``ratio`` is target / source in the normalised unit (None when one side is missing or vague, or the
    currencies differ without rates). ``diverges`` is True when the values differ beyond the tolerance, the
    qualifiers disagree (at most vs at least), one side sets no number, or one side lacks the quantity.
    ``comparable`` is False when the two cannot be set against each other (different currencies, no rates):
    that is information, not a divergence. ``unmatched`` is True when :func:`compare_provisions` left the
    quantity without a counterpart because the two sides read a different number of quantities of its kind
    and role in corresponding parts (so one side likely words a value in a way that was not read): it is
    listed as information, never as a divergence. ``source_part`` and ``target_part`` name the
    sub-provisions compared ("(2)", "(1)(a)", "s2" for a sentence, "" for the whole provision) when
    :func:`compare_provisions` made the comparison.

    ``note`` is the explanation in English; ``reasons`` says the same as ``(code, arguments)`` pairs, one per
    clause, so that an application can put it in the reader's language (the codes and their English
    wording are in :data:`NOTE_MESSAGES`; ``note`` is those clauses joined with "; ").
    """

    kind: str
    source: Quantity | None
    target: Quantity | None
    diverges: bool
    ratio: float | None
    note: str
    comparable: bool = True
    source_part: str | None = None
    target_part: str | None = None
    unmatched: bool = False
    reasons: tuple[tuple[str, dict[str, Any]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "diverges": self.diverges,
            "ratio": self.ratio,
            "note": self.note,
            "comparable": self.comparable,
            "source_part": self.source_part,
            "target_part": self.target_part,
            "unmatched": self.unmatched,
            "reasons": [{"code": code, "args": args} for code, args in self.reasons],
        }


# The clauses of a divergence's note: code -> English wording with named arguments. ``side`` and ``other``
# are "source" or "target"; ``kind`` is a quantity kind (KINDS), ``role`` the role of an amount ("fine");
# ``a``, ``b`` and ``value`` describe quantities ("at most 72 hours"); ``text_a``, ``text_b`` and ``vague``
# are the words read from the provision. A new code needs its translation where notes are shown.
NOTE_MESSAGES: dict[str, str] = {
    "only-one-sets": "only the {side} sets {kind_phrase}: {value}; the {other} sets none",
    "neither-sets-number": "neither side sets a number: {text_a!r} and {text_b!r}",
    "one-vague": "the {side} sets {value}; the {other} sets no number ({vague!r})",
    "currencies-differ": (
        "different currencies ({currency_a} vs {currency_b}): {a} vs {b}; not converted, give exchange "
        "rates to compare them"
    ),
    "values-differ": "the values differ ({a} vs {b})",
    "values-differ-ratio": "the values differ ({a} vs {b}, target/source = {ratio})",
    "qualifiers-differ": "the qualifiers differ ({qualifier_a} vs {qualifier_b})",
    "working-days": "{unit_a} vs {unit_b}: working days are not calendar days",
    "at-given-rates": "compared at the given exchange rates ({currency_a}, {currency_b})",
    "same": "same: {a} and {b}",
    "only-one-reads": (
        "only the {side} reads {kind_phrase} here: {value}; not compared (the {other} may word it in a way "
        "that was not read)"
    ),
    "counts-differ": (
        "not compared: {kind_plural} read here, {n_mine} on the {side} and {n_theirs} on the {other}, so "
        "which ones correspond is not known ({value})"
    ),
    "other-part-reads": (
        "not compared: the {side} reads {kind_phrase} here ({value}), and the {other} one in {part} "
        "({other_value}), a part that does not correspond"
    ),
}


def _reason(code: str, q: Quantity | None = None, **args: Any) -> tuple[str, dict[str, Any]]:
    """One clause of a note; ``q`` adds the kind and role its wording needs."""
    if q is not None:
        args = {"kind": q.kind, "role": (q.role or "") if q.kind == "money" else "", **args}
    return code, args


def _english(reasons: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The note in English, as the engine has always written it."""
    parts = []
    for code, args in reasons:
        words = dict(args)
        if "kind" in args:
            words["kind_phrase"] = f"a {args['role']}" if args["role"] else _KIND_WORDS[args["kind"]][0]
            words["kind_plural"] = f"{args['role']}s" if args["role"] else _KIND_WORDS[args["kind"]][1]
        parts.append(NOTE_MESSAGES[code].format(**words))
    return "; ".join(parts)


def _divergence(
    kind: str,
    source: Quantity | None,
    target: Quantity | None,
    diverges: bool,
    ratio: float | None,
    reasons: list[tuple[str, dict[str, Any]]],
    **flags: Any,
) -> ParameterDivergence:
    return ParameterDivergence(
        kind, source, target, diverges, ratio, _english(reasons), reasons=tuple(reasons), **flags
    )


# --- comparison -------------------------------------------------------------------------------------


def compare_parameters(
    a: list[Quantity], b: list[Quantity], *, rates: dict[str, float] | None = None, rel_tol: float = 0.02
) -> list[ParameterDivergence]:
    """Pair the quantities of a source provision (``a``) with those of a target (``b``) and compare them.

    Quantities pair only within a kind (a count only with a count of the same thing), closest values
    first, so that "72 hours" meets "three days" rather than "30 days". A quantity left without a partner
    is a divergence ("only the source sets ..."). A precise value against a vague one diverges; two vague
    ones do not. Values within ``rel_tol`` agree (a month is 730.5 hours, so "one month" and "30 days"
    agree at the default 2%). Opposite qualifiers (at most against at least) diverge even at equal values,
    and so do working days against calendar days.

    Money in different currencies is compared only through ``rates``, a mapping from ISO code to the value
    of one unit of that currency in any one common unit (``{"USD": 1.0, "MYR": 0.21, "PKR": 0.0036}``);
    without a rate for both, the pair is marked ``comparable=False``, with a note naming both
    currencies (information, not a divergence). Results are ordered by kind, then by position in the
    source, then in the target.
    """
    if rates is not None:
        bad = [code for code, rate in rates.items() if not (isinstance(rate, int | float) and rate > 0)]
        if bad:
            raise HarmonizationError(
                f"exchange rates must be positive numbers; check {', '.join(bad)}", code="E407"
            )
    candidates = []
    for i, qa in enumerate(a):
        for j, qb in enumerate(b):
            cost = _pair_cost(qa, qb, rates)
            if cost is not None:
                candidates.append((cost, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    results: list[tuple[int, int, int, ParameterDivergence]] = []
    for _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        results.append((KINDS.index(a[i].kind), i, j, _compare_pair(a[i], b[j], rates, rel_tol)))
    for i, qa in enumerate(a):
        if i not in used_a:
            why = [_reason("only-one-sets", qa, side="source", other="target", value=qa.describe())]
            divergence = _divergence(qa.kind, qa, None, _counts(qa), None, why)
            results.append((KINDS.index(qa.kind), i, -1, divergence))
    for j, qb in enumerate(b):
        if j not in used_b:
            why = [_reason("only-one-sets", qb, side="target", other="source", value=qb.describe())]
            divergence = _divergence(qb.kind, None, qb, _counts(qb), None, why)
            results.append((KINDS.index(qb.kind), len(a), j, divergence))
    results.sort(key=lambda r: r[:3])
    return [r[3] for r in results]


def _counts(q: Quantity) -> bool:
    """Whether a quantity the other side lacks is a divergence: not "one day" or "setahun" in words, which
    the other language often writes with an article ("a day", "a year") that carries no number."""
    return not (q.amount == 1 and not any(ch.isdigit() for ch in normalise_digits(q.text)))


# What a kind of quantity is called, one and many, in the notes of a comparison.
_KIND_WORDS = {
    "duration": ("a time limit", "time limits"),
    "imprisonment": ("a term of imprisonment", "terms of imprisonment"),
    "money": ("an amount", "amounts"),
    "percentage": ("a percentage", "percentages"),
    "age": ("an age", "ages"),
    "count": ("a number", "numbers"),
}


def _pair_cost(qa: Quantity, qb: Quantity, rates: dict[str, float] | None) -> float | None:
    """How badly two quantities fit as counterparts (None: never pair them)."""
    if qa.kind != qb.kind:
        return None
    if qa.kind == "count" and qa.subject != qb.subject:
        return None
    if (qa.role and qb.role and qa.role != qb.role) or qa.scope != qb.scope:
        return None  # a fine is not a fee; a daily fine is not the fine for the offence itself
    cost = 0.0
    if qa.vague or qb.vague:
        cost += 0.0 if qa.vague and qb.vague else 2.0
    else:
        va, vb = _comparable_values(qa, qb, rates)
        if va is None or vb is None:
            cost += 1.5
        elif va > 0 and vb > 0:
            cost += min(abs(math.log(vb / va)), 3.0)
        elif va != vb:
            cost += 3.0
    if {qa.qualifier, qb.qualifier} == {"max", "min"}:
        cost += 0.5
    return cost


def _comparable_values(
    qa: Quantity, qb: Quantity, rates: dict[str, float] | None
) -> tuple[float | None, float | None]:
    if qa.kind != "money" or qa.currency == qb.currency:
        return qa.value, qb.value
    if rates and qa.currency in rates and qb.currency in rates:
        return qa.value * rates[qa.currency or ""], qb.value * rates[qb.currency or ""]
    return None, None


def _compare_pair(
    qa: Quantity, qb: Quantity, rates: dict[str, float] | None, rel_tol: float
) -> ParameterDivergence:
    kind = qa.kind
    if qa.vague and qb.vague:
        why = [_reason("neither-sets-number", text_a=qa.text, text_b=qb.text)]
        return _divergence(kind, qa, qb, False, None, why)
    if qa.vague or qb.vague:
        precise, vague, side = (qb, qa, "target") if qa.vague else (qa, qb, "source")
        other = "source" if side == "target" else "target"
        why = [_reason("one-vague", side=side, other=other, value=precise.describe(), vague=vague.text)]
        return _divergence(kind, qa, qb, True, None, why)
    va, vb = _comparable_values(qa, qb, rates)
    if va is None or vb is None:
        why = [
            _reason(
                "currencies-differ",
                currency_a=qa.currency,
                currency_b=qb.currency,
                a=qa.describe(),
                b=qb.describe(),
            )
        ]
        return _divergence(kind, qa, qb, False, None, why, comparable=False)
    ratio = vb / va if va else (1.0 if vb == 0 else None)
    reasons: list[tuple[str, dict[str, Any]]] = []
    if ratio is None or not math.isclose(ratio, 1.0, rel_tol=rel_tol):
        if ratio is None:
            reasons.append(_reason("values-differ", a=qa.describe(), b=qb.describe()))
        else:
            ratio_text = f"{ratio:.3g}"
            reasons.append(_reason("values-differ-ratio", a=qa.describe(), b=qb.describe(), ratio=ratio_text))
    if {qa.qualifier, qb.qualifier} == {"max", "min"} or (
        "exact" in (qa.qualifier, qb.qualifier)
        and qa.qualifier
        and qb.qualifier
        and qa.qualifier != qb.qualifier
    ):
        reasons.append(_reason("qualifiers-differ", qualifier_a=qa.qualifier, qualifier_b=qb.qualifier))
    working_a = "working" in (qa.written_unit or "")
    working_b = "working" in (qb.written_unit or "")
    if working_a != working_b:
        reasons.append(_reason("working-days", unit_a=qa.written_unit, unit_b=qb.written_unit))
    if qa.currency != qb.currency:
        reasons.append(_reason("at-given-rates", currency_a=qa.currency, currency_b=qb.currency))
        diverges = len(reasons) > 1
    else:
        diverges = bool(reasons)
    if not diverges and not reasons:
        reasons.append(_reason("same", a=qa.describe(), b=qb.describe()))
    return _divergence(kind, qa, qb, diverges, ratio, reasons)


# --- provisions: compare within corresponding sub-provisions --------------------------------------------

PartSimilarity = Callable[[SubProvision, SubProvision], float]


@dataclass(slots=True)
class ProvisionComparison:
    """The quantities of two provisions and how those of corresponding sub-provisions compare.

    ``parts`` lists the aligned sub-provisions as (source label, target label) pairs. ``to_dict`` gives
    the shape stored on a mapping and read by the app: ``source``, ``target``, ``divergences`` and
    ``diverging`` (True when some value differs between two quantities both sides set), plus ``parts``.
    """

    source: list[Quantity]
    target: list[Quantity]
    divergences: list[ParameterDivergence]
    parts: list[tuple[str, str]]

    @property
    def diverging(self) -> bool:
        return any(d.diverges and d.source is not None and d.target is not None for d in self.divergences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": [q.to_dict() for q in self.source],
            "target": [q.to_dict() for q in self.target],
            "divergences": [d.to_dict() for d in self.divergences],
            "diverging": self.diverging,
            "parts": [list(p) for p in self.parts],
        }


Side = tuple[list[SubProvision], list[tuple[Quantity, ...]], str]


def _corresponding_groups(
    side_a: Side, side_b: Side, similarity: PartSimilarity | None
) -> tuple[list[list[int]], list[list[int]], list[tuple[int, int]]]:
    """Group each side's parts into subsections and align the groups: each side's parts by group (indices),
    and the aligned (group a, group b) pairs. When one side is a single part, it corresponds to the whole
    of the other (the provisions matched): one group each, compared paragraph by paragraph."""
    (parts_a, per_part_a, text_a), (parts_b, per_part_b, text_b) = side_a, side_b
    groups_a, groups_b = group_subprovisions(parts_a, text_a), group_subprovisions(parts_b, text_b)
    if len(groups_a) == 1 or len(groups_b) == 1:
        return [list(range(len(parts_a)))], [list(range(len(parts_b)))], [(0, 0)]
    in_group_a = [[k for k, p in enumerate(parts_a) if g.start <= p.start < g.end] for g in groups_a]
    in_group_b = [[k for k, p in enumerate(parts_b) if g.start <= p.start < g.end] for g in groups_b]
    sig_a = [_signature(tuple(q for k in m for q in per_part_a[k])) for m in in_group_a]
    sig_b = [_signature(tuple(q for k in m for q in per_part_b[k])) for m in in_group_b]
    aligned = _align(groups_a, groups_b, sig_a, sig_b, similarity)
    return in_group_a, in_group_b, [(p.source, p.target) for p in aligned]


def _align(
    a: list[SubProvision],
    b: list[SubProvision],
    sig_a: list[frozenset],
    sig_b: list[frozenset],
    similarity: PartSimilarity | None,
):
    """Align parts ``a`` with ``b`` by ``similarity`` (if any) and, as evidence, the overlap (Jaccard) of
    the kinds of quantity each part holds (``sig_a``, ``sig_b``)."""
    return align_subprovisions(
        a,
        b,
        similarity=None if similarity is None else (lambda i, j: similarity(a[i], b[j])),
        evidence=lambda i, j: (
            len(sig_a[i] & sig_b[j]) / len(sig_a[i] | sig_b[j]) if sig_a[i] and sig_b[j] else 0.0
        ),
    )


class _Comparing:
    """The comparisons of one pair of provisions as they are made, each quantity labelled with its part."""

    def __init__(self, label_a: dict[int, str], label_b: dict[int, str], rates, rel_tol: float) -> None:
        self.label_a, self.label_b, self.rates, self.rel_tol = label_a, label_b, rates, rel_tol
        self.compared: list[ParameterDivergence] = []  # both sides set the quantity
        self.alone: list[ParameterDivergence] = []  # not compared: listed as information
        self.parts_compared: list[tuple[str, str]] = []

    def labelled(self, d: ParameterDivergence) -> ParameterDivergence:
        d.source_part = self.label_a[id(d.source)] if d.source is not None else None
        d.target_part = self.label_b[id(d.target)] if d.target is not None else None
        return d

    def compare(self, pairs: list[tuple[Quantity, Quantity]]) -> set[int]:
        """Compare ``pairs``; returns the ids of the quantities used."""
        self.compared.extend(
            self.labelled(_compare_pair(qa, qb, self.rates, self.rel_tol)) for qa, qb in pairs
        )
        return {id(q) for pair in pairs for q in pair}

    def compare_group(
        self,
        la: list[SubProvision],
        lb: list[SubProvision],
        qa_of: list[tuple[Quantity, ...]],
        qb_of: list[tuple[Quantity, ...]],
        similarity: PartSimilarity | None,
    ) -> None:
        """Two corresponding subsections: pass 1 compares the quantities of corresponding paragraphs, pass
        2 what is left within the subsection; the rest is listed alone."""
        leaf_pairs = _align(
            la, lb, [_signature(q) for q in qa_of], [_signature(q) for q in qb_of], similarity
        )
        used: set[int] = set()
        for pair in leaf_pairs:
            self.parts_compared.append((la[pair.source].label, lb[pair.target].label))
            used |= self.compare(
                _pair_strictly(list(qa_of[pair.source]), list(qb_of[pair.target]), self.rates, self.rel_tol)
            )
        left_a = [q for qs in qa_of for q in qs if id(q) not in used]
        left_b = [q for qs in qb_of for q in qs if id(q) not in used]
        used |= self.compare(_pair_strictly(left_a, left_b, self.rates, self.rel_tol))
        self.alone += [self.labelled(d) for d in _unmatched(left_a, left_b, used)]


def compare_provisions(
    source_text: str,
    source_language: str | None,
    target_text: str,
    target_language: str | None,
    *,
    similarity: PartSimilarity | None = None,
    rates: dict[str, float] | None = None,
    rel_tol: float = 0.02,
) -> ProvisionComparison:
    """Compare the quantities of two provisions, only between sub-provisions that correspond.

    Both texts are cut into sub-provisions (:func:`~concord.engine.subprovisions.split_subprovisions`:
    subsections, paragraphs, or sentences) and the parts are aligned
    (:func:`~concord.engine.subprovisions.align_subprovisions`) with ``similarity`` (e.g. the cosine of
    the parts' embeddings; see :func:`sentence_similarity`) or, without it, with the label, the kinds of
    quantity the parts hold, shared digits and position. Quantities are then compared only inside an
    aligned pair of parts, so a time limit in one subsection never meets a fine in another, and a penalty
    meets only a penalty of the corresponding offence (its part states the offence).

    Pairing is strict, since a value one language words in a way that is not read would otherwise make
    a different value of the same kind its partner: a quantity with an equal twin on the other side is
    agreement; the rest pair by order of appearance within a kind and role, and only when both sides read
    as many of them. Whatever is left (unequal numbers, one side only, parts with no counterpart) is
    listed with ``unmatched=True`` and ``diverges=False``: information, never a divergence. Each item
    names the two parts (``source_part``, ``target_part``).
    """
    parts_a, per_part_a = _read_parts(source_text, source_language)
    parts_b, per_part_b = _read_parts(target_text, target_language)
    in_group_a, in_group_b, group_pairs = _corresponding_groups(
        (parts_a, per_part_a, source_text), (parts_b, per_part_b, target_text), similarity
    )

    work = _Comparing(
        {id(q): parts_a[k].label for k, qs in enumerate(per_part_a) for q in qs},
        {id(q): parts_b[k].label for k, qs in enumerate(per_part_b) for q in qs},
        rates,
        rel_tol,
    )
    for gi, gj in group_pairs:
        work.compare_group(
            [parts_a[k] for k in in_group_a[gi]],
            [parts_b[k] for k in in_group_b[gj]],
            [per_part_a[k] for k in in_group_a[gi]],
            [per_part_b[k] for k in in_group_b[gj]],
            similarity,
        )
    compared, alone = work.compared, work.alone
    # Pass 3: a quantity left alone may have a same-valued twin in a part that did not align (converted
    # text moves marginal notes and "Penalty:" lines about). An equal value there is agreement; a
    # different one is not compared at all, since the parts do not correspond.
    used = {id(q) for d in compared for q in (d.source, d.target) if q is not None}
    spare_a = [q for qs in per_part_a for q in qs if id(q) not in used]
    spare_b = [q for qs in per_part_b for q in qs if id(q) not in used]
    used |= work.compare(_pair_strictly(spare_a, spare_b, rates, rel_tol, twins_only=True))
    # Pass 4: the penalty of each offence. A section that states its penalty once, in a subsection of its
    # own ("A person who commits an offence under this section shall ..."), has no part that corresponds
    # to the other act's penalty subsection by wording. When each side states every penalty in one part,
    # those two parts are the two provisions' penalties, and they are compared.
    penalty_a, penalty_b = _penalty_part(in_group_a, per_part_a), _penalty_part(in_group_b, per_part_b)
    penalty_notes: list[ParameterDivergence] = []
    if penalty_a is not None and penalty_b is not None and (penalty_a, penalty_b) not in group_pairs:
        left_a = _penalties(in_group_a[penalty_a], per_part_a, used)
        left_b = _penalties(in_group_b[penalty_b], per_part_b, used)
        used |= work.compare(_pair_strictly(left_a, left_b, rates, rel_tol))
        # what stays unpaired there is said as for any two corresponding parts
        penalty_notes = [work.labelled(d) for d in _unmatched(left_a, left_b, used)]
        used |= {id(q) for q in left_a + left_b}
    alone = [d for d in alone if id(d.source if d.source is not None else d.target) not in used]
    alone = [_elsewhere(d, work, per_part_a, per_part_b, used) for d in alone] + penalty_notes
    return ProvisionComparison(
        [q for qs in per_part_a for q in qs],
        [q for qs in per_part_b for q in qs],
        sorted(compared + alone, key=_order),
        work.parts_compared,
    )


def _penalty(q: Quantity) -> bool:
    """A term of imprisonment or a fine: what an offence is punished with."""
    return q.kind == "imprisonment" or (q.kind == "money" and q.role == "fine")


def _penalties(members: list[int], per_part: list[tuple[Quantity, ...]], used: set[int]) -> list[Quantity]:
    """The penalties of these parts not compared yet."""
    return [q for k in members for q in per_part[k] if _penalty(q) and id(q) not in used]


def _penalty_part(in_group: list[list[int]], per_part: list[tuple[Quantity, ...]]) -> int | None:
    """The one group (subsection) that holds every penalty of a provision of several, else None."""
    holding = [g for g, members in enumerate(in_group) if _penalties(members, per_part, set())]
    return holding[0] if len(in_group) > 1 and len(holding) == 1 else None


def _elsewhere(
    d: ParameterDivergence,
    work: _Comparing,
    per_part_a: list[tuple[Quantity, ...]],
    per_part_b: list[tuple[Quantity, ...]],
    used: set[int],
) -> ParameterDivergence:
    """A quantity that only one side reads *in corresponding parts*, when the other side does read one of
    its kind in a part that does not correspond: said so, rather than that the other side sets none."""
    if not d.reasons or d.reasons[0][0] != "only-one-reads":
        return d
    mine, theirs, labels = (
        (d.source, per_part_b, work.label_b) if d.source is not None else (d.target, per_part_a, work.label_a)
    )
    assert mine is not None
    other = next((q for qs in theirs for q in qs if _slot(q) == _slot(mine) and id(q) not in used), None)
    if other is None or not numbered_label(labels[id(other)]):
        return d
    args = dict(d.reasons[0][1], part=labels[id(other)], other_value=other.describe())
    why = [("other-part-reads", args | {"other_quantity": other.to_dict()})]
    d.reasons, d.note = tuple(why), _english(why)
    return d


# --- strict pairing: compare only what can be paired with confidence -----------------------------------


def _slot(q: Quantity) -> tuple[str, str | None, str | None, str | None]:
    """What a quantity is for: its kind, the role of money, the scope of a penalty, what a count counts."""
    return (q.kind, q.role if q.kind == "money" else None, q.scope, q.subject if q.kind == "count" else None)


def _family(q: Quantity) -> str:
    """Kinds measured in the same unit: a term of imprisonment read as a plain duration is still time."""
    return "time" if q.kind in ("duration", "imprisonment") else q.kind


def _twins(qa: Quantity, qb: Quantity, rates: dict[str, float] | None, rel_tol: float) -> bool:
    """The same value of the same family (money: of the same currency, or at the given rates)."""
    if _family(qa) != _family(qb):
        return False
    if qa.vague or qb.vague:
        return qa.vague and qb.vague
    va, vb = _comparable_values(qa, qb, rates)
    return va is not None and vb is not None and math.isclose(va, vb, rel_tol=rel_tol)


def _pair_strictly(
    a: list[Quantity],
    b: list[Quantity],
    rates: dict[str, float] | None,
    rel_tol: float,
    *,
    twins_only: bool = False,
) -> list[tuple[Quantity, Quantity]]:
    """Pair the quantities of two corresponding parts only where the pairing is not a guess.

    First every quantity with an equal twin on the other side (in text order): the same value stated
    twice is agreement, wherever the part puts it. Then, for each slot (kind, role of money, scope of a
    penalty, what a count counts), the rest pair in order of appearance, and only when both sides read
    the same number of them. Unequal numbers mean a value one side words was not read, and pairing what
    remains would set a value against a different one of the same kind: those stay unpaired.
    """
    pairs: list[tuple[Quantity, Quantity]] = []
    taken: set[int] = set()
    for qa in a:
        twin = next((qb for qb in b if id(qb) not in taken and _twins(qa, qb, rates, rel_tol)), None)
        if twin is not None:
            pairs.append((qa, twin))
            taken |= {id(qa), id(twin)}
    if twins_only:
        return pairs
    rest_a, rest_b = (
        _by_slot([q for q in a if id(q) not in taken]),
        _by_slot([q for q in b if id(q) not in taken]),
    )
    for slot, xs in rest_a.items():
        ys = rest_b.get(slot, [])
        if len(xs) == len(ys):
            pairs.extend(zip(xs, ys, strict=True))
    return pairs


def _by_slot(quantities: list[Quantity]) -> dict[tuple[Any, ...], list[Quantity]]:
    slots: dict[tuple[Any, ...], list[Quantity]] = {}
    for q in sorted(quantities, key=lambda q: q.start):
        slots.setdefault(_slot(q), []).append(q)
    return slots


def _unmatched(a: list[Quantity], b: list[Quantity], used: set[int]) -> list[ParameterDivergence]:
    """The quantities of corresponding parts left unpaired, as information with a note saying why."""
    slots_a, slots_b = _by_slot(a), _by_slot(b)
    out = []
    for side, other, mine, theirs in (
        ("source", "target", slots_a, slots_b),
        ("target", "source", slots_b, slots_a),
    ):
        for slot, qs in mine.items():
            n_mine, n_theirs = len(qs), len(theirs.get(slot, []))
            for q in qs:
                if id(q) in used:
                    continue
                value = q.describe()
                if n_theirs == 0:
                    why = _reason("only-one-reads", q, side=side, other=other, value=value)
                else:
                    counts = {"n_mine": n_mine, "n_theirs": n_theirs}
                    why = _reason("counts-differ", q, side=side, other=other, value=value, **counts)
                source, target = (q, None) if side == "source" else (None, q)
                out.append(_divergence(q.kind, source, target, False, None, [why], unmatched=True))
    return out


def _order(d: ParameterDivergence) -> tuple[int, float, float]:
    return (
        KINDS.index(d.kind),
        d.source.start if d.source is not None else math.inf,
        d.target.start if d.target is not None else math.inf,
    )


@lru_cache(maxsize=2048)
def _read_parts(text: str, language: str | None) -> tuple[list[SubProvision], list[tuple[Quantity, ...]]]:
    """The sub-provisions of ``text`` and the quantities in each (a quantity belongs to the part it starts
    in). Cached: harmonize compares one provision with several candidates."""
    parts = split_subprovisions(text) or [SubProvision("", 0, len(text), text, False, 0.5)]
    quantities = extract_parameters(text, language)
    per_part = [
        tuple(q for q in quantities if p.start <= q.start < p.end or (k == 0 and q.start < p.start))
        for k, p in enumerate(parts)
    ]
    return parts, per_part


def _signature(quantities: tuple[Quantity, ...]) -> frozenset[tuple[str, str | None, str | None]]:
    return frozenset((q.kind, q.role, q.scope) for q in quantities)


def sentence_similarity(
    source_sentences: Sequence[Any],
    source_vectors: Any,
    target_sentences: Sequence[Any],
    target_vectors: Any,
) -> PartSimilarity | None:
    """A part similarity from sentence embeddings the caller already has (harmonize encodes every sentence).

    ``*_sentences`` have ``start`` and ``end`` offsets into the provision; ``*_vectors`` holds one
    normalised row per sentence. A part's vector is the mean of the sentences it overlaps; the similarity
    is the cosine of the two. None when the vectors do not match the sentences one to one.
    """
    va, vb = np.asarray(source_vectors, dtype=float), np.asarray(target_vectors, dtype=float)
    if va.ndim != 2 or vb.ndim != 2 or len(va) != len(source_sentences) or len(vb) != len(target_sentences):
        return None
    if not len(va) or not len(vb):
        return None

    def pooled(part: SubProvision, sentences: Sequence[Any], vectors: np.ndarray) -> np.ndarray:
        rows = [k for k, s in enumerate(sentences) if s.start < part.end and part.start < s.end]
        vector = vectors[rows].mean(axis=0) if rows else vectors.mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def similarity(a: SubProvision, b: SubProvision) -> float:
        return float(pooled(a, source_sentences, va) @ pooled(b, target_sentences, vb))

    return similarity
