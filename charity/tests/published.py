"""The places that state the complaint procedure's periods and bodies to the public (RT-9), each
read as the beneficiary reads it: a page's visible text, a PDF's extracted text, an outbox row's
body. Used by test_published_texts.py, which changes the profile and reads every place."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pypdf
from django.conf import settings
from django.test import Client
from django.urls import reverse

from charity.models import Notification, PolicyProfile
from complaints.tests.public_views.helpers import FORM_URL, post_form
from eligibility import controls, services
from eligibility.certificates import render_certificate
from eligibility.policy import Outcome
from eligibility.tests.test_services import _ready_for_decision
from testdata import NOW, TODAY, complaint_form_data, file_complaint, make_active, make_submitted

FRIDAY = dt.date(2026, 11, 27)  # not a working day: the complainant is told when the clock starts (CP-7)

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_ARABIC_INDIC_RUN = re.compile("[٠-٩]+")


def visible_text(page: str) -> str:
    """The page's <main> as the reader sees it: no tags, no attributes, one space between words."""
    main = page[page.index("<main"):page.index("</main>")]
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", main))).strip()


def pdf_text(content: bytes) -> str:
    """The PDF's text. pypdf returns a run of Arabic-Indic digits in visual order («٢٤-٤٥-٨» comes
    out «٤٢-٥٤-٨»): each run is turned back, so «(٤٥) يوماً» reads as printed."""
    assert content.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    text = _SPACES.sub(" ", " ".join(page.extract_text() for page in pages)).strip()
    return _ARABIC_INDIC_RUN.sub(lambda run: run.group()[::-1], text)


def _page(client: Client, url: str, language: str = "ar") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def _bodies(about, purpose: str) -> str:
    rows = Notification.objects.filter(object_id=str(about.pk), purpose=purpose)
    assert {row.channel for row in rows} == {"sms", "email"}, purpose
    return " | ".join(row.body for row in rows)


# --- Pages ----------------------------------------------------------------------------------


def charter_page(staff) -> str:
    return _page(Client(), reverse("charter"))


def charter_page_en(staff) -> str:
    return _page(Client(), reverse("charter"), "en")


def how_settled_page(staff) -> str:
    return _page(Client(), reverse("complaints_public:how_settled"))


def complaint_form_page(staff) -> str:
    return _page(Client(), FORM_URL)


def complaint_received_page(staff) -> str:
    client = Client()
    response = post_form(client, complaint_form_data(), follow=True)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def application_receipt_page(staff) -> str:
    client = Client()
    client.force_login(staff["intake"])
    return _page(client, reverse("beneficiaries:receipt", args=[make_submitted(staff["intake"]).pk]))


def _without_about_director(text: str) -> str:
    """CP-8: «my complaint is about the executive director» (label and help) names the role
    complained of, whoever the profile's complaint receiver is: not a receiver written into the form."""
    from django.utils import translation

    from complaints.forms import ABOUT_DIRECTOR_HELP, ABOUT_DIRECTOR_LABEL

    with translation.override("ar"):
        label, help_text = str(ABOUT_DIRECTOR_LABEL), str(ABOUT_DIRECTOR_HELP)
    pattern = re.escape(help_text).replace(re.escape("%(handler)s"), ".*?")
    return _SPACES.sub(" ", re.sub(pattern, " ", text.replace(label, " ")))


def paper_complaint_page(staff) -> str:
    client = Client()
    client.force_login(staff["director"])
    return _without_about_director(_page(client, reverse("complaints:paper")))


def policy_page(staff) -> str:
    client = Client()
    client.force_login(staff["intake"])
    return _page(client, reverse("policy"))


# --- PDFs -----------------------------------------------------------------------------------


def application_receipt_pdf(staff) -> str:
    client = Client()
    client.force_login(staff["intake"])
    file = make_submitted(staff["intake"])
    return pdf_text(client.get(reverse("beneficiaries:receipt_pdf", args=[file.pk])).content)


def declaration_pdf(staff) -> str:
    client = Client()
    client.force_login(staff["intake"])
    file = make_submitted(staff["intake"])
    return pdf_text(client.get(reverse("beneficiaries:declaration_pdf", args=[file.pk])).content)


def _exclusion(staff):
    file = make_active(staff["intake"], email="family@example.com")
    return controls.exclude_file(file=file, rule="SC-2", by=staff["manager"], today=TODAY,
                                 now=NOW, profile=PolicyProfile.objects.active(), proof_note="تحديث البيانات")


def exclusion_certificate_pdf(staff) -> str:
    return pdf_text(render_certificate(_exclusion(staff).certificate))


# --- Messages (the outbox rows, SMS and e-mail) ---------------------------------------------


def application_received_message(staff) -> str:
    return _bodies(make_submitted(staff["intake"], email="family@example.com"), "application-received")


def refusal_message(staff) -> str:
    file = make_submitted(staff["intake"], email="family@example.com")
    _ready_for_decision(file, staff)
    decision = services.decide_application(file=file, by=staff["manager"], profile=PolicyProfile.objects.active(),
                                           outcome=Outcome.REJECT, reasons="الدخل يتجاوز الحد", now=NOW)
    return _bodies(decision, "decision-reject")


def exclusion_message(staff) -> str:
    return _bodies(_exclusion(staff), "exclusion-SC-2")


def complaint_off_day_message(staff) -> str:
    return _bodies(file_complaint(today=FRIDAY), "complaint-off-day")
