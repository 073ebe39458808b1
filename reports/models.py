"""The leaders' layer's own rows (DESIGN.md §5.4): costs, funding, hospital use and its
imports, export jobs and API tokens. They moved here from `impact` (issue 18) with their
tables: each keeps its `impact_*` table, and its history its `impact_historical*` table,
so no row moved and the append-only triggers (impact/migrations/0010) still hold."""

from __future__ import annotations

from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from impact.audit import history
from impact.models import Program, User

# -- Costs, funding and utilization: what a leader's ROI summary is made of (DESIGN.md §5.4) --


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _Digits = {"max_digits": 12, "decimal_places": 2}


class CostLine(models.Model):
    """What the program cost over a period; prorated by days into any ROI period."""

    class Category(models.TextChoices):
        CHW_SALARY = "chw_salary", _("CHW salaries")
        MANAGER_SALARY = "manager_salary", _("Manager salaries")
        FRINGE = "fringe", _("Fringe benefits")
        TRAINING = "training", _("Training")
        CERTIFICATION = "certification", _("Certification")
        SOFTWARE = "software", _("Software")
        OVERHEAD = "overhead", _("Overhead")
        OTHER = "other", _("Other")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cost_lines", verbose_name=_("program")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("amount (USD)"), **MONEY)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = history(table_name="impact_historicalcostline")  # every change (impact.audit)

    class Meta:
        db_table = "impact_costline"  # the table kept from before the move (issue 18)
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["-period_start", "category"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="cost_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.period_start} – {self.period_end}"


class FundingSource(models.Model):
    """Money that pays for the program; leaders are warned 90 days before it ends."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        OPERATING = "operating_budget", _("Operating budget")
        MEDICAID = "medicaid", _("Medicaid")
        MEDICARE_CHW = "medicare_chw_billing", _("Medicare CHW billing")
        OTHER = "other", _("Other")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="funding_sources", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    amount = models.DecimalField(_("amount (USD)"), **MONEY)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = history(table_name="impact_historicalfundingsource")  # every change (impact.audit)

    class Meta:
        db_table = "impact_fundingsource"  # the table kept from before the move (issue 18)
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["ends_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_not_negative"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="funding_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UtilizationImport(models.Model):
    """One imported CSV file: who, when, how many rows (the rows keep a link to it).

    An upload is first a staging row (status previewed: the file's bytes and what the
    preview showed); the uploader's confirmation imports it, records the rows, the time,
    and drops the bytes (they hold MRNs)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IMPORTED)
    content = models.BinaryField(null=True, blank=True)
    preview = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "impact_utilizationimport"  # the table kept from before the move (issue 18)
        verbose_name = _("utilization import")
        verbose_name_plural = _("utilization imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


class UtilizationRecord(models.Model):
    """A hospital admission or an ED visit of an enrolled patient, from an EHR or claims
    export (DESIGN.md §5.4). An ED visit's discharge is its admission day when not given."""

    class Kind(models.TextChoices):
        INPATIENT = "inpatient", _("Hospital admission")
        ED = "ed", _("Emergency department visit")

    patient = models.ForeignKey(
        "caseloads.Patient", on_delete=models.PROTECT, related_name="utilization"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    admitted_on = models.DateField(_("admitted"))
    discharged_on = models.DateField(_("discharged"))
    source = models.ForeignKey(
        UtilizationImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = history(table_name="impact_historicalutilizationrecord")  # every change

    class Meta:
        db_table = "impact_utilizationrecord"  # the table kept from before the move (issue 18)
        verbose_name = _("utilization record")
        verbose_name_plural = _("utilization records")
        constraints = [
            # The same stay imported twice is one stay: re-importing a file changes nothing.
            models.UniqueConstraint(
                fields=["patient", "kind", "admitted_on", "discharged_on"],
                name="utilization_once",
            ),
            # A hospital admission is its patient and day: another discharge for it is a
            # correction, not a second stay (the import refuses it; this is the last guard,
            # against two imports at once). Two ED visits on one day can be real.
            models.UniqueConstraint(
                fields=["patient", "admitted_on"],
                condition=models.Q(kind="inpatient"),
                name="utilization_admission_once",
            ),
            models.CheckConstraint(
                condition=models.Q(discharged_on__gte=models.F("admitted_on")),
                name="utilization_discharge_after_admission",
            ),
        ]
        # The ROI windows: a patient's stays by admission date (the unique constraint's
        # index serves it, patient first).

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.admitted_on}"


class ExportJob(models.Model):
    """A leader export too big for one request, built by a django-q2 task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "impact_exportjob"  # the table kept from before the move (issue 18)
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.format} {self.period_start} – {self.period_end} ({self.status})"


class ApiToken(models.Model):
    """A leader's read-only token for BI tools. Only the SHA-256 of the key is stored; the
    key is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "impact_apitoken"  # the table kept from before the move (issue 18)
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
