"""Intake at the front desk: a step-by-step application saved as a draft (IN-1…IN-6, DU-1)."""

from django.urls import path

# Steps of the wizard, in order; each saves the draft (the file in status «applicant»).
STEPS = ["contact", "household", "income", "documents", "declaration", "review"]


def intake_start(request):
    raise NotImplementedError  # helper A


def intake_step(request, pk, step):
    raise NotImplementedError  # helper A


def intake_drafts(request):
    raise NotImplementedError  # helper A


def declaration_pdf(request, pk):
    raise NotImplementedError  # helper A


def receipt(request, pk):
    raise NotImplementedError  # helper A


def receipt_pdf(request, pk):
    raise NotImplementedError  # helper A


urlpatterns = [
    path("intake/new/", intake_start, name="intake_start"),
    path("intake/drafts/", intake_drafts, name="intake_drafts"),
    path("intake/<int:pk>/<slug:step>/", intake_step, name="intake_step"),
    path("<int:pk>/declaration.pdf", declaration_pdf, name="declaration_pdf"),
    path("<int:pk>/receipt/", receipt, name="receipt"),
    path("<int:pk>/receipt.pdf", receipt_pdf, name="receipt_pdf"),
]
