"""Languages a patient may prefer: any language in ISO 639-3, not a fixed list.

A patient's language is stored as its shortest standard code (ISO 639-1 when it has
one, so "es" matches Django's translation catalogues; ISO 639-3 otherwise, e.g. "mam"
for Mam or "quc" for K'iche'). Forms offer a short list of common languages as
suggestions and accept any other language by name or code.
"""

from __future__ import annotations

from functools import cache

import pycountry

# Languages common among US CHW programs' immigrant patients that have no two-letter
# code, so the suggestion list would otherwise miss them.
_EXTRA_SUGGESTIONS = [
    "yue",  # Cantonese
    "cmn",  # Mandarin Chinese
    "nan",  # Min Nan (Taiwanese, Hokkien)
    "mam",  # Mam
    "quc",  # K'iche'
    "kjb",  # Q'anjob'al
    "ixl",  # Ixil
    "jac",  # Popti'
    "hmn",  # Hmong
    "prs",  # Dari
    "ksw",  # S'gaw Karen
    "chk",  # Chuukese
    "rhg",  # Rohingya
    "aii",  # Assyrian Neo-Aramaic
    "apc",  # Levantine Arabic
    "zap",  # Zapotec
    "trs",  # Chicahuaxtla Triqui
]


def _code(language) -> str:
    return getattr(language, "alpha_2", None) or language.alpha_3


@cache
def _index() -> dict[str, str]:
    """Every lower-cased code and name mapped to the stored code."""
    index: dict[str, str] = {}
    for language in pycountry.languages:
        code = _code(language)
        for key in (language.alpha_3, getattr(language, "alpha_2", None), language.name):
            if key:
                index.setdefault(key.lower(), code)
    return index


@cache
def _names() -> dict[str, str]:
    return {_code(language): language.name for language in pycountry.languages}


def resolve_language(text: str) -> str | None:
    """The stored code for a language typed as a code or an English name, else None."""
    return _index().get((text or "").strip().lower())


def language_name(code: str) -> str:
    """The English name of a stored language code (the code itself when unknown)."""
    return _names().get(code, code)


@cache
def suggested_languages() -> list[tuple[str, str]]:
    """(code, name) of the common languages offered first, sorted by name."""
    codes = {_code(language) for language in pycountry.languages if hasattr(language, "alpha_2")}
    codes.update(code for code in _EXTRA_SUGGESTIONS if code in _names())
    return sorted(((code, _names()[code]) for code in codes), key=lambda pair: pair[1])


@cache
def _iso_names(language: str):
    """pycountry's translations of ISO 639-3 names into an interface language."""
    import gettext

    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


# Interface languages that write language names in lower case ("inglés", "tagalo").
_LOWER_CASE_NAMES = {"es"}


def language_name_in(code: str, language: str) -> str:
    """The name of a stored language code written in an interface language ("tagalo" in
    Spanish); English, or the code itself, when pycountry has no translation."""
    name = language_name(code)
    if language == "en":
        return name
    name = _iso_names(language).gettext(name)
    return name[:1].lower() + name[1:] if language in _LOWER_CASE_NAMES else name


def language_name_shown(code: str) -> str:
    """The name of a stored language code in the active interface language, as a label
    ("Vietnamese"; "Vietnamita" on a Spanish page)."""
    from django.utils import translation

    active = (translation.get_language() or "en").split("-")[0]
    name = language_name_in(code, active)
    return name[:1].upper() + name[1:]


def printout_language(code: str) -> str | None:
    """The language a patient's printout is written in: theirs when the interface has a
    full translation of it (settings.LANGUAGES), else None: it prints in English and the
    CHW is told to arrange an interpreter (issue 10)."""
    from django.conf import settings

    return code if code in dict(settings.LANGUAGES) else None
