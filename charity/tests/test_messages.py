"""The catalog of messages to beneficiaries and the admin's wording per profile (charity.messages)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from charity import messages as catalog
from charity.models import MessageWording, PolicyProfile
from charity.roles import Role

PURPOSE = "test-decision"
DEFAULT = "File {file_number}: the decision is taken. Reasons: {reasons}. Details: {portal_link}"


@pytest.fixture(autouse=True)
def test_purpose():
    catalog.register_messages({PURPOSE: ("Test decision", DEFAULT)})
    yield
    catalog._catalog.pop(PURPOSE, None)


CONTEXT = {"file_number": "B-0007", "reasons": "الدخل أعلى من الحد", "portal_link": "https://jam.example/my/"}


def test_register_messages_offers_the_default_placeholders_and_requires_links_and_reasons():
    assert catalog.offered(PURPOSE) == {"file_number", "reasons", "portal_link"}
    assert catalog.required(PURPOSE) == {"reasons", "portal_link"}
    assert dict(catalog.purposes())[PURPOSE] == "Test decision"


def test_register_messages_refuses_a_default_with_an_attribute_placeholder():
    with pytest.raises(ValueError):
        catalog.register_messages({"test-bad": ("x", "{file.__class__}")})
    assert not catalog.is_registered("test-bad")


def test_render_message_without_wording_fills_the_default(profile):
    text = catalog.render_message(PURPOSE, CONTEXT)
    assert "B-0007" in text and "الدخل أعلى من الحد" in text and "https://jam.example/my/" in text


def test_render_message_uses_the_active_profiles_wording(profile):
    MessageWording.objects.create(profile=profile, purpose=PURPOSE,
                                  text="ملفكم {file_number}: {reasons} — {portal_link}")
    assert catalog.render_message(PURPOSE, CONTEXT) == "ملفكم B-0007: الدخل أعلى من الحد — https://jam.example/my/"


def test_render_message_ignores_another_profiles_wording(profile):
    other = PolicyProfile.objects.create(code="other", name_ar="أخرى", deciding_body=profile.deciding_body)
    MessageWording.objects.create(profile=other, purpose=PURPOSE, text="أخرى {reasons} {portal_link}")
    assert "أخرى" not in catalog.render_message(PURPOSE, CONTEXT)
    assert catalog.render_message(PURPOSE, CONTEXT, profile=other).startswith("أخرى")


def test_render_message_never_evaluates_attributes_or_format_specs(profile):
    MessageWording.objects.create(profile=profile, purpose=PURPOSE, text="{reasons.__class__} {portal_link:>99}")
    text = catalog.render_message(PURPOSE, CONTEXT)
    assert text == "https://jam.example/my/"  # the attribute left out, the padding not applied


def test_render_message_reads_in_arabic_whatever_the_active_language(profile):
    from django.utils import translation

    catalog.register_messages({"test-ar": ("Test", _("Status changed to «%(status)s»"))})
    try:
        with translation.override("en"):
            assert catalog.render_message("test-ar", {}) == catalog.default_text("test-ar")
            assert catalog.default_text("test-ar") != "Status changed to «%(status)s»"
    finally:
        catalog._catalog.pop("test-ar", None)


@pytest.mark.parametrize(("text", "code"), [
    ("ملفكم {file_number}: {reasons}", "missing"),  # the link dropped
    ("{reasons} {portal_link} {national_id}", "not_offered"),
    ("{reasons} {portal_link} {", "malformed"),
    ("{reasons} {portal_link} {file_number!r}", "malformed"),
])
def test_validate_wording_refuses_a_wording_that_breaks_the_rule(text, code):
    with pytest.raises(ValidationError) as error:
        catalog.validate_wording(PURPOSE, text)
    assert code in {e.code for e in error.value.error_list}


def test_validate_wording_accepts_a_reordered_wording_with_literal_braces():
    catalog.validate_wording(PURPOSE, "{{مهم}} {portal_link} ثم {reasons}")


def test_message_wording_is_unique_per_profile_and_purpose_and_keeps_history(profile):
    from django.db import IntegrityError, transaction

    row = MessageWording.objects.create(profile=profile, purpose=PURPOSE, text="{reasons} {portal_link}")
    row.text = "الأسباب: {reasons} {portal_link}"
    row.save()
    assert row.history.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageWording.objects.create(profile=profile, purpose=PURPOSE, text="{reasons} {portal_link}")


def test_admin_saves_a_valid_wording(client, profile, make_user):
    client.force_login(make_user(Role.ADMIN))
    page = client.get(reverse("admin:charity_messagewording_add") + f"?purpose={PURPOSE}")
    assert page.status_code == 200 and "{portal_link}" in page.content.decode()
    response = client.post(reverse("admin:charity_messagewording_add"),
                           {"profile": profile.pk, "purpose": PURPOSE,
                            "text": "ملفكم {file_number}: {reasons} {portal_link}"})
    assert response.status_code == 302
    assert MessageWording.objects.get().history.count() == 1


def test_admin_refuses_a_wording_without_the_link_in_arabic_and_saves_nothing(client, profile, make_user):
    client.force_login(make_user(Role.ADMIN))
    response = client.post(reverse("admin:charity_messagewording_add"),
                           {"profile": profile.pk, "purpose": PURPOSE, "text": "ملفكم {file_number}: {reasons}"},
                           HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert "{portal_link}" in response.content.decode()
    assert "يجب" in response.content.decode()
    assert not MessageWording.objects.exists()


def test_admin_refuses_an_unknown_purpose(client, profile, make_user):
    client.force_login(make_user(Role.ADMIN))
    response = client.post(reverse("admin:charity_messagewording_add"),
                           {"profile": profile.pk, "purpose": "no-such-message", "text": "{portal_link}"})
    assert response.status_code == 200 and not MessageWording.objects.exists()


def test_every_registered_message_has_the_same_placeholders_in_arabic_and_english():
    from django.utils import translation

    for purpose, (_label, default) in catalog._catalog.items():
        with translation.override("en"):
            english = catalog.placeholders(str(default))
        assert catalog.placeholders(catalog.default_text(purpose)) == english, purpose


def test_every_registered_message_carries_a_link_the_admin_cannot_drop():
    for purpose in catalog._catalog:
        if purpose.startswith("test-"):
            continue
        assert any(name.endswith("_link") for name in catalog.required(purpose)), purpose
