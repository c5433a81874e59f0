"""Backup and restore: the database and the uploaded files (MEDIA_ROOT) in one tar file.

    python -m portal.ops.backup create [--dir var/backups]   # `make backup`, `manage.py backup`
    python -m portal.ops.backup restore FILE                   # `make restore FILE=…`, `manage.py restore`

The archive holds `manifest.json` (date, engine, database, Django migration state), the database and
`media/`. On PostgreSQL the database is a `pg_dump -Fc` taken in one transaction snapshot; the migration
state in the manifest is read in that same snapshot. On SQLite (the development default) it is a copy
made with SQLite's online backup API. A restore only goes into an empty database, so it never mixes
two states; the media files are copied into MEDIA_ROOT (files of the same name are replaced).

The files are written after the database: a file uploaded during the backup may be in the archive
without its row, which is harmless; deleting uploads is rare enough not to lock the portal for it.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "db.dump"
SQLITE_COPY = "db.sqlite3"
MEDIA = "media"

# Keys Django keeps in OPTIONS that are not libpq connection parameters.
DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "pool", "assume_role", "init_command"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (German)."""


@dataclass
class Manifest:
    created_at: str
    engine: str
    database: str
    migrations: dict[str, list[str]]
    media_files: int
    server_version: str = ""
    dump_tool: str = ""
    format: int = FORMAT

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupError(
                f"Die Sicherung hat das Format {data.get('format')!r}; "
                f"diese Version des Portals liest nur Format {FORMAT}."
            )
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


# --- helpers --------------------------------------------------------------------------------------


def _engine(database: dict) -> str:
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine not in {"postgresql", "sqlite3"}:
        raise BackupError(
            f"Die Datenbank-Engine {database['ENGINE']} wird nicht unterstützt; "
            "Sicherungen gibt es für PostgreSQL und SQLite."
        )
    return engine


def _default_database() -> dict:
    from django.db import connections

    return connections["default"].settings_dict


def _media_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} wurde nicht gefunden. Installieren Sie das Paket postgresql-client "
            "(als root erledigt `make backup` das selbst)."
        )
    return path


def _tool_version(path: str) -> tuple[str, int]:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)  # noqa: S603
    text = result.stdout.strip()
    match = re.search(r"(\d+)(?:\.\d+)*", text)
    return text, int(match.group(1)) if match else 0


