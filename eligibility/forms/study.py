"""Forms of the eligibility study: checklist items (EL-1…EL-8), witnesses (EL-3), field visits
(EL-2), the needs study (EL-8, EL-9) and the decision (PR, RT-4, RT-5, IN-9).

The rules live in eligibility/services.py: these forms only collect the input, and
`add_service_error` shows a service's refusal on the field it concerns."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.validators import clean_national_id, normalize_mobile, validate_national_id
from charity import calendar
from charity.forms import (
    MultipleImageField,
    add_service_error,  # noqa: F401 (the views call forms.add_service_error)
)
from charity.policy import DecidingBody
from charity.roles import Role, active_members

from ..models import FieldVisit
from ..policy import Outcome, Vote

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
IMAGE_TYPES = "image/jpeg,image/png,.jpg,.jpeg,.png"
VOTE_MISSING = _("Record the vote of each member present.")
NOT_A_DOCUMENT_OF_THE_ITEM = _("Choose one of this file's documents of the type the item needs.")




def _helper(submit_label, *, action=None, css_class="", button="btn btn-primary", submit_id=None) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    if css_class:
        helper.form_class = css_class
    submit = Submit("submit", submit_label, css_id=submit_id)
    submit.field_classes = button
    helper.add_input(submit)
    return helper


def _text(label, *, rows=3, required_in_browser=False, help_text="") -> forms.CharField:
    # Not required here when a service refuses the empty value with the policy's own message,
    # so the rule lives in one place; the browser may still ask for a value first.
    attrs = {"rows": rows, "required": True} if required_in_browser else {"rows": rows}
    return forms.CharField(label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs=attrs))


def document_label(document) -> str:
    """«School certificate — Omar … — 24/11/2026م — 10 …هـ»: enough to tell two uploads apart."""
    parts = [str(document.get_doc_type_display())]
    if document.member_id:
        parts.append(document.member.full_name)
    parts.append(calendar.format_dual(document.uploaded_at))
    return " — ".join(parts)


# --- The checklist (EL-1…EL-8) ----------------------------------------------------------------


class ItemForm(forms.Form):
    """A form of one checklist item, posted to `action`; `id_prefix` keeps the ids of the
    page's many small forms unique."""

    submit_label = button = None

    def __init__(self, *args, action=None, id_prefix="", **kwargs):
        if id_prefix:
            kwargs["auto_id"] = f"{id_prefix}_%s"
        super().__init__(*args, **kwargs)
        self.helper = _helper(self.submit_label, action=action, css_class="mb-2", button=self.button,
                              submit_id=f"{id_prefix}_submit" if id_prefix else None)


class AttachDocumentForm(ItemForm):
    """Link one of the file's current documents of the item's type to the item."""

    document = forms.TypedChoiceField(label=_("Document"), coerce=int,
                                      error_messages={"invalid_choice": NOT_A_DOCUMENT_OF_THE_ITEM})

    submit_label, button = _("Attach"), "btn btn-primary"

    def __init__(self, *args, documents, **kwargs):
        """`documents`: the file's current documents of the type ITEM_DOCUMENT names for the item."""
        super().__init__(*args, **kwargs)
        self.documents = {d.pk: d for d in documents}
        self.fields["document"].choices = [(d.pk, document_label(d)) for d in documents]

    def clean_document(self):
        return self.documents[self.cleaned_data["document"]]


class VerifyItemForm(ItemForm):
    """The researcher confirms the item (EL-1…EL-8)."""

    submit_label, button = _("Verify"), "btn btn-success"

    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class NotApplicableForm(ItemForm):
    """The item does not apply to this household; the note says why."""

    submit_label, button = _("Mark as not applicable"), "btn btn-outline-secondary"

    note = forms.CharField(label=_("Why it does not apply"), max_length=500, required=False,
                           widget=forms.TextInput(attrs={"required": True}))


# --- EL-3: witnesses ----------------------------------------------------------------------


