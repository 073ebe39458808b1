"""Panels later apps add to earlier apps' pages, without those pages importing them.

An app registers a function for a place (e.g. "chw_home") in its `AppConfig.ready()`;
the page calls `panels_for(place, request, ...)` and includes each panel's template with
its context. DESIGN.md §2: dependencies run one way; this is how they meet on a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


PanelSource = Callable[..., Panel | None]
_PANELS: dict[str, list[PanelSource]] = defaultdict(list)


def register_panel(place: str) -> Callable[[PanelSource], PanelSource]:
    def decorator(source: PanelSource) -> PanelSource:
        if source not in _PANELS[place]:
            _PANELS[place].append(source)
        return source

    return decorator


def panels_for(place: str, request, **kwargs) -> list[Panel]:
    """The panels registered for `place` that have something to show."""
    return [panel for source in _PANELS[place] if (panel := source(request, **kwargs))]
