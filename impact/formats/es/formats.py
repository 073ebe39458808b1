"""Spanish: Django's Spanish formats ("23 de noviembre de 2026"), with a weekday on date
and time like the English pages, and "1.234,5" for grouped numbers as in money
(impact.lib.formats.money, CLDR's Spanish)."""

DATE_FORMAT = r"j \d\e F \d\e Y"  # 23 de noviembre de 2026
MONTH_DAY_FORMAT = r"j \d\e F"  # 23 de noviembre
YEAR_MONTH_FORMAT = r"F \d\e Y"  # noviembre de 2026
DATETIME_FORMAT = r"D j \d\e F \d\e Y, H:i"  # lun 23 de noviembre de 2026, 14:05
SHORT_DATETIME_FORMAT = r"j \d\e b, H:i"  # 23 de nov, 14:05
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
