"""Burnout-risk factors per CHW as of one day (DESIGN.md §5.2).

Two steps, so the arithmetic can be tested without a database and the reads stay bounded:
`load_frames` reads the program's CHWs and what the factors need in a fixed number of
set-based queries (the same count for 1 CHW or 1,000) into pandas frames; `compute` is a
pure function over those frames that returns, per CHW, one `Factor` per entry of `FACTORS`
in that order. `burnout_for` does both.

Conventions (DESIGN.md §5): days are local dates in the program's time zone; "the last N
days" as of d are the dates d−N+1 … d; a share with an empty denominator is "no data"
(value None, never flagged). These figures are for supportive supervision, never for
performance review: the texts say what to talk about, not what went wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
from django.db.models import Max, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caseloads.alerts import SweepDay
from caseloads.models import Encounter, Enrollment
from impact.models import Program, Role, TrainingRecord, User
from supervision.models import SupervisionSession, TimeOff, WellbeingCheckIn

if TYPE_CHECKING:
    from pandas._libs.tslibs.nattype import NaTType
    from pandas._typing import Scalar

WINDOW_DAYS = 28
CHECK_IN_DAYS = 45
# after_hours_share is only flagged with enough encounters to make a share meaningful.
MIN_ENCOUNTERS_FOR_SHARE = 10
# high_intensity: the threshold for a CHW without mental-health training.
UNTRAINED_HIGH_INTENSITY = 1

Number = int | float
Text = str | Promise


class CfirDomain(TextChoices):
    """The CFIR 2.0 domains a factor comes from (shown next to each factor)."""

    INNOVATION = "innovation", _("Innovation")
    OUTER_SETTING = "outer_setting", _("Outer setting")
    INNER_SETTING = "inner_setting", _("Inner setting")
    INDIVIDUALS = "individuals", _("Individuals")
    IMPLEMENTATION_PROCESS = "implementation_process", _("Implementation process")


@dataclass(frozen=True)
class FactorSpec:
    """What a factor is: its code, label, threshold, CFIR domain and supportive texts.

    `threshold` is a number, or a callable taking the program's `supervision_interval_days`
    (keyword) for thresholds that depend on the program's settings.
    """

    code: str
    label: Text
    threshold: Number | Callable[..., Number]
    cfir_domain: str
    talk_about: Text
    for_chw: Text

    def threshold_for(self, *, supervision_interval_days: int) -> Number:
        if callable(self.threshold):
            return self.threshold(supervision_interval_days=supervision_interval_days)
        return self.threshold


@dataclass(frozen=True)
class Factor:
    """One factor's value for one CHW; `value` None means "no data"."""

    code: str
    value: Number | None
    threshold: Number
    flagged: bool
    spec: FactorSpec

    def to_json(self) -> dict:
        """What BurnoutSnapshot.factors stores under the factor's code."""
        return {"value": self.value, "threshold": self.threshold, "flagged": self.flagged}


def _twice_the_supervision_interval(*, supervision_interval_days: int) -> int:
    return 2 * supervision_interval_days


