"""Forms of the public survey (SAT-1, GO-6) and of the results' date range (SAT-2)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from charity import calendar

from . import policy

QUESTION_LABELS = {
    "overall": _("Overall, how satisfied are you with the service?"),
    "courtesy": _("How respectful and courteous were the staff?"),
    "speed": _("How quick was the service?"),
    "clarity": _("How clear was the information you were given?"),
}
RANGE_REVERSED = _("The start of the period must be on or before its end.")


def _rating_field(question: str) -> forms.TypedChoiceField:
    choices = [(n, f"{n} — {policy.RATING_LABELS[n]}") for n in range(policy.RATING_MIN, policy.RATING_MAX + 1)]
    return forms.TypedChoiceField(label=QUESTION_LABELS[question], choices=choices, coerce=int, empty_value=None,
                                  required=question in policy.REQUIRED_QUESTIONS, widget=forms.RadioSelect)


class SurveyForm(forms.Form):
    """SAT-1: four ratings from 1 to 5 (only the overall one required) and a comment."""

    overall = _rating_field("overall")
    courtesy = _rating_field("courtesy")
    speed = _rating_field("speed")
    clarity = _rating_field("clarity")
    comment = forms.CharField(label=_("Anything you would like to tell us? (optional)"), required=False,
                              max_length=policy.COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-testid": "survey-form"}
        self.helper.layout = Layout(*policy.QUESTIONS, "comment")
        self.helper.add_input(Submit("submit", _("Send my answer"), css_class="btn-lg w-100"))

    @property
    def ratings(self) -> dict:
        return {q: self.cleaned_data.get(q) for q in policy.QUESTIONS}


class PeriodForm(forms.Form):
    """SAT-2: the period of the results (by the date the surveys were sent)."""

    first = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"))
    last = forms.DateField(label=_("To"), required=False,
                           widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].initial = calendar.add_months(today.replace(day=1), -11)
        self.fields["last"].initial = today
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"data-testid": "period-form"}
        self.helper.layout = Layout(Row(Column("first"), Column("last")))
        self.helper.add_input(Submit("show", _("Show"), css_class="btn-secondary"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and first > last:
            raise forms.ValidationError(RANGE_REVERSED, code="range_reversed")
        return cleaned

    def period(self) -> tuple:
        """Return (first, last): the submitted dates, or the defaults (the last twelve months)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("first"), self.cleaned_data.get("last")
        return self.fields["first"].initial, self.fields["last"].initial
