"""Patients, their enrollments with a CHW, and the encounters logged against them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from impact.audit import history
from impact.lib.languages import language_name_shown
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program


class RaceEthnicity(models.TextChoices):
    """Self-reported, optional, several answers allowed (never inferred by staff)."""

    AMERICAN_INDIAN = "american_indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    HISPANIC = "hispanic", _("Hispanic or Latino/a/e")
    MIDDLE_EASTERN = "middle_eastern", _("Middle Eastern or North African")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Pacific Islander")
    WHITE = "white", _("White")
    OTHER = "other", _("Another identity")
    DECLINED = "declined", _("Decline to answer")


class Patient(models.Model):
    """A person supported by the program.

    There is deliberately no immigration-status field (DESIGN.md §1): health systems that
    protect immigrant patients do not document it, and no form here asks for it.
    """

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="patients", verbose_name=_("program")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    mrn = models.CharField(
        _("MRN"),
        max_length=40,
        blank=True,
        help_text=_("Medical record number, if the patient has one."),
    )
    phone = PhoneNumberField(_("phone"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    zip_code = models.CharField(
        _("ZIP code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{5}(-\d{4})?$", _("Enter a ZIP code like 19104."))],
    )
    race_ethnicity = models.JSONField(_("race and ethnicity"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mrn"],
                condition=~Q(mrn=""),
                name="patient_mrn_unique_in_program",
            )
        ]
        indexes = [
            # Duplicate check and enrollment search: same program, same birth date.
            models.Index(fields=["program", "date_of_birth"], name="patient_program_dob"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}"

    @property
    def language_name(self) -> str:
        return language_name_shown(self.preferred_language)  # in the page's language

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Enrollment(models.Model):
    """One patient's course with one CHW in one program, from referral to closing."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ENROLLED = "enrolled", _("Enrolled")
        GRADUATED = "graduated", _("Graduated")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")
        INELIGIBLE = "ineligible", _("Ineligible")

    OPEN_STATUSES = (Status.REFERRED, Status.ENROLLED)
    # Enrollments that actually ran (DESIGN.md §3, "active on day d").
    RAN_STATUSES = (Status.ENROLLED, Status.GRADUATED, Status.WITHDRAWN)

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("patient")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("program")
    )
    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("CHW"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    referred_on = models.DateField(_("referred on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=500, blank=True)
    backup_chw = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backup_enrollments",
        verbose_name=_("backup CHW"),
    )
    handoff_to = models.CharField(_("handed off to"), max_length=200, blank=True)
    handoff_accepted = models.BooleanField(_("handoff accepted"), null=True, blank=True)
    summary = models.TextField(_("graduation summary"), max_length=NOTES_MAX_LENGTH, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A manager may extend the planned end once (issue 4); these record when, why and by whom.
    extended_from = models.DateField(_("original planned end"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    extended_at = models.DateTimeField(null=True, blank=True)
    next_touchpoint_on = models.DateField(_("next planned contact"), null=True, blank=True)
    # Idempotency key from the form that created the row: a double submit finds it.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "program"],
                condition=Q(status__in=["referred", "enrolled"]),
                name="one_open_enrollment_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(enrolled_on__isnull=True) | Q(enrolled_on__gte=models.F("referred_on")),
                name="enrollment_enrolled_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True)
                | Q(planned_end_on__gt=models.F("enrolled_on")),
                name="enrollment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("referred_on")),
                name="enrollment_closed_after_referral",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["enrolled", "graduated", "withdrawn"])
                | Q(enrolled_on__isnull=False, planned_end_on__isnull=False),
                name="enrollment_ran_has_dates",
            ),
        ]
        indexes = [
            # Caseload pages: a CHW's (or a team's) enrollments by status.
            models.Index(fields=["chw", "status"], name="enrollment_chw_status"),
            # Program-wide sweeps and figures over running enrollments.
            models.Index(
                fields=["program", "status", "planned_end_on"], name="enrollment_prog_end"
            ),
            # Cohorts and figures by enrollment date (the ROI cohort, the overview's
            # enrollments in the period): a range of days instead of every enrollment.
            models.Index(
                fields=["program", "enrolled_on", "status"], name="enrollment_prog_enrolled"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def started_on(self) -> dt.date:
        """The first day encounters may be logged: enrollment, or referral for outreach."""
        return self.enrolled_on or self.referred_on

    def ran_dates(self) -> tuple[dt.date, dt.date]:
        """The enrollment and planned-end dates of an enrollment that ran (enrolled, then
        perhaps closed): the check `enrollment_ran_has_dates` keeps both set for those."""
        if self.enrolled_on is None or self.planned_end_on is None:
            raise ValueError(f"Enrollment {self.pk} ({self.status}) has not started.")
        return self.enrolled_on, self.planned_end_on

    def is_active_on(self, day: dt.date) -> bool:
        """DESIGN.md §3: actually enrolled, started on or before `day`, not yet closed."""
        return (
            self.status in self.RAN_STATUSES
            and self.enrolled_on is not None
            and self.enrolled_on <= day
            and (self.closed_on is None or day < self.closed_on)
        )

    def is_after_end(self, day: dt.date) -> bool:
        """A day after the planned end date, or after the enrollment was closed."""
        return bool(
            (self.planned_end_on and day > self.planned_end_on)
            or (self.closed_on and day > self.closed_on)
        )

    def days_left(self, today: dt.date) -> int | None:
        return (self.planned_end_on - today).days if self.planned_end_on else None

    @property
    def was_extended(self) -> bool:
        return self.extended_from is not None


class EnrollmentReassignment(models.Model):
    """A manager moved an enrollment from one CHW to another, and why."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="reassignments"
    )
    from_chw = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_chw = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.from_chw} → {self.to_chw} ({self.at:%Y-%m-%d})"


class EncounterQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fill each encounter's program from its enrollment, as `save()` does."""
        objs = list(objs)
        for obj in objs:
            obj.fill_program()
        return super().bulk_create(objs, *args, **kwargs)


class Encounter(models.Model):
    """A visit, call, message, outreach attempt or note logged for an enrollment."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        COMMUNITY_VISIT = "community_visit", _("Community visit")
        CLINIC_VISIT = "clinic_visit", _("Clinic visit")
        HOSPITAL_VISIT = "hospital_visit", _("Hospital visit")
        ACCOMPANIMENT = "accompaniment", _("Accompaniment")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")
        TEXT = "text", _("Text message")
        OUTREACH_ATTEMPT = "outreach_attempt", _("Outreach attempt")
        CHART_REVIEW = "chart_review", _("Chart review")
        SAFETY_NOTE = "safety_note", _("Safety note")

    class Setting(models.TextChoices):
        COMMUNITY = "community", _("Community")
        CLINICAL = "clinical", _("Clinical")
        REMOTE = "remote", _("Remote")

    class InitiatedBy(models.TextChoices):
        CHW = "chw", _("CHW")
        PATIENT = "patient", _("Patient")

    # Chart reviews and safety notes are never contacts with the patient (DESIGN.md §3).
    NON_CONTACT_KINDS = (Kind.CHART_REVIEW, Kind.SAFETY_NOTE)
    DEFAULT_SETTING: dict[str, str] = {
        Kind.HOME_VISIT: Setting.COMMUNITY,
        Kind.COMMUNITY_VISIT: Setting.COMMUNITY,
        Kind.ACCOMPANIMENT: Setting.COMMUNITY,
        Kind.CLINIC_VISIT: Setting.CLINICAL,
        Kind.HOSPITAL_VISIT: Setting.CLINICAL,
        Kind.CHART_REVIEW: Setting.CLINICAL,
        Kind.PHONE: Setting.REMOTE,
        Kind.VIDEO: Setting.REMOTE,
        Kind.TEXT: Setting.REMOTE,
        Kind.OUTREACH_ATTEMPT: Setting.REMOTE,
        Kind.SAFETY_NOTE: Setting.COMMUNITY,
    }

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="encounters")
    # The enrollment's program, copied (it never changes) so the program-wide figures
    # read one index instead of joining two million encounters to their enrollments.
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("program"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="encounters"
    )
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    setting = models.CharField(_("setting"), max_length=10, choices=Setting.choices)
    reached = models.BooleanField(_("patient reached"), default=True)
    initiated_by = models.CharField(
        _("initiated by"), max_length=8, choices=InitiatedBy.choices, default=InitiatedBy.CHW
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    mental_health_crisis = models.BooleanField(_("mental-health crisis"), default=False)
    safety_concern = models.BooleanField(_("safety concern"), default=False)
    # Derived and stored for fast filtering (DESIGN.md §3); see caseloads.services.
    after_hours = models.BooleanField(default=False, editable=False)
    after_end = models.BooleanField(default=False, editable=False)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = history()  # every change, and who made it (impact.audit)

    objects = EncounterQuerySet.as_manager()

    class Meta:
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["chart_review", "safety_note"]) | Q(reached=False),
                name="encounter_notes_are_not_contacts",
            ),
        ]
        indexes = [
            # Timeline and last-contact figures: an enrollment's encounters by time.
            models.Index(fields=["enrollment", "occurred_at"], name="encounter_enr_time"),
            # Per-CHW figures (after-hours work, workload) over a window.
            models.Index(fields=["author", "occurred_at"], name="encounter_author_time"),
            # Program figures (reports.figures._contacts: the overview's contacts,
            # contacts by month, contacts by CHW): every column they read, so counting a
            # year of a large program's contacts reads this index alone.
            models.Index(
                fields=["program", "occurred_at", "reached", "kind", "author"],
                name="encounter_program_time",
            ),
            # Alert sweep: after-hours and after-end encounters of the last 7 days.
            models.Index(
                fields=["occurred_at"],
                condition=Q(after_hours=True) | Q(after_end=True),
                name="encounter_flagged_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.fill_program()
        super().save(*args, **kwargs)

    def fill_program(self) -> None:
        if self.program_id is None and self.enrollment_id is not None:
            self.program_id = self.enrollment.program_id

    @property
    def is_contact(self) -> bool:
        """A reached contact with the patient (what contact standards count)."""
        return self.reached and self.kind not in self.NON_CONTACT_KINDS


class Alert(models.Model):
    """A boundary crossing the CHW and their manager should see (DESIGN.md §5.1).

    The sweep in `caseloads.alerts` opens and resolves alerts; people acknowledge or
    resolve them. `occurrence` names the occurrence an alert is about (the planned end
    date, the latest after-end encounter, ...), and `cleared_on` the day the condition
    was last seen gone: an alert a person resolved is not reopened while its occurrence
    lasts (`cleared_on` empty and the same `occurrence`).
    """

    class Kind(models.TextChoices):
        END_APPROACHING = "end_approaching", _("Program end approaching")
        END_OVERDUE = "end_overdue", _("Past the program end date")
        CONTACT_AFTER_END = "contact_after_end", _("Contact after the end date")
        NO_RECENT_CONTACT = "no_recent_contact", _("No recent contact")
        GOAL_MISSING = "goal_missing", _("No goal yet")
        CASELOAD_OVER_CAP = "caseload_over_cap", _("Caseload over the cap")
        AFTER_HOURS_WORK = "after_hours_work", _("Work after hours")
        SUPERVISION_OVERDUE = "supervision_overdue", _("Supervision overdue")
        BURNOUT_RISK_HIGH = "burnout_risk_high", _("High burnout risk")
        SUPPORT_REQUESTED = "support_requested", _("Support requested")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED)
    # Most pressing first: what the inbox and the home page show at the top.
    URGENCY = (
        Kind.END_OVERDUE,
        Kind.END_APPROACHING,
        Kind.CONTACT_AFTER_END,
        Kind.NO_RECENT_CONTACT,
        Kind.GOAL_MISSING,
        Kind.SUPPORT_REQUESTED,
        Kind.BURNOUT_RISK_HIGH,
        Kind.CASELOAD_OVER_CAP,
        Kind.AFTER_HOURS_WORK,
        Kind.SUPERVISION_OVERDUE,
    )
    # Kinds about the CHW as a whole rather than one enrollment.
    CHW_KINDS = (
        Kind.CASELOAD_OVER_CAP,
        Kind.AFTER_HOURS_WORK,
        Kind.SUPERVISION_OVERDUE,
        Kind.BURNOUT_RISK_HIGH,
        Kind.SUPPORT_REQUESTED,
    )
    # Shown to the manager only (DESIGN.md §5.2: support, never performance). A CHW's
    # own request for support is the manager's to answer: the CHW is told on the
    # check-in, and never sees it as an alert of their own; leaders never count it.
    MANAGER_ONLY_KINDS = (Kind.BURNOUT_RISK_HIGH, Kind.SUPPORT_REQUESTED)

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("CHW"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    occurrence = models.CharField(max_length=40, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), max_length=NOTES_MAX_LENGTH, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Empty on a resolved alert means "resolved by system".
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_on = models.DateField(null=True, blank=True, editable=False)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "enrollment", "chw"],
                condition=Q(status__in=["open", "acknowledged"], enrollment__isnull=False),
                name="one_unresolved_alert_per_enrollment",
            ),
            models.UniqueConstraint(
                fields=["kind", "chw"],
                condition=Q(status__in=["open", "acknowledged"], enrollment__isnull=True),
                name="one_unresolved_alert_per_chw",
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at__isnull=True, cleared_on__isnull=True)),
                name="alert_resolved_has_time",
            ),
        ]
        indexes = [
            # The sweep reads the alerts whose occurrence is not over yet, per program.
            models.Index(
                fields=["program", "kind"],
                condition=Q(cleared_on__isnull=True),
                name="alert_live",
            ),
            # Inboxes and the navigation count: a CHW's unresolved alerts.
            models.Index(
                fields=["chw", "status"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="alert_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.chw} · {self.opened_on}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in self.UNRESOLVED

    @property
    def about_chw(self) -> bool:
        """About the CHW's work as a whole, not one patient (resolved by the manager)."""
        return self.kind in self.CHW_KINDS

    @property
    def resolved_by_system(self) -> bool:
        return self.status == self.Status.RESOLVED and self.resolved_by_id is None

    def is_stale(self, today: dt.date) -> bool:
        """Open for more than 7 days without anyone acknowledging it (the manager's board
        shows these in red)."""
        return self.status == self.Status.OPEN and (today - self.opened_on).days > 7

    def sentence(self, today: dt.date) -> str:
        """What happened and what to do, in one plain sentence (needs enrollment__patient
        and chw loaded). The words belong to the rule that raises the alert: each rule
        registers its sentence with the sweep (`caseloads.alerts.register`)."""
        from caseloads.alerts import SENTENCES  # the sweep imports this module

        words = SENTENCES.get(self.kind)
        return words(self, today) if words else str(self.get_kind_display())


class SweepRun(models.Model):
    """One run of the alert sweep over a program: when, for which day, and what changed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sweeps")
    day = models.DateField()
    scheduled = models.BooleanField(default=False)
    finished_at = models.DateTimeField(auto_now_add=True)
    opened = models.JSONField(default=dict)
    resolved = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("alert sweep")
        verbose_name_plural = _("alert sweeps")
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["program", "day"], name="sweep_program_day")]

    def __str__(self) -> str:
        return f"{self.program} {self.day}"
