"""Load test of the public complaint link: N complaints posted at once, each with a 1 MB PDF.

Standard library only (threads + http.client). Each simulated beneficiary (a) fetches the form
for its CSRF token and cookie, (b) posts a complete complaint (distinct valid national ID and
mobile, one 1 MB PDF attachment), then reads its receipt. The script (c) reports OK/failed and
the p50/p95 latency of the posts and (d) checks through the ORM that exactly N complaints and
N attachment files (rows, and files under MEDIA_ROOT/complaints/) were added. It refuses any
server but this machine (127.0.0.1, localhost, ::1).

Run it with the server's environment (same DATABASE_URL and MEDIA_ROOT), from the project root:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/charity_load
    export DEBUG=false SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false \\
           SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_policy_profile general
    # The per-address limit (5 an hour, complaints/policy.py) would block 200 posts from
    # 127.0.0.1: raise it for the server only.
    COMPLAINT_RATE_LIMIT_PER_IP=100000 .venv/bin/gunicorn charity.wsgi -b 127.0.0.1:8765 -w 4
    .venv/bin/python -m bench.complaints_load --url http://127.0.0.1:8765 -n 200 --workers 50

A 429 in the report means the server still runs with the policy's limit.

Notifications with Redis stopped (the receipts go out by SMS and email through the outbox):
run the server, a worker and beat on Redis (REDIS_URL=redis://127.0.0.1:6379/0 for all three:
`.venv/bin/celery -A charity worker -l INFO` and `.venv/bin/celery -A charity beat`), start
this script with `--wait-notifications`, and while the posts run stop Redis by hand from
another terminal (`redis-cli -p 6379 shutdown nosave`); start it again after a minute
(`redis-server --port 6379 --daemonize yes`). While Redis is down the rate limit fails open,
the complaints are still filed and their notifications stay in the outbox; once it is back the
beat's sweep (deliver-pending-notifications, every minute) delivers them. The script then
waits until every notification of these complaints is «sent» and checks that none has more
than one successful delivery attempt (`wait_for_notifications`). This script never stops or
starts Redis itself.
"""

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FORM_PATH = "/complaints/"
RECEIPT_PATH = "/complaints/received/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TRACKING = re.compile(r'data-testid="tracking-number">([^<]+)<')


@dataclass
class Client:
    """One simulated beneficiary: its identity, cookies and result."""

    index: int
    national_id: str
    phone: str
    cookies: dict = field(default_factory=dict)
    token: str = ""
    status: int = 0
    seconds: float = 0.0
    tracking_number: str = ""
    error: str = ""


# --- Test data ------------------------------------------------------------------------------


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def national_ids(count: int, rng: random.Random) -> list[str]:
    """Distinct valid Saudi identity numbers (10 digits, starting with 1, Luhn)."""
    found: set[str] = set()
    while len(found) < count:
        body = "1" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        found.update(body + c for c in "0123456789" if luhn_valid(body + c))
    return sorted(found)[:count]


