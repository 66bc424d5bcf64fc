"""RULES.md «Sections per profile»: the daily sweep applies the service controls (SC-6, SC-12) only
for an association whose board adopted them. Kafl's text has no service-control table: loaded
with nothing adopted, the sweep freezes and excludes nobody; once an admin records the board's
decision adopting the controls, it works as it does for the general profile."""

import datetime as dt
import logging

import pytest

from beneficiaries import services as file_services
from beneficiaries.models import UpdateRequest
from beneficiaries.policy import FileStatus
from charity.models import PolicyProfile
from charity.policy import Section
from charity.services import adopt_section, load_policy_profile
from eligibility import controls, sweep
from eligibility.models import Exclusion, Freeze
from eligibility.tasks import enforce_deadlines_task
from testdata import NOW, TODAY, make_active, tell_families

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 12, 31)
DAY_AFTER = dt.date(2027, 1, 1)


def _late_with_the_annual_update(staff, files=1):
    """Active files told of an annual update due DEADLINE, whose documents never came."""
    made = [make_active(staff["intake"]) for _ in range(files)]
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=DEADLINE, today=TODAY)
    tell_families()
    return made


@pytest.mark.rule("SC-6")
def test_sc6_kafl_with_nothing_adopted_freezes_nothing_then_freezes_once_adopted(staff, caplog):
    """Both sides on one profile: the same late file is left alone while Kafl has not adopted
    the service controls, and frozen by the first sweep after the decision is recorded."""
    (file,) = _late_with_the_annual_update(staff)
    kafl, _ = load_policy_profile("kafl")
    assert not kafl.adopts(Section.SERVICE_CONTROLS)
    with caplog.at_level(logging.INFO, logger="eligibility.sweep"):
        result = sweep.enforce_deadlines(today=DAY_AFTER, now=NOW)
    assert (result.frozen, result.excluded, result.controls_adopted) == (0, 0, False)
    assert "has not adopted the service controls" in caplog.text
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and not Freeze.objects.exists()
    assert UpdateRequest.objects.get(file=file).status == UpdateRequest.Status.OPEN

    adopt_section(profile=kafl, section=Section.SERVICE_CONTROLS, decision_number="12/1447",
                  decided_on=dt.date(2026, 11, 1), by=staff["admin"], now=NOW, today=TODAY)
    result = sweep.enforce_deadlines(today=DAY_AFTER, now=NOW)
    assert (result.frozen, result.controls_adopted) == (1, True)
    file.refresh_from_db()
    assert file.status == FileStatus.FROZEN and Freeze.objects.get(file=file).rule == "SC-6"


@pytest.mark.rule("SC-6")
def test_sc6_the_general_profile_adopts_the_controls_and_its_sweep_freezes(staff):
    """The other side: the general profile's text (000) has the table, adopted by minutes 24-45-8."""
    (file,) = _late_with_the_annual_update(staff)
    general = PolicyProfile.objects.active()
    assert general.code == "general" and general.adopts(Section.SERVICE_CONTROLS)
    assert sweep.enforce_deadlines(today=DAY_AFTER, now=NOW).frozen == 1


@pytest.mark.rule("SC-12")
def test_sc12_a_lapsed_freeze_is_not_excluded_while_the_controls_are_not_adopted(staff):
    """A freeze recorded while Kafl had the table adopted lapses after the adoption was withdrawn:
    nothing turns it into an exclusion; adopted again, the sweep excludes."""
    from charity.services import withdraw_section

    file = make_active(staff["intake"])
    kafl, _ = load_policy_profile("kafl")
    adopt_section(profile=kafl, section=Section.SERVICE_CONTROLS, decision_number="11/1447",
                  decided_on=dt.date(2026, 10, 1), by=staff["admin"], now=NOW, today=TODAY)
    freeze = controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=kafl)
    withdraw_section(profile=kafl, section=Section.SERVICE_CONTROLS, reason="سُجّل خطأً", by=staff["admin"])
    later = dt.date(2027, 3, 1)
    assert later > freeze.ends_on
    result = enforce_deadlines_task(today=later.isoformat())
    assert (result["excluded"], result["controls_adopted"]) == (0, False)
    assert not Exclusion.objects.exists()
    adopt_section(profile=kafl, section=Section.SERVICE_CONTROLS, decision_number="12/1447",
                  decided_on=dt.date(2026, 11, 1), by=staff["admin"], now=NOW, today=TODAY)
    assert enforce_deadlines_task(today=later.isoformat())["excluded"] == 1
    assert Exclusion.objects.get(file=file).rule == "SC-12"


def test_the_command_says_why_nothing_was_frozen(staff, capsys):
    from django.core.management import call_command

    _late_with_the_annual_update(staff)
    load_policy_profile("kafl")
    call_command("enforce_deadlines", "--today", DAY_AFTER.isoformat())
    assert "not adopted" in capsys.readouterr().out
    assert not Freeze.objects.exists()


@pytest.mark.rule("SC-3", "SC-12")
def test_manual_freezes_and_exclusions_wait_for_the_adoption_too(client, staff):
    """«Nothing punitive runs» on a section not adopted: a manager's freeze or exclusion neither,
    refused with a clear message that changes nothing; the actions are not offered."""
    from django.core.exceptions import ValidationError
    from django.urls import reverse
    from django.utils import translation

    from eligibility import errors

    file = make_active(staff["intake"])
    kafl, _ = load_policy_profile("kafl")
    with pytest.raises(ValidationError) as frozen:
        controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=kafl)
    with pytest.raises(ValidationError) as excluded:
        controls.exclude_file(file=file, rule="SC-3", by=staff["manager"], today=TODAY, now=NOW, profile=kafl,
                              proof_note="طلب خطي")
    assert frozen.value.code == excluded.value.code == "controls_not_adopted"
    client.force_login(staff["manager"])
    page = client.get(reverse("eligibility:controls", args=[file.pk])).content.decode()
    assert 'data-testid="action-freeze"' not in page and 'data-testid="action-exclude"' not in page
    with translation.override("ar"):
        refused = client.post(reverse("eligibility:freeze", args=[file.pk]), {"rule": "SC-12", "reason": "مغلق"})
        message = str(errors.CONTROLS_NOT_ADOPTED)
    assert refused.status_code == 200 and message in refused.content.decode()
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and not Freeze.objects.exists() and not Exclusion.objects.exists()
