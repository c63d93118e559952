"""Stable allocation: applicant-proposing deferred acceptance with capacities and soft reserves per group,
and a stability checker. Re-exported by `concord.engine.match`, which documents the whole.

Reserves follow the "reserved seats first" choice rule: from the applicants a programme holds, each group
``g`` with ``reserves[g] = r`` first gets its ``r`` best-ranked members; the remaining seats (including
reserved seats that group could not fill) go to the best-ranked of everyone else. The rule is substitutable
and size-monotone, so deferred acceptance gives the applicant-optimal stable matching.

An applicant may belong to several groups (a country and a group they declare, such as women in AI). The
reserves are then filled one group after another, in the order the programme lists them, each from the
members not already chosen; the rest is as above. With disjoint groups this is the same rule. The rule
stays substitutable and fills every seat it can (checked exhaustively on small random instances in the
tests), and such instances run through a plain applicant-proposing loop over `choose`. DA runs in rounds
over numpy arrays: every free applicant proposes at once, and a proposal that cannot beat a full
programme's worst holder is turned down without re-sorting the programme.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from .errors import MatchingError

# --- allocation: inputs and validation ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Applicant:
    """An applicant: ranked programme ids (most wanted first) and an optional group (for reserves)."""

    id: str
    preferences: tuple[str, ...]
    group: str | None = None
    groups: frozenset[str] = frozenset()  # further groups the applicant belongs to (declared attributes)

    def memberships(self) -> tuple[str, ...]:
        """Every group of the applicant: ``group`` first, then ``groups`` in sorted order."""
        first = (self.group,) if self.group is not None else ()
        return first + tuple(sorted(self.groups - set(first)))


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme: seats, its ranking of acceptable applicants (best first), and seats reserved per group."""

    id: str
    capacity: int
    ranking: tuple[str, ...]
    reserves: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Allocation:
    """The result: ``assignment`` maps every applicant id to a programme id or None, in input order."""

    assignment: dict[str, str | None]
    method: str
    rounds: int = 0
    proposals: int = 0

    def members(self) -> dict[str, list[str]]:
        """Programme id -> its assigned applicant ids (in applicant input order)."""
        out: dict[str, list[str]] = {}
        for a, p in self.assignment.items():
            if p is not None:
                out.setdefault(p, []).append(a)
        return out


@dataclass(frozen=True, slots=True)
class BlockingPair:
    """An applicant and a programme that both would rather be matched to each other."""

    applicant_id: str
    programme_id: str


@dataclass(slots=True)
class Instance:
    """Validated inputs as integer arrays (indices into the applicant and programme lists)."""

    applicant_ids: list[str]
    programme_ids: list[str]
    pref_ptr: np.ndarray  # applicant a's preferences are prefs[pref_ptr[a]:pref_ptr[a + 1]]
    prefs: np.ndarray
    capacity: np.ndarray
    group: np.ndarray  # group index per applicant, -1 for none
    group_names: list[str]
    reserves: np.ndarray  # (n_programmes, n_groups) reserved seats
    r_prog: np.ndarray  # the programmes' rankings, flattened: programme, applicant, position
    r_app: np.ndarray
    r_pos: np.ndarray
    pair_rank: np.ndarray  # rank of applicant a at programme prefs[i], aligned with prefs; -1 = unacceptable
    member_groups: list[tuple[int, ...]] = field(default_factory=list)  # every group index per applicant

    @property
    def overlapping(self) -> bool:
        """Some applicant belongs to more than one group: the plain allocation loop is used."""
        return any(len(g) > 1 for g in self.member_groups)

    def rank_dicts(self) -> list[dict[int, int]]:
        """Each programme's ranking as applicant index -> position (0 = best)."""
        out: list[dict[int, int]] = [{} for _ in self.programme_ids]
        for j, a, r in zip(self.r_prog.tolist(), self.r_app.tolist(), self.r_pos.tolist()):
            out[j][a] = r
        return out


