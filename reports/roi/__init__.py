"""Return on investment: the figures, the page, its chart and its settings."""
