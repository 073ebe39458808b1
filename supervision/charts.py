"""The burnout-risk trend chart: flags per weekly snapshot against the level bands."""

from __future__ import annotations

from django.utils.translation import gettext as _

from impact.lib.charts import figure, svg
from supervision.models import BurnoutSnapshot

BANDS = [  # (from, to, colour): flag counts of low, elevated, high (DESIGN.md §5.2)
    (0, 1.5, "#d1e7dd"),
    (1.5, 3.5, "#fff3cd"),
    (3.5, 11, "#f8d7da"),
]


def burnout_trend_svg(snapshots: list[BurnoutSnapshot]) -> bytes:
    """12 weeks of one CHW's flag count, oldest first, on green/amber/red level bands."""
    fig = figure()
    ax = fig.add_subplot()
    for low, high, colour in BANDS:
        ax.axhspan(low, high, color=colour, zorder=0)
    top = max([5, *(s.flag_count + 1 for s in snapshots)])
    if snapshots:
        days = [s.as_of for s in snapshots]
        flags = [s.flag_count for s in snapshots]
        # matplotlib plots dates through its units registry; its stubs take numbers only.
        ax.plot(days, flags, marker="o", color="#0a58ca", zorder=2)  # type: ignore[arg-type]
        if len(days) > 1:
            ax.set_xlim(min(days), max(days))  # type: ignore[arg-type]
        ax.tick_params(axis="x", labelrotation=0, labelsize=8)
        fig.autofmt_xdate()
    else:
        ax.text(0.5, 0.5, _("No snapshots yet"), ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
    ax.set_ylim(0, top)
    ax.set_ylabel(_("Factors flagged"))
    ax.text(1.01, 0.75, _("low"), transform=ax.get_yaxis_transform(), fontsize=8, va="center")
    ax.text(1.01, 2.5, _("elevated"), transform=ax.get_yaxis_transform(), fontsize=8, va="center")
    ax.text(1.01, 4.5, _("high"), transform=ax.get_yaxis_transform(), fontsize=8, va="center")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return svg(fig)
