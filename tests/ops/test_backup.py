"""make backup / make restore (and `manage.py backup` / `restore`): a database and its uploaded files come
back whole, and only into an empty database (portal/ops/backup.py)."""

import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from portal.ops import backup
from tests.factories import EnrollmentFactory, MeasureFactory, MinutesItemFactory


@pytest.fixture(autouse=True)
def _erasure_journal(settings):
    """A restore needs the erasure journal (portal/privacy/journal.py); here an empty one."""
    settings.ERASURE_JOURNAL.touch()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- PostgreSQL (CI) ----------------------------------------------------------------------------------


def _pg_admin(database):
    """An autocommit connection for CREATE/DROP DATABASE."""
    conn = backup._pg_connect(database)
    conn.autocommit = True
    return conn


def _row_counts(database, tables) -> dict[str, int]:
    conn = backup._pg_connect(database)
    try:
        with conn.cursor() as cursor:
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


@pytest.fixture
def empty_pg_database():
    """A new, empty database next to the test database; dropped afterwards."""
    source = connection.settings_dict
    target = {**source, "NAME": f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"}
    admin = _pg_admin(source)
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target["NAME"]}"')
    yield target
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
    admin.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (pg_dump)")
@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_and_every_uploaded_file_into_a_new_database(tmp_path, empty_pg_database):
    # Committed data in many tables: the demo (authorities, processes, courses, networks, discussions,
    # the library with its uploaded files) and a few more rows.
    call_command("seed_demo", verbosity=0)
    EnrollmentFactory()
    MeasureFactory()
    MinutesItemFactory()
    media = Path(settings.MEDIA_ROOT)
    uploaded = _files(media)
    assert uploaded, "the demo library puts files into MEDIA_ROOT"

    archive = backup.create(tmp_path / "backups")

    assert archive.stat().st_mode & 0o077 == 0, "a backup holds personal data: owner only"
    restored_media = tmp_path / "restored-media"
    manifest = backup.restore(archive, database=empty_pg_database, media_root=restored_media)

    tables = connection.introspection.table_names()
    source_counts = _row_counts(connection.settings_dict, tables)
    assert sum(1 for n in source_counts.values() if n) >= 30, source_counts
    assert _row_counts(empty_pg_database, tables) == source_counts
    assert _files(restored_media) == uploaded
    assert manifest.engine == "postgresql"
    assert manifest.database == connection.settings_dict["NAME"]
    assert manifest.media_files == len(uploaded)
    assert "0001_initial" in manifest.migrations["training"]

    # A second restore into the now filled database is refused and changes nothing.
    with pytest.raises(backup.BackupError, match="ist nicht leer") as refusal:
        backup.restore(archive, database=empty_pg_database, media_root=tmp_path / "elsewhere")
    assert "leere Datenbank" in str(refusal.value)
    assert _row_counts(empty_pg_database, tables) == source_counts
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (pg_dump)")
def test_backup_refuses_a_pg_dump_older_than_the_server(db, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "_tool_version", lambda path: ("pg_dump (PostgreSQL) 9.6.24", 9))

    with pytest.raises(backup.BackupError, match="pg_dump ist Version 9, der Datenbankserver Version 1"):
        backup.create(tmp_path / "backups")

    assert not list((tmp_path / "backups").iterdir())


# --- SQLite (the development default) and bad input ----------------------------------------------------


def _sqlite_database(path: Path, rows: int | None) -> dict:
    if rows is not None:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
            db.execute("INSERT INTO django_migrations VALUES ('training', '0001_initial')")
            db.execute("CREATE TABLE things (name TEXT)")
            db.executemany("INSERT INTO things VALUES (?)", [(f"Ding {n}",) for n in range(rows)])
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def test_sqlite_backup_round_trip(tmp_path):
    source = _sqlite_database(tmp_path / "portal.sqlite3", rows=25)
    media = tmp_path / "media"
    (media / "bibliothek").mkdir(parents=True)
    (media / "bibliothek" / "konzept.pdf").write_bytes(b"%PDF-1.7 Konzept")

    archive = backup.create(tmp_path / "backups", database=source, media_root=media)

    with tarfile.open(archive) as tar:
        assert {"manifest.json", "db.sqlite3", "media/bibliothek/konzept.pdf"} <= set(tar.getnames())
    target = _sqlite_database(tmp_path / "neu" / "portal.sqlite3", rows=None)
    manifest = backup.restore(archive, database=target, media_root=tmp_path / "media-neu")
    with sqlite3.connect(target["NAME"]) as db:
        assert db.execute("SELECT count(*) FROM things").fetchone()[0] == 25
    assert (tmp_path / "media-neu" / "bibliothek" / "konzept.pdf").read_bytes() == b"%PDF-1.7 Konzept"
    assert manifest.migrations == {"training": ["0001_initial"]}
    assert manifest.media_files == 1