def _pg_env(database: dict) -> dict:
    """libpq reads the connection from the environment: no password on a command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[var] = str(database[key])
    options = database.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _pg_connect(database: dict):
    import psycopg2

    options = {k: v for k, v in (database.get("OPTIONS") or {}).items() if k not in DJANGO_ONLY_OPTIONS}
    params = {
        "dbname": database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        **options,
    }
    try:
        return psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    except psycopg2.OperationalError as error:
        raise BackupError(
            f"Die Datenbank „{database['NAME']}“ ist nicht erreichbar: {str(error).strip()}. "
            "Prüfen Sie DATABASE_URL; eine neue Datenbank legen Sie mit `createdb NAME` an."
        ) from None


def _migrations(rows) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} ist fehlgeschlagen:\n{result.stderr.strip()}")


# --- create ---------------------------------------------------------------------------------------


def _dump_postgresql(database: dict, target: Path) -> dict:
    pg_dump = _tool("pg_dump")
    tool_text, tool_major = _tool_version(pg_dump)
    connection = _pg_connect(database)
    try:
        # One snapshot for the migration state and the dump: what the manifest says is what the dump holds.
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            server_num = int(cursor.fetchone()[0])
            cursor.execute("SHOW server_version")
            server_text = cursor.fetchone()[0]
            if tool_major < server_num // 10000:
                raise BackupError(
                    f"pg_dump ist Version {tool_major}, der Datenbankserver Version {server_num // 10000}. "
                    f"pg_dump muss mindestens so neu sein wie der Server: installieren Sie "
                    f"postgresql-client-{server_num // 10000}."
                )
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
            rows = []
            if cursor.fetchone()[0]:
                cursor.execute("SELECT app, name FROM django_migrations")
                rows = cursor.fetchall()
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", database["NAME"]],
                env=_pg_env(database),
            )
    finally:
        connection.close()
    return {"migrations": _migrations(rows), "server_version": server_text, "dump_tool": tool_text}


def _copy_sqlite(database: dict, target: Path) -> dict:
    source = Path(database["NAME"])
    if not source.is_file():
        raise BackupError(f"Die SQLite-Datenbank {source} gibt es nicht.")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)  # consistent while the portal keeps writing
    with sqlite3.connect(target) as copy:
        rows = []
        if copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
            rows = copy.execute("SELECT app, name FROM django_migrations").fetchall()
    return {"migrations": _migrations(rows), "server_version": sqlite3.sqlite_version, "dump_tool": "sqlite3"}


def create(directory: Path, *, database: dict | None = None, media_root: Path | None = None) -> Path:
    """Write one archive into `directory` and return its path; readable by the owner only."""
    database = database or _default_database()
    media_root = media_root or _media_root()
    engine = _engine(database)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    final = directory / f"abh-portal-{now:%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory(prefix="abh-backup-") as work:
        work = Path(work)
        if engine == "postgresql":
            db_file = work / PG_DUMP
            details = _dump_postgresql(database, db_file)
        else:
            db_file = work / SQLITE_COPY
            details = _copy_sqlite(database, db_file)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = Manifest(
            created_at=now.isoformat(timespec="seconds"),
            engine=engine,
            database=str(database["NAME"]),
            media_files=len(media_files),
            **details,
        )
        (work / MANIFEST).write_text(json.dumps(manifest.__dict__, indent=2, ensure_ascii=False))
        partial = final.with_suffix(".tar.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(db_file, arcname=db_file.name)
            archive.add(media_root if media_root.is_dir() else work, arcname=MEDIA, recursive=False)
            for path in media_files:
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        partial.rename(final)  # never a half-written archive under the final name
    return final


# --- restore --------------------------------------------------------------------------------------


def _pg_table_count(database: dict) -> int:
    connection = _pg_connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _sqlite_table_count(database: dict) -> int:
    path = Path(database["NAME"])
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def _refuse_unless_empty(database: dict, engine: str) -> None:
    tables = _pg_table_count(database) if engine == "postgresql" else _sqlite_table_count(database)
    if tables:
        raise BackupError(
            f"Die Zieldatenbank „{database['NAME']}“ ist nicht leer: sie enthält {tables} Tabellen. "
            "Eine Sicherung wird nur in eine leere Datenbank wiederhergestellt. Legen Sie eine neue "
            "Datenbank an (z. B. `createdb abh_neu`), setzen Sie DATABASE_URL darauf und rufen Sie "
            "`make restore FILE=…` erneut auf."
        )


def _restore_postgresql(database: dict, dump: Path, manifest: Manifest) -> None:
    pg_restore = _tool("pg_restore")
    _text, major = _tool_version(pg_restore)
    dumped_by = re.search(r"(\d+)(?:\.\d+)*", manifest.dump_tool)
    if dumped_by and major < int(dumped_by.group(1)):
        raise BackupError(
            f"Die Sicherung wurde mit pg_dump {dumped_by.group(1)} geschrieben, pg_restore ist Version "
            f"{major}. Installieren Sie postgresql-client-{dumped_by.group(1)} oder neuer."
        )
    # One transaction: a failed restore leaves the database empty, not half filled.
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        env=_pg_env(database),
    )


def _restore_sqlite(database: dict, copy: Path) -> None:
    target = Path(database["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(copy, partial)
    partial.rename(target)


def restore(archive_path: Path, *, database: dict | None = None, media_root: Path | None = None) -> Manifest:
    """Restore an archive of `create` into the (empty) database and MEDIA_ROOT."""
    database = database or _default_database()
    media_root = media_root or _media_root()
    engine = _engine(database)
    if not archive_path.is_file():
        raise BackupError(f"Die Sicherungsdatei {archive_path} gibt es nicht.")
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 (closed by the `with` below)
    except tarfile.TarError:
        raise BackupError(f"{archive_path} ist keine Sicherung des Portals (kein tar-Archiv).") from None
    with archive, tempfile.TemporaryDirectory(prefix="abh-restore-") as work:
        work = Path(work)
        try:
            manifest = Manifest.from_json(archive.extractfile(MANIFEST).read())
        except (KeyError, AttributeError, ValueError, TypeError):
            raise BackupError(
                f"{archive_path} ist keine Sicherung des Portals (manifest.json fehlt)."
            ) from None
        if manifest.engine != engine:
            raise BackupError(
                f"Die Sicherung stammt aus {manifest.engine}, DATABASE_URL zeigt aber auf {engine}. "
                "Eine Sicherung lässt sich nur in dieselbe Art Datenbank wiederherstellen."
            )
        _refuse_unless_empty(database, engine)
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(work, filter="data")
        if engine == "postgresql":
            _restore_postgresql(database, work / PG_DUMP, manifest)
        else:
            _restore_sqlite(database, work / SQLITE_COPY)
        if (work / MEDIA).is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / MEDIA, media_root, dirs_exist_ok=True)
    return manifest


# --- command line (also `manage.py backup` and `manage.py restore`) --------------------------------


def default_directory() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "backups"


def created_text(path: Path) -> str:
    return f"Sicherung geschrieben: {path}"


def restored_text(manifest: Manifest) -> str:
    return (
        f"Wiederhergestellt in „{_default_database()['NAME']}“: die Sicherung der Datenbank "
        f"„{manifest.database}“ vom {manifest.created_at} mit {manifest.media_files} hochgeladenen "
        "Dateien. Ist der Code neuer als die Sicherung, folgt jetzt `python manage.py migrate`."
    )


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m portal.ops.backup", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="Sicherung schreiben")
    make.add_argument("--dir", type=Path, default=default_directory())
    back = commands.add_parser("restore", help="Sicherung in eine leere Datenbank zurückspielen")
    back.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "create":
            print(created_text(create(args.dir)))
        else:
            print(restored_text(restore(args.file)))
    except BackupError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
