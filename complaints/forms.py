"""Forms of complaints: the public link and the paper entry (CP-2…CP-5), the status page,
the staff list's filters and the workflow actions (CP-2, CP-6…CP-10).

The rules live in complaints/services/: these forms collect the input, run the service's
own content check (so every problem shows at once, on its field) and show a service's
refusal on the field it concerns."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from beneficiaries.forms.files import ACCEPTED_UPLOADS
from beneficiaries.validators import to_ascii_digits
from charity.forms import (
    MultipleFileField,
    RecordActionForm,
    add_service_error,
    submit_button,
)
from charity.roles import Role

from . import errors, policy, services
from .policy import Kind, NoticeChannel, Ruling, Source, Status, Topic

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
# The fields services.file_complaint takes in `data`.
DATA_FIELDS = ("kind", "topic", "complainant_name", "national_id", "phone", "email", "subject", "facts", "against",
               "harm", "reasons", "steps_taken", "remedy", "other_info", "incident_on", "excuse")


# CP-8: the complainant says the complaint is about the executive director (the role complained
# of); it then goes to the role the profile names.
ABOUT_DIRECTOR_LABEL = _("My complaint is about the executive director")
ABOUT_DIRECTOR_HELP = _("It then goes to %(handler)s only: the executive director will not see it.")


class TelInput(forms.TextInput):
    input_type = "tel"


def _line(label, *, max_length=200, required_in_browser=True, **attrs) -> forms.CharField:
    # Not required here: the service refuses an empty value with the policy's own message, so
    # the rule lives in one place; the browser still asks for a value first.
    attrs = {"required": True, **attrs} if required_in_browser else attrs
    return forms.CharField(label=label, max_length=max_length, required=False, widget=forms.TextInput(attrs=attrs))


# The most a free-text field of a complaint holds: a long account belongs in an attachment,
# and an anonymous form must not store (and show staff) megabytes of text.
MAX_TEXT_CHARS = 5000


def _text(label, *, rows=3, required_in_browser=True, help_text="", max_length=MAX_TEXT_CHARS) -> forms.CharField:
    attrs = {"rows": rows, "required": True} if required_in_browser else {"rows": rows}
    return forms.CharField(label=label, required=False, help_text=help_text, max_length=max_length,
                           error_messages={"max_length": errors.TEXT_TOO_LONG}, widget=forms.Textarea(attrs=attrs))






class ComplaintForm(forms.Form):
    """CP-3: every field of a complaint, phone first, for the public link (CP-4)."""

    ERROR_FIELDS = {"too_many_attachments": "attachments", "upload_empty": "attachments",
                    "upload_too_large": "attachments", "upload_wrong_type": "attachments",
                    "dates_in_future": "incident_on"}
    HONEYPOT = "homepage"

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect)
    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices, initial=Topic.SERVICE)
    complainant_name = _line(_("Full name"), autocomplete="name",
                             placeholder=_("Your name, your father's name and your family name"))
    national_id = _line(_("National ID or residence number"), max_length=14, inputmode="numeric",
                        autocomplete="off", dir="ltr")
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False,
                            widget=TelInput(attrs={"autocomplete": "tel", "dir": "ltr", "placeholder": "05XXXXXXXX"}))
    email = forms.EmailField(label=_("Email"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
                             help_text=_("Give a mobile number, an email address, or both."))
    subject = _line(_("Subject"))
    facts = _text(_("The facts, in order"), rows=5, help_text=_("What happened, when and where, step by step."))
    against = _line(_("The person or party complained of"), max_length=300)
    about_director = forms.BooleanField(label=ABOUT_DIRECTOR_LABEL, required=False)
    harm = _text(_("The harm"))
    reasons = _text(_("The reasons"))
    steps_taken = _text(_("Steps you already took to solve it (optional)"), required_in_browser=False)
    remedy = _text(_("What you ask for"))
    other_info = _text(_("Other relevant information (optional)"), required_in_browser=False)
    incident_on = forms.DateField(label=_("Date the right arose (the incident)"), widget=forms.DateInput(**DATE_WIDGET))
    excuse = _text(_("Excuse for the late filing"), required_in_browser=False)
    attachments = MultipleFileField(accept=ACCEPTED_UPLOADS, label=_("Supporting documents (optional)"), required=False)
    homepage = forms.CharField(label=_("Leave this field empty"), required=False,
                               widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, profile, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        # CP-2: no excuse is asked where the complaint procedure is not adopted: nothing is late there.
        self.late_filing_applies = policy.late_filing_applies(profile)
        if self.late_filing_applies:
            self.fields["excuse"].help_text = _(
                "Only if more than %(days)s days have passed since that date: explain the legitimate excuse for "
                "the delay. Management decides whether to accept it."
            ) % {"days": profile.complaint_window_days}
        else:
            del self.fields["excuse"]
        if profile.passport_identity:  # CP-3 for families abroad: a passport number instead
            field = self.fields["national_id"]
            field.label = _("National ID, residence or passport number")
            field.widget.attrs.pop("inputmode", None)
            field.help_text = _("A passport number is 6 to 12 letters and digits.")
        # CP-8: it then goes to the role the profile names, and no executive director sees it.
        self.fields["about_director"].help_text = ABOUT_DIRECTOR_HELP % {
            "handler": policy.director_complaints_handler(profile)}
        limit = services.MAX_ATTACHMENTS
        self.fields["attachments"].help_text = ngettext(
            "Up to %(count)s file: PDF, JPEG or PNG, 10 MB each.",
            "Up to %(count)s files: PDF, JPEG or PNG, 10 MB each.", limit) % {"count": limit}
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"enctype": "multipart/form-data", "data-testid": "complaint-form",
                             "data-today": today.isoformat()}
        if self.late_filing_applies:
            self.helper.attrs["data-window-days"] = profile.complaint_window_days
        self.helper.layout = Layout(*self.layout_parts(), self.submit())

    @staticmethod
    def rendering_key(profile, today) -> tuple:
        """What the empty form's HTML depends on besides the language: the profile's values that
        __init__ reads, and today (the form carries it for complaints.js)."""
        return ("complaint", profile.pk, profile.updated_at, policy.late_filing_applies(profile),
                profile.complaint_window_days, profile.passport_identity, profile.director_complaints_role, today)

    def layout_parts(self) -> list:
        return [
            Fieldset(_("About you"), Field("complainant_name", css_class="form-control-lg"),
                     Field("national_id", css_class="form-control-lg"), Field("phone", css_class="form-control-lg"),
                     Field("email", css_class="form-control-lg")),
            Fieldset(_("Your complaint"), "kind", Field("topic", css_class="form-select-lg"),
                     Field("subject", css_class="form-control-lg"), "facts",
                     Field("against", css_class="form-control-lg"), "about_director",
                     "harm", "reasons", "steps_taken", "remedy", "other_info",
                     Field("incident_on", css_class="form-control-lg"),
                     *([Div("excuse", css_id="excuse-block", data_testid="excuse-block")]
                       if self.late_filing_applies else [])),
            Fieldset(_("Supporting documents"), Field("attachments", css_class="form-control-lg")),
            Div(self.HONEYPOT, css_class="d-none", aria_hidden="true"),
        ]

    def submit(self):
        return submit_button("send", _("Send the complaint"), "btn btn-primary btn-lg w-100")

    def clean_national_id(self):
        return policy.identity_number(self.cleaned_data["national_id"])

    def clean(self):
        data = super().clean()
        contents = {name: data[name] if name in data else self.data.get(self.add_prefix(name), "")
                    for name in policy.CONTENT_FIELDS}
        try:
            checked = services.check_contents(contents, profile=self.profile)
        except ValidationError as exc:
            for field, problems in exc.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, problems)
        else:
            data["phone"] = checked.get("phone", data.get("phone", ""))
        return data

    def bot_filled_honeypot(self) -> bool:
        return bool((self.data.get(self.add_prefix(self.HONEYPOT)) or "").strip())

    def service_data(self) -> dict:
        return {**{name: self.cleaned_data.get(name) or "" for name in DATA_FIELDS},
                "about_director": bool(self.cleaned_data.get("about_director"))}

    def add_service_error(self, exc: ValidationError) -> None:
        add_service_error(self, exc, self.ERROR_FIELDS)


class PaperComplaintForm(ComplaintForm):
    """CP-4: a complaint handed in on paper, entered by staff with the day it was received; DU-12:
    or one received by phone or in person, with that channel."""

    ERROR_FIELDS = {**ComplaintForm.ERROR_FIELDS, "dates_in_future": "received_on"}

    source = forms.ChoiceField(label=_("Received through"), initial=Source.PAPER, widget=forms.RadioSelect,
                               required=False, choices=[(s.value, s.label) for s in policy.STAFF_SOURCES])
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields[self.HONEYPOT]
        self.fields["received_on"].help_text = _(
            "The day the sealed envelope reached the office of %(receiver)s, or the day of the call or visit.") % {
            "receiver": self.profile.complaint_receiver}
        self.helper.attrs["data-testid"] = "paper-complaint-form"
        # CP-4: the office is the profile's receiver's, never a body written into a label.
        paper = _("On paper, at the office of %(receiver)s") % {"receiver": self.profile.complaint_receiver}
        self.fields["source"].choices = [(s.value, paper if s == Source.PAPER else s.label)
                                         for s in policy.STAFF_SOURCES]

    def layout_parts(self) -> list:
        return [Fieldset(_("Filing"), "source", Field("received_on", css_class="form-control-lg")),
                *super().layout_parts()[:-1]]

    def submit(self):
        return submit_button("send", _("Enter the complaint"), "btn btn-primary btn-lg")

    def clean_source(self):
        return self.cleaned_data["source"] or Source.PAPER  # CP-4's paper filing, unless said otherwise

    def bot_filled_honeypot(self) -> bool:
        return False


class StatusForm(forms.Form):
    """The status page: the tracking number and the secret code, both required (POST only)."""

    tracking_number = forms.CharField(label=_("Tracking number"), max_length=20, widget=forms.TextInput(attrs={
        "dir": "ltr", "autocomplete": "off", "placeholder": "1447-000123"}))
    code = forms.CharField(label=_("Secret code"), max_length=40, widget=forms.TextInput(attrs={
        "dir": "ltr", "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-testid": "status-form"}
        self.helper.layout = Layout(Field("tracking_number", css_class="form-control-lg"),
                                    Field("code", css_class="form-control-lg"),
                                    submit_button("look", _("Show the status"), "btn btn-primary btn-lg w-100"))

    # Phones with an Arabic keyboard type Arabic-Indic digits.
    def clean_tracking_number(self):
        return to_ascii_digits(self.cleaned_data["tracking_number"]).strip()

    def clean_code(self):
        return to_ascii_digits(self.cleaned_data["code"])


# --- Staff ----------------------------------------------------------------------------------


class ListFilterForm(forms.Form):
    SHOW_CHOICES = [("", _("All")), ("overdue", _("Overdue")), ("due_week", _("Due this week")),
                    ("excuses", _("Late excuses awaiting a decision"))]

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices])
    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)
    source = forms.ChoiceField(label=_("Received through"), required=False, choices=[("", _("Any")), *Source.choices])
    received_from = forms.DateField(label=_("Received from"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    received_to = forms.DateField(label=_("Received to"), required=False, widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.attrs = {"data-testid": "complaint-filters"}
        self.helper.layout = Layout(Div("status", css_class="col-md-3"), Div("show", css_class="col-md-3"),
                                    Div("source", css_class="col-md-2"), Div("received_from", css_class="col-md-2"),
                                    Div("received_to", css_class="col-md-2"),
                                    Div(submit_button("filter", _("Filter"), "btn btn-secondary mb-3"),
                                        css_class="col-md-2"))


def staff_members():
    return get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct().order_by(
        "first_name", "last_name", "username")


class ActionForm(RecordActionForm):
    """A workflow action on the complaint page: posted to its own URL."""

    namespace = "complaints"

    def __init__(self, *args, complaint, user=None, **kwargs):
        self.complaint, self.user = complaint, user
        super().__init__(*args, record=complaint, **kwargs)


class ExcuseDecisionForm(ActionForm):
    """CP-2: accept or refuse the excuse of a late filing, with the reason."""

    url_name = "decide_excuse"
    submit_label = _("Record the decision")

    accept = forms.TypedChoiceField(label=_("Decision"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
                                    choices=[("yes", _("Accept the excuse: the complaint goes under review")),
                                             ("no", _("Refuse the excuse: the complaint is closed"))])
    reason = _text(_("Reason"), help_text=_("A refusal's reason is sent to the complainant."))


class AssignForm(ActionForm):
    """CP-6: the member of staff who examines the complaint."""

    url_name = "assign"
    submit_label = _("Assign")

    to = forms.ModelChoiceField(label=_("Examined by"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = staff_members().exclude(pk__in=self.complaint.named_staff.values("pk"))
        if self.complaint.is_against_director():  # CP-8: no executive director sees it
            members = members.exclude(groups__name=Role.DIRECTOR.value)
        self.fields["to"].queryset = members


class NameStaffForm(ActionForm):
    """CP-8: the members of staff the complaint is about; they lose sight of it."""

    url_name = "name_staff"
    submit_label = _("Save the staff complained of")
    button = "btn btn-outline-primary"

    staff = forms.ModelMultipleChoiceField(label=_("Staff members complained of"), queryset=None, required=False,
                                           help_text=_("They will no longer see this complaint."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # CP-8: no one names himself (the service refuses it too): the executive director is
        # never offered himself, and a complaint against him goes to the profile's role.
        members = staff_members()
        self.fields["staff"].queryset = members.exclude(pk=self.user.pk) if self.user is not None else members
        self.initial.setdefault("staff", list(self.complaint.named_staff.values_list("pk", flat=True)))


class RuleForm(ActionForm):
    """CP-7: the ruling and its reasons."""

    url_name = "rule"
    submit_label = _("Record the ruling")

    ruling = forms.ChoiceField(label=_("Ruling"), choices=Ruling.choices)
    text = _text(_("The ruling and its reasons"), rows=5, help_text=_("Sent to the complainant as written."))


class NotifyForm(ActionForm):
    """CP-9: send the ruling by SMS and email."""

    url_name = "notify"
    submit_label = _("Send the result by SMS and email")


class NoticeForm(ActionForm):
    """CP-9: a phone call or a visit in person, and whether it reached the complainant."""

    url_name = "record_notice"
    submit_label = _("Record the notice")
    button = "btn btn-outline-primary"

    channel = forms.ChoiceField(label=_("Means"), choices=[(c.value, c.label) for c in
                                                           (NoticeChannel.PHONE_CALL, NoticeChannel.IN_PERSON)])
    success = forms.TypedChoiceField(label=_("Result"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Reached the complainant")), ("no", _("Did not reach them"))])
    note = _text(_("Note"), rows=2, required_in_browser=False)


class CloseForm(ActionForm):
    url_name = "close"
    submit_label = _("Close the complaint")
    button = "btn btn-outline-secondary"

    reason = _text(_("Note on closing"), rows=2, required_in_browser=False)


class ReferForm(ActionForm):
    """CP-10: a malicious complaint, referred to the investigation committee with reasons."""

    url_name = "refer"
    submit_label = _("Mark malicious and refer")
    button = "btn btn-outline-danger"

    reasons = _text(_("Reasons"), help_text=_("Why the complaint proved malicious."))


class InvestigationOutcomeForm(ActionForm):
    """CP-10: the investigation committee's outcome."""

    url_name = "record_investigation"
    submit_label = _("Record the outcome")

    outcome = _text(_("The committee's outcome"), rows=4)


__all__ = ["ComplaintForm", "PaperComplaintForm", "StatusForm", "ListFilterForm", "ExcuseDecisionForm", "AssignForm",
           "NameStaffForm", "RuleForm", "NotifyForm", "NoticeForm", "CloseForm", "ReferForm",
           "InvestigationOutcomeForm"]
