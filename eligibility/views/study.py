"""Eligibility study pages: checklist, witnesses, field visits, needs assessment, decision."""

from django.urls import path


def study(request, pk):
    raise NotImplementedError  # helper D


def item_attach(request, pk):
    raise NotImplementedError  # helper D


def item_verify(request, pk):
    raise NotImplementedError  # helper D


def item_not_applicable(request, pk):
    raise NotImplementedError  # helper D


def witness_add(request, pk):
    raise NotImplementedError  # helper D


def visit_schedule(request, pk):
    raise NotImplementedError  # helper D


def visit_report(request, pk):
    raise NotImplementedError  # helper D


def visit_nobody_home(request, pk):
    raise NotImplementedError  # helper D


def my_visits(request):
    raise NotImplementedError  # helper D


def assess(request, pk):
    raise NotImplementedError  # helper D


def assessment_detail(request, pk):
    raise NotImplementedError  # helper D


def decide(request, pk):
    raise NotImplementedError  # helper D


def awaiting_decision(request):
    raise NotImplementedError  # helper D


urlpatterns = [
    path("files/<int:pk>/", study, name="study"),
    path("items/<int:pk>/attach/", item_attach, name="item_attach"),
    path("items/<int:pk>/verify/", item_verify, name="item_verify"),
    path("items/<int:pk>/not-applicable/", item_not_applicable, name="item_not_applicable"),
    path("files/<int:pk>/witnesses/new/", witness_add, name="witness_add"),
    path("files/<int:pk>/visits/new/", visit_schedule, name="visit_schedule"),
    path("visits/<int:pk>/report/", visit_report, name="visit_report"),
    path("visits/<int:pk>/nobody-home/", visit_nobody_home, name="visit_nobody_home"),
    path("visits/", my_visits, name="my_visits"),
    path("files/<int:pk>/assessment/new/", assess, name="assess"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("files/<int:pk>/decide/", decide, name="decide"),
    path("decisions/pending/", awaiting_decision, name="awaiting_decision"),
]
