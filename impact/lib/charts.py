"""Charts drawn with matplotlib's object-oriented API: a Figure per request, never pyplot
(whose global state would be shared between requests and threads)."""

from __future__ import annotations

import io

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
