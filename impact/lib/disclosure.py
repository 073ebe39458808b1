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
   about nobody) whose hiding frees it, so the least information is given up.

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
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 11  # DESIGN.md §4: a figure about fewer than 11 people is not published
CANDIDATES_TRIED = 4  # complementary cells tried, cheapest first, before taking the cheapest
SUM, DISTINCT, AT_MOST = "sum", "distinct", "at_most"
FEWER, COMPLEMENT = "fewer", "complement"
INF = math.inf

Key = Hashable


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

    values: Mapping[Key, float]
    counts_people: bool = True
    low: float = 0.0


def primary(people: Mapping[Key, int]) -> dict[Key, str]:
    """The cells about 1 to 10 people."""
    return {key: FEWER for key, n in people.items() if 0 < n < THRESHOLD}


def _start(measure: Measure, key: Key, hidden: Mapping[Key, str]) -> tuple[float, float]:
    if key not in hidden:
        value = float(measure.values[key])
        return value, value
    if measure.counts_people:
        return (1.0, THRESHOLD - 1.0) if hidden[key] == FEWER else (float(THRESHOLD), INF)
    return measure.low, INF


def bounds(
    measure: Measure, groups: Sequence[Group], hidden: Mapping[Key, str]
) -> dict[Key, tuple[float, float]]:
    """Each cell's interval as the published cells allow (published cells: their value).

    Interval propagation over the groups until nothing narrows (no linear programming:
    the intervals may be wider than the exact ones, never narrower)."""
    keys = set(measure.values)
    box = {key: _start(measure, key, hidden) for key in keys}
    for _round in range(100):
        moved = False
        for group in groups:
            members = [group.parent, *group.children]
            if any(m not in box for m in members):
                continue
            los = [box[c][0] for c in group.children]
            his = [box[c][1] for c in group.children]
            sum_lo, sum_hi = sum(los), sum(his)
            updates: dict[Key, tuple[float, float]] = {}
            p_lo, p_hi = box[group.parent]
            if group.relation == SUM:
                updates[group.parent] = (max(p_lo, sum_lo), min(p_hi, sum_hi))
            elif group.relation == DISTINCT:
                updates[group.parent] = (max(p_lo, max(los, default=0.0)), min(p_hi, sum_hi))
            else:
                updates[group.parent] = (max(p_lo, sum_lo), p_hi)
            for i, child in enumerate(group.children):
                c_lo, c_hi = box[child]
                others_hi = sum_hi - his[i] if his[i] != INF else sum(his[:i] + his[i + 1 :])
                others_lo = sum_lo - los[i] if los[i] != -INF else sum(los[:i] + los[i + 1 :])
                new_lo = max(c_lo, p_lo - others_hi) if group.relation != AT_MOST else c_lo
                if group.relation == DISTINCT:
                    new_hi = min(c_hi, p_hi)
                else:
                    new_hi = min(c_hi, p_hi - others_lo)
                updates[child] = (new_lo, new_hi)
            for key, (lo, hi) in updates.items():
                new = (max(lo, box[key][0]), min(hi, box[key][1]))
                if new != box[key] and new[0] <= new[1]:
                    box[key] = new
                    moved = True
        if not moved:
            break
    return box


def exposed(
    measures: Iterable[Measure], groups: Sequence[Group], hidden: Mapping[Key, str]
) -> list[Key]:
    """Hidden cells whose value the published cells pin down (their bounds meet)."""
    found: list[Key] = []
    for measure in measures:
        box = bounds(measure, groups, hidden)
        for key in hidden:
            lo, hi = box.get(key, (-INF, INF))
            if lo == hi and key not in found:
                found.append(key)
    return found


def suppress(
    *,
    people: Mapping[Key, int],
    groups: Sequence[Group],
    measures: Sequence[Measure] | None = None,
    order: Sequence[Key] | None = None,
) -> dict[Key, str]:
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
    hidden = _suppress(people, groups, measures, order)
    _MEMO[memo] = dict(hidden)
    while len(_MEMO) > MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    return hidden


# The same figures give the same pattern: every leader request of a period computes its
# year's grid, and most find it unchanged since the last one (a pure function, memoized).
MEMO_SIZE = 256
_MEMO: dict = {}


def _suppress(people, groups, measures, order) -> dict[Key, str]:
    rank = {key: n for n, key in enumerate(order or list(people))}
    hidden = primary(people)
    while True:
        pinned = exposed(measures, groups, hidden)
        if not pinned:
            return hidden
        key = pinned[0]
        candidates = {
            member
            for group in groups
            if key == group.parent or key in group.children
            for member in (group.parent, *group.children)
            if member not in hidden and people.get(member, 0) > 0
        }
        if not candidates:
            # Nothing left to hide around it: everything else in its groups is zero or
            # hidden already; hide every published cell of its groups' groups (rare).
            candidates = {
                member
                for group in groups
                for member in (group.parent, *group.children)
                if member not in hidden and people.get(member, 0) > 0
            }
            if not candidates:
                return hidden
        ranked = sorted(candidates, key=lambda m: (people[m], rank.get(m, 0)))
        # The cheapest of the first few cells whose hiding frees `key`; else the cheapest
        # (more will follow).
        choice = next(
            (
                m
                for m in ranked[:CANDIDATES_TRIED]
                if key not in exposed(measures, groups, {**hidden, m: COMPLEMENT})
            ),
            ranked[0],
        )
        hidden[choice] = COMPLEMENT


def tree_groups(tree: Mapping[Key, Sequence[Key]], relation: str = SUM) -> list[Group]:
    """Groups from {parent: children}."""
    return [
        Group(parent, tuple(children), relation) for parent, children in tree.items() if children
    ]
