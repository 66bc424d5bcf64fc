"""What the aid pages share: the permissions they check, the form helpers that call a service
and show its refusal on the form, and where to go back to.

Thin views: bind a form, call a service (aid/services/), redirect with a message. Everything
about a file goes through BeneficiaryFile.objects.visible_to (404 for anyone else)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from charity.forms import add_service_error

VIEW, PROPOSE, APPROVE, PAY = ("aid.view_disbursement", "aid.add_disbursement",
                               "aid.approve_aid", "aid.change_disbursement")
MANAGE = "aid.manage_aid"
CARD_ISSUE, CARD_CHANGE = "aid.add_electroniccard", "aid.change_electroniccard"
PER_PAGE = 50

SAVED = _("Saved.")

# Which form field shows each service refusal (by the ValidationError's code).
FIELD_ERRORS = {"transfer_reference_required": "transfer_reference", "reason_required": "reason",
                "purposes_required": "purposes", "date_in_future": "received_on", "quantity_required": "quantity",
                "notes_required": "notes", "expired_goods": "result", "file_required": "file_number",
                "card_number_required": "number", "card_number_taken": "number", "criteria_required": "categories"}


def bound(request, form_class, **kwargs):
    """Return the form bound to the POST data, or unbound on a GET."""
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def call_service(form, fields, service, **kwargs):
    """Call the service; on refusal show its message on the form and return None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_error(form, exc, fields)
        return None


def done(request, form, message, action, fields=FIELD_ERRORS):
    """On a valid POST run `action(cleaned_data)` (a service call) and flash `message`; return its
    result, or None when there is nothing to do or the service refused (shown on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = call_service(form, fields, action, data=form.cleaned_data)
    if result:
        messages.success(request, message)
    return result


def next_url(request, default: str) -> str:
    """Return the page to go back to: `next` when it is on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def form_page(request, form, title, back, **context):
    """Render the aid pages' one form template with a title and the link back."""
    return render(request, "aid/form.html", {"form": form, "title": title, "back": back, **context})


def file_url(file) -> str:
    """Return the URL of the file's aid page."""
    return reverse("aid:aid_file", args=[file.pk])
