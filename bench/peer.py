"""The public link side by side with the peer (django-helpdesk, ../shared/bench-peer), when
PEER_URL is set: the peer's own locust load (`load.sh submit`: 50 users, no attachment) runs
against PEER_URL and against this project alternately, peer / ours / peer / ours.

This module starts this project's gunicorn (2 sync workers, --preload, on the bench database,
rate limits raised, as ours.env.example says); the peer must already be serving at PEER_URL
(`./serve.sh start` in bench-peer) and its locust installed ($PEER_DIR/venv, default /tmp/peer).
Knobs: PEER_ROUNDS (2), PEER_RUN_TIME (45s), PEER_USERS (50), PEER_BENCH_DIR.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .redis_outage import _free_port
from .submissions import _wait_until_up

ROOT = Path(__file__).resolve().parent.parent


def _bench_dir() -> Path:
    return Path(os.environ.get("PEER_BENCH_DIR", ROOT.parent / "shared" / "bench-peer"))


def _load(host: str, ours: bool, out_dir: str) -> dict:
    """Run `load.sh submit` against `host`; return its summary (submissions/s, POST p95, count check)."""
    bench = _bench_dir()
    database = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    env = {**os.environ, "RUN_TIME": os.environ.get("PEER_RUN_TIME", "45s"), "OUT_DIR": out_dir,
           "USERS": os.environ.get("PEER_USERS", "50")}
    script = f'exec "{bench}/load.sh" submit'
    if ours:  # the form fields of ours.env.example; the count from this bench's database
        script = f'set -a; . "{bench}/ours.env.example"; set +a; HOST={host}; COUNT_CMD="$OUR_COUNT"; ' + script
        count = "select count(*) from complaints_complaint"
        env["OUR_COUNT"] = f"psql -h 127.0.0.1 -U postgres -d {database} -tAc '{count}'"
    else:
        env["HOST"] = host
    subprocess.run(["bash", "-c", script], env=env, cwd=bench, check=False,  # noqa: S603, S607
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    summary = json.loads((Path(out_dir) / "summary.json").read_text())
    posts = [r for r in summary["requests"] if r["name"].startswith("POST public form")]
    check = summary.get("count_check", {})
    return {"per_s": summary["submissions_per_s"], "post_p95_ms": max((r["p95_ms"] for r in posts), default=None),
            "ok": summary["submit_ok"], "stored_ok": check.get("ok")}


def _serve_ours(port: int):
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "COMPLAINT_RATE_LIMIT_PER_IP": "1000000",
           "COMPLAINT_RATE_LIMIT_PER_NATIONAL_ID": "1000000", "LOG_LEVEL": "WARNING"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return subprocess.Popen([gunicorn, "charity.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",  # noqa: S603
                             "--preload"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(out=print) -> dict | None:
    """Alternate the peer and ours; return both sides' rounds and the ratio of the means, or None
    without PEER_URL."""
    peer_url = os.environ.get("PEER_URL", "").rstrip("/")
    if not peer_url:
        return None
    locust = Path(os.environ.get("PEER_DIR", "/tmp/peer")) / "venv" / "bin" / "locust"  # noqa: S108 - load.sh's default
    if not locust.exists() or not (_bench_dir() / "load.sh").exists():
        out(f"PEER_URL is set but {locust} or {_bench_dir()}/load.sh is missing: run bench-peer's setup.sh.")
        return None
    rounds = int(os.environ.get("PEER_ROUNDS", "2"))
    port = _free_port()  # not ours.env.example's 8102, which a person may be using by hand
    server = _serve_ours(port)
    ours_url = f"http://127.0.0.1:{port}"
    figures: dict = {"peer": [], "ours": []}
    try:
        _wait_until_up(ours_url)
        with tempfile.TemporaryDirectory(prefix="h7_peer_") as tmp:
            for n in range(rounds):
                for side, url in (("peer", peer_url), ("ours", ours_url)):
                    result = _load(url, side == "ours", f"{tmp}/{side}-{n}")
                    figures[side].append(result)
                    out(f"  round {n + 1}, {side}: {result['per_s']} submissions/s, POST p95 "
                        f"{result['post_p95_ms']} ms, stored = POSTs: {result['stored_ok']}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    mean = {side: sum(r["per_s"] for r in rows) / len(rows) for side, rows in figures.items()}
    figures["ratio"] = mean["ours"] / mean["peer"] if mean["peer"] else float("nan")
    figures["mean"] = mean
    return figures
