"""The file page (household, income, documents, history, access log, fixed query count) and
the printable researcher card (RT-7, RT-8)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import DocumentType, FileStatus, Gender, Relationship, SchoolStage
from beneficiaries.views.files import age_on, mask_iban
from charity.models import AccessLog
from charity.roles import Role
from testdata import (
    NOW,
    TODAY,
    add_member,
    make_active,
    make_draft,
    make_submitted,
    pdf_upload,
)

from .helpers import IBAN, page_of

pytestmark = pytest.mark.django_db


@pytest.mark.rule("RT-10")
def test_file_page_masks_the_iban_rt10(profile, manager, client):
    """RT-10: the IBAN shows only its last four characters."""
    file = make_draft(manager, iban=IBAN)
    client.force_login(manager)
    page = page_of(client, file)
    assert IBAN not in page and IBAN[4:] not in page
    assert "7519" in page and mask_iban(IBAN) in page
    assert mask_iban("") == "" and mask_iban(IBAN).endswith("7519") and len(mask_iban(IBAN)) == len(IBAN)


def test_file_page_shows_household_with_ages_and_former_members(profile, manager, client):
    file = make_draft(manager)
    add_member(file, first_name="ريم", relationship=Relationship.DAUGHTER, gender=Gender.FEMALE,
               birth_date=dt.date(2014, 12, 1), school_stage=SchoolStage.PRIMARY, has_disability=True,
               disability="ضعف سمع", health_conditions="ربو")
    former = add_member(file, first_name="خالد")
    services.mark_member_left(member=former, on=TODAY)
    with time_machine.travel(NOW, tick=False):
        client.force_login(manager)
        page = page_of(client, file)
    assert page.count('data-testid="member-row"') == 2 and page.count('data-testid="former-member"') == 1
    assert "ريم" in page and "ضعف سمع" in page and "ربو" in page
    assert '<span class="ltr-data">11</span>' in page  # born 2014-12-01, seen 2026-11-24
    assert age_on(dt.date(1980, 11, 24), TODAY) == 46 and age_on(dt.date(1980, 11, 25), TODAY) == 45


def test_file_page_totals_income_per_member(profile, manager, client):
    file = make_draft(manager)
    add_member(file)
    add_member(file)
    services.save_income(file=file, data={"kind": "salary", "monthly_amount": Decimal("3000")})
    services.save_income(file=file, data={"kind": "social_security", "monthly_amount": Decimal("1500")})
    services.save_income(file=file, data={"kind": "pension", "monthly_amount": Decimal("999"), "ended_on": TODAY})
    client.force_login(manager)
    page = page_of(client, file)
    assert 'data-testid="income-total"><span class="ltr-data">4500.00</span>' in page
    assert 'data-testid="income-per-member"><span class="ltr-data">1500.00</span>' in page


@pytest.mark.rule("DU-1", "IN-2")
def test_file_page_lists_documents_with_expired_badge_and_links(profile, manager, client):
    """DU-1, IN-2: each document with its dates, uploader and a download link; expired ones marked."""
    file = make_active(manager)
    soon = services.upload_document(file=file, by=manager, uploaded=pdf_upload(), doc_type=DocumentType.MEDICAL_REPORT,
                                    today=TODAY, issued_on=TODAY - dt.timedelta(days=10), expires_on=TODAY)
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        client.force_login(manager)
        page = page_of(client, file)
    assert reverse("beneficiaries:document_download", args=[soon.pk]) in page
    assert page.count('data-testid="document-expired"') == 1
    assert reverse("beneficiaries:document_upload", args=[file.pk]) in page
    assert page.count('data-testid="declaration"') == 1


@pytest.mark.rule("RT-7", "RT-8")
def test_file_page_shows_the_researcher_rt7_rt8(profile, manager, researcher, client):
    """RT-7, RT-8: name, job title, work phone and email of the researcher, and the history."""
    file = make_submitted(manager)
    services.assign_researcher(file=file, researcher=researcher, by=manager, now=NOW)
    client.force_login(manager)
    page = page_of(client, file)
    for text in ["نورة العتيبي", "باحثة اجتماعية أولى", "0112345678", "noura@charity.example"]:
        assert text in page
    assert reverse("beneficiaries:researcher_card", args=[file.pk]) in page
    assert 'data-testid="assignments"' in page
    assert reverse("beneficiaries:assign_researcher", args=[file.pk]) in page


def test_file_page_links_depend_on_permissions(profile, manager, make_user, researcher, client):
    file = make_submitted(manager)
    services.assign_researcher(file=file, researcher=researcher, by=manager, now=NOW)
    links = {"beneficiaries:assign_researcher", "beneficiaries:researcher_request", "beneficiaries:refer_to_manager",
             "beneficiaries:record_change", "beneficiaries:document_upload"}
    client.force_login(manager)
    page = page_of(client, file)
    assert all(reverse(name, args=[file.pk]) in page for name in links)
    client.force_login(researcher)
    page = page_of(client, file)
    assert reverse("beneficiaries:assign_researcher", args=[file.pk]) not in page
    assert reverse("beneficiaries:record_change", args=[file.pk]) in page
    client.force_login(make_user(Role.COMMITTEE))
    page = page_of(client, file)
    assert not any(reverse(name, args=[file.pk]) in page for name in links)


def test_file_page_of_a_draft_links_to_continue_registration(profile, manager, client):
    draft, submitted = make_draft(manager), make_submitted(manager)
    client.force_login(manager)
    page = page_of(client, draft)
    assert reverse("beneficiaries:intake_step", args=[draft.pk, "contact"]) in page
    assert reverse("beneficiaries:receipt", args=[draft.pk]) not in page
    page = page_of(client, submitted)
    assert reverse("beneficiaries:receipt", args=[submitted.pk]) in page
    assert reverse("beneficiaries:intake_step", args=[submitted.pk, "contact"]) not in page
    assert 'data-status="under_study"' in page


def test_file_page_shows_the_change_history(profile, manager, client):
    file = make_draft(manager)
    services.update_file(file=file, by=manager, expected_version=file.version, changes={"city": "الرياض",
                         "district": "الملز"}, reason="DU-4 new district")
    client.force_login(manager)
    page = page_of(client, file)
    with translation.override("ar"):
        label = str(BeneficiaryFile._meta.get_field("district").verbose_name)
        created = translation.gettext("File created")
    rows = re.findall(r'<tr data-testid="history-row">(.*?)</tr>', page, re.S)
    assert len(rows) >= 2 and created in rows[-1]
    assert label in rows[0] and "DU-4 new district" in rows[0]  # newest first: the field that changed, the reason
    assert str(BeneficiaryFile._meta.get_field("city").verbose_name) not in rows[0]


@pytest.mark.rule("IN-5")
def test_file_page_tells_the_history_reasons_in_the_readers_language(profile, manager, client):
    """The services store language-neutral codes («IN-5 submitted», «status → active»); the page
    says them in the reader's language, never as the raw code."""
    file = services.change_status(file=make_submitted(manager), to=FileStatus.ACTIVE, now=NOW)
    client.force_login(manager)
    page = page_of(client, file)
    reasons = [re.findall(r"<td>(.*?)</td>", row, re.S)[-1].strip()
               for row in re.findall(r'<tr data-testid="history-row">(.*?)</tr>', page, re.S)]
    with translation.override("ar"):
        active = str(FileStatus.ACTIVE.label)
    assert reasons[:2] == [f"تغيّرت الحالة إلى «{active}»", "قُدّم الطلب للدراسة (IN-5)"], reasons
    assert "IN-5 submitted" not in page and "status →" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page_of(client, file)
    assert "Application submitted for study (IN-5)" in english and "Status changed to «Active»" in english


