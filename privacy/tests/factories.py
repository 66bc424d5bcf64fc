"""Test data for privacy: households, complaints and requests, built through the services."""

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

import testdata
from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus, IncomeKind, Relationship
from charity.models import PolicyProfile
from complaints import services as complaint_services
from complaints.policy import Ruling
from eligibility import services as eligibility_services
from eligibility.controls import exclude_file
from privacy import services
from privacy.policy import RequestKind
from testdata import (
    NOW,
    TODAY,
    add_member,
    complete_documents,
    head_data,
    make_draft,
    pdf_upload,
    signed_cancellation_form,
    unique_national_id,
)

OLD_TODAY = dt.date(2014, 3, 10)
OLD_NOW = timezone.make_aware(dt.datetime(2014, 3, 10, 10, 0))
IBAN = "SA0380000000608010167519"
HEAD_NAME = ("نورة", "سعد", "ناصر", "العتيبي")
MEMBER_NAME = "خالد"


def household(by, *, members=1, today=TODAY, now=NOW, status=FileStatus.UNDER_STUDY, witness=False):
    """A submitted household: head (with income, IBAN and documents) and `members` sons named MEMBER_NAME."""
    first, father, grandfather, family = HEAD_NAME
    head = head_data(first_name=first, father_name=father, grandfather_name=grandfather, family_name=family)
    file = make_draft(by, today=today, head=head, iban=IBAN, mobile_alt="+966559876543", email="noura@example.com")
    head_member = file.members.get(relationship=Relationship.HEAD)
    file_services.save_income(file=file, data={"kind": IncomeKind.PENSION, "monthly_amount": Decimal("2100"),
                                               "member": head_member, "note": "تقاعد الزوج"})
    sons = [add_member(file, first_name=MEMBER_NAME) for _ in range(members)]
    if sons:
        file_services.save_income(file=file, data={"kind": IncomeKind.SALARY, "monthly_amount": Decimal("900"),
                                                   "member": sons[0], "note": "عمل جزئي"})
        file_services.upload_document(file=file, by=by, uploaded=pdf_upload(text="son"), doc_type="school_certificate",
                                      today=today, member=sons[0], expires_on=today + dt.timedelta(days=300))
    complete_documents(file, by, today)
    file_services.record_declaration(file=file, by=by, method="in_person", signed_by_name=head_member.full_name,
                                     signed_by_id_number=head_member.id_number, now=now)
    file = file_services.submit_application(file=file, by=by, profile=PolicyProfile.objects.active(), today=today,
                                            now=now)
    if witness:
        eligibility_services.add_witness(file=file, by=by, now=now, name="سارة محمد القحطاني",
                                         national_id=unique_national_id(), phone="+966501112233",
                                         statement="أعرف الأسرة منذ سنوات")
    if status != FileStatus.UNDER_STUDY:
        file = file_services.change_status(file=file, to=FileStatus.ACTIVE, now=now, reason="test: accepted")
    return file, head_member, sons


def excluded_household(by, *, today, now, **kwargs):
    """A household excluded on `today` (SC-3, at the beneficiary's request), built at that time."""
    with time_machine.travel(now, tick=False):
        file, head, sons = household(by, today=today, now=now, status=FileStatus.ACTIVE, **kwargs)
        exclude_file(file=file, rule="SC-3", by=by, today=today, now=now, profile=PolicyProfile.objects.active(),
                     proof_note="طلب خطي من المستفيدة بإلغاء الملف",
                     proof_document=signed_cancellation_form(file, by, today=today))
    file.refresh_from_db()
    return file, head, sons


def file_complaint(national_id: str, *, today=TODAY, now=NOW, **overrides):
    """A complaint by the head herself (HEAD_NAME), about the file of `national_id`."""
    return testdata.file_complaint(today=today, now=now,
                                   **{"national_id": national_id, "complainant_name": " ".join(HEAD_NAME), **overrides})


def closed_complaint(national_id: str, by, *, today, now, **overrides):
    """A complaint filed, ruled, notified and closed at `now`."""
    with time_machine.travel(now, tick=False):
        complaint = file_complaint(national_id, today=today, now=now, **overrides)
        complaint_services.rule(complaint=complaint, by=by, ruling=Ruling.UPHELD, text="يصرف المستحق", now=now,
                                today=today)
        complaint_services.notify_result(complaint=complaint, by=by, now=now)
        complaint = complaint_services.close(complaint=complaint, by=by, now=now, reason="تم الحل")
    return complaint


def make_request(by, national_id, *, kind=RequestKind.ACCESS, received_on=TODAY, now=NOW, **overrides):
    fields = {"requester_name": "نورة سعد العتيبي", "contact": "0551234567", "details": "أطلب نسخة من بياناتي"}
    fields.update(overrides)
    return services.record_request(by=by, kind=kind, national_id=national_id, received_on=received_on,
                                   today=max(received_on, TODAY), now=now, **fields)
