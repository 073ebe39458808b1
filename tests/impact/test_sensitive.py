"""The sensitive-text check (impact/lib/sensitive.py): a table of phrases that must warn
(English and Spanish, with the variants people really type: gender, plural, accents or
none, capitals, double spaces, line breaks) and of ordinary notes that must not."""

from __future__ import annotations

import pytest

from impact.lib.sensitive import mentions_immigration_status

MUST_WARN = [
    # English
    "Patient is undocumented and afraid to go to the clinic.",
    "Worried about her immigration status",
    "Worried about her immigration  status",  # double space
    "Worried about her Immigration\nStatus",  # line break, capitals
    "immigration\u00a0status pending",  # no-break space
    "Has a green card since 2019",
    "Scared of ICE at the bus stop",
    "There was an ICE raid on Tuesday",
    "afraid of ice agents near the school",
    "Son was deported last year",
    "has a deportation order",
    "DACA renewal due",
    "She has no legal status",
    "He is here illegally",
    "came illegally in 2015",
    "Her husband overstayed his visa",
    "He overstayed",
    "overstaying since March",
    "asylum hearing next month",
    "Asylum seekers in the household",
    "applied for asylum",
    "immigration hearing on the 12th",
    "both are undocumented immigrants",
    "refugee status pending",
    "her visa expired",
    "lives with illegal immigrants",
    "She has no documents",
    "has no documents to be here",
    "came without documents",
    "Came without legal documents",
    "He doesn't have documents",
    "He doesn’t have documents",  # a phone's curly apostrophe
    "they do not have any documents",
    "no documents to be here",
    "no legal documents",
    "she is illegal",
    "She is  illegal",
    "he's illegal",
    "he’s illegal",
    "they are illegal",
    "they're illegal",
    "Her husband is illegal",
    "her parents are illegal too",
    "he is an illegal",
    "Told me she's illegal and afraid",
    # Spanish
    "Es indocumentado",
    "Es indocumentada",
    "Sus hijos son indocumentados",
    "No tiene papeles... vive sin papeles",
    "no tienen papeles",
    "Vino sin documentos",
    "sin documentos legales",
    "sin  papeles",  # double space
    "Preocupada por su situación migratoria",
    "estatus migratorio",
    "estatus migratório",
    "ESTATUS MIGRATORIO",
    "está ilegalmente en el país",
    "ilegalmente en el pais",
    "tiene miedo de la migra",
    "la migra se lo llevó",
    "La Migra",
    "tiene la visa vencida",
    "visas vencidas",
    "su esposo fue deportado",
    "la deportaron el año pasado",
    "cita de inmigración el lunes",
    "solicitud de asilo",
    "no es ciudadana",
    "no tiene estatus",
    "sin documentos",
    "Sin documentos.",
    "vive sin documentos legales",
    "llegó sin documentos para quedarse",
    "no tiene documentos",
    "es ilegal",
    "Ella es ilegal",
    "su esposo es ilegal",
    "son ilegales",
    "Sus padres son ilegales",
    "está ilegal",
    "Está  ilegal desde 2019",
    "están ilegales",
    "es un ilegal",
    "documentos de inmigración vencidos",
]

MUST_NOT_WARN = [
    "",
    "Put ice on the knee twice a day.",
    "ice on the knee",
    "Ice cream after dinner is a treat",
    "Needs help with a housing application.",
    "Referred to the medical-legal partnership for a landlord dispute.",
    "Wants to see a counselor; talked about papers for SNAP renewal.",
    "Citizens bank appointment on Tuesday",
    "la migraña no la deja dormir",
    "Migraine since Monday",
    "documentos del seguro listos",
    "status post surgery, walking well",
    "papers for the housing application",
    "legal aid appointment on Friday",
    "she has her documents for the clinic",
    "va al centro deportivo los martes",
    "le gusta el deporte",
    "no status update from the clinic yet",
    "Trabaja en el estado de Nueva York",
    "la situación legal del desalojo",  # a housing (eviction) matter, not a status
    "no tiene residencia fija",  # no fixed address: a housing need
    "Visited the nursing home (asilo de ancianos)",
    # A bare "asylum" is not enough (a topic, a place name in an old record): only the
    # wording of a claim or proceeding warns ("asylum hearing", "applied for asylum").
    "the old asylum building is now a clinic",
    # Documents named for what they are for: insurance, bank, a lease.
    "sin documentos del seguro",
    "Llegó sin documentos del seguro médico",
    "documentos del seguro médico",
    "no tiene los documentos del seguro",
    "sin documentos para el seguro",
    "no trajo documentos de la renta",
    "has no documents for the insurance",
    "came without documents from the bank",
    "brought the documents to the appointment",
    # "illegal" about a thing or an act, not a person.
    "illegal parking",
    "illegal drugs",
    "Asked about illegal drugs at the shelter",
    "it is illegal to park there",
    "The eviction is illegal, referred to legal aid",
    "el desalojo es ilegal",
    "es ilegal que el dueño no arregle la calefacción",
    "es ilegal cobrarle ese cargo",
    "The landlord said it's illegal",
]


@pytest.mark.parametrize("text", MUST_WARN)
def test_status_mentions_are_caught(text):
    assert mentions_immigration_status(text) is True


@pytest.mark.parametrize("text", MUST_NOT_WARN)
def test_ordinary_notes_are_not_flagged(text):
    assert mentions_immigration_status(text) is False
