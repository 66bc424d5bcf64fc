"""Keep personal data out of logs and error mails (RT-10).

National IDs and iqama numbers, Saudi phone numbers and IBANs are masked in every log
line, traceback and error mail; request bodies never reach an error report.
"""

import logging
import re

from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

_PATTERNS = [
    (re.compile(r"\bSA\d{2}[0-9A-Z]{20}\b", re.IGNORECASE), "[iban]"),
    (re.compile(r"(?<!\d)[12]\d{9}(?!\d)"), "[national-id]"),
    (re.compile(r"(?<!\d)(?:\+?966|0)5\d{8}(?!\d)"), "[phone]"),
]


def redact(text: str) -> str:
    """Return `text` with national IDs, phone numbers and IBANs masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalDataFilter(logging.Filter):
    """Rewrite a record's message and traceback text with personal data masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports show no submitted values and no local variables, in any mode."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class RedactingAdminEmailHandler(AdminEmailHandler):
    """Mail admins about errors with personal data masked in subject and body."""

    def send_mail(self, subject, message, *args, **kwargs):
        super().send_mail(redact(subject), redact(message), *args, **kwargs)
