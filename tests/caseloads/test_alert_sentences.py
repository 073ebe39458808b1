"""Every alert rule carries its own sentence (issue 18): `Alert.sentence` asks the rule
registry, so each registered kind — caseloads' own and those later apps register — must
come with words, and every kind an alert can have must be registered."""

from __future__ import annotations

import datetime as dt

import pytest

from caseloads.alerts import RULES, SENTENCES
from caseloads.models import Alert
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)
K = Alert.Kind

# Facts as each rule records them (caseloads/alerts.py, actionplans/alerts.py,
# supervision/alerts.py).
FACTS = {
    K.END_APPROACHING: {"end": "2026-11-25"},
    K.END_OVERDUE: {"end": "2026-11-15"},
    K.CONTACT_AFTER_END: {"count": 2, "last": "2026-11-17"},
    K.NO_RECENT_CONTACT: {"last": "2026-11-01", "interval": 14},
    K.GOAL_MISSING: {},
    K.CASELOAD_OVER_CAP: {"count": 33, "cap": 30},
    K.AFTER_HOURS_WORK: {"count": 4},
    K.SUPERVISION_OVERDUE: {"last": "2026-10-30"},
    K.BURNOUT_RISK_HIGH: {"flags": 3},
    K.SUPPORT_REQUESTED: {"on": "2026-11-16"},
}


def test_every_kind_is_registered_with_a_rule_and_a_sentence():
    assert set(RULES) == set(K.values)
    assert set(SENTENCES) == set(RULES)


@pytest.mark.parametrize("kind", K.values)
def test_every_registered_kind_reads_as_its_own_sentence(kind, org):
    about_chw = kind in Alert.CHW_KINDS
    enrollment = None if about_chw else EnrollmentFactory(chw=org.a1, days_ago=20)
    alert = Alert(kind=kind, enrollment=enrollment, chw=org.a1, facts=FACTS[kind])
    sentence = alert.sentence(TODAY)
    assert sentence == SENTENCES[kind](alert, TODAY)
    # Its own words, not the kind's label, naming the CHW or the patient it is about.
    assert sentence != alert.get_kind_display()
    assert (str(org.a1) if enrollment is None else enrollment.patient.display_name) in sentence