def national_id_stream(rng: random.Random) -> Iterator[str]:
    """Distinct valid identity numbers without end, for clients that run until told to stop
    (a fixed supply runs out when every request fails fast, and the client dies silently)."""
    seen: set[str] = set()
    while True:
        body = "1" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        for candidate in (body + c for c in "0123456789" if luhn_valid(body + c)):
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def one_page_pdf(comment: str, size: int = 0) -> bytes:
    """A real one-page PDF the upload check parses (catalog, page tree, one blank A4 page), with
    `comment` in its content and comment lines padding it to about `size` bytes. Standard library
    only, so this script runs anywhere; the tests' testdata.pdf_bytes is this function."""
    line = b"% " + b"x" * 78 + b"\n"

    def build(padding_lines: int) -> bytes:
        content = b"% " + " ".join(comment.split()).encode() + b"\n" + line * padding_lines
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                   b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
        out, offsets = bytearray(b"%PDF-1.4\n"), []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)

    plain = build(0)
    return build((size - len(plain)) // len(line)) if size > len(plain) else plain


def pdf_of(size: int, label: str) -> bytes:
    """A complaint's attachment for the load test: a real one-page PDF of about `size` bytes."""
    return one_page_pdf(f"complaint load test {label}", size)


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def complaint_fields(client: Client, incident_on: str) -> dict:
    return {
        "kind": "complaint", "topic": "service", "complainant_name": f"سارة عبدالله الدوسري {client.index}",
        "national_id": client.national_id, "phone": client.phone, "email": "", "subject": "تأخر صرف المساعدة",
        "facts": "تقدمت بطلب ثم تأخر الصرف شهرين دون إبلاغي بالسبب.", "against": "قسم الصرف",
        "harm": "لم أتمكن من دفع الإيجار.", "reasons": "لم يبلغني أحد بسبب التأخير.", "steps_taken": "",
        "remedy": "صرف المساعدة المستحقة.", "other_info": "", "incident_on": incident_on, "excuse": "",
    }


# --- HTTP -----------------------------------------------------------------------------------


def _connection(base) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(base.hostname, base.port or 80, timeout=300)


def _cookie_header(client: Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def _keep_cookies(client: Client, response) -> None:
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        client.cookies[name.strip()] = value.strip()


def fetch_form(base, client: Client) -> Client:
    """(a) GET the form: the CSRF cookie and the token of the form."""
    conn = _connection(base)
    try:
        conn.request("GET", FORM_PATH)
        response = conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        _keep_cookies(client, response)
        match = _CSRF_INPUT.search(html)
        client.token = match.group(1) if match else ""
        if response.status != 200 or not client.token:
            client.error = f"form page answered {response.status}"
    finally:
        conn.close()
    return client


def post_complaint(base, client: Client, body: bytes, content_type: str) -> Client:
    """(b) POST the complaint (timed), then read the receipt for the tracking number."""
    conn = _connection(base)
    headers = {"Content-Type": content_type, "Cookie": _cookie_header(client)}
    try:
        started = time.perf_counter()
        conn.request("POST", FORM_PATH, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        client.seconds = time.perf_counter() - started
        client.status = response.status
        _keep_cookies(client, response)
        if response.status == 302 and response.getheader("Location", "").endswith(RECEIPT_PATH):
            conn.request("GET", RECEIPT_PATH, headers={"Cookie": _cookie_header(client)})
            receipt = conn.getresponse()
            match = _TRACKING.search(receipt.read().decode("utf-8", "replace"))
            client.tracking_number = match.group(1).strip() if match else ""
        else:
            client.error = f"POST answered {response.status}"
    except OSError as exc:
        client.error = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    return client


def run(base, count: int, workers: int, size: int) -> list[Client]:
    rng = random.Random()
    ids = national_ids(count, rng)
    phone_start = rng.randint(0, 9_000_000)
    clients = [Client(i, ids[i], f"050{phone_start + i:07d}") for i in range(count)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        clients = list(pool.map(lambda c: fetch_form(base, c), clients))
    ready = [c for c in clients if not c.error]
    incident_on = time.strftime("%Y-%m-%d", time.localtime(time.time() - 3 * 86400))
    bodies = {}
    for client in ready:
        fields = {**complaint_fields(client, incident_on), "csrfmiddlewaretoken": client.token}
        bodies[client.index] = multipart(fields, [("attachments", f"evidence-{client.index}.pdf",
                                                   pdf_of(size, str(client.index)))])
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda c: post_complaint(base, c, *bodies[c.index]), ready))
    return clients


def report(clients: list[Client], elapsed: float) -> dict:
    """(c) Count OK/failed and the latency percentiles of the posts."""
    ok = [c for c in clients if c.status == 302 and c.tracking_number]
    latencies = sorted(c.seconds for c in clients if c.seconds)
    figures = {"ok": len(ok), "failed": len(clients) - len(ok), "elapsed_s": round(elapsed, 2),
               "statuses": {}}
    for client in clients:
        figures["statuses"][client.status] = figures["statuses"].get(client.status, 0) + 1
    if len(latencies) >= 2:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        figures.update(p50_s=round(cuts[49], 3), p95_s=round(cuts[94], 3), max_s=round(latencies[-1], 3))
    errors = sorted({c.error for c in clients if c.error})
    if errors:
        figures["errors"] = errors[:5]
    return figures


# --- Checks through the ORM -----------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")
    import django

    django.setup()


def stored_files() -> int:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT) / "complaints"
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def counts() -> dict:
    from complaints.models import Attachment, Complaint

    return {"complaints": Complaint.objects.count(), "attachments": Attachment.objects.count(),
            "files": stored_files()}


def check_stored(before: dict, clients: list[Client], expected: int) -> dict:
    """(d) Exactly `expected` new complaints, attachment rows and files on disk, and each
    receipt's tracking number names a complaint with the client's national ID."""
    from complaints.models import Complaint

    after = counts()
    added = {key: after[key] - before[key] for key in after}
    numbers = {c.tracking_number: c.national_id for c in clients if c.tracking_number}
    matched = sum(1 for number, national_id in Complaint.objects.filter(tracking_number__in=numbers)
                  .values_list("tracking_number", "national_id") if numbers[number] == national_id)
    passed = all(value == expected for value in added.values()) and matched == expected
    return {"added": added, "receipts_matching": matched, "expected": expected, "passed": passed}


def wait_for_notifications(tracking_numbers, *, timeout: float = 900, interval: float = 5) -> dict:
    """Wait until every notification about these complaints is «sent»; then check that none
    was delivered twice (more than one successful delivery attempt)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Q

    from charity.models import Notification
    from complaints.models import Complaint

    pks = [str(pk) for pk in Complaint.objects.filter(tracking_number__in=list(tracking_numbers))
           .values_list("pk", flat=True)]
    ours = Notification.objects.filter(content_type=ContentType.objects.get_for_model(Complaint), object_id__in=pks)
    deadline = time.monotonic() + timeout
    while (waiting := ours.exclude(status=Notification.Status.SENT).count()) and time.monotonic() < deadline:
        time.sleep(interval)
    twice = ours.annotate(ok=Count("delivery_attempts", filter=Q(delivery_attempts__success=True))).filter(ok__gt=1)
    return {"notifications": ours.count(), "not_sent": waiting, "sent_twice": list(twice.values_list("pk", flat=True)),
            "passed": waiting == 0 and not twice.exists()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the running server, e.g. http://127.0.0.1:8765")
    parser.add_argument("-n", "--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--wait-notifications", action="store_true",
                        help="then wait until every notification of these complaints is sent (needs a worker)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the notifications")
    args = parser.parse_args(argv)
    base = urlsplit(args.url)
    if base.scheme != "http" or base.hostname not in LOCAL_HOSTS:
        parser.error("only a server on this machine (http://127.0.0.1:PORT) may be load-tested")
    setup_django()
    before = counts()
    started = time.perf_counter()
    clients = run(base, args.count, args.workers, int(args.size_mb * 1024 * 1024))
    print("posts:", report(clients, time.perf_counter() - started))
    stored = check_stored(before, clients, args.count)
    print("stored:", stored)
    passed = stored["passed"]
    if args.wait_notifications:
        delivered = wait_for_notifications([c.tracking_number for c in clients if c.tracking_number],
                                           timeout=args.timeout)
        print("notifications:", delivered)
        passed = passed and delivered["passed"]
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
