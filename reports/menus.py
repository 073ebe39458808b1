"""The leaders' "Costs and data" menu: what a leader enters to make the ROI summary
(costs, funding, hospital use, ROI settings) and the API tokens for BI tools."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from impact.pages import MenuGroup

COSTS_AND_DATA = MenuGroup(_("Costs and data"), 30)
