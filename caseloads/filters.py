"""Filtering and sorting of the caseload table (django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from caseloads.models import Enrollment
from caseloads.selectors import start_of_day


class CaseloadFilter(django_filters.FilterSet):
    """Search by name or MRN, narrow to what needs attention, sort by what matters today.

    Built on a queryset already scoped to the user and annotated with contact figures;
    `program` and `today` decide what "overdue" and "ending soon" mean.
    """

    q = django_filters.CharFilter(method="filter_search", label=_("Search name or MRN"))
    attention = django_filters.ChoiceFilter(
        method="filter_attention",
        label=_("Needs attention"),
        empty_label=_("Everyone"),
        choices=[
            ("no_contact", _("No contact within the contact interval")),
            ("ending", _("Program ends soon")),
            ("past_end", _("Past the planned end date")),
        ],
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        fields=(
            ("planned_end_on", "days_left"),
            ("last_contact_at", "last_contact"),
            ("patient__family_name", "name"),
        ),
        # django-filter keys an ascending label by the model field, a descending one by
        # "-" and the parameter.
        field_labels={
            "planned_end_on": _("Days left"),
            "-days_left": _("Days left (most first)"),
            "last_contact_at": _("Longest without contact"),
            "-last_contact": _("Most recent contact"),
            "patient__family_name": _("Name"),
            "-name": _("Name (Z–A)"),
        },
    )

    class Meta:
        model = Enrollment
        fields: list[str] = []

    def __init__(self, *args, program, today: dt.date, **kwargs):
        self.program, self.today = program, today
        super().__init__(*args, **kwargs)

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(patient__given_name__icontains=word)
                | Q(patient__family_name__icontains=word)
                | Q(patient__preferred_name__icontains=word)
                | Q(patient__mrn__iexact=word)
            )
        return queryset

    def filter_attention(self, queryset, name, value):
        if value == "no_contact":
            n = self.program.contact_interval_days
            cutoff = start_of_day(self.program, self.today - dt.timedelta(days=n - 1))
            return queryset.filter(enrolled_on__lte=self.today - dt.timedelta(days=n)).filter(
                Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff)
            )
        if value == "ending":
            horizon = self.today + dt.timedelta(days=self.program.end_warning_days)
            return queryset.filter(planned_end_on__gte=self.today, planned_end_on__lte=horizon)
        if value == "past_end":
            return queryset.filter(planned_end_on__lt=self.today)
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            # Patients closest to their end date first; never-contacted ones first on ties.
            queryset = queryset.order_by(
                "planned_end_on", F("last_contact_at").asc(nulls_first=True)
            )
        return queryset
