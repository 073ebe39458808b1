"""Program-level rows: users and their roles, programs and their settings, teams."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impact.audit import history


def validate_time_zone(value: str) -> None:
    """Any zone the tz database knows (choices are left to the form: they change with it)."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


# What forms offer: real places (Area/City) and UTC, not aliases like "Factory".
# An interval longer than a year is a typing slip (and would overflow date arithmetic).
INTERVAL = [MinValueValidator(1), MaxValueValidator(365)]

TIME_ZONE_CHOICES = [
    (name, name)
    for name in sorted(zoneinfo.available_timezones())
    if name == "UTC" or ("/" in name and not name.startswith(("Etc/", "SystemV/")))
]


class Role(models.TextChoices):
    CHW = "chw", _("Community health worker")
    MANAGER = "manager", _("Manager")
    LEADER = "leader", _("Program leader")
    ADMIN = "admin", _("Administrator")


class SavingsBasis(models.TextChoices):
    ADMISSIONS = "admissions", _("Admissions avoided")
    INPATIENT_DAYS = "inpatient_days", _("Inpatient days avoided")


ROI_WINDOWS = [(90, _("90 days")), (180, _("180 days")), (365, _("365 days"))]


class Program(models.Model):
    """A CHW program and the standards its figures and alerts are measured against."""

    class Variant(models.TextChoices):
        OUTPATIENT = "outpatient", _("Outpatient (6 months)")
        HOSPITAL = "hospital", _("Hospital transitions (14 days after discharge)")

    class InstitutionType(models.TextChoices):
        URBAN_PUBLIC_HOSPITAL = "urban_public_hospital", _("Urban public hospital")
        INTEGRATED_HEALTH_SYSTEM = "integrated_health_system", _("Integrated health system")
        FQHC = "fqhc", _("Federally qualified health center")
        INTEGRATED_PAYER_PROVIDER = "integrated_payer_provider", _("Integrated payer-provider")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        PREIMPLEMENTATION = "preimplementation", _("Pre-implementation")
        IMPLEMENTATION = "implementation", _("Implementation")
        SUSTAINMENT = "sustainment", _("Sustainment")

    name = models.CharField(_("name"), max_length=200, unique=True)
    variant = models.CharField(
        _("variant"), max_length=20, choices=Variant.choices, default=Variant.OUTPATIENT
    )
    intervention_days = models.PositiveSmallIntegerField(
        _("intervention days"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Standard length of support: 180 days outpatient, 14 hospital."),
    )
    caseload_cap = models.PositiveSmallIntegerField(
        _("caseload cap"), default=30, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    outreach_interval_days = models.PositiveSmallIntegerField(
        _("outreach interval (days)"), default=7, validators=INTERVAL
    )
    contact_interval_days = models.PositiveSmallIntegerField(
        _("contact interval (days)"), default=14, validators=INTERVAL
    )
    end_warning_days = models.PositiveSmallIntegerField(
        _("end warning (days)"), default=14, validators=INTERVAL
    )
    supervision_interval_days = models.PositiveSmallIntegerField(
        _("supervision interval (days)"), default=7, validators=INTERVAL
    )
    workday_start = models.TimeField(_("workday starts"), default=dt.time(8, 0))
    workday_end = models.TimeField(_("workday ends"), default=dt.time(18, 0))
    workdays = models.CharField(
        _("workdays"),
        max_length=7,
        default="12345",
        validators=[RegexValidator(r"^[1-7]{1,7}$", _("Use ISO weekday digits, Monday=1."))],
        help_text=_("ISO weekday numbers, Monday=1 … Sunday=7."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
    )
    phone_region = models.CharField(
        _("default phone region"),
        max_length=2,
        default="US",
        help_text=_("Country used for phone numbers typed without a country code."),
    )
    institution_type = models.CharField(
        _("institution type"),
        max_length=32,
        choices=InstitutionType.choices,
        default=InstitutionType.OTHER,
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    stage = models.CharField(
        _("implementation stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.IMPLEMENTATION,
    )
    stage_changed_on = models.DateField(_("stage since"), null=True, blank=True)
    # ROI settings (DESIGN.md §5.4). $16,478 per admission is the Medicaid figure the
    # IMPaCT ROI study used; the day and ED costs are placeholders each program replaces.
    # Three windows, not any number of days: with a window one day shorter the evaluable
    # cohort gains the enrollments of one day, and the difference of the two summaries
    # would be those patients' hospital use (issue 17). A change is kept in the history.
    roi_window_days = models.PositiveSmallIntegerField(
        _("ROI window (days)"),
        default=180,
        choices=ROI_WINDOWS,
        help_text=_("Days before and after enrollment compared for hospital use."),
    )
    cost_per_admission = models.DecimalField(
        _("cost per admission (USD)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("16478"),
        validators=[MinValueValidator(0)],
    )
    cost_per_inpatient_day = models.DecimalField(
        _("cost per inpatient day (USD)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("3000"),
        validators=[MinValueValidator(0)],
    )
    cost_per_ed_visit = models.DecimalField(
        _("cost per ED visit (USD)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1200"),
        validators=[MinValueValidator(0)],
    )
    savings_basis = models.CharField(
        _("savings basis"),
        max_length=16,
        choices=SavingsBasis.choices,
        default=SavingsBasis.ADMISSIONS,
    )
    attribution = models.DecimalField(
        _("attribution"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the change in hospital use credited to the program (0 to 1)."),
    )
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workday_end__gt=models.F("workday_start")),
                name="program_workday_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(intervention_days__gt=0, caseload_cap__gt=0),
                name="program_standards_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.workday_start and self.workday_end and self.workday_end <= self.workday_start:
            raise ValidationError({"workday_end": _("The workday must end after it starts.")})

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """Today's date in the program's time zone (DESIGN.md §5: days are local dates)."""
        return timezone.localtime(timezone.now(), self.tz).date()

    def local_date(self, moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment, self.tz).date()

    def is_after_hours(self, moment: dt.datetime) -> bool:
        """True outside the program's workdays and [workday_start, workday_end) locally.

        A visit at 17:59 is in hours and one at 18:00 is after hours when the day ends at
        18:00; any time on a day that is not a workday is after hours.
        """
        local = timezone.localtime(moment, self.tz)
        if str(local.isoweekday()) not in self.workdays:
            return True
        return not (self.workday_start <= local.time() < self.workday_end)


class Team(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="teams", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=100)
    manager = models.ForeignKey(
        "impact.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        verbose_name=_("manager"),
        limit_choices_to={"role": Role.MANAGER},
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="team_name_unique_in_program")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. `role` decides what they may see (DESIGN.md §4)."""

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CHW)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("program"),
        help_text=_("The program this person works in (empty only for administrators)."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
        help_text=_("For community health workers: the team they belong to."),
    )
    # The interface language this person chose (Language, in the user menu); blank follows
    # the sign-in page's choice or the browser. Applied on every request after sign-in by
    # impact.auth.language.UserLanguageMiddleware.
    preferred_language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Empty: the language chosen on the sign-in page, or the browser's."),
    )
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    phone = models.CharField(_("work phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        team = self.team if self.team_id else None
        if team is not None and self.program_id and team.program_id != self.program_id:
            raise ValidationError({"team": _("The team belongs to another program.")})
        if self.role == Role.CHW and not self.team_id:
            raise ValidationError({"team": _("A community health worker needs a team.")})
        if self.role != Role.ADMIN and not self.program_id:
            raise ValidationError({"program": _("Everyone but administrators needs a program.")})

    # django-otp's OTPMiddleware gives the request's user this method (two-factor done).
    is_verified: Callable[[], bool]

    @property
    def own_program(self) -> Program:
        """The program of anyone but an administrator (clean() requires one there): whose
        calendar and settings their pages use. Fails loudly for a user without one."""
        if self.program is None:
            raise ValueError(f"{self.username} ({self.role}) belongs to no program.")
        return self.program

    @property
    def is_chw(self) -> bool:
        return self.role == Role.CHW

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_program_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class TrainingRecord(models.Model):
    """A training a staff member completed (mental-health training changes what counts as
    a high-intensity load in the burnout indicators, DESIGN.md §5.2)."""

    class Topic(models.TextChoices):
        CORE_IMPACT = "core_impact", _("Core IMPaCT training")
        MENTAL_HEALTH = "mental_health", _("Mental health (e.g. Mental Health First Aid)")
        SAFETY = "safety", _("Safety in community work")
        MOTIVATIONAL_INTERVIEWING = "motivational_interviewing", _("Motivational interviewing")
        OTHER = "other", _("Other")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("staff member")
    )
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    completed_on = models.DateField(_("completed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_topic_display()} · {self.completed_on}"


class AccessLog(models.Model):
    """Who opened a patient-level page or took an export, and when (DESIGN.md §4; written
    by `impact.audit`). Append-only: database triggers refuse UPDATE and DELETE.

    The user and program are plain ids (no database constraint, nothing done on delete):
    the log outlives the accounts it names, and deleting a user never rewrites it. The
    username and role are copied as they were at the time."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Page view")
        EXPORT = "export", _("Export")

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, blank=True)
    actor = models.CharField(
        _("process"),
        max_length=100,
        blank=True,
        help_text=_("The task or command that acted (empty for a web request)."),
    )
    url_name = models.CharField(_("what"), max_length=100)
    path = models.CharField(_("path"), max_length=500, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    status_code = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    object_ids = models.JSONField(_("objects"), default=dict, blank=True)
    program = models.ForeignKey(
        Program,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=10, blank=True)
    size = models.PositiveIntegerField(_("bytes"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # The admin's list, newest first, and "what did this person open" over a period.
            models.Index(fields=["at"], name="accesslog_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or self.actor} {self.url_name}"


class Redaction(models.Model):
    """Text kept by mistake was replaced by "[redacted YYYY-MM-DD]" in a row and in every
    historical row of it (DESIGN.md §4, "Redaction"; `impact.services.text_redact`). Says
    who, when, which row and which field; never the text.

    Like the access log, the user is a plain id with the username copied: the record
    outlives the account. Read-only in the admin."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    model = models.CharField(_("record kind"), max_length=100)  # "caseloads.encounter"
    object_pk = models.CharField(_("record"), max_length=40)
    field = models.CharField(_("field"), max_length=100)
    on = models.DateField(_("date in the mark"))
    history_rows = models.PositiveIntegerField(_("historical rows redacted"), default=0)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["-at", "-pk"]
        indexes = [
            # The admin's list, newest first.
            models.Index(fields=["at"], name="redaction_at"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.model} {self.object_pk} {self.field}"
        )
