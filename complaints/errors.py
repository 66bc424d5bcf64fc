"""Messages users and complainants see. Tests import these constants."""

from django.utils.translation import gettext_lazy as _

NAME_NOT_CLEAR = _("Write your full name in at least three parts (your name, your father's name and your family "
                   "name).")
NO_CONTACT = _("Give at least one way to reach you: a mobile number or an email address.")
FIELD_REQUIRED = _("This information is required for the complaint to be considered.")
TOO_MANY_ATTACHMENTS = _("You can attach at most %(max)s files.")
DATES_IN_FUTURE = _("The dates cannot be in the future, and the incident must come before the filing.")
EXCUSE_REQUIRED = _("The complaint is filed more than %(days)s days after the date the right arose. Explain the "
                    "legitimate excuse for the delay: management will decide whether to accept it.")
TRANSITION_NOT_ALLOWED = _("A complaint in the status «%(current)s» cannot become «%(new)s».")
REASON_REQUIRED = _("The reason is required.")
NOT_AWAITING_EXCUSE = _("This complaint is not awaiting a decision on an excuse.")
ASSIGNEE_IS_NAMED = _("This member of staff is named in the complaint and cannot examine it.")
CANNOT_NAME_SELF = _("You cannot record yourself as complained of; ask the executive director.")
RULING_TEXT_REQUIRED = _("Write the ruling and its reasons.")
NOT_UNDER_REVIEW = _("Only a complaint under review can be ruled on.")
NOT_RULED = _("The complaint has not been ruled on yet.")
NOT_NOTIFIED = _("Tell the complainant the result before closing the complaint.")
ALREADY_REFERRED = _("This complaint was already referred to the investigation committee.")
NOTICE_QUEUED = _("Queued for delivery; the delivery attempts are recorded with the notification.")
NOTICE_SEEN_ONLINE = _("The complainant opened the status page after the ruling.")
RATE_LIMITED = _("Too many complaints were sent from here in a short time. Please try again after %(when)s.")
TEXT_TOO_LONG = _("Keep this to %(limit_value)s characters at most (it has %(show_value)s). Attach a longer "
                  "account as a file.")
NOT_FOUND = _("No complaint matches this tracking number and code. Check both and try again.")

MSG_REMINDER = _("Complaint %(number)s: %(days)s working days left for the ruling (due %(due)s).")
MSG_ESCALATION = _("Complaint %(number)s is past its ruling date (%(due)s) without a ruling.")
MSG_DIGEST = _("Complaints on %(date)s: %(open)s open, %(excuses)s late excuses awaiting a decision, %(due_week)s "
               "due within a week, %(overdue)s overdue.")
MSG_EXCUSE_REMINDER = _("Complaint %(number)s: the excuse of the late filing awaits your decision, %(days)s working "
                        "days left (due %(due)s).")

# DU-12: views and suggestions.
SUGGESTION_REQUIRED = _("Write your view or suggestion.")
SUGGESTION_TOO_LONG = _("Keep it to %(max)s characters at most.")
ANSWER_REQUIRED = _("Write the answer.")
STAFF_CHANNEL_REQUIRED = _("A member of staff enters only what was received by phone or in person.")
ALREADY_ANSWERED = _("This view or suggestion was already answered.")
NOT_RECEIVED = _("This view or suggestion was already acknowledged.")
SUGGESTION_RATE_LIMITED = _("Too many views or suggestions were sent from here in a short time. Please try again "
                            "after %(when)s.")
