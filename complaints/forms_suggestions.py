"""Forms of views and suggestions (DU-12): the public form, the staff entry of one received by
phone or in person, and the actions on its page. The rules live in complaints/services/suggestions.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from charity.forms import RecordActionForm, submit_button

from . import services, suggestions
from .forms import TelInput
from .suggestions import Channel

DATA_FIELDS = ("text", "name", "phone", "national_id")


class SuggestionForm(forms.Form):
    """DU-12: a view or suggestion through the website: the text, and if the sender wishes a
    name, a mobile for the answer and an identity number (the file link)."""

    HONEYPOT = "homepage"

    text = forms.CharField(label=_("Your view or suggestion"), max_length=suggestions.TEXT_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 5, "required": True}))
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Mobile, to receive the answer (optional)"), max_length=20, required=False,
                            widget=TelInput(attrs={"autocomplete": "tel", "dir": "ltr", "placeholder": "05XXXXXXXX"}))
    national_id = forms.CharField(label=_("Identity number, to link it to your file (optional)"), max_length=14,
                                  required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}))
    homepage = forms.CharField(label=_("Leave this field empty"), required=False,
                               widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-testid": "suggestion-form"}
        self.helper.layout = Layout(*self.layout_parts(), self.submit())

    def layout_parts(self) -> list:
        return ["text", Field("name"), Field("phone"), Field("national_id"),
                Div(self.HONEYPOT, css_class="d-none", aria_hidden="true")]

    def submit(self):
        return submit_button("send", _("Send"), "btn btn-primary btn-lg w-100")

    def clean(self):
        data = super().clean()
        try:
            data.update(services.check_suggestion({n: data.get(n, "") for n in DATA_FIELDS}, profile=self.profile))
        except ValidationError as exc:
            for field, problems in exc.error_dict.items():
                self.add_error(field, problems)
        return data

    def bot_filled_honeypot(self) -> bool:
        return bool((self.data.get(self.add_prefix(self.HONEYPOT)) or "").strip())

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in DATA_FIELDS}


class StaffSuggestionForm(SuggestionForm):
    """DU-12: a view or suggestion a member of staff received by phone or in person."""

    channel = forms.ChoiceField(label=_("Received through"), widget=forms.RadioSelect, initial=Channel.PHONE,
                                choices=[(c.value, c.label) for c in suggestions.STAFF_CHANNELS])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields[self.HONEYPOT]
        self.fields["text"].label = _("The view or suggestion, as the sender gave it")
        self.helper.attrs["data-testid"] = "staff-suggestion-form"

    def layout_parts(self) -> list:
        return ["channel", *super().layout_parts()[:-1]]

    def submit(self):
        return submit_button("send", _("Enter it"), "btn btn-primary btn-lg")

    def bot_filled_honeypot(self) -> bool:
        return False


class SuggestionActionForm(RecordActionForm):
    namespace = "complaints"

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, record=suggestion, **kwargs)


class AcknowledgeForm(SuggestionActionForm):
    url_name = "suggestion_acknowledge"
    submit_label = _("Acknowledge")
    button = "btn btn-outline-primary"


class AnswerForm(SuggestionActionForm):
    url_name = "suggestion_answer"
    submit_label = _("Record and send the answer")

    answer = forms.CharField(label=_("The answer"), max_length=suggestions.ANSWER_MAX_LENGTH, required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "required": True}),
                             help_text=_("Sent by SMS as written, if the sender gave a mobile."))
