"""The read replica against a real standby (issue 15, point 4).

Two throwaway PostgreSQL clusters on loopback, on free ports, in temporary folders: a primary
made with initdb and a standby cloned from it with `pg_basebackup -R` that streams its WAL.
Django runs in a child process (charity/tests/replica_child.py) with DATABASE_URL on the primary
and DATABASE_REPLICA_URL on the standby: it migrates the primary (the standby replays it), writes
through "default", waits for the standby to replay the write, then shows the dashboard and the
file list read from the standby, a POST that wrote pins the next pages of its session to the
primary, and, the standby stopped, the pages still answer from the primary with a warning.
The machine's own cluster is never touched. Skipped on SQLite (CI's first pass); in CI's second
pass (CI_REQUIRE_SERVICES=1) it runs, and fails if it cannot.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

from conftest import needs_postgresql, needs_service

BASE = Path(settings.BASE_DIR)
CEILING = 180  # seconds for a migrate or a cluster start: generous, CI can be slow


def _bin_dir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_basebackup").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clusters:
    """The primary and the standby, run as the `postgres` user when the tests run as root."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="charity-replica-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.primary, self.standby = self.root / "primary", self.root / "standby"
        self.ports = {self.primary: _free_port(), self.standby: _free_port()}
        self.started: list[Path] = []

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=CEILING)
        assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"

    def start(self, data: Path) -> None:
        # Settings on the command line: rewriting listen_addresses in the config is what breaks it.
        options = (f"-c port={self.ports[data]} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.root} -c fsync=off")
        self.started.append(data)
        self.run("pg_ctl", "-D", str(data), "-l", str(self.root / f"{data.name}.log"), "-w",
                 "-t", str(CEILING), "-o", options, "start")

    def stop(self, data: Path) -> None:
        self.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        self.started.remove(data)

    def url(self, data: Path) -> str:
        return f"postgres://postgres@127.0.0.1:{self.ports[data]}/charity"

    def set_up(self) -> None:
        self.run("initdb", "-D", str(self.primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")
        self.start(self.primary)
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.ports[self.primary]), "-U", "postgres", "charity")
        # -R writes standby.signal and primary_conninfo: the standby streams from the primary.
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports[self.primary]), "-U", "postgres",
                 "-D", str(self.standby), "-R", "-X", "stream", "--no-sync")
        self.start(self.standby)

    def clean_up(self) -> None:
        for data in list(self.started):
            with contextlib.suppress(AssertionError, subprocess.SubprocessError):
                self.stop(data)
        shutil.rmtree(self.root, ignore_errors=True)


def _django(clusters: Clusters, media: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ENV_FILE": os.devnull, "DEBUG": "false", "SECRET_KEY": "replica-" + "k" * 50,
           "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false",
           "CSRF_COOKIE_SECURE": "false", "TWO_FACTOR_REQUIRED": "false", "MEDIA_ROOT": str(media),
           "DATABASE_URL": clusters.url(clusters.primary),
           "DATABASE_REPLICA_URL": clusters.url(clusters.standby),
           "CELERY_BROKER_URL": "memory://", "CELERY_RESULT_BACKEND": "cache+memory://"}
    for name in ("REDIS_URL", "DJANGO_SETTINGS_MODULE", "CI_REQUIRE_SERVICES"):
        env.pop(name, None)
    return subprocess.run([sys.executable, *args], cwd=BASE, env=env, capture_output=True, text=True,
                          timeout=CEILING * 2)


def _result(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_replica_cluster_routed_reads_read_your_writes_and_fallback(tmp_path):
    needs_postgresql("a real standby is started in CI's PostgreSQL pass")
    bin_dir = _bin_dir()
    needs_service(bin_dir is not None, "needs PostgreSQL's server binaries (initdb, pg_basebackup)")
    clusters = Clusters(bin_dir)
    try:
        clusters.set_up()
        migrate = _django(clusters, tmp_path, "manage.py", "migrate", "--noinput")
        assert migrate.returncode == 0, migrate.stderr
        seen = _result(_django(clusters, tmp_path, "-m", "charity.tests.replica_child", "routing"))
        assert seen["replica_in_recovery"] is True  # the alias really is the standby
        for page in ("dashboard", "file_list", "other_session"):
            assert seen[page]["status"] == 200 and seen[page]["replica"] > 0, (page, seen)
        assert seen["dashboard"]["replica"] > 10 and seen["dashboard"]["as_of"]
        assert seen["export_post"]["status"] == 302 and seen["export_post"]["replica"] == 0
        for page in ("dashboard_after_post", "file_list_after_post"):  # read-your-writes
            assert seen[page]["status"] == 200 and seen[page]["replica"] == 0, (page, seen)
        assert not seen["dashboard_after_post"]["as_of"]
        assert seen["warnings"] == []

        clusters.stop(clusters.standby)
        down = _result(_django(clusters, tmp_path, "-m", "charity.tests.replica_child", "fallback"))
        for page in ("dashboard", "file_list"):
            assert down[page]["status"] == 200 and down[page]["replica"] == 0, (page, down)
            assert down[page]["primary"] > 0
        assert any("Read replica unavailable" in message for message in down["warnings"]), down
    finally:
        clusters.clean_up()
