"""Data-subject requests through the services (PDPL): recording, export, correction, refusal."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from beneficiaries import services as file_services
from beneficiaries.validators import NATIONAL_ID_CHECKSUM
from charity.roles import Role
from complaints import services as complaint_services
from privacy import services
from privacy.models import DataSubjectRequest
from privacy.policy import RequestKind, RequestStatus
from testdata import NOW, TODAY, national_id

from .factories import file_complaint, household, make_request

pytestmark = pytest.mark.django_db
EARLIER = NOW - dt.timedelta(days=3)


def test_pdpl_a_request_stores_its_due_date_30_days_after_receipt(handler):
    dsr = make_request(handler, national_id("1", 3), received_on=dt.date(2026, 11, 10))
    assert (dsr.status, dsr.due_on, dsr.recorded_by) == (RequestStatus.OPEN, dt.date(2026, 12, 10), handler)
    assert dsr.history.count() == 1


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"national_id": "1000000000"}, "national_id", NATIONAL_ID_CHECKSUM),
    ({"requester_name": "  "}, "requester_name", services.FIELD_REQUIRED),
    ({"contact": ""}, "contact", services.FIELD_REQUIRED),
    ({"received_on": TODAY + dt.timedelta(days=1)}, "received_on", services.RECEIVED_IN_FUTURE),
])
def test_pdpl_a_request_with_bad_input_is_refused_and_nothing_is_saved(handler, overrides, field, message):
    values = {"kind": RequestKind.ACCESS, "national_id": national_id("1", 4), "requester_name": "هند علي سالم",
              "contact": "0551234567", "received_on": TODAY, **overrides}
    with pytest.raises(ValidationError) as excinfo:
        services.record_request(by=handler, today=TODAY, now=NOW, **values)
    assert excinfo.value.message_dict[field] == [str(message)]
    assert not DataSubjectRequest.objects.exists()


def test_pdpl_an_access_request_is_completed_only_after_its_export(manager, handler):
    _file, head, _ = household(manager)
    dsr = make_request(handler, head.id_number)
    with pytest.raises(ValidationError) as excinfo:
        services.complete_request(request=dsr, by=handler, now=NOW, outcome="سُلّمت النسخة")
    assert excinfo.value.messages == [str(services.EXPORT_FIRST)]

    dsr = services.prepare_export(request=dsr, by=handler, now=NOW)
    assert dsr.export_file.name.endswith(".zip") and head.id_number not in dsr.export_file.name
    assert dsr.export_file.size > 0 and len(dsr.export_sha256) == 64
    dsr = services.complete_request(request=dsr, by=handler, now=NOW, outcome="سُلّمت النسخة")
    assert (dsr.status, dsr.completed_at, dsr.handled_by) == (RequestStatus.COMPLETED, NOW, handler)


def test_pdpl_only_an_access_request_has_an_export(handler):
    dsr = make_request(handler, national_id("1", 5), kind=RequestKind.ERASURE)
    with pytest.raises(ValidationError):
        services.prepare_export(request=dsr, by=handler, now=NOW)
    assert not DataSubjectRequest.objects.get().export_file


@pytest.mark.rule("CP-8")
def test_cp8_staff_named_in_the_persons_complaint_cannot_prepare_their_export(manager, handler, make_user):
    _file, head, _ = household(manager)
    complaint = file_complaint(head.id_number)
    colleague = make_user(Role.DIRECTOR, username="deputy")
    complaint_services.name_staff(complaint=complaint, by=colleague, staff=[handler])
    dsr = make_request(handler, head.id_number)
    with pytest.raises(ValidationError) as excinfo:
        services.prepare_export(request=dsr, by=handler, now=NOW)
    assert excinfo.value.messages == [str(services.NAMED_IN_COMPLAINT)]
    assert not DataSubjectRequest.objects.get().export_file


def test_pdpl_correction_lifecycle_links_the_change_shown_in_the_files_history(manager, handler):
    with time_machine.travel(EARLIER, tick=False):
        file, _head, sons = household(manager)
    with time_machine.travel(NOW, tick=False):
        dsr = make_request(handler, _head.id_number, kind=RequestKind.CORRECTION,
                           details="اسم ابني خالد مكتوب خطأ")
        assert services.correction_candidates(dsr, handler) == []
        with pytest.raises(ValidationError) as excinfo:
            services.complete_request(request=dsr, by=handler, now=NOW, outcome="صُحح")
        assert excinfo.value.message_dict["correction"] == [str(services.CORRECTION_REQUIRED)]

        file_services.save_member(file=file, member=sons[0], data={"first_name": "خالدٌ"})
        [candidate] = services.correction_candidates(dsr, handler)
        assert candidate.file_id == file.pk and file.number in candidate.label

        dsr = services.complete_request(request=dsr, by=handler, now=NOW, outcome="صُحح الاسم",
                                        correction=candidate.value)
    assert (dsr.status, dsr.corrected_file, dsr.correction_history_id) == (
        RequestStatus.COMPLETED, file, candidate.record.history_id)
    assert sons[0].history.filter(history_id=dsr.correction_history_id, first_name="خالدٌ").exists()
    assert file.number in services.linked_correction(dsr)
    with pytest.raises(ValidationError):
        services.refuse_request(request=dsr, by=handler, now=NOW, reasons="متأخر")


def test_pdpl_a_correction_cannot_link_a_change_the_handler_may_not_see(manager, handler, make_user):
    with time_machine.travel(EARLIER, tick=False):
        file, head, sons = household(manager)
    with time_machine.travel(NOW, tick=False):
        dsr = make_request(handler, head.id_number, kind=RequestKind.CORRECTION)
        file_services.save_member(file=file, member=sons[0], data={"first_name": "خالدٌ"})
    [candidate] = services.correction_candidates(dsr, handler)
    admin = make_user(Role.ADMIN, username="sysadmin")  # handle_requests, as every permission
    assert services.correction_candidates(dsr, admin) == []  # RT-6, RT-10: not in the admin's scope
    with pytest.raises(ValidationError) as excinfo:
        services.complete_request(request=dsr, by=admin, now=NOW, outcome="صُحح", correction=candidate.value)
    assert excinfo.value.message_dict["correction"] == [str(services.CORRECTION_UNKNOWN)]
    assert DataSubjectRequest.objects.get().status == RequestStatus.OPEN


@pytest.mark.rule("RT-4")
def test_rt4_a_refusal_needs_reasons_and_keeps_them(handler):
    dsr = make_request(handler, national_id("1", 6), kind=RequestKind.ERASURE)
    with pytest.raises(ValidationError):
        services.refuse_request(request=dsr, by=handler, now=NOW, reasons="  ")
    assert DataSubjectRequest.objects.get().status == RequestStatus.OPEN
    dsr = services.refuse_request(request=dsr, by=handler, now=NOW, reasons="الملف مفتوح ويُخدم حالياً")
    assert (dsr.status, dsr.outcome, dsr.completed_at) == (RequestStatus.REFUSED, "الملف مفتوح ويُخدم حالياً", NOW)


@pytest.mark.rule("RT-4")
def test_rt4_the_database_refuses_a_refusal_without_reasons(handler):
    dsr = make_request(handler, national_id("1", 7))
    with pytest.raises(IntegrityError):
        DataSubjectRequest.objects.filter(pk=dsr.pk).update(status=RequestStatus.REFUSED, completed_at=NOW)
