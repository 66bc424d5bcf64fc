"""Forms of the controls on providing service (SC-1…SC-12): exclude, freeze, lift a freeze,
record a death, and the filters of the freeze and exclusion lists.

The rules (proof required, SC-4 referral, SC-10 orphans, who becomes head) live in
eligibility/controls.py; these forms collect the input and show a service's refusal."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms.files import ACCEPTED_UPLOADS
from beneficiaries.forms.updates import CHANGE_FIELDS, clean_phone, contact_field
from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import ChangeKind
from charity import calendar
from charity.forms import add_service_error  # noqa: F401 (the views call forms.add_service_error)

from .. import policy

CONFIRM_LABEL = _("I confirm: this cannot be undone.")
ONE_PROOF_DOCUMENT = _("Choose a document of the file or upload a new one, not both.")
MONTH_FORMAT = _("Enter a month as YYYY-MM.")
UPLOAD_HELP = _("PDF, JPEG or PNG, 10 MB at most.")

# Where a refusal of a service belongs on these forms (by its code).
EXCLUDE_ERROR_FIELDS = {
    "proof_required": "proof_note", "signed_form_required": "proof_upload",
    "authority_required": "referred_to", "document_of_other_file": "proof_document",
    "upload_empty": "proof_upload", "upload_too_large": "proof_upload", "upload_wrong_type": "proof_upload",
}
DEATH_ERROR_FIELDS = {
    "child_required": "new_head", "not_a_child": "new_head", "new_head_has_file": "new_head",
    "dependant_required": "new_head", "not_a_dependant": "new_head", "guardian_required": "guardian_name",
    "died_in_future": "died_on",
    "upload_empty": "certificate", "upload_too_large": "certificate", "upload_wrong_type": "certificate",
}




def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


def _upload_field(label) -> forms.FileField:
    return forms.FileField(label=label, required=False, help_text=UPLOAD_HELP,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_UPLOADS}))


def rule_label(rule: str) -> str:
    """Return «SC-8 — Marriage of a widow or a divorced woman.» in the active language."""
    return f"{rule} — {policy.control(rule).situation}"


def _helper(submit_label, *layout, multipart: bool = False, testid: str = "",
            button: str = "btn btn-danger") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.attrs = {"data-testid": testid} if testid else {}
    if multipart:
        helper.attrs["enctype"] = "multipart/form-data"
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label, css_class=button))
    return helper


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [str(obj.get_doc_type_display()), calendar.format_dual(obj.uploaded_at)]
        if obj.original_name:
            parts.append(obj.original_name)
        return " — ".join(parts)


class ExcludeForm(forms.Form):
    """SC-2…SC-11: the rule, its proof (a document and/or a note), the SC-4 referral, and a confirmation."""

    rule = forms.ChoiceField(label=_("Rule"), widget=forms.RadioSelect)
    proof_document = DocumentChoiceField(label=_("Proof: a document of the file"), queryset=None, required=False,
                                         empty_label=_("No document of the file"))
    proof_upload = _upload_field(_("…or upload a new proof document"))
    proof_note = forms.CharField(label=_("Proof: what establishes the case"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    referred_to = forms.CharField(label=_("Authority the case was referred to (SC-4)"), max_length=200,
                                  required=False)
    confirm = forms.BooleanField(label=CONFIRM_LABEL, required=True)

    def __init__(self, *args, file: BeneficiaryFile, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.file = file
        self.fields["rule"].choices = [(rule, rule_label(rule)) for rule in policy.EXCLUSION_RULES]
        self.fields["proof_document"].queryset = documents
        self.helper = _helper(
            _("Exclude the file"),
            Fieldset(_("The rule"), "rule"),
            Fieldset(_("The proof"), "proof_document", "proof_upload", "proof_note", "referred_to"),
            Field("confirm"),
            multipart=True, testid="exclude-form",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("proof_document") and cleaned.get("proof_upload"):
            self.add_error("proof_upload", ONE_PROOF_DOCUMENT)
        return cleaned


class FreezeForm(forms.Form):
    """SC-12 (contact details not reported) or SC-6 (documents late): freeze with a reason."""

    rule = forms.ChoiceField(label=_("Rule"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Left empty, the rule's situation is recorded as the reason."))

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for rule in ("SC-12", "SC-6"):  # SC-12 first: SC-6 is normally applied by the daily sweep
            months = getattr(profile, policy.control(rule).freeze_months_field)
            choices.append((rule, _("%(rule)s — %(situation)s (%(months)s months)") % {
                "rule": rule, "situation": policy.control(rule).situation, "months": months}))
        self.fields["rule"].choices = choices
        self.fields["rule"].initial = "SC-12"
        self.helper = _helper(_("Freeze the file"), "rule", "reason", testid="freeze-form", button="btn btn-warning")


class LiftFreezeForm(forms.Form):
    """Lift a freeze the beneficiary answered; for SC-12, with their updated contact details (DU-4)."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    mobile = contact_field("mobile")
    city = contact_field("city")
    district = contact_field("district")
    street = contact_field("street")
    building_number = contact_field("building_number")
    postal_code = contact_field("postal_code")
    version = forms.IntegerField(widget=forms.HiddenInput)

    ADDRESS_FIELDS = tuple(CHANGE_FIELDS[ChangeKind.ADDRESS])

    def __init__(self, *args, file: BeneficiaryFile, rule: str, international_phones: bool, **kwargs):
        initial = {name: getattr(file, name) for name in ("mobile", *self.ADDRESS_FIELDS)}
        initial["version"] = file.version
        super().__init__(*args, initial=initial, **kwargs)
        self.file, self.international_phones = file, international_phones
        self.contact = rule in policy.LIFTED_BY_CONTACT
        layout = ["note"]
        if self.contact:
            self.fields["mobile"].required = True
            layout.append(Fieldset(_("Updated contact details (SC-12, DU-4)"), "mobile",
                                   Row(Column("city"), Column("district")),
                                   Row(Column("street"), Column("building_number"), Column("postal_code"))))
        else:
            for name in ("mobile", *self.ADDRESS_FIELDS):
                del self.fields[name]
        self.helper = _helper(_("Lift the freeze"), *layout, Field("version"), testid="lift-form",
                              button="btn btn-primary")

    def clean_mobile(self):
        return clean_phone(self.cleaned_data.get("mobile"), international=self.international_phones)

    def contact_changes(self) -> list[tuple[str, dict]]:
        """Return [(change kind, {field: new value})] for the phone and the address, when they changed."""
        if not self.contact:
            return []
        data, changes = self.cleaned_data, []
        if data["mobile"] != self.file.mobile:
            changes.append((ChangeKind.PHONE, {"mobile": data["mobile"]}))
        address = {n: data[n].strip() for n in self.ADDRESS_FIELDS if data[n].strip() != (getattr(self.file, n) or "")}
        if address:
            changes.append((ChangeKind.ADDRESS, address))
        return changes

    def change_description(self, changes: dict) -> str:
        return "؛ ".join(f"{self.fields[n].label}: {v or '—'}" for n, v in changes.items())


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.get_relationship_display()})"


