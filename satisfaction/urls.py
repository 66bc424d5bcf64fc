"""Staff pages of satisfaction, mounted at /satisfaction/ (SAT-2)."""

from django.urls import path

from . import views

app_name = "satisfaction"

urlpatterns = [
    path("", views.results, name="results"),
]
