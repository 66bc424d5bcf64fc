"""The forms of «my file»: the identity number, the code, and a request for another researcher.
Phones with an Arabic keyboard type Arabic-Indic digits: both fields take any Unicode digits."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms.files import ACCEPTED_UPLOADS, DocumentUploadForm
from charity.forms import submit_button

from . import errors, policy


def _helper(testid: str, *fields, button) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.attrs = {"data-testid": testid, "novalidate": ""}
    helper.layout = Layout(*fields, button)
    return helper


class IdentityForm(forms.Form):
    identity = forms.CharField(
        label=_("Identity number (national ID, iqama or passport)"), max_length=40,
        help_text=_("The number of the head of household, or of the family's delegate registered with the "
                    "association."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("identity-form", Field("identity", css_class="form-control-lg"),
                              button=submit_button("send", _("Send me a code"), "btn btn-primary btn-lg w-100"))

    def clean_identity(self):
        value = policy.normalize_identity(self.cleaned_data["identity"])
        if not policy.is_identity_number(value):
            raise ValidationError(errors.IDENTITY_FORMAT, code="identity_format")
        return value


class CodeForm(forms.Form):
    code = forms.CharField(label=_("The code from the text message"), max_length=20, widget=forms.TextInput(attrs={
        "dir": "ltr", "inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("code-form", Field("code", css_class="form-control-lg"),
                              button=submit_button("enter", _("Open my file"), "btn btn-primary btn-lg w-100"))

    def clean_code(self):
        value = policy.normalize_code(self.cleaned_data["code"])
        if not (value.isascii() and value.isdigit() and len(value) == policy.CODE_DIGITS):
            raise ValidationError(errors.CODE_FORMAT, code="code_format")
        return value


class ResearcherRequestForm(forms.Form):
    """RT-2: the family asks for another social researcher, with its reasons."""

    reasons = forms.CharField(label=_("Your reasons for asking for another researcher"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("researcher-request-form", "reasons",
                              button=submit_button("ask", _("Send the request"), "btn btn-primary w-100"))


class UpdateDocumentForm(forms.Form):
    """DU-5: one document of the annual update, uploaded by the family; the upload service checks
    its content (PDF, JPEG or PNG) and size."""

    doc_type = forms.ChoiceField(label=_("Which document"))
    uploaded = forms.FileField(label=_("The document (a photo or a PDF)"),
                               help_text=_("PDF, JPEG or PNG, 10 MB at most."),
                               widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_UPLOADS}))
    expires_on = forms.DateField(label=_("Expiry date, if the document has one"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    # Where a refusal of the upload service belongs on the form.
    ERROR_FIELDS = {"expired_on_upload": "expires_on", "upload_empty": "uploaded", "upload_too_large": "uploaded",
                    "upload_wrong_type": "uploaded"}

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = choices
        self.helper = _helper("update-document-form", "doc_type", "uploaded", "expires_on",
                              button=submit_button("upload", _("Send the document"), "btn btn-primary w-100"))
        self.helper.attrs["enctype"] = "multipart/form-data"

    add_service_error = DocumentUploadForm.add_service_error


class DelegateForm(forms.Form):
    """Staff register a household member as the family's delegate for «my file»."""

    member = forms.ModelChoiceField(label=_("Household member"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: the head of household is ill, elderly or abroad."))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.get_relationship_display()})"
        self.helper = _helper("delegate-form", "member", "reason",
                              button=submit_button("register", _("Register the delegate"), "btn btn-primary"))


class EndDelegateForm(forms.Form):
    reason = forms.CharField(label=_("Reason for ending"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("end-delegate-form", "reason",
                              button=submit_button("end", _("End the delegation"), "btn btn-outline-danger"))
