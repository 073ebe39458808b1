"""Disclosure control of leader figures (DESIGN.md §4): pure functions, no database.

A *cell* is one figure for one period (graduations in 2026-09, in 2026-Q3, in 2026…).
Cells are tied by *groups*: a parent and its children, with a relation

- SUM (event counts, sums): parent = Σ children (a quarter's graduations are its months');
- DISTINCT (distinct people): max(children) ≤ parent ≤ Σ children (a patient served in
  two months of a quarter is one patient of the quarter);
- AT_MOST: Σ children ≤ parent (the CHWs' rows of a breakdown, whose total may also hold
  patients of CHWs who left).

The rule:

1. Primary suppression: a cell about 1 to 10 people (`people`: for a count of people the
   count itself; for a sum, mean or median, how many people it is over) is hidden as
   `FEWER` ("fewer than 11"). A cell about nobody is published: a count of 0 names no one.
2. Complementary suppression: the published cells are a system of equations and
   inequalities in the hidden ones. `bounds()` narrows each hidden cell to the interval the
   published cells allow (interval propagation over the groups until nothing moves);
   while a hidden cell's interval is a single value, one more cell of one of its groups
   is hidden as `COMPLEMENT`: the published cell about the fewest people (never a cell
   about nobody) whose hiding frees it, so the least information is given up
   (`_Suppression` says how it is searched for).

What a reader may assume about a hidden cell, and `bounds()` assumes too: a count of
people hidden as FEWER is 1 to 10; a count hidden as COMPLEMENT is 11 or more (it was
publishable, and a zero is never chosen); a sum hidden either way is anything in its
domain. The markers differ on purpose: "fewer than 11" on a cell of 40 would be false.

Several measures with the same cells and groups (the ROI's admissions, days and ED
visits, all over one cohort) share one pattern (`suppress(measures=…)`): a month hidden for
one is hidden for all, else the difference between them would give it away.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np

THRESHOLD = 11  # DESIGN.md §4: a figure about fewer than 11 people is not published
CANDIDATES_TRIED = 12  # complementary cells tried, nearest and cheapest first, for each
SUM, DISTINCT, AT_MOST = "sum", "distinct", "at_most"
FEWER, COMPLEMENT = "fewer", "complement"
INF = math.inf

Key = Hashable
# The callers' own cell keys (a label, a (CHW, period) pair): what they pass comes back.
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Group:
    parent: Key
    children: tuple[Key, ...]
    relation: str = SUM


@dataclass(frozen=True)
class Measure:
    """One figure's values by cell. `counts_people`: the value is itself a count of people
    (hidden ones are 1–10 or 11+, see the module docstring); else a sum whose values lie
    in [low, ∞)."""

    values: Mapping[Any, float]  # by cell key, any hashable (Mapping is invariant in it)
    counts_people: bool = True
    low: float = 0.0


def primary(people: Mapping[K, int]) -> dict[K, str]:
    """The cells about 1 to 10 people."""
    return {key: FEWER for key, n in people.items() if 0 < n < THRESHOLD}


# -- interval propagation ---------------------------------------------------------------

_RELATIONS = {SUM: 0, DISTINCT: 1, AT_MOST: 2}
MAX_ROUNDS = 10_000  # rounds of propagation; integer bounds move by 1 at least, so it ends


class _Net:
    """One measure's groups as index arrays, for interval propagation in numpy: every
    group is narrowed at once from the same bounds, round after round, until nothing
    moves. The fixpoint is the one of narrowing group by group (the narrowing is
    monotone); a program of 400 CHWs (6,817 cells, 2,022 groups) takes milliseconds."""

    def __init__(self, measure: Measure, groups: Sequence[Group]):
        self.measure = measure
        self.keys = list(measure.values)
        self.index = {key: n for n, key in enumerate(self.keys)}
        self.values = np.array([float(measure.values[k]) for k in self.keys])
        kept = [g for g in groups if g.children and all(m in self.index for m in _members(g))]
        self.groups = kept
        sizes = np.array([len(g.children) for g in kept], dtype=np.int64)
        self.parent = np.array([self.index[g.parent] for g in kept], dtype=np.int64)
        self.child = np.array([self.index[c] for g in kept for c in g.children], dtype=np.int64)
        self.edge = np.repeat(np.arange(len(kept)), sizes)  # each child's group
        self.first = (np.cumsum(sizes) - sizes).astype(np.int64)  # each group's first child
        relation = np.array([_RELATIONS[g.relation] for g in kept], dtype=np.int64)
        self.distinct, self.at_most = relation == 1, relation == 2

    def start(self, hidden: Mapping[Key, str]) -> tuple[np.ndarray, np.ndarray]:
        """Published cells at their value; hidden ones at what a reader may assume."""
        lo, hi = self.values.copy(), self.values.copy()
        for key, reason in hidden.items():
            n = self.index.get(key)
            if n is not None:
                lo[n], hi[n] = _assumed(self.measure, reason)
        return lo, hi

    def propagate(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.groups:
            return lo, hi
        parent, child, edge, first = self.parent, self.child, self.edge, self.first
        distinct, at_most = self.distinct, self.at_most
        for _round in range(MAX_ROUNDS):
            c_lo, c_hi = lo[child], hi[child]
            lo_inf, hi_inf = np.isinf(c_lo), np.isinf(c_hi)
            # Sums of the children with infinite bounds counted apart (∞ − ∞ is no number).
            finite_lo = np.add.reduceat(np.where(lo_inf, 0.0, c_lo), first)
            finite_hi = np.add.reduceat(np.where(hi_inf, 0.0, c_hi), first)
            n_lo_inf = np.add.reduceat(lo_inf.astype(np.int64), first)
            n_hi_inf = np.add.reduceat(hi_inf.astype(np.int64), first)
            sum_lo = np.where(n_lo_inf > 0, -INF, finite_lo)
            sum_hi = np.where(n_hi_inf > 0, INF, finite_hi)
            p_lo, p_hi = lo[parent], hi[parent]
            # The parent: between the children's sums (DISTINCT: at least the largest).
            lowest = np.where(distinct, np.maximum.reduceat(c_lo, first), sum_lo)
            new_p_lo = np.maximum(p_lo, lowest)
            new_p_hi = np.where(at_most, p_hi, np.minimum(p_hi, sum_hi))
            # A child: the parent less the other children.
            others_hi = np.where(
                n_hi_inf[edge] - hi_inf > 0, INF, finite_hi[edge] - np.where(hi_inf, 0.0, c_hi)
            )
            others_lo = np.where(
                n_lo_inf[edge] - lo_inf > 0, -INF, finite_lo[edge] - np.where(lo_inf, 0.0, c_lo)
            )
            new_c_lo = np.where(at_most[edge], c_lo, np.maximum(c_lo, p_lo[edge] - others_hi))
            top = np.where(distinct[edge], p_hi[edge], p_hi[edge] - others_lo)
            new_c_hi = np.minimum(c_hi, top)
            next_lo, next_hi = lo.copy(), hi.copy()
            np.maximum.at(next_lo, parent, new_p_lo)
            np.minimum.at(next_hi, parent, new_p_hi)
            np.maximum.at(next_lo, child, new_c_lo)
            np.minimum.at(next_hi, child, new_c_hi)
            # Figures that contradict each other narrow nothing (never true figures).
            sound = next_lo <= next_hi
            next_lo, next_hi = np.where(sound, next_lo, lo), np.where(sound, next_hi, hi)
            if np.array_equal(next_lo, lo) and np.array_equal(next_hi, hi):
                break
            lo, hi = next_lo, next_hi
        return lo, hi

    def bounds(self, hidden: Mapping[Key, str]) -> tuple[np.ndarray, np.ndarray]:
        return self.propagate(*self.start(hidden))


def _members(group: Group) -> tuple[Key, ...]:
    return (group.parent, *group.children)


def _assumed(measure: Measure, reason: str) -> tuple[float, float]:
    """What a reader may assume about a hidden cell (module docstring)."""
    if measure.counts_people:
        return (1.0, THRESHOLD - 1.0) if reason == FEWER else (float(THRESHOLD), INF)
    return measure.low, INF


def bounds(
    measure: Measure, groups: Sequence[Group], hidden: Mapping[Any, str]
) -> dict[Key, tuple[float, float]]:
    """Each cell's interval as the published cells allow (published cells: their value).

    Interval propagation over the groups until nothing narrows (no linear programming:
    the intervals may be wider than the exact ones, never narrower)."""
    net = _Net(measure, groups)
    lo, hi = net.bounds(hidden)
    return {key: (float(lo[n]), float(hi[n])) for n, key in enumerate(net.keys)}


def exposed(
    measures: Iterable[Measure], groups: Sequence[Group], hidden: Mapping[Any, str]
) -> list[Key]:
    """Hidden cells whose value the published cells pin down (their bounds meet)."""
    return _exposed([_Net(m, groups) for m in measures], hidden)[0]


Boxes = list[tuple[np.ndarray, np.ndarray]]


def _exposed(nets: Sequence[_Net], hidden: Mapping[Key, str]) -> tuple[list[Key], Boxes]:
    found: list[Key] = []
    boxes = [net.bounds(hidden) for net in nets]
    for net, (lo, hi) in zip(nets, boxes, strict=True):
        for key in hidden:
            n = net.index.get(key)
            if n is not None and lo[n] == hi[n] and key not in found:
                found.append(key)
    return found, boxes


# -- suppression ------------------------------------------------------------------------


def suppress(
    *,
    people: Mapping[K, int],
    groups: Sequence[Group],
    measures: Sequence[Measure] | None = None,
    order: Sequence[K] | None = None,
) -> dict[K, str]:
    """The hidden cells, each with its reason (FEWER or COMPLEMENT); the others publish.

    `people`: how many people each cell is about (for a count of people, its value).
    `measures`: the figures sharing the pattern (default: `people` itself, a count).
    `order`: tie-break among equal candidates (default: the order of `people`)."""
    measures = list(measures) if measures else [Measure(values=people)]
    memo = (
        tuple(people.items()),
        tuple(groups),
        tuple((tuple(m.values.items()), m.counts_people, m.low) for m in measures),
        tuple(order or ()),
    )
    if memo in _MEMO:
        return dict(_MEMO[memo])
    # The hidden cells are cells of `people`: their keys are the caller's.
    hidden = cast("dict[K, str]", _Suppression(people, groups, measures, order).run())
    _MEMO[memo] = dict(hidden)
    while len(_MEMO) > MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    return hidden


# The same figures give the same pattern: every leader request of a period computes its
# year's grid, and most find it unchanged since the last one (a pure function, memoized).
MEMO_SIZE = 256
_MEMO: dict = {}


class _Suppression:
    """Primary suppression, then complements in two steps:

    1. Lone cells: a SUM group with exactly one hidden cell gives it away (the parent less
       the others), so one more of its published cells goes: the one about the fewest
       people, preferring one whose other SUM groups hide a cell already (it is left
       alone nowhere). Cheap, and most of the work on a large grid.
    2. The rest, one cell at a time: while propagation pins a hidden cell, hide the
       published cell whose hiding frees it, trying the cells of the groups that pin it
       (cheapest first), then those of the groups pinning their hidden cells in turn (a
       month pinned by its quarter, the quarter by its year), until `CANDIDATES_TRIED`
       are gathered; the cheapest of them that frees it goes; if none does, the cheapest
       of the nearest, and the loop goes on.
       Each try is one propagation: milliseconds on a program of 400 CHWs."""

    def __init__(self, people, groups, measures, order):
        self.people = people
        self.groups = list(groups)
        self.rank = {key: n for n, key in enumerate(order or list(people))}
        self.nets = [_Net(m, groups) for m in measures]
        self.member_of: dict[Key, list[Group]] = {}
        for group in self.groups:
            for member in _members(group):
                self.member_of.setdefault(member, []).append(group)

    def cheapest(self, cells: Iterable[Key]) -> list[Key]:
        return sorted(cells, key=lambda m: (self.people[m], self.rank.get(m, 0)))

    def publishable(self, cells: Iterable[Key], hidden: Mapping[Key, str]) -> set[Key]:
        """Cells that may be hidden to protect another: published, about somebody."""
        return {m for m in cells if m not in hidden and self.people.get(m, 0) > 0}

    def run(self) -> dict[Key, str]:
        hidden = primary(self.people)
        self.hide_lone_cells(hidden)
        while True:
            pinned, boxes = _exposed(self.nets, hidden)
            if not pinned:
                return hidden
            choice = self.freeing(pinned[0], hidden, boxes)
            if choice is None:
                return hidden  # nothing published is left to hide
            hidden[choice] = COMPLEMENT

    def freeing(self, key: Key, hidden: Mapping[Key, str], boxes: Boxes) -> Key | None:
        """The published cell to hide for `key` (module and class docstrings)."""
        tries: list[Key] = []
        nearest: list[Key] = []
        # What is published and assumed, before propagation: the same for every cell of
        # every ring, so computed once here.
        starts = [net.start(hidden) for net in self.nets]
        for ring in self.rings(key, hidden, starts, boxes):
            ranked = self.cheapest(ring)
            nearest = nearest or ranked
            tries += ranked[: CANDIDATES_TRIED - len(tries)]
            if len(tries) >= CANDIDATES_TRIED:
                break
        # Cheapest first across the rings gathered: a month of 12 people two groups away
        # before the year of 32 that pins the cell directly.
        for cell in self.cheapest(tries):
            if key not in _exposed(self.nets, {**hidden, cell: COMPLEMENT})[0]:
                return cell
        if not nearest:
            everything = (m for g in self.groups for m in _members(g))
            nearest = self.cheapest(self.publishable(everything, hidden))
        return nearest[0] if nearest else None

    def hide_lone_cells(self, hidden: dict[Key, str]) -> None:
        sums = [
            g
            for g in self.groups
            if g.relation == SUM and all(m in self.people for m in _members(g))
        ]

        def hides_one(group: Group) -> bool:
            return any(m in hidden for m in _members(group))

        def leaves_none_alone(cell: Key, group: Group) -> bool:
            return all(
                hides_one(other)
                for other in self.member_of.get(cell, ())
                if other is not group and other.relation == SUM
            )

        moved = True
        while moved:
            moved = False
            for group in sums:
                if sum(m in hidden for m in _members(group)) != 1:
                    continue
                ranked = self.cheapest(self.publishable(_members(group), hidden))
                if not ranked:
                    continue
                choice = next(
                    (m for m in ranked[:CANDIDATES_TRIED] if leaves_none_alone(m, group)),
                    ranked[0],
                )
                hidden[choice] = COMPLEMENT
                moved = True

    def rings(
        self, key: Key, hidden: Mapping[Key, str], starts: Boxes, boxes: Boxes
    ) -> Iterator[set]:
        """The published cells that may free `key`, nearest first: those of the groups
        pinning it; then those of the groups pinning their hidden cells in turn (a month
        pinned by its quarter, the quarter by its year)."""
        seen_cells, seen_groups, ring = {key}, set(), [key]
        while ring:
            groups = {
                g
                for cell in ring
                for g in self.pinning(cell, hidden, starts, boxes)
                if g not in seen_groups
            }
            seen_groups |= groups
            members = {m for g in groups for m in _members(g)}
            candidates = self.publishable(members, hidden)
            if candidates:
                yield candidates
            ring = [m for m in members - seen_cells if m in hidden]
            seen_cells |= set(ring)

    def pinning(
        self, key: Key, hidden: Mapping[Key, str], starts: Boxes, boxes: Boxes
    ) -> list[Group]:
        """The groups of `key` that alone pin it: from what is published and assumed of
        their other cells; else from those cells' narrowed bounds (which `key` may have
        narrowed itself); else all of its groups."""
        groups = self.member_of.get(key, [])
        for bounds_of_others in (starts, boxes):
            found: list[Group] = []
            for net, (lo, hi) in zip(self.nets, bounds_of_others, strict=True):
                if key not in net.index:
                    continue
                own_lo, own_hi = _assumed(net.measure, hidden[key])
                for group in groups:
                    if group in found or any(m not in net.index for m in _members(group)):
                        continue
                    low, high = _implied(group, key, net.index, lo, hi)
                    if max(low, own_lo) == min(high, own_hi):
                        found.append(group)
            if found:
                return found
        return groups


def _implied(group: Group, key: Key, index, lo, hi) -> tuple[float, float]:
    """The interval `group` alone gives `key`, from its other cells' bounds."""
    if key == group.parent:
        los = [lo[index[c]] for c in group.children]
        his = [hi[index[c]] for c in group.children]
        if group.relation == SUM:
            return sum(los), sum(his)
        if group.relation == DISTINCT:
            return max(los), sum(his)
        return sum(los), INF
    others = [index[c] for c in group.children if c != key]
    p_lo, p_hi = lo[index[group.parent]], hi[index[group.parent]]
    o_lo, o_hi = sum(lo[n] for n in others), sum(hi[n] for n in others)
    if group.relation == SUM:
        return p_lo - o_hi, p_hi - o_lo
    if group.relation == DISTINCT:
        return p_lo - o_hi, p_hi
    return -INF, p_hi - o_lo


def tree_groups(tree: Mapping[Key, Sequence[Key]], relation: str = SUM) -> list[Group]:
    """Groups from {parent: children}."""
    return [
        Group(parent, tuple(children), relation) for parent, children in tree.items() if children
    ]
