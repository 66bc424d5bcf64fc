"""SC-2: the form recording the certificate's official handover."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..handovers import HandoverMethod
from .controls import _helper


class HandoverForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=HandoverMethod.choices)
    received_by = forms.CharField(label=_("Received by (name)"), max_length=200)
    handed_on = forms.DateField(label=_("Handed over on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the handover"), "method", "received_by", "handed_on", "note",
                              testid="handover-form", button="btn btn-primary")
