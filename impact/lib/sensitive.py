"""Text that should not be written down: the product never records immigration status.

CHWs write free-text notes; a note that mentions a patient's immigration status puts the
patient at risk if the record is ever disclosed (DESIGN.md §4, minimum necessary). Forms
warn before saving such text; the CHW may edit it or keep it, and nothing typed is lost.

How text is matched: it is folded first (accents removed, so "migratório", "migratorio"
and "MIGRATORIO" read the same; case folded), then searched for whole-word phrases in
which any run of whitespace (spaces, tabs, line breaks, no-break spaces) stands for the
single space written in a phrase below. Phrases name the *status*, not the topic: a bare
"asylum", "immigrant", "papers" or "documents" does not warn ("papers for the housing
application", "documentos del seguro"), and "ICE" warns only in capitals or next to the
words of an enforcement action ("ice on the knee" is a diet or first-aid note).
"""

from __future__ import annotations

import re
import unicodedata

# Written folded (no accents, lower case); a space stands for any run of whitespace.
_ENGLISH = [
    r"immigration status(?:es)?",
    r"immigration (?:case|cases|papers|paperwork|court|hearing|hearings|judge|lawyer|"
    r"attorney|officers?|agents?|raids?|detention|proceedings|check|checkpoint|problems?|"
    r"issues?|documents?)",
    r"(?:legal|citizenship|residency|migratory|migration|refugee|asylum|visa|tps|daca|"
    r"undocumented) status",
    r"(?:no|without|lacks?|lacking|has no|have no) legal status",
    r"(?:without|out of) status",
    r"undocumented",
    r"illegals",
    r"illegal(?:ly)? (?:aliens?|immigrants?|migrants?|entry|entrant|crossing)",
    r"(?:here|in the (?:country|us|u\.s\.|united states|states)|entered|came|crossed|"
    r"crossed the border|living|lives|stays?|stayed|working|works) illegally",
    r"(?:no|without|has no|have no|doesn't have|does not have|don't have|do not have|"
    r"lacks?) (?:legal |immigration )?papers",
    r"green cards?",
    r"permanent residen(?:t|ts|cy)",
    r"visas? (?:status|expired|expires|expiring|overstay|overstayed|ran out|has expired)",
    r"expired visas?",
    r"overstay(?:s|ed|ing|er|ers)?",
    r"daca",
    r"tps",
    r"dreamers?",
    r"asylum (?:seekers?|case|cases|claim|claims|application|applications|hearing|"
    r"hearings|interview|officer|court|request)",
    r"(?:applied|applying|apply|asked|asking|seeking|seeks|seek|granted|denied) (?:for )?"
    r"asylum",
    r"asylees?",
    r"refugee (?:status|claim|case)",
    r"deport(?:s|ed|ing|ation|ations|able)?",
    r"removal (?:order|proceedings|hearing)",
    r"not a (?:us |u\.s\. )?citizen",
    r"non-?citizens?",
    r"border patrol",
    r"la migra",
    r"the migra",
    r"(?:ice|immigration) (?:raids?|agents?|officers?|detention|detained|custody|"
    r"arrest|arrested)",
    r"(?:detained|arrested|picked up|taken|deported) by ice",
]
_SPANISH = [
    r"indocumentad[oa]s?",
    r"(?:sin|no tiene|no tienen|no tengo|no tenemos|no tenia|no tenian|no cuenta con|"
    r"no cuentan con|le faltan|les faltan) (?:los |sus )?(?:papeles|documentos)"
    r"(?: legales)?",
    r"(?:estatus|status|estado|situacion|condicion|calidad) (?:migratori[oa]|"
    r"de inmigracion|de inmigrante|de refugiad[oa])",
    r"(?:estatus|status) legal",
    r"(?:sin|no tiene|no tienen) (?:estatus|estado legal|residencia legal)",
    r"ilegal(?:es|mente)? en (?:el|este|los) (?:pais|estados unidos)",
    r"ilegal(?:es|mente)? en (?:ee\.? ?uu\.?|usa)",
    r"(?:entro|cruzo|llego|vive|viven|esta|estan|se quedo|se quedaron|trabaja|trabajan) "
    r"(?:de forma |de manera )?ilegal(?:es|mente)?",
    r"inmigrantes? ilegal(?:es)?",
    r"la migra",
    r"(?:redadas?|agentes?) de (?:migracion|inmigracion|ice)",
    r"(?:abogad[oa]|corte|cita|audiencia|caso|juez|tramites?) de (?:migracion|inmigracion)",
    r"visas? (?:vencidas?|expiradas?|caducadas?)",
    r"(?:se le|se les) (?:vencio|expiro|caduco) la visa",
    r"tarjeta verde",
    r"residen(?:te|tes|cia) permanente",
    r"(?:solicitud|solicitante|solicitantes|pidio|pidieron|pedir|audiencia|caso) de asilo",
    r"(?:pidio|pidieron|solicito|solicitaron|busca|buscan|pedir) asilo",
    r"asilad[oa]s?",
    r"deportad[oa]s?",
    r"deportacion(?:es)?",
    r"deportar(?:on|an|lo|la|los|las|le|les)?",
    r"lo deporten|la deporten|los deporten|las deporten",
    r"no es ciudadan[oa]",
    r"no son ciudadan[oa]s",
    r"(?:es|son|un|una|los|las) mojad[oa]s?",
]


def _loose(phrase: str) -> str:
    """Any run of whitespace where the phrase has a space."""
    return phrase.replace(" ", r"\s+")


_CASELESS = re.compile(
    r"\b(?:" + "|".join(_loose(p) for p in _ENGLISH + _SPANISH) + r")\b", re.IGNORECASE
)
# The agency's name, in capitals only: "ice" alone is a diet or first-aid note.
_CASED = re.compile(r"\bICE\b")


def fold(text: str) -> str:
    """`text` without accents, case-folded: what the phrases are matched against."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def mentions_immigration_status(text: str) -> bool:
    """True when `text` looks like it records someone's immigration status."""
    if not text:
        return False
    return bool(_CASED.search(text) or _CASELESS.search(fold(text)))
