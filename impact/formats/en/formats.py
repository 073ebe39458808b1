"""English: the short forms the pages have always shown ("Nov 23, 2026", "Nov 23")."""

DATE_FORMAT = "M j, Y"  # Nov 23, 2026
MONTH_DAY_FORMAT = "M j"  # Nov 23
YEAR_MONTH_FORMAT = "F Y"  # November 2026
DATETIME_FORMAT = "D M j, Y H:i"  # Mon Nov 23, 2026 14:05
SHORT_DATETIME_FORMAT = "M j, H:i"  # Nov 23, 14:05
