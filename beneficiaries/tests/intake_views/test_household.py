"""The household and income steps: members never deleted, incomes ended, the IBAN checked."""

import datetime as dt

import pytest

from beneficiaries import errors, validators
from beneficiaries.models import Member
from testdata import TODAY, make_draft, member_form_data

from .helpers import BAD_IBAN, ar, housing_data, step_url

pytestmark = pytest.mark.django_db


def test_household_duplicate_member_refused(desk, intake):
    file = make_draft(intake)
    head = file.members.get()
    response = desk.post(step_url(file, "household"), member_form_data(**{"member-id_number": head.id_number}))
    assert ar(errors.MEMBER_IN_FILE) in response.content.decode()
    assert file.members.count() == 1


def test_household_member_in_other_open_file_warns(desk, intake):
    other = make_draft(intake)
    response = desk.post(step_url(make_draft(intake), "household"),
                         member_form_data(**{"member-id_number": other.head_id_number}), follow=True)
    assert Member.objects.filter(id_number=other.head_id_number).count() == 2
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_household_edit_and_mark_left_never_deletes(desk, intake):
    file = make_draft(intake)
    desk.post(step_url(file, "household"), member_form_data())
    son = file.members.get(relationship="son")
    edit = member_form_data(**{"member-id_number": son.id_number, "member-first_name": "سلطان", "member_id": son.pk})
    assert desk.post(step_url(file, "household"), edit).status_code == 302
    son.refresh_from_db()
    assert son.first_name == "سلطان"
    response = desk.post(step_url(file, "household"), {"action": "left", "member_id": son.pk,
                                                       "left-on": "2026-11-20"})
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.left_household_on == dt.date(2026, 11, 20) and Member.objects.filter(pk=son.pk).exists()
    head = file.members.get(relationship="head")
    desk.post(step_url(file, "household"), {"action": "left", "member_id": head.pk, "left-on": "2026-11-20"})
    head.refresh_from_db()
    assert head.is_current


# --- Income and IBAN ------------------------------------------------------------------------


def test_income_wrong_iban_saves_nothing(desk, intake):
    file = make_draft(intake)
    response = desk.post(step_url(file, "income"), housing_data(file, **{"housing-iban": BAD_IBAN,
                                                                         "housing-housing_type": "family"}))
    assert ar(validators.IBAN_CHECKSUM) in response.content.decode()
    file.refresh_from_db()
    assert (file.iban, file.housing_type) == ("", "owned")


def test_income_ended_not_deleted(desk, intake):
    file = make_draft(intake)
    desk.post(step_url(file, "income"), {"action": "income", "income-kind": "salary", "income-monthly_amount": "3000"})
    income = file.incomes.get()
    desk.post(step_url(file, "income"), {"action": "end_income", "income_id": income.pk})
    income.refresh_from_db()
    assert income.ended_on == TODAY
