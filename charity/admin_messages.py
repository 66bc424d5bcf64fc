"""Django admin for the wording of the messages to beneficiaries (charity.messages)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import message_catalog as catalog
from .admin_history import ScopedHistoryAdmin
from .models import MessageWording


class MessageWordingForm(forms.ModelForm):
    purpose = forms.ChoiceField(label=_("message"), choices=())

    class Meta:
        model = MessageWording
        fields = ["profile", "purpose", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "dir": "rtl", "lang": "ar"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "---------"), *catalog.purposes()]
        purpose = self.data.get("purpose") or self.initial.get("purpose") or self.instance.purpose
        self.fields["text"].help_text = _help(purpose)
        if not self.instance.pk and purpose and catalog.is_registered(purpose) and not self.initial.get("text"):
            self.initial["text"] = catalog.default_text(purpose)


def _help(purpose: str | None):
    """The default wording and the placeholders of the chosen message (all of them on a new row)."""
    chosen = [purpose] if purpose and catalog.is_registered(purpose) else [p for p, _label in catalog.purposes()]
    rows = format_html_join(
        "", "<li><b>{}</b> — {}<br>{}: {}<br>{}: {}</li>",
        ((label, catalog.default_text(p), _("placeholders"), _names(catalog.offered(p)),
          _("required"), _names(catalog.required(p)) or "—")
         for p, label in catalog.purposes() if p in chosen),
    )
    return format_html("{}<ul>{}</ul>", _("The default wording, used when none is written:"), rows)


def _names(names) -> str:
    return " ".join("{" + name + "}" for name in sorted(names))


@admin.register(MessageWording)
class MessageWordingAdmin(ScopedHistoryAdmin):
    form = MessageWordingForm
    list_display = ("purpose_label", "profile", "updated_at")
    list_filter = ("profile", "purpose")
    search_fields = ("purpose", "text")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("message"), ordering="purpose")
    def purpose_label(self, obj):
        return dict(catalog.purposes()).get(obj.purpose, obj.purpose)
