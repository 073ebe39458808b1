"""Reads of patient-level data. Each one takes the user and scopes first (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import (
    Case,
    Count,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from caseloads.models import Alert, Encounter, Enrollment, EnrollmentReassignment, Patient
from impact.models import Program, Role, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class ContactFigures(TypedDict):
    """What `with_contact_figures` adds to each enrollment."""

    last_contact_at: dt.datetime | None
    last_touch_at: dt.datetime | None
    last_touch_kind: str | None


EnrollmentWithContact: TypeAlias = "WithAnnotations[Enrollment, ContactFigures]"

CONTACT = Q(encounters__reached=True) & ~Q(encounters__kind__in=Encounter.NON_CONTACT_KINDS)


def enrollments_for(user: User) -> QuerySet[Enrollment]:
    """Every enrollment the user may see: a CHW their own, a manager their teams'."""
    if user.role == Role.CHW:
        return Enrollment.objects.filter(chw=user)
    if user.role == Role.MANAGER:
        return Enrollment.objects.filter(chw__team__manager=user)
    return Enrollment.objects.none()


def chws_for(user: User) -> QuerySet[User]:
    """CHWs whose work the user may see: themselves, or everyone on the teams they manage."""
    if user.role == Role.CHW:
        return User.objects.filter(pk=user.pk)
    if user.role == Role.MANAGER:
        return User.objects.filter(role=Role.CHW, team__manager=user, is_active=True)
    return User.objects.none()


def enrollment_for_user(user: User, pk: int) -> Enrollment:
    """One enrollment in the user's scope, with what its page shows; 404 outside it."""
    return get_object_or_404(
        enrollments_for(user).select_related("patient", "program", "chw", "chw__team"), pk=pk
    )


def enrollment_by_submission_key(user: User, key: str) -> Enrollment | None:
    """The enrollment a form with this submission key already created, in scope."""
    try:
        parsed = uuid.UUID(key)
    except (TypeError, ValueError):
        return None
    return enrollments_for(user).select_related("patient").filter(submission_key=parsed).first()


def start_of_day(program: Program, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=program.tz)


def with_contact_figures(enrollments: QuerySet[Enrollment]) -> QuerySet[EnrollmentWithContact]:
    """Annotate the last reached contact and the last touchpoint (any encounter)."""
    latest = Encounter.objects.filter(enrollment=OuterRef("pk")).order_by("-occurred_at")
    return enrollments.annotate(
        last_contact_at=Max("encounters__occurred_at", filter=CONTACT),
        last_touch_at=Subquery(latest.values("occurred_at")[:1]),
        last_touch_kind=Subquery(latest.values("kind")[:1]),
    )


def caseload_for(user: User, chw: User) -> QuerySet[EnrollmentWithContact]:
    """The CHW's active (enrolled) enrollments with contact figures, in the user's scope."""
    return with_contact_figures(
        enrollments_for(user).filter(chw=chw, status=Enrollment.Status.ENROLLED)
    ).select_related("patient", "program")


@dataclass(frozen=True)
class CaseloadRow:
    """What the caseload table shows for one enrollment on `today`."""

    enrollment: Enrollment
    days_left: int
    days_since_contact: int | None
    contact_overdue: bool
    ending_soon: bool
    next_touchpoint_on: dt.date
    last_touch_label: StrOrPromise

    @property
    def days_past_end(self) -> int:
        return max(0, -self.days_left)

    @classmethod
    def build(cls, enrollment: EnrollmentWithContact, today: dt.date) -> CaseloadRow:
        program = enrollment.program
        enrolled_on, planned_end_on = enrollment.ran_dates()
        last = enrollment.last_contact_at
        last_day = program.local_date(last) if last else None
        since = (today - last_day).days if last_day else None
        basis = last_day or enrolled_on
        due = basis + dt.timedelta(days=program.contact_interval_days)
        days_left = (planned_end_on - today).days
        return cls(
            enrollment=enrollment,
            days_left=days_left,
            days_since_contact=since,
            contact_overdue=(today - basis).days >= program.contact_interval_days,
            ending_soon=days_left <= program.end_warning_days,
            next_touchpoint_on=enrollment.next_touchpoint_on or due,
            last_touch_label=(
                Encounter.Kind(enrollment.last_touch_kind).label
                if enrollment.last_touch_kind
                else ""
            ),
        )


