"""The form of the hospital-use upload. It only parses what was sent; the rules live in
`reports.imports.checks`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UtilizationUploadForm(forms.Form):
    # An empty file reaches the import's own check, which says so in its words.
    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a CSV file to upload.")},
        help_text=_(
            "Columns MRN, kind (inpatient or ED), admitted, discharged; dates as YYYY-MM-DD "
            "or MM/DD/YYYY; saved as CSV UTF-8; at most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
