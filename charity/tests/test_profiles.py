"""PR — the five associations as policy profiles (data, not code)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from charity.models import PolicyProfile
from charity.policy import Channel, DecidingBody
from charity.services import available_profiles, load_policy_profile

pytestmark = pytest.mark.django_db

EXPECTED = {
    # code: (deciding body, a channel it has, a channel it lacks)
    "general": (DecidingBody.MANAGER, Channel.REFERRAL, Channel.EMBASSY),
    "awaser": (DecidingBody.ASSOCIATION, Channel.EMBASSY, Channel.OFFICE),
    "amass": (DecidingBody.COMMITTEE, Channel.DELEGATE, Channel.EMBASSY),
    "kafl": (DecidingBody.COMMITTEE, Channel.LETTER, Channel.OFFICE),
    "banan": (DecidingBody.COMMITTEE, Channel.SMS, Channel.EMBASSY),
}


def test_pr_five_profiles_are_shipped():
    assert available_profiles() == sorted(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_pr_each_profile_loads_with_its_deciding_body_and_channels(code):
    call_command("load_policy_profile", code)
    profile = PolicyProfile.objects.active()
    body, has, lacks = EXPECTED[code]
    assert profile.code == code
    assert profile.deciding_body == body
    assert has in profile.channels and lacks not in profile.channels
    assert profile.name_ar and profile.name_en and profile.approval_record_ar
    assert profile.categories.exists()
    assert (profile.decision_target_days, profile.complaint_window_days, profile.ruling_working_days) == (14, 30, 15)
    assert (profile.freeze_documents_months, profile.freeze_contact_months) == (1, 3)


def test_pr_banan_carries_its_licence_and_awaser_serves_abroad():
    banan, _ = load_policy_profile("banan")
    assert banan.licence_number == "1000686900"
    awaser, _ = load_policy_profile("awaser")
    assert not awaser.service_area_enforced and awaser.international_phones and awaser.passport_identity
    assert awaser.categories.filter(code="family_abroad").exists()


def test_pr_one_active_profile_per_installation():
    load_policy_profile("general")
    load_policy_profile("kafl")
    assert list(PolicyProfile.objects.filter(is_active=True).values_list("code", flat=True)) == ["kafl"]


def test_pr_loading_twice_changes_nothing():
    profile, changed = load_policy_profile("amass")
    assert changed
    history = profile.history.count()
    profile, changed = load_policy_profile("amass")
    assert not changed
    assert profile.history.count() == history


def test_pr_admin_edits_survive_until_the_file_is_reloaded():
    profile, _ = load_policy_profile("general")
    profile.decision_target_days = 21
    profile.save()
    assert PolicyProfile.objects.active().decision_target_days == 21


def test_pr_unknown_profile_is_refused():
    with pytest.raises(CommandError, match="nope"):
        call_command("load_policy_profile", "nope")


def test_pr_switching_profile_changes_name_channels_and_periods_in_interface(client, make_user):
    from charity.roles import Role

    client.force_login(make_user(Role.INTAKE))
    load_policy_profile("general")
    page = client.get(reverse("policy")).content.decode()
    general = PolicyProfile.objects.get(code="general")
    assert general.name_ar in page and str(Channel.REFERRAL.label) in page

    banan, _ = load_policy_profile("banan")
    banan.ruling_working_days = 12  # an admin's edit of a period shows at once
    banan.save()
    page = client.get(reverse("policy")).content.decode()
    assert banan.name_ar in page and general.name_ar not in page
    assert "1000686900" in page
    periods = page[page.index('data-testid="periods"'):]
    periods = periods[: periods.index("</table>")]
    assert "12" in periods and "15" not in periods
    home = client.get(reverse("home")).content.decode()
    assert banan.name_ar in home
