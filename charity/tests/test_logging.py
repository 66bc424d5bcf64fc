"""RT-10: personal data never reaches logs or error mails."""

import logging

import pytest
from django.core import mail
from django.test import RequestFactory

from charity.logging import PersonalDataExceptionReporterFilter, RedactPersonalDataFilter, redact


def test_redact_masks_ids_phones_and_ibans():
    text = "id 1012345678 iqama 2123456789 phone +966501234567 or 0501234567 iban SA0380000000608010167519"
    out = redact(text)
    for secret in ("1012345678", "2123456789", "501234567", "SA0380000000608010167519"):
        assert secret not in out
    assert "[national-id]" in out and "[phone]" in out and "[iban]" in out


def test_log_filter_redacts_message_args_and_traceback():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lookup %s failed", ("1012345678",), None)
    try:
        raise ValueError("bad id 1012345678")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactPersonalDataFilter().filter(record)
    assert "1012345678" not in record.getMessage()
    assert "1012345678" not in record.exc_text


def test_error_report_hides_post_values_and_locals():
    request = RequestFactory().post("/x/", {"national_id": "1012345678", "income": "3000"})
    reporter = PersonalDataExceptionReporterFilter()
    params = reporter.get_post_parameters(request)
    assert "1012345678" not in str(params.values()) and "3000" not in str(params.values())


@pytest.mark.django_db
def test_error_mail_from_a_failing_view_carries_no_personal_data(settings, client):
    settings.ADMINS = [("Admin", "admin@example.org")]
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from django.urls import path

    def boom(request):
        raise RuntimeError(f"cannot process national id {request.POST['national_id']}")

    import charity.urls

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom), *charity.urls.urlpatterns]})
    client.raise_request_exception = False
    response = client.post("/boom/", {"national_id": "1012345678", "income": "4321", "medical": "diabetes"})
    assert response.status_code == 500
    assert mail.outbox, "the admins are mailed about the error"
    body = mail.outbox[0].subject + mail.outbox[0].body
    for secret in ("1012345678", "4321", "diabetes"):
        assert secret not in body
