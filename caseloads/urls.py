from django.urls import path

from caseloads import views

app_name = "caseloads"

urlpatterns = [
    path("caseload/", views.caseload, name="mine"),
    path("team/", views.team, name="team"),
    path("enroll/", views.enroll, name="enroll"),
    path("patients/new/", views.patient_new, name="patient_new"),
    path("patients/<int:patient_pk>/enroll/", views.enrollment_new, name="enrollment_new"),
    path("enrollments/<int:pk>/", views.enrollment_detail, name="enrollment"),
    path("enrollments/<int:pk>/encounters/new/", views.encounter_new, name="encounter_new"),
    path("enrollments/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("enrollments/<int:pk>/extend/", views.extend, name="extend"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
]
