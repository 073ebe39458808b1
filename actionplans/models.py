"""The patient's own plan: intake, patient-set goals, action steps, and partner referrals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from caseloads.models import Enrollment
from impact.audit import history
from impact.lib.languages import language_name
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATEMENT_MAX_LENGTH = 1000


class Partner(models.Model):
    """A community organisation the program refers patients to (DESIGN.md §3)."""

    class Kind(models.TextChoices):
        MEDICAL_LEGAL = "medical_legal", _("Medical-legal partnership")
        LEGAL_AID = "legal_aid", _("Legal aid")
        FOOD = "food", _("Food")
        HOUSING = "housing", _("Housing")
        BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
        BENEFITS = "benefits", _("Benefits")
        TRANSPORTATION = "transportation", _("Transportation")
        OTHER = "other", _("Other")

    class Relationship(models.TextChoices):
        FORMAL = "formal", _("Formal partnership")
        AD_HOC = "ad_hoc", _("Ad hoc")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="partners", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = PhoneNumberField(_("phone"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Languages staff speak.")
    )
    # Whether services are open to everyone whatever their immigration status: a fact
    # about the organisation, so CHWs can refer without asking the patient anything.
    serves_regardless_of_status = models.BooleanField(
        _("serves everyone regardless of immigration status"), null=True, blank=True
    )
    relationship = models.CharField(
        _("relationship"), max_length=10, choices=Relationship.choices, default=Relationship.AD_HOC
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("accepting referrals"), default=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="partner_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.languages]


class Intake(models.Model):
    """The "get to know you" interview and needs screen: one per enrollment.

    Every answer is optional. A legal need is recorded as a need, never as a status.
    """

    NEEDS = [
        ("need_housing", _("Housing")),
        ("need_food", _("Food")),
        ("need_income", _("Income")),
        ("need_legal", _("Legal help")),
        ("need_transportation", _("Transportation")),
        ("need_behavioral_health", _("Behavioral health")),
        ("need_social_support", _("Social support")),
        ("need_navigation", _("Help navigating care")),
    ]

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="intake", verbose_name=_("enrollment")
    )
    life_story = models.TextField(
        _("life story"),
        max_length=NOTES_MAX_LENGTH,
        blank=True,
        help_text=_("What the patient chose to share about their life."),
    )
    priorities = models.TextField(
        _("what matters most to them now"), max_length=NOTES_MAX_LENGTH, blank=True
    )
    what_will_help = models.TextField(
        _("what they think will help them be healthy"), max_length=NOTES_MAX_LENGTH, blank=True
    )
    strengths = models.TextField(_("strengths"), max_length=NOTES_MAX_LENGTH, blank=True)
    # Needs screen: None = not answered (every answer is optional).
    need_housing = models.BooleanField(_("housing"), null=True, blank=True)
    need_food = models.BooleanField(_("food"), null=True, blank=True)
    need_income = models.BooleanField(_("income"), null=True, blank=True)
    need_legal = models.BooleanField(_("legal help"), null=True, blank=True)
    need_transportation = models.BooleanField(_("transportation"), null=True, blank=True)
    need_behavioral_health = models.BooleanField(_("behavioral health"), null=True, blank=True)
    need_social_support = models.BooleanField(_("social support"), null=True, blank=True)
    need_navigation = models.BooleanField(_("help navigating care"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return str(_("Intake for %(patient)s") % {"patient": self.enrollment.patient})

    @property
    def needs(self) -> list[StrOrPromise]:
        """Labels of the needs the patient said yes to."""
        return [label for field, label in self.NEEDS if getattr(self, field)]


class Goal(models.Model):
    """A goal the patient set, in their own words (DESIGN.md §3)."""

    class Category(models.TextChoices):
        CHRONIC_DISEASE = "chronic_disease", _("Chronic disease")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        HOUSING = "housing", _("Housing")
        FOOD = "food", _("Food")
        INCOME = "income", _("Income")
        LEGAL = "legal", _("Legal")
        TRANSPORTATION = "transportation", _("Transportation")
        SOCIAL_SUPPORT = "social_support", _("Social support")
        NAVIGATION = "navigation", _("Navigating care")
        OTHER = "other", _("Other")

    class SetBy(models.TextChoices):
        PATIENT = "patient", _("The patient")
        PATIENT_WITH_CLINICIAN = "patient_with_clinician", _("The patient with their clinician")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DROPPED = "dropped", _("Dropped")

    CLOSED_STATUSES = (
        Status.ACHIEVED,
        Status.PARTLY_ACHIEVED,
        Status.NOT_ACHIEVED,
        Status.DROPPED,
    )

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="goals", verbose_name=_("enrollment")
    )
    statement = models.TextField(
        _("the goal, in the patient's words"), max_length=STATEMENT_MAX_LENGTH
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    condition = models.CharField(
        _("health condition (optional)"),
        max_length=200,
        blank=True,
        help_text=_("No diagnosis is needed: goals can be about anything that matters."),
    )
    set_by = models.CharField(
        _("set by"), max_length=24, choices=SetBy.choices, default=SetBy.PATIENT
    )
    set_on = models.DateField(_("set on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The visits that worked on the goal (`encounter.goals` from the other side). Declared
    # here, not on Encounter, so caseloads never names actionplans (DESIGN.md §2); the
    # table is the one Encounter.goals created (caseloads 0003), kept with its rows.
    encounters = models.ManyToManyField(
        "caseloads.Encounter",
        blank=True,
        related_name="goals",
        db_table="caseloads_encounter_goals",
        verbose_name=_("encounters"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = history()  # every change, and who made it (impact.audit)

    # Progress on the goals a page shows, set by actionplans.selectors.set_progress.
    steps_done: int
    steps_planned: int
    steps_skipped: int
    # The open steps, set by the printable plan (actionplans.views.plan_print).
    next_steps: list[ActionStep]

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["set_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("set_on")),
                name="goal_closed_after_set",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(closed_on__isnull=True))
                | (~Q(status="active") & Q(closed_on__isnull=False)),
                name="goal_closed_iff_closed_on",
            ),
        ]
        indexes = [
            # Goal-within-14-days figure and the caseload's active-goal count.
            models.Index(fields=["enrollment", "set_on"], name="goal_enrollment_set_on"),
            # Goal outcomes per quarter on the manager page.
            models.Index(fields=["status", "closed_on"], name="goal_status_closed_on"),
            # Goals closed in a period, whatever their outcome (the overview's goal figures).
            models.Index(fields=["closed_on", "status", "enrollment"], name="goal_closed_on"),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ActionStep(models.Model):
    """A concrete step toward a goal; a step with a partner is a referral."""

    class Owner(models.TextChoices):
        PATIENT = "patient", _("Patient")
        CHW = "chw", _("CHW")
        PARTNER = "partner", _("Partner")

    class SupportType(models.TextChoices):
        COACHING = "coaching", _("Coaching")
        NAVIGATION = "navigation", _("Navigation")
        SOCIAL_SUPPORT = "social_support", _("Social support")
        ADVOCACY = "advocacy", _("Advocacy")
        REFERRAL = "referral", _("Referral")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting to hear")
        CONNECTED = "connected", _("Connected: the patient is getting the service")
        NOT_CONNECTED = "not_connected", _("Not connected")
        DECLINED = "declined", _("The patient decided not to go ahead")
        NOT_ELIGIBLE = "not_eligible", _("The partner could not serve the patient")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="steps", verbose_name=_("goal")
    )
    description = models.CharField(_("step"), max_length=500)
    owner = models.CharField(_("who does it"), max_length=10, choices=Owner.choices)
    support_type = models.CharField(_("support"), max_length=16, choices=SupportType.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("partner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Referral details (DESIGN.md §3): nothing about the patient is shared without consent.
    consent_to_share = models.BooleanField(
        _("the patient agreed to share their information with the partner"), default=False
    )
    warm_handoff = models.BooleanField(_("warm handoff"), default=False)
    accompanied = models.BooleanField(_("the CHW went with the patient"), default=False)
    referral_outcome = models.CharField(
        _("referral outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="step_done_iff_done_on",
            ),
            models.CheckConstraint(
                condition=~Q(support_type="referral") | Q(partner__isnull=False),
                name="step_referral_has_partner",
            ),
        ]
        indexes = [
            # Overdue steps per enrollment (caseload's overdue_steps subquery) and per CHW
            # (team page): from the goal, then its open steps due before today. An index
            # led by status instead made SQLite scan every open step of the program for
            # each caseload row (42 s on the large program).
            models.Index(fields=["goal", "status", "due_on"], name="step_goal_status_due"),
            # Steps done in a period (the overview's small wins, goals' by-month figures):
            # led by the day, so it serves only queries that bound done_on.
            models.Index(fields=["done_on", "status"], name="step_done_on"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_referral(self) -> bool:
        return self.partner_id is not None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today