def test_restore_refuses_a_database_with_tables(tmp_path):
    archive = backup.create(
        tmp_path / "backups", database=_sqlite_database(tmp_path / "a.sqlite3", rows=3), media_root=tmp_path
    )
    filled = _sqlite_database(tmp_path / "b.sqlite3", rows=7)

    with pytest.raises(backup.BackupError) as refusal:
        backup.restore(archive, database=filled, media_root=tmp_path / "media")

    assert "Die Zieldatenbank „" in str(refusal.value)
    assert "nicht leer: sie enthält 2 Tabellen" in str(refusal.value)
    with sqlite3.connect(filled["NAME"]) as db:
        assert db.execute("SELECT count(*) FROM things").fetchone()[0] == 7


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    stray = tmp_path / "irgendwas.tar"
    with tarfile.open(stray, "w") as tar:
        tar.add(__file__, arcname="notizen.py")
    not_a_tar = tmp_path / "kaputt.tar"
    not_a_tar.write_text("kein Archiv")
    target = _sqlite_database(tmp_path / "leer.sqlite3", rows=None)

    for path, message in [
        (stray, "manifest.json fehlt"),
        (not_a_tar, "kein tar-Archiv"),
        (tmp_path / "fehlt.tar", "gibt es nicht"),
    ]:
        with pytest.raises(backup.BackupError, match=message):
            backup.restore(path, database=target, media_root=tmp_path / "media")


def test_restore_refuses_another_kind_of_database(tmp_path):
    archive = backup.create(
        tmp_path / "b", database=_sqlite_database(tmp_path / "a.sqlite3", rows=1), media_root=tmp_path / "m"
    )
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "abh"}

    with pytest.raises(backup.BackupError, match="aus sqlite3, DATABASE_URL zeigt aber auf postgresql"):
        backup.restore(archive, database=postgres)


def test_command_line_says_what_went_wrong_in_german(tmp_path, capsys):
    code = backup.main(["restore", str(tmp_path / "fehlt.tar")])

    assert code == 1
    assert "Fehler: Die Sicherungsdatei" in capsys.readouterr().err


# --- manage.py backup / restore: the same as `python -m portal.ops.backup create|restore` ---------------


@pytest.fixture
def default_database(monkeypatch):
    """The commands work on the default database; here a SQLite file the test chooses."""

    def use(database):
        monkeypatch.setattr(backup, "_default_database", lambda: database)

    return use


def test_manage_py_backup_and_restore_bring_back_every_row_and_file(db, tmp_path, settings, default_database):
    default_database(_sqlite_database(tmp_path / "portal.sqlite3", rows=25))
    (Path(settings.MEDIA_ROOT) / "bibliothek").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "bibliothek" / "konzept.pdf").write_bytes(b"%PDF-1.7 Konzept")
    out = StringIO()

    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)

    [archive] = (tmp_path / "backups").iterdir()
    assert out.getvalue().startswith(f"Sicherung geschrieben: {archive}\n")
    assert "NICHT verschlüsselt" in out.getvalue()

    target = _sqlite_database(tmp_path / "neu" / "portal.sqlite3", rows=None)
    default_database(target)
    settings.MEDIA_ROOT = tmp_path / "media-neu"
    out = StringIO()

    call_command("restore", str(archive), stdout=out)

    assert out.getvalue().startswith(f"Wiederhergestellt in „{target['NAME']}“: die Sicherung der Datenbank")
    assert "mit 1 hochgeladenen Dateien" in out.getvalue()
    with sqlite3.connect(target["NAME"]) as db:
        assert db.execute("SELECT count(*) FROM things").fetchone()[0] == 25
    assert (tmp_path / "media-neu" / "bibliothek" / "konzept.pdf").read_bytes() == b"%PDF-1.7 Konzept"


def test_manage_py_backup_writes_under_backup_dir_by_default(db, tmp_path, settings, default_database):
    default_database(_sqlite_database(tmp_path / "portal.sqlite3", rows=1))
    settings.BACKUP_DIR = tmp_path / "var" / "backups"

    call_command("backup", stdout=StringIO())

    assert [p.suffix for p in (tmp_path / "var" / "backups").iterdir()] == [".tar"]


def test_manage_py_restore_refuses_a_database_with_tables(tmp_path, default_database):
    archive = backup.create(
        tmp_path / "backups", database=_sqlite_database(tmp_path / "a.sqlite3", rows=3), media_root=tmp_path
    )
    default_database(_sqlite_database(tmp_path / "b.sqlite3", rows=7))

    with pytest.raises(CommandError, match="nicht leer: sie enthält 2 Tabellen"):
        call_command("restore", str(archive), stdout=StringIO())


def test_manage_py_restore_says_in_german_that_the_file_is_missing_and_exits_1(tmp_path):
    finished = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "fehlt.tar")],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'leer.sqlite3'}"},
        capture_output=True,
        text=True,
    )

    assert finished.returncode == 1
    assert f"Die Sicherungsdatei {tmp_path / 'fehlt.tar'} gibt es nicht." in finished.stderr
