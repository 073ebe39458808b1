from django.urls import path

from fidelity import views

app_name = "fidelity"

urlpatterns = [
    path("fidelity/", views.reviews, name="reviews"),
    path("fidelity/reviews/new/", views.review_new, name="review_new"),
    path("fidelity/reviews/<int:pk>/", views.review_detail, name="review"),
    path("fidelity/reviews/<int:pk>/finalize/", views.review_finalize, name="finalize"),
    path("fidelity/reviews/<int:pk>/<slug:code>/cases/", views.review_cases, name="cases"),
    path("fidelity/trend.svg", views.trend_chart, name="trend_chart"),
    path("fidelity/stage/", views.stage, name="stage"),
    path("fidelity/log/", views.log, name="log"),
    path("fidelity/log.csv", views.log_csv, name="log_csv"),
]
