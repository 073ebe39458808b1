"""The overview's charts: matplotlib's object-oriented API (a Figure per request, never
pyplot), served as SVG images by URL."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from fidelity.charts import fidelity_trend_svg
from impact.lib.charts import figure, svg

CONTACTS = "#0a58ca"
ENROLLED = "#198754"
ACTIVE = "#6c757d"


def _plain_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def monthly_svg(months: pd.DataFrame) -> bytes:
    """Contacts per month (bars, left) and new enrollments and patients active at month
    end (right), one panel each so neither scale flattens the other."""
    fig = figure(width=8, height=3)
    contacts, people = fig.subplots(1, 2)
    if months.empty:
        for ax in (contacts, people):
            ax.text(0.5, 0.5, _("No data"), ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
            ax.set_yticks([])
        return svg(fig)
    labels = list(months["month"])
    x = range(len(labels))
    step = max(1, len(labels) // 12)  # at most about a dozen labels on the axis
    contacts.bar(x, months["contacts"], color=CONTACTS)
    contacts.set_title(_("Contacts"), fontsize=10)
    people.bar(x, months["enrollments"], color=ENROLLED, label=_("New enrollments"))
    people.plot(
        x,
        months["active_at_month_end"],
        color=ACTIVE,
        marker="o",
        label=_("Active at month end"),
    )
    people.set_title(_("Enrollments"), fontsize=10)
    people.legend(fontsize=8, frameon=False, loc="upper left", ncols=2)
    for ax in (contacts, people):
        ax.set_xticks(list(x)[::step], labels[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylim(bottom=0)
        ax.yaxis.get_major_locator().set_params(integer=True)
        _plain_axes(ax)
    # Head room above the tallest mark for the legend.
    tallest = max(months["enrollments"].max(), months["active_at_month_end"].max(), 1)
    people.set_ylim(0, tallest * 1.35)
    return svg(fig)


def fidelity_svg(trend) -> bytes:
    """The fidelity score (share of components met) across final reviews: the fidelity
    app's own chart, so both pages draw the same picture."""
    return fidelity_trend_svg(trend)
