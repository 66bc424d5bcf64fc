"""Every change of state of a complaint goes through these functions (CP-1…CP-10).

One module per stage: filing and the excuse (filing: CP-1…CP-5, CP-2), examination and
ruling (examination: CP-6…CP-8, CP-10), telling the complainant (notices: CP-9), and the
reminder, escalation and digest jobs (reminders: CP-7) — idempotent through the outbox's
dedupe keys. Callers use `complaints.services.<function>`, whichever module it lives in.
"""

from .examination import assign, close, name_staff, record_investigation_outcome, refer_malicious, rule
from .filing import (
    CODE_LENGTH,
    MAX_ATTACHMENTS,
    check_contents,
    decide_excuse,
    file_complaint,
    find_for_complainant,
    format_code,
    hash_code,
    new_secret_code,
    normalize_code,
)
from .notices import notify_result, record_notice, record_status_page_view
from .reminders import send_daily_digest, send_deadline_reminders
from .suggestions import acknowledge_suggestion, answer_suggestion, check_suggestion, submit_suggestion

__all__ = [
    "CODE_LENGTH", "MAX_ATTACHMENTS", "acknowledge_suggestion", "answer_suggestion", "assign", "check_contents",
    "check_suggestion", "close", "decide_excuse", "file_complaint", "find_for_complainant", "format_code", "hash_code",
    "name_staff", "new_secret_code", "normalize_code", "notify_result", "record_investigation_outcome",
    "record_notice", "record_status_page_view", "refer_malicious", "rule", "send_daily_digest",
    "send_deadline_reminders", "submit_suggestion",
]
