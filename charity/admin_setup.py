"""PR: the admin's setup checklist of a policy profile (…/admin/charity/policyprofile/<id>/setup/).

It shows what is still missing before the product acts on the association's behalf
(charity.setup): the values no approved text gives — the service-area cities (BEN-1) and the
research committee's quorum — and the documents the text names among the staff tools, each to
upload (and replace: every upload is kept). The sections adopted by the board have their own page
(charity.admin_sections), linked from here. Every change goes through charity.services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services, setup
from .admin_history import ScopedHistoryAdmin, ViewOnlyMixin
from .forms import LinesField, add_service_error
from .models import StaffTool, StaffToolVersion


class SetupValuesForm(forms.Form):
    service_area_cities = LinesField(label=_("service-area cities (one per line)"), required=False)
    committee_quorum = forms.IntegerField(label=_("research-committee quorum (members present)"), required=False,
                                          min_value=1)


class StaffToolUploadForm(forms.Form):
    uploaded = forms.FileField(label=_("file (PDF, JPEG or PNG)"))


def tool_rows(profile, *, posted=None) -> list[dict]:
    """One row per staff tool the text names: its uploads (newest first) and its upload form."""
    rows = []
    for tool in profile.staff_tools.prefetch_related("versions__uploaded_by").order_by("position", "id"):
        versions = sorted(tool.versions.all(), key=lambda v: (v.uploaded_at, v.pk), reverse=True)
        form = StaffToolUploadForm(prefix=f"tool-{tool.pk}")
        if posted is not None and posted.prefix == f"tool-{tool.pk}":
            form = posted
        rows.append({"tool": tool, "current": versions[0] if versions else None, "earlier": versions[1:],
                     "form": form})
    return rows


class SetupChecklistMixin:
    """Adds the setup checklist page to the policy-profile admin: …/<id>/setup/."""

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.setup_view)
        return [path("<path:object_id>/setup/", view, name=f"{opts.app_label}_{opts.model_name}_setup"),
                *super().get_urls()]

    @admin.display(description=_("setup checklist"))
    def setup_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:charity_policyprofile_setup", args=[obj.pk])
        missing = len(setup.missing_setup(obj))
        label = _("Setup checklist: %(count)s missing") % {"count": missing} if missing else _("Setup checklist")
        return format_html('<a href="{}">{}</a>', url, label)

    def setup_view(self, request, object_id):
        profile = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if profile is None:
            raise Http404
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        posted = None
        if request.method == "POST":
            if not self.has_change_permission(request, profile):
                raise PermissionDenied
            posted = self._apply_setup(request, profile)
            if posted is None:
                return redirect(request.path)
        values = posted if isinstance(posted, SetupValuesForm) else SetupValuesForm(initial={
            "service_area_cities": profile.service_area_cities, "committee_quorum": profile.committee_quorum})
        undecided = [a for a in profile.adoptions().values() if not a.decision_recorded]
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": profile,
                   "profile": profile, "title": _("Setup checklist"), "missing": setup.missing_setup(profile),
                   "service_area_missing": setup.service_area_missing(profile),
                   "quorum_needed": setup.quorum_needed(profile), "quorum_missing": setup.quorum_missing(profile),
                   "values_form": values, "tools": tool_rows(profile, posted=posted),
                   "undecided_sections": undecided, "can_change": self.has_change_permission(request, profile)}
        return TemplateResponse(request, "admin/charity/policyprofile/setup.html", context,
                                status=400 if posted is not None else 200)

    def _apply_setup(self, request, profile):
        """Save the values or keep an upload, as posted; return None when done, else the form with its errors."""
        if request.POST.get("action") == "upload":
            return self._upload(request, profile)
        form = SetupValuesForm(request.POST)
        if not form.is_valid():
            return form
        try:
            services.set_setup_values(profile=profile, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
            return form
        self.message_user(request, _("The values are saved."), messages.SUCCESS)
        return None

    def _upload(self, request, profile):
        tool = profile.staff_tools.filter(pk=request.POST.get("tool_id") or None).first()
        if tool is None:
            raise Http404
        form = StaffToolUploadForm(request.POST, request.FILES, prefix=f"tool-{tool.pk}")
        if not form.is_valid():
            return form
        try:
            services.upload_staff_tool(tool=tool, uploaded=form.cleaned_data["uploaded"], by=request.user,
                                       now=timezone.now())
        except ValidationError as exc:
            add_service_error(form, exc, {"upload_empty": "uploaded", "upload_too_large": "uploaded",
                                          "upload_wrong_type": "uploaded"})
            return form
        self.message_user(request, _("The document is uploaded: staff open it from their home page."),
                          messages.SUCCESS)
        return None


@admin.register(StaffTool)
class StaffToolAdmin(ViewOnlyMixin, ScopedHistoryAdmin):
    """The staff tools, read only: uploaded on the profile's setup checklist."""

    list_display = ("name_ar", "profile", "source_line", "position")
    list_filter = ("profile",)
    list_select_related = ("profile",)


@admin.register(StaffToolVersion)
class StaffToolVersionAdmin(ViewOnlyMixin, ScopedHistoryAdmin):
    """Every upload of a staff tool, kept: a replacement adds one, none is deleted."""

    list_display = ("tool", "original_name", "size", "uploaded_by", "uploaded_at")
    list_filter = ("tool__profile",)
    list_select_related = ("tool", "uploaded_by")
