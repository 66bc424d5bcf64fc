"""Forms of the file list (search and filters) and of the document upload (DU-1)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..policy import DOCUMENTS_WITH_THEIR_OWN_STEP, DocumentType

ACCEPTED_UPLOADS = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class FileFilterForm(forms.Form):
    """The search box and filters above the file list (the FilterSet adds the fields)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({
            "placeholder": _("File number, identity number, mobile or name"), "autocomplete": "off",
            "type": "search",
        })
        self.helper = FormHelper()
        # Posted, never in the URL: the view seals the words in the session (charity.searches).
        self.helper.form_method = "post"
        self.helper.attrs = {"role": "search", "data-testid": "file-search"}
        self.helper.layout = Layout(
            Row(
                Column(Field("q"), css_class="col-md-4"),
                Column("status", css_class="col-md-2"),
                Column("category", css_class="col-md-2"),
                Column("researcher", css_class="col-md-2"),
                Column("overdue", css_class="col-md-2"),
            ),
            Row(
                Column("channel", css_class="col-md-4"),
                Column(Field("submitted_from", type="date"), css_class="col-md-2"),
                Column(Field("submitted_to", type="date"), css_class="col-md-2"),
            ),
            Submit("search", _("Search"), css_class="btn btn-primary mb-3"),
        )


class DocumentUploadForm(forms.Form):
    """DU-1: one document of a file, with its dates and, optionally, the member it concerns; at
    intake and on the file page alike. The rules (content, size, dates, the file's status) are
    services.upload_document's; ERROR_FIELDS puts each refusal on its field."""

    doc_type = forms.ChoiceField(label=_("Document type"), choices=[
        choice for choice in DocumentType.choices if choice[0] not in DOCUMENTS_WITH_THEIR_OWN_STEP])
    issued_on = forms.DateField(label=_("Issue date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    expires_on = forms.DateField(label=_("Expiry date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("Leave empty if the document does not expire."))
    member = forms.ModelChoiceField(label=_("Household member"), queryset=None, required=False,
                                    empty_label=_("The whole household"))
    uploaded = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG, 10 MB at most."),
                               widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_UPLOADS}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    # Where a refusal of the upload service belongs on the form.
    ERROR_FIELDS = {
        "issued_in_future": "issued_on", "expiry_before_issue": "expires_on", "expired_on_upload": "expires_on",
        "upload_empty": "uploaded", "upload_too_large": "uploaded", "upload_wrong_type": "uploaded",
    }

    def __init__(self, *args, file, form_tag: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = file.members.current().order_by("id")
        self.helper = FormHelper()
        self.helper.form_tag = form_tag  # False: inside the intake step's own form, with its button
        self.helper.disable_csrf = not form_tag
        self.helper.attrs = {"enctype": "multipart/form-data", "data-testid": "document-upload-form"}
        self.helper.layout = Layout(
            Row(Column("doc_type", css_class="col-md-6"), Column("member", css_class="col-md-6")),
            Row(Column("issued_on", css_class="col-md-6"), Column("expires_on", css_class="col-md-6")),
            "uploaded",
            "note",
        )
        if form_tag:
            self.helper.layout.append(Submit("upload", _("Upload the document"), css_class="btn btn-primary"))

    def add_service_error(self, exc) -> None:
        """Show a ValidationError of services.upload_document on the field it concerns."""
        for error in getattr(exc, "error_list", [exc]):
            self.add_error(self.ERROR_FIELDS.get(error.code), error)