def stale_enrollments(
    user: User, program: Program, today: dt.date
) -> QuerySet[EnrollmentWithContact]:
    """Active enrollments, enrolled at least the contact interval, with no reached contact
    in the last `contact_interval_days` days (the dates today−N+1 … today)."""
    n = program.contact_interval_days
    cutoff = start_of_day(program, today - dt.timedelta(days=n - 1))
    return (
        with_contact_figures(
            enrollments_for(user).filter(
                status=Enrollment.Status.ENROLLED,
                enrolled_on__lte=today - dt.timedelta(days=n),
            )
        )
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff))
        .select_related("patient", "chw", "program")
        .order_by("last_contact_at", "enrolled_on")
    )


# Days-remaining buckets shown per CHW on the team page: (key, first day, last day),
# counted from today; None leaves that side open.
REMAINING_BUCKETS = [
    ("past_end", None, -1),
    ("ends_0_14", 0, 14),
    ("ends_15_60", 15, 60),
    ("ends_61_120", 61, 120),
    ("ends_121_plus", 121, None),
]


def team_caseloads(user: User, today: dt.date) -> QuerySet[User]:
    """CHWs in the user's scope with their active count and days-remaining distribution."""
    enrolled = Q(enrollments__status=Enrollment.Status.ENROLLED)
    buckets = {}
    for key, low, high in REMAINING_BUCKETS:
        condition = enrolled
        if low is not None:
            condition &= Q(enrollments__planned_end_on__gte=today + dt.timedelta(days=low))
        if high is not None:
            condition &= Q(enrollments__planned_end_on__lte=today + dt.timedelta(days=high))
        buckets[key] = Count("enrollments", filter=condition)
    return (
        chws_for(user)
        .select_related("team", "team__program")
        .annotate(active=Count("enrollments", filter=enrolled), **buckets)
        .order_by("team__name", "last_name", "first_name")
    )


def timeline_for(enrollment: Enrollment) -> list[Encounter | EnrollmentReassignment]:
    """The enrollment's encounters (with the goals each worked on) and reassignments,
    newest first (three queries)."""
    encounters = list(
        enrollment.encounters.select_related("author")
        .prefetch_related("goals")
        .order_by("-occurred_at")
    )
    moves = list(enrollment.reassignments.select_related("from_chw", "to_chw", "by"))
    events: list = encounters + moves
    events.sort(key=lambda e: e.occurred_at if isinstance(e, Encounter) else e.at, reverse=True)
    return events


# -- finding a registered patient -------------------------------------------------------
#
# A patient belongs to the CHW of their *current* enrollment: the open one, or else the
# latest (referred last; created last on the same day). That CHW and their manager may
# open the patient by id; a patient never enrolled belongs to nobody. Anyone else finds a
# registered patient only with what they have in hand when they meet them (the MRN, or the
# family name with the date of birth), and learns no more than that the patient is, or
# was, someone else's (DESIGN.md §4: 404 outside the scope, no details).


def _current_enrollment() -> Subquery:
    open_first = Case(When(status__in=Enrollment.OPEN_STATUSES, then=Value(0)), default=Value(1))
    return Subquery(
        Enrollment.objects.filter(patient=OuterRef("pk"), program=OuterRef("program"))
        .order_by(open_first, "-referred_on", "-pk")
        .values("pk")[:1]
    )


