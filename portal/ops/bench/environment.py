"""Where the bench runs: its own database, its own var/ folder and broker queue, production settings.

Never the developer's database: with DATABASE_URL pointing to PostgreSQL, the bench creates and drops
`abh_bench` (or `BENCH_DATABASE`) on the same server; otherwise it uses a SQLite file under var/bench/.
The broker is Redis database 9 on 127.0.0.1 when CELERY_BROKER_URL is set, otherwise the embedded
filesystem broker in the bench's own folder (so no worker of `make run` picks the bench's messages up).
With Redis the cache is Redis database 10 (emptied at the start), as production's CACHE_URL: sessions
are then `cached_db` (read from the cache, not the database) and all processes share one cache.
"""

import os
import re
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[3]  # portal/ops/<tool>/<module>.py -> the checkout
BENCH_DIR = BASE_DIR / "var" / "bench"
RUN_DIR = BENCH_DIR / "run"
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "abh_bench")
if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", DATABASE_NAME):  # goes into DROP/CREATE DATABASE
    raise SystemExit(f"BENCH_DATABASE={DATABASE_NAME!r}: nur Kleinbuchstaben, Ziffern und _")
REDIS_BROKER = "redis://127.0.0.1:6379/9"
REDIS_CACHE = "redis://127.0.0.1:6379/10"


@dataclass
class Environment:
    database_url: str
    postgres: bool
    broker_url: str
    cache_url: str

    @property
    def database_label(self) -> str:
        if self.postgres:
            return f"PostgreSQL (Datenbank {DATABASE_NAME})"
        return "SQLite (DATABASE_URL nicht gesetzt, nicht PostgreSQL)"

    @property
    def broker_label(self) -> str:
        return (
            "Redis 127.0.0.1:6379/9" if self.broker_url.startswith("redis") else "eingebettet (Dateisystem)"
        )

    @property
    def cache_label(self) -> str:
        if self.cache_url:
            return "Redis 127.0.0.1:6379/10 (Sitzungen cached_db)"
        return "im Speicher jedes Prozesses (Sitzungen in der Datenbank)"


def bench_database_url(developer_url: str) -> tuple[str, bool]:
    """The bench's database on the same PostgreSQL server, or a SQLite file under var/bench/."""
    if developer_url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(developer_url)
        return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}")), True
    return f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}", False


def broker_and_cache(redis: bool) -> tuple[str, str]:
    """The broker's and the cache's URL: with Redis two databases of their own (the broker's queue is
    purged and the cache emptied without touching the other); otherwise the embedded broker and each
    process's own cache (CACHE_URL empty: sessions in the database only)."""
    if redis:
        return REDIS_BROKER, REDIS_CACHE
    return "filesystem://", ""


def prepare() -> Environment:
    """Set the environment for Django (call before django.setup()) and start from an empty database."""
    database_url, postgres = bench_database_url(os.environ.get("DATABASE_URL", ""))
    broker_url, cache_url = broker_and_cache(bool(os.environ.get("CELERY_BROKER_URL")))
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.ops.bench.settings",
            # Production settings (manifest static files, no DEBUG, session written at most once a minute);
            # plain http on 127.0.0.1, so no redirect to https.
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "PORTAL_VAR_DIR": str(RUN_DIR),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CACHE_URL": cache_url,
            "EMAIL_URL": "",
            "LOG_LEVEL": "WARNING",
            # A running period's indicators stay in the cache until a counted fact changes: in
            # production with the shared cache (CACHE_URL), here too with Redis. Without Redis the
            # cache is each process's own, which is as good here: the pages are read in one process,
            # and the served ones only read.
            "PORTAL_RUNNING_FIGURES_CACHE": "true",
        }
    )
    os.environ.pop("STATIC_ROOT", None)
    os.environ.pop("MEDIA_ROOT", None)
    if cache_url:
        _empty_redis(cache_url)
    if postgres:
        _recreate_postgres(database_url)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BENCH_DIR / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
    return Environment(
        database_url=database_url, postgres=postgres, broker_url=broker_url, cache_url=cache_url
    )


def _empty_redis(url: str) -> None:
    """What an earlier run left in the bench's cache (sessions, figures of a dropped database)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def _server_connection(database_url: str):
    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection


def _recreate_postgres(database_url: str) -> None:
    connection = _server_connection(database_url)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE_NAME}")
    connection.close()


def clean_up(environment: Environment) -> None:
    """Drop the bench's database and its folder; the table stays in var/bench/latest.md."""
    from django.db import connections

    from portal.celery import app

    try:
        app.control.purge()  # what a failed run left in the bench's queue
    except Exception as error:  # noqa: BLE001 – the broker may be what failed
        print(f"Warteschlange nicht geleert: {error}", file=sys.stderr)
    connections.close_all()
    if environment.cache_url:
        _empty_redis(environment.cache_url)
    if environment.postgres:
        connection = _server_connection(environment.database_url)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        connection.close()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BENCH_DIR / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(RUN_DIR, ignore_errors=True)
