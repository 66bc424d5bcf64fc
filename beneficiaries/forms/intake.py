"""Forms of the step-by-step intake (IN-1…IN-6, IN-9, DU-1, BEN-1, BEN-2, CH).

The forms only validate and normalise input; the views hand `cleaned_data` to the services,
which decide and save. Crispy layouts live here; templates write the <form> tag.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from charity import calendar
from charity.models import Category
from charity.policy import Channel

from .. import errors, validators
from ..models import BeneficiaryFile, Declaration, IncomeSource, Member
from ..policy import IdType, Relationship
from .files import ACCEPTED_UPLOADS

REFERRING_AGENCY_REQUIRED = _("Name the agency that referred the case.")
EMBASSY_REQUIRED = _("Cases from an embassy need the embassy and the Ministry of Foreign Affairs reference.")
BIRTH_DATE_IN_FUTURE = _("The birth date cannot be in the future.")
DISABILITY_REQUIRED = _("Describe the disability.")
REFERRED_TO_REQUIRED = _("Name the body the applicant is referred to.")
RENT_REQUIRED = _("Enter the monthly rent of a rented home.")
DATE_IN_FUTURE = _("The date cannot be in the future.")
ID_TYPE_MISMATCH = _("A national ID starts with 1 and a residence permit (iqama) with 2.")

PERSON_FIELDS = ["first_name", "father_name", "grandfather_name", "family_name", "id_type", "id_number",
                 "birth_date", "gender", "marital_status"]


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ltr_input(**attrs):
    return forms.TextInput(attrs={"dir": "ltr", **attrs})


class AsciiDecimalField(forms.DecimalField):
    """A decimal that also accepts Arabic-Indic digits (staff type either)."""

    def to_python(self, value):
        return super().to_python(validators.to_ascii_digits(value) if isinstance(value, str) else value)


def helper(*layout) -> FormHelper:
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.disable_csrf = True
    if layout:
        form_helper.layout = Layout(*layout)
    return form_helper


def clean_identity(id_type: str, id_number: str, *, passport_allowed: bool) -> str:
    """Return the identity number cleaned; raise ValidationError unless it is valid for its type."""
    if id_type == IdType.PASSPORT:
        if not passport_allowed:
            raise ValidationError(errors.PASSPORT_NOT_ALLOWED, code="passport_not_allowed")
        number = validators.to_ascii_digits(id_number).replace(" ", "").upper()
        validators.validate_passport(number)
        return number
    number = validators.clean_national_id(id_number)
    validators.validate_national_id(number)
    if number[0] != {IdType.NATIONAL_ID: "1", IdType.IQAMA: "2"}.get(id_type, number[0]):
        raise ValidationError(ID_TYPE_MISMATCH, code="id_type_mismatch")
    return number


class PersonFormMixin:
    """The person fields of a member: four-part name, identity (checked) and birth date."""

    def setup_person(self, profile):
        self.profile = profile
        if not profile.passport_identity:
            self.fields["id_type"].choices = [c for c in IdType.choices if c[0] != IdType.PASSPORT]
        self.fields["id_number"].widget = ltr_input(autocomplete="off")
        self.fields["birth_date"].widget = date_input()

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born and born > calendar.today():
            raise ValidationError(BIRTH_DATE_IN_FUTURE, code="birth_date_in_future")
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("id_type") and cleaned.get("id_number"):
            try:
                cleaned["id_number"] = clean_identity(cleaned["id_type"], cleaned["id_number"],
                                                      passport_allowed=self.profile.passport_identity)
            except ValidationError as exc:
                self.add_error("id_number", exc)
        return cleaned


def person_layout():
    return Fieldset(
        _("Head of household"),
        Row(Column("first_name"), Column("father_name"), Column("grandfather_name"), Column("family_name")),
        Row(Column("id_type"), Column("id_number"), Column("birth_date")),
        Row(Column("gender"), Column("marital_status")),
    )


class IntakeStartForm(PersonFormMixin, forms.ModelForm):
    """The head of household, the channel (CH), the categories (BEN-1, BEN-2) and who referred the case."""

    channel = forms.ChoiceField(label=_("Channel"))
    categories = forms.ModelMultipleChoiceField(label=_("Categories"), queryset=Category.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    referring_agency = forms.CharField(label=_("Referring agency"), max_length=200, required=False,
                                       help_text=_("Only for a case referred by a supervisory or related agency."))
    embassy = forms.CharField(label=_("Embassy"), max_length=120, required=False,
                              help_text=_("Only for a case that arrived from an embassy."))
    ministry_reference = forms.CharField(label=_("Ministry of Foreign Affairs reference"), max_length=60,
                                         required=False, widget=ltr_input())

    class Meta:
        model = Member
        fields = PERSON_FIELDS

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_person(profile)
        self.fields["channel"].choices = profile.channel_choices()
        self.fields["categories"].queryset = profile.categories.all()
        origin = []
        if Channel.REFERRAL in profile.channels:
            origin.append("referring_agency")
        else:
            del self.fields["referring_agency"]
        if Channel.EMBASSY in profile.channels:
            origin.append(Row(Column("embassy"), Column("ministry_reference")))
        else:
            del self.fields["embassy"], self.fields["ministry_reference"]
        self.helper = helper(
            person_layout(),
            Fieldset(_("How the case arrived"), "channel", *origin),
            "categories",
        )

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == Channel.REFERRAL and not cleaned.get("referring_agency", "").strip():
            self.add_error("referring_agency", REFERRING_AGENCY_REQUIRED)
        if channel == Channel.EMBASSY:  # IN-9: the case arrives embassy → Ministry of Foreign Affairs
            for name in ("embassy", "ministry_reference"):
                if not cleaned.get(name, "").strip():
                    self.add_error(name, EMBASSY_REQUIRED)
        return cleaned

    def head_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}

    def file_fields(self) -> dict:
        channel = self.cleaned_data["channel"]
        return {
            "referring_agency": self.cleaned_data.get("referring_agency", "") if channel == Channel.REFERRAL else "",
            "embassy": self.cleaned_data.get("embassy", "") if channel == Channel.EMBASSY else "",
            "ministry_reference": (self.cleaned_data.get("ministry_reference", "")
                                   if channel == Channel.EMBASSY else ""),
        }


CONTACT_FIELDS = ["mobile", "mobile_alt", "email", "city", "district", "street", "building_number", "postal_code"]


class ContactForm(forms.ModelForm):
    """Phones (stored E.164), email and national address; a referral when outside the area (BEN-1)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    refer_out = forms.BooleanField(label=_("Record as a referral to another body (outside the service area)"),
                                   required=False)
    referred_to = forms.CharField(label=_("Body referred to"), max_length=200, required=False)

    class Meta:
        model = BeneficiaryFile
        fields = CONTACT_FIELDS
        widgets = {"mobile": ltr_input(inputmode="tel"), "mobile_alt": ltr_input(inputmode="tel"),
                   "email": forms.EmailInput(attrs={"dir": "ltr"}), "building_number": ltr_input(),
                   "postal_code": ltr_input()}

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["mobile"].required = True
        self.fields["city"].required = True
        self.fields["version"].initial = self.instance.version
        self.helper = helper(
            "version",
            Fieldset(_("Contact"), Row(Column("mobile"), Column("mobile_alt"), Column("email"))),
            Fieldset(_("National address"), Row(Column("city"), Column("district"), Column("street")),
                     Row(Column("building_number"), Column("postal_code"))),
            Fieldset(_("Outside the service area"), "refer_out", "referred_to"),
        )

    def _clean_phone(self, name):
        value = self.cleaned_data.get(name, "")
        if not value:
            return ""
        return validators.normalize_mobile(value, international=self.profile.international_phones)

    def clean_mobile(self):
        return self._clean_phone("mobile")

    def clean_mobile_alt(self):
        return self._clean_phone("mobile_alt")

    def clean_building_number(self):
        return validators.to_ascii_digits(self.cleaned_data["building_number"]).strip()

    def clean_postal_code(self):
        return validators.to_ascii_digits(self.cleaned_data["postal_code"]).strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refer_out") and not cleaned.get("referred_to", "").strip():
            self.add_error("referred_to", REFERRED_TO_REQUIRED)
        return cleaned

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


