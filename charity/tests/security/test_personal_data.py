"""5. RT-10: national IDs, income and medical text never reach logs or error mails."""

import io
import logging
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from charity.logging import RedactPersonalDataFilter
from testdata import member_form_data, unique_national_id

from .helpers import INCOME, MEDICAL, complaint_post

pytestmark = pytest.mark.django_db


def _household(world, id_number):
    return ("intake_a", reverse("beneficiaries:intake_step", args=[world.draft.pk, "household"]),
            "beneficiaries.services.save_member", member_form_data(**{
                "member-id_number": id_number, "member-has_disability": "on", "member-disability": MEDICAL,
                "member-health_conditions": MEDICAL, "income-monthly_amount": INCOME}))


def _income(world, id_number):
    return ("intake_a", reverse("beneficiaries:intake_step", args=[world.draft.pk, "income"]),
            "beneficiaries.services.save_income", {
                "action": "income", "income-kind": "salary", "income-member": "", "income-monthly_amount": INCOME,
                "income-note": MEDICAL, "head_id_number": id_number})


ERROR_POSTS = {"household member": _household, "income": _income, "public complaint": complaint_post}


@pytest.fixture
def captured_logs(caplog, settings):
    """Every record at every level (caplog, also on django.request which does not propagate) and
    the text a handler configured like settings.LOGGING's console handler writes."""
    settings.ADMINS = [("Admin", "admin@charity.example")]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    handler.addFilter(RedactPersonalDataFilter())
    loggers = [logging.getLogger(), logging.getLogger("django.request"), logging.getLogger("django.security")]
    caplog.set_level(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(handler)
        if logger.name != "root":
            logger.addHandler(caplog.handler)
    yield caplog, stream
    for logger in loggers:
        logger.removeHandler(handler)
        logger.removeHandler(caplog.handler)


def _fail(client, world, scenario, error):
    user, url, service, data = ERROR_POSTS[scenario](world, unique_national_id())
    if user:
        client.force_login(world.users[user])
    client.raise_request_exception = False
    with mock.patch(service, side_effect=error):
        response = client.post(url, data)
    return response, data


def _sent_mail() -> str:
    return "\n".join(m.subject + m.body + "".join(a[0] for a in getattr(m, "alternatives", [])) for m in mail.outbox)


@pytest.mark.rule("RT-10")
@pytest.mark.parametrize("scenario", list(ERROR_POSTS))
def test_error_in_a_real_view_logs_and_mails_no_personal_data_rt10(client, world, captured_logs, scenario):
    """RT-10: a view that fails after reading the ID, the income and the medical text: the Arabic
    500 page; the admins are mailed; neither the logs nor the mail hold any of the three."""
    caplog, stream = captured_logs
    response, data = _fail(client, world, scenario, RuntimeError("database unavailable"))
    with translation.override("ar"):
        assert response.status_code == 500 and translation.gettext("Something went wrong") in response.content.decode()
    assert mail.outbox, "the admins are told about the error"
    identity = next(v for k, v in data.items() if "id_number" in k or k == "national_id")
    outputs = {"caplog": caplog.text, "handler": stream.getvalue(), "mail": _sent_mail()}
    assert "database unavailable" in outputs["handler"] and "database unavailable" in outputs["mail"]
    for secret in (identity, INCOME, MEDICAL):
        assert [name for name, text in outputs.items() if secret in text] == [], secret


@pytest.mark.rule("RT-10")
def test_identity_in_an_error_message_is_masked_in_logs_and_mail_rt10(client, world, captured_logs):
    """RT-10: even an exception whose message carries the ID (a database error, say) is masked."""
    _caplog, stream = captured_logs
    user, url, service, data = complaint_post(world, unique_national_id())
    identity = data["national_id"]
    client.raise_request_exception = False
    with mock.patch(service, side_effect=RuntimeError(f"duplicate key (national_id)=({identity})")):
        response = client.post(url, data)
    assert response.status_code == 500
    assert identity not in stream.getvalue() and "[national-id]" in stream.getvalue()
    assert identity not in _sent_mail() and "[national-id]" in _sent_mail()
