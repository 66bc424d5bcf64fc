"""Public complaint submissions against gunicorn on 127.0.0.1: throughput and p95 under 50
concurrent clients, each posting a complaint with a 1 MB attachment (bench/complaints_load.py
does the posting and the checks; this module starts and stops the server around it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from . import complaints_load

PORT = 8765
COUNT, WORKERS = 200, 50


def _wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def run() -> dict:
    """Start gunicorn (4 workers) on the bench database, post the complaints, stop it."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
           "COMPLAINT_RATE_LIMIT_PER_IP": "1000000", "LOG_LEVEL": "WARNING"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "charity.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "4", "--timeout", "120"],
                              cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{PORT}"
    try:
        _wait_until_up(base)
        before = complaints_load.counts()
        started = time.perf_counter()
        clients = complaints_load.run(urlsplit(base), COUNT, WORKERS, 1024 * 1024)
        figures = complaints_load.report(clients, time.perf_counter() - started)
        figures["stored"] = complaints_load.check_stored(before, clients, COUNT)
        figures["throughput_per_s"] = round(figures["ok"] / figures["elapsed_s"], 2) if figures["elapsed_s"] else 0
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)
