"""PR «Sections per profile»: the admin's setup checklist (…/admin/charity/policyprofile/<id>/sections/)."""

import pytest
from django.urls import reverse

from charity import errors
from charity.models import PolicyProfile
from charity.policy import Section
from charity.roles import Role
from charity.services import load_policy_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def kafl():
    return load_policy_profile("kafl")[0]


def _url(profile):
    return reverse("admin:charity_policyprofile_sections", args=[profile.pk])


def _adopt(client, profile, section, **data):
    fields = {f"{section}-{name}": value for name, value in {"section": section, **data}.items()}
    return client.post(_url(profile), {"action": "adopt", "section_code": section, **fields})


def test_checklist_shows_every_section_adopted_or_not_with_both_calendars(client, make_user, kafl):
    client.force_login(make_user(Role.ADMIN))
    page = client.get(_url(kafl)).content.decode()
    for section in Section:
        adopted = "true" if section == Section.SATISFACTION else "false"
        assert f'data-testid="section-{section.value}" data-adopted="{adopted}"' in page
    assert "لم يُسجَّل قرار مجلس الإدارة بعد" in page  # kafl's text names no decision: the admin fills it
    general, _ = load_policy_profile("general")
    page = client.get(_url(general)).content.decode()
    assert "24-45-8" in page and "25/06/2024م — 19 ذو الحجة 1445هـ" in page


def test_the_admin_adopts_a_section_with_its_decision(client, make_user, kafl):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    response = _adopt(client, kafl, Section.SERVICE_CONTROLS, decision_number="12/1447", decided_on="2026-10-01")
    assert response.status_code == 302
    adoption = PolicyProfile.objects.get(pk=kafl.pk).adoptions()[Section.SERVICE_CONTROLS]
    assert (adoption.decision_number, str(adoption.decided_on), adoption.recorded_by) == ("12/1447", "2026-10-01",
                                                                                            admin)
    assert adoption.history.get().history_user == admin


@pytest.mark.parametrize(("data", "message"), [
    ({"decision_number": "", "decided_on": "2026-10-01"}, errors.DECISION_NUMBER_REQUIRED),
    ({"decision_number": "12", "decided_on": ""}, errors.DECISION_DATE_REQUIRED),
    ({"decision_number": "12", "decided_on": "2099-01-01"}, errors.DECISION_DATE_IN_FUTURE),
])
def test_adopting_without_a_decision_is_refused_with_a_clear_message(client, make_user, kafl, data, message):
    from django.utils import translation

    client.force_login(make_user(Role.ADMIN))
    response = _adopt(client, kafl, Section.COMPLAINTS, **data)
    assert response.status_code == 400
    with translation.override("ar"):
        expected = str(message)
    with translation.override("en"):
        assert expected != str(message)  # translated
    assert expected in response.content.decode()
    assert not PolicyProfile.objects.get(pk=kafl.pk).adopts(Section.COMPLAINTS)


def test_the_admin_withdraws_an_adoption_with_a_reason(client, make_user):
    general, _ = load_policy_profile("general")
    client.force_login(make_user(Role.ADMIN))
    section = Section.SERVICE_CONTROLS
    fields = {"action": "withdraw", "section_code": section, f"withdraw-{section}-section": section}
    refused = client.post(_url(general), {**fields, f"withdraw-{section}-reason": ""})
    assert refused.status_code == 400 and PolicyProfile.objects.get(pk=general.pk).adopts(section)
    done = client.post(_url(general), {**fields, f"withdraw-{section}-reason": "سُجّل خطأً"})
    assert done.status_code == 302 and not PolicyProfile.objects.get(pk=general.pk).adopts(section)


def test_only_the_system_administrator_reaches_the_checklist(client, make_user, kafl):
    client.force_login(make_user(Role.DIRECTOR))
    assert client.get(_url(kafl)).status_code == 302  # the admin site's own login page
    response = _adopt(client, kafl, Section.SERVICE_CONTROLS, decision_number="1", decided_on="2026-10-01")
    assert response.status_code == 302 and not PolicyProfile.objects.get(pk=kafl.pk).adopts(
        Section.SERVICE_CONTROLS)
