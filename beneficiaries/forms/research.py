"""Forms of the researcher's assignment and change requests (RT-2, RT-4, RT-8) and of the
questions referred to the manager (IN-4). The rules live in services.py: these forms only
collect the input, and `add_service_error` shows a service's refusal on the right field."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from charity.forms import add_service_error  # noqa: F401 (the views call forms.add_service_error)
from charity.roles import Role, active_members

from ..policy import OPEN_STATUSES


def researchers_with_caseload():
    """Return the active social researchers, each with `caseload`: the open files assigned to them."""
    return (
        active_members(Role.RESEARCHER)
        .annotate(caseload=Count("assigned_files", filter=Q(assigned_files__status__in=OPEN_STATUSES),
                                 distinct=True))
        .order_by("caseload", "first_name", "last_name", "username")
    )


class ResearcherChoiceField(forms.ModelChoiceField):
    """A researcher, shown with their job title and current caseload to help the manager choose."""

    def label_from_instance(self, obj):
        caseload = getattr(obj, "caseload", 0)
        load = ngettext("%(count)d open file", "%(count)d open files", caseload) % {"count": caseload}
        title = f" ({obj.job_title})" if obj.job_title else ""
        return f"{obj}{title} — {load}"


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", submit_label))
    return helper


def _text(label, help_text="", rows=4, required_in_browser=True) -> forms.CharField:
    # Not required here: the service refuses empty reasons with the policy's own message (RT-4),
    # so the rule lives in one place; the browser still asks for a value first.
    attrs = {"rows": rows, "required": True} if required_in_browser else {"rows": rows}
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Textarea(attrs=attrs))


class AssignResearcherForm(forms.Form):
    """RT-2, RT-8: the manager chooses the file's social researcher."""

    researcher = ResearcherChoiceField(queryset=None, label=_("Social researcher"), widget=forms.RadioSelect,
                                       empty_label=None)
    reason = _text(_("Reason (optional)"), rows=3, required_in_browser=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = researchers_with_caseload()
        self.helper = _helper(_("Assign"))


class ResearcherRequestForm(forms.Form):
    """RT-2: the beneficiary asks for another researcher; staff write down their reasons."""

    reasons = _text(_("The beneficiary's reasons"),
                    _("Write the reasons as the beneficiary gave them; the manager decides on them."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the request to the manager"))


class DecideResearcherRequestForm(forms.Form):
    """RT-2, RT-4: the manager accepts (choosing the new researcher) or refuses, with reasons."""

    ACCEPT, REFUSE = "accept", "refuse"

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (ACCEPT, _("Accept: move the file to another researcher")),
        (REFUSE, _("Refuse: the file stays with its researcher")),
    ])
    new_researcher = ResearcherChoiceField(queryset=None, label=_("New researcher"), required=False,
                                           empty_label=_("— choose when accepting —"))
    reasons = _text(_("Reasons for the decision"),
                    _("Required for an acceptance and a refusal alike; the beneficiary is told them (RT-4)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_researcher"].queryset = researchers_with_caseload()
        self.helper = _helper(_("Record the decision"))
        self.helper.layout = Layout("decision", "new_researcher", Field("reasons"))

    @property
    def accept(self) -> bool:
        return self.cleaned_data.get("decision") == self.ACCEPT


QUESTION_HELP = _("What the applicant finds unclear about the procedure; it is explained by: %(role)s.")


class ReferToManagerForm(forms.Form):
    """IN-4: the applicant's question, referred to the person the profile names (`explainer`)."""

    question = _text(_("The applicant's question"), "")

    def __init__(self, *args, explainer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].help_text = QUESTION_HELP % {"role": explainer}
        self.helper = _helper(_("Refer the question"))


class ReferralAnswerForm(forms.Form):
    """IN-4: the explanation for the applicant, by the person the profile names."""

    answer = _text(_("Answer"), _("Staff pass this explanation on to the applicant."), rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the answer"))


class ParticipationRequestForm(forms.Form):
    """RT-5: the family member the beneficiary asks to take part in decisions: a member of the
    household, or a person named with their relationship."""

    member = forms.ModelChoiceField(label=_("A member of the household"), queryset=None, required=False,
                                    empty_label=_("Someone not in the household (write the name below)"))
    name = forms.CharField(label=_("Name of the family member"), max_length=200, required=False)
    relationship = forms.CharField(label=_("Their relationship to the beneficiary"), max_length=60, required=False)
    requested_on = forms.DateField(label=_("Asked on"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"},
                                                                               format="%Y-%m-%d"))

    def __init__(self, *args, file, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = file.members.current().exclude(relationship="head")
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} — {m.get_relationship_display()}"
        self.helper = _helper(_("Record the request"))

    def clean(self):
        data = super().clean()
        if data.get("member") and (data.get("name") or "").strip():
            self.add_error("name", ONE_PARTICIPANT)
        return data


ONE_PARTICIPANT = _("Choose a member of the household or write a name, not both.")
