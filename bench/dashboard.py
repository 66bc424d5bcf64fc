"""`python -m bench.dashboard`: the executive director's dashboard at scale, on PostgreSQL.

Seeds once (deterministic, bulk_create in batches of 5,000): the 100,000 files of bench/seed.py
(reused when helper B's bench already made them), then 20,000 complaints, 500,000 disbursements,
and the freezes, exclusions and surveys of the seeded files, spread over 24 months. Then GETs
the dashboard 100 times as an executive director with the Django test client and reports the
p50/p95 server time and the number of queries (CaptureQueriesContext).

Targets: p95 ≤ 300 ms and ≤ 25 queries, the same number on every request.
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/charity_bench); --explain prints
EXPLAIN ANALYZE of the slowest statements of one request.
"""

import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from itertools import islice
from urllib.parse import urlsplit

from .environment import BENCH_ENVIRONMENT, BENCH_FILES, DEFAULT_URL, ensure_database

TODAY = dt.date(2026, 11, 24)  # bench/seed.py's TODAY (that module needs Django set up to import)
START = TODAY - dt.timedelta(days=730)  # 24 months of activity up to bench/seed.py's day
N_COMPLAINTS = BENCH_FILES // 5  # 20,000 for the default 100,000 files
N_DISBURSEMENTS = BENCH_FILES * 5  # 500,000 for the default 100,000 files
MONTHS = 24
BATCH = 5_000
REQUESTS = 100
WARM_UP = 5
TARGET_P95_MS = 300.0
TARGET_QUERIES = 25
FUNDS = ["صندوق الزكاة", "صندوق الأيتام", "صندوق الإسكان", "صندوق التعليم", "صندوق الحالات الطارئة",
         "صندوق رمضان"]
SUBJECTS = ["تأخر صرف المساعدة", "سوء معاملة من موظف", "رفض الطلب دون سبب", "تأخر الزيارة الميدانية",
            "عدم الرد على الاتصالات", "خطأ في بيانات الملف"]


def _batches(iterable, size=BATCH):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _aware(day: dt.date, hour: int = 10):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _director():
    """The bench's executive director, with the dashboard permission (roles.py may lack it)."""
    from django.contrib.auth.models import Group, Permission

    from charity.models import User
    from charity.roles import Role

    director, created = User.objects.get_or_create(username="bench-director",
                                                   defaults={"first_name": "المدير", "last_name": "التنفيذي"})
    if created:
        director.set_unusable_password()
        director.save()
        director.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    permission = Permission.objects.get(codename="view_dashboard", content_type__app_label="dashboard")
    director.user_permissions.add(permission)
    return User.objects.get(pk=director.pk)


# --- Seeding --------------------------------------------------------------------------------


def _complaint(rng, n, received, cal, profile, staff, tracking):
    from complaints.models import Complaint
    from complaints.policy import Kind, Ruling, Status, Topic

    from .seed import national_id

    due = cal.add_working_days(received, profile.ruling_working_days)
    complaint = Complaint(
        tracking_number=tracking, code_hash="bench", kind=rng.choice(list(Kind)), topic=rng.choice(list(Topic)),
        complainant_name="سارة عبدالله محمد الدوسري", national_id=national_id(500_000 + n), phone=f"+96650{n:07d}",
        subject=rng.choice(SUBJECTS), facts="تقدمت بطلب ثم تأخر الرد.", against="قسم الخدمات", harm="تأخر",
        reasons="لم يبلغني أحد", remedy="معالجة الطلب", incident_on=received - dt.timedelta(days=rng.randint(0, 25)),
        filed_at=_aware(received), received_on=received, clock_started_on=received, due_on=due,
        status=Status.UNDER_REVIEW, assigned_to=rng.choice(staff + [None]),
    )
    if (due < TODAY - dt.timedelta(days=20) and rng.random() < 0.97) or rng.random() < 0.3:
        ruled = cal.add_working_days(received, rng.choice([3, 8, 12, 14, 15, 16, 19, 25]))
        if ruled <= TODAY:
            complaint.status = rng.choice([Status.RULED, Status.NOTIFIED, Status.CLOSED])
            complaint.ruling, complaint.ruling_text = rng.choice(list(Ruling)), "ثبت ما ورد في الشكوى"
            complaint.ruled_on, complaint.ruled_at = ruled, _aware(ruled, 12)
    return complaint


