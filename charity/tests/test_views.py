"""The base interface: Arabic right to left first, English available, Arabic error pages."""

import pytest
from django.conf import settings
from django.urls import reverse

from charity.models import PolicyProfile
from charity.roles import Role
from charity.tests.rule_coverage import known_rules

pytestmark = pytest.mark.django_db


def test_login_page_is_arabic_right_to_left(client, profile):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "تسجيل الدخول" in page
    assert profile.name_ar in page


def test_english_is_one_click_away(client, profile):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    page = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "bootstrap.min.css" in page and "Sign in" in page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_no_cdn_every_asset_is_served_locally(client, profile):
    page = client.get(reverse("login")).content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_404_page_is_arabic(client, profile):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_403_page_is_arabic(rf, profile):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/x/"), PermissionDenied())
    assert response.status_code == 403
    assert "لا تملك صلاحية هذا الإجراء" in response.content.decode()


def test_500_page_is_arabic_and_standalone(profile):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ar"):
        page = render_to_string("500.html")
    assert "حدث خطأ" in page


def test_database_unreachable_gives_a_503_that_says_nothing_was_saved(client, profile, monkeypatch):
    """PostgreSQL restarting: the user is told what happened to what they sent (issue «Proof
    under attack»: reliability; the restart itself: complaints/tests/test_db_restart.py)."""
    from django.db import OperationalError

    def down():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("charity.views.charter", down)
    client.raise_request_exception = False
    response = client.get(reverse("charter"))
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "تعذّر عرض هذه الصفحة" in page and f'href="{reverse("charter")}"' in page  # a page: nothing lost


def _unreachable(request):
    from django.db import OperationalError
    from django.utils import translation

    from charity.views import server_error

    with translation.override("ar"):
        try:
            raise OperationalError("the database system is shutting down")
        except OperationalError:
            return server_error(request)


def test_database_unreachable_on_a_form_says_it_may_not_be_saved(rf, profile):
    """A POST that met the restart may or may not have been committed (the connection can drop
    after the commit): the page says so; on the complaint form, the receipt's text message is
    the proof (complaints/tests/test_db_restart.py)."""
    complaint = _unreachable(rf.post(reverse("complaints_public:file"))).content.decode()
    assert "ربما لم يُحفظ" in complaint and "رسالة نصية برقم متابعتها" in complaint
    assert f'href="{reverse("complaints_public:file")}"' in complaint
    staff_form = _unreachable(rf.post(reverse("beneficiaries:intake_start")))
    page = staff_form.content.decode()
    assert staff_form.status_code == 503 and "ربما لم يُحفظ" in page and "رسالة نصية" not in page


def test_any_other_error_gives_the_500_page(client, profile, monkeypatch):
    def broken():
        raise ValueError("a bug")

    monkeypatch.setattr("charity.views.charter", broken)
    client.raise_request_exception = False
    response = client.get(reverse("charter"))
    assert response.status_code == 500 and "حدث خطأ" in response.content.decode()


def test_admin_is_titled_with_the_association_name(client, profile, make_user):
    client.force_login(make_user(Role.ADMIN))
    page = client.get(reverse("admin:index")).content.decode()
    assert profile.name_ar in page


def test_pages_are_never_cached_and_carry_security_headers(client, profile, make_user):
    client.force_login(make_user(Role.MANAGER))
    response = client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.rule(*sorted(i for i in known_rules() if i.startswith(("RT-", "DU-"))))
def test_public_charter_lists_every_right_and_duty(client, profile):
    """Every RT and DU rule reaches the beneficiary on the charter (RULES.md, "How the rights and
    duties reach the beneficiary"); the duties with no other mechanism (DU-8 modest dress,
    DU-9 respect for the staff) and RT-11 live only here."""
    page = client.get(reverse("charter")).content.decode()
    rules = sorted(i for i in known_rules() if i.startswith(("RT-", "DU-", "CP-")))
    assert len(rules) >= 30
    missing = [rule for rule in rules if f'id="{rule}"' not in page]
    assert not missing


def test_healthz(client, profile):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_home_without_profile_still_renders(client, make_user, db):
    PolicyProfile.objects.all().delete()
    client.force_login(make_user(Role.MANAGER))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.rule("DU-2", "DU-13", "RT-3")
def test_rt_and_du_rules_reach_the_beneficiary_on_the_public_charter(client, profile):
    """RT-3, DU-2, DU-13 (and every RT/DU rule): rules no software can enforce are honoured by the
    charter the applicant receives and the public page shows (RULES.md)."""
    from charity.charter import charter

    page = client.get(reverse("charter")).content.decode()
    items = charter("ar")
    for section in ("rights", "duties"):
        for item in items[section]:
            assert f'id="{item["id"]}"' in page and item["text"] in page
    assert {i["id"] for i in items["duties"]} >= {"DU-2", "DU-13"}
    assert "RT-3" in {i["id"] for i in items["rights"]}
