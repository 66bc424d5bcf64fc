"""Password reset by e-mail, which never says whether an address has an account.

Django's views: the «sent» page reads the same whether or not a member of staff has the address
(only an active account with a usable password gets a mail). The link is built on the public address
(charity.links), never on the request's host. Requests are limited per client address, so the
form cannot be used to flood a mailbox; over the limit, the same page and no mail."""

from __future__ import annotations

import time

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from . import links, ratelimit
from .clientip import client_ip

REQUESTS = (5, 60 * 60)  # reset requests per client address an hour


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        counter = ratelimit.key("password-reset", client_ip(self.request) or "")
        if ratelimit.hit(counter, REQUESTS, time.time()) is not None:
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"site_url": links.site_url()}
        return super().form_valid(form)
