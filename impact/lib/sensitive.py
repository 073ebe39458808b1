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

# Documents named for what they are for (the insurance's, the bank's, the lease) are not a
# status: "sin documentos del seguro", "no documents for the insurance". Anything else
# after "without documents" still warns (a warning costs a click; a miss, a patient).
_EN_PURPOSE = (
    r"(?! (?:for|from|of|about) (?:the |her |his |their |my |your |a |an )?(?:insurance|"
    r"bank|car|house|apartment|lease|rent|landlord|school|clinic|hospital|doctor|"
    r"appointment|snap|wic|medicaid|medicare|benefits|utilities|housing))"
)
_ES_PURPOSE = (
    r"(?! (?:del?|de la|de los|de las|para(?: el| la| los| las| su| sus)?) (?:seguro|"
    r"aseguranza|medicaid|medicare|banco|carro|auto|coche|casa|apartamento|renta|"
    r"alquiler|escuela|clinica|hospital|doctor|medico|cita|beneficios|snap|wic|cupones|"
    r"estampillas|luz|agua|gas))"
)
# People "illegal" (a person, never an act or a thing: "illegal parking", "it is illegal
# to park there", "the eviction is illegal" do not warn).
_EN_PEOPLE = (
    r"(?:she|he|they|we|i|you|husband|wife|son|daughter|mother|mom|father|dad|brother|"
    r"sister|partner|boyfriend|girlfriend|spouse|patient|family|parents|kids|children|"
    r"cousin|uncle|aunt|grandmother|grandfather|grandma|grandpa|roommate|client|household)"
)
# Spanish drops the subject, so "es ilegal" may be a person or an act: it warns, except
# before "que" or an infinitive ("es ilegal cobrarle", "es ilegal que el dueño…") and
# after the legal matters CHWs write about (eviction, firing, a charge, a lease, a raise,
# a garnishment). Lookbehinds take a fixed width: one whitespace character there.
_ES_NOT_A_PERSON_BEFORE = "".join(
    rf"(?<!{noun}\s)"
    for noun in ("desalojo", "despido", "cobro", "cargo", "contrato", "aumento", "embargo")
)
_ES_NOT_A_PERSON_AFTER = r"(?! (?:que|\w+(?:ar|er|ir)(?:se|le|les|lo|la|los|las|me|te|nos)?)\b)"

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
    r"lacks?) (?:legal |immigration )?papers" + _EN_PURPOSE,
    r"(?:without|has no|have no|had no|doesn't have|does not have|don't have|do not have|"
    r"didn't have|did not have|lacks?|lacking) (?:any )?(?:legal |immigration |valid )?"
    r"documents?" + _EN_PURPOSE,
    r"no (?:legal|immigration|valid) documents?",
    r"no (?:papers|documents?) to (?:be|stay|live|remain|work)",
    _EN_PEOPLE + r"(?: is| are| was| were| am|'s|'re|'m)(?: still| also| now| both| all)? "
    r"(?:an |a )?illegals?",
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
    r"(?: legales)?" + _ES_PURPOSE,
    _ES_NOT_A_PERSON_BEFORE
    + r"(?:es|son|soy|somos|eres|esta|estan|estaba|estaban) (?:un |una |unos |unas )?"
    r"ilegal(?:es)?" + _ES_NOT_A_PERSON_AFTER,
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
    r"(?:abogad[oa]|corte|cita|audiencia|caso|juez|tramites?|documentos|papeles) de "
    r"(?:migracion|inmigracion)",
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


# A phone's keyboard types curly apostrophes ("doesn’t", "he’s"): read as "'".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})


def fold(text: str) -> str:
    """`text` without accents, case-folded, with straight apostrophes: what the phrases
    are matched against."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def mentions_immigration_status(text: str) -> bool:
    """True when `text` looks like it records someone's immigration status."""
    if not text:
        return False
    return bool(_CASED.search(text) or _CASELESS.search(fold(text)))
