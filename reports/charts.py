"""The leaders' charts: matplotlib's object-oriented API (a Figure per request, never
pyplot). Each figure is drawn once, by a `*_figure` function, and served in every format:
as an SVG image by URL on the pages, as a PNG inside the PDF export."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from fidelity.charts import fidelity_trend_svg
from impact.lib.charts import figure, svg
from reports.disclosed import PublishedRoi, hidden
from reports.roi import figures as roi

CONTACTS = "#0a58ca"
ENROLLED = "#198754"
HIDDEN = "#adb5bd"
PROGRAM_LINE = "#0a58ca"
TRIAL_LINE = "#198754"


def _text(label: str) -> str:
    """Chart text as written: matplotlib would read "$…$" as mathematics."""
    return label.replace("$", r"\$")


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

    `months` is `figures.deidentify_by_month()` of the period: a hidden month (about
    fewer than 11 people, or hidden to protect one) gets no bar but a hatched column the
    panel's height, in either panel, and the legend says "hidden", so the chart shows no
    figure the exports hide and no height that could be read as one."""
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
    shown_contacts = _shown(months["contacts"])
    contacts.bar(x, shown_contacts, color=CONTACTS)
    contacts.set_title(_("Contacts"), fontsize=10)
    enrolled = _shown(months["enrollments"])
    people.bar(x, enrolled, color=ENROLLED, label=_("New enrollments"))
    tallest = max([v for v in enrolled if v == v] + [1.0])
    for ax, values in ((contacts, shown_contacts), (people, enrolled)):
        hidden = [i for i in x if values[i] != values[i]]
        for n, i in enumerate(hidden):
            # A hatched column from the axis to the top: "a figure is here, not shown";
            # not a bar, so it has no height to read.
            ax.axvspan(
                i - 0.4,
                i + 0.4,
                fill=False,
                hatch="///",
                edgecolor=HIDDEN,
                linewidth=0,
                label=_("hidden") if n == 0 else None,
            )
    people.set_title(_("Enrollments"), fontsize=10)
    people.legend(fontsize=8, frameon=False, loc="upper left", ncols=3)
    if any(v != v for v in shown_contacts):
        contacts.legend(fontsize=8, frameon=False, loc="upper left")
        most = max([v for v in shown_contacts if v == v] + [1.0])
        contacts.set_ylim(0, most * 1.3)  # head room for the legend
    for ax in (contacts, people):
        ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylim(bottom=0)  # keeps a head room set above
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


def roi_sensitivity_figure(published: PublishedRoi) -> Figure:
    """Gross ROI at each attribution from 0.5 to 1.0 (DESIGN.md §5.4), against break-even
    and the trial's $2.47 per $1: the ROI page's chart and the PDF's. Returns hidden by
    disclosure control draw no line but a note; without costs, "not computable"."""
    fig = figure()
    ax = fig.add_subplot()
    is_hidden = published.use_hidden is not None
    points = [
        (float(row["attribution"]), float(row["gross_roi"]))
        for row in published.sensitivity
        if row["gross_roi"] is not None and not hidden(row["gross_roi"])
    ]
    returns = [] if is_hidden else [y for _x, y in points]
    if is_hidden:
        ax.text(
            0.5,
            0.5,
            _text(_("Hidden: fewer than 11 people, or it would reveal a hidden period")),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    elif published.computable:
        ax.plot(
            [x for x, _y in points],
            returns,
            marker="o",
            color=PROGRAM_LINE,
            label=_text(_("This program (gross ROI)")),
            zorder=2,
        )
        ax.axhline(1, color="#6c757d", linewidth=0.8, linestyle=":", label=_text(_("Break-even")))
    else:
        ax.text(
            0.5,
            0.5,
            _text(_("Not computable: enter the program's costs")),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    trial = float(roi.TRIAL_ROI)
    ax.axhline(
        trial, color=TRIAL_LINE, linestyle="--", label=_text(_("IMPaCT trial ($2.47 per $1)"))
    )
    ax.set_xlim(0.45, 1.05)
    shares = [float(a) for a in roi.SENSITIVITY]
    ax.set_xticks(shares, [f"{a:.0%}" for a in shares])
    ax.set_ylim(min([0.0, *returns]), max([trial, *returns]) * 1.15)
    ax.set_xlabel(_("Attribution (share of the change credited to the program)"))
    ax.set_ylabel(_text(_("$ returned per $1")))
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    _plain_axes(ax)
    return fig


def roi_sensitivity_svg(published: PublishedRoi) -> bytes:
    """`roi_sensitivity_figure` as an SVG image (the ROI page)."""
    return svg(roi_sensitivity_figure(published))
