"""The deadline sweep over the seeded files (a tenth of them due: 10,000 of 100,000 in ≤ 30 s,
100,000 of 1,000,000 in ≤ 5 min) and the certificate rendering time (median ≤ 150 ms).

Each run takes a tenth of the seeded files (active ones), gives them an SC-12 freeze that ended before
the sweep day, runs `enforce_deadlines` once and times it; then renders certificates of the
exclusions it made, one by one, and reports the median. Tasks go to the broker as in production
(the bench sets a queue of its own and purges it afterwards).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.db import transaction
from django.utils import timezone

from .environment import BENCH_FILES

DUE = BENCH_FILES // 10
TARGET_S = 30 * DUE / 10_000  # 3 ms a due file: 30 s for 10,000, 5 min for 100,000
CERTIFICATES = 40


def _make_due(today: dt.date) -> list[int]:
    """Bring the files due on `today` to exactly DUE (the seed's own lapsed freezes count)."""
    from beneficiaries.models import BeneficiaryFile, UpdateRequest
    from beneficiaries.policy import FileStatus
    from eligibility.models import Freeze

    already = (Freeze.objects.lapsed(today).count()
               + UpdateRequest.objects.filter(status=UpdateRequest.Status.OPEN, due_on__lt=today,
                                              file__status=FileStatus.ACTIVE).count())
    wanted = max(DUE - already, 0)
    ids = list(BeneficiaryFile.objects.filter(status=FileStatus.ACTIVE, freezes__isnull=True)
               .order_by("pk").values_list("pk", flat=True)[:wanted])
    if len(ids) < wanted:
        raise SystemExit(f"only {len(ids)} untouched active files left: drop the bench database and reseed")
    now = timezone.now()
    with transaction.atomic():
        BeneficiaryFile.objects.filter(pk__in=ids).update(status=FileStatus.FROZEN)
        Freeze.objects.bulk_create([
            Freeze(file_id=pk, rule="SC-12", started_on=today - dt.timedelta(days=120),
                   ends_on=today - dt.timedelta(days=1), created_at=now) for pk in ids
        ], batch_size=5000)
    return ids


def run() -> dict:
    """Return {"sweep_s": ..., "excluded": ..., "certificate_median_ms": ..., "certificate_p95_ms": ...}."""
    from charity.models import PolicyProfile
    from eligibility.certificates import render_certificate
    from eligibility.models import Certificate, Exclusion
    from eligibility.sweep import enforce_deadlines

    today = dt.date(2027, 6, 1)
    _make_due(today)
    profile = PolicyProfile.objects.active()
    before = Exclusion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started = time.perf_counter()
    result = enforce_deadlines(today=today, now=timezone.now(), profile=profile)
    sweep_s = time.perf_counter() - started
    rerun = enforce_deadlines(today=today, now=timezone.now(), profile=profile)
    made = Exclusion.objects.filter(pk__gt=before)
    # Exactly once: every due file excluded, none twice, and a second sweep finds nothing to do.
    exactly_once = (result.excluded == made.count() == made.values("file_id").distinct().count()
                    and result.failed == 0 and rerun.excluded == 0)

    timings = []
    for certificate in Certificate.objects.filter(pdf="").order_by("-pk")[:CERTIFICATES]:
        t0 = time.perf_counter()
        render_certificate(certificate, profile=profile)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    _purge_bench_queue()
    return {
        "sweep_s": sweep_s, "excluded": result.excluded, "frozen": result.frozen, "failed": result.failed,
        "due": DUE, "target_s": TARGET_S, "exactly_once": exactly_once,
        "certificate_median_ms": statistics.median(timings) if timings else float("nan"),
        "certificate_p95_ms": timings[int(len(timings) * 0.95) - 1] if timings else float("nan"),
        # The first render loads the font; it is in the list, so the median is the honest figure.
        "certificates": len(timings),
    }


def _purge_bench_queue() -> None:
    """Drop the tasks the sweep queued (certificates, notifications): nobody consumes them here."""
    from django.conf import settings

    from charity.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
