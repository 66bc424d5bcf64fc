"""Forms of aid (TK-1…TK-5, TK-2, TK-8, DU-7). They collect and normalise input; the rules live
in aid/services/ and policy.py, whose refusals the views show with `add_service_error`."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms.intake import AsciiDecimalField, date_input
from beneficiaries.models import BeneficiaryFile
from charity import calendar
from charity.models import Category
from charity.text import series

from . import reports
from .models import AidPurpose, Disbursement, Fund, InKindDonation, Recommendation

UNKNOWN_FILES = _("These file numbers were not found among the files you can see: %(numbers)s.")
FILE_NOT_FOUND = _("No file with this number among the files you can see.")
FUND_LABEL = _("%(name)s — balance %(balance)s SAR")
PERIOD_REVERSED = _("The end of the period is before its start.")

_SEPARATORS = re.compile(r"[\s,،;]+")
_CITY_SEPARATORS = re.compile(r"[,،;\n]+")


def _helper(submit_label=None, *layout, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_tag = form_tag
    if layout:
        helper.layout = Layout(*layout)
    if submit_label:
        helper.add_input(Submit("submit", submit_label))
    return helper


def _text(label, rows=3, required=False, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _split(value: str) -> list[str]:
    return [part for part in _SEPARATORS.split(value or "") if part]


class FundChoiceField(forms.ModelChoiceField):
    """A fund shown with its purposes and balance (TK-3)."""

    def label_from_instance(self, obj):
        balance = getattr(obj, "balance", None)
        return FUND_LABEL % {"name": obj.name, "balance": balance} if balance is not None else obj.name


class DonationChoiceField(forms.ModelChoiceField):
    """Goods shown with what is left in stock (TK-4)."""

    def label_from_instance(self, obj):
        return f"{obj.item} — {getattr(obj, 'stock', obj.quantity)} {obj.unit}"


# --- TK-1: disbursements --------------------------------------------------------------------------


class ProposeForm(forms.Form):
    """TK-1: cash aid from a fund, or goods from in-kind donations (the items below)."""

    kind = forms.ChoiceField(label=_("Kind of aid"), choices=Disbursement.Kind.choices, widget=forms.RadioSelect,
                             initial=Disbursement.Kind.CASH)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AidPurpose.choices)
    fund = FundChoiceField(label=_("Fund (cash aid)"), queryset=None, required=False)
    amount = AsciiDecimalField(label=_("Amount in SAR (cash aid)"), required=False, max_digits=12, decimal_places=2,
                               widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.01"}))
    note = _text(_("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = reports.funds_with_balance(Fund.objects.filter(is_active=True))
        self.helper = _helper(None, Row(Column("kind"), Column("purpose")), Row(Column("fund"), Column("amount")),
                              "note", form_tag=False)
        self.helper.disable_csrf = True


class ItemForm(forms.Form):
    """One line of goods; the template shows the rows as a table under one header."""

    donation = DonationChoiceField(label=_("Goods"), queryset=None, required=False,
                                   widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Goods")}))
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1, widget=forms.NumberInput(
        attrs={"dir": "ltr", "class": "form-control", "aria-label": _("Quantity")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donation"].queryset = reports.givable_donations().order_by("item")


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=10)


def chosen_items(formset) -> list[tuple[InKindDonation, int | None]]:
    return [(f.cleaned_data["donation"], f.cleaned_data.get("quantity")) for f in formset.forms
            if f.cleaned_data.get("donation")]


class PayForm(forms.Form):
    transfer_reference = forms.CharField(label=_("Bank transfer reference"), max_length=60, required=False,
                                         widget=forms.TextInput(attrs={"dir": "ltr"}))

    def __init__(self, *args, cash: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not cash:
            del self.fields["transfer_reference"]
        self.helper = _helper(_("Record the payment") if cash else _("Record the hand-over"))


class ReasonForm(forms.Form):
    reason = _text(_("Reason"))

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label)


class RefusalForm(forms.Form):
    """DU-11: the family's refusal of the aid, in writing: its words, the signed paper, or both."""

    written_refusal = _text(_("The written refusal"), rows=4, help_text=_(
        "Copy the family's written words. A refusal is recorded only in writing: this text, the signed paper "
        "below, or both."))
    signed_refusal = forms.FileField(label=_("Signed refusal (scan or photo)"), required=False,
                                     help_text=_("PDF, JPEG or PNG, 10 MB at most."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the refusal"))
        self.helper.attrs = {"enctype": "multipart/form-data", "data-testid": "refusal-form"}


class DisbursementFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Disbursement.Status.choices])
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.all(), required=False,
                                  empty_label=_("All"))
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", _("All")), *AidPurpose.choices])
    month = forms.DateField(label=_("Month proposed"), required=False, input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month", "dir": "ltr"}, format="%Y-%m"))

    def filter(self, qs):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("fund"):
            qs = qs.filter(fund=data["fund"])
        if data.get("purpose"):
            qs = qs.filter(purpose=data["purpose"])
        if data.get("month"):
            month = data["month"]
            qs = qs.filter(proposed_at__year=month.year, proposed_at__month=month.month)
        return qs


# --- TK-3, TK-4: funds and donations -------------------------------------------------------------


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purposes = forms.MultipleChoiceField(label=_("Designated purposes"), choices=AidPurpose.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    description = _text(_("Description"))
    is_active = forms.BooleanField(label=_("Open (receives donations and pays aid)"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the fund"))


class CashDonationForm(forms.Form):
    amount = AsciiDecimalField(label=_("Amount (SAR)"), max_digits=12, decimal_places=2,
                               widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.01"}))
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    donor = forms.CharField(label=_("Donor"), max_length=200, required=False)
    reference = forms.CharField(label=_("Receipt reference"), max_length=60, required=False,
                                widget=forms.TextInput(attrs={"dir": "ltr"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the donation"), Row(Column("amount"), Column("received_on")),
                              Row(Column("donor"), Column("reference")))


class InKindDonationForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False, help_text=_("e.g. piece, box, bag"))
    quantity = forms.IntegerField(label=_("Quantity received"), min_value=1,
                                  widget=forms.NumberInput(attrs={"dir": "ltr"}))
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=date_input())
    donor = forms.CharField(label=_("Donor"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the goods"), Row(Column("item"), Column("unit"), Column("quantity")),
                              Row(Column("received_on"), Column("expires_on")), "donor")


class SafetyCheckForm(forms.Form):
    PASSED, FAILED = "passed", "failed"

    result = forms.ChoiceField(label=_("Result of the safety check"), widget=forms.RadioSelect,
                               choices=[(PASSED, _("Passed: safe to give")), (FAILED, _("Failed: not to be given"))])
    notes = _text(_("Notes of the check"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the check"))


# --- TK-5: campaigns --------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    reason = _text(_("The disaster or crisis"), required=True)
    fund = FundChoiceField(label=_("Fund"), queryset=None)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AidPurpose.choices, initial=AidPurpose.RELIEF)
    amount_per_member = AsciiDecimalField(label=_("Amount per household member (SAR)"), max_digits=10,
                                          decimal_places=2, widget=forms.NumberInput(attrs={"dir": "ltr"}))
    categories = forms.ModelMultipleChoiceField(label=_("Categories"), queryset=Category.objects.all(),
                                                required=False, widget=forms.CheckboxSelectMultiple,
                                                to_field_name="code")
    cities = forms.CharField(label=_("Cities"), required=False, help_text=_("Separate cities with commas."))
    file_numbers = _text(_("File numbers"), help_text=_("Or list the files, one number per line."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["fund"].queryset = reports.funds_with_balance(Fund.objects.filter(is_active=True))
        self.helper = _helper(None, "name", "reason", Row(Column("fund"), Column("purpose"),
                                                          Column("amount_per_member")),
                              "categories", "cities", "file_numbers", form_tag=False)
        self.helper.disable_csrf = True

    def clean_file_numbers(self):
        numbers = _split(self.cleaned_data.get("file_numbers"))
        found = dict(BeneficiaryFile.objects.visible_to(self.user).filter(number__in=numbers)
                     .values_list("number", "pk"))
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(UNKNOWN_FILES, params={"numbers": series(missing)})
        return [found[n] for n in numbers]

    @property
    def criteria(self) -> dict:
        data = self.cleaned_data
        return {"categories": [c.code for c in data.get("categories") or []],
                "cities": [c.strip() for c in _CITY_SEPARATORS.split(data.get("cities") or "") if c.strip()],
                "files": data.get("file_numbers") or []}


# --- TK-2: recommendations ----------------------------------------------------------------------


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["family_name", "contact", "city", "district", "situation", "recommended_aid"]
        widgets = {"situation": forms.Textarea(attrs={"rows": 4}), "recommended_aid": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the recommendation"), Row(Column("family_name"), Column("contact")),
                              Row(Column("city"), Column("district")), "situation", "recommended_aid")


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect, choices=[
        c for c in Recommendation.Status.choices if c[0] != Recommendation.Status.RECOMMENDED])
    file_number = forms.CharField(label=_("Number of the file opened"), required=False,
                                  widget=forms.TextInput(attrs={"dir": "ltr"}),
                                  help_text=_("When the family applied: the number of their new file."))
    note = _text(_("Note"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _helper(_("Save the follow-up"))

    def clean_file_number(self):
        number = self.cleaned_data.get("file_number", "").strip()
        if not number:
            return None
        file = BeneficiaryFile.objects.visible_to(self.user).filter(number=number).first()
        if file is None:
            raise forms.ValidationError(FILE_NOT_FOUND)
        return file


# --- TK-8: the equality report --------------------------------------------------------------------


class EqualityForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=date_input())
    end = forms.DateField(label=_("To"), widget=date_input())
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False,
                                      empty_label=_("All categories"))

    def __init__(self, data=None, *, today, **kwargs):
        initial = {"start": calendar.add_months(today, -12), "end": today}
        if data is not None and not any(data.get(k) for k in ("start", "end")):
            data = None
        super().__init__(data, initial=initial, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", PERIOD_REVERSED)
        return cleaned

    def period(self) -> dict:
        """Return start, end and category: the submitted ones when valid, else the defaults."""
        if self.is_bound and self.is_valid():
            return dict(self.cleaned_data)
        return {"start": self.initial["start"], "end": self.initial["end"], "category": None}


# --- DU-7: cards ------------------------------------------------------------------------------------


class CardForm(forms.Form):
    number = forms.CharField(label=_("Card number"), max_length=30, widget=forms.TextInput(attrs={"dir": "ltr"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label)
