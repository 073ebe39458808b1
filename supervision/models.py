"""Supervision sessions and their follow-ups, wellbeing check-ins, time off, and the
weekly burnout-risk snapshots (DESIGN.md §3, §5.2)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from caseloads.models import Enrollment
from impact.audit import history
from impact.lib.text import NOTES_MAX_LENGTH


class SupervisionSession(models.Model):
    class Kind(models.TextChoices):
        ONE_ON_ONE = "one_on_one", _("One on one")
        HUDDLE = "huddle", _("Huddle")
        CASE_REVIEW = "case_review", _("Case review")
        FIELD_OBSERVATION = "field_observation", _("Field observation")
        CHART_REVIEW = "chart_review", _("Chart review")

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_led"
    )
    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
        verbose_name=_("CHW"),
    )
    # A huddle has several CHWs: the others present besides `chw`.
    others_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="huddles", verbose_name=_("also present")
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(8 * 60)]
    )
    notes = models.TextField(
        _("notes (the CHW sees these)"), max_length=NOTES_MAX_LENGTH, blank=True
    )
    private_notes = models.TextField(
        _("private notes (never shown to the CHW)"), max_length=NOTES_MAX_LENGTH, blank=True
    )
    enrollments_discussed = models.ManyToManyField(
        Enrollment, blank=True, related_name="+", verbose_name=_("patients discussed")
    )
    wellbeing_discussed = models.BooleanField(_("wellbeing discussed"), default=False)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # Days since the last one on one, per CHW (cadence, burnout, alerts).
            models.Index(fields=["chw", "kind", "occurred_on"], name="session_chw_kind_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.chw} · {self.occurred_on}"


class FollowUp(models.Model):
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("follow-up"), max_length=300)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class WellbeingCheckIn(models.Model):
    """A CHW's own monthly check-in: seen by the CHW and their manager only."""

    class Stressor(models.TextChoices):
        CASELOAD = "caseload", _("Too many patients")
        AFTER_END = "after_end", _("Patients contacting me after the program ended")
        CRISIS = "crisis", _("Mental-health crises or safety worries")
        HOURS = "hours", _("Working outside my hours")
        CLINICAL_TEAM = "clinical_team", _("How clinical colleagues treat my role")
        PERSONAL = "personal", _("Things outside work")
        OTHER = "other", _("Something else")

    SCORE_WORDS = {
        1: _("I enjoy my work. I have no symptoms of burnout."),
        2: _("Occasionally I am under stress, but I don't feel burned out."),
        3: _("I am definitely burning out and have one or more symptoms of burnout."),
        4: _("The symptoms of burnout won't go away. I think about frustration at work a lot."),
        5: _("I feel completely burned out and often wonder if I can go on."),
    }

    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    on = models.DateField(_("date"))
    burnout_score = models.PositiveSmallIntegerField(
        _("how you feel"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    stressors = models.JSONField(_("what weighs on you"), default=list, blank=True)
    integration_friction = models.PositiveSmallIntegerField(
        _("times your role was dismissed by clinical colleagues"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    wants_support = models.BooleanField(_("I would like support"), default=False)
    notes = models.TextField(_("anything else"), max_length=NOTES_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last submitted (a second check-in the same day replaces the first): a
    # request for support is answered by a session recorded after this moment. Empty
    # only in history rows written before the column existed (supervision 0004): the
    # audit tables are append-only, so they are not back-filled.
    updated_at = models.DateTimeField(auto_now=True, null=True)
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("wellbeing check-in")
        verbose_name_plural = _("wellbeing check-ins")
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["chw", "on"], name="one_check_in_a_day"),
            models.CheckConstraint(
                condition=Q(burnout_score__gte=1, burnout_score__lte=5),
                name="check_in_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chw} · {self.on}"


class TimeOff(models.Model):
    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off"
    )
    starts_on = models.DateField(_("first day off"))
    ends_on = models.DateField(_("last day off"))
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("backup CHW"),
        help_text=_("The teammate patients can reach while the CHW is off."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = history()  # every change, and who made it (impact.audit)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="time_off_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.chw} · {self.starts_on} – {self.ends_on}"


class BurnoutSnapshot(models.Model):
    """The burnout-risk factors of one CHW as of one day (DESIGN.md §5.2)."""

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        ELEVATED = "elevated", _("Elevated")
        HIGH = "high", _("High")

    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="burnout_snapshots"
    )
    as_of = models.DateField()
    factors = models.JSONField(default=dict)
    flag_count = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("burnout snapshot")
        verbose_name_plural = _("burnout snapshots")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["chw", "as_of"], name="one_snapshot_per_chw_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.chw} · {self.as_of} · {self.level}"
