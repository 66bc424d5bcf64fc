"""Staff pages of «my file»: the family's delegate, registered or ended at the association's
desk. The file is reached through visible_file (404 outside the user's scope, access log);
every change goes through portal/services.py, and a refusal changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import Relationship
from beneficiaries.views.common import visible_file
from charity.audit import get_in_scope
from charity.models import AccessLog

from . import services
from .forms import DelegateForm, EndDelegateForm
from .models import Delegate

MANAGE_PERM = "portal.add_delegate"
REGISTERED = _("%(name)s may now sign in to «my file» for the family of file %(number)s.")
ENDED = _("The delegation ended: %(name)s can no longer sign in to the family's file.")

app_name = "delegates"


def _members(file):
    return file.members.current().exclude(relationship=Relationship.HEAD).order_by("birth_date", "pk")


@login_required
@permission_required(MANAGE_PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def delegates(request, pk):
    """The family's delegate for «my file»: the current one, the past ones, and registering one."""
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    form = DelegateForm(request.POST or None, members=_members(file))
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.designate_delegate(file=file, member=member, by=request.user,
                                        reason=form.cleaned_data["reason"], now=timezone.now())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, REGISTERED % {"name": member.full_name, "number": file.number})
            return redirect("delegates:list", pk=file.pk)
    rows = Delegate.objects.filter(file=file).select_related("member", "designated_by", "ended_by")
    current = next((row for row in rows if row.ended_at is None), None)
    return render(request, "portal/staff/delegates.html", {
        "file": file, "rows": rows, "current": current, "form": form, "end_form": EndDelegateForm()})


@login_required
@permission_required("portal.change_delegate", raise_exception=True)
@require_POST
def end(request, pk):
    """End a delegation, with the reason; the row stays."""
    delegate = get_in_scope(request, Delegate.objects.select_related("member").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)
    file = visible_file(request, delegate.file_id, action=None)
    form = EndDelegateForm(request.POST)
    if form.is_valid():
        try:
            services.end_delegate(delegate=delegate, by=request.user, reason=form.cleaned_data["reason"],
                                  now=timezone.now())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, ENDED % {"name": delegate.member.full_name})
    else:
        messages.error(request, " ".join(form.errors.get("reason", [])))
    return redirect("delegates:list", pk=file.pk)


urlpatterns = [
    path("<int:pk>/delegates/", delegates, name="list"),
    path("delegates/<int:pk>/end/", end, name="end"),
]