# CFIR domains: workload, team coverage, rest and the relationship with clinical colleagues
# are conditions of the organisation the CHW works in (inner setting); after-hours habits,
# crisis load relative to one's training, and how one feels are about the person doing the
# work (individuals); contacts after the end date come from the model's fixed duration
# itself (innovation); enrollments kept past their end and supervision cadence are about
# how the program is carried out day to day (implementation process).
FACTORS: tuple[FactorSpec, ...] = (
    FactorSpec(
        code="caseload_ratio",
        label=_("Caseload compared with the cap"),
        threshold=1.0,
        cfir_domain=CfirDomain.INNER_SETTING,
        talk_about=_(
            "The caseload is at or over the program's standard. Look at it together: who is "
            "close to graduating, and whether new referrals can go to a teammate for a while."
        ),
        for_chw=_(
            "You are carrying as many patients as the program's standard, or more. That is a "
            "lot: your manager can help spread new referrals for a while."
        ),
    ),
    FactorSpec(
        code="caseload_growth",
        label=_("Caseload growth over 28 days"),
        threshold=5,
        cfir_domain=CfirDomain.INNER_SETTING,
        talk_about=_(
            "The caseload grew quickly this month. Ask how the new patients are settling in "
            "and whether intakes can be paced."
        ),
        for_chw=_(
            "Your caseload grew quickly this month. Starting with many new patients at once is "
            "demanding: it is fine to ask for intakes to be paced."
        ),
    ),
    FactorSpec(
        code="after_hours_share",
        label=_("Share of contacts outside working hours"),
        threshold=0.20,
        cfir_domain=CfirDomain.INDIVIDUALS,
        talk_about=_(
            "Much of the recent work happened outside working hours. Talk about what pulls "
            "work into the evenings and how to take that time back."
        ),
        for_chw=_(
            "A good part of your recent work happened outside your hours. Your time off "
            "matters: take the time back, and talk with your manager about what pulls work "
            "into the evenings."
        ),
    ),
    FactorSpec(
        code="post_end_contacts",
        label=_("Contacts after the program end date"),
        threshold=3,
        cfir_domain=CfirDomain.INNOVATION,
        talk_about=_(
            "Patients keep reaching out after their program ended. Agree who takes over and "
            "how to close warmly; ending support is hard for both sides."
        ),
        for_chw=_(
            "Some patients keep contacting you after their program ended. That shows the bond "
            "you built; you do not have to carry it alone, so plan the handoff with your "
            "manager."
        ),
    ),
    FactorSpec(
        code="overdue_enrollments",
        label=_("Patients past their planned end date"),
        threshold=2,
        cfir_domain=CfirDomain.IMPLEMENTATION_PROCESS,
        talk_about=_(
            "Several patients are past their planned end date. Review each one together: "
            "graduate with a handoff, or agree an extension."
        ),
        for_chw=_(
            "A few of your patients are past their planned end date. Your manager can help "
            "plan each handoff or agree an extension."
        ),
    ),
    FactorSpec(
        code="high_intensity",
        label=_("Mental-health crises and safety concerns"),
        threshold=3,
        cfir_domain=CfirDomain.INDIVIDUALS,
        talk_about=_(
            "Recent work included mental-health crises or safety concerns. Debrief them, "
            "check how the CHW is coping, and offer mental-health training if not done yet."
        ),
        for_chw=_(
            "You have recently supported patients through crises or safety worries. That "
            "weighs on anyone: talk it through with your manager, and ask about mental-health "
            "training if you would like it."
        ),
    ),
    FactorSpec(
        code="days_since_time_off",
        label=_("Days since the last time off"),
        threshold=90,
        cfir_domain=CfirDomain.INNER_SETTING,
        talk_about=_(
            "It has been a long time since the last time off. Help plan a break and arrange "
            "a backup for the patients."
        ),
        for_chw=_(
            "It has been a while since your last time off. Rest is part of the work: plan a "
            "break with your manager, who can arrange a backup for your patients."
        ),
    ),
    FactorSpec(
        code="worked_on_leave",
        label=_("Contacts logged during time off"),
        threshold=1,
        cfir_domain=CfirDomain.INNER_SETTING,
        talk_about=_(
            "Work was logged during time off. Check that the backup arrangement worked and "
            "that patients knew whom to reach."
        ),
        for_chw=_(
            "Some work was logged on your days off. Your time off is yours: let your manager "
            "know if the backup arrangement did not cover what was needed."
        ),
    ),
    FactorSpec(
        code="days_since_supervision",
        label=_("Days since the last one-on-one"),
        threshold=_twice_the_supervision_interval,
        cfir_domain=CfirDomain.IMPLEMENTATION_PROCESS,
        talk_about=_(
            "There has been no one-on-one for a while. Book one soon: it is the main "
            "support the model gives CHWs."
        ),
        for_chw=_(
            "It has been a while since your last one-on-one. It is your time for support: "
            "ask your manager to book one."
        ),
    ),
    FactorSpec(
        code="self_reported_burnout",
        label=_("Self-rated burnout (latest check-in)"),
        threshold=3,
        cfir_domain=CfirDomain.INDIVIDUALS,
        talk_about=_(
            "The latest check-in reports symptoms of burnout. Listen first, ask what would "
            "help, and share the support available."
        ),
        for_chw=_(
            "In your last check-in you said you are feeling burned out. Thank you for saying "
            "so: your manager is there to listen and to find support with you."
        ),
    ),
    FactorSpec(
        code="integration_friction",
        label=_("Times the CHW role was dismissed by clinical colleagues"),
        threshold=2,
        cfir_domain=CfirDomain.INNER_SETTING,
        talk_about=_(
            "Clinical colleagues dismissed the CHW's role recently. Ask what happened and "
            "take it up with the clinical team: it is the organisation's job to fix."
        ),
        for_chw=_(
            "Clinical colleagues dismissed your role recently. That is not on you: tell your "
            "manager what happened so they can take it up with the clinical team."
        ),
    ),
)

