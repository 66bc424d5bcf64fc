"""Forms of the dashboard: the date range of the time series, the board report's month, exports."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from charity import calendar
from charity.forms import submit_button

from .exports import EXPORT_KINDS
from .queries import MAX_MONTHS, Period

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")
RANGE_BACKWARDS = _("The end of the period comes before its start.")
RANGE_TOO_LONG = _("Choose a period of at most %(months)s months.")
MONTH_FORMAT = _("Enter a month as YYYY-MM.")


class PeriodForm(forms.Form):
    """From/to of the time series; empty means the last twelve months."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        default = Period.default(today)
        self.fields["start"].initial, self.fields["end"].initial = default.start, default.end
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.attrs = {"data-testid": "period-form"}
        self.helper.layout = Layout(Div("start", css_class="col-sm-4 col-md-3"),
                                    Div("end", css_class="col-sm-4 col-md-3"),
                                    Div(submit_button("submit", _("Show"), "btn btn-secondary mb-3"),
                                        css_class="col-sm-4 col-md-2"))

    def clean(self):
        data = super().clean()
        default = Period.default(self.today)
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if end < start:
            raise ValidationError(RANGE_BACKWARDS, code="backwards")
        if calendar.add_months(start, MAX_MONTHS) <= end:
            raise ValidationError(RANGE_TOO_LONG % {"months": MAX_MONTHS}, code="too_long")
        data["period"] = Period(start, end)
        return data

    def period(self) -> Period:
        """The chosen period, or the default one when the input is missing or wrong."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return Period.default(self.today)


def parse_month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime((value or "").strip(), "%Y-%m").date()
    except ValueError as exc:
        raise ValidationError(MONTH_FORMAT, code="month_format") from exc


class MonthForm(forms.Form):
    """The month of the board's report."""

    month = forms.CharField(label=_("Month"), widget=forms.TextInput(
        attrs={"type": "month", "dir": "ltr", "placeholder": "YYYY-MM"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_action = reverse_lazy("dashboard:monthly_report")
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.attrs = {"data-testid": "report-form"}
        self.helper.layout = Layout(Div("month", css_class="col-sm-6"),
                                    Div(submit_button("submit", _("Monthly report (PDF)"),
                                                      "btn btn-outline-primary mb-3"),
                                        css_class="col-sm-6"))

    def clean_month(self) -> dt.date:
        return parse_month(self.cleaned_data["month"])


class ExportForm(forms.Form):
    """Which export to prepare, over the dashboard's period."""

    kind = forms.ChoiceField(label=_("Export"), choices=[(k, e.label) for k, e in EXPORT_KINDS.items()])
    start = forms.DateField(required=False, widget=forms.HiddenInput)
    end = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = reverse_lazy("dashboard:export_start")
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.attrs = {"data-testid": "export-form"}
        self.helper.layout = Layout(Div("kind", css_class="col-sm-8"), "start", "end",
                                    Div(submit_button("submit", _("Export to Excel"), "btn btn-outline-success mb-3"),
                                        css_class="col-sm-4"))

    def period(self, today: dt.date) -> Period:
        data = {"start": self.cleaned_data.get("start"), "end": self.cleaned_data.get("end")}
        return PeriodForm(data, today=today).period()
