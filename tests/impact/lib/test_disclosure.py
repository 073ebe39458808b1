"""Disclosure control (DESIGN.md §4): primary and complementary suppression over a grid,
with every expected pattern and interval worked out by hand in the comments."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from impact.lib.disclosure import (
    AT_MOST,
    COMPLEMENT,
    DISTINCT,
    FEWER,
    INF,
    SUM,
    Group,
    Measure,
    bounds,
    suppress,
)

QUARTER = Group("Q", ("m1", "m2", "m3"), SUM)


def test_a_count_from_1_to_10_is_hidden_and_zero_and_11_are_published():
    people = {"Q": 11, "m1": 0, "m2": 11, "m3": 0}
    assert suppress(people=people, groups=[QUARTER]) == {}
    assert suppress(people={"x": 10}, groups=[]) == {"x": FEWER}
    assert suppress(people={"x": 1}, groups=[]) == {"x": FEWER}


def test_one_hidden_month_hides_the_smallest_other_cell_of_its_quarter():
    # 12 + 11 + 2 = 25: with only the 2 hidden, 25 − 12 − 11 gives it away. Hiding the 11
    # (the published cell about the fewest people) leaves m2 + m3 = 13 with m3 in 1..10
    # and m2 at least 11: m3 in [1, 2], m2 in [11, 12]. Neither is pinned.
    people = {"Q": 25, "m1": 12, "m2": 11, "m3": 2}
    hidden = suppress(people=people, groups=[QUARTER])
    assert hidden == {"m3": FEWER, "m2": COMPLEMENT}
    box = bounds(Measure(people), [QUARTER], hidden)
    assert box["m3"] == (1, 2)
    assert box["m2"] == (11, 12)


def test_two_ones_whose_sum_is_2_are_protected_by_a_third_cell():
    # m1 = m2 = 1, m3 = 20, Q = 22: m1 + m2 = 2 with both at least 1 pins both to 1. So m3
    # (20, fewer people than Q's 22) is hidden too: m1 + m2 + m3 = 22, m3 ≥ 11, and m1 can
    # be anything from 1 to 10 again.
    people = {"Q": 22, "m1": 1, "m2": 1, "m3": 20}
    hidden = suppress(people=people, groups=[QUARTER])
    assert hidden == {"m1": FEWER, "m2": FEWER, "m3": COMPLEMENT}
    box = bounds(Measure(people), [QUARTER], hidden)
    assert box["m1"] == (1, 10)
    assert box["m3"] == (11, 20)


def test_a_hidden_quarter_made_of_one_month_hides_that_month_and_no_zero():
    # Q = 5 = m1; m2 = m3 = 0 are published as 0. Q hidden alone equals m1... m1 is 5 too,
    # so it is hidden by the primary rule already; the zeros stay.
    people = {"Q": 5, "m1": 5, "m2": 0, "m3": 0}
    assert suppress(people=people, groups=[QUARTER]) == {"Q": FEWER, "m1": FEWER}


def test_a_hidden_parent_with_published_children_is_hidden_with_one_child():
    # Q = 10 (1..10) made of 4 + 6 + 0 would be 4 + 6... the months are hidden too (primary),
    # and the year 40 = Q + 30 pins Q to 10 unless another quarter goes: the 30.
    year = Group("Y", ("Q", "Q2"), SUM)
    people = {"Y": 40, "Q": 10, "Q2": 30, "m1": 4, "m2": 6, "m3": 0}
    hidden = suppress(people=people, groups=[year, QUARTER])
    assert hidden == {"Q": FEWER, "m1": FEWER, "m2": FEWER, "Q2": COMPLEMENT}


def test_distinct_people_bounds_use_max_and_sum():
    # Patients served: Q = 12 distinct people over months 12, 0, 5. m3 (5) is hidden: from
    # Q ≤ m1 + m2 + m3, m3 ≥ 0; from m3 ≤ Q, m3 ≤ 12; with 1..10: [1, 10]. Not pinned.
    group = Group("Q", ("m1", "m2", "m3"), DISTINCT)
    people = {"Q": 12, "m1": 12, "m2": 0, "m3": 5}
    hidden = suppress(people=people, groups=[group])
    assert hidden == {"m3": FEWER}
    assert bounds(Measure(people), [group], hidden)["m3"] == (1, 10)


def test_distinct_parent_of_a_single_nonzero_child_is_pinned_and_protected():
    # Q = 8 and m1 = 8, both hidden: max ≤ Q ≤ sum only says Q = m1, never the value.
    group = Group("Q", ("m1", "m2", "m3"), DISTINCT)
    people = {"Q": 8, "m1": 8, "m2": 0, "m3": 0}
    hidden = suppress(people=people, groups=[group])
    assert hidden == {"Q": FEWER, "m1": FEWER}
    assert bounds(Measure(people), [group], hidden)["Q"] == (1, 10)


def test_at_most_relation_bounds_children_by_the_total_only_from_above():
    # CHW rows 3 and 20 under a total of 25 (2 more belong to a CHW who left): the 3 is
    # at most 25 − 20 = 5, and nothing bounds it from below but 1.
    group = Group("T", ("a", "b"), AT_MOST)
    people = {"T": 25, "a": 3, "b": 20}
    hidden = suppress(people=people, groups=[group])
    assert hidden == {"a": FEWER}
    assert bounds(Measure(people), [group], hidden)["a"] == (1, 5)


def test_a_sum_over_few_people_is_hidden_whatever_its_size_and_shares_its_pattern():
    # Admissions over the cohort of each month: m3's 2 people had 40 admissions (hidden:
    # about fewer than 11 people). Its quarter sum would give 40 away: m2 (11 people, the
    # fewest published) goes too, for both measures at once.
    people = {"Q": 25, "m1": 12, "m2": 11, "m3": 2}
    admissions = Measure({"Q": 70, "m1": 10, "m2": 20, "m3": 40}, counts_people=False)
    hidden = suppress(people=people, groups=[QUARTER], measures=[Measure(people), admissions])
    assert hidden == {"m3": FEWER, "m2": COMPLEMENT}
    assert bounds(admissions, [QUARTER], hidden)["m3"] == (0, 60)


def test_a_negative_sum_keeps_its_own_lower_bound():
    avoided = Measure({"Q": -3, "m1": 2, "m2": -5, "m3": 0}, counts_people=False, low=-INF)
    box = bounds(avoided, [QUARTER], {"m2": FEWER, "m3": COMPLEMENT})
    # m2 + m3 = −5: each unbounded below, m2 ≤ −5 − (−∞)…: nothing pins either.
    assert box["m2"][0] == -INF and box["m3"][0] == -INF


def test_only_whole_months_quarters_and_years_are_leader_periods():
    import datetime as dt

    from impact.lib.periods import MONTH, QUARTER, YEAR, Period, whole

    d = dt.date

    def exactly(start: dt.date, end: dt.date) -> Period:
        period = whole(start, end)
        assert period is not None
        return period

    assert exactly(d(2026, 9, 1), d(2026, 9, 30)).kind == MONTH
    assert exactly(d(2026, 10, 1), d(2026, 12, 31)).kind == QUARTER  # not the year 2026
    assert exactly(d(2026, 1, 1), d(2026, 12, 31)).kind == YEAR
    assert exactly(d(2026, 1, 1), d(2026, 3, 31)).label == "2026-Q1"
    assert exactly(d(2024, 2, 1), d(2024, 2, 29)).label == "2024-02"  # a leap February
    for start, end in [
        (d(2026, 9, 1), d(2026, 9, 29)),
        (d(2026, 9, 2), d(2026, 9, 30)),
        (d(2026, 2, 1), d(2026, 4, 30)),  # three months, not a quarter
        (d(2026, 7, 1), d(2026, 12, 31)),  # a half year
        (d(2026, 1, 1), d(2027, 12, 31)),
        (d(2026, 9, 30), d(2026, 9, 1)),
    ]:
        assert whole(start, end) is None, (start, end)


def test_a_month_pinned_by_its_quarter_pinned_by_its_year_frees_the_year_not_a_neighbour():
    # CHW a: year 47 = Q1 12 + Q2 15 + Q3 0 + Q4 20; Q4 = Oct 10 + Nov 10 + Dec 0. The
    # program's October: 26 = a 10 + b 11 + c 5. Oct and Nov (10 each, hidden) add up to
    # the published 20: both pinned by their quarter alone. Hiding b's October (11, the
    # cheapest cell of their groups) frees nothing, so it stays published. Hiding Q4
    # frees nothing either (47 − 12 − 15 − 0 gives it back) but nothing else of the
    # quarter can go; its year can: Q1 (12, cheaper than Q2's 15). Then Q1 + Q4 = 32
    # with both 11 or more: Q4 in [11, 21], and Q4 = Oct + Nov ≤ 20: Q4 in [11, 20],
    # Q1 in [12, 21]; October: 26 − 11 − c, c in 1..10: a's October in [5, 10].
    year = Group("aY", ("aQ1", "aQ2", "aQ3", "aQ4"), SUM)
    q4 = Group("aQ4", ("aOct", "aNov", "aDec"), SUM)
    october = Group("Oct", ("aOct", "bOct", "cOct"), SUM)
    people = {
        **{"aOct": 10, "aNov": 10, "aDec": 0, "cOct": 5, "bOct": 11, "Oct": 26},
        **{"aQ4": 20, "aQ1": 12, "aQ2": 15, "aQ3": 0, "aY": 47},
    }
    hidden = suppress(people=people, groups=[year, q4, october])
    assert hidden == {
        "aOct": FEWER,
        "aNov": FEWER,
        "cOct": FEWER,
        "aQ4": COMPLEMENT,
        "aQ1": COMPLEMENT,
    }
    box = bounds(Measure(people), [year, q4, october], hidden)
    assert box["aOct"] == (5, 10)
    assert box["aQ4"] == (11, 20)
    assert box["aQ1"] == (12, 21)


# -- the propagation against its definition, on random grids --------------------------------


def _reference_bounds(measure, groups, hidden):
    """The definition of `bounds`: each group narrows its cells in turn, until nothing
    moves (as the module docstring states it, in plain Python)."""
    box = {}
    for key, value in measure.values.items():
        if key not in hidden:
            box[key] = (value, value)
        elif measure.counts_people:
            box[key] = (1, 10) if hidden[key] == FEWER else (11, INF)
        else:
            box[key] = (measure.low, INF)
    moved = True
    while moved:
        moved = False
        for g in groups:
            (p_lo, p_hi), kids = box[g.parent], [box[c] for c in g.children]
            sum_lo, sum_hi = sum(lo for lo, _ in kids), sum(hi for _, hi in kids)
            if g.relation == DISTINCT:
                new = {g.parent: (max(lo for lo, _ in kids), sum_hi)}
            else:
                new = {g.parent: (sum_lo, sum_hi if g.relation == SUM else INF)}
            for c in g.children:
                others_lo = sum(b[0] for d, b in zip(g.children, kids, strict=True) if d != c)
                others_hi = sum(b[1] for d, b in zip(g.children, kids, strict=True) if d != c)
                low = -INF if g.relation == AT_MOST else p_lo - others_hi
                high = p_hi if g.relation == DISTINCT else p_hi - others_lo
                new[c] = (low, high)
            for key, (lo, hi) in new.items():
                narrowed = (max(lo, box[key][0]), min(hi, box[key][1]))
                if narrowed != box[key]:
                    box[key], moved = narrowed, True
    return box


def _chw_grid(counts: list[list[int]], relation: str):
    """CHWs × three months, each CHW's quarter, the program's months and quarter."""
    people: dict[tuple[int | str, int | str], int] = {}
    groups: list[Group] = []
    for chw, months in enumerate(counts):
        for m, n in enumerate(months):
            people[(chw, m)] = n
        people[(chw, "Q")] = sum(months)
        groups.append(Group((chw, "Q"), tuple((chw, m) for m in range(3)), SUM))
    for m in range(3):
        people[("all", m)] = sum(months[m] for months in counts)
        groups.append(Group(("all", m), tuple((chw, m) for chw in range(len(counts))), relation))
    people[("all", "Q")] = sum(map(sum, counts))
    groups.append(Group(("all", "Q"), tuple(("all", m) for m in range(3)), SUM))
    groups.append(Group(("all", "Q"), tuple((chw, "Q") for chw in range(len(counts))), relation))
    return people, groups


GRIDS = st.lists(
    st.lists(st.integers(min_value=0, max_value=25), min_size=3, max_size=3),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(counts=GRIDS, relation=st.sampled_from([SUM, AT_MOST]), seed=st.randoms())
def test_bounds_equal_the_group_by_group_definition_on_random_grids(counts, relation, seed):
    people, groups = _chw_grid(counts, relation)
    hidden = {k: FEWER for k, n in people.items() if 0 < n < 11}
    hidden |= {k: COMPLEMENT for k, n in people.items() if n >= 11 and seed.random() < 0.3}
    measure = Measure(people)
    assert bounds(measure, groups, hidden) == _reference_bounds(measure, groups, hidden)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(counts=GRIDS, relation=st.sampled_from([SUM, AT_MOST]))
def test_no_hidden_cell_of_a_random_grid_is_pinned_by_the_definition(counts, relation):
    people, groups = _chw_grid(counts, relation)
    hidden = suppress(people=people, groups=groups)
    assert {k for k, n in people.items() if 0 < n < 11} <= set(hidden)
    assert all(people[k] > 0 for k in hidden)  # a zero is never hidden
    box = _reference_bounds(Measure(people), groups, hidden)
    assert [k for k in hidden if box[k][0] == box[k][1]] == []
