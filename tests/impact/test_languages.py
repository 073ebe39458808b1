from __future__ import annotations

import pytest

from impact.lib.languages import language_name, resolve_language, suggested_languages


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Spanish", "es"),
        ("spanish", "es"),
        ("es", "es"),
        ("Haitian", "ht"),
        ("Mam", "mam"),  # a Mayan language with no two-letter code
        ("K'iche'", "quc"),
        ("Somali", "so"),
        ("  Vietnamese ", "vi"),
    ],
)
def test_any_language_resolves_to_a_code(typed, code):
    assert resolve_language(typed) == code


@pytest.mark.parametrize("typed", ["Klingonese", "", "zz"])
def test_unknown_language_is_refused(typed):
    assert resolve_language(typed) is None


def test_names_round_trip():
    assert language_name("es") == "Spanish"
    assert language_name("mam") == "Mam"
    assert resolve_language(language_name("quc")) == "quc"


def test_suggestions_cover_languages_without_two_letter_codes():
    names = {name for _code, name in suggested_languages()}
    assert {"English", "Spanish", "Mam", "Haitian", "Arabic"} <= names
    assert len(names) > 150
