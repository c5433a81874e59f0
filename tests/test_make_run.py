"""`make run` stops on Ctrl-C and on SIGTERM: web server, worker and embedded beat all exit.

The processes of `make run` are started by `make processes` (the part after the set-up), here with the
embedded filesystem broker and SQLite in a temporary var folder, on a free port. Ctrl-C in a terminal
sends SIGINT to the whole foreground process group, as the test does. The old recipe answered with
`kill 0`, which sent SIGTERM (again and again) to every process of the group, Celery's pool processes
included; the worker then hung in its exit after "beat: Shutting down". (Runserver's reloader, hit
by a second SIGTERM while it stopped the server, could also wait for it forever.)
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTED = ("Quit the server with", "celery@", "ready.", "beat: Starting")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session(session_id: int) -> list[tuple[int, str]]:
    """The live processes of a session (zombies waiting for init to reap them do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            after_name = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_text().replace("\0", " ").strip()
        except OSError:
            continue
        state, session = after_name[0], int(after_name[3])
        if session == session_id and state != "Z":
            found.append((int(entry.name), command))
    return found


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_make_processes_stop_on_a_signal_to_the_process_group(tmp_path, signal_number):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "CELERY_"))}
    env.update(PORTAL_VAR_DIR=str(tmp_path), DJANGO_ENV="development", EMAIL_URL="", PYTHONUNBUFFERED="1")
    log = tmp_path / "run.log"
    with log.open("w") as output:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "processes", f"PORT={_free_port()}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # A session of its own, as a terminal gives: its process group is what Ctrl-C reaches.
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        started = _wait_for(lambda: all(text in log.read_text() for text in STARTED), 120)
        assert started, log.read_text()[-3000:]

        os.killpg(make.pid, signal_number)

        stopped = _wait_for(lambda: not _session(make.pid), 30)
        assert stopped, f"still running: {_session(make.pid)}\n{log.read_text()[-3000:]}"
        assert make.wait(timeout=5) != 0  # make reports the interruption
        # The signal reached only the main processes; the worker stopped its pool itself. (The old
        # recipe killed the pool processes: "Process 'ForkPoolWorker-2' … exited with 'signal 15'",
        # after which the worker hung in most runs.)
        assert "exited with 'signal" not in log.read_text()
    finally:
        for pid, _command in _session(make.pid):  # only what this test started
            os.kill(pid, signal.SIGKILL)
        make.wait(timeout=10)
