"""Keep personal data out of logs and error mails (RT-10).

National IDs and iqama numbers, Saudi phone numbers, e-mail addresses, IBANs and links (which
may carry a token), in any digits, are masked in every log line, traceback and error mail; request bodies never reach an
error report. Message bodies are logged, if at all, through `mask_secrets` (no code survives).
"""

import logging
import re

from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

from .text import to_ascii_digits

_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"\bSA\d{2}[0-9A-Z]{20}\b", re.IGNORECASE), "[iban]"),
    (re.compile(r"(?<!\d)[12]\d{9}(?!\d)"), "[national-id]"),
    # A mobile however it is spaced: «+966 50 123 4567», «050-123-4567», «0501234567».
    (re.compile(r"(?<!\d)(?:\+?966|0)[\s-]*5(?:[\s-]*\d){8}(?!\d)"), "[phone]"),
]


# Links carry secrets (a survey's token, a portal code): no log line keeps one, whole or as a path.
_LINKS = [
    (re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE), "[link]"),
    # A path segment that looks random (16+ URL-safe characters with a digit or a capital),
    # ending the path: not a file name (it has a dot) nor a plain package directory.
    (re.compile(r"(?<=/)(?=[A-Za-z0-9_-]*[0-9A-Z])[A-Za-z0-9_-]{16,}(?=/|[\s?#\"']|$)"), "[token]"),
]
# In a message body, any word with a digit, a slash, four capitals in a row or a hyphen-joined
# part may be a code (a complaint's secret code, a one-time code, a tracking number).
_SECRET_WORD = re.compile(r"\S*(?:\d|/|[A-Z]{4}|[_-][A-Za-z0-9])\S*")


def redact(text: str) -> str:
    """Return `text` with national IDs, phone numbers, e-mail addresses, IBANs and links masked,
    whatever digits they are written in (read in ASCII digits first: charity.text.to_ascii_digits)."""
    text = to_ascii_digits(text)
    for pattern, replacement in (*_LINKS, *_PATTERNS):
        text = pattern.sub(replacement, text)
    return text


def mask_secrets(text: str) -> str:
    """Return a message body fit for a log: links and every word that may be a code masked."""
    return _SECRET_WORD.sub("[…]", redact(text))


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
