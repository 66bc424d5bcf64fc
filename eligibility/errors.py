"""Messages users see when eligibility services refuse an action, and messages sent to
beneficiaries. Tests import these constants."""

from django.utils.translation import gettext_lazy as _

NO_LONGER_REQUIRED = _("No longer required after a change in the file.")
DOCUMENT_OF_OTHER_FILE = _("This document belongs to another file.")
NO_DOCUMENT = _("Attach the document before verifying this item.")
TWO_WITNESSES_NEEDED = _("Two witnesses are needed before this item can be verified.")
NO_COMPLETED_VISIT = _("No field visit has been completed yet.")
NO_ASSESSMENT = _("The needs study has not been filled in yet.")
NOTE_REQUIRED = _("Say why this item does not apply.")
WITNESS_TWICE = _("This witness is already recorded for the file.")
VISIT_IN_PAST = _("The visit date cannot be in the past.")
VISIT_NOT_SCHEDULED = _("This visit is no longer scheduled.")
VISIT_REPORT_INCOMPLETE = _("Fill in the state of the housing, the observations, who was present and the "
                            "recommendation.")
NOT_UNDER_STUDY = _("Only an application under study can be decided.")
STUDY_CLOSED = _("The study of this file is over: its checklist and witnesses can no longer change.")
FILE_NOT_OPEN = _("Visits are only for open files.")
NO_CHECKLIST = _("The verification checklist has not been prepared.")
OPEN_ITEMS = _("The verification checklist still has open items: %(items)s.")
NOT_THE_DECIDING_BODY = _("Under this association's policy, you are not the body that decides applications.")
NO_QUORUM = _("At least %(quorum)s committee members must be present.")
NOT_A_COMMITTEE_MEMBER = _("Only members of the research committee can vote.")
VOTES_TIED = _("The votes are tied: the committee has not reached a decision.")
OUTCOME_AGAINST_VOTES = _("The decision must follow the majority of the committee's votes.")
REASONS_REQUIRED = _("The reasons are required: the applicant has the right to know them (RT-4).")
PROOF_REQUIRED = _("This exclusion needs proof: attach a document or write what proves the case.")
NOT_AN_EXCLUSION_RULE = _("%(rule)s is not a rule that excludes by decision.")
ORPHANS_EXEMPT = _("Orphans are exempt from exclusion for being registered with another association (SC-10).")
NOT_WIDOW_OR_DIVORCED = _("SC-8 applies to a widow or a divorced woman.")
AUTHORITY_REQUIRED = _("Name the authority the case was referred to (SC-4).")
ALREADY_EXCLUDED = _("This file is already excluded.")
NOT_ACTIVE = _("Only an active file can be frozen.")
ALREADY_FROZEN = _("This file already has an open freeze.")
NOT_FROZEN = _("This freeze is no longer open.")
NOT_THE_HEAD = _("The person who died is not the current head of household.")
CHILD_REQUIRED = _("Choose the child who becomes head of household.")
NOT_A_CHILD = _("The new head of household must be one of the children.")
NEW_HEAD_HAS_FILE = _("The new head of household already has another open file (%(number)s).")
DIED_IN_FUTURE = _("The date of death cannot be in the future.")
NOT_OPEN_FILE = _("Only an active or frozen file can be transferred or closed.")

# Messages to beneficiaries (sent in Arabic).
MSG_ACCEPTED = _("Your application, file %(number)s, has been accepted by the association.")
MSG_REJECTED = _("Your application, file %(number)s, was not accepted. Reasons: %(reasons)s. You may file a "
                 "grievance within %(days)s days through the association's website.")
MSG_FROZEN = _("File %(number)s has been frozen until %(until)s: %(reason)s. Contact the association to lift it.")
LIFTED_BY_DOCUMENTS = _("Lifted by itself: the family handed in the documents required during the freeze (SC-6).")
MSG_EXCLUDED = _("File %(number)s has been excluded from the association's services. Reason: %(reason)s. You may "
                 "file a grievance within %(days)s days through the association's website.")
MSG_TRANSFERRED = _("File %(number)s has been moved to the name of %(name)s.")
NO_RESPONSE_PROOF = _("The freeze ended on %(until)s without a response from the beneficiary.")
