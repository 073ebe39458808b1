"""Program-level rows: users and their roles, programs and their settings, teams."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    preferred_language = models.CharField(_("interface language"), max_length=8, default="en")
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    phone = models.CharField(_("work phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.program_id and self.team.program_id != self.program_id:
            raise ValidationError({"team": _("The team belongs to another program.")})
        if self.role == Role.CHW and not self.team_id:
            raise ValidationError({"team": _("A community health worker needs a team.")})
        if self.role != Role.ADMIN and not self.program_id:
            raise ValidationError({"program": _("Everyone but administrators needs a program.")})

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

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_topic_display()} · {self.completed_on}"
