"""The login page in Debian's Chromium: Arabic, right to left; each role reaches its home."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from charity.demo import DEMO_PASSWORD, DEMO_USERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_is_arabic_rtl_and_each_role_reaches_its_home(live_server, page):
    call_command("load_policy_profile", "general")
    call_command("seed_demo")
    for username, role, *_ in DEMO_USERS:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        html = page.locator("html")
        assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
        assert page.title().startswith("تسجيل الدخول")
        # Right to left: the form's first field sits on the right half of the page.
        box = page.locator("#id_username").bounding_box()
        assert box["x"] + box["width"] > page.viewport_size["width"] / 2
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.get_by_role("button", name="تسجيل الدخول").click()
        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator(f'[data-testid="role-panel-{role.value}"]')).to_be_visible()


def test_wrong_password_shows_arabic_error_and_switching_to_english_works(live_server, page):
    call_command("load_policy_profile", "general")
    call_command("seed_demo")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "wrong-password")
    page.get_by_role("button", name="تسجيل الدخول").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("الرجاء إدخال")
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
