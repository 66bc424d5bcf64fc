"""`python -m bench`: seed PostgreSQL at scale (once, with COPY) and measure search, the file
page, the dashboard, the deadline sweep, certificates and the public link; print every figure
as a ratio to its target.

BENCH_FILES sets the scale (default 100,000 files; everything seeded scales with it). Needs
PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/charity_bench_<BENCH_FILES>;
the database is created if missing and migrated). PEER_URL adds the public link side by side
with the peer (bench/peer.py). Options: --explain prints EXPLAIN ANALYZE of the slowest
statements even when every target is met.
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

    from . import dashboard, measure, peer, report, seed, submissions, sweep

    users = seed.seed()
    if "seeded_s" not in users:  # a fresh seed ends with its own VACUUM ANALYZE
        vacuum()
    print(f"Database: {urlsplit(url)._replace(netloc=urlsplit(url).hostname or '').geturl()}\n")
    measure.run(users["manager"], explain="--explain" in argv)
    director = dashboard._director()
    dashboard.seed(director)
    print()
    dashboard.measure(director, explain="--explain" in argv)
    swept = sweep.run()
    print(f"\nSweep: {swept}")
    posted = submissions.run()
    print(f"Public submissions: {posted}")
    side_by_side = peer.run()
    figures = summary(users.get("seeded_s"), swept, posted, side_by_side)
    print(f"\n{seed.N_FILES:,} files. Each figure as a ratio to its target:\n")
    print(report.table(figures))
    ok = report.all_met(figures)
    print(f"\nTotal {time.perf_counter() - started:.0f} s. {'Every target met.' if ok else 'A target was NOT MET.'}")
    return 0 if ok else 1


def summary(seeded_s, swept, posted, side_by_side) -> list:
    """The final table's figures."""
    from . import dashboard, measure, seed, submissions
    from .report import Figure

    small, large = measure.RESULT["list_queries"]
    figures = [] if seeded_s is None else [
        Figure(f"seeding {seed.N_FILES:,} files and their activity (COPY)", seeded_s, None, "s")]
    figures += [
        Figure("search by national ID, p95", measure.RESULT["search by national ID"], measure.TARGET_P95_MS),
        Figure("search by Arabic name, p95", measure.RESULT["search by Arabic name (2 words)"], measure.TARGET_P95_MS),
        Figure("list page queries, 100 vs 10 per page", large / small, 1.0, "", shown=f"{large} vs {small}"),
        Figure("file page, p95", measure.RESULT["file_page_p95"], measure.TARGET_FILE_PAGE_P95_MS),
        Figure("dashboard, p95", dashboard.RESULT["p95"], dashboard.TARGET_P95_MS),
        Figure("dashboard queries per request", dashboard.RESULT["queries"], dashboard.TARGET_QUERIES, "queries"),
        Figure(f"sweep, {swept['excluded']:,} of {seed.N_FILES:,} files due", swept["sweep_s"], swept["target_s"], "s"),
        Figure("sweep: each due file excluded once, a rerun excludes none", None, None,
               shown="yes" if swept["exactly_once"] else "NO", passed=swept["exactly_once"]),
        Figure("certificate rendering, median", swept["certificate_median_ms"], 150.0),
        Figure(f"public submissions, {submissions.WORKERS} clients, 1 MB each", posted["throughput_per_s"], None, "/s",
               shown=f"{posted['throughput_per_s']} /s, p95 {posted.get('p95_s')} s"),
        Figure("public submissions stored = successful POSTs", None, None,
               shown=f"{posted['ok']}/{submissions.COUNT}", passed=bool(posted["stored"]["passed"])),
    ]
    if side_by_side:
        mean, rounds = side_by_side["mean"], len(side_by_side["ours"])
        p95 = {side: max(r["post_p95_ms"] or 0 for r in side_by_side[side]) for side in ("ours", "peer")}
        figures += [
            Figure(f"public submissions / the peer's ({rounds} alternating rounds, no attachment)",
                   side_by_side["ratio"], 2.0, at_least=True, ratio_is_value=True,
                   shown=f"{mean['ours']:.1f} /s vs {mean['peer']:.1f} /s"),
            Figure("public POST p95 / the peer's", p95["ours"], p95["peer"] or None,
                   shown=f"{p95['ours']:.0f} ms vs {p95['peer']:.0f} ms"),
            Figure("peer load: stored = successful POSTs (ours)", None, None,
                   passed=all(r["stored_ok"] for r in side_by_side["ours"]),
                   shown=" ".join(str(r["stored_ok"]) for r in side_by_side["ours"])),
        ]
    return figures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
