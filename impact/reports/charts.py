"""The overview's charts: matplotlib's object-oriented API (a Figure per request, never
pyplot), served as SVG images by URL."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from fidelity.charts import fidelity_trend_svg
from impact.lib.charts import figure, svg

CONTACTS = "#0a58ca"
ENROLLED = "#198754"
HIDDEN = "#adb5bd"


def _plain_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


MONTH_COLUMNS = [
    "month",
    "enrollments",
    "graduations",
    "contacts",
    "goals_achieved",
    "steps_done",
]


def _shown(values) -> list[float]:
    """A published column as numbers to plot: a hidden cell is NaN (no mark)."""
    return [float(v) if isinstance(v, int | float) else float("nan") for v in values]


def monthly_figure(months: pd.DataFrame | list[dict]) -> Figure:
    """Contacts per month (bars, left: events, shown as they are) and new enrollments
    (right: people), one panel each so neither scale flattens the other. No line of
    patients active at month end: leaders do not get that figure (`disclosed`).

    `months` is `figures.deidentify_by_month()` of the period: a month whose count of
    people is hidden ("<11") gets no bar and no point but a hatched, empty bar, and the
    legend says "<11 hidden", so the chart shows no figure the exports hide."""
    if isinstance(months, list):
        months = pd.DataFrame(months, columns=MONTH_COLUMNS)
    fig = figure(width=8, height=3)
    contacts, people = fig.subplots(1, 2)
    if months.empty:
        for ax in (contacts, people):
            ax.text(0.5, 0.5, _("No data"), ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
            ax.set_yticks([])
        return fig
    labels = list(months["month"])
    x = list(range(len(labels)))
    step = max(1, len(labels) // 12)  # at most about a dozen labels on the axis
    contacts.bar(x, _shown(months["contacts"]), color=CONTACTS)
    contacts.set_title(_("Contacts"), fontsize=10)
    enrolled = _shown(months["enrollments"])
    people.bar(x, enrolled, color=ENROLLED, label=_("New enrollments"))
    shown = [v for v in enrolled if v == v]
    tallest = max(shown + [1.0])
    hidden = [i for i in x if enrolled[i] != enrolled[i]]
    if hidden:
        # An empty hatched bar the height of the panel: "a count is here, not shown"; its
        # height says nothing about the count.
        people.bar(
            hidden,
            [tallest * 1.1] * len(hidden),
            fill=False,
            hatch="///",
            edgecolor=HIDDEN,
            linewidth=0,
            label=_("hidden (fewer than 11)"),
        )
    people.set_title(_("Enrollments"), fontsize=10)
    people.legend(fontsize=8, frameon=False, loc="upper left", ncols=3)
    for ax in (contacts, people):
        ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylim(bottom=0)
        ax.yaxis.get_major_locator().set_params(integer=True)
        _plain_axes(ax)
    # Head room above the tallest mark for the legend.
    people.set_ylim(0, tallest * 1.45)
    return fig


def monthly_svg(months: pd.DataFrame | list[dict]) -> bytes:
    """`monthly_figure` as an SVG image."""
    return svg(monthly_figure(months))


def fidelity_svg(trend) -> bytes:
    """The fidelity score (share of components met) across final reviews: the fidelity
    app's own chart, so both pages draw the same picture."""
    return fidelity_trend_svg(trend)
