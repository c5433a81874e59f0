"""Environment, set-up and processes of the production stack on one machine (see portal/ops/serve)."""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]  # portal/ops/<tool>/<module>.py -> the checkout
PYTHON = sys.executable

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/abh_serve",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/5",
    # The rate limits' counters, shared by the gunicorn workers.
    "CACHE_URL": "redis://127.0.0.1:6379/6",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Loopback without TLS only: cookies without the Secure flag and no redirect to https.
    "PORTAL_HTTPS": "false",
}


def serve_dir() -> Path:
    return Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var")) / "serve"


def secret_key(folder: Path) -> str:
    """The SECRET_KEY of the local stack: generated once into var/serve/secret_key (mode 600)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


@dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    web_workers: int = 4
    worker_concurrency: int = 2
    smtp_port: int = 8025
    # Where the SMTP sink keeps the mails; None when EMAIL_URL points at a real server.
    mail_dir: Path | None = None
    # Where the processes write their output; None: the terminal.
    log_dir: Path | None = None


def production_env(options: Options, base: dict | None = None) -> tuple[dict, Options]:
    """The environment of every process of the stack: what the caller set wins over the defaults."""
    env = dict(os.environ if base is None else base)
    folder = serve_dir()
    env["DJANGO_ENV"] = "production"
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    env.setdefault("PORTAL_BASE_URL", f"http://{options.host}:{options.port}")
    if not env.get("SECRET_KEY", "").strip():
        env["SECRET_KEY"] = secret_key(folder)
    if not env.get("EMAIL_URL", "").strip():
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{options.smtp_port}"
        if options.mail_dir is None:
            options.mail_dir = folder / "mail"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env, options


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of DATABASE_URL when it does not exist; True if it was created."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return False
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        connection.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def set_up(env: dict) -> None:
    """Database, tables, static files and demo data, all idempotent."""
    if ensure_database(env["DATABASE_URL"]):
        print("Datenbank angelegt.", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    manage(env, "seed_demo")


@dataclass
class Stack:
    env: dict
    options: Options
    processes: dict = field(default_factory=dict)

    def commands(self) -> dict[str, list[str]]:
        folder = serve_dir()
        o = self.options
        commands = {}
        if o.mail_dir is not None:
            commands["smtp"] = [
                PYTHON, "-m", "portal.ops.serve.mailsink",
                "--dir", str(o.mail_dir), "--port", str(o.smtp_port),
            ]  # fmt: skip
        commands["web"] = [
            PYTHON, "-m", "gunicorn", "portal.wsgi",
            "--bind", f"{o.host}:{o.port}",
            "--workers", str(o.web_workers),
            "--access-logfile", str(o.log_dir / "access.log") if o.log_dir else "-",
            # No password-reset or invitation token in the access log.
            "--logger-class", "portal.accounts.access_log.AccessLogger",
            "--graceful-timeout", "20",
            "--no-control-socket",
        ]  # fmt: skip
        commands["worker"] = [
            PYTHON, "-m", "celery", "-A", "portal", "worker",
            "--loglevel=INFO", f"--concurrency={o.worker_concurrency}", "--hostname=portal-worker@%h",
        ]  # fmt: skip
        # Exactly one beat: its own process, its schedule and a pid file under var/ (a second beat
        # started with the same pid file refuses to run).
        commands["beat"] = [
            PYTHON, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO",
            f"--schedule={folder / 'celerybeat-schedule'}", f"--pidfile={folder / 'celerybeat.pid'}",
        ]  # fmt: skip
        return commands

    def start(self) -> None:
        serve_dir().mkdir(parents=True, exist_ok=True)
        if self.options.log_dir:
            self.options.log_dir.mkdir(parents=True, exist_ok=True)
        for name, command in self.commands().items():
            output = None
            if self.options.log_dir:
                output = open(self.options.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (kept with the process)
            # A session of its own: Ctrl+C reaches only this script, which stops the processes in order.
            self.processes[name] = subprocess.Popen(  # noqa: S603 (our own command lines)
                command, cwd=BASE_DIR, env=self.env, stdout=output, stderr=output, start_new_session=True
            )
            if name == "smtp":
                wait_for_port("127.0.0.1", self.options.smtp_port)

    def wait_until_healthy(self, timeout: float = 60) -> None:
        url = f"http://{self.options.host}:{self.options.port}/health/"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.raise_if_one_died()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{url} antwortet nach {timeout:.0f} s nicht mit 200.")

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by each process with its children, e.g. gunicorn's workers."""
        import psutil

        used = {}
        for name, process in self.processes.items():
            try:
                parent = psutil.Process(process.pid)
                tree = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            total = 0.0
            for member in tree:
                try:
                    times = member.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                total += times.user + times.system
            used[name] = total
        return used

    def raise_if_one_died(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"Prozess {name!r} hat sich mit Status {process.returncode} beendet.")

    def stop(self, timeout: float = 25) -> None:
        """SIGTERM to every process (gunicorn and Celery finish what they are doing), SIGKILL after
        `timeout` seconds to what is left of each process group."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        self.processes.clear()


def wait_for_port(host: str, port: int, timeout: float = 15) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{host}:{port} nimmt keine Verbindung an.")
