from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LinesField(forms.CharField):
    """A list of strings edited one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class LoginForm(AuthenticationForm):
    """Staff sign-in; the error messages are Django's, translated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "dir": "ltr"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password", "dir": "ltr"})


def add_service_error(form, exc, fields: dict | None = None) -> None:
    """Show a service's refusal on the form: a dict of errors on their fields, otherwise each
    message on the field its code names in `fields`, else above the form. Nothing is saved."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    for error in exc.error_list:
        field = (fields or {}).get(getattr(error, "code", None))
        form.add_error(field if field in form.fields else None, error)


def submit_button(name: str, label, classes: str):
    """A crispy submit button with its own classes."""
    from crispy_forms.layout import Submit

    button = Submit(name, label)
    button.field_classes = classes
    return button


class RecordActionForm(forms.Form):
    """One action on a record's page (a complaint, a data-subject request), posted to its own
    URL `namespace:url_name` with the record's id. Several share the page, so each has its own
    field ids and its own submit button."""

    namespace = ""
    url_name = ""
    submit_label = _("Save")
    button = "btn btn-primary"

    def __init__(self, *args, record, **kwargs):
        from crispy_forms.helper import FormHelper

        kwargs.setdefault("auto_id", f"id_{self.url_name}_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = reverse(f"{self.namespace}:{self.url_name}", args=[record.pk])
        self.helper.attrs = {"data-testid": f"form-{self.url_name}"}
        self.helper.add_input(submit_button(self.url_name, self.submit_label, self.button))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, cleaned one by one and returned as a list (empty when none).
    `accept` is the browser's hint; the content is checked on the server (charity.uploads)."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MultipleImageField(MultipleFileField, forms.ImageField):
    """Several images in one input; each must decode as an image."""
