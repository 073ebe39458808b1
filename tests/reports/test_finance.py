"""Costs and funding: leaders add, edit and delete their program's cost lines and funding
sources; bad amounts and periods are refused next to the field with nothing written; the
totals and the "ends in N days" badge; `funding_ending` for the overview; access.
Clock: Wednesday 18 November 2026 (the program's today)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from impact.models import Role
from reports.finance.services import funding_ending
from reports.models import CostLine, FundingSource
from tests.factories import CostLineFactory, FundingSourceFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)
LINE = {
    "category": "chw_salary",
    "amount": "36500",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "note": "Two CHWs",
}
SOURCE = {
    "name": "City health grant",
    "kind": "grant",
    "amount": "250000",
    "starts_on": "2026-01-01",
    "ends_on": "2027-06-30",
}


@pytest.fixture
def other(org):
    """Another program with its own leader, cost line and funding source."""
    program = ProgramFactory(name="Westside")
    return type(
        "Other",
        (),
        {
            "program": program,
            "leader": UserFactory(username="west", role=Role.LEADER, program=program),
            "line": CostLineFactory(program=program),
            "source": FundingSourceFactory(program=program),
        },
    )


# -- cost lines ----------------------------------------------------------------------------


def test_a_leader_adds_a_cost_line(org, login):
    response = login(org.leader).post(reverse("reports:costs"), LINE | {"amount": "$36,500.50"})
    assert response.status_code == 302
    assert response.url == f"{reverse('reports:costs')}?program={org.program.pk}"
    line = CostLine.objects.get()
    assert (line.program, line.category, line.amount, line.created_by) == (
        org.program,
        "chw_salary",
        Decimal("36500.50"),
        org.leader,
    )
    assert (line.period_start, line.period_end, line.note) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        "Two CHWs",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "-1"}, "amount", "cannot be negative"),
        ({"amount": "100000000"}, "amount", "under $100,000,000"),
        ({"amount": "100,000,000.00"}, "amount", "under $100,000,000"),
        ({"amount": "1e12"}, "amount", "under $100,000,000"),
        ({"amount": "lots"}, "amount", "number of dollars"),
        ({"amount": "NaN"}, "amount", "number of dollars"),
        ({"amount": ""}, "amount", "This field is required."),
        ({"amount": "10.005"}, "amount", "2 decimal places"),
        ({"period_end": "2025-12-31"}, "period_end", "on or after the start"),
        ({"period_start": "1999-12-31"}, "period_start", "in 2000 or later"),
        # Ten years from the 18th of November 2026 is the last day allowed.
        ({"period_end": "2036-11-19"}, "period_end", "at most 10 years ahead"),
        ({"period_start": "2026-02-30"}, "period_start", "Enter a valid date."),
        ({"category": "snacks"}, "category", "Select a valid choice"),
        ({"note": "x" * 201}, "note", "at most 200 characters"),
    ],
)
def test_bad_cost_lines_are_refused_next_to_the_field(org, login, overrides, field, message):
    response = login(org.leader).post(reverse("reports:costs"), LINE | overrides)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not CostLine.objects.exists()
    # What was typed comes back as typed.
    assert response.context["form"].data[field] == (LINE | overrides)[field]


def test_the_last_day_ten_years_ahead_is_accepted(org, login):
    login(org.leader).post(reverse("reports:costs"), LINE | {"period_end": "2036-11-18"})
    assert CostLine.objects.get().period_end == dt.date(2036, 11, 18)


def test_a_leader_edits_a_cost_line(org, login):
    line = CostLineFactory(program=org.program)
    client = login(org.leader)
    page = client.get(reverse("reports:cost_edit", args=[line.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["amount"] == Decimal("36500")
    response = client.post(
        reverse("reports:cost_edit", args=[line.pk]),
        LINE | {"category": "training", "amount": "1200"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.category, line.amount, line.note) == ("training", Decimal("1200"), "Two CHWs")


def test_a_bad_edit_changes_nothing(org, login):
    line = CostLineFactory(program=org.program)
    response = login(org.leader).post(
        reverse("reports:cost_edit", args=[line.pk]), LINE | {"amount": "-5"}
    )
    assert response.status_code == 400
    assert "cannot be negative" in response.context["form"].errors["amount"][0]
    line.refresh_from_db()
    assert line.amount == Decimal("36500")


def test_a_leader_deletes_a_cost_line_by_post_only(org, login):
    line = CostLineFactory(program=org.program)
    client = login(org.leader)
    assert client.get(reverse("reports:cost_delete", args=[line.pk])).status_code == 405
    assert CostLine.objects.exists()
    response = client.post(reverse("reports:cost_delete", args=[line.pk]))
    assert response.status_code == 302
    assert not CostLine.objects.exists()


def test_another_programs_cost_line_is_not_found(org, login, other):
    client = login(org.leader)
    assert client.get(reverse("reports:cost_edit", args=[other.line.pk])).status_code == 404
    assert client.post(reverse("reports:cost_edit", args=[other.line.pk]), LINE).status_code == 404
    assert client.post(reverse("reports:cost_delete", args=[other.line.pk])).status_code == 404
    other.line.refresh_from_db()
    assert other.line.category == "chw_salary"
    assert client.get(reverse("reports:cost_edit", args=[99999999999])).status_code == 404


def test_the_costs_page_totals_the_lines_per_category(org, login, other):
    CostLineFactory(program=org.program, category="chw_salary", amount=Decimal("36500"))
    CostLineFactory(program=org.program, category="chw_salary", amount=Decimal("1000.25"))
    CostLineFactory(program=org.program, category="software", amount=Decimal("2400"))
    page = login(org.leader).get(reverse("reports:costs"))
    assert page.status_code == 200
    assert len(page.context["lines"]) == 3  # the other program's line is not listed
    totals = page.context["totals"]
    # CHW salaries 36,500 + 1,000.25; software 2,400; in the categories' order.
    assert [(row.category, row.total) for row in totals.by_category] == [
        ("chw_salary", Decimal("37500.25")),
        ("software", Decimal("2400")),
    ]
    assert totals.total == Decimal("39900.25")  # 37,500.25 + 2,400
    assert "$39,900.25" in page.content.decode()


def test_an_admin_chooses_the_program(org, login, other):
    client = login(org.admin)
    page = client.get(reverse("reports:costs"), {"program": other.program.pk})
    assert page.context["program"] == other.program
    assert [line.pk for line in page.context["lines"]] == [other.line.pk]
    response = client.post(f"{reverse('reports:costs')}?program={other.program.pk}", LINE)
    assert response.url == f"{reverse('reports:costs')}?program={other.program.pk}"
    assert CostLine.objects.filter(program=other.program).count() == 2
    # An administrator edits any program's line.
    assert client.get(reverse("reports:cost_edit", args=[other.line.pk])).status_code == 200


# -- funding sources -----------------------------------------------------------------------


def test_a_leader_adds_a_funding_source(org, login):
    response = login(org.leader).post(reverse("reports:funding"), SOURCE | {"name": "  Grant  "})
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert (source.program, source.name, source.kind, source.amount) == (
        org.program,
        "Grant",
        "grant",
        Decimal("250000"),
    )
    assert (source.starts_on, source.ends_on) == (dt.date(2026, 1, 1), dt.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"amount": "-250000"}, "amount", "cannot be negative"),
        ({"amount": "250000000"}, "amount", "under $100,000,000"),
        ({"amount": "a quarter million"}, "amount", "number of dollars"),
        ({"ends_on": "2025-12-31"}, "ends_on", "on or after the start"),
        ({"starts_on": "1990-01-01"}, "starts_on", "in 2000 or later"),
        ({"ends_on": "2040-01-01"}, "ends_on", "at most 10 years ahead"),
        ({"ends_on": "soon"}, "ends_on", "Enter a valid date."),
        ({"kind": "lottery"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_funding_sources_are_refused_next_to_the_field(org, login, overrides, field, message):
    response = login(org.leader).post(reverse("reports:funding"), SOURCE | overrides)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not FundingSource.objects.exists()


def test_a_leader_edits_and_deletes_a_funding_source(org, login):
    source = FundingSourceFactory(program=org.program)
    client = login(org.leader)
    refused = client.post(
        reverse("reports:funding_edit", args=[source.pk]), SOURCE | {"ends_on": "2025-01-01"}
    )
    assert refused.status_code == 400
    source.refresh_from_db()
    assert source.ends_on == dt.date(2027, 12, 31)
    client.post(reverse("reports:funding_edit", args=[source.pk]), SOURCE)
    source.refresh_from_db()
    assert (source.name, source.ends_on) == ("City health grant", dt.date(2027, 6, 30))
    assert client.get(reverse("reports:funding_delete", args=[source.pk])).status_code == 405
    client.post(reverse("reports:funding_delete", args=[source.pk]))
    assert not FundingSource.objects.exists()


def test_another_programs_funding_source_is_not_found(org, login, other):
    client = login(org.leader)
    url = reverse("reports:funding_edit", args=[other.source.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, SOURCE).status_code == 404
    delete = reverse("reports:funding_delete", args=[other.source.pk])
    assert client.post(delete).status_code == 404
    assert FundingSource.objects.filter(pk=other.source.pk).exists()


def test_the_funding_page_marks_sources_ending_within_90_days(org, login):
    FundingSourceFactory(program=org.program, name="Soon", ends_on=dt.date(2026, 12, 18))
    FundingSourceFactory(program=org.program, name="Later", ends_on=dt.date(2027, 2, 17))
    FundingSourceFactory(program=org.program, name="Edge", ends_on=dt.date(2027, 2, 16))
    FundingSourceFactory(program=org.program, name="Past", ends_on=dt.date(2026, 11, 1))
    page = login(org.leader).get(reverse("reports:funding"))
    assert page.status_code == 200
    # 18 Nov → 18 Dec is 30 days; 16 Feb 2027 is 12 + 31 + 31 + 16 = 90 days, 17 Feb 91.
    assert [(source.name, days) for source, days in page.context["rows"]] == [
        ("Past", -17),
        ("Soon", 30),
        ("Edge", 90),
        ("Later", 91),
    ]
    html = page.content.decode()
    assert "ends in 30 days" in html and "ends in 90 days" in html
    assert "ends in 91 days" not in html
    assert "ended" in html
    assert page.context["total"] == Decimal("1000000")  # 4 × 250,000


def test_funding_ending_lists_sources_ending_from_today_to_90_days_ahead(org):
    def source(name, ends_on, program=org.program):
        return FundingSourceFactory(program=program, name=name, ends_on=ends_on)

    source("Yesterday", TODAY - dt.timedelta(days=1))
    today = source("Today", TODAY)
    day_90 = source("Day 90", TODAY + dt.timedelta(days=90))
    source("Day 91", TODAY + dt.timedelta(days=91))
    source("Elsewhere", TODAY, program=ProgramFactory())
    day_10 = source("Day 10", TODAY + dt.timedelta(days=10))
    assert funding_ending(program=org.program, today=TODAY) == [today, day_10, day_90]
    assert funding_ending(program=org.program, today=TODAY, within_days=10) == [today, day_10]


# -- access and queries --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["a1", "ma"])
def test_chws_and_managers_may_not_open_the_money_pages(org, login, persona):
    line = CostLineFactory(program=org.program)
    source = FundingSourceFactory(program=org.program)
    client = login(getattr(org, persona))
    for url in (
        reverse("reports:costs"),
        reverse("reports:cost_edit", args=[line.pk]),
        reverse("reports:funding"),
        reverse("reports:funding_edit", args=[source.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("reports:costs"), LINE).status_code == 403
    assert client.post(reverse("reports:cost_delete", args=[line.pk])).status_code == 403
    assert client.post(reverse("reports:funding_delete", args=[source.pk])).status_code == 403
    assert CostLine.objects.count() == 1 and FundingSource.objects.count() == 1


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("reports:costs"))
    assert response.status_code == 302 and "login" in response.url


# Measured at 1 and 6 lines and sources, then pinned: session, user, the user's program
# (time zone), the page's program, the lines and their totals (costs) or the sources.
COSTS_QUERIES = 6
FUNDING_QUERIES = 5


@pytest.mark.parametrize("n", [1, 6])
def test_the_money_pages_run_a_fixed_number_of_queries(
    org, login, django_assert_max_num_queries, n
):
    for i in range(n):
        CostLineFactory(program=org.program, category=CostLine.Category.values[i % 8])
        FundingSourceFactory(program=org.program)
    client = login(org.leader)
    with django_assert_max_num_queries(COSTS_QUERIES):
        page = client.get(reverse("reports:costs"))
    assert len(page.context["lines"]) == n
    with django_assert_max_num_queries(FUNDING_QUERIES):
        page = client.get(reverse("reports:funding"))
    assert len(page.context["rows"]) == n
