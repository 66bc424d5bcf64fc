"""Password reset by e-mail (charity/password_reset.py): it never says which accounts exist."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _ask(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    page = client.get(response["Location"])
    return response, CSRF.sub("", page.content.decode())


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, staff, settings):
    settings.SITE_URL = "https://charity.example.org.sa"
    user = staff["researcher"]
    user.email = "researcher@charity.example.org.sa"
    user.save(update_fields=["email"])

    known, known_page = _ask(client, "Researcher@charity.example.org.sa")
    assert len(mail.outbox) == 1
    unknown, unknown_page = _ask(client, "nobody@charity.example.org.sa")
    assert len(mail.outbox) == 1  # the only difference: no mail
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_page == unknown_page
    assert "إذا كان" in known_page  # «if a staff account has this address», in Arabic

    message = mail.outbox[0]
    assert message.to == ["researcher@charity.example.org.sa"]
    link = re.search(r"https://charity\.example\.org\.sa(/accounts/password/reset/\S+/)", message.body)
    assert link, message.body
    form = client.get(link.group(1), follow=True)
    assert form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-new-long-passphrase-7",
                                                    "new_password2": "a-new-long-passphrase-7"})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-7")
    assert client.get(link.group(1), follow=True).context["validlink"] is False  # used once


def test_an_inactive_account_gets_no_mail(client, staff):
    user = staff["intake"]
    user.email, user.is_active = "intake@charity.example.org.sa", False
    user.save(update_fields=["email", "is_active"])
    response, _page = _ask(client, user.email)
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_requests_are_limited_per_address_with_the_same_answer(client, staff):
    user = staff["manager"]
    user.email = "manager@charity.example.org.sa"
    user.save(update_fields=["email"])
    answers = {_ask(client, user.email)[0]["Location"] for _n in range(7)}
    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 5


def test_the_login_page_links_to_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