def seed_complaints(rng, director, out) -> bool:
    from charity import calendar
    from charity.models import PolicyProfile, User
    from complaints.models import Complaint, TrackingSequence

    if Complaint.objects.filter(code_hash="bench").count() >= N_COMPLAINTS:
        return False
    profile = PolicyProfile.objects.active()
    cal = calendar.calendar_for(START - dt.timedelta(days=10), TODAY + dt.timedelta(days=120))
    staff = list(User.objects.filter(username__startswith="bench-researcher")[:5]) + [director]
    days = sorted(START + dt.timedelta(days=rng.randint(0, (TODAY - START).days)) for _ in range(N_COMPLAINTS))
    sequence: dict[int, int] = {}
    rows = []
    for n, received in enumerate(days):
        year = calendar.hijri_year(received)
        sequence[year] = sequence.get(year, 0) + 1
        rows.append(_complaint(rng, n, received, cal, profile, staff, f"{year}-{sequence[year]:06d}"))
    for batch in _batches(rows):
        Complaint.objects.bulk_create(batch, batch_size=BATCH)
    Named = Complaint.named_staff.through  # noqa: N806 (CP-8: a few name the director)
    named = Complaint.objects.filter(code_hash="bench").order_by("pk").values_list("pk", flat=True)[::97]
    Named.objects.bulk_create([Named(complaint_id=pk, user_id=director.pk) for pk in named], batch_size=BATCH)
    for year, last in sequence.items():
        TrackingSequence.objects.update_or_create(year=year, defaults={"last": last})
    out(f"  {len(rows):,} complaints ({len(named)} naming the director)")
    return True


def seed_disbursements(rng, manager, file_ids, out) -> bool:
    from aid.models import Disbursement, Fund

    funds = [Fund.objects.get_or_create(name=name, defaults={"purposes": ["general"]})[0] for name in FUNDS]
    if Disbursement.objects.count() >= N_DISBURSEMENTS:
        return False
    statuses = [Disbursement.Status.PAID] * 17 + [Disbursement.Status.APPROVED, Disbursement.Status.PROPOSED,
                                                  Disbursement.Status.CANCELLED]
    span = (TODAY - START).days

    def rows():
        for _n in range(N_DISBURSEMENTS):
            day = START + dt.timedelta(days=rng.randint(0, span))
            status = rng.choice(statuses)
            paid = status == Disbursement.Status.PAID
            yield Disbursement(
                file_id=rng.choice(file_ids), kind=Disbursement.Kind.CASH, purpose="monthly",
                fund=rng.choice(funds + [None]), amount=Decimal(rng.randint(200, 5000)), status=status,
                proposed_by=manager, proposed_at=_aware(day - dt.timedelta(days=3)),
                approved_by=manager if paid else None,
                approved_at=_aware(day - dt.timedelta(days=1)) if paid else None, paid_on=day if paid else None,
                paid_by=manager if paid else None, household_size=rng.randint(1, 8),
            )

    for count, batch in enumerate(_batches(rows()), start=1):
        Disbursement.objects.bulk_create(batch, batch_size=BATCH)
        if count % 20 == 0:
            out(f"  {count * BATCH:>7,} disbursements")
    return True


def seed_controls(rng, manager, out) -> bool:
    """Freeze rows for the frozen files and exclusion rows for the excluded ones."""
    from beneficiaries.models import BeneficiaryFile
    from beneficiaries.policy import FileStatus
    from charity import calendar
    from eligibility.models import Exclusion, Freeze

    if Freeze.objects.exists() or Exclusion.objects.exists():
        return False
    frozen = BeneficiaryFile.objects.filter(status=FileStatus.FROZEN).values_list("pk", flat=True)
    freezes = []
    for pk in frozen.iterator():
        started = TODAY - dt.timedelta(days=rng.randint(0, 85))
        rule, months = rng.choice([("SC-6", 1), ("SC-12", 3)])
        freezes.append(Freeze(file_id=pk, rule=rule, started_on=started, created_at=_aware(started),
                              ends_on=calendar.add_months(started, months), created_by=manager))
    Freeze.objects.bulk_create(freezes, batch_size=BATCH)
    excluded = BeneficiaryFile.objects.filter(status=FileStatus.EXCLUDED).values_list("pk", flat=True)
    rules = ["SC-2", "SC-3", "SC-4", "SC-5", "SC-8", "SC-9", "SC-10", "SC-11"]
    exclusions = []
    for pk in excluded.iterator():
        on = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days))
        exclusions.append(Exclusion(file_id=pk, rule=rng.choice(rules), proof_note="محضر", decided_by=manager,
                                    decided_at=_aware(on), decided_on=on))
    Exclusion.objects.bulk_create(exclusions, batch_size=BATCH)
    out(f"  {len(freezes):,} freezes, {len(exclusions):,} exclusions")
    return True


def seed_surveys(rng, out) -> bool:
    """One survey for every 25th paid disbursement; four in five answered."""
    import hashlib

    from django.contrib.contenttypes.models import ContentType

    from aid.models import Disbursement
    from satisfaction.models import Service, Survey

    if Survey.objects.exists():
        return False
    kind = ContentType.objects.get_for_model(Disbursement)
    paid = (Disbursement.objects.filter(status=Disbursement.Status.PAID).order_by("pk")
            .values_list("pk", "file_id", "paid_on"))[::25]
    rows = []
    for pk, file_id, paid_on in paid:
        sent = _aware(paid_on, 18)
        answered = rng.random() < 0.8
        rows.append(Survey(service=Service.AID, content_type=kind, object_id=str(pk), file_id=file_id,
                           token_hash=hashlib.sha256(f"bench-{pk}".encode()).hexdigest(), sent_at=sent,
                           expires_at=sent + dt.timedelta(days=14),
                           answered_at=sent + dt.timedelta(hours=5) if answered else None,
                           overall=rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 8, 6])[0] if answered else None))
    Survey.objects.bulk_create(rows, batch_size=BATCH)
    out(f"  {len(rows):,} surveys")
    return True


