"""`python -m bench`: seed PostgreSQL at scale (once) and measure the file search and list.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/charity_bench; the
database is created if missing and migrated). Options: --explain prints EXPLAIN ANALYZE of the
slowest search statements even when every target is met.
"""

import os
import sys
import time
from urllib.parse import urlsplit

from .environment import BENCH_ENVIRONMENT, DEFAULT_URL, ensure_database


def vacuum() -> None:
    """VACUUM ANALYZE before measuring: the previous run's sweep changed 10,000 rows, and in
    production autovacuum would have caught up long before the next morning."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s.")


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
    started = time.perf_counter()
    from django.db.migrations.exceptions import InconsistentMigrationHistory

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except InconsistentMigrationHistory as exc:
        print(f"{exc}\nThe bench database was migrated by another version of the code: drop it "
              f"(dropdb {urlsplit(url).path.lstrip('/')}) and run the bench again.", file=sys.stderr)
        return 2
    from charity.models import PolicyProfile

    if not PolicyProfile.objects.filter(is_active=True).exists():
        call_command("load_policy_profile", "general")

    from . import dashboard, measure, seed, submissions, sweep

    users = seed.seed()
    vacuum()
    print(f"Database: {urlsplit(url)._replace(netloc=urlsplit(url).hostname or '').geturl()}\n")
    ok = measure.run(users["manager"], explain="--explain" in argv)
    director = dashboard._director()
    dashboard.seed(director)
    print()
    ok &= dashboard.measure(director, explain="--explain" in argv)
    swept = sweep.run()
    print(f"\nSweep: {swept}")
    posted = submissions.run()
    print(f"Public submissions: {posted}")
    summary = [
        ("search by national ID, p95", f"{measure.RESULT['search by national ID']:.0f} ms", "≤ 100 ms"),
        ("search by Arabic name, p95", f"{measure.RESULT['search by Arabic name (2 words)']:.0f} ms", "≤ 100 ms"),
        ("list page queries, 10 vs 100 per page", "{} vs {}".format(*measure.RESULT["list_queries"]), "equal"),
        ("file page, p95", f"{measure.RESULT['file_page_p95']:.0f} ms", "-"),
        ("dashboard, p95", f"{dashboard.RESULT['p95']:.0f} ms", "≤ 300 ms"),
        ("dashboard queries per request", str(dashboard.RESULT["queries"]), "≤ 25, fixed"),
        (f"sweep, {swept['excluded']:,} of 100,000 files due", f"{swept['sweep_s']:.1f} s", "≤ 30 s"),
        ("certificate rendering, median", f"{swept['certificate_median_ms']:.0f} ms", "≤ 150 ms"),
        ("public submissions, 50 clients, 1 MB each", f"{posted['throughput_per_s']} /s, p95 {posted.get('p95_s')} s",
         f"{posted['ok']}/{submissions.COUNT} ok, stored: {posted['stored']['passed']}"),
    ]
    ok &= swept["sweep_s"] <= 30 and swept["certificate_median_ms"] <= 150 and posted["stored"]["passed"]
    width = max(len(row[0]) for row in summary)
    print("\n" + "measurement".ljust(width) + "  result                 target")
    for label, value, target in summary:
        print(f"{label.ljust(width)}  {value:<22} {target}")
    print(f"\nTotal {time.perf_counter() - started:.0f} s. {'Every target met.' if ok else 'A target was missed.'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
