"""Eligibility study pages: checklist, witnesses, field visits, needs assessment, decision.

EL-1…EL-9, IN-5, IN-7, RT-1, RT-4, RT-5, IN-9 and the deciding body (PR). Every page reaches
the file through `visible_file` or the visible-file scope (RT-6, RT-10: 404 for anyone else);
every change goes through eligibility/services.py, whose refusals are shown and change nothing.
"""

from django.urls import path

from . import checklist, decision, needs, visits

urlpatterns = [
    path("files/<int:pk>/", checklist.study, name="study"),
    path("items/<int:pk>/attach/", checklist.item_attach, name="item_attach"),
    path("items/<int:pk>/verify/", checklist.item_verify, name="item_verify"),
    path("items/<int:pk>/not-applicable/", checklist.item_not_applicable, name="item_not_applicable"),
    path("files/<int:pk>/witnesses/new/", checklist.witness_add, name="witness_add"),
    path("files/<int:pk>/visits/new/", visits.visit_schedule, name="visit_schedule"),
    path("visits/<int:pk>/report/", visits.visit_report, name="visit_report"),
    path("visits/<int:pk>/nobody-home/", visits.visit_nobody_home, name="visit_nobody_home"),
    path("visits/", visits.my_visits, name="my_visits"),
    path("visits/all/", visits.visits, name="visits"),
    path("files/<int:pk>/assessment/new/", needs.assess, name="assess"),
    path("assessments/<int:pk>/", needs.assessment_detail, name="assessment_detail"),
    path("files/<int:pk>/decide/", decision.decide, name="decide"),
    path("decisions/pending/", decision.awaiting_decision, name="awaiting_decision"),
]