def _unique_ids(kind: str, ids: Iterable[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, item in enumerate(ids):
        if not isinstance(item, str) or not item:
            raise MatchingError(f"{kind} #{i + 1} has no id; every {kind} needs a non-empty id", code="E501")
        if item in index:
            raise MatchingError(f"two {kind}s share the id {item!r}; ids must be unique", code="E502")
        index[item] = i
    return index


def _index_all(
    lists: Sequence[Sequence[str]], index: dict[str, int], owner_name: Callable[[int], str], kind: str
) -> tuple[np.ndarray, np.ndarray]:
    """Every id of every list as its index in ``index``: (flat indices, list lengths).

    One C-level pass (no Python loop per id), since 20,000 applicants with ten preferences each must index
    in milliseconds. An unknown id raises E503 naming its owner.
    """
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = list(chain.from_iterable(lists))
    if not flat:
        return np.zeros(0, dtype=np.int64), lengths
    try:  # one C-level pass over every id
        out = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    except KeyError:
        out = np.fromiter((index.get(x, -1) for x in flat), dtype=np.int64, count=len(flat))
    missing = np.flatnonzero(out < 0)
    if len(missing):
        first = int(missing[0])
        owner = int(np.searchsorted(np.cumsum(lengths), first, side="right"))
        raise MatchingError(f"{owner_name(owner)} names unknown {kind} {flat[first]!r}", code="E503")
    return out, lengths


def _refuse_duplicates(owner: np.ndarray, item: np.ndarray, twice: Callable[[int, int], str]) -> None:
    """Refuse (E505) rows where an (owner, item) pair repeats an earlier one: ``twice(owner, item)`` of the
    first such row says which."""
    if len(owner) < 2:
        return
    key = owner * (int(item.max()) + 1) + item
    order = np.argsort(key, kind="stable")
    dup = np.flatnonzero(key[order][1:] == key[order][:-1])
    if len(dup):
        row = int(order[dup[0] + 1])
        raise MatchingError(twice(int(owner[row]), int(item[row])), code="E505")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def prepare(applicants: Sequence[Applicant], programmes: Sequence[Programme]) -> Instance:
    """Check the inputs and turn them into arrays; every problem raises `MatchingError` naming it.

    E501 missing id, E502 duplicate id, E503 unknown programme or applicant id, E504 negative or non-integer
    capacity or reserve, E505 a preference or ranking lists the same id twice, E506 reserves exceed capacity.
    """
    a_index = _unique_ids("applicant", (a.id for a in applicants))
    p_index = _unique_ids("programme", (p.id for p in programmes))
    group_index = _group_index(applicants, programmes)
    capacity, reserves = _seats(programmes, group_index)
    r_prog, r_app, r_pos = _rankings(applicants, programmes, a_index)
    prefs, ptr, owner = _preferences(applicants, programmes, p_index)
    group = np.fromiter(
        (-1 if a.group is None else group_index[a.group] for a in applicants),
        dtype=np.int64,
        count=len(applicants),
    )
    return Instance(
        applicant_ids=[a.id for a in applicants],
        programme_ids=[p.id for p in programmes],
        pref_ptr=ptr,
        prefs=prefs,
        capacity=capacity,
        group=group,
        group_names=list(group_index),
        reserves=reserves,
        r_prog=r_prog,
        r_app=r_app,
        r_pos=r_pos,
        pair_rank=_pair_rank(r_prog, r_app, r_pos, prefs, owner, n_a=len(applicants), n_p=len(programmes)),
        member_groups=[tuple(group_index[g] for g in a.memberships()) for a in applicants],
    )


def _group_index(applicants: Sequence[Applicant], programmes: Sequence[Programme]) -> dict[str, int]:
    """Every group an applicant belongs to or a programme reserves seats for, numbered as first seen."""
    group_index: dict[str, int] = {}
    for a in applicants:
        for g in a.memberships():
            group_index.setdefault(g, len(group_index))
    for p in programmes:
        for g in p.reserves:
            group_index.setdefault(g, len(group_index))
    return group_index


def _seats(programmes: Sequence[Programme], group_index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Each programme's capacity and its reserved seats per group (E504, E506)."""
    n_p = len(programmes)
    capacity = np.zeros(n_p, dtype=np.int64)
    reserves = np.zeros((n_p, max(len(group_index), 1)), dtype=np.int64)
    for j, p in enumerate(programmes):
        if not _whole(p.capacity):
            raise MatchingError(
                f"programme {p.id!r} has capacity {p.capacity!r}; a capacity is a whole number ≥ 0",
                code="E504",
            )
        capacity[j] = p.capacity
        for g, seats in p.reserves.items():
            if not _whole(seats):
                raise MatchingError(
                    f"programme {p.id!r} reserves {seats!r} seats for group {g!r}; reserves are whole "
                    "numbers ≥ 0",
                    code="E504",
                )
            reserves[j, group_index[g]] = seats
        if reserves[j].sum() > p.capacity:
            raise MatchingError(
                f"programme {p.id!r} reserves {int(reserves[j].sum())} seats but has only {p.capacity}",
                code="E506",
            )
    return capacity, reserves


def _rankings(
    applicants: Sequence[Applicant], programmes: Sequence[Programme], a_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The programmes' rankings flattened as (programme, applicant, position) arrays (E503, E505)."""
    r_app, r_len = _index_all(
        [p.ranking for p in programmes], a_index, lambda j: f"programme {programmes[j].id!r}", "applicant"
    )
    r_prog = np.repeat(np.arange(len(programmes), dtype=np.int64), r_len)
    r_pos = np.arange(len(r_app)) - np.repeat(np.cumsum(r_len) - r_len, r_len)
    _refuse_duplicates(
        r_prog,
        r_app,
        lambda j, i: f"programme {programmes[j].id!r} ranks applicant {applicants[i].id!r} twice",
    )
    return r_prog, r_app, r_pos


def _preferences(
    applicants: Sequence[Applicant], programmes: Sequence[Programme], p_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The applicants' preferences flattened: (programme per row, row pointer per applicant, applicant per
    row) (E503, E505)."""
    n_a = len(applicants)
    prefs, lengths = _index_all(
        [a.preferences for a in applicants], p_index, lambda i: f"applicant {applicants[i].id!r}", "programme"
    )
    ptr = np.zeros(n_a + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    owner = np.repeat(np.arange(n_a), lengths)
    _refuse_duplicates(
        owner,
        prefs,
        lambda i, j: f"applicant {applicants[i].id!r} lists programme {programmes[j].id!r} twice",
    )
    return prefs, ptr, owner


def _pair_rank(
    r_prog: np.ndarray,
    r_app: np.ndarray,
    r_pos: np.ndarray,
    prefs: np.ndarray,
    owner: np.ndarray,
    *,
    n_a: int,
    n_p: int,
) -> np.ndarray:
    """The rank of each (applicant, programme) preference at that programme, -1 where the programme does not
    rank them: through a dense table when it fits in memory (fast), else by sorting and searching the keys."""
    if n_p * n_a <= 60_000_000:
        table = np.full((n_p, n_a), -1, dtype=np.int32)
        table[r_prog, r_app] = r_pos
        return table[prefs, owner].astype(np.int64)
    r_key = r_prog * n_a + r_app
    order = np.argsort(r_key)
    sorted_keys = r_key[order]
    p_key = prefs * n_a + owner
    at = np.minimum(np.searchsorted(sorted_keys, p_key), len(sorted_keys) - 1)
    return np.where(sorted_keys[at] == p_key, r_pos[order][at], -1).astype(np.int64)


# --- allocation: the choice rule and deferred acceptance ------------------------------------------------


def _group_cumcount(keys: np.ndarray) -> np.ndarray:
    """For a sorted key array, each element's position within its run of equal keys."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    return np.arange(n) - run_start


def _choose(
    prog: np.ndarray, rank: np.ndarray, grp: np.ndarray, capacity: np.ndarray, reserves: np.ndarray, span: int
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised choice rule over a pool of (programme, rank, group) rows: (kept, kept on a reserved seat).

    Reserved seats first (each group's best ``reserves[p, g]`` members), then the rest by rank for the
    remaining seats. ``span`` exceeds every rank, so ``prog * span + rank`` sorts by programme then rank.
    """
    n = len(prog)
    keep = np.zeros(n, dtype=bool)
    reserved = np.zeros(n, dtype=bool)
    if n == 0:
        return keep, reserved
    key = prog * span + rank
    order = np.argsort(key)
    if not reserves.any():
        pos = _group_cumcount(prog[order])
        keep[order] = pos < capacity[prog[order]]
        return keep, reserved
    n_groups = reserves.shape[1]
    g_sorted = grp[order]
    with_group = order[g_sorted >= 0]  # still sorted by (programme, rank)
    if len(with_group):
        gkey = prog[with_group] * n_groups + grp[with_group]
        sub = np.argsort(gkey, kind="stable")
        members = with_group[sub]
        pos = _group_cumcount(gkey[sub])
        reserved[members] = pos < reserves[prog[members], grp[members]]
    n_reserved = np.bincount(prog[reserved], minlength=len(capacity))
    rest = order[~reserved[order]]
    pos = _group_cumcount(prog[rest])
    keep[rest] = pos < (capacity - n_reserved)[prog[rest]]
    keep |= reserved
    return keep, reserved


def deferred_acceptance(applicants: Sequence[Applicant], programmes: Sequence[Programme]) -> Allocation:
    """Applicant-proposing deferred acceptance with capacities and soft reserves: the applicant-optimal
    stable allocation.

    A programme only accepts applicants in its ``ranking``; an applicant only programmes in their
    ``preferences``. Runs in rounds: every free applicant proposes to their next acceptable choice at once,
    and each programme keeps its best under the choice rule (reserves first, see the module docstring).
    Raises `MatchingError` (E501–E506) on bad input.
    """
    inst = prepare(applicants, programmes)
    if inst.overlapping:
        return _deferred_acceptance_plain(applicants, programmes)
    return deferred_acceptance_prepared(inst)


def _deferred_acceptance_plain(
    applicants: Sequence[Applicant], programmes: Sequence[Programme]
) -> Allocation:
    """Deferred acceptance applicant by applicant over `choose`: for applicants in several groups."""
    ranked = {p.id: {a: r for r, a in enumerate(p.ranking)} for p in programmes}
    by_id = {p.id: p for p in programmes}
    groups = {a.id: a.memberships() for a in applicants}
    prefs = {a.id: [p for p in a.preferences if a.id in ranked[p]] for a in applicants}
    nxt = dict.fromkeys(prefs, 0)
    held: dict[str, set[str]] = {p.id: set() for p in programmes}
    free = [a.id for a in applicants]
    rounds = proposals = 0
    while True:
        offers: dict[str, set[str]] = {}
        for a in free:
            if nxt[a] < len(prefs[a]):
                offers.setdefault(prefs[a][nxt[a]], set()).add(a)
                nxt[a] += 1
                proposals += 1
        if not offers:
            break
        rounds += 1
        free = []
        for pid, new in offers.items():
            pool = held[pid] | new
            held[pid] = choose(by_id[pid], pool, groups)
            free.extend(sorted(pool - held[pid]))
    assignment: dict[str, str | None] = dict.fromkeys(prefs)
    for pid, members in held.items():
        for a in members:
            assignment[a] = pid
    return Allocation(assignment=assignment, method="deferred-acceptance", rounds=rounds, proposals=proposals)


def deferred_acceptance_prepared(inst: Instance) -> Allocation:
    """`deferred_acceptance` on inputs already checked and indexed by `prepare` (reuse them across runs);
    for applicants in one group at most (see `deferred_acceptance` for several)."""
    if inst.overlapping:
        raise MatchingError(
            "deferred_acceptance_prepared takes applicants in one group at most; call deferred_acceptance",
            code="E509",
        )
    n_a = len(inst.applicant_ids)
    ptr, prefs, pair_rank = inst.pref_ptr, inst.prefs, inst.pair_rank
    span = int(pair_rank.max()) + 1 if len(pair_rank) else 1
    # Acceptable slots only: an applicant never proposes where the programme does not rank them.
    ok = pair_rank >= 0
    cum = np.zeros(len(ok) + 1, dtype=np.int64)
    np.cumsum(ok, out=cum[1:])
    slots = np.flatnonzero(ok)  # acceptable slots, grouped by applicant in preference order
    nxt = cum[ptr[:-1]]  # next position in ``slots`` to propose to
    end = cum[ptr[1:]]
    held = np.full(n_a, -1, dtype=np.int64)  # slot index of the proposal each applicant has held
    held_prog = np.full(n_a, -1, dtype=np.int64)
    n_p = len(inst.capacity)
    has_reserves = bool(inst.reserves.any())
    # Per programme: how many it holds, the worst rank it holds, and (with reserves) holders per group. A
    # proposal to a full programme from someone ranked below all its holders, whose group's reserve there is
    # already filled, cannot be kept: it is turned down at once, without re-sorting the programme.
    n_held = np.zeros(n_p, dtype=np.int64)
    worst = np.full(n_p, -1, dtype=np.int64)
    g_held = np.zeros_like(inst.reserves)
    rounds = proposals = 0
    free = np.flatnonzero(nxt < end)
    while len(free):
        rounds += 1
        trying = free
        survivors: list[np.ndarray] = []
        while len(trying):
            proposals += len(trying)
            s_ = slots[nxt[trying]]
            nxt[trying] += 1
            q, r = prefs[s_], pair_rank[s_]
            hopeless = (n_held[q] >= inst.capacity[q]) & (r > worst[q])
            if has_reserves:
                g = inst.group[trying]
                res_open = (g >= 0) & (g_held[q, np.maximum(g, 0)] < inst.reserves[q, np.maximum(g, 0)])
                hopeless &= ~res_open
            survivors.append(trying[~hopeless])
            trying = trying[hopeless]
            trying = trying[nxt[trying] < end[trying]]
        free = np.concatenate(survivors)
        if not len(free):
            break
        new_slots = slots[nxt[free] - 1]
        touched = np.zeros(n_p, dtype=bool)
        touched[prefs[new_slots]] = True
        holders = np.flatnonzero(held_prog >= 0)
        holders = holders[touched[held_prog[holders]]]
        pool_app = np.concatenate([holders, free])
        pool_slot = np.concatenate([held[holders], new_slots])
        prog = prefs[pool_slot]
        rank = pair_rank[pool_slot]
        keep, _ = _choose(prog, rank, inst.group[pool_app], inst.capacity, inst.reserves, span)
        kept, rejected = pool_app[keep], pool_app[~keep]
        held[kept] = pool_slot[keep]
        held_prog[kept] = prog[keep]
        held[rejected] = -1
        held_prog[rejected] = -1
        n_held[touched] = 0
        worst[touched] = -1
        n_held += np.bincount(prog[keep], minlength=n_p)
        np.maximum.at(worst, prog[keep], rank[keep])
        if has_reserves:
            g_held[touched] = 0
            kept_group = inst.group[kept]
            with_group = kept_group >= 0
            np.add.at(g_held, (prog[keep][with_group], kept_group[with_group]), 1)
        free = rejected[nxt[rejected] < end[rejected]]
    pid = inst.programme_ids
    assignment = {aid: (pid[j] if j >= 0 else None) for aid, j in zip(inst.applicant_ids, held_prog.tolist())}
    return Allocation(assignment=assignment, method="deferred-acceptance", rounds=rounds, proposals=proposals)


def _as_groups(value: str | Iterable[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset((value,)) if isinstance(value, str) else frozenset(value)


def choose(
    programme: Programme, candidates: Iterable[str], groups: Mapping[str, str | Iterable[str] | None]
) -> set[str]:
    """The choice rule written plainly, applicant by applicant: whom ``programme`` keeps from ``candidates``.
    ``groups`` gives each applicant's group, or groups.

    Used by tests and by `blocking_pairs_bruteforce` as a second, independent reading of the rule, and by
    deferred acceptance for applicants in several groups.
    """
    rank = {a: r for r, a in enumerate(programme.ranking)}
    pool = sorted((a for a in candidates if a in rank), key=rank.__getitem__)
    member_of = {a: _as_groups(groups.get(a)) for a in pool}
    chosen: set[str] = set()
    for g, seats in programme.reserves.items():
        members = [a for a in pool if g in member_of[a] and a not in chosen]
        chosen.update(members[:seats])
    open_seats = programme.capacity - len(chosen)
    for a in pool:
        if open_seats <= 0:
            break
        if a not in chosen:
            chosen.add(a)
            open_seats -= 1
    return chosen


# --- stability -----------------------------------------------------------------------------------------


def blocking_pairs(
    applicants: Sequence[Applicant], programmes: Sequence[Programme], assignment: Mapping[str, str | None]
) -> list[BlockingPair]:
    """The blocking pairs of ``assignment`` (empty = stable), after checking that it is feasible.

    A pair (a, p) blocks when a prefers p to what a got and p would keep a from its members plus a under
    the reserves-first rule: a beats the worst open-seat holder of a full programme, or beats the last
    reserved-seat holder of a's group (or that group's reserve is not filled), or p has a free seat.
    Raises `MatchingError` E507 if the assignment is infeasible: an applicant placed where they did not
    apply or are not ranked, a programme over capacity, or a programme holding someone its rule would drop.
    """
    inst = prepare(applicants, programmes)
    if inst.overlapping:
        return _blocking_pairs_plain(applicants, programmes, assignment)
    n_a, n_p = len(inst.applicant_ids), len(inst.programme_ids)
    n_g = inst.reserves.shape[1]
    p_index = {p: j for j, p in enumerate(inst.programme_ids)}
    slot_owner = np.repeat(np.arange(n_a), np.diff(inst.pref_ptr))
    slot_pos = np.arange(len(inst.prefs)) - inst.pref_ptr[slot_owner]
    assigned = np.array(
        [
            p_index.get(pid, -1) if (pid := assignment.get(aid)) is not None else -1
            for aid in inst.applicant_ids
        ],
        dtype=np.int64,
    )
    for aid in inst.applicant_ids:
        pid = assignment.get(aid)
        if pid is not None and pid not in p_index:
            raise MatchingError(f"applicant {aid!r} is placed at unknown programme {pid!r}", code="E507")
    own_slots = np.flatnonzero(inst.prefs == assigned[slot_owner])  # at most one per applicant
    own_pos = np.full(n_a, np.iinfo(np.int64).max, dtype=np.int64)
    own_pos[slot_owner[own_slots]] = slot_pos[own_slots]
    own_rank = np.full(n_a, -1, dtype=np.int64)
    own_rank[slot_owner[own_slots]] = inst.pair_rank[own_slots]
    placed = np.flatnonzero(assigned >= 0)
    bad = placed[(own_pos[placed] == np.iinfo(np.int64).max) | (own_rank[placed] < 0)]
    if len(bad):
        aid = inst.applicant_ids[bad[0]]
        raise MatchingError(
            f"applicant {aid!r} is placed at {assignment[aid]!r}, which is not a mutual choice", code="E507"
        )
    m_prog, m_rank, m_grp = assigned[placed], own_rank[placed], inst.group[placed]
    counts = np.bincount(m_prog, minlength=n_p)
    over = np.flatnonzero(counts > inst.capacity)
    if len(over):
        raise MatchingError(f"programme {inst.programme_ids[over[0]]!r} is over capacity", code="E507")
    span = int(inst.pair_rank.max()) + 1 if len(inst.pair_rank) else 1
    keep, reserved = _choose(m_prog, m_rank, m_grp, inst.capacity, inst.reserves, span)
    if not keep.all():
        aid = inst.applicant_ids[placed[np.flatnonzero(~keep)[0]]]
        raise MatchingError(f"programme {assignment[aid]!r} would not keep applicant {aid!r}", code="E507")
    INF = np.iinfo(np.int64).max
    # Open seats: a full programme admits whoever beats its worst open-seat holder.
    thr_open = np.full(n_p, INF, dtype=np.int64)
    full = counts >= inst.capacity
    thr_open[full] = -1
    if (~reserved).any():
        worst = np.full(n_p, -1, dtype=np.int64)
        np.maximum.at(worst, m_prog[~reserved], m_rank[~reserved])
        thr_open[full] = worst[full] + 1  # rank < thr_open wins
    # Reserved seats: a group whose reserve is not filled admits any member; else one beating the last holder.
    thr_res = np.where(inst.reserves > 0, INF, -1).astype(np.int64)
    has = np.flatnonzero(reserved)
    if len(has):
        n_res = np.zeros((n_p, n_g), dtype=np.int64)
        np.add.at(n_res, (m_prog[has], m_grp[has]), 1)
        last = np.full((n_p, n_g), -1, dtype=np.int64)
        np.maximum.at(last, (m_prog[has], m_grp[has]), m_rank[has])
        filled = (inst.reserves > 0) & (n_res >= inst.reserves)
        thr_res[filled] = last[filled] + 1
    prog, rank = inst.prefs, inst.pair_rank
    grp = inst.group[slot_owner]
    res = np.where(grp >= 0, thr_res[prog, np.maximum(grp, 0)], -1)
    better = (slot_pos < own_pos[slot_owner]) & (rank >= 0)
    blocks = better & ((rank < thr_open[prog]) | (rank < res))
    return [
        BlockingPair(inst.applicant_ids[slot_owner[s]], inst.programme_ids[prog[s]])
        for s in np.flatnonzero(blocks)
    ]


def _blocking_pairs_plain(
    applicants: Sequence[Applicant], programmes: Sequence[Programme], assignment: Mapping[str, str | None]
) -> list[BlockingPair]:
    """`blocking_pairs` for applicants in several groups: the same feasibility checks, then the definition."""
    by_id = {p.id: p for p in programmes}
    ranked = {p.id: set(p.ranking) for p in programmes}
    groups = {a.id: a.memberships() for a in applicants}
    members: dict[str, set[str]] = {p.id: set() for p in programmes}
    for a in applicants:
        pid = assignment.get(a.id)
        if pid is None:
            continue
        if pid not in by_id:
            raise MatchingError(f"applicant {a.id!r} is placed at unknown programme {pid!r}", code="E507")
        if pid not in a.preferences or a.id not in ranked[pid]:
            raise MatchingError(
                f"applicant {a.id!r} is placed at {pid!r}, which is not a mutual choice", code="E507"
            )
        members[pid].add(a.id)
    for pid, held in members.items():
        if len(held) > by_id[pid].capacity:
            raise MatchingError(f"programme {pid!r} is over capacity", code="E507")
        dropped = held - choose(by_id[pid], held, groups)
        if dropped:
            raise MatchingError(f"programme {pid!r} would not keep applicant {min(dropped)!r}", code="E507")
    return blocking_pairs_bruteforce(applicants, programmes, assignment)


def blocking_pairs_bruteforce(
    applicants: Sequence[Applicant], programmes: Sequence[Programme], assignment: Mapping[str, str | None]
) -> list[BlockingPair]:
    """`blocking_pairs` by the definition, through `choose` (slow; for tests and small cases)."""
    groups = {a.id: a.memberships() for a in applicants}
    members: dict[str, set[str]] = {p.id: set() for p in programmes}
    for aid, placed in assignment.items():
        if placed is not None:
            members[placed].add(aid)
    by_id = {p.id: p for p in programmes}
    out = []
    for applicant in applicants:
        own = assignment.get(applicant.id)
        for pid in applicant.preferences:
            if pid == own:
                break
            if applicant.id in choose(by_id[pid], members[pid] | {applicant.id}, groups):
                out.append(BlockingPair(applicant.id, pid))
    return out


# --- files (the `concord allocate` contract) --------------------------------------------------------------


def read_json_lines(path: str, *, what: str = "", shape: str = "a JSON object") -> Iterator[tuple[int, dict]]:
    """The JSON objects on the lines of the file at ``path``, with their line numbers (blank lines skipped).
    A problem raises `MatchingError` naming the file and line: not JSON, not ``shape``, not UTF-8, or a file
    that cannot be read (``what`` says which file it was meant to be)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MatchingError(f"{path}:{n}: not valid JSON ({exc.msg})", code="E508") from exc
                if not isinstance(row, dict):
                    raise MatchingError(f"{path}:{n}: each line must be {shape}", code="E508")
                yield n, row
    except OSError as exc:
        named = f"{what} file " if what else ""
        raise MatchingError(f"cannot read {named}{path}: {exc.strerror}", code="E510") from exc
    except UnicodeDecodeError as exc:
        raise MatchingError(f"{path} is not valid UTF-8", code="E508") from exc


def _id_list(value: object, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise MatchingError(f"{where}: {name!r} must be a list of ids", code="E508")
    kinds = set(map(type, value))  # C speed: 20,000 lines of ten ids each must read in milliseconds
    if kinds <= {str}:
        return tuple(value)
    if not kinds <= {str, int}:
        raise MatchingError(f"{where}: {name!r} must be a list of ids", code="E508")
    return tuple(map(str, value))


def _records(path: str, what: str, one: str) -> Iterator[tuple[str, dict]]:
    """The lines of the ``what`` file at ``path`` (all read before the first is given), each with where it
    stands (``path:line``); a line without an id is refused as it comes (E501, saying what ``one`` needs)."""
    for n, row in list(read_json_lines(path, what=what)):
        where = f"{path}:{n}"
        if "id" not in row or row["id"] in (None, ""):
            raise MatchingError(f"{where}: {one} needs an 'id'", code="E501")
        yield where, row


def read_applicants(path: str) -> list[Applicant]:
    """Read applicant lines ``{"id", "preferences": [programme ids], "group"?, "groups"?: [more groups]}``."""
    out = []
    for where, row in _records(path, "applicants", "an applicant"):
        group = row.get("group")
        if group is not None and not isinstance(group, str | int):
            raise MatchingError(f"{where}: 'group' must be a string", code="E508")
        extra = row.get("groups") or []
        if not isinstance(extra, list) or not all(isinstance(g, str | int) for g in extra):
            raise MatchingError(f"{where}: 'groups' must be a list of strings", code="E508")
        out.append(
            Applicant(
                id=str(row["id"]),
                preferences=_id_list(row.get("preferences", []), where, "preferences"),
                group=None if group is None else str(group),
                groups=frozenset(map(str, extra)),
            )
        )
    return out


def read_programmes(path: str) -> list[Programme]:
    """Read programme lines ``{"id", "capacity", "ranking": [applicant ids], "reserves"?: {group: n}}``."""
    out = []
    for where, row in _records(path, "programmes", "a programme"):
        if "capacity" not in row:
            raise MatchingError(f"{where}: programme {row['id']!r} needs a 'capacity'", code="E504")
        reserves = row.get("reserves") or {}
        if not isinstance(reserves, dict):
            raise MatchingError(f"{where}: 'reserves' must be an object of group: seats", code="E508")
        out.append(
            Programme(
                id=str(row["id"]),
                capacity=row["capacity"],
                ranking=_id_list(row.get("ranking", []), where, "ranking"),
                reserves={str(k): v for k, v in reserves.items()},
            )
        )
    return out
