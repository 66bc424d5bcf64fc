"""Run the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from charity.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Start web (127.0.0.1:8000), a Celery worker and beat; stop them all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, addr, **options):
        bin_dir = Path(sys.executable).parent
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        celery = str(bin_dir / "celery")
        (Path(settings.VAR_DIR) / "celery").mkdir(parents=True, exist_ok=True)
        commands = {
            "web": [sys.executable, manage, "runserver", addr, "--noreload"],
            "worker": [celery, "-A", "charity", "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [celery, "-A", "charity", "beat", "--loglevel", "INFO",
                     "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME],
        }
        procs = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in commands.items()}
        self.stdout.write(self.style.SUCCESS(f"\nThe application is at http://{addr}/"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, *_rest in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role.label}")
        self.stdout.write("Press Ctrl-C to stop the web server, the worker and beat.\n")
        exit_code = 0
        interrupted = []
        # Ctrl-C reaches the children too; note it so their exits are not taken for failures.
        signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
        signal.signal(signal.SIGTERM, lambda *_: interrupted.append(True))
        try:
            while not interrupted:
                stopped = [(name, proc) for name, proc in procs.items() if proc.poll() is not None]
                if stopped:
                    time.sleep(0.3)  # a Ctrl-C may be on its way to this process as well
                    if not interrupted:
                        name, proc = stopped[0]
                        self.stderr.write(f"{name} stopped (exit {proc.returncode}); stopping the others.")
                        exit_code = proc.returncode or 1
                    break
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("Stopped.")
        if exit_code:
            sys.exit(exit_code)
