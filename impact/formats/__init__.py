"""What each date format name looks like per interface language (FORMAT_MODULE_PATH).

Templates name a format ("DATE_FORMAT") instead of spelling one ("M j, Y"), so Spanish
pages read "23 de noviembre de 2026" where English ones read "Nov 23, 2026". Only the
names set here differ from Django's own formats for the language.
"""
