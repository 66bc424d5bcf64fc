"""Messages that users see when a service refuses an action. Tests import these constants."""

from django.utils.translation import gettext_lazy as _

DUPLICATE_OPEN_FILE = _("This head of household already has an open file (%(number)s). "
                        "Open that file instead of registering a new one.")
PASSPORT_NOT_ALLOWED = _("A passport is accepted as identity only for families abroad.")
OUTSIDE_SERVICE_AREA = _("%(city)s is outside the association's service area. You may record the "
                         "application as a referral to another body instead.")
NOT_A_DRAFT = _("This application was already submitted; it can no longer be changed here.")
STALE_VERSION = _("Someone else saved this file while you were editing it. Nothing was overwritten: "
                  "reload the page, check their changes and enter yours again.")
TRANSITION_NOT_ALLOWED = _("A file in the status «%(current)s» cannot become «%(new)s».")
MISSING_DOCUMENTS = _("Required documents are missing: %(documents)s.")
EXPIRED_DOCUMENTS = _("These documents have expired and must be renewed before submission: %(documents)s.")
EXPIRED_ON_UPLOAD = _("This document expired on %(date)s; ask the applicant for a valid one.")
EXPIRY_BEFORE_ISSUE = _("The expiry date is before the issue date.")
ISSUED_IN_FUTURE = _("The issue date cannot be in the future.")
DOCUMENTS_CLOSED = _("Documents can no longer be added to a file in the status «%(status)s».")
NO_DECLARATION = _("The applicant's declaration has not been recorded yet.")
DECLARATION_OUTDATED = _("The data changed after the declaration was signed; record the declaration again.")
SCAN_REQUIRED = _("Attach the signed declaration's scan, or choose in-person confirmation.")
NO_HEAD = _("The household has no head of household.")
MEMBER_IN_FILE = _("This person is already a member of this file.")
REASONS_REQUIRED = _("Reasons are required.")
NOT_A_RESEARCHER = _("%(user)s is not a social researcher.")
REQUEST_ALREADY_PENDING = _("A request to change the researcher is already awaiting the manager's decision.")
REQUEST_NOT_PENDING = _("This request was already decided.")
NEW_RESEARCHER_REQUIRED = _("Choose the new researcher.")
SAME_RESEARCHER = _("The new researcher must be someone other than the current one.")
NO_ACTIVE_FILES = _("There are no active files to update.")
DEADLINE_IN_PAST = _("The deadline must be after the announcement date.")
UPDATE_DOCUMENTS_MISSING = _("These documents have not been renewed since the announcement: %(documents)s.")
REPORTED_IN_FUTURE = _("The date reported cannot be in the future.")
QUESTION_REQUIRED = _("Write the applicant's question.")
ANSWER_REQUIRED = _("Write the answer.")
NOT_THE_EXPLAINER = _("Only %(role)s answers the applicants' questions under this association's policy (IN-4).")
UPDATE_ALREADY_COMPLETED = _("This update request is already completed.")
TOLD_BY_REQUIRED = _("Write who told the family.")
TOLD_IN_FUTURE = _("The day the family was told cannot be in the future.")
TOLD_BEFORE_ANNOUNCEMENT = _("The family cannot have been told before the update was announced.")
NOT_A_STAFF_NOTICE = _("Only a letter or a visit is recorded by hand; text messages and e-mails are recorded "
                       "by the outbox.")
UPDATE_NOT_OPEN = _("This update request is no longer waiting for documents.")
# RT-5: the family member the beneficiary asks to take part in decisions.
PARTICIPANT_REQUIRED = _("Choose a member of the household, or write the name of the family member and their "
                         "relationship.")
PARTICIPANT_NOT_IN_HOUSEHOLD = _("This person is not a current member of this household.")
PARTICIPATION_ON_FINAL_FILE = _("The record of this file is final («%(status)s»): no request is recorded on it.")
ASKED_IN_FUTURE = _("The day the beneficiary asked cannot be in the future.")
