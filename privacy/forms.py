"""Forms of data-subject requests: recording one, the list's filter and the actions on a request.

The rules live in privacy/services.py; these forms collect the input and show a service's refusal
on the field it concerns."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from beneficiaries.validators import clean_national_id
from charity.forms import (
    RecordActionForm,
    add_service_error,  # noqa: F401 (used by views)
    submit_button,
)

from .policy import RESPONSE_DAYS, RequestKind

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class RequestForm(forms.Form):
    """A request received from a person about their own data (PDPL)."""

    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices, widget=forms.RadioSelect)
    national_id = forms.CharField(label=_("National ID or iqama number"), max_length=14,
                                  widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric",
                                                                "autocomplete": "off"}))
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200)
    contact = forms.CharField(label=_("How to reach them"), max_length=200,
                              help_text=_("A mobile number, an email or a postal address."))
    details = forms.CharField(label=_("What they ask"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("For a correction: what the person says is wrong, and what is right."))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].help_text = ngettext(
            "The answer is due %(days)s day after this day.", "The answer is due %(days)s days after this day.",
            RESPONSE_DAYS) % {"days": RESPONSE_DAYS}
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-testid": "request-form"}
        self.helper.layout = Layout("kind", Field("national_id", css_class="ltr-data"), "requester_name", "contact",
                                    "details", "received_on")
        self.helper.add_input(submit_button("save", _("Record the request"), "btn btn-primary"))

    def clean_national_id(self):
        return clean_national_id(self.cleaned_data["national_id"])


class ListFilterForm(forms.Form):
    SHOW_CHOICES = [("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed")), ("all", _("All"))]

    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)
    kind = forms.ChoiceField(label=_("Kind of request"), required=False, choices=[("", _("Any")),
                                                                                 *RequestKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.attrs = {"data-testid": "request-filters"}
        self.helper.layout = Layout(Div("show", css_class="col-md-3"), Div("kind", css_class="col-md-4"),
                                    Div(submit_button("filter", _("Filter"), "btn btn-secondary mb-3"),
                                        css_class="col-md-2"))


class ActionForm(RecordActionForm):
    """An action on the request page: posted to its own URL."""

    namespace = "privacy"

    def __init__(self, *args, request_obj, **kwargs):
        self.request_obj = request_obj
        super().__init__(*args, record=request_obj, **kwargs)


class ExportForm(ActionForm):
    """Gather everything held about the person into one ZIP."""

    url_name = "prepare_export"
    submit_label = _("Prepare the export")
    button = "btn btn-outline-primary"

    def __init__(self, *args, request_obj, **kwargs):
        if request_obj.export_file:
            self.submit_label = _("Prepare a new export")
        super().__init__(*args, request_obj=request_obj, **kwargs)


class CompleteForm(ActionForm):
    """Close the request as answered, with the outcome told to the person."""

    url_name = "complete"
    submit_label = _("Mark completed")

    correction = forms.ChoiceField(label=_("The change that corrected the data"), required=False, choices=[],
                                   help_text=_("Changes to the person's file since the request was received. "
                                               "The file's history shows each one."))
    outcome = forms.CharField(label=_("Outcome told to the person"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.request_obj.kind == RequestKind.CORRECTION:
            self.fields["correction"].choices = [("", "—"), *((c.value, c.label) for c in candidates)]
        else:
            del self.fields["correction"]


class RefuseForm(ActionForm):
    """Refuse the request; the reasons are mandatory and told to the person (RT-4)."""

    url_name = "refuse"
    submit_label = _("Refuse with reasons")
    button = "btn btn-outline-danger"

    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
