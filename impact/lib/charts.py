"""Charts drawn with matplotlib's object-oriented API: a Figure per request, never pyplot
(whose global state would be shared between requests and threads). A figure is built
once and rendered in the format asked for: `svg` for a page, `png` for a PDF."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure


def figure(width: float = 6.4, height: float = 2.6) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    fig.patch.set_alpha(0)
    return fig


def svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasSVG(fig).print_svg(buffer)
    return buffer.getvalue()


def png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as a PNG on a white ground (a page's chart is transparent; a PDF's
    image is not)."""
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)  # the figure draws on this canvas from now on
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
