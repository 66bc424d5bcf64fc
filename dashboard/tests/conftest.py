"""Seeded data for the dashboard's tests, built through the services (files, freezes,
exclusions, complaints); aid and surveys are written with the ORM. Each builder returns what
it made, so that a test counts the expected figures itself, without the dashboard's queries."""

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

import testdata
from aid.models import Disbursement, Fund
from beneficiaries import services as file_services
from charity.models import PolicyProfile
from complaints import services as complaint_services
from complaints.models import Complaint
from complaints.policy import Ruling
from eligibility import controls
from satisfaction.models import Service, Survey
from testdata import NOW, TODAY, make_active, make_draft, make_submitted, signed_cancellation_form

_serial = itertools.count(1)


def file_complaint(received_on: dt.date, *, today: dt.date = TODAY) -> Complaint:
    """A complaint received on `received_on`, on time: its ruling clock starts that day (CP-7)."""
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    return testdata.file_complaint(received_on=received_on, today=today, now=now)


def rule_complaint(complaint: Complaint, by, on: dt.date) -> Complaint:
    now = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    return complaint_services.rule(complaint=complaint, by=by, ruling=Ruling.UPHELD, text="ثبت التأخير", now=now,
                                   today=on)


def pay(file, by, fund, amount: str, paid_on: dt.date, status=Disbursement.Status.PAID) -> Disbursement:
    at = timezone.make_aware(dt.datetime.combine(paid_on, dt.time(9)))
    return Disbursement.objects.create(
        file=file, kind=Disbursement.Kind.CASH, purpose="monthly", fund=fund, amount=Decimal(amount),
        status=status, proposed_by=by, proposed_at=at, approved_by=by, approved_at=at,
        paid_on=paid_on if status == Disbursement.Status.PAID else None, paid_by=by,
    )


def survey(event, *, service: str, file, sent_on: dt.date, overall: int | None) -> Survey:
    sent = timezone.make_aware(dt.datetime.combine(sent_on, dt.time(10)))
    return Survey.objects.create(
        service=service, content_type=ContentType.objects.get_for_model(event), object_id=str(event.pk), file=file,
        token_hash=hashlib.sha256(f"token-{next(_serial)}".encode()).hexdigest(), sent_at=sent,
        expires_at=sent + dt.timedelta(days=14), answered_at=sent + dt.timedelta(hours=3) if overall else None,
        overall=overall,
    )


@dataclass
class Seeded:
    """What `seed` made, as plain lists a test counts from."""

    applicants: list = field(default_factory=list)
    under_study: list = field(default_factory=list)
    overdue_files: list = field(default_factory=list)
    active: list = field(default_factory=list)
    frozen_soon: list = field(default_factory=list)
    frozen_later: list = field(default_factory=list)
    excluded: dict = field(default_factory=dict)
    complaints_overdue: list = field(default_factory=list)
    complaints_due_week: list = field(default_factory=list)
    complaints_later: list = field(default_factory=list)
    ruled: list = field(default_factory=list)  # (complaint, on time?)
    closed: list = field(default_factory=list)
    paid: list = field(default_factory=list)
    funds: list = field(default_factory=list)
    surveys: list = field(default_factory=list)


def seed(staff, scale: int = 1) -> Seeded:
    """A small association's month: `scale` copies of every kind of file, complaint, payment and survey."""
    profile = PolicyProfile.objects.active()
    intake, manager = staff["intake"], staff["manager"]
    out = Seeded()
    out.funds = [Fund.objects.create(name="صندوق الزكاة"), Fund.objects.create(name="صندوق الأيتام")]
    for n in range(scale):
        out.applicants.append(make_draft(intake, categories=("widow",)))
        out.under_study.append(make_submitted(intake, categories=("orphan",)))
        out.overdue_files.append(make_submitted(intake, today=TODAY - dt.timedelta(days=20), categories=("widow",)))
        active = make_active(intake, categories=("widow", "orphan"))
        file_services.assign_researcher(file=active, researcher=staff["researcher"], by=manager, now=NOW)
        out.active.append(active)
        _seed_controls(out, staff, profile)
        _seed_complaints(out, staff)
        _seed_aid_and_surveys(out, staff, n)
    return out