def test_file_page_history_is_limited_to_twenty(profile, manager, client):
    file = make_draft(manager)
    for n in range(25):
        file = services.update_file(file=file, by=manager, expected_version=file.version,
                                    changes={"housing_notes": f"note {n}"})
    client.force_login(manager)
    assert page_of(client, file).count('data-testid="history-row"') == 20


@pytest.mark.rule("RT-6", "RT-10")
def test_file_page_logs_every_view_rt6(profile, manager, client):
    """RT-6, RT-10: each view of the file page writes one access-log row."""
    file = make_draft(manager)
    client.force_login(manager)
    page_of(client, file)
    page_of(client, file)
    rows = AccessLog.objects.filter(object_id=str(file.pk), action=AccessLog.Action.VIEW, user=manager)
    assert rows.count() == 2


@pytest.mark.rule("RT-7", "RT-8")
def test_researcher_card_shows_name_title_phone_rt7_rt8(profile, manager, researcher, client):
    file = make_submitted(manager)
    services.assign_researcher(file=file, researcher=researcher, by=manager, now=NOW)
    client.force_login(manager)
    response = client.get(reverse("beneficiaries:researcher_card", args=[file.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="card-researcher-name">نورة العتيبي<' in page
    assert 'data-testid="card-researcher-title">باحثة اجتماعية أولى<' in page
    assert 'data-testid="card-researcher-phone">0112345678<' in page
    assert file.number in page and profile.name_ar in page
    assert "<script" not in page
    assert AccessLog.objects.filter(action=AccessLog.Action.PRINT, object_id=str(file.pk)).count() == 1


def test_researcher_card_is_404_without_a_researcher(profile, manager, client):
    file = make_submitted(manager)
    client.force_login(manager)
    assert client.get(reverse("beneficiaries:researcher_card", args=[file.pk])).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.PRINT).exists()


def test_file_page_query_count_does_not_grow_with_its_records(profile, manager, researcher, client):
    """The file page reads each section in a fixed number of queries, however long the file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(file):
        with CaptureQueriesContext(connection) as queries:
            page_of(client, file)
        return len(queries)

    small, large = make_active(manager), make_active(manager)
    for file in (small, large):
        services.assign_researcher(file=file, researcher=researcher, by=manager, now=NOW)
    for _ in range(4):
        member = add_member(large)
        services.save_income(file=large, data={"kind": "salary", "monthly_amount": Decimal("100"), "member": member})
        services.upload_document(file=large, by=manager, uploaded=pdf_upload(), doc_type=DocumentType.OTHER,
                                 today=TODAY, member=member)
        services.refer_to_manager(file=large, by=manager, question="سؤال", now=NOW)
        services.record_change(file=large, by=manager, kind="phone", reported_on=TODAY, description="رقم جديد",
                               today=TODAY)
    client.force_login(manager)
    count(small)  # warm the per-request caches (permissions, profile)
    assert count(large) == count(small)
