from __future__ import annotations

import pytest

from impact.lib.sensitive import mentions_immigration_status


@pytest.mark.parametrize(
    "text",
    [
        "Patient is undocumented and afraid to go to the clinic.",
        "Worried about her immigration status",
        "Has a green card since 2019",
        "Scared of ICE at the bus stop",
        "Es indocumentado",
        "No tiene papeles... vive sin papeles",
        "Preocupada por su situación migratoria",
        "Son was deported last year",
        "DACA renewal due",
    ],
)
def test_status_mentions_are_caught(text):
    assert mentions_immigration_status(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Put ice on the knee twice a day.",
        "Needs help with a housing application.",
        "Referred to the medical-legal partnership for a landlord dispute.",
        "Wants to see a counselor; talked about papers for SNAP renewal.",
        "Citizens bank appointment on Tuesday",
    ],
)
def test_ordinary_notes_are_not_flagged(text):
    assert mentions_immigration_status(text) is False
