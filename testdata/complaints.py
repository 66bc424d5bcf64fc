"""A complaint as the public form takes it, and filed through the service."""

import datetime as dt

from charity.models import PolicyProfile
from complaints import services
from complaints.models import Complaint
from complaints.policy import Kind, Topic

from .files import NOW, TODAY, unique_national_id


def complaint_form_data(**overrides) -> dict:
    """Every field of the public complaint form, filled in validly (CP-3, CP-5): a complaint about
    the service, filed five days after the incident, by a complainant with a phone and an email.

    The values post as they are (the test client sends `incident_on` as its ISO date) and the
    service takes them as they are."""
    data = {
        "kind": Kind.COMPLAINT, "topic": Topic.SERVICE, "complainant_name": "فاطمة محمد القحطاني",
        "national_id": unique_national_id(), "phone": "0501234567", "email": "fatima@example.com",
        "subject": "تأخر صرف المساعدة", "facts": "تقدمت بطلب ثم تأخر الصرف شهرين.", "against": "قسم الصرف",
        "harm": "لم أتمكن من دفع الإيجار.", "reasons": "لم يبلغني أحد بسبب التأخير.",
        "steps_taken": "اتصلت بالجمعية مرتين.", "remedy": "صرف المساعدة المستحقة.", "other_info": "",
        "incident_on": TODAY - dt.timedelta(days=5), "excuse": "",
    }
    data.update(overrides)
    return data


def file_complaint(*, today: dt.date = TODAY, now: dt.datetime = NOW, received_on: dt.date | None = None,
                   attachments=(), **overrides) -> Complaint:
    """File `complaint_form_data(**overrides)` through the service on `today`, the incident five
    days before; return the complaint (the service also returns its secret code)."""
    overrides.setdefault("incident_on", (received_on or today) - dt.timedelta(days=5))
    complaint, _code = services.file_complaint(data=complaint_form_data(**overrides), attachments=attachments,
                                               profile=PolicyProfile.objects.active(), now=now, today=today,
                                               received_on=received_on)
    return complaint