def patients_for(user: User) -> QuerySet[Patient]:
    """Patients whose current enrollment is in the user's scope: a CHW's own patients
    (current or former), a manager's teams' patients."""
    if user.role not in (Role.CHW, Role.MANAGER) or not user.program_id:
        return Patient.objects.none()
    return (
        Patient.objects.filter(program_id=user.program_id)
        .annotate(current_enrollment_id=_current_enrollment())
        .filter(current_enrollment_id__in=enrollments_for(user).values("pk"))
    )


def enrollable_once_found(user: User) -> QuerySet[Patient]:
    """Patients the user may start a new enrollment for after finding them by MRN or by
    family name and date of birth: none may have an open enrollment, and

    - a CHW: their own former patients, and patients never enrolled (nobody's yet);
    - a manager: any former patient of the program, whatever team supported them, and
      patients never enrolled; the new enrollment goes to a CHW of their own teams.

    Another CHW's former patient goes through a manager: the CHW is told to ask theirs.
    """
    if user.role not in (Role.CHW, Role.MANAGER) or not user.program_id:
        return Patient.objects.none()
    patients = Patient.objects.filter(program_id=user.program_id).exclude(
        enrollments__status__in=Enrollment.OPEN_STATUSES
    )
    if user.role == Role.MANAGER:
        return patients
    never_enrolled = ~Q(pk__in=Enrollment.objects.values("patient_id"))
    return patients.filter(never_enrolled | Q(pk__in=patients_for(user).values("pk")))


def _normalised_name(text: str) -> str:
    """Case, accents and spacing aside: "NUÑEZ  garcía" finds "Núñez García"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class PatientLookup:
    """What a search found: the matches the user may see (with what they may do), and
    how many other patients match without being shown."""

    to_enroll: list[Patient]  # may start a new enrollment (a link to the enrollment form)
    enrolled: list[Enrollment]  # already on a caseload in the user's scope
    elsewhere: int  # another CHW's or team's: no name, birth date or MRN shown

    @property
    def shown(self) -> int:
        return len(self.to_enroll) + len(self.enrolled)

    @property
    def found(self) -> bool:
        return bool(self.shown or self.elsewhere)


def patient_lookup(
    user: User, *, mrn: str = "", family_name: str = "", date_of_birth: dt.date | None = None
) -> PatientLookup:
    """Patients of the user's program with this MRN (case aside), or else with this family
    name (case, accents and spacing aside) and date of birth; never by a part of a name,
    so the search cannot browse the program's patients. At most 20 matches are read."""
    empty = PatientLookup(to_enroll=[], enrolled=[], elsewhere=0)
    if user.role not in (Role.CHW, Role.MANAGER) or not user.program_id:
        return empty
    patients = Patient.objects.filter(program_id=user.program_id)
    if mrn.strip():
        matches = list(patients.filter(mrn__iexact=mrn.strip())[:20])
    elif family_name.strip() and date_of_birth is not None:
        wanted = _normalised_name(family_name)
        matches = [
            patient
            for patient in patients.filter(date_of_birth=date_of_birth).order_by("pk")[:200]
            if _normalised_name(patient.family_name) == wanted
        ][:20]
    else:
        return empty
    pks = [patient.pk for patient in matches]
    enrollable = set(enrollable_once_found(user).filter(pk__in=pks).values_list("pk", flat=True))
    open_in_scope = {
        e.patient_id: e
        for e in enrollments_for(user)
        .filter(patient_id__in=pks, status__in=Enrollment.OPEN_STATUSES)
        .select_related("patient", "chw")
    }
    matches.sort(key=lambda p: (p.family_name, p.given_name, p.pk))
    to_enroll = [p for p in matches if p.pk in enrollable]
    enrolled = [open_in_scope[p.pk] for p in matches if p.pk in open_in_scope]
    return PatientLookup(
        to_enroll=to_enroll,
        enrolled=enrolled,
        elsewhere=len(matches) - len(to_enroll) - len(enrolled),
    )