class WitnessForm(forms.Form):
    """EL-3: a witness who knows the situation, socially and financially."""

    name = forms.CharField(label=_("Name"), max_length=200)
    national_id = forms.CharField(label=_("Identity number"), max_length=20,
                                  widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}))
    phone = forms.CharField(label=_("Mobile"), max_length=20, widget=forms.TextInput(attrs={"dir": "ltr"}))
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("What the witness knows of the family's social and financial situation."))

    def __init__(self, *args, international_phones=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.international_phones = international_phones
        self.helper = _helper(_("Record the witness"))
        self.helper.layout = Layout(Row(Column("name", css_class="col-md-6"),
                                        Column("national_id", css_class="col-md-3"),
                                        Column("phone", css_class="col-md-3")), "statement")

    def clean_national_id(self):
        value = clean_national_id(self.cleaned_data["national_id"])
        validate_national_id(value)
        return value

    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"], international=self.international_phones)


# --- EL-2: field visits -------------------------------------------------------------------


class ScheduleVisitForm(forms.Form):
    """EL-2: who visits the home, and when."""

    researcher = forms.ModelChoiceField(label=_("Social researcher"), queryset=None, empty_label=None)
    on = forms.DateField(label=_("Visit date"), widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = active_members(Role.RESEARCHER)
        self.helper = _helper(_("Schedule the visit"))
        self.helper.layout = Layout(Row(Column("researcher", css_class="col-md-6"), Column("on", css_class="col-md-6")))


class VisitReportForm(forms.Form):
    """EL-2: the visit's report."""

    REPORT_FIELDS = ("housing_type", "housing_state", "furniture", "observations", "present", "recommendation")

    housing_type = forms.CharField(label=_("Housing type"), max_length=20, required=False,
                                   help_text=_("As seen, e.g. apartment, villa, traditional house."))
    housing_state = forms.ChoiceField(label=_("State of the housing"), required=False,
                                      choices=[("", "—"), *FieldVisit.HousingState.choices])
    furniture = _text(_("Furniture"))
    observations = _text(_("Observations"), rows=4, required_in_browser=True)
    present = forms.CharField(label=_("Who was present"), max_length=300, required=False)
    recommendation = forms.ChoiceField(label=_("Recommendation"), required=False,
                                       choices=[("", "—"), *FieldVisit.Recommendation.choices])
    photos = MultipleImageField(accept=IMAGE_TYPES, label=_("Photos"), required=False,
                                help_text=_("JPEG or PNG, several at once."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the report"))  # crispy adds the multipart enctype
        self.helper.layout = Layout(
            Row(Column("housing_type", css_class="col-md-6"), Column("housing_state", css_class="col-md-6")),
            "furniture", "observations",
            Row(Column("present", css_class="col-md-6"), Column("recommendation", css_class="col-md-6")),
            "photos",
        )

    @property
    def report(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.REPORT_FIELDS}


class NobodyHomeForm(forms.Form):
    """EL-2: nobody was home; the visit gets a new date."""

    new_date = forms.DateField(label=_("New visit date"), widget=forms.DateInput(**DATE_WIDGET))
    note = _text(_("Note"), rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record and reschedule"))


# --- EL-8, EL-9, IN-7: the needs study ----------------------------------------------------


class AssessForm(forms.Form):
    """EL-8, EL-9: the researcher confirms the state of the housing and adds notes."""

    housing_poor = forms.BooleanField(label=_("Housing in poor state"), required=False,
                                      help_text=_("Proposed from the latest field visit; correct it if needed."))
    notes = _text(_("Notes"), rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Score the need"))


# --- The decision (PR, RT-4, RT-5, IN-9) --------------------------------------------------


class DecisionForm(forms.Form):
    """The deciding body's decision; for the research committee, who is present and their votes."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    reasons = _text(_("Reasons"), rows=4, help_text=_("Required for a rejection: the applicant receives them (RT-4)."))
    family_participant = forms.CharField(label=_("Family member who took part (RT-5)"), max_length=200,
                                         required=False)
    family_participant_relationship = forms.CharField(label=_("Their relationship"), max_length=60, required=False)

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        committee = profile.deciding_body == DecidingBody.COMMITTEE
        # PR: the members of the research committee, each with a "present" box and a vote.
        self.committee = list(active_members(Role.COMMITTEE)) if committee else []
        if profile.deciding_body == DecidingBody.ASSOCIATION:
            self.fields["ministry_reference"] = forms.CharField(
                label=_("Reference of the reply to the Ministry of Foreign Affairs (IN-9)"), max_length=60,
                required=False)
        for member in self.committee:
            self.fields[f"present_{member.pk}"] = forms.BooleanField(label=str(member), required=False)
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=_("Vote"), required=False, choices=[("", "—"), *Vote.choices])
        self.helper = _helper(_("Record the decision"))
        self.helper.layout = self._layout()

    def _layout(self) -> Layout:
        parts = []
        if self.committee:
            rows = [Row(Column(f"present_{m.pk}", css_class="col-md-6 pt-md-4"), Column(f"vote_{m.pk}",
                        css_class="col-md-6")) for m in self.committee]
            parts.append(Fieldset(_("Committee members present and their votes"), *rows,
                                  css_class="border rounded p-3 mb-3"))
        parts += ["outcome", "reasons", Row(Column("family_participant", css_class="col-md-6"),
                                            Column("family_participant_relationship", css_class="col-md-6"))]
        if "ministry_reference" in self.fields:
            parts.append("ministry_reference")
        return Layout(*parts)

    def clean(self):
        data = super().clean()
        for member in self.committee:
            if data.get(f"present_{member.pk}") and not data.get(f"vote_{member.pk}"):
                self.add_error(f"vote_{member.pk}", VOTE_MISSING)
        return data

    @property
    def votes(self) -> list:
        """[(member, vote), …] for the members marked present."""
        return [(m, self.cleaned_data[f"vote_{m.pk}"]) for m in self.committee
                if self.cleaned_data.get(f"present_{m.pk}")]


class VisitFilterForm(forms.Form):
    """The filters of the visits list (GO-4: the dashboard links here with a status and a period)."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *FieldVisit.Status.choices])
    scheduled_from = forms.DateField(label=_("Visit date from"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    scheduled_to = forms.DateField(label=_("Visit date to"), required=False, widget=forms.DateInput(**DATE_WIDGET))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.attrs = {"data-testid": "visit-filter"}
        self.helper.layout = Layout(Row(Column("status", css_class="col-md-4"),
                                        Column("scheduled_from", css_class="col-md-3"),
                                        Column("scheduled_to", css_class="col-md-3")),
                                    Submit("filter", _("Filter"), css_class="btn btn-secondary mb-3"))
