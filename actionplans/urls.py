from django.urls import path

from actionplans import views

app_name = "actionplans"

urlpatterns = [
    path("enrollments/<int:pk>/intake/", views.intake, name="intake"),
    path("enrollments/<int:pk>/goals/new/", views.goal_new, name="goal_new"),
    path("enrollments/<int:pk>/plan/", views.plan_print, name="plan"),
    path("enrollments/<int:pk>/graduate/", views.graduate, name="graduate"),
    path("enrollments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("goals/<int:pk>/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/steps/new/", views.step_new, name="step_new"),
    path("steps/<int:pk>/", views.step_edit, name="step_edit"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("steps/<int:pk>/postpone/", views.step_postpone, name="step_postpone"),
    path("steps/<int:pk>/referral-slip/", views.referral_slip, name="referral_slip"),
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.partner_edit, name="partner_new"),
    path("partners/<int:pk>/", views.partner_edit, name="partner_edit"),
]
