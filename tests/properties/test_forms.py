"""Property-based tests over the main forms: whatever is typed, the server never fails,
and an input it refuses writes nothing.

Each form's field names and offered choices are read from the page itself, so a field
added later is covered too. Values are drawn from the choices offered, dates in several
shapes, numbers of any size and sign, and arbitrary Unicode text (control characters,
right-to-left marks, very long strings).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionplans.models import Goal
from caseloads.models import Encounter, Patient
from reports.models import CostLine
from supervision.models import SupervisionSession, WellbeingCheckIn
from tests.factories import EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT = st.text(max_size=300)
DATES = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.dates().map(lambda d: f"{d.month}/{d.day}/{d.year}"),
    st.from_regex(r"\A\d{1,5}-\d{1,3}-\d{1,3}\Z"),
)
NUMBERS = st.one_of(st.integers().map(str), st.floats(allow_nan=True).map(str), st.just("1e309"))


def fields_of(html: str) -> dict[str, list[str]]:
    """Every field name of the page's forms and the values it offers (options, radios)."""
    names: dict[str, list[str]] = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) in ("csrfmiddlewaretoken",):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        offered = names.setdefault(name.group(1), [])
        if value and ('type="radio"' in tag or 'type="checkbox"' in tag):
            offered.append(unescape(value.group(1)))
    for select in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        names.setdefault(select[0], []).extend(
            unescape(v) for v in re.findall(r'<option[^>]*value="([^"]*)"', select[1])
        )
    return names


def inputs(names: dict[str, list[str]]):
    """A strategy: a value for each field (or leave it out)."""
    per_field = {
        name: st.one_of(
            st.sampled_from(offered) if offered else TEXT, TEXT, DATES, NUMBERS, st.just("")
        )
        for name, offered in names.items()
    }
    return st.fixed_dictionaries({}, optional=per_field)


def check(client, url: str, data: dict, model) -> None:
    before = model.objects.count()
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400), (response.status_code, data)
    written = model.objects.count() - before
    if response.status_code == 302:
        assert written in (0, 1)  # a repeated submission key saves nothing the second time
    else:
        assert written == 0, data


def property_test(client, url: str, model):
    names = fields_of(client.get(url).content.decode())
    assert names, url

    @EXAMPLES
    @given(inputs(names))
    def run(data):
        check(client, url, data, model)

    run()


def test_logging_a_visit(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=20)
    client = login(org.a1)
    property_test(client, reverse("caseloads:encounter_new", args=[enrollment.pk]), Encounter)


def test_registering_a_patient(org, login):
    property_test(login(org.a1), reverse("caseloads:patient_new"), Patient)


def test_setting_a_goal(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=20)
    property_test(login(org.a1), reverse("actionplans:goal_new", args=[enrollment.pk]), Goal)


def test_a_wellbeing_check_in(org, login):
    property_test(login(org.a1), reverse("supervision:check_in"), WellbeingCheckIn)


def test_recording_a_supervision_session(org, login):
    url = f"{reverse('supervision:session_new')}?chw={org.a1.pk}"
    property_test(login(org.ma), url, SupervisionSession)


def test_entering_a_cost_line(org, login):
    property_test(login(org.leader), reverse("reports:costs"), CostLine)
