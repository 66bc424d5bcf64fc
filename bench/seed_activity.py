"""Seed the activity of the bench's files with COPY, scaled by BENCH_FILES: per 100,000 files,
20,000 complaints, 500,000 disbursements, a freeze for each frozen file, an exclusion for each
excluded one, and a survey for every 25th paid disbursement; spread over 24 months.

Called by bench/seed.py inside its transaction, after the files (their ids and statuses are
given); bench/dashboard.py's own seeding then finds everything there and skips.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

from django.utils import timezone

from aid.models import Disbursement, Fund
from beneficiaries.policy import FileStatus
from charity import calendar
from charity.models import PolicyProfile
from complaints.models import Complaint, TrackingSequence
from complaints.policy import Kind, Ruling, Status, Topic
from eligibility.models import Exclusion, Freeze
from satisfaction.models import Service, Survey

from .copying import Table, next_id
from .environment import BENCH_FILES
from .identity import national_id

TODAY = dt.date(2026, 11, 24)
START = TODAY - dt.timedelta(days=730)
N_COMPLAINTS = BENCH_FILES // 5
N_DISBURSEMENTS = BENCH_FILES * 5
FUNDS = ["صندوق الزكاة", "صندوق الأيتام", "صندوق الإسكان", "صندوق التعليم", "صندوق الحالات الطارئة",
         "صندوق رمضان"]
SUBJECTS = ["تأخر صرف المساعدة", "سوء معاملة من موظف", "رفض الطلب دون سبب", "تأخر الزيارة الميدانية",
            "عدم الرد على الاتصالات", "خطأ في بيانات الملف"]
MODELS = [Complaint, Complaint.named_staff.through, Disbursement, Freeze, Exclusion, Survey]
_AWARE: dict = {}


def _aware(day: dt.date, hour: int = 10):
    """make_aware, cached: the seed asks for the same few hundred days millions of times."""
    key = (day, hour)
    if key not in _AWARE:
        _AWARE[key] = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return _AWARE[key]


def _complaint(rng, pk, n, received, cal, profile, staff, tracking):
    due = cal.add_working_days(received, profile.ruling_working_days)
    complaint = Complaint(
        pk=pk, tracking_number=tracking, code_hash="bench", kind=rng.choice(list(Kind)), topic=rng.choice(list(Topic)),
        complainant_name="سارة عبدالله محمد الدوسري", national_id=national_id(5 * BENCH_FILES + n),
        phone=f"+96650{n:07d}", subject=rng.choice(SUBJECTS), facts="تقدمت بطلب ثم تأخر الرد.",
        against="قسم الخدمات", harm="تأخر", reasons="لم يبلغني أحد", remedy="معالجة الطلب",
        incident_on=received - dt.timedelta(days=rng.randint(0, 25)), filed_at=_aware(received),
        received_on=received, clock_started_on=received, due_on=due, status=Status.UNDER_REVIEW,
        assigned_to=rng.choice(staff + [None]),
    )
    if (due < TODAY - dt.timedelta(days=20) and rng.random() < 0.97) or rng.random() < 0.3:
        ruled = cal.add_working_days(received, rng.choice([3, 8, 12, 14, 15, 16, 19, 25]))
        if ruled <= TODAY:
            complaint.status = rng.choice([Status.RULED, Status.NOTIFIED, Status.CLOSED])
            complaint.ruling, complaint.ruling_text = rng.choice(list(Ruling)), "ثبت ما ورد في الشكوى"
            complaint.ruled_on, complaint.ruled_at = ruled, _aware(ruled, 12)
    return complaint


def seed_complaints(rng, director, researchers, out) -> None:
    """Complaints received over 24 months, most ruled; every 97th names the director (CP-8)."""
    from django.db import connection

    profile = PolicyProfile.objects.active()
    cal = calendar.calendar_for(START - dt.timedelta(days=10), TODAY + dt.timedelta(days=120))
    staff = researchers[:5] + [director]
    days = sorted(START + dt.timedelta(days=rng.randint(0, (TODAY - START).days)) for _ in range(N_COMPLAINTS))
    fields = list(Complaint._meta.concrete_fields)
    first, sequence = next_id(Complaint), {}

    def rows():
        for n, received in enumerate(days):
            year = calendar.hijri_year(received)
            sequence[year] = sequence.get(year, 0) + 1
            complaint = _complaint(rng, first + n, n, received, cal, profile, staff, f"{year}-{sequence[year]:06d}")
            yield tuple(f.get_db_prep_save(getattr(complaint, f.attname), connection) for f in fields)

    Table(Complaint, [f.attname for f in fields]).load(rows())
    named = range(first, first + N_COMPLAINTS, 97)
    Table(Complaint.named_staff.through, ["complaint_id", "user_id"]).load((pk, director.pk) for pk in named)
    for year, last in sequence.items():
        TrackingSequence.objects.update_or_create(year=year, defaults={"last": last})
    out(f"  {N_COMPLAINTS:,} complaints ({len(named)} naming the director)")


def seed_disbursements(rng, manager, file_ids, out) -> list[tuple[int, int, dt.date]]:
    """Disbursements to files that were accepted; return (id, file, paid_on) of every 25th paid one."""
    funds = [Fund.objects.get_or_create(name=name, defaults={"purposes": ["general"]})[0].pk for name in FUNDS]
    statuses = [Disbursement.Status.PAID.value] * 17 + [Disbursement.Status.APPROVED.value,
                                                        Disbursement.Status.PROPOSED.value,
                                                        Disbursement.Status.CANCELLED.value]
    span, first, surveyed = (TODAY - START).days, next_id(Disbursement), []
    days = [START + dt.timedelta(days=d) for d in range(span + 1)]
    paid_count = 0

    def rows():
        nonlocal paid_count
        choice, randint = rng.choice, rng.randint
        for pk in range(first, first + N_DISBURSEMENTS):
            day, status, file_id = days[randint(0, span)], choice(statuses), choice(file_ids)
            fund, amount = choice(funds + [None]), Decimal(randint(200, 5000))
            if status == "paid":
                if paid_count % 25 == 0:
                    surveyed.append((pk, file_id, day))
                paid_count += 1
                yield (pk, file_id, "cash", "monthly", fund, amount, status, manager.pk,
                       _aware(day - dt.timedelta(days=3)), manager.pk, _aware(day - dt.timedelta(days=1)), day,
                       manager.pk, randint(1, 8))
            else:
                yield (pk, file_id, "cash", "monthly", fund, amount, status, manager.pk,
                       _aware(day - dt.timedelta(days=3)), None, None, None, None, randint(1, 8))

    names = ["id", "file_id", "kind", "purpose", "fund_id", "amount", "status", "proposed_by_id", "proposed_at",
             "approved_by_id", "approved_at", "paid_on", "paid_by_id", "household_size"]
    Table(Disbursement, names).load(rows(), out, 1_000_000)
    out(f"  {N_DISBURSEMENTS:,} disbursements")
    return surveyed


def seed_controls(rng, manager, files, out) -> None:
    """A freeze for each frozen file (SC-6 or SC-12, still running), an exclusion for each excluded one."""
    def freezes():
        for pk, status in files:
            if status == FileStatus.FROZEN:
                started = TODAY - dt.timedelta(days=rng.randint(0, 85))
                rule, months = rng.choice([("SC-6", 1), ("SC-12", 3)])
                yield (pk, rule, started, _aware(started), calendar.add_months(started, months), manager.pk)

    rules = ["SC-2", "SC-3", "SC-4", "SC-5", "SC-8", "SC-9", "SC-10", "SC-11"]

    def exclusions():
        for pk, status in files:
            if status == FileStatus.EXCLUDED:
                on = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days))
                yield (pk, rng.choice(rules), "محضر", manager.pk, _aware(on), on)

    frozen = Table(Freeze, ["file_id", "rule", "started_on", "created_at", "ends_on", "created_by_id"]).load(freezes())
    excluded = Table(Exclusion, ["file_id", "rule", "proof_note", "decided_by_id", "decided_at", "decided_on"]).load(
        exclusions())
    out(f"  {frozen:,} freezes, {excluded:,} exclusions")


def seed_surveys(rng, surveyed, out) -> None:
    """One survey for every 25th paid disbursement; four in five answered."""
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Disbursement).pk

    def rows():
        for pk, file_id, paid_on in surveyed:
            sent = _aware(paid_on, 18)
            answered = rng.random() < 0.8
            yield (Service.AID.value, kind, str(pk), file_id, hashlib.sha256(f"bench-{pk}".encode()).hexdigest(),
                   sent, sent + dt.timedelta(days=14), sent + dt.timedelta(hours=5) if answered else None,
                   rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 8, 6])[0] if answered else None)

    names = ["service", "content_type_id", "object_id", "file_id", "token_hash", "sent_at", "expires_at",
             "answered_at", "overall"]
    out(f"  {Table(Survey, names).load(rows()):,} surveys")


def seed(files, *, manager, director, researchers, out=print) -> None:
    """Seed every kind of activity; `files` is [(id, status)] of the seeded files."""
    accepted = {FileStatus.ACTIVE, FileStatus.FROZEN, FileStatus.EXCLUDED, FileStatus.CLOSED}
    file_ids = [pk for pk, status in files if status in accepted]
    seed_complaints(random.Random(1), director, researchers, out)
    surveyed = seed_disbursements(random.Random(2), manager, file_ids, out)
    seed_controls(random.Random(3), manager, files, out)
    seed_surveys(random.Random(4), surveyed, out)
