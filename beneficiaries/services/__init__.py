"""Every change of state of a beneficiary file goes through these functions.

Views, admin actions, tasks and commands call them; none sets `status` by hand. Each takes
the acting user and `now`/`today` explicitly, checks the policy (policy.py), writes history
(django-simple-history on save) and refuses bad input with a translatable message.

One module per subject: the file itself (files), its household, its documents, intake,
the researcher (research) and the updates of a file in service (updates). Callers use
`beneficiaries.services.<function>`, whichever module it lives in.
"""

from .documents import current_documents, document_checklist, require_refusal_in_writing, upload_document
from .files import (
    allocate_file_number,
    change_status,
    change_status_many,
    check_service_area,
    lock_file,
    other_open_file,
    refer_out,
    update_file,
)
from .household import mark_member_left, save_income, save_member
from .intake import declared_data, record_declaration, start_intake, submission_problems, submit_application
from .participation import participation_in_force, record_participation_request
from .research import (
    answer_referral,
    assign_researcher,
    decide_researcher_change,
    is_researcher,
    refer_to_manager,
    request_researcher_change,
)
from .updates import (
    announce_annual_update,
    complete_renewed_requests,
    complete_update_request,
    document_labels,
    record_change,
    record_delivered_notices,
    record_update_notice,
    update_documents_missing,
)

__all__ = [
    "allocate_file_number", "announce_annual_update", "answer_referral", "assign_researcher", "change_status",
    "change_status_many", "check_service_area", "complete_renewed_requests", "complete_update_request",
    "current_documents", "decide_researcher_change", "declared_data", "document_checklist", "document_labels",
    "is_researcher", "lock_file", "mark_member_left", "other_open_file", "participation_in_force", "record_change",
    "record_declaration", "record_delivered_notices", "record_participation_request", "record_update_notice",
    "refer_out", "refer_to_manager", "request_researcher_change", "require_refusal_in_writing", "save_income",
    "save_member", "start_intake", "submission_problems", "submit_application", "update_documents_missing",
    "update_file", "upload_document",
]
