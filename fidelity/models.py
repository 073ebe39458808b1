"""Fidelity to the IMPaCT model's components, reviewed per period, and the implementation
log organised by CFIR domain (DESIGN.md §3, §5.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from impact.audit import history
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program


class CfirDomain(models.TextChoices):
    INNOVATION = "innovation", _("Innovation")
    OUTER_SETTING = "outer_setting", _("Outer setting")
    INNER_SETTING = "inner_setting", _("Inner setting")
    INDIVIDUALS = "individuals", _("Individuals")
    IMPLEMENTATION_PROCESS = "implementation_process", _("Implementation process")


class Rating(models.TextChoices):
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class ModelComponent(models.Model):
    """A component of the model. The IMPaCT components are seeded by a migration; an
    administrator may add one for a single program."""

    class Measure(models.TextChoices):
        AUTO = "auto", _("Computed from the data")
        MANUAL = "manual", _("Rated by the reviewer")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    measure = models.CharField(_("measure"), max_length=8, choices=Measure.choices)
    cfir_domain = models.CharField(_("CFIR domain"), max_length=24, choices=CfirDomain.choices)
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="components",
        help_text=_("Empty for the model's own components; a program for one of its own."),
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("model component")
        verbose_name_plural = _("model components")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(program__isnull=True), name="component_code_unique"
            ),
            models.UniqueConstraint(
                fields=["program", "code"], name="component_code_unique_in_program"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FidelityReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="reviews")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fidelity_reviews"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("fidelity review")
        verbose_name_plural = _("fidelity reviews")
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="review_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.period_start} – {self.period_end}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ComponentRating(models.Model):
    class Reason(models.TextChoices):
        STAFFING = "staffing", _("Staffing")
        HR_RULES = "hr_rules", _("HR rules")
        FUNDING = "funding", _("Funding")
        DOCUMENTATION_SOFTWARE = "documentation_software", _("Documentation software")
        TRAINING_GAP = "training_gap", _("Training gap")
        PATIENT_POPULATION = "patient_population", _("Patient population")
        OTHER = "other", _("Other")

    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="ratings")
    component = models.ForeignKey(ModelComponent, on_delete=models.PROTECT, related_name="+")
    auto_value = models.FloatField(null=True, blank=True)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    proposed = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices, blank=True)
    note = models.TextField(_("note"), max_length=NOTES_MAX_LENGTH, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("component rating")
        verbose_name_plural = _("component ratings")
        ordering = ["component__order", "component__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "component"], name="one_rating_a_component")
        ]

    def __str__(self) -> str:
        return f"{self.component} · {self.rating or '—'}"


class ImplementationNote(models.Model):
    """A barrier or facilitator, by CFIR domain (the implementation log)."""

    class Direction(models.TextChoices):
        BARRIER = "barrier", _("Barrier")
        FACILITATOR = "facilitator", _("Facilitator")
        BOTH = "both", _("Both")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cfir_notes")
    on = models.DateField(_("date"))
    cfir_domain = models.CharField(_("CFIR domain"), max_length=24, choices=CfirDomain.choices)
    direction = models.CharField(
        _("barrier or facilitator"), max_length=12, choices=Direction.choices
    )
    theme = models.CharField(_("theme"), max_length=120)
    note = models.TextField(_("note"), max_length=NOTES_MAX_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("implementation note")
        verbose_name_plural = _("implementation notes")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["program", "on"], name="cfir_note_program_day")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} · {self.theme}"
