"""What the study-page tests share: the pinned clock, messages read in Arabic, URLs, items."""

import datetime as dt

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from eligibility import services
from eligibility.models import VerificationItem
from testdata import NOW

VIEW_NOW = NOW + dt.timedelta(hours=1)


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response, field="__all__") -> list[str]:
    with translation.override("ar"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def page_url(name, *args):
    return reverse(f"eligibility:{name}", args=args)


def checklist_item(file, kind) -> VerificationItem:
    return next(i for i in services.ensure_checklist(file) if i.kind == kind)
