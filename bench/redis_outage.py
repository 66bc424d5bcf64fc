"""Public complaint submissions while Redis is up, down and hung (issue 14, point 4).

`python -m bench.redis_outage` (or `make bench-redis`). It starts a Redis of its own on a
spare port (the machine's Redis is left alone), gunicorn with 4 workers on a small PostgreSQL
database of its own (`charity_redis_bench`, created and migrated if missing), and posts
COUNT complaints from WORKERS concurrent clients, each with a 1 MB PDF (bench/complaints_load.py),
in three states, alternating, ROUNDS times:

- **up**: Redis answers (the rate limit counts in it, tasks are dispatched through it);
- **down**: the Redis process is killed before the round (connections refused);
- **hung**: Redis is restarted and then stopped with SIGSTOP (connections open, nothing answers).

For each round: the throughput of whole submissions (a receipt page with its tracking number),
the POSTs' p50/p95, and «lost» = successful POSTs whose complaint, attachment row or file is
not in the database, or whose receipt message is not in the outbox. Targets: with Redis down or
hung, at least half the «up» rate, p95 ≤ 3 s, 0 lost.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import complaints_load
from .environment import ensure_database

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/charity_redis_bench"
COUNT, WORKERS, SIZE, ROUNDS = 200, 50, 1024 * 1024, 2
P95_CEILING_S, RATE_FLOOR = 3.0, 0.5
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not happen within {timeout:.0f} s")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    """A redis-server of the bench's own on `port`: started, killed, hung and resumed at will."""

    def __init__(self, port: int):
        self.port, self.proc = port, None

    def start(self) -> None:
        self.proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                                      "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: _answers(self.port), 20, "Redis starting")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def hang(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


def _outbox_receipts(numbers: list[str]) -> int:
    from charity.models import Notification
    from complaints.models import Complaint

    ids = [str(pk) for pk in Complaint.objects.filter(tracking_number__in=numbers).values_list("pk", flat=True)]
    return (Notification.objects.filter(purpose="complaint-receipt", object_id__in=ids)
            .values("object_id").distinct().count())


def _round(base, state: str) -> dict:
    before = complaints_load.counts()
    started = time.perf_counter()
    clients = complaints_load.run(urlsplit(base), COUNT, WORKERS, SIZE)
    figures = complaints_load.report(clients, time.perf_counter() - started)
    stored = complaints_load.check_stored(before, clients, figures["ok"])
    numbers = [c.tracking_number for c in clients if c.tracking_number]
    receipts = _outbox_receipts(numbers)
    lost = (figures["ok"] - stored["receipts_matching"]) + (len(numbers) - receipts)
    lost += sum(max(figures["ok"] - added, 0) for added in stored["added"].values())
    return {"state": state, "ok": figures["ok"], "failed": figures["failed"], "statuses": figures["statuses"],
            "per_s": round(figures["ok"] / figures["elapsed_s"], 2) if figures["elapsed_s"] else 0.0,
            "p50_s": figures.get("p50_s"), "p95_s": figures.get("p95_s"), "max_s": figures.get("max_s"),
            "lost": lost}


def main() -> int:
    url = os.environ.get("REDIS_BENCH_DATABASE_URL", DATABASE_URL)
    redis_port, web_port = _free_port(), _free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    media = Path(tempfile.mkdtemp(prefix="redis-bench-media-"))
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
           "CELERY_RESULT_BACKEND": redis_url, "DEBUG": "false", "SECRET_KEY": "redis-bench-" + "x" * 50,
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false",
           "CSRF_COOKIE_SECURE": "false", "LOG_LEVEL": "ERROR", "MEDIA_ROOT": str(media),
           "COMPLAINT_RATE_LIMIT_PER_IP": "1000000", "CELERY_TASK_DEFAULT_QUEUE": "redis-bench",
           "TWO_FACTOR_REQUIRED": "false", "ENV_FILE": os.devnull}
    os.environ.update({k: v for k, v in env.items() if k not in ("LOG_LEVEL",)})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")
    ensure_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from charity.models import PolicyProfile

    if not PolicyProfile.objects.filter(is_active=True).exists():
        call_command("load_policy_profile", "general")

    redis = PrivateRedis(redis_port)
    redis.start()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "charity.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "4", "--timeout", "120",
                               "--no-control-socket"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{web_port}"
    rows = []
    try:
        _wait(lambda: _http_ok(f"{base}/healthz"), 60, "gunicorn answering")
        for number in range(1, ROUNDS + 1):
            for state in ("up", "down", "hung"):
                if state == "up":
                    if redis.proc is None:
                        redis.start()
                    else:
                        redis.resume()
                    # Each worker process stops asking a Redis that failed for
                    # REDIS_RETRY_AFTER_SECONDS (charity/breaker.py): let them all ask again.
                    time.sleep(31)
                elif state == "down":
                    redis.kill()
                else:
                    redis.start()
                    redis.hang()
                row = _round(base, state)
                row["round"] = number
                rows.append(row)
                print(f"round {number} Redis {state:>4}: {row['ok']}/{COUNT} ok, {row['per_s']:.1f}/s, "
                      f"p50 {row['p50_s']} s, p95 {row['p95_s']} s, max {row['max_s']} s, lost {row['lost']}, "
                      f"statuses {row['statuses']}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis.kill()
        shutil.rmtree(media, ignore_errors=True)
    return _summary(rows)


def _http_ok(address: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(address, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


def _summary(rows: list[dict]) -> int:
    up = statistics.median(r["per_s"] for r in rows if r["state"] == "up")
    ok = True
    print("\n| Redis | rounds | submissions/s (median) | ratio to up | worst p95 | failed | lost | target |\n"
          "|---|---|---|---|---|---|---|---|")
    for state in ("up", "down", "hung"):
        mine = [r for r in rows if r["state"] == state]
        rate = statistics.median(r["per_s"] for r in mine)
        p95 = max(r["p95_s"] or 0 for r in mine)
        lost, failed = sum(r["lost"] for r in mine), sum(r["failed"] for r in mine)
        met = lost == failed == 0 and (state == "up" or (rate >= RATE_FLOOR * up and p95 <= P95_CEILING_S))
        ok &= met
        target = "-" if state == "up" else f"≥ {RATE_FLOOR:.1f}× up, p95 ≤ {P95_CEILING_S:.0f} s, 0 lost"
        print(f"| {state} | {len(mine)} | {rate:.1f} | {rate / up:.2f} | {p95:.2f} s | {failed} | {lost} | "
              f"{target} {'met' if met else 'NOT MET'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
