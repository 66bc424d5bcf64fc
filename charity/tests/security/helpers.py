"""What the security tests share: the clock the pages are viewed at, Arabic text, and a public
complaint's post carrying an ID, an income and a medical condition."""

import datetime as dt

from django.urls import reverse
from django.utils import translation

from testdata import NOW, complaint_form_data

VIEW_NOW = NOW + dt.timedelta(hours=1)
INCOME, MEDICAL = "4817.25", "فشل كلوي مزمن"


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def complaint_post(world, id_number):
    """(user, url, service, data) of a public complaint naming the ID, the income and the illness."""
    return (None, reverse("complaints_public:file"), "complaints.services.file_complaint", complaint_form_data(
        national_id=id_number, facts=f"دخلي {INCOME} ريال وعندي {MEDICAL}", harm=MEDICAL))
