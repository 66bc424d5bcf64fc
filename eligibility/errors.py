"""Messages users see when eligibility services refuse an action, and messages sent to
beneficiaries. Tests import these constants."""

from django.utils.translation import gettext_lazy as _

NO_LONGER_REQUIRED = _("No longer required after a change in the file.")
DOCUMENT_OF_OTHER_FILE = _("This document belongs to another file.")
NO_DOCUMENT = _("Attach the document before verifying this item.")
TWO_WITNESSES_NEEDED = _("Two witnesses are needed before this item can be verified.")
NO_COMPLETED_VISIT = _("No field visit has been completed yet.")
NO_ASSESSMENT = _("The needs study has not been filled in yet.")
NO_DECLARATION = _("The applicant has not signed the declaration of the data yet.")
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
CANCELLATION_FORM_REQUIRED = _("A cancellation at the beneficiary's request is recorded on the approved form (SC-3): "
                               "print the cancellation request, have the beneficiary sign it, and upload the signed "
                               "scan.")
NOT_AN_EXCLUSION_RULE = _("%(rule)s is not a rule that excludes by decision.")
ORPHANS_EXEMPT = _("Orphans are exempt from exclusion for being registered with another association (SC-10).")
NOT_WIDOW_OR_DIVORCED = _("SC-8 applies to a widow or a divorced woman.")
AUTHORITY_REQUIRED = _("Name the authority the case was referred to (SC-4).")
ALREADY_EXCLUDED = _("This file is already excluded.")
NOT_ACTIVE = _("Only an active file can be frozen.")
ALREADY_FROZEN = _("This file already has an open freeze.")
NOT_FROZEN = _("This freeze is no longer open.")
HANDOVER_RECEIVER_REQUIRED = _("Write the name of the person who received the certificate.")
HANDOVER_DATE = _("The handover date cannot be before the certificate was issued, nor in the future.")
HANDOVER_RECORDED = _("The handover of this certificate is already recorded.")
CONTROLS_NOT_ADOPTED = _("The association's board has not adopted the controls on providing service: no file is "
                         "frozen or excluded under them until it does (the administrator records the decision).")
NOT_AWAITING_REVIEW = _("This freeze has no response from the family waiting for review.")
REVIEW_REASONS_REQUIRED = _("Write the reasons: the family is told them (RT-4).")
NOT_THE_HEAD = _("The person who died is not the current head of household.")
CHILD_REQUIRED = _("Choose the child who becomes head of household.")
NOT_A_CHILD = _("The new head of household must be one of the children.")
DEPENDANT_REQUIRED = _("Choose the dependant who becomes head of household.")
NOT_A_DEPENDANT = _("The new head of household must be one of the dependants who may take the file.")
GUARDIAN_REQUIRED = _("The new head of household is under 18: write the guardian's name, relationship and "
                      "identity number.")
DEATH_REFER_TO_MANAGER = _("The rules name no one to take this file: the deceased was a man without a wife and his "
                           "dependants are all minors. Nothing was recorded; refer the case to the manager.")
NEW_HEAD_HAS_FILE = _("The new head of household already has another open file (%(number)s).")
DIED_IN_FUTURE = _("The date of death cannot be in the future.")
NOT_OPEN_FILE = _("Only an active or frozen file can be transferred or closed.")

# Messages to beneficiaries (sent in Arabic).
MSG_FROZEN = _("File %(number)s has been frozen until %(until)s: %(reason)s. Contact the association to lift it.")
LIFTED_BY_DOCUMENTS = _("Lifted by itself: the family handed in the documents required during the freeze (SC-6).")
NO_RESPONSE_PROOF = _("The freeze ended on %(until)s without a response from the beneficiary.")
