"""Colours the product draws itself (static/css/app.css) keep WCAG AA contrast, 4.5:1 for
text, without a browser: the caseload bars, the burnout-risk levels and the navigation
bar. tests/e2e/test_accessibility.py checks whole pages with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
WHITE, BLACK = "#ffffff", "#000000"


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(prefix: str) -> dict[str, tuple[str, str]]:
    """Each `.prefix…` rule: (background, text colour; white unless the rule says)."""
    found = {}
    for name, body in re.findall(rf"\.({prefix}[\w-]+) \{{([^}}]*)\}}", CSS):
        background = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", body)
        text = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        if background:
            found[name] = (background.group(1), text.group(1) if text else WHITE)
    return found


def test_the_css_defines_the_colours_checked_here():
    assert len(rules("bucket-")) == 5
    assert len(rules("level-")) == 3


@pytest.mark.parametrize("name", sorted({**rules("bucket-"), **rules("level-")}))
def test_bars_and_levels_keep_their_text_readable(name):
    background, text = {**rules("bucket-"), **rules("level-")}[name]
    assert contrast(background, text) >= 4.5, (name, background, text)


def test_the_navigation_bar_is_dark_enough_for_white_links():
    rule = re.search(r"\.navbar\.bg-primary \{([^}]*)\}", CSS)
    assert rule is not None
    colour = re.search(r"background-color:\s*(#[0-9a-fA-F]{6})", rule.group(1))
    assert colour is not None
    background = colour.group(1)
    assert contrast(background, WHITE) >= 4.5
    # The links are 90% white over the bar: still above 4.5:1.
    assert contrast(background, "#e7edf7") >= 4.5


def test_the_contrast_function_matches_wcags_examples():
    assert round(contrast(WHITE, BLACK), 1) == 21.0
    assert round(contrast(WHITE, "#767676"), 1) == 4.5  # the lightest grey that passes
