"""Counts of people in leader breakdowns (DESIGN.md §4): under 11 hidden, and a second
cell hidden when one alone would be worked out from a total shown elsewhere."""

from __future__ import annotations

import pytest

from reports.figures import suppress, suppress_column


@pytest.mark.parametrize(("value", "shown"), [(0, 0), (1, "<11"), (10, "<11"), (11, 11)])
def test_a_single_count_is_hidden_from_1_to_10(value, shown):
    assert suppress(value) == shown


def test_one_hidden_cell_hides_the_smallest_shown_one_too():
    # 11 + 12 + 2 = 25: with only the 2 hidden, 25 − 11 − 12 would give it away; hiding
    # the 11 as well leaves 13 to split between two hidden cells.
    assert suppress_column([12, 11, 2]) == [12, "<11", "<11"]


def test_two_hidden_cells_need_nothing_more():
    assert suppress_column([3, 4, 20]) == ["<11", "<11", 20]


def test_zeros_are_shown_and_never_chosen_as_the_second_cell():
    assert suppress_column([0, 15, 12, 0]) == [0, 15, 12, 0]
    assert suppress_column([0, 5, 30]) == [0, "<11", "<11"]