def seed(director, out=print) -> None:
    from django.db import connection, transaction

    from beneficiaries.models import BeneficiaryFile
    from beneficiaries.policy import FileStatus
    from charity.models import User

    started = time.perf_counter()
    manager = User.objects.get(username="bench-manager")
    file_ids = list(BeneficiaryFile.objects.filter(status__in=[FileStatus.ACTIVE, FileStatus.FROZEN,
                                                               FileStatus.EXCLUDED, FileStatus.CLOSED])
                    .order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():  # each step has its own generator: a rerun after a partial seed is the same
        made = [seed_complaints(random.Random(1), director, out),
                seed_disbursements(random.Random(2), manager, file_ids, out),
                seed_controls(random.Random(3), manager, out), seed_surveys(random.Random(4), out)]
    if not any(made):
        out("Dashboard seed: already there; skipped.")
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # hint bits and statistics, as in a database in use
    out(f"Dashboard seed ready in {time.perf_counter() - started:.0f} s.")


def refresh_stored_figures(out=print) -> None:
    """What the beat's refresh-monthly-figures job keeps up to date: the closed months' figures."""
    from django.utils import timezone

    from dashboard.services import refresh_monthly_figures

    started = time.perf_counter()
    rows = refresh_monthly_figures(now=timezone.now())
    out(f"Stored monthly figures: {rows} rows in {(time.perf_counter() - started) * 1000:.0f} ms.")


# --- Measuring ------------------------------------------------------------------------------


def percentile(values, p) -> float:
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


RESULT: dict = {}


def measure(director, explain=False, out=print) -> bool:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(director)
    from dashboard.queries import Period

    url = reverse("dashboard:index")
    period = Period.default(TODAY)  # the last twelve months of the seeded data
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    for _ in range(WARM_UP):
        client.get(url, params)
    durations, sql_ms, counts, slowest, per_statement = [], [], set(), (0.0, None), {}
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - begun) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        durations.append(elapsed)
        sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        counts.add(len(captured))
        for index, query in enumerate(captured.captured_queries):
            per_statement.setdefault(index, (query["sql"], []))[1].append(float(query["time"]) * 1000)
        slowest = max(slowest, (elapsed, captured.captured_queries), key=lambda pair: pair[0])
    p50, p95 = percentile(durations, 50), percentile(durations, 95)
    queries = max(counts)
    ok = p95 <= TARGET_P95_MS and queries <= TARGET_QUERIES and len(counts) == 1
    RESULT.update(p50=p50, p95=p95, queries=queries, ok=ok, requests=REQUESTS)
    out(f"Dashboard, {REQUESTS} requests as the executive director, period {params['start']} – {params['end']}:")
    out(f"  server time  p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {max(durations):.1f} ms   (target p95 ≤ "
        f"{TARGET_P95_MS:.0f} ms)")
    out(f"  SQL time     p50 {percentile(sql_ms, 50):.1f} ms   p95 {percentile(sql_ms, 95):.1f} ms")
    out(f"  queries      {sorted(counts)} per request   (target ≤ {TARGET_QUERIES}, the same every time)")
    out("  slowest statements (median ms):")
    ranked = sorted(per_statement.values(), key=lambda item: -percentile(item[1], 50))[:6]
    for sql, times in ranked:
        out(f"    {percentile(times, 50):6.1f}  {' '.join(sql.split())[:100]}")
    out(f"  result: {'OK' if ok else 'MISSED'}")
    if explain or not ok:
        _explain(slowest[1], out)
    return ok


def _explain(captured, out) -> None:
    from django.db import connection

    for query in sorted(captured, key=lambda q: -float(q["time"]))[:4]:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        out(f"\n-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n{plan}")


# --- Entry point ----------------------------------------------------------------------------


def main(argv) -> int:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("The bench runs on PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    for key, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    ensure_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from charity.models import PolicyProfile

    if not PolicyProfile.objects.filter(is_active=True).exists():
        call_command("load_policy_profile", "general")
    from . import seed as file_seed

    assert file_seed.TODAY == TODAY
    file_seed.seed()
    director = _director()
    seed(director)
    refresh_stored_figures()
    print(f"Database: {urlsplit(url)._replace(netloc=urlsplit(url).hostname or '').geturl()}\n")
    return 0 if measure(director, explain="--explain" in argv) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
