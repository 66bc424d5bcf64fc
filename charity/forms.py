from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Staff sign-in; the error messages are Django's, translated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "dir": "ltr"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password", "dir": "ltr"})