class DeathForm(forms.Form):
    """SC-7: the date of death, the new head when the file moves to a child or another dependant,
    the guardian when that new head is a minor, the death certificate (filed under the deceased)."""

    died_on = forms.DateField(label=_("Date of death"), widget=_date_input())
    new_head = MemberChoiceField(label=_("New head of household"), queryset=None, required=False,
                                 empty_label=_("Choose the new head of household"))
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False)
    guardian_relationship = forms.CharField(label=_("Guardian's relationship to the new head"), max_length=100,
                                            required=False, help_text=_("For example: paternal uncle, grandfather."))
    guardian_id_number = forms.CharField(label=_("Guardian's identity number"), max_length=20, required=False,
                                         widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}))
    certificate = _upload_field(_("Death certificate (optional)"))
    confirm = forms.BooleanField(label=CONFIRM_LABEL, required=True)

    def __init__(self, *args, candidates, choose: bool, minors: bool, **kwargs):
        super().__init__(*args, **kwargs)
        layout = ["died_on"]
        if choose:
            self.fields["new_head"].queryset = candidates
            layout.append("new_head")
        else:
            del self.fields["new_head"]
        if minors:
            layout.append(Fieldset(_("Guardian (when the new head is under 18)"), "guardian_name",
                                   "guardian_relationship", "guardian_id_number"))
        else:
            for name in ("guardian_name", "guardian_relationship", "guardian_id_number"):
                del self.fields[name]
        self.helper = _helper(_("Record the death"), *layout, "certificate", Field("confirm"), multipart=True,
                              testid="death-form")


class FreezeFilterForm(forms.Form):
    soon = forms.BooleanField(label=policy.ENDING_SOON, required=False)
    awaiting = forms.BooleanField(label=_("Documents received, awaiting review (SC-6)"), required=False)


class ExclusionFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    month = forms.CharField(label=_("Month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month", "dir": "ltr", "placeholder": "YYYY-MM"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = [*policy.EXCLUSION_RULES, *policy.FREEZE_RULES]
        self.fields["rule"].choices = [("", _("All rules")), *[(r, rule_label(r)) for r in sorted(
            rules, key=lambda r: int(r.split("-")[1]))]]

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError as exc:
            raise ValidationError(MONTH_FORMAT, code="month_format") from exc


class VerifyCodeForm(forms.Form):
    """The public verification page: the code printed on a certificate or decision."""

    code = forms.CharField(label=_("Verification code"), widget=forms.TextInput(attrs={
        "dir": "ltr", "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
        "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX", "maxlength": 64}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-testid": "verify-form"}
        self.helper.add_input(Submit("submit", _("Verify"), css_class="btn btn-primary w-100"))


class ReviewResponseForm(forms.Form):
    """SC-6: accept the family's incomplete response as it is, or tell it what is still missing."""

    ACCEPT, INCOMPLETE = "accept", "incomplete"
    outcome = forms.ChoiceField(label=_("Your review"), widget=forms.RadioSelect, choices=[
        (ACCEPT, _("Accept the response: lift the freeze, the missing documents are not needed")),
        (INCOMPLETE, _("The response is incomplete: tell the family what is still missing")),
    ])
    reasons = forms.CharField(label=_("Reasons (sent to the family)"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the review"), "outcome", "reasons", testid="review-form",
                              button="btn btn-primary")

