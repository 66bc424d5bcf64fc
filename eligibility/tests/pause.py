"""A named pause point for tests that run the sweep in another process.

`SWEEP_AFTER_BATCH` (charity/settings.py) names a callable that the sweep calls after each
committed batch. The tests point it at `hold_after_first_batch`: the process writes how many
rows it has committed to the file named by `SWEEP_PAUSE_FILE`, then waits there for SIGUSR1
(or for the SIGKILL the test sends). The test waits for that file, so it knows exactly where
the sweep is, instead of racing a kill against a poll."""

import os
import signal
from pathlib import Path

from conftest import wait_for

HOOK = "eligibility.tests.pause.hold_after_first_batch"
RESUME = signal.SIGUSR1


def hold_after_first_batch(done: int) -> None:
    """Announce the rows committed so far, then wait to be resumed (or killed). Only once."""
    path = Path(os.environ["SWEEP_PAUSE_FILE"])
    if path.exists():
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {RESUME})  # before the test can see the file
    partial = path.with_suffix(".partial")
    partial.write_text(str(done))
    partial.rename(path)  # atomic: the test never reads half a number
    signal.sigwait({RESUME})


def paused_env(path: Path) -> dict:
    """The environment that makes a sweep process stop at the pause point (`path`: its file)."""
    return {"SWEEP_AFTER_BATCH": HOOK, "SWEEP_PAUSE_FILE": str(path)}


def wait_until_paused(path: Path, process, timeout: float = 240.0) -> int:
    """Wait (bounded, generously: CI is slow) until `process` reached the pause point; return
    how many rows it had committed. Fail if it exited or never got there."""
    reached = wait_for(lambda: path.exists() or process.poll() is not None, timeout=timeout, interval=0.05)
    assert reached and path.exists(), f"the sweep never reached its pause point (exit code {process.poll()})"
    assert process.poll() is None, "the sweep went past its pause point"
    return int(path.read_text())