def patient_to_enroll(user: User, pk: int, *, found: Collection[int] = ()) -> Patient:
    """The patient whose enrollment form the user opens, by id; 404 unless the patient is
    in the user's scope (`patients_for`), or the user found them by search (`found`, kept
    in their session) and may enroll them (`enrollable_once_found`). An id alone never
    shows anyone else's patient."""
    if user.program_id is None:  # an administrator: no program, no patients
        raise Http404
    in_scope = Q(pk__in=patients_for(user).values("pk"))
    found_here = Q(pk__in=[p for p in found if isinstance(p, int)]) & Q(
        pk__in=enrollable_once_found(user).values("pk")
    )
    return get_object_or_404(
        Patient.objects.filter(program_id=user.program_id).filter(in_scope | found_here), pk=pk
    )


def patients_shown_of(user: User, patients: list[Patient]) -> tuple[list[Patient], int]:
    """Split possible duplicates into those the user may see (in their scope) and how
    many others there are (counted, never shown)."""
    visible = set(
        patients_for(user).filter(pk__in=[p.pk for p in patients]).values_list("pk", flat=True)
    )
    shown = [p for p in patients if p.pk in visible]
    return shown, len(patients) - len(shown)


# -- alerts -------------------------------------------------------------------------------


def alerts_for(user: User) -> QuerySet[Alert]:
    """Alerts the user may see: a CHW their own (not the manager-only kinds), a manager
    their teams' (DESIGN.md §4); leaders see counts only, on the program overview."""
    if user.role == Role.CHW:
        return Alert.objects.filter(chw=user).exclude(kind__in=Alert.MANAGER_ONLY_KINDS)
    if user.role == Role.MANAGER:
        return Alert.objects.filter(chw__team__manager=user)
    return Alert.objects.none()


def alert_for_user(user: User, pk: int) -> Alert:
    return get_object_or_404(
        alerts_for(user).select_related("enrollment__patient", "chw", "program"), pk=pk
    )


URGENCY_ORDER = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(Alert.URGENCY)),
    default=Value(len(Alert.URGENCY)),
)


def unresolved_alerts(user: User, chw: User | None = None) -> QuerySet[Alert]:
    """Open and acknowledged alerts in scope: open ones first, the most pressing kind
    first (Alert.URGENCY), then the oldest."""
    alerts = alerts_for(user).filter(status__in=Alert.UNRESOLVED)
    if chw is not None:
        alerts = alerts.filter(chw=chw)
    return alerts.select_related("enrollment__patient", "chw").order_by(
        "-status", URGENCY_ORDER, "opened_on", "pk"
    )


def open_alert_count(user: User) -> int:
    """Alerts nobody has acknowledged yet: the number in the navigation."""
    return alerts_for(user).filter(status=Alert.Status.OPEN).count()


@dataclass
class ChwAlerts:
    """One CHW's row on the manager's alert board."""

    chw: User
    by_kind: dict[str, list[Alert]]
    stale: int

    @property
    def total(self) -> int:
        return sum(len(alerts) for alerts in self.by_kind.values())

    @property
    def over_cap(self) -> Alert | None:
        return next(iter(self.by_kind.get(Alert.Kind.CASELOAD_OVER_CAP, [])), None)

    @property
    def after_hours(self) -> Alert | None:
        return next(iter(self.by_kind.get(Alert.Kind.AFTER_HOURS_WORK, [])), None)


def alert_board(user: User, today: dt.date) -> list[ChwAlerts]:
    """The manager's team alerts grouped by CHW and kind (two queries); every CHW of the
    teams appears, with or without alerts."""
    rows = {
        chw.pk: ChwAlerts(chw=chw, by_kind={}, stale=0)
        for chw in chws_for(user).select_related("team").order_by("team__name", "last_name")
    }
    for alert in unresolved_alerts(user):
        row = rows.get(alert.chw_id)
        if row is None:  # a CHW who left the team (inactive) still has alerts: show them
            row = rows[alert.chw_id] = ChwAlerts(chw=alert.chw, by_kind={}, stale=0)
        row.by_kind.setdefault(alert.kind, []).append(alert)
        row.stale += alert.is_stale(today)
    return list(rows.values())
