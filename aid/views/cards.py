"""Aid pages of DU-7: the family's electronic card, issued, replaced, reported lost or cancelled."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import now_and_today, visible_file
from charity.audit import get_in_scope
from charity.models import AccessLog

from .. import forms, services
from ..models import ElectronicCard
from .common import CARD_CHANGE, CARD_ISSUE, bound, done, file_url, form_page

CARD_DONE = _("The card was updated.")


def _card(request, pk) -> ElectronicCard:
    return get_in_scope(request, ElectronicCard.objects.select_related("file").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)


@login_required
@permission_required(CARD_ISSUE, raise_exception=True)
def card_issue(request, pk):
    """DU-7: hand an active file its electronic card."""
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    form = bound(request, forms.CardForm, submit_label=_("Issue the card"))
    if done(request, form, CARD_DONE, lambda data: services.issue_card(
            file=file, by=request.user, today=now_and_today()[1], **data)):
        return redirect(file_url(file))
    return form_page(request, form, _("Issue an electronic card"), file_url(file), file=file)


@login_required
@permission_required(CARD_ISSUE, raise_exception=True)
def card_replace(request, pk):
    """DU-7: replace a card: the old one becomes replaced, the new one active."""
    card = _card(request, pk)
    form = bound(request, forms.CardForm, submit_label=_("Replace the card"))
    if done(request, form, CARD_DONE, lambda data: services.replace_card(
            card=card, by=request.user, today=now_and_today()[1], new_number=data["number"], note=data["note"])):
        return redirect(file_url(card.file))
    return form_page(request, form, _("Replace card %(number)s") % {"number": card.number}, file_url(card.file),
                     file=card.file)


def _card_action(request, pk, service):
    card = _card(request, pk)
    try:
        service(card=card, by=request.user, today=now_and_today()[1], note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, CARD_DONE)
    return redirect(file_url(card.file))


@require_POST
@login_required
@permission_required(CARD_CHANGE, raise_exception=True)
def card_lost(request, pk):
    """DU-7: the family reports the card lost."""
    return _card_action(request, pk, services.report_card_lost)


@require_POST
@login_required
@permission_required(CARD_CHANGE, raise_exception=True)
def card_cancel(request, pk):
    """DU-7: cancel the card."""
    return _card_action(request, pk, services.cancel_card)

urlpatterns = [
    path("aid/files/<int:pk>/cards/issue/", card_issue, name="aid_card_issue"),
    path("aid/cards/<int:pk>/replace/", card_replace, name="aid_card_replace"),
    path("aid/cards/<int:pk>/lost/", card_lost, name="aid_card_lost"),
    path("aid/cards/<int:pk>/cancel/", card_cancel, name="aid_card_cancel"),
]
