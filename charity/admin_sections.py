"""PR «Sections per profile»: the admin's setup checklist. Each section of the policy is adopted
(by which board decision: number, date in both calendars) or not; the admin records an adoption,
completes a decision the text left blank, or withdraws one recorded by mistake. Every change goes
through charity.services (adopt_section, withdraw_section)."""

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

from . import calendar, errors, services
from .admin_history import ScopedHistoryAdmin, ViewOnlyMixin
from .forms import add_service_error
from .models import SectionAdoption
from .policy import SECTION_RULES, Section


class AdoptSectionForm(forms.Form):
    section = forms.ChoiceField(choices=Section.choices, widget=forms.HiddenInput,
                                error_messages={"invalid_choice": errors.UNKNOWN_SECTION,
                                                "required": errors.UNKNOWN_SECTION})
    decision_number = forms.CharField(label=_("decision number"), max_length=60,
                                      error_messages={"required": errors.DECISION_NUMBER_REQUIRED})
    decided_on = forms.DateField(label=_("decision date (Gregorian)"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"required": errors.DECISION_DATE_REQUIRED,
                                                 "invalid": errors.DECISION_DATE_REQUIRED})
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawSectionForm(forms.Form):
    section = forms.ChoiceField(choices=Section.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": errors.WITHDRAWAL_REASON_REQUIRED})


def checklist_rows(profile, *, posted=None) -> list[dict]:
    """One row per section: its adoption (or None), and its form (the one just posted, if any)."""
    adoptions = profile.adoptions()
    rows = []
    for section in Section:
        adoption = adoptions.get(section.value)
        initial = {"section": section.value}
        if adoption is not None:
            initial.update(decision_number=adoption.decision_number, decided_on=adoption.decided_on)
        form = AdoptSectionForm(initial=initial, prefix=section.value)
        withdraw = WithdrawSectionForm(initial={"section": section.value}, prefix=f"withdraw-{section.value}")
        if posted is not None and posted.prefix in (section.value, f"withdraw-{section.value}"):
            form, withdraw = (posted, withdraw) if isinstance(posted, AdoptSectionForm) else (form, posted)
        rows.append({"section": section, "rules": SECTION_RULES[section], "adoption": adoption, "form": form,
                     "withdraw": withdraw})
    return rows


class SectionChecklistMixin:
    """Adds the setup checklist page to the policy-profile admin: …/<id>/sections/."""

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.sections_view)
        return [path("<path:object_id>/sections/", view, name=f"{opts.app_label}_{opts.model_name}_sections"),
                *super().get_urls()]

    @admin.display(description=_("setup checklist"))
    def sections_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:charity_policyprofile_sections", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Sections adopted by the board"))

    def sections_view(self, request, object_id):
        profile = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if profile is None:
            raise Http404
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        posted = None
        if request.method == "POST":
            if not self.has_change_permission(request, profile):
                raise PermissionDenied
            posted = self._apply(request, profile)
            if posted is None:
                return redirect(request.path)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": profile,
                   "profile": profile, "rows": checklist_rows(profile, posted=posted),
                   "title": _("Setup checklist: sections of the policy"),
                   "can_change": self.has_change_permission(request, profile)}
        return TemplateResponse(request, "admin/charity/policyprofile/sections.html", context,
                                status=400 if posted is not None else 200)

    def _apply(self, request, profile):
        """Adopt or withdraw as posted; return None when done, else the form with its errors."""
        section = request.POST.get("section_code", "")
        if request.POST.get("action") == "withdraw":
            form = WithdrawSectionForm(request.POST, prefix=f"withdraw-{section}")
            if form.is_valid():
                try:
                    services.withdraw_section(profile=profile, section=form.cleaned_data["section"],
                                              reason=form.cleaned_data["reason"], by=request.user)
                except ValidationError as exc:
                    add_service_error(form, exc)
                    return form
                self.message_user(request, _("The adoption is withdrawn: the section's rules no longer apply."),
                                  messages.SUCCESS)
                return None
            return form
        form = AdoptSectionForm(request.POST, prefix=section if section in Section.values else "")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.adopt_section(profile=profile, section=data["section"], note=data["note"],
                                       decision_number=data["decision_number"], decided_on=data["decided_on"],
                                       by=request.user, now=timezone.now(), today=calendar.today())
            except ValidationError as exc:
                add_service_error(form, exc)
                return form
            self.message_user(request, _("The section is recorded as adopted by the board's decision."),
                              messages.SUCCESS)
            return None
        return form


@admin.register(SectionAdoption)
class SectionAdoptionAdmin(ViewOnlyMixin, ScopedHistoryAdmin):
    """The adopted sections, read only: they change on the profile's setup checklist."""

    list_display = ("profile", "section", "decision_number", "decided_on", "recorded_by", "recorded_at")
    list_filter = ("profile", "section")
    list_select_related = ("profile", "recorded_by")
