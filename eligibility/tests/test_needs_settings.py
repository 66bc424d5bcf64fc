"""EL-9: the needs study's maxima, weights and score bands are the profile's data
(PolicyProfile.needs_study, charity/needs_study.py); the assessment keeps the settings it used."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries import services as file_services
from beneficiaries.policy import HousingType
from charity import needs_study
from charity.models import PolicyProfile
from charity.roles import Role
from charity.services import available_profiles, load_policy_profile
from eligibility import services
from eligibility.models import NeedsAssessment
from testdata import NOW, TODAY, make_submitted

pytestmark = pytest.mark.django_db


def _settings(**changes) -> dict:
    study = needs_study.default_needs_study()
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = study
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return study


@pytest.fixture
def rented(staff):
    submitted = make_submitted(staff["intake"], categories=("abandoned",), housing_type=HousingType.RENTED)
    return file_services.assign_researcher(file=submitted, researcher=staff["researcher"], by=staff["manager"],
                                           now=NOW)


@pytest.mark.rule("EL-9")
def test_el9_every_shipped_profile_carries_the_products_default_settings():
    """No text gives weights: each of the five profiles loads the product's defaults, the values
    the code used before they became profile data."""
    assert len(available_profiles()) == 5
    for code in available_profiles():
        profile, _changed = load_policy_profile(code, activate=False)
        assert profile.needs_study == needs_study.DEFAULT_NEEDS_STUDY, code
    assert needs_study.DEFAULT_NEEDS_STUDY["maxima"] == {"income": 40, "dependants": 20, "housing": 20, "health": 20}
    assert set(needs_study.HOUSING_TYPES) == set(HousingType.values)


@pytest.mark.rule("EL-9")
def test_el9_a_changed_weight_changes_a_new_score_and_not_a_stored_one(rented, staff, client):
    profile = PolicyProfile.objects.active()
    old = services.assess_needs(file=rented, by=staff["researcher"], now=NOW, today=TODAY, profile=profile)
    assert old.breakdown["housing"] == 14 and old.weights == needs_study.DEFAULT_NEEDS_STUDY

    profile.needs_study = _settings(weights__housing__rented=4, maxima__housing=15, maxima__income=45)
    profile.full_clean()
    profile.save()
    later = NOW + dt.timedelta(days=1)
    new = services.assess_needs(file=rented, by=staff["researcher"], now=later, today=TODAY, profile=profile)
    assert new.breakdown["housing"] == 4 and new.weights["weights"]["housing"]["rented"] == 4
    assert (old.breakdown["income"], old.score) == (40, 54)  # no income: the whole income part
    assert (new.breakdown["income"], new.score) == (45, 49)
    old.refresh_from_db()
    assert (old.breakdown["housing"], old.score) == (14, 54) and old.weights["weights"]["housing"]["rented"] == 14
    assert old.weights["maxima"]["housing"] == 20

    client.force_login(staff["researcher"])
    page = client.get(reverse("eligibility:assessment_detail", args=[old.pk]))
    maxima = {r["key"]: r["maximum"] for r in page.context["score_rows"]}
    assert maxima["housing"] == 20 and maxima["income"] == 40  # the form prints the weights it used
    assert 'data-testid="weights-used"' in page.content.decode()
    facts = page.context["weight_rows"]["facts"]
    assert any(str(HousingType.RENTED.label) in str(label) and points == 14 for label, points in facts)
    new_page = client.get(reverse("eligibility:assessment_detail", args=[new.pk]))
    assert {r["key"]: r["maximum"] for r in new_page.context["score_rows"]}["housing"] == 15


@pytest.mark.rule("EL-9", "IN-7")
def test_el9_score_bands_recommend_a_service_only_from_their_lower_bound(rented, staff):
    """A band from 90 holding the monthly cash: a family below the threshold with a lower score
    is not recommended it; the services of the band from 0 still are."""
    profile = PolicyProfile.objects.active()
    others = [c for c in needs_study.Service.values if c != "monthly_cash"]
    profile.needs_study = _settings(bands=[{"from_score": 0, "services": others},
                                           {"from_score": 90, "services": ["monthly_cash"]}])
    profile.full_clean()
    profile.save()
    assessment = services.assess_needs(file=rented, by=staff["researcher"], now=NOW, today=TODAY, profile=profile)
    assert assessment.score < 90 and assessment.income_per_member < assessment.threshold
    assert "monthly_cash" not in assessment.recommended_services
    assert "food_basket" in assessment.recommended_services


BAD = [
    ("needs_study_maxima", {"maxima__income": -5}),
    ("needs_study_total", {"maxima__income": 50}),
    ("needs_study_weights", {"weights__per_dependant": -1}),
    ("needs_study_weights", {"weights__housing__rented": "14"}),
    ("needs_study_band_order", {"bands": [{"from_score": 40, "services": ["training"]},
                                          {"from_score": 10, "services": ["food_basket"]}]}),
    ("needs_study_bands", {"bands": [{"from_score": 0, "services": ["gold_bars"]}]}),
    ("needs_study_service_twice", {"bands": [{"from_score": 0, "services": ["training"]},
                                             {"from_score": 10, "services": ["training"]}]}),
]


@pytest.mark.rule("EL-9")
@pytest.mark.parametrize(("code", "changes"), BAD)
def test_el9_invalid_settings_are_refused_with_a_clear_message(code, changes, rented, staff):
    profile = PolicyProfile.objects.active()
    profile.needs_study = _settings(**changes)
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert refused.value.error_dict["needs_study"][0].code == code
    # saved anyway behind the validation's back: the study refuses to score and saves nothing
    PolicyProfile.objects.filter(pk=profile.pk).update(needs_study=profile.needs_study)
    with pytest.raises(ValidationError):
        services.assess_needs(file=rented, by=staff["researcher"], now=NOW, today=TODAY,
                              profile=PolicyProfile.objects.get(pk=profile.pk))
    assert not NeedsAssessment.objects.filter(file=rented).exists()


@pytest.mark.rule("EL-9")
def test_el9_the_admin_edits_the_settings_and_bad_ones_are_refused(client, make_user, profile):
    profile = PolicyProfile.objects.active()
    client.force_login(make_user(Role.ADMIN))
    url = reverse("admin:charity_policyprofile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "categories"}
    data.update(channels=profile.channels, categories=[c.pk for c in profile.categories.all()],
                service_area_cities="\n".join(profile.service_area_cities))
    for flag in ("service_area_enforced", "international_phones", "passport_identity", "sc10_orphans_exempt"):
        if not data.get(flag):
            data.pop(flag, None)
    data["needs_study"] = json.dumps(_settings(maxima__health=30))
    page = client.post(url, data)
    errors = page.context["adminform"].form.errors
    assert page.status_code == 200 and errors.as_data()["needs_study"][0].code == "needs_study_total"
    assert "110" in str(errors["needs_study"])  # the message gives the wrong total
    profile.refresh_from_db()
    assert profile.needs_study == needs_study.DEFAULT_NEEDS_STUDY
    good = _settings(maxima__health=30, maxima__dependants=10, weights__per_health_case=15)
    data["needs_study"] = json.dumps(good)
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.needs_study == good


@pytest.mark.rule("EL-9")
def test_el9_a_profile_file_with_bad_settings_is_refused(monkeypatch, tmp_path):
    from charity import services as profile_services

    data = json.loads((profile_services.PROFILES_DIR / "kafl.json").read_text(encoding="utf-8"))
    data["needs_study"]["maxima"]["income"] = 41
    (tmp_path / "kafl.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(profile_services, "PROFILES_DIR", tmp_path)
    with pytest.raises(profile_services.ProfileError, match="101"):
        load_policy_profile("kafl", activate=False)
    assert not PolicyProfile.objects.filter(code="kafl").exists()
