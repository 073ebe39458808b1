"""A URLconf with one page that lists patients' names while declaring itself not
patient-level, for tests/security/test_pages.py: the check must catch it."""

from django.http import HttpResponse
from django.urls import path

from caseloads.models import Patient
from impact.pages import LEADER_LEVEL, page


@page(LEADER_LEVEL, patient_level=False)
def leaky(request):
    return HttpResponse(", ".join(p.family_name for p in Patient.objects.all()))


urlpatterns = [path("leaky/", leaky, name="leaky")]
