"""Forms of programmes, nominations, answers, sessions, apologies and drop-outs.

The rules (active files only, a refusal in writing, apologies in advance, reasons for a
drop-out) live in services.py; these forms collect and normalise the input, and show a
service's refusal on the field it concerns."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Nomination, Programme


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


def _helper(*layout, submit: str, testid: str, multipart: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.attrs = {"data-testid": testid}
    if multipart:
        helper.attrs["enctype"] = "multipart/form-data"
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit))
    return helper


class ProgrammeForm(forms.ModelForm):
    """TK-6: a programme, training course or activity, its places and dates."""

    class Meta:
        model = Programme
        fields = ["title", "kind", "description", "location", "capacity", "starts_on", "ends_on", "response_days",
                  "coordinator"]
        widgets = {"starts_on": _date_input(), "ends_on": _date_input(),
                   "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "capacity": _("The first nominees up to this number are nominated; the others wait their turn."),
            "response_days": _("Days a nominee has to give a written acceptance or refusal; then the next "
                               "candidate is nominated."),
            "coordinator": _("The member of staff who runs it; the satisfaction survey is about their service."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = get_user_model().objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username")
        self.fields["coordinator"].initial = user.pk
        self.helper = _helper(Row(Column("title"), Column("kind")), "description",
                              Row(Column("location"), Column("coordinator")),
                              Row(Column("starts_on"), Column("ends_on")),
                              Row(Column("capacity"), Column("response_days")),
                              submit=_("Create the programme"), testid="programme-form")


class NominateForm(forms.Form):
    """TK-6: the household members to add to the ranked list, in the order shown."""

    members = forms.ModelMultipleChoiceField(queryset=None, label=_("Household members"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members

    def chosen(self) -> list:
        """Return the chosen members in the order they were listed on the page."""
        order = [str(v) for v in self.data.getlist("members")]
        return sorted(self.cleaned_data["members"], key=lambda m: order.index(str(m.pk)))


class AnswerForm(forms.Form):
    """DU-11: the nominee's written acceptance or refusal."""

    ACCEPT, REFUSE = "accepted", "refused"

    answer = forms.ChoiceField(label=_("The beneficiary's answer"), widget=forms.RadioSelect,
                               choices=[(ACCEPT, _("Accepts the nomination")), (REFUSE, _("Refuses the nomination"))])
    written_answer = forms.CharField(
        label=_("The written answer"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Copy the beneficiary's written words. A refusal is recorded only in writing: this text, "
                    "the signed paper below, or both."))
    signed_answer = forms.FileField(label=_("Signed answer (scan or photo)"), required=False,
                                    help_text=_("PDF, JPEG or PNG, 10 MB at most."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("answer", "written_answer", "signed_answer", submit=_("Record the answer"),
                              testid="answer-form", multipart=True)

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["answer"] == self.ACCEPT


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=_date_input())
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("held_on"), Column("topic")), submit=_("Add the session"),
                              testid="session-form")


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member.full_name} — {obj.file.number}"


class ApologyForm(forms.Form):
    """DU-3: a participant's apology for a session, and the day it was made."""

    nomination = ParticipantChoiceField(queryset=Nomination.objects.none(), label=_("Participant"))
    apology = forms.CharField(label=_("The apology"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    apologised_on = forms.DateField(label=_("Apologised on"), widget=_date_input(),
                                    help_text=_("An apology excuses the absence only if it was made before the "
                                                "session's day."))

    def __init__(self, *args, participants, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = participants
        self.fields["apologised_on"].initial = today
        self.helper = _helper("nomination", "apology", "apologised_on", submit=_("Record the apology"),
                              testid="apology-form")


class DropoutForm(forms.Form):
    """DU-10: why the participant dropped out, and whether they talked to the association first."""

    YES_NO = [("yes", _("Yes, they talked to the association first")), ("no", _("No"))]

    dropout_reasons = forms.CharField(label=_("Reasons for dropping out"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    dropout_discussed = forms.ChoiceField(label=_("Did they talk to the association before dropping out?"),
                                          choices=YES_NO, required=False, widget=forms.RadioSelect)
    dropped_out_on = forms.DateField(label=_("Dropped out on"), widget=_date_input())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dropped_out_on"].initial = today
        self.helper = _helper("dropout_reasons", "dropout_discussed", "dropped_out_on",
                              submit=_("Record the drop-out"), testid="dropout-form")

    @property
    def discussed(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("dropout_discussed"))


class AttendanceSheetForm(forms.Form):
    """DU-3: who was present at the session; everyone else on the sheet is absent (or excused)."""

    present = forms.ModelMultipleChoiceField(queryset=Nomination.objects.none(), required=False,
                                             label=_("Present"))

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = participants
