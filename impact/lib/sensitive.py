"""Text that should not be written down: the product never records immigration status.

CHWs write free-text notes; a note that mentions a patient's immigration status puts the
patient at risk if the record is ever disclosed (DESIGN.md §4, minimum necessary). Forms
warn before saving such text; the CHW may edit it or keep it, and nothing typed is lost.
"""

from __future__ import annotations

import re

# English and Spanish phrases that usually describe a person's immigration status.
# Matching is on whole words, case-insensitively, except for "ICE", which must be in
# capitals so that "ice" in a diet note does not trigger a warning.
_PHRASES = [
    r"immigration status",
    r"immigration (?:case|papers|court)",
    r"undocumented",
    r"illegal(?:ly)? (?:alien|immigrant|migrant)s?",
    r"illegals",
    r"no papers",
    r"green card",
    r"visa (?:status|expired|overstay)",
    r"overstay(?:ed)? (?:a |her |his |their )?visa",
    r"daca",
    r"tps status",
    r"asylum (?:seeker|case|claim|application)",
    r"deport(?:ed|ation|able)?",
    r"citizenship status",
    r"not a (?:us |u\.s\. )?citizen",
    r"indocumentad[oa]s?",
    r"sin papeles",
    r"(?:estatus|estado|situaci[oó]n) migratori[oa]",
    r"deportad[oa]s?|deportaci[oó]n",
    r"mojad[oa]s?",
]
_CASELESS = re.compile(r"\b(?:" + "|".join(_PHRASES) + r")\b", re.IGNORECASE)
_CASED = re.compile(r"\bICE\b")


def mentions_immigration_status(text: str) -> bool:
    """True when `text` looks like it records someone's immigration status."""
    return bool(text) and bool(_CASELESS.search(text) or _CASED.search(text))
