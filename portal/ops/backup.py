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

Erasures survive a restore: the erasure journal (ERASURE_JOURNAL, portal/privacy/journal.py: account
number and day, outside the database and MEDIA_ROOT, so never in an archive) is brought up to date by
every backup, and after a restore the database is migrated to the code's state and every account the
journal lists is erased again. A restore without the journal is refused unless the operator says so.

Archives are encrypted with GnuPG (`.tar.gpg`): to the public key BACKUP_GPG_RECIPIENT, or symmetrically
(AES-256) with the passphrase in BACKUP_PASSPHRASE_FILE; the key is never in the archive. Production
refuses to write an unencrypted backup. After each backup, archives older than BACKUP_RETENTION_DAYS in
the same folder are deleted (never the newest).
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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "db.dump"
SQLITE_COPY = "db.sqlite3"
MEDIA = "media"
ARCHIVE_NAME = re.compile(r"^abh-portal-(\d{8}-\d{6})\.tar(\.gpg)?$")

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
    # Not in the archive: what the restore did afterwards.
    erasures_reapplied: list[int] = field(default_factory=list)

    def to_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k != "erasures_reapplied"}
        return json.dumps(data, indent=2, ensure_ascii=False)

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


@dataclass(frozen=True)
class Encryption:
    """To a public key (`recipient`) or symmetrically with the passphrase in `passphrase_file`."""

    recipient: str = ""
    passphrase_file: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.recipient or self.passphrase_file)


def _settings_encryption() -> Encryption:
    from django.conf import settings

    return Encryption(settings.BACKUP_GPG_RECIPIENT, settings.BACKUP_PASSPHRASE_FILE)


def configured_encryption() -> Encryption:
    """For writing: production refuses a backup without encryption."""
    from django.conf import settings

    encryption = _settings_encryption()
    if not encryption.enabled and settings.PRODUCTION:
        raise BackupError(
            "Sicherungen werden im Betrieb nur verschlüsselt geschrieben. Setzen Sie BACKUP_GPG_RECIPIENT "
            "(öffentlicher GnuPG-Schlüssel) oder BACKUP_PASSPHRASE_FILE (Datei mit der Passphrase)."
        )
    return encryption


def _gpg() -> str:
    path = shutil.which("gpg")
    if not path:
        raise BackupError("gpg wurde nicht gefunden. Installieren Sie das Paket gnupg.")
    return path


def _passphrase_file(encryption: Encryption) -> str:
    if not Path(encryption.passphrase_file).is_file():
        raise BackupError(
            f"Die Passphrase-Datei {encryption.passphrase_file} (BACKUP_PASSPHRASE_FILE) fehlt."
        )
    return encryption.passphrase_file


def _encrypt(source: Path, target: Path, encryption: Encryption) -> None:
    gpg = [_gpg(), "--batch", "--yes", "--output", str(target)]
    if encryption.recipient:
        # The operator chose the key; the keyring's trust database has no say.
        _run([*gpg, "--trust-model", "always", "--encrypt", "--recipient", encryption.recipient, str(source)])
    else:
        _run(
            [
                *gpg,
                "--pinentry-mode",
                "loopback",
                "--passphrase-file",
                _passphrase_file(encryption),
                "--symmetric",
                "--cipher-algo",
                "AES256",
                str(source),
            ]
        )
    os.chmod(target, 0o600)


def _decrypt(source: Path, target: Path, encryption: Encryption) -> None:
    # Without a passphrase file the secret key comes from the keyring (gpg-agent may ask for its passphrase).
    command = [_gpg(), "--yes", "--output", str(target)]
    if encryption.passphrase_file:
        command += [
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase-file",
            _passphrase_file(encryption),
        ]
    try:
        _run([*command, "--decrypt", str(source)])
    except BackupError as error:
        raise BackupError(
            f"{source} ließ sich nicht entschlüsseln. Ist der private Schlüssel (oder "
            f"BACKUP_PASSPHRASE_FILE) da?\n{error}"
        ) from None


