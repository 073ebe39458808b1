"""The disclosure attack (issue 17, item 1; DESIGN.md §4): over the demo program's grid —
every month, quarter and year it covers — ask every leader endpoint for every cell in
every format, collect every published figure, then try to work each hidden one out.

- The endpoints come from the pages' declarations (impact.pages): every URL a leader may
  open is either asked for every cell (FIGURES) or named in NOT_FIGURES with the reason;
  a new leader URL in neither fails here until someone decides.
- A hidden figure's interval starts from what its marker says ("<11": 1 to 10 people;
  "suppressed": a count of 11 or more, any value for a sum) and is narrowed by interval
  propagation over the grid (a quarter is the sum of its months, a year of its quarters;
  distinct people: max(children) ≤ parent ≤ Σ children) using every published cell of
  every endpoint and format. The test fails where an interval is a single value, where a
  count from 1 to 10 is published as a number, where two outputs publish different values
  for the same cell, and where a published figure derived from a hidden one (a share,
  avoided use, savings) gives it back.
- Then 500 random from/to pairs per endpoint (hypothesis): each is refused (400) or
  answers exactly its grid cell.

It prints how many cells, endpoints and random pairs it tried (visible with -s or -rA).

This is the independent check of impact.lib.disclosure: its interval propagation is
written again here, from the rule, not imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import zoneinfo
from collections import defaultdict
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from impact.lib.periods import MONTH, QUARTER, YEAR, month, published_up_to, quarter, whole, year
from impact.models import Role, User
from impact.pages import ANYONE, LEADER, pages
from reports.api import views as api
from reports.exports.forms import KINDS

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
TODAY = NOW.date()
# Leader figures stop at the end of the last complete month: 31 October 2026.
AS_OF = published_up_to(TODAY)
YEARS = (2026,)  # the demo's nine months of history (February to November 2026)
INF = math.inf

# Every leader URL that publishes figures about people, and how it is asked for a cell.
FIGURES = {
    "overview": "page",
    "reports:chart_monthly": "svg",
    "reports:api_summary": "json",
    "reports:roi": "page",
    "reports:roi_chart": "svg",
    "reports:exports": "files",
}
# Every other URL a leader may open, and why it publishes no figure about people by period.
NOT_FIGURES = {
    "home": "routes each role to its own page",
    "account_language": "the user's interface language",
    "two_factor_setup": "the user's two-factor sign-in",
    "two_factor_verify": "the user's two-factor sign-in",
    "two_factor_disable": "the user's two-factor sign-in",
    "reports:chart_fidelity": "share of model components met at each review: no people",
    "reports:tokens": "the user's API tokens",
    "reports:token_revoke": "revokes a token",
    "reports:roi_settings": "the program's unit costs and window",
    "reports:costs": "cost lines the leader entered: money, no people",
    "reports:cost_edit": "cost lines the leader entered",
    "reports:cost_delete": "cost lines the leader entered",
    "reports:funding": "funding sources the leader entered",
    "reports:funding_edit": "funding sources the leader entered",
    "reports:funding_delete": "funding sources the leader entered",
    "reports:utilization": "the hospital-use import (its own checks, issue 17 item 6)",
    "reports:utilization_preview": "the hospital-use import",
    "reports:utilization_confirm": "the hospital-use import",
    "reports:utilization_discard": "the hospital-use import",
    "reports:export_status": "a background export's progress (its file: exports.build)",
    "reports:export_download": "a background export's file, built by exports.build",
    "actionplans:partners": "the partner directory: organisations, no people",
    "supervision:levels": "burnout levels by week: suppressed by supervision.selectors",
    "fidelity:reviews": "fidelity reviews: shares of components, no people counts",
    "fidelity:review_new": "fidelity reviews",
    "fidelity:review": "fidelity reviews",
    "fidelity:finalize": "fidelity reviews",
    "fidelity:trend_chart": "fidelity reviews",
    "fidelity:stage": "the program's implementation stage",
    "fidelity:log": "the implementation (CFIR) log: notes by staff",
    "fidelity:log_csv": "the implementation (CFIR) log",
}

# Measures: counts of people (hidden "<11" means 1 to 10) and sums over people.
COUNTS = {
    "patients_served",
    "graduations",
    "handoffs_accepted",
    "goals_closed",
    "goals_achieved",
    "steps_done",
    "enrollments",
    "evaluable",
    "active_at_month_end",
}
SUMS = {
    "contacts",
    "pre_admissions",
    "post_admissions",
    "pre_inpatient_days",
    "post_inpatient_days",
    "pre_ed_visits",
    "post_ed_visits",
}
DISTINCT = {"patients_served"}
# Summary rows (CSV, XLSX) → measure.
SUMMARY = {
    "Patients served": "patients_served",
    "Active now": "now:active_now",
    "Graduations": "graduations",
    "Handoffs accepted": "handoffs_accepted",
    "Handoff acceptance (share)": "handoff_share",
    "Goals closed": "goals_closed",
    "Goals achieved": "goals_achieved",
    "Goals achieved (share)": "goals_achieved_share",
    "Contacts": "contacts",
    "CHWs over the caseload standard": "now:chws_over_cap",
    "Small wins this month: goals achieved": "month:goals_achieved",
    "Small wins this month: steps done": "month:steps_done",
    "Cohort (enrollments begun in the period)": "enrollments",
    "Evaluable enrollments (whole window observed)": "evaluable",
    "Admissions before": "pre_admissions",
    "Admissions after": "post_admissions",
    "Admissions avoided": "avoided_admissions",
    "Inpatient days before": "pre_inpatient_days",
    "Inpatient days after": "post_inpatient_days",
    "Inpatient days avoided": "avoided_inpatient_days",
    "ED visits before": "pre_ed_visits",
    "ED visits after": "post_ed_visits",
    "ED visits avoided": "avoided_ed_visits",
    "Gross savings (USD)": "gross_savings",
}
MARKERS = {"<11", "suppressed"}


def grid() -> list:
    cells = []
    for number in YEARS:
        cells.append(year(number))
        for q in range(1, 5):
            cells.append(quarter(number, q))
        for m in range(1, 13):
            cells.append(month(number, m))
    return [p for p in cells if p.start <= AS_OF]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo program, seeded once for the module at NOW (the clock stays there).

    Afterwards the database is put back as the migrations left it (the fidelity
    components, the task schedules…): a bare flush would empty those tables for every
    test that runs later in the session."""
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        with time_machine.travel(NOW, tick=False):
            call_command("seed_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(before)


@pytest.fixture
def leader(demo, client):
    with time_machine.travel(NOW, tick=False):
        user = User.objects.get(role=Role.LEADER)
        client.force_login(user)
        _token, key = api.token_create(user=user, name="attack")
        yield client, key


class Book:
    """Every published cell: (measure, cell label) → list of (value, where)."""

    def __init__(self):
        self.cells: dict[tuple[str, str], list[tuple[object, str]]] = defaultdict(list)
        self.outputs = 0
        self.chw_rows: dict[tuple[str, str], list[object]] = defaultdict(list)

    def add(self, measure: str, label: str, value, where: str) -> None:
        if measure.startswith("now:"):
            measure, label = measure[4:], "now"
        elif measure.startswith("month:"):
            measure, label = measure[6:], TODAY.strftime("%Y-%m")
        self.cells[(measure, label)].append((_value(value), where))


def _value(value):
    if isinstance(value, str) and value.strip() in MARKERS:
        return value.strip()
    if value in ("", None, "no data"):  # "no data": a share with an empty denominator
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return number


def _summary_rows(book: Book, rows, label: str, where: str) -> None:
    for figure, value in rows:
        figure = str(figure)
        if figure in SUMMARY:
            book.add(SUMMARY[figure], label, value, where)
        elif figure.startswith("Unresolved alerts: "):
            book.add("now:alert " + figure.split(": ", 1)[1], label, value, where)


def _month_rows(book: Book, header, rows, where: str) -> None:
    for row in rows:
        record = dict(zip(header, row, strict=False))
        for name, value in record.items():
            if name != "month":
                book.add(name, str(record["month"]), value, where)


def _chw_rows(book: Book, header, rows, label: str, where: str) -> None:
    for row in rows:
        record = dict(zip(header, row, strict=False))
        for name in ("active_now", "enrollments", "graduations", "contacts"):
            book.chw_rows[(name, "now" if name == "active_now" else label)].append(
                _value(record.get(name))
            )


def _csv(content: bytes) -> tuple[list, list]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def collect(client, key: str, period, book: Book) -> int:
    """Ask every endpoint of FIGURES for one cell; returns how many outputs it read."""
    label = period.label
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    dates = {"start": query["from"], "end": query["to"]}
    read = 0
    # The overview page: the figures it renders.
    page = client.get(reverse("overview"), query)
    assert page.status_code == 200, (label, page.content[:300])
    f = page.context["sections"][0].figures
    for name in (
        "patients_served",
        "graduations",
        "handoffs_accepted",
        "handoff_share",
        "goals_closed",
        "goals_achieved",
        "goals_achieved_share",
        "contacts",
    ):
        book.add(name, label, _shown(getattr(f, name)), "overview")
    book.add("now:active_now", label, _shown(f.active_now), "overview")
    book.add("now:chws_over_cap", label, _shown(f.chws_over_cap), "overview")
    book.add("month:goals_achieved", label, _shown(f.small_wins_goals), "overview")
    book.add("month:steps_done", label, _shown(f.small_wins_steps), "overview")
    read += 1
    # The JSON API.
    data = client.get(
        reverse("reports:api_summary"), query, HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    for name, value in data["overview"].items():
        if not isinstance(value, dict):
            book.add(name, label, value, "api")
    book.add("now:active_now", label, data["overview"]["active_now"], "api")
    book.add("now:chws_over_cap", label, data["overview"]["caseload"]["chws_over_cap"], "api")
    for kind, value in data["overview"]["alerts_by_kind"].items():
        book.add(f"now:alert {kind}", label, value, "api")
    for row in data["by_month"]:
        for name, value in row.items():
            if name != "month":
                book.add(name, row["month"], value, "api by_month")
    r = data["roi"]
    book.add("enrollments", label, r["cohort"], "api roi")
    book.add("evaluable", label, r["evaluable"], "api roi")
    for side in ("pre", "post", "avoided"):
        for what, value in r[side].items():
            book.add(f"{side}_{what}", label, value, "api roi")
    book.add("gross_savings", label, r["gross_savings"], "api roi")
    read += 1
    # The ROI page.
    page = client.get(reverse("reports:roi"), dates)
    assert page.status_code == 200, (label, page.content[:300])
    shown = page.context["shown"]
    book.add("enrollments", label, _shown(shown.cohort), "roi page")
    book.add("evaluable", label, _shown(shown.evaluable), "roi page")
    for name, value in shown.use.items():
        book.add(name, label, _shown(value), "roi page")
    book.add("gross_savings", label, _shown(shown.gross_savings), "roi page")
    read += 1
    # The charts: drawn from the same rows (by_month_rows, the ROI summary).
    for name in ("reports:chart_monthly", "reports:roi_chart"):
        params = query if name == "reports:chart_monthly" else dates
        chart = client.get(reverse(name), params)
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml", label
        read += 1
    # Every export kind.
    for kind, (fmt, sheet) in KINDS.items():
        response = client.post(reverse("reports:exports"), {**dates, "kind": kind})
        where = f"export {kind}"
        if kind == "csv-coh" and response.status_code == 400:
            assert "utilization cohort" in response.content.decode()
            read += 1
            continue
        assert response.status_code == 200, (label, kind, response.content[:300])
        content = response.content
        if fmt == "csv":
            header, rows = _csv(content)
            if sheet == "summary":
                _summary_rows(book, rows, label, where)
            elif sheet == "by_month":
                _month_rows(book, header, rows, where)
            elif sheet == "by_chw":
                _chw_rows(book, header, rows, label, where)
            else:
                _cohort_totals(book, header, rows, label, where)
        elif fmt == "xlsx":
            workbook = load_workbook(io.BytesIO(content), read_only=True)
            sheets = {
                ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook
            }
            _summary_rows(book, sheets["Summary"][1:], label, where)
            _month_rows(book, sheets["By month"][0], sheets["By month"][1:], where)
            cohort = sheets["Utilization cohort"]
            if cohort[0] != ["note"]:
                _cohort_totals(book, cohort[0], cohort[1:], label, where)
        else:
            assert content.startswith(b"%PDF"), (label, kind)
        read += 1
    return read


def _cohort_totals(book: Book, header, rows, label: str, where: str) -> None:
    """The cohort's rows add up to the period's hospital use (and their number to its
    evaluable enrollments): an attacker sums them."""
    records = [dict(zip(header, row, strict=False)) for row in rows]
    book.add("evaluable", label, len(records), where)
    for name in SUMS - {"contacts"}:
        book.add(name, label, sum(float(r[name]) for r in records), where)


def _shown(value):
    return value.marker if getattr(value, "suppressed", False) else value


# -- the attacker -----------------------------------------------------------------------------


def start_interval(measure: str, value) -> tuple[float, float]:
    if isinstance(value, float):
        return value, value
    if measure in SUMS:
        return 0.0, INF
    return (1.0, 10.0) if value == "<11" else (11.0, INF)


def propagate(measure: str, box: dict[str, tuple[float, float]], periods) -> None:
    """Narrow the intervals over year = Σ quarters, quarter = Σ months (distinct people:
    max(children) ≤ parent ≤ Σ children), until nothing moves."""
    families = [(p.label, [c.label for c in p.children()]) for p in periods if p.children()]
    for _round in range(200):
        moved = False
        for parent, children in families:
            if parent not in box or any(c not in box for c in children):
                continue
            los = [box[c][0] for c in children]
            his = [box[c][1] for c in children]
            p_lo, p_hi = box[parent]
            new = {
                parent: (
                    max(p_lo, max(los) if measure in DISTINCT else sum(los)),
                    min(p_hi, sum(his)),
                )
            }
            for i, child in enumerate(children):
                others_hi = sum(his[:i] + his[i + 1 :])
                others_lo = sum(los[:i] + los[i + 1 :])
                hi = p_hi if measure in DISTINCT else p_hi - others_lo
                new[child] = (max(box[child][0], p_lo - others_hi), min(box[child][1], hi))
            for key, (lo, hi) in new.items():
                lo, hi = max(lo, box[key][0]), min(hi, box[key][1])
                if (lo, hi) != box[key] and lo <= hi:
                    box[key] = (lo, hi)
                    moved = True
        if not moved:
            return


def attack(book: Book, periods) -> list[str]:
    failures = []
    # One value per cell, whoever published it.
    settled: dict[tuple[str, str], object] = {}
    for (measure, label), seen in book.cells.items():
        values = {v for v, _where in seen}
        if measure.endswith("_share"):  # rounded differently by each format
            values = {v for v in values if not isinstance(v, float)} | (
                {round(min(v for v in values if isinstance(v, float)), 2)}
                if any(isinstance(v, float) for v in values)
                else set()
            )
        if len(values) > 1:
            failures.append(f"{measure} {label}: different values published: {seen}")
        settled[(measure, label)] = next(iter(values))
    # No plain number from 1 to 10 for a count of people (alerts and snapshots included).
    for (measure, label), value in settled.items():
        counted = (
            measure in COUNTS
            or measure.startswith("alert ")
            or measure
            in (
                "active_now",
                "chws_over_cap",
            )
        )
        if counted and isinstance(value, float) and 0 < value < 11:
            failures.append(f"{measure} {label}: {value:g} people published")
    # A sum over 1 to 10 people is not published.
    for label in {label for _m, label in settled}:
        for measure, people in [("contacts", "patients_served")] + [
            (name, "evaluable") for name in SUMS - {"contacts"}
        ]:
            value, base = settled.get((measure, label)), settled.get((people, label))
            if isinstance(value, float) and base == "<11":
                failures.append(f"{measure} {label}: a sum over fewer than 11 people published")
    # CHW rows: no count of people from 1 to 10.
    for (measure, label), row in book.chw_rows.items():
        if measure != "contacts":
            for value in row:
                if isinstance(value, float) and 0 < value < 11:
                    failures.append(f"by CHW {measure} {label}: {value:g} people published")
    # Interval propagation over the grid, measure by measure.
    for measure in COUNTS | SUMS:
        box = {
            label: start_interval(measure, value)
            for (m, label), value in settled.items()
            if m == measure and value is not None and label != "now"
        }
        propagate(measure, box, periods)
        for label, (lo, hi) in box.items():
            if settled[(measure, label)] in MARKERS and lo == hi:
                failures.append(f"{measure} {label}: hidden, but worked out as {lo:g}")
    # Figures derived from others give nothing back.
    for label in {label for _m, label in settled}:
        get = lambda m, label=label: settled.get((m, label))  # noqa: E731
        for share, part, whole_ in (
            ("handoff_share", "handoffs_accepted", "graduations"),
            ("goals_achieved_share", "goals_achieved", "goals_closed"),
        ):
            if isinstance(get(share), float) and (get(part) in MARKERS) != (get(whole_) in MARKERS):
                failures.append(f"{share} {label}: published beside a hidden {part}/{whole_}")
        for what in ("admissions", "inpatient_days", "ed_visits"):
            trio = [get(f"{side}_{what}") for side in ("pre", "post", "avoided")]
            if sum(v in MARKERS for v in trio) == 1 and None not in trio:
                failures.append(f"{what} {label}: one of before/after/avoided alone hidden")
        if get("pre_admissions") in MARKERS and isinstance(get("gross_savings"), float):
            failures.append(f"gross savings {label}: published over hidden hospital use")
    return failures


def test_every_leader_url_is_either_a_figure_endpoint_or_named_as_none():
    declared = pages()
    leader_urls = {name for name, page in declared.items() if page and LEADER in page.roles}
    leader_urls.add("reports:api_summary")  # public: a leader's token
    assert getattr(declared["reports:api_summary"], "roles", None) == ANYONE
    unknown = leader_urls - set(FIGURES) - set(NOT_FIGURES)
    assert not unknown, f"Leader URLs the disclosure attack does not cover: {sorted(unknown)}"
    assert not (set(FIGURES) | set(NOT_FIGURES)) - leader_urls, "stale names in the lists"


def test_no_hidden_figure_can_be_worked_out_from_the_published_grid(leader, capsys):
    client, key = leader
    periods = grid()
    book = Book()
    with time_machine.travel(NOW, tick=False):
        outputs = sum(collect(client, key, p, book) for p in periods)
        # A cell of a year outside the demo: nothing but zeros, and still no leak.
    hidden = sum(1 for seen in book.cells.values() if seen[0][0] in MARKERS)
    failures = attack(book, periods)
    with capsys.disabled():
        print(
            f"\ndisclosure attack: {len(periods)} periods, {len(FIGURES)} endpoints "
            f"({outputs} outputs in {len(KINDS) + 5} formats), {len(book.cells)} cells "
            f"({hidden} hidden), {len(failures)} failures"
        )
    assert not failures, "\n".join(failures[:40])
    # The attack had something to attack: hidden cells, and published ones around them.
    assert hidden > 20
    assert len(book.cells) > 300


# -- random periods ---------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(1999, 6, 1), max_value=dt.date(2027, 6, 30))
WHOLE = st.builds(
    lambda kind, y, n: {"month": month(y, n), "quarter": quarter(y, (n - 1) // 3 + 1)}.get(
        kind, year(y)
    ),
    st.sampled_from([MONTH, QUARTER, YEAR]),
    st.sampled_from((2025, 2026)),
    st.integers(min_value=1, max_value=12),
)
PAIRS = st.one_of(
    st.tuples(DAYS, DAYS),
    st.tuples(DAYS, DAYS).map(lambda p: (p[0].replace(day=1), p[1])),
    WHOLE.map(lambda p: (p.start, p.end + dt.timedelta(days=1))),
    st.integers(min_value=0, max_value=40).flatmap(
        lambda n: WHOLE.map(lambda p: (p.start, p.end - dt.timedelta(days=n)))
    ),
    WHOLE.map(lambda p: (p.start, p.end)),
)
RANDOM_PAIRS = 500
RANDOM = settings(
    max_examples=RANDOM_PAIRS,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED: dict[str, int] = defaultdict(int)


def _ask(client, key: str, endpoint: str, start: dt.date, end: dt.date):
    if endpoint == "reports:api_summary":
        response = client.get(
            reverse(endpoint),
            {"from": start.isoformat(), "to": end.isoformat()},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        return response.status_code, (response.json() if response.status_code == 200 else None)
    if endpoint == "overview":
        response = client.get(reverse(endpoint), {"from": start.isoformat(), "to": end.isoformat()})
        if response.status_code != 200:
            return response.status_code, None
        return 200, {
            k: _shown(v)
            for k, v in vars(response.context["sections"][0].figures).items()
            if k not in ("program", "period", "today")
        }
    if endpoint == "reports:roi":
        response = client.get(
            reverse(endpoint), {"start": start.isoformat(), "end": end.isoformat()}
        )
        if response.status_code != 200:
            return response.status_code, None
        s = response.context["shown"]
        return 200, {
            "cohort": _shown(s.cohort),
            "evaluable": _shown(s.evaluable),
            **{k: _shown(v) for k, v in s.use.items()},
        }
    response = client.post(
        reverse("reports:exports"),
        {"start": start.isoformat(), "end": end.isoformat(), "kind": "csv-sum"},
    )
    if response.status_code != 200:
        return response.status_code, None
    _header, rows = _csv(response.content)
    return 200, {r[0]: r[1] for r in rows}


@pytest.mark.parametrize(
    "endpoint", ["reports:api_summary", "overview", "reports:roi", "reports:exports"]
)
def test_random_periods_are_refused_or_equal_to_their_grid_cell(leader, endpoint):
    client, key = leader
    answers: dict = {}

    @RANDOM
    @given(pair=PAIRS)
    def check(pair):
        start, end = pair
        TRIED[endpoint] += 1
        with time_machine.travel(NOW, tick=False):
            status, figures = _ask(client, key, endpoint, start, end)
            period = whole(start, end)
            if period is None or period.start > AS_OF or start.year < 2000:
                assert status == 400, (start, end, status)
                return
            assert status == 200, (start, end, status)
            if period not in answers:
                answers[period] = _ask(client, key, endpoint, period.start, period.end)[1]
            assert _comparable(figures) == _comparable(answers[period]), (start, end)

    check()
    print(f"\n{endpoint}: {TRIED[endpoint]} random from/to pairs tried")
    assert TRIED[endpoint] >= RANDOM_PAIRS


def _comparable(figures):
    """The figures without what names the moment of asking (the API's as_of is the same)."""
    return json.loads(json.dumps(figures, default=str))