SPECS: dict[str, FactorSpec] = {spec.code: spec for spec in FACTORS}


def level_for(flag_count: int) -> str:
    """DESIGN.md §5.2: 0–1 flags "low", 2–3 "elevated", 4 or more "high"."""
    if flag_count >= 4:
        return "high"
    if flag_count >= 2:
        return "elevated"
    return "low"


@dataclass(frozen=True, eq=False)
class Frames:
    """What `compute` needs, as frames (dates as datetime64 at midnight, NaT for none)."""

    chws: pd.DataFrame  # chw_id, hired_on
    enrollments: pd.DataFrame  # chw_id, enrolled_on, closed_on, planned_end_on
    # author_id, on (local date), after_hours, after_end, mental_health_crisis, safety_concern
    encounters: pd.DataFrame
    time_off: pd.DataFrame  # chw_id, starts_on, ends_on
    last_one_on_one: pd.DataFrame  # chw_id, last_on
    check_ins: pd.DataFrame  # chw_id, on, burnout_score, integration_friction
    mental_health_trained: frozenset[int]


def _frame(
    rows: Iterable[Mapping[str, Any]], columns: list[str], dates: tuple[str, ...] = ()
) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_frames(
    *, program: Program, day: dt.date, chw_ids: Collection[int] | None = None
) -> Frames:
    """Read what the factors of the program's CHWs (or of `chw_ids` among them) need as of
    `day`: seven queries whatever the number of CHWs."""
    sweep = SweepDay(program=program, day=day)
    chws = User.objects.filter(role=Role.CHW, team__program=program, is_active=True)
    if chw_ids is not None:
        chws = chws.filter(pk__in=list(chw_ids))
    in_scope = chws.values("pk")
    month_ago = day - dt.timedelta(days=WINDOW_DAYS)

    chw_frame = _frame(
        chws.order_by("pk").values("pk", "hired_on"), ["pk", "hired_on"], ("hired_on",)
    ).rename(columns={"pk": "chw_id"})
    # Enrollments that can be active on d or on d−28 (DESIGN.md §3, "active on day d").
    enrollments = _frame(
        Enrollment.objects.filter(
            program=program,
            chw__in=in_scope,
            status__in=Enrollment.RAN_STATUSES,
            enrolled_on__lte=day,
        )
        .exclude(closed_on__lte=month_ago)
        .values("chw_id", "enrolled_on", "closed_on", "planned_end_on"),
        ["chw_id", "enrolled_on", "closed_on", "planned_end_on"],
        ("enrolled_on", "closed_on", "planned_end_on"),
    )
    start, end = sweep.last_days(WINDOW_DAYS)
    encounter_columns = [
        "author_id",
        "occurred_at",
        "after_hours",
        "after_end",
        "mental_health_crisis",
        "safety_concern",
    ]
    encounters = _frame(
        Encounter.objects.filter(
            author__in=in_scope, occurred_at__gte=start, occurred_at__lt=end
        ).values(*encounter_columns),
        encounter_columns,
    )
    moments = pd.to_datetime(encounters.pop("occurred_at"), utc=True)
    encounters.insert(
        1, "on", moments.dt.tz_convert(program.tz).dt.tz_localize(None).dt.normalize()
    )
    time_off = _frame(
        TimeOff.objects.filter(chw__in=in_scope, starts_on__lte=day).values(
            "chw_id", "starts_on", "ends_on"
        ),
        ["chw_id", "starts_on", "ends_on"],
        ("starts_on", "ends_on"),
    )
    last_one_on_one = _frame(
        SupervisionSession.objects.filter(
            chw__in=in_scope, kind=SupervisionSession.Kind.ONE_ON_ONE, occurred_on__lte=day
        )
        .values("chw_id")
        .annotate(last_on=Max("occurred_on"))
        .order_by(),
        ["chw_id", "last_on"],
        ("last_on",),
    )
    check_ins = _frame(
        WellbeingCheckIn.objects.filter(
            chw__in=in_scope,
            on__gte=day - dt.timedelta(days=CHECK_IN_DAYS - 1),
            on__lte=day,
        ).values("chw_id", "on", "burnout_score", "integration_friction"),
        ["chw_id", "on", "burnout_score", "integration_friction"],
        ("on",),
    )
    trained = frozenset(
        TrainingRecord.objects.filter(
            user__in=in_scope,
            topic=TrainingRecord.Topic.MENTAL_HEALTH,
            completed_on__lte=day,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    return Frames(
        chws=chw_frame,
        enrollments=enrollments,
        encounters=encounters,
        time_off=time_off,
        last_one_on_one=last_one_on_one,
        check_ins=check_ins,
        mental_health_trained=trained,
    )


def _per_chw(
    series: pd.Series, index: pd.Index, fill: Scalar | NaTType | None = 0
) -> dict[int, Any]:
    # The index is the CHWs' ids; the values are pandas scalars (counts, dates, scores).
    # pandas-stubs leave NaT out of fill_value's type; pandas takes it for dates.
    filled = series.reindex(index, fill_value=fill)  # type: ignore[arg-type]
    return cast("dict[int, Any]", filled.to_dict())


def _days(later: pd.Timestamp, earlier: Any) -> int | None:
    """Whole days from `earlier` (a timestamp, NaT or None) to `later`."""
    if earlier is None or pd.isna(earlier):
        return None
    return int((later - earlier).days)


def compute(
    frames: Frames, *, day: dt.date, caseload_cap: int, supervision_interval_days: int
) -> dict[int, list[Factor]]:
    """The factors of every CHW in `frames` as of `day`, in `FACTORS` order (no queries)."""
    d = pd.Timestamp(day)
    window_start = d - pd.Timedelta(days=WINDOW_DAYS - 1)
    month_ago = d - pd.Timedelta(days=WINDOW_DAYS)
    check_in_start = d - pd.Timedelta(days=CHECK_IN_DAYS - 1)
    index = pd.Index([int(pk) for pk in frames.chws["chw_id"]], name="chw_id")

    enrollments = frames.enrollments

    def active_on(on: pd.Timestamp) -> pd.Series:
        return (enrollments["enrolled_on"] <= on) & (
            enrollments["closed_on"].isna() | (on < enrollments["closed_on"])
        )

    active_now = active_on(d)
    active = _per_chw(enrollments[active_now].groupby("chw_id").size(), index)
    active_before = _per_chw(enrollments[active_on(month_ago)].groupby("chw_id").size(), index)
    overdue = _per_chw(
        enrollments[active_now & (enrollments["planned_end_on"] < d)].groupby("chw_id").size(),
        index,
    )

    encounters = frames.encounters
    encounters = encounters[(encounters["on"] >= window_start) & (encounters["on"] <= d)]
    flags = pd.DataFrame(
        {
            "author_id": encounters["author_id"],
            "all": 1,
            "after_hours": encounters["after_hours"].astype(bool).astype(int),
            "after_end": encounters["after_end"].astype(bool).astype(int),
            "intense": (
                encounters["mental_health_crisis"].astype(bool)
                | encounters["safety_concern"].astype(bool)
            ).astype(int),
        }
    )
    counts = flags.groupby("author_id").sum().reindex(index, fill_value=0)

    time_off = frames.time_off[frames.time_off["starts_on"] <= d]
    on_leave = encounters.reset_index(drop=True).reset_index(names="row")
    on_leave = on_leave.merge(time_off, left_on="author_id", right_on="chw_id")
    on_leave = on_leave[
        (on_leave["starts_on"] <= on_leave["on"]) & (on_leave["on"] <= on_leave["ends_on"])
    ]
    worked_on_leave = _per_chw(on_leave.groupby("author_id")["row"].nunique(), index)
    off_today = {int(pk) for pk in time_off.loc[time_off["ends_on"] >= d, "chw_id"]}
    last_off = _per_chw(
        time_off[time_off["ends_on"] <= d].groupby("chw_id")["ends_on"].max(), index, pd.NaT
    )

    hired_on = _per_chw(frames.chws.set_index("chw_id")["hired_on"], index, pd.NaT)
    sessions = frames.last_one_on_one
    last_session = _per_chw(
        sessions[sessions["last_on"] <= d].groupby("chw_id")["last_on"].max(), index, pd.NaT
    )

    check_ins = frames.check_ins
    check_ins = check_ins[(check_ins["on"] >= check_in_start) & (check_ins["on"] <= d)]
    latest_score = _per_chw(
        check_ins.sort_values("on").groupby("chw_id")["burnout_score"].last(), index, None
    )
    in_window = check_ins[check_ins["on"] >= window_start]
    friction = _per_chw(in_window.groupby("chw_id")["integration_friction"].sum(), index)

    supervision_threshold = SPECS["days_since_supervision"].threshold_for(
        supervision_interval_days=supervision_interval_days
    )
    results: dict[int, list[Factor]] = {}
    for chw_id in (int(pk) for pk in index):
        row = counts.loc[chw_id]
        assert isinstance(row, pd.Series)  # one row per CHW
        total = int(row["all"])
        share = int(row["after_hours"]) / total if total else None
        since_off: int | None = 0
        if chw_id in off_today:
            since_off = 0
        else:
            since_off = _days(d, last_off[chw_id])
            if since_off is None:
                since_off = _days(d, hired_on[chw_id])
        since_session = _days(d, last_session[chw_id])
        if since_session is None:
            since_session = _days(d, hired_on[chw_id])
        score = latest_score[chw_id]
        values: dict[str, tuple[Number | None, Number | None]] = {
            "caseload_ratio": (int(active[chw_id]) / caseload_cap, None),
            "caseload_growth": (int(active[chw_id]) - int(active_before[chw_id]), None),
            "after_hours_share": (share, None),
            "post_end_contacts": (int(row["after_end"]), None),
            "overdue_enrollments": (int(overdue[chw_id]), None),
            "high_intensity": (
                int(row["intense"]),
                None if chw_id in frames.mental_health_trained else UNTRAINED_HIGH_INTENSITY,
            ),
            "days_since_time_off": (since_off, None),
            "worked_on_leave": (int(worked_on_leave[chw_id]), None),
            "days_since_supervision": (since_session, supervision_threshold),
            "self_reported_burnout": (
                None if score is None or pd.isna(score) else int(score),
                None,
            ),
            "integration_friction": (int(friction[chw_id]), None),
        }
        factors = []
        for spec in FACTORS:
            value, threshold = values[spec.code]
            if threshold is None:
                threshold = spec.threshold_for(supervision_interval_days=supervision_interval_days)
            # No data is never flagged, except a CHW never supervised (and no hire date).
            never = spec.code == "days_since_supervision"
            flagged = never if value is None else value >= threshold
            if spec.code == "after_hours_share":
                flagged = flagged and total >= MIN_ENCOUNTERS_FOR_SHARE
            factors.append(
                Factor(code=spec.code, value=value, threshold=threshold, flagged=flagged, spec=spec)
            )
        results[chw_id] = factors
    return results


def burnout_for(
    *, program: Program, day: dt.date, chw_ids: Collection[int] | None = None
) -> dict[int, list[Factor]]:
    """The burnout-risk factors of the program's CHWs (or `chw_ids`) as of `day`."""
    frames = load_frames(program=program, day=day, chw_ids=chw_ids)
    return compute(
        frames,
        day=day,
        caseload_cap=program.caseload_cap,
        supervision_interval_days=program.supervision_interval_days,
    )