def create(
    directory: Path,
    *,
    database: dict | None = None,
    media_root: Path | None = None,
    encryption: Encryption | None = None,
) -> Path:
    """Write one archive into `directory` and return its path; readable by the owner only."""
    database = database or _default_database()
    media_root = media_root or _media_root()
    encryption = encryption if encryption is not None else configured_encryption()
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
        (work / MANIFEST).write_text(manifest.to_json())
        partial = final.with_suffix(".tar.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
                archive.add(work / MANIFEST, arcname=MANIFEST)
                archive.add(db_file, arcname=db_file.name)
                archive.add(media_root if media_root.is_dir() else work, arcname=MEDIA, recursive=False)
                for path in media_files:
                    archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
            if encryption.enabled:
                final = final.with_name(final.name + ".gpg")
                sealed = final.with_name(final.name + ".part")
                _encrypt(partial, sealed, encryption)
                sealed.rename(final)
            else:
                partial.rename(final)  # never a half-written archive under the final name
        finally:
            partial.unlink(missing_ok=True)  # the unencrypted tar never stays beside the encrypted one
    return final


def rotate(directory: Path, *, days: int, now: datetime | None = None) -> list[Path]:
    """Delete the archives in `directory` older than `days` (by the time in their name); the newest
    stays whatever its age. Returns the deleted paths."""
    now = now or datetime.now(UTC)
    archives = sorted((p for p in directory.iterdir() if ARCHIVE_NAME.match(p.name)), key=lambda p: p.name)
    removed = []
    for path in archives[:-1]:
        match = ARCHIVE_NAME.match(path.name)
        assert match is not None
        taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        if taken < now - timedelta(days=days):
            path.unlink()
            removed.append(path)
    return removed


def backup_and_rotate(directory: Path) -> tuple[Path, list[Path]]:
    """`make backup`: the erasure journal brought up to date (it is not in the archive), a new archive,
    then the old ones past BACKUP_RETENTION_DAYS go."""
    from django.conf import settings

    from portal.privacy.journal import journal_sync

    journal_sync()
    archive = create(directory)
    return archive, rotate(directory, days=settings.BACKUP_RETENTION_DAYS)


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


def _journal_default() -> Path:
    from django.conf import settings

    return Path(settings.ERASURE_JOURNAL)


def _database_url(database: dict) -> str:
    """DATABASE_URL of `database`, for the `manage.py` steps that follow a restore."""
    if _engine(database) == "sqlite3":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    user = quote(str(database.get("USER") or ""), safe="")
    password = quote(str(database.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    url = (
        f"postgres://{credentials}{database.get('HOST') or ''}{port}/{quote(str(database['NAME']), safe='')}"
    )
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    return f"{url}?sslmode={sslmode}" if sslmode else url


def _reapply_erasures(database: dict, media_root: Path, journal: Path) -> list[int]:
    """Bring the restored database to the code's migration state and erase every account of the
    journal again. Run as `manage.py` against the restored database, whichever one this process uses."""
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "MEDIA_ROOT": str(media_root),
        "ERASURE_JOURNAL": str(journal),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    _run([*manage, "migrate", "--no-input", "-v", "0"], env=env)
    result = subprocess.run(  # noqa: S603
        [*manage, "apply_erasure_journal", "--json"], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode:
        raise BackupError(
            "Die Datenbank ist wiederhergestellt, aber die Löschungen aus dem Löschprotokoll ließen sich "
            "nicht erneut anwenden. Geben Sie das Portal nicht frei, bevor `python manage.py "
            f"apply_erasure_journal` fehlerfrei durchläuft:\n{result.stderr.strip()}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def restore(
    archive_path: Path,
    *,
    database: dict | None = None,
    media_root: Path | None = None,
    journal: Path | None = None,
    without_journal: bool = False,
    encryption: Encryption | None = None,
) -> Manifest:
    """Restore an archive of `create` into the (empty) database and MEDIA_ROOT, then erase again
    every account of the erasure journal."""
    from portal.privacy.journal import journal_entries

    database = database or _default_database()
    media_root = media_root or _media_root()
    journal = journal or _journal_default()
    engine = _engine(database)
    if not archive_path.is_file():
        raise BackupError(f"Die Sicherungsdatei {archive_path} gibt es nicht.")
    if not without_journal and not journal.is_file():
        raise BackupError(
            f"Das Löschprotokoll {journal} (ERASURE_JOURNAL) fehlt. Ohne es kämen Personen, die nach der "
            "Sicherung gelöscht wurden, mit ihr zurück. Spielen Sie die Datei aus ihrer eigenen Ablage "
            "zurück; nur wenn es nie eine Löschung gab, rufen Sie die Wiederherstellung mit "
            "--ohne-loeschprotokoll auf."
        )
    with tempfile.TemporaryDirectory(prefix="abh-restore-") as work:
        work = Path(work)
        if archive_path.name.endswith(".gpg"):
            plain = work / "archive.tar"
            # Without a passphrase file gpg takes the secret key from the keyring of whoever restores.
            _decrypt(archive_path, plain, encryption if encryption is not None else _settings_encryption())
            archive_path_plain = plain
        else:
            archive_path_plain = archive_path
        try:
            archive = tarfile.open(archive_path_plain, "r:*")  # noqa: SIM115 (closed by the `with` below)
        except tarfile.TarError:
            raise BackupError(f"{archive_path} ist keine Sicherung des Portals (kein tar-Archiv).") from None
        with archive:
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
            content = work / "content"
            archive.extractall(content, filter="data")
        if engine == "postgresql":
            _restore_postgresql(database, content / PG_DUMP, manifest)
        else:
            _restore_sqlite(database, content / SQLITE_COPY)
        if (content / MEDIA).is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(content / MEDIA, media_root, dirs_exist_ok=True)
    if not without_journal and journal_entries(journal):
        manifest.erasures_reapplied = _reapply_erasures(database, media_root, journal)
    return manifest


# --- command line (also `manage.py backup` and `manage.py restore`) --------------------------------


def default_directory() -> Path:
    from django.conf import settings

    return Path(settings.BACKUP_DIR)


def created_text(path: Path, removed: list[Path] | None = None) -> str:
    lines = [f"Sicherung geschrieben: {path}"]
    if not path.name.endswith(".gpg"):
        lines.append("Die Sicherung ist NICHT verschlüsselt (BACKUP_GPG_RECIPIENT / BACKUP_PASSPHRASE_FILE).")
    if removed:
        lines.append(f"{len(removed)} ältere Sicherung(en) nach Ablauf der Aufbewahrungsfrist gelöscht.")
    return "\n".join(lines)


def restored_text(manifest: Manifest, *, without_journal: bool = False) -> str:
    text = (
        f"Wiederhergestellt in „{_default_database()['NAME']}“: die Sicherung der Datenbank "
        f"„{manifest.database}“ vom {manifest.created_at} mit {manifest.media_files} hochgeladenen "
        "Dateien."
    )
    if without_journal:
        return text + (
            " Das Löschprotokoll wurde NICHT angewandt. Ist der Code neuer als die Sicherung, folgt jetzt "
            "`python manage.py migrate`."
        )
    reapplied = manifest.erasures_reapplied
    return text + (
        f" Löschprotokoll angewandt: {len(reapplied)} Person(en) erneut gelöscht"
        + (f" (Konto-Nr. {', '.join(map(str, reapplied))})" if reapplied else "")
        + "; die Datenbank ist auf dem Stand des Codes, wenn es Löschungen gab. Sonst folgt, ist der Code "
        "neuer als die Sicherung, `python manage.py migrate`."
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
    back.add_argument("--ohne-loeschprotokoll", dest="without_journal", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "create":
            print(created_text(*backup_and_rotate(args.dir)))
        else:
            manifest = restore(args.file, without_journal=args.without_journal)
            print(restored_text(manifest, without_journal=args.without_journal))
    except BackupError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
