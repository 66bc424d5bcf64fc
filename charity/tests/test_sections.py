"""PR «Sections per profile»: each profile adopts exactly the sections its own text contains, an
admin records the board decision that adopts another, and the pages say which are adopted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from charity import errors
from charity.models import PolicyProfile, SectionAdoption
from charity.policy import Section
from charity.services import adopt_section, load_policy_profile, withdraw_section
from testdata import NOW, TODAY

pytestmark = pytest.mark.django_db

ALL = set(Section.values)
# What each text contains (RULES.md «Sections per profile», checked against source/000…004): only
# 000 has the charter, the complaint procedure, the eligibility checklist, the needs study, the
# service-control table and the programmes; every text has GO-5 «التركيز على عملية قياس رضا المستفيد».
SHIPPED = {
    # code: (adopted sections, decision number, decision date)
    "general": (ALL, "24-45-8", dt.date(2024, 6, 25)),
    "awaser": ({Section.SATISFACTION}, "6", dt.date(2020, 2, 23)),
    "amass": ({Section.SATISFACTION}, "", dt.date(2024, 1, 24)),  # «في الاجتماع ( )»: no number
    "kafl": ({Section.SATISFACTION}, "", None),  # «معتمد من مجلس الإدارة»: no number, no date
    "banan": ({Section.SATISFACTION}, "3 (الدورة الأولى)", dt.date(2024, 12, 29)),
}


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_each_profile_adopts_exactly_what_its_text_contains(code):
    profile, _ = load_policy_profile(code)
    sections, number, decided_on = SHIPPED[code]
    assert set(profile.adoptions()) == set(sections)
    for section in Section:
        assert profile.adopts(section) == (section in sections)
    for adoption in profile.adoptions().values():
        assert (adoption.decision_number, adoption.decided_on) == (number, decided_on)
        assert adoption.decision_recorded == bool(number and decided_on)
        assert adoption.note and adoption.recorded_by is None


def test_banan_decision_date_is_the_hijri_date_its_text_gives():
    from charity import calendar

    banan, _ = load_policy_profile("banan")
    adoption = banan.adoptions()[Section.SATISFACTION]
    assert str(calendar.to_hijri(adoption.decided_on)) == "1446-06-28"  # «الموافق 1446/06/28هـ»


def test_adopts_asks_the_database_once_per_profile(django_assert_num_queries):
    load_policy_profile("general")
    profile = PolicyProfile.objects.active()
    with django_assert_num_queries(1):
        assert all(profile.adopts(section) for section in Section)
        assert profile.adopts(Section.SERVICE_CONTROLS)


def test_adopt_section_records_the_decision_and_the_rules_apply_at_once(make_user):
    kafl, _ = load_policy_profile("kafl")
    admin = make_user()
    assert not kafl.adopts(Section.SERVICE_CONTROLS)
    adoption = adopt_section(profile=kafl, section=Section.SERVICE_CONTROLS, decision_number="12/1447",
                             decided_on=dt.date(2026, 10, 1), by=admin, now=NOW, today=TODAY)
    assert kafl.adopts(Section.SERVICE_CONTROLS)  # the instance forgot what it had read
    assert (adoption.recorded_by, adoption.recorded_at, adoption.decision_recorded) == (admin, NOW, True)
    assert adoption.history.get().history_type == "+"
    assert PolicyProfile.objects.active().adopts(Section.SERVICE_CONTROLS)


@pytest.mark.parametrize(("number", "decided_on", "field", "message"), [
    ("", dt.date(2026, 10, 1), "decision_number", errors.DECISION_NUMBER_REQUIRED),
    ("12", None, "decided_on", errors.DECISION_DATE_REQUIRED),
    ("12", TODAY + dt.timedelta(days=1), "decided_on", errors.DECISION_DATE_IN_FUTURE),
])
def test_adopt_section_needs_a_decision_number_and_a_past_date(number, decided_on, field, message):
    kafl, _ = load_policy_profile("kafl")
    with pytest.raises(ValidationError) as caught:
        adopt_section(profile=kafl, section=Section.COMPLAINTS, decision_number=number, decided_on=decided_on,
                      by=None, now=NOW, today=TODAY)
    assert caught.value.message_dict[field] == [str(message)]
    assert not kafl.adopts(Section.COMPLAINTS) and not SectionAdoption.objects.filter(section="complaints").exists()


def test_the_admin_completes_a_decision_the_text_left_blank_and_a_reload_keeps_it():
    kafl, _ = load_policy_profile("kafl")
    adopt_section(profile=kafl, section=Section.SATISFACTION, decision_number="5", decided_on=dt.date(2023, 3, 1),
                  by=None, now=NOW, today=TODAY)
    adoption = SectionAdoption.objects.get(profile=kafl, section=Section.SATISFACTION)
    assert adoption.decision_recorded and adoption.note  # the text's words stay beside the decision
    adopt_section(profile=kafl, section=Section.COMPLAINTS, decision_number="6", decided_on=dt.date(2023, 3, 1),
                  by=None, now=NOW, today=TODAY)
    kafl, changed = load_policy_profile("kafl")
    assert not changed  # the file adds nothing and undoes nothing the admin recorded
    assert set(kafl.adoptions()) == {Section.SATISFACTION, Section.COMPLAINTS}
    assert kafl.adoptions()[Section.SATISFACTION].decision_number == "5"


def test_withdraw_section_needs_a_reason_and_keeps_the_history():
    general, _ = load_policy_profile("general")
    with pytest.raises(ValidationError):
        withdraw_section(profile=general, section=Section.SERVICE_CONTROLS, reason=" ", by=None)
    pk = general.adoptions()[Section.SERVICE_CONTROLS].pk
    withdraw_section(profile=general, section=Section.SERVICE_CONTROLS, reason="سُجّل خطأً", by=None)
    assert not general.adopts(Section.SERVICE_CONTROLS) and general.adopts(Section.COMPLAINTS)
    last = SectionAdoption.history.filter(id=pk).latest()
    assert (last.history_type, last.note, last.history_change_reason) == ("-", "سُجّل خطأً", "section withdrawn")
    with pytest.raises(ValidationError):
        withdraw_section(profile=general, section=Section.SERVICE_CONTROLS, reason="مرة أخرى", by=None)
    general, changed = load_policy_profile("general")
    assert not changed and not general.adopts(Section.SERVICE_CONTROLS)  # a reload does not undo it


def test_the_migration_gives_installed_profiles_their_texts_sections():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("charity.migrations.0008_section_adoption")
    general, _ = load_policy_profile("general")
    kafl, _ = load_policy_profile("kafl")
    SectionAdoption.objects.all().delete()
    migration.seed_adoptions(apps, None)
    assert set(PolicyProfile.objects.get(pk=general.pk).adoptions()) == ALL
    assert set(PolicyProfile.objects.get(pk=kafl.pk).adoptions()) == {Section.SATISFACTION}


# --- The pages ------------------------------------------------------------------------------


def _page(client, name) -> str:
    with translation.override("en"):
        return client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.rule("RT-9")
def test_kafl_charter_claims_no_approval_and_general_names_its_decision(client):
    load_policy_profile("kafl")
    page = client.get(reverse("charter")).content.decode()
    assert 'data-testid="section-status-charter" data-adopted="false"' in page
    assert 'data-testid="section-status-complaints" data-adopted="false"' in page
    assert "غير معتمد" in page and "24-45-8" not in page and "قرار مجلس الإدارة رقم" not in page
    load_policy_profile("general")
    page = client.get(reverse("charter")).content.decode()
    assert 'data-testid="section-status-charter" data-adopted="true"' in page
    assert "24-45-8" in page and "غير معتمد" not in page


def test_policy_page_lists_each_section_adopted_or_not(client, make_user):
    from charity.roles import Role

    client.force_login(make_user(Role.INTAKE))
    load_policy_profile("kafl")
    page = client.get(reverse("policy")).content.decode()
    for section in Section:
        adopted = "true" if section == Section.SATISFACTION else "false"
        assert f'data-testid="section-{section.value}" data-adopted="{adopted}"' in page
    assert "كما اعتمدتها الجمعية" not in page
    periods = page[page.index('data-testid="periods"'):]
    assert "لا يُجمَّد أي ملف" in periods  # SC-6, SC-12 not adopted
    load_policy_profile("general")
    page = client.get(reverse("policy")).content.decode()
    assert page.count('data-adopted="true"') == len(Section) and "24-45-8" in page
