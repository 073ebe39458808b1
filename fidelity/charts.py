"""The program's fidelity score (share of components met) across reviews."""

from __future__ import annotations

from django.utils.translation import gettext as _

from impact.lib.charts import figure, svg


def fidelity_trend_svg(trend) -> bytes:
    fig = figure()
    ax = fig.add_subplot()
    points = [(r.period_end, trend.scores[r.pk]) for r in trend.reviews]
    points = [(day, score) for day, score in points if score is not None]
    if points:
        days, scores = zip(*points, strict=True)
        ax.plot(days, [100 * s for s in scores], marker="o", color="#0a58ca", zorder=2)
        fig.autofmt_xdate()
    else:
        ax.text(0.5, 0.5, _("No reviews yet"), ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
    ax.axhspan(85, 100, color="#d1e7dd", zorder=0)
    ax.set_ylim(0, 100)
    ax.set_ylabel(_("Components met (%)"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return svg(fig)
