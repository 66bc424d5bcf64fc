"""Measure the file search and list through the Django test client, as the manager."""

import math
import random
import re
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .seed import FAMILY, FEMALE, MALE, N_FILES, national_id

REQUESTS = 200
TARGET_P95_MS = 100.0
TARGET_FILE_PAGE_P95_MS = 60.0
_ROW = re.compile(r'data-testid="file-row"')
_FOLDS = [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي")]


def percentile(values, p) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def id_queries(rng, n=REQUESTS) -> list[str]:
    """Identity numbers of seeded people (heads and dependants), all different."""
    people = 3 * N_FILES
    return [national_id(i) for i in rng.sample(range(people), n)]


def _variant(rng, word: str) -> str:
    """Spell a name as staff might: without hamza, with ه for ة, with tatweel or a vowel mark."""
    for a, b in _FOLDS:
        if a in word and rng.random() < 0.5:
            word = word.replace(a, b)
    if len(word) > 3 and rng.random() < 0.2:
        word = word[:2] + "ـ" + word[2:]
    if rng.random() < 0.2:
        word = word[:1] + "\u064e" + word[1:]
    return word


def name_queries(rng, n=REQUESTS) -> list[str]:
    """«first-name family-name» queries, all different, in the spellings staff type."""
    queries: list[str] = []
    while len(queries) < n:
        query = f"{_variant(rng, rng.choice(FEMALE + MALE))} {_variant(rng, rng.choice(FAMILY))}"
        if query not in queries:
            queries.append(query)
    return queries


def timed(client, queries, extra=None) -> dict:
    """Search the list for each query as the search box does (the words posted and sealed, then
    the first page: both requests timed); return the durations and SQL times (ms) and the
    number of pages with no result."""
    url = reverse("beneficiaries:file_list")
    durations, sql, empty, slowest = [], [], 0, (0.0, None)
    for query in queries:
        connection.queries_log.clear()  # the log keeps 9,000 entries; a full log captures nothing
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, {"q": query, **(extra or {})}, follow=True)
            elapsed = (time.perf_counter() - started) * 1000
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"search {query!r} on {url} answered {response.status_code}")
        empty += not _ROW.search(response.content.decode())
        durations.append(elapsed)
        slowest = max(slowest, (elapsed, query), key=lambda pair: pair[0])
    return {"durations": durations, "sql": sql, "empty": empty, "slowest": slowest[1]}


def file_pages(client, n: int = REQUESTS) -> dict:
    """GET the pages of `n` random files (the full file page, with its access-log write)."""
    from beneficiaries.models import BeneficiaryFile

    ids = list(BeneficiaryFile.objects.order_by("?").values_list("pk", flat=True)[:n])
    durations, sql = [], []
    for pk in ids:
        url = reverse("beneficiaries:file_detail", args=[pk])
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return {"durations": durations, "sql": sql, "empty": 0, "slowest": None}


def query_count(client, per_page: int) -> int:
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("beneficiaries:file_list"), {"per_page": per_page})
    assert response.status_code == 200
    assert len(_ROW.findall(response.content.decode())) == per_page
    return len(queries)


def explain_slowest_query(client, query: str) -> str:
    """EXPLAIN ANALYZE the slowest SQL statement of one search request."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("beneficiaries:file_list"), {"q": query}, follow=True)
    sql = max(queries.captured_queries, key=lambda q: float(q["time"]))["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- slowest statement for q={query!r}\n{sql}\n{plan}"


RESULT: dict = {}


def run(manager, out=print, explain=False) -> bool:
    """Run every measurement, print one table; return whether every target is met."""
    client = Client()
    client.force_login(manager)
    rng = random.Random(7)
    timed(client, id_queries(rng, 10) + name_queries(rng, 10))  # warm up: connection, templates, caches
    rows, ok = [], True
    results = {}
    for label, queries in [("search by national ID", id_queries(random.Random(1))),
                           ("search by Arabic name (2 words)", name_queries(random.Random(2)))]:
        result = timed(client, queries)
        met = percentile(result["durations"], 95) <= TARGET_P95_MS
        ok &= met
        results[label] = result
        rows.append(_row(label, result, f"p95 <= {TARGET_P95_MS:.0f} ms", "OK" if met else "MISSED",
                         f"{result['empty']} with no result"))
    rows.append(_row("(info) one common first name", timed(client, sorted(set(FEMALE + MALE))[:50])))
    file_page = file_pages(client, 100)
    file_page_met = percentile(file_page["durations"], 95) <= TARGET_FILE_PAGE_P95_MS
    ok &= file_page_met
    rows.append(_row("file page (as the manager)", file_page, f"p95 <= {TARGET_FILE_PAGE_P95_MS:.0f} ms",
                     "OK" if file_page_met else "MISSED"))
    rows.append(_row("(info) list, no search", timed(client, [""] * 50)))
    small, large = query_count(client, 10), query_count(client, 100)
    equal = small == large
    ok &= equal
    rows.append(("list page queries, per_page=10 vs 100", 2, "", "", "", "", "equal", "OK" if equal else "MISSED",
                 f"{small} vs {large} queries"))
    _print_table(rows, out)
    RESULT.update({label: percentile(r["durations"], 95) for label, r in results.items()},
                  file_page_p95=percentile(file_page["durations"], 95), list_queries=(small, large))
    if explain or not ok:
        for label, result in results.items():
            out(f"\n== EXPLAIN ANALYZE, {label} ==")
            out(explain_slowest_query(client, result["slowest"]))
    return ok


def _row(label, result, target="-", outcome="-", note=""):
    durations = result["durations"]
    return (label, len(durations), f"{percentile(durations, 50):.1f}", f"{percentile(durations, 95):.1f}",
            f"{max(durations):.1f}", f"{percentile(result['sql'], 50):.1f}", target, outcome, note)


def _print_table(rows, out) -> None:
    header = ("measurement", "requests", "p50 ms", "p95 ms", "max ms", "SQL p50 ms", "target", "result", "note")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out(line.format(*header))
    out("  ".join("-" * w for w in widths))
    for row in rows:
        out(line.format(*row))