def _seed_controls(out: Seeded, staff, profile) -> None:
    intake, manager = staff["intake"], staff["manager"]
    soon = make_active(intake)
    file_services.assign_researcher(file=soon, researcher=staff["researcher2"], by=manager, now=NOW)
    # SC-6: one month from 27/10 ends on 27/11, three days after TODAY.
    controls.freeze_file(file=soon, rule="SC-6", by=manager, today=dt.date(2026, 10, 27), now=NOW, profile=profile)
    out.frozen_soon.append(soon)
    later = make_active(intake)
    controls.freeze_file(file=later, rule="SC-12", by=manager, today=TODAY, now=NOW, profile=profile)
    out.frozen_later.append(later)
    for rule, on in (("SC-3", TODAY), ("SC-5", TODAY - dt.timedelta(days=10)), ("SC-3", dt.date(2026, 10, 20))):
        file = make_active(intake)
        signed = signed_cancellation_form(file, manager) if rule == "SC-3" else None  # SC-3: the signed form
        controls.exclude_file(file=file, rule=rule, by=manager, today=on, now=NOW, profile=profile,
                              proof_note="محضر موقع", proof_document=signed)
        out.excluded.setdefault(rule, []).append((file, on))


def _seed_complaints(out: Seeded, staff) -> None:
    director = staff["director"]
    out.complaints_overdue.append(file_complaint(TODAY - dt.timedelta(days=40)))
    out.complaints_due_week.append(file_complaint(TODAY - dt.timedelta(days=16)))
    out.complaints_later.append(file_complaint(TODAY))
    # CP-2: filed late, the excuse refused: closed.
    late_filing = testdata.file_complaint(incident_on=TODAY - dt.timedelta(days=45), excuse="كنت مريضة")
    out.closed.append(complaint_services.decide_excuse(complaint=late_filing, by=director, accept=False,
                                                       reason="لا عذر", now=NOW, today=TODAY,
                                                       profile=PolicyProfile.objects.active()))
    # Ruled in October: one within its period, one after it.
    on_time = file_complaint(dt.date(2026, 10, 1), today=dt.date(2026, 10, 1))
    out.ruled.append((rule_complaint(on_time, director, dt.date(2026, 10, 8)), True))
    late = file_complaint(dt.date(2026, 9, 20), today=dt.date(2026, 9, 20))
    out.ruled.append((rule_complaint(late, director, dt.date(2026, 10, 28)), False))
    # Ruled in November, on time.
    november = file_complaint(dt.date(2026, 11, 2), today=dt.date(2026, 11, 2))
    out.ruled.append((rule_complaint(november, director, dt.date(2026, 11, 10)), True))


def _seed_aid_and_surveys(out: Seeded, staff, n: int) -> None:
    manager = staff["manager"]
    file = out.active[-1]
    zakat, orphans = out.funds
    out.paid += [pay(file, manager, zakat, "1000.00", dt.date(2026, 10, 5)),
                 pay(file, manager, zakat, "250.50", dt.date(2026, 11, 3)),
                 pay(file, manager, orphans, "400.00", dt.date(2026, 11, 15)),
                 pay(file, manager, None, "75.00", dt.date(2026, 11, 20))]
    pay(file, manager, zakat, "999.00", dt.date(2026, 11, 20), status=Disbursement.Status.APPROVED)  # not paid
    out.surveys += [survey(out.paid[-4], service=Service.AID, file=file, sent_on=dt.date(2026, 10, 6), overall=4),
                    survey(out.paid[-3], service=Service.AID, file=file, sent_on=dt.date(2026, 11, 4), overall=5),
                    survey(out.paid[-2], service=Service.AID, file=file, sent_on=dt.date(2026, 11, 16), overall=2)]
    survey(out.paid[-1], service=Service.AID, file=file, sent_on=dt.date(2026, 11, 21), overall=None)  # unanswered


__all__ = ["NOW", "TODAY", "Seeded", "file_complaint", "pay", "rule_complaint", "seed", "survey"]
