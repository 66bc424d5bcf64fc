"""The satisfaction survey's text message (SAT-1), registered with `charity.messages` by
`SatisfactionConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "satisfaction-survey": (
        _("Satisfaction survey (SAT-1)"),
        _("Help us improve our service: how satisfied are you with «{service}»? One minute: {survey_link} "
          "(until {last_day})"),
    ),
}
