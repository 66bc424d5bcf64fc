"""Forms of the changes a beneficiary reports (DU-4) and of the annual update (DU-5).

The rules (reported date not in the future, deadline after today, concurrent saves) live in
services.py; these forms collect and normalise the input."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from charity import calendar
from charity.text import series

from ..models import BeneficiaryFile, UpdateNotice
from ..policy import ChangeKind, DocumentType, annual_update_documents
from ..validators import normalize_mobile

DESCRIPTION_REQUIRED = _("Describe the change the beneficiary reported.")
MOBILE_REQUIRED = _("Enter the new mobile number.")
CITY_REQUIRED = _("Enter the city of the new address.")
NO_NEW_VALUES = _("The new values are the same as those on the file: enter what changed.")
VALUES_OF_OTHER_KIND = _("You changed %(fields)s, which belong to another kind of change. "
                         "Choose the matching kind, or record each change separately.")
ANNUAL_UPDATE_TITLE = _("Annual update of families' data %(year)s AH")

# DU-4: the file fields each kind of change may set; other kinds only record a description.
CHANGE_FIELDS = {
    ChangeKind.ADDRESS: ["city", "district", "street", "building_number", "postal_code"],
    ChangeKind.PHONE: ["mobile", "mobile_alt"],
}
_ALL_CHANGE_FIELDS = [name for names in CHANGE_FIELDS.values() for name in names]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


def _model_char_field(name: str, **attrs) -> forms.CharField:
    field = BeneficiaryFile._meta.get_field(name)
    return forms.CharField(label=field.verbose_name, max_length=field.max_length, required=False,
                           widget=forms.TextInput(attrs=attrs))


_CONTACT_ATTRS = {"building_number": {"dir": "ltr"}, "postal_code": {"dir": "ltr"},
                  "mobile": {"dir": "ltr", "inputmode": "tel", "autocomplete": "off"},
                  "mobile_alt": {"dir": "ltr", "inputmode": "tel", "autocomplete": "off"}}


def contact_field(name: str) -> forms.CharField:
    """DU-4: the form field for one of the file's contact fields (CHANGE_FIELDS), optional; every
    form that updates contact details declares its fields with this."""
    return _model_char_field(name, **_CONTACT_ATTRS.get(name, {}))


def clean_phone(value: str | None, *, international: bool) -> str:
    value = (value or "").strip()
    return normalize_mobile(value, international=international) if value else ""


class ReportedChangeForm(forms.Form):
    """DU-4: a change the beneficiary reported, with the new address or phones to apply."""

    kind = forms.ChoiceField(label=_("Kind of change"), choices=ChangeKind.choices)
    reported_on = forms.DateField(label=_("Date the beneficiary reported it"), widget=_date_input())
    description = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for income, household and other changes; for an address or phones it is "
                    "written from the new values when left empty."),
    )
    city = contact_field("city")
    district = contact_field("district")
    street = contact_field("street")
    building_number = contact_field("building_number")
    postal_code = contact_field("postal_code")
    mobile = contact_field("mobile")
    mobile_alt = contact_field("mobile_alt")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, file: BeneficiaryFile, international_phones: bool, today, **kwargs):
        initial = {name: getattr(file, name) for name in _ALL_CHANGE_FIELDS}
        initial.update(version=file.version, reported_on=today, **kwargs.pop("initial", {}))
        super().__init__(*args, initial=initial, **kwargs)
        self.file, self.international_phones = file, international_phones
        self.helper = self._build_helper()

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.layout = Layout(
            Fieldset(_("The change"), Row(Column("kind"), Column("reported_on")), "description"),
            Fieldset(_("New address (change of address)"), Row(Column("city"), Column("district")),
                     Row(Column("street"), Column("building_number"), Column("postal_code"))),
            Fieldset(_("New phone numbers (change of phone numbers)"), Row(Column("mobile"), Column("mobile_alt"))),
            Field("version"),
        )
        helper.add_input(Submit("submit", _("Record the change")))
        return helper

    def _clean_phone(self, name: str) -> str:
        return clean_phone(self.cleaned_data.get(name), international=self.international_phones)

    def clean_mobile(self):
        return self._clean_phone("mobile")

    def clean_mobile_alt(self):
        return self._clean_phone("mobile_alt")

    def _submitted_changes(self) -> dict:
        """Return the submitted contact fields whose value differs from the file's (missing ones are kept)."""
        data = self.cleaned_data
        return {n: (data.get(n) or "").strip() for n in _ALL_CHANGE_FIELDS
                if n in self.data and (data.get(n) or "").strip() != (getattr(self.file, n) or "")}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind or any(name in self.errors for name in _ALL_CHANGE_FIELDS):
            return cleaned
        changed = self._submitted_changes()
        own = CHANGE_FIELDS.get(kind, [])
        foreign = [n for n in changed if n not in own]
        if foreign:
            labels = series(str(self.fields[n].label) for n in foreign)
            self.add_error(None, VALUES_OF_OTHER_KIND % {"fields": labels})
        elif kind == ChangeKind.PHONE and not changed.get("mobile", self.file.mobile):
            self.add_error("mobile", MOBILE_REQUIRED)
        elif kind == ChangeKind.ADDRESS and not changed.get("city", self.file.city):
            self.add_error("city", CITY_REQUIRED)
        elif own and not changed:
            self.add_error(None, NO_NEW_VALUES)
        elif not own and not cleaned.get("description", "").strip():
            self.add_error("description", DESCRIPTION_REQUIRED)
        return cleaned

    @property
    def changes(self) -> dict:
        """Return the file fields to set: those of the chosen kind that were changed."""
        own = CHANGE_FIELDS.get(self.cleaned_data["kind"], [])
        return {n: v for n, v in self._submitted_changes().items() if n in own}

    @property
    def description_text(self) -> str:
        """Return the staff's description, or one written from the new values."""
        written = self.cleaned_data.get("description", "").strip()
        if written:
            return written
        return "؛ ".join(f"{self.fields[n].label}: {v or '—'}" for n, v in self.changes.items())


class AnnualUpdateForm(forms.Form):
    """DU-5: the manager announces the yearly update, with its deadline and documents."""

    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Deadline for the families"), widget=_date_input(),
                               help_text=_("Families late after this date may have their file frozen (SC-6)."))
    documents = forms.MultipleChoiceField(
        label=_("Documents to renew"), choices=DocumentType.choices, widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note to staff and families"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, today, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = ANNUAL_UPDATE_TITLE % {"year": calendar.hijri_year(today)}
        # DU-5: the passport for a profile that takes it as identity (awaser).
        self.fields["documents"].initial = [str(d) for d in annual_update_documents(
            passport_identity=profile.passport_identity)]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(Row(Column("title"), Column("deadline")), "documents", "note")
        self.helper.add_input(Submit("submit", _("Announce the update")))


class UpdateNoticeForm(forms.Form):
    """DU-5: a letter or a visit that told the family of the annual update (who, when, how)."""

    method = forms.ChoiceField(label=_("How the family was told"), choices=[
        (UpdateNotice.Method.LETTER, UpdateNotice.Method.LETTER.label),
        (UpdateNotice.Method.VISIT, UpdateNotice.Method.VISIT.label)])
    told_on = forms.DateField(label=_("Day the family was told"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    told_by = forms.CharField(label=_("Who told the family"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-testid": "update-notice-form"}
        self.helper.layout = Layout("method", "told_on", "told_by", "note",
                                    Submit("record", _("Record the notice"), css_class="btn btn-primary"))
