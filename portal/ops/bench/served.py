"""Section 3: throughput and latency served by gunicorn, measured with wrk on 127.0.0.1 only.

gunicorn runs the bench's settings (production, the bench database) with WORKERS processes; wrk runs
DURATION seconds with CONNECTIONS connections per URL. Logged-in pages get the cookie of one of
SESSIONS sessions of the demo account per request. Throughput is compared with floor 2 served the same way."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test import Client

from portal.accounts.models import User
from portal.ops.bench.pages import login
from portal.ops.bench.report import Row, format_ms, ratio

DURATION = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WARMUP_SECONDS = 2
CONNECTIONS = 8
THREADS = 2
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 1) + 1)))
TARGET = 0.6  # issue 18: requests per second at least 0.6x floor 2 served the same way
# Sessions per logged-in page, each request takes one at random (see cookie_script).
SESSIONS = 32


@dataclass
class WrkResult:
    requests_per_second: float
    p50: float  # seconds
    p99: float
    errors: int  # responses other than 2xx/3xx
    socket_errors: int = 0  # connect, read, write errors and timeouts


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    """The numbers of `wrk --latency`: requests per second, the 50 % and 99 % latency, errors."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _seconds(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _seconds(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = socket_errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        socket_errors = sum(int(n) for n in match.groups())
    return WrkResult(rps, p50, p99, errors, socket_errors)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(port: int, path: str, cookie: str | None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        return conn.getresponse().status
    finally:
        conn.close()


def session_cookie(email: str) -> str:
    client = Client()
    login(client, User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def cookie_script(cookies: list[str]) -> str:
    """A wrk script that sends each request with one of the sessions, picked at random: the session
    is written at most once a minute (production), and 8 connections on one session would still share
    what 8 people each have alone."""
    quoted = ", ".join(f'"{cookie}"' for cookie in cookies)
    return (
        f"local cookies = {{{quoted}}}\n"
        "request = function()\n"
        '  return wrk.format("GET", nil, {["Cookie"] = cookies[math.random(#cookies)]})\n'
        "end\n"
    )


class Gunicorn:
    def __init__(self):
        self.port = _free_port()
        self.process = None

    def __enter__(self):
        connections.close_all()
        executable = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 – fixed command, no user input
            [
                str(executable),
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            env={**os.environ},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if _status(self.port, "/bench/constant/", None) == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(port: int, path: str, cookies: list[str], seconds: int = DURATION) -> WrkResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(cookie_script(cookies))
        script.flush()
        command = [
            shutil.which("wrk") or "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            *(["-s", script.name] if cookies else []),
            f"http://127.0.0.1:{port}{path}",
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(output)


def measure(targets: list[tuple[str, str, str | None]], data: str) -> list[Row]:
    """`targets`: (label, path, e-mail of the account or None); the first two are the floors."""
    if not shutil.which("wrk"):
        return [Row("3", "Ausgeliefert (wrk)", data, "wrk fehlt: apt-get install wrk")]
    cookies = {email: [session_cookie(email) for _ in range(SESSIONS)] for _, _, email in targets if email}
    results = []
    with Gunicorn() as server:
        for label, path, email in targets:
            sessions = cookies.get(email, [])
            status = _status(server.port, path, sessions[0] if sessions else None)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} under gunicorn, not 200")
            wrk(server.port, path, sessions, WARMUP_SECONDS)  # every worker compiles its templates
            results.append((label, wrk(server.port, path, sessions)))
    floor = results[1][1].requests_per_second
    rows = []
    for index, (label, result) in enumerate(results):
        share = ratio(result.requests_per_second, floor)
        measured = (
            f"{result.requests_per_second:.0f}/s, p50 {format_ms(result.p50)}, p99 {format_ms(result.p99)}"
        )
        if result.errors:
            measured += f", {result.errors} Fehlerantworten"
        if result.socket_errors:
            measured += f", {result.socket_errors} Socket-Fehler"
        is_page = index >= 2
        rows.append(
            Row(
                "3",
                f"{label} (gunicorn, {WORKERS} Worker)",
                data,
                measured,
                share,
                "",
                f"≥ {TARGET:.1f}x Boden 2" if is_page else "",
                (round(share, 2) >= TARGET and not result.errors) if is_page else None,
            )
        )
    return rows
