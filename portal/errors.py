"""Messages the beneficiary sees. Tests import these constants. None of them says whether an
identity number belongs to a file."""

from django.utils.translation import gettext_lazy as _

IDENTITY_FORMAT = _("Enter the identity number of the head of household or of the family's delegate: a national "
                    "ID or iqama number (10 digits) or a passport number.")
CODE_SENT = _("If this number belongs to a file with the association, a code of 6 digits has been sent by text "
              "message to the mobile number on the file. It is valid for 5 minutes.")
CODE_FORMAT = _("The code is the 6 digits of the text message.")
CODE_WRONG = _("The code is not correct. You have %(left)s tries left with this code.")
CODE_EXPIRED = _("This code is no longer valid (a code lasts 5 minutes). Ask for a new code.")
CODE_EXHAUSTED = _("Too many wrong tries with this code. Ask for a new code.")
RESEND_NOT_YET = _("A new code can be asked for one minute after the last one, and at most 3 times. Please wait "
                   "or start again.")
RATE_LIMITED = _("Too many attempts. For your protection, please try again after %(time)s.")
NO_SIGN_IN = _("Start by entering your identity number.")
SIGNED_OUT = _("You have signed out of «my file».")
SESSION_ENDED = _("Your session has ended. Please sign in again.")
SURVEY_THANKS = _("Thank you: your answer has been recorded. It helps us improve our service.")
REQUEST_SENT = _("Your request has been sent to the beneficiary-services manager. The answer and its reasons will "
                 "appear here.")
NO_SUCH_PERSON = _("This household member is not in the file, or has left it.")
DELEGATE_EXISTS = _("The family already has a delegate; end that delegation first.")
DELEGATE_IS_HEAD = _("The head of household signs in as the head; a delegate is another member of the household.")
REASON_REQUIRED = _("The reason is required.")

# The text message carrying the code (sent in Arabic; deleted from the outbox once delivered).
SMS_CODE = _("Your code for «my file»: %(code)s. It is valid for 5 minutes. Do not share it with anyone; the "
             "association never asks you for it.")

# The annual update (DU-5).
DOCUMENT_RECEIVED = _("Thank you: the document has been received.")
UPDATE_COMPLETE = _("All the documents of the annual update have been received. Thank you.")
UPDATE_CLOSED = _("This annual update is complete: nothing more is needed.")

# The access log's «acting person» for a visit to «my file» (charity.audit).
ACTOR = _("«my file»: %(role)s %(name)s")
ACTOR_HEAD = _("the head of household")
ACTOR_DELEGATE = _("the family's delegate")
