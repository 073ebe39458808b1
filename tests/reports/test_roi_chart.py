"""The ROI sensitivity chart is built once (`charts.roi_sensitivity_figure`) and served
in every format: SVG on the ROI page, PNG inside the PDF."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from impact.lib.charts import png, svg
from reports import charts
from reports.disclosed import FEWER
from reports.roi import figures as roi


def published(*, hidden=False, computable=True):
    """The parts of a PublishedRoi the chart reads: attribution 0.5…1.0, gross ROI 1.0…2.0."""
    rows = [
        {"attribution": a, "gross_roi": FEWER if hidden else (2 * a if computable else None)}
        for a in roi.SENSITIVITY
    ]
    return SimpleNamespace(
        sensitivity=rows, use_hidden=FEWER if hidden else None, computable=computable
    )


def texts(fig) -> list[str]:
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_legend().texts]


def test_the_line_runs_through_each_attribution():
    fig = charts.roi_sensitivity_figure(published())
    line = fig.axes[0].lines[0]
    assert np.asarray(line.get_xdata()).tolist() == [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert np.asarray(line.get_ydata()).tolist() == [
        1.0,
        1.2,
        1.4,
        1.6,
        1.8,
        2.0,
    ]  # 2 × attribution
    assert "This program (gross ROI)" in texts(fig)


@pytest.mark.parametrize(
    ("kwargs", "note"),
    [
        ({"hidden": True}, "Hidden: fewer than 11 people, or it would reveal a hidden period"),
        ({"computable": False}, "Not computable: enter the program's costs"),
    ],
)
def test_no_line_but_a_note_when_hidden_or_not_computable(kwargs, note):
    fig = charts.roi_sensitivity_figure(published(**kwargs))
    assert note in texts(fig)
    assert all(line.get_label() != "This program (gross ROI)" for line in fig.axes[0].lines)


def test_the_same_figure_renders_as_svg_and_png():
    assert b"<svg" in svg(charts.roi_sensitivity_figure(published()))
    assert png(charts.roi_sensitivity_figure(published())).startswith(b"\x89PNG")