MEMBER_FIELDS = [*PERSON_FIELDS, "relationship", "school_stage", "has_disability", "disability", "health_conditions"]


class MemberForm(PersonFormMixin, forms.ModelForm):
    """A household member: the person, relationship, school stage, disability, health."""

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        widgets = {"health_conditions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_person(profile)
        if self.instance.pk and self.instance.relationship == Relationship.HEAD:
            self.fields["relationship"].choices = [(Relationship.HEAD, Relationship.HEAD.label)]
        else:  # one head per file: the head is registered when the intake starts
            self.fields["relationship"].choices = [("", "---------"),
                                                   *(c for c in Relationship.choices if c[0] != Relationship.HEAD)]
        self.helper = helper(
            Row(Column("relationship"), Column("first_name"), Column("father_name"), Column("grandfather_name"),
                Column("family_name")),
            Row(Column("id_type"), Column("id_number"), Column("birth_date"), Column("gender"),
                Column("marital_status")),
            Row(Column("school_stage"), Column("has_disability"), Column("disability")),
            "health_conditions",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_disability") and not cleaned.get("disability", "").strip():
            self.add_error("disability", DISABILITY_REQUIRED)
        if not cleaned.get("has_disability"):
            cleaned["disability"] = ""
        return cleaned

    def member_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEMBER_FIELDS}


class MemberLeftForm(forms.Form):
    """Mark a member as having left the household or died (members are never deleted)."""

    on = forms.DateField(label=_("Date"), widget=date_input())
    deceased = forms.BooleanField(label=_("Died (rather than left the household)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = calendar.today()
        self.helper = helper(Row(Column("on"), Column("deceased")))

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > calendar.today():
            raise ValidationError(DATE_IN_FUTURE, code="date_in_future")
        return on


class IncomeForm(forms.ModelForm):
    """One monthly income of the household (EL-4 verifies it later)."""

    monthly_amount = AsciiDecimalField(label=_("Monthly amount (SAR)"), min_value=0, max_digits=10,
                                       decimal_places=2, widget=forms.TextInput(attrs={"dir": "ltr",
                                                                                      "inputmode": "decimal"}))

    class Meta:
        model = IncomeSource
        fields = ["kind", "member", "monthly_amount", "note"]

    def __init__(self, *args, file, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = file.members.current()
        self.helper = helper(Row(Column("kind"), Column("member"), Column("monthly_amount"), Column("note")))

    def income_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


HOUSING_FIELDS = ["housing_type", "monthly_rent", "housing_notes", "iban"]


class HousingForm(forms.ModelForm):
    """Housing and the IBAN for cash aid (stored cleaned, checked with mod 97)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    monthly_rent = AsciiDecimalField(label=_("Monthly rent (SAR)"), min_value=0, max_digits=10, decimal_places=2,
                                     required=False, widget=forms.TextInput(attrs={"dir": "ltr",
                                                                                   "inputmode": "decimal"}))
    # Longer than the stored 24 characters: staff copy it with the spaces of the bank's certificate.
    iban = forms.CharField(label=_("IBAN for cash aid"), max_length=40, required=False,
                           widget=ltr_input(autocomplete="off", placeholder="SA…"))

    class Meta:
        model = BeneficiaryFile
        fields = HOUSING_FIELDS
        widgets = {"housing_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["housing_type"].required = True
        self.fields["version"].initial = self.instance.version
        self.helper = helper("version", Row(Column("housing_type"), Column("monthly_rent")), "housing_notes", "iban")

    def clean_iban(self):
        value = self.cleaned_data["iban"]
        if not value:
            return ""
        validators.validate_iban(value)
        return validators.clean_iban(value)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("housing_type") == "rented" and cleaned.get("monthly_rent") is None:
            self.add_error("monthly_rent", RENT_REQUIRED)
        return cleaned

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in HOUSING_FIELDS}


def upload_field(required=True) -> forms.FileField:
    return forms.FileField(label=_("File (PDF, JPEG or PNG, 10 MB at most)"), required=required,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_UPLOADS}))


class DeclarationForm(forms.Form):
    """IN-3: who signed the declaration, how, and the scan when signed on paper."""

    method = forms.ChoiceField(label=_("How it was signed"), choices=Declaration.Method.choices,
                               widget=forms.RadioSelect, initial=Declaration.Method.IN_PERSON)
    scan = upload_field(required=False)
    signed_by_name = forms.CharField(label=_("Signed by"), max_length=200)
    signed_by_id_number = forms.CharField(label=_("Identity number of the signatory"), max_length=20,
                                          widget=ltr_input(autocomplete="off"))

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["scan"].label = _("Scan of the signed declaration (PDF, JPEG or PNG)")
        self.helper = helper("method", "scan", Row(Column("signed_by_name"), Column("signed_by_id_number")))

    def clean_signed_by_id_number(self):
        value = validators.clean_national_id(self.cleaned_data["signed_by_id_number"])
        if value.isdigit() and len(value) == 10:  # a national ID or an iqama
            validators.validate_national_id(value)
            return value
        return clean_identity(IdType.PASSPORT, value, passport_allowed=self.profile.passport_identity)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == Declaration.Method.SCAN and not cleaned.get("scan"):
            self.add_error("scan", errors.SCAN_REQUIRED)
        return cleaned
