from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.team, name="team"),
    path("supervision/chws/<int:pk>/", views.chw_page, name="chw"),
    path("supervision/chws/<int:pk>/burnout.svg", views.burnout_chart, name="burnout_chart"),
    path("supervision/chws/<int:pk>/training/new/", views.training_new, name="training_new"),
    path("supervision/sessions/new/", views.session_new, name="session_new"),
    path("supervision/sessions/<int:pk>/", views.session_detail, name="session"),
    path("supervision/follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("supervision/time-off/new/", views.time_off_new, name="time_off_new"),
    path("wellbeing/", views.me, name="me"),
    path("wellbeing/check-in/", views.check_in, name="check_in"),
    path("wellbeing/program/", views.levels, name="levels"),
]
