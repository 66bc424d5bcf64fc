"""The public survey, mounted at /survey/: no login, the link's token is the credential (SAT-1)."""

from django.urls import path

from . import views

app_name = "survey"

urlpatterns = [
    path("thanks/", views.thanks, name="thanks"),
    path("<slug:token>/", views.answer, name="answer"),
]
