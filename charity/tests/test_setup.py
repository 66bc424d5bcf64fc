"""No invented values in the shipped profiles: the service area (BEN-1) and the research committee's
quorum appear in no approved text, so every profile file leaves them unset; the admin's setup
checklist shows them missing and the admin sets them there (a reload keeps them); `make run`'s demo
data sets them as demo values, with a committee that can decide."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from charity import errors, setup
from charity.demo import DEMO_QUORUM, DEMO_SERVICE_AREA, DEMO_USERS
from charity.models import PolicyProfile
from charity.roles import Role, active_members
from charity.services import PROFILES_DIR, available_profiles, load_policy_profile, set_setup_values

pytestmark = pytest.mark.django_db


def _url(profile):
    return reverse("admin:charity_policyprofile_setup", args=[profile.pk])


@pytest.mark.parametrize("code", available_profiles())
@pytest.mark.rule("BEN-1")
def test_no_shipped_profile_invents_a_service_area_or_a_quorum(code):
    data = json.loads((PROFILES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    assert data["service_area_cities"] == [] and data["committee_quorum"] is None
    profile, _ = load_policy_profile(code)
    assert profile.service_area_cities == [] and profile.committee_quorum is None


@pytest.mark.parametrize(("code", "area", "quorum"), [
    ("general", True, False),  # the manager decides: no quorum needed
    ("awaser", False, False),  # families abroad: no service area enforced; the association decides
    ("amass", True, True), ("kafl", True, True), ("banan", True, True),  # the research committee decides
])
def test_the_setup_checklist_shows_what_is_missing(client, make_user, code, area, quorum):
    profile, _ = load_policy_profile(code)
    assert (setup.service_area_missing(profile), setup.quorum_missing(profile)) == (area, quorum)
    client.force_login(make_user(Role.ADMIN))
    page = client.get(_url(profile)).content.decode()
    assert f'data-testid="value-service_area" data-missing="{str(area).lower()}"' in page
    assert f'data-testid="value-committee_quorum" data-missing="{str(quorum).lower()}"' in page
    assert ('data-testid="missing-service_area"' in page) == area
    assert ('data-testid="missing-committee_quorum"' in page) == quorum


def test_the_admin_sets_the_values_and_a_reload_keeps_them(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    response = client.post(_url(kafl), {"action": "values", "service_area_cities": "الرياض\nالخرج\n",
                                        "committee_quorum": "4"})
    assert response.status_code == 302
    kafl.refresh_from_db()
    assert (kafl.service_area_cities, kafl.committee_quorum) == (["الرياض", "الخرج"], 4)
    assert kafl.history.first().history_user == admin
    assert not setup.service_area_missing(kafl) and not setup.quorum_missing(kafl)
    page = client.get(_url(kafl)).content.decode()
    assert 'data-testid="missing-service_area"' not in page and 'data-testid="missing-committee_quorum"' not in page
    kafl, _ = load_policy_profile("kafl")  # the file leaves them unset: what the admin set stays
    assert (kafl.service_area_cities, kafl.committee_quorum) == (["الرياض", "الخرج"], 4)


def test_a_quorum_below_one_is_refused_and_nothing_changes(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    client.force_login(make_user(Role.ADMIN))
    response = client.post(_url(kafl), {"action": "values", "service_area_cities": "الرياض", "committee_quorum": "0"})
    assert response.status_code == 400
    kafl.refresh_from_db()
    assert (kafl.service_area_cities, kafl.committee_quorum) == ([], None)
    with pytest.raises(Exception) as refused:
        set_setup_values(profile=kafl, service_area_cities=["الرياض"], committee_quorum=0, by=None)
    with translation.override("ar"):
        assert str(errors.QUORUM_TOO_SMALL) in refused.value.messages
    kafl.refresh_from_db()
    assert kafl.committee_quorum is None


def test_the_checklist_is_linked_from_the_sections_page_and_the_profile(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    client.force_login(make_user(Role.ADMIN))
    sections = client.get(reverse("admin:charity_policyprofile_sections", args=[kafl.pk])).content.decode()
    assert _url(kafl) in sections
    change = client.get(reverse("admin:charity_policyprofile_change", args=[kafl.pk])).content.decode()
    assert _url(kafl) in change


def test_the_setup_checklist_is_for_the_system_administrator(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    client.force_login(make_user(Role.DIRECTOR))
    assert client.get(_url(kafl)).status_code == 302  # the admin site's own login page
    client.post(_url(kafl), {"action": "values", "service_area_cities": "جدة", "committee_quorum": "1"})
    kafl.refresh_from_db()
    assert (kafl.service_area_cities, kafl.committee_quorum) == ([], None)


@pytest.mark.parametrize("code", ["general", "kafl"])
def test_the_demo_data_sets_the_values_and_a_committee_that_meets_its_quorum(code):
    load_policy_profile(code)
    call_command("seed_demo")
    profile = PolicyProfile.objects.active()
    assert (profile.service_area_cities, profile.committee_quorum) == (DEMO_SERVICE_AREA, DEMO_QUORUM)
    assert setup.missing_setup(profile) == [m for m in setup.missing_setup(profile) if m.key.startswith("staff_tool")]
    assert active_members(Role.COMMITTEE).count() >= DEMO_QUORUM
    assert active_members(Role.RESEARCH_OFFICER).exists()
    assert {u for u, r, *_ in DEMO_USERS if r == Role.RESEARCH_OFFICER} == {"officer"}


def test_the_demo_data_leaves_the_admins_values_alone(db):
    kafl, _ = load_policy_profile("kafl")
    set_setup_values(profile=kafl, service_area_cities=["أبها"], committee_quorum=5, by=None)
    call_command("seed_demo")
    kafl.refresh_from_db()
    assert (kafl.service_area_cities, kafl.committee_quorum) == (["أبها"], 5)


def _migration():
    return importlib.import_module("charity.migrations.0016_profile_setup_values_in4_staff_tools")


def test_the_migration_unsets_the_placeholders_no_one_edited_and_names_the_explainer(db, make_user):
    """An installed kafl carrying the old file's «الرياض» and quorum 3, never edited by hand: the
    values are unset again, the officer explains (IN-4) and its staff tools exist. Another profile
    an admin edited keeps its values."""
    kafl, _ = load_policy_profile("kafl")
    general, _ = load_policy_profile("general")
    PolicyProfile.objects.filter(pk=kafl.pk).update(service_area_cities=["الرياض"], committee_quorum=3,
                                                    procedure_explained_by=Role.MANAGER.value)
    kafl.staff_tools.all().delete()
    general.service_area_cities, general.committee_quorum = ["الرياض"], 3
    general._history_user = make_user(Role.ADMIN)
    general.save()
    _migration().apply_profile_files(apps, None)
    kafl.refresh_from_db()
    general.refresh_from_db()
    assert (kafl.service_area_cities, kafl.committee_quorum) == ([], None)
    assert kafl.procedure_explained_by == Role.RESEARCH_OFFICER.value and kafl.staff_tools.count() == 3
    assert (general.service_area_cities, general.committee_quorum) == (["الرياض"], 3)
