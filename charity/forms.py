from django.contrib.auth.forms import AuthenticationForm


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
