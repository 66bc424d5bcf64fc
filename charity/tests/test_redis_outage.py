"""Redis down or hung never stalls a page (issue «Hardening», point 4). The shipped settings,
in a process of their own pointed at a Redis that refuses connections and at one that accepts
them and never answers (what SIGSTOP does): the rate limit and a task dispatch each give up
within the bounded timeout once, then the process leaves Redis alone and answers at once."""

import json
import os
import socket
import subprocess
import sys
import threading

import pytest
from django.conf import settings

PROBE = r"""
import json, time
import django
django.setup()
from charity import ratelimit, queue
def timed(fn):
    started = time.monotonic(); fn(); return round(time.monotonic() - started, 2)
failed = []
task = queue.registered_task("charity.tasks.record_heartbeat")
send = lambda: queue._send(task, ("probe",), {}, {}, lambda: failed.append(1))
limit = lambda: ratelimit.hit("rate:probe", (5, 60), time.time())
print(json.dumps({"limit_first": timed(limit), "limit_next": timed(limit),
                  "send_first": timed(send), "send_next": timed(send), "told": len(failed)}))
"""


def _probe(redis_url: str) -> dict:
    env = {**os.environ, "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url, "CELERY_RESULT_BACKEND": redis_url,
           "DJANGO_SETTINGS_MODULE": "charity.settings"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def hung_redis():
    """A TCP server that accepts every connection and never answers a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Each first call may spend the timeout (2 s) on connecting and on reading; what follows answers at once.
FIRST_CEILING, NEXT_CEILING = 2 * settings.REDIS_TIMEOUT_SECONDS + 1.5, 0.5


@pytest.mark.parametrize("outage", ["hung", "down"])
def test_a_redis_outage_costs_one_bounded_wait_then_nothing(outage, request):
    url = request.getfixturevalue("hung_redis") if outage == "hung" else f"redis://127.0.0.1:{_free_port()}/0"
    figures = _probe(url)
    print(outage, figures)
    assert figures["limit_first"] < FIRST_CEILING and figures["send_first"] < FIRST_CEILING, figures
    assert figures["limit_next"] < NEXT_CEILING and figures["send_next"] < NEXT_CEILING, figures
    assert figures["told"] == 2  # each dispatch that could not be sent said so to its caller


def test_timeouts_are_bounded_in_the_shipped_settings():
    assert settings.REDIS_TIMEOUT_SECONDS <= 2
    assert settings.CELERY_TASK_IGNORE_RESULT is True
    assert settings.CELERY_REDIS_SOCKET_TIMEOUT <= 2 and settings.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT <= 2
