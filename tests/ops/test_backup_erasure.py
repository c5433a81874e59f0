"""Backups that honour erasure: an old backup restores the person erased (the erasure journal), archives
are encrypted with GnuPG and rotated after BACKUP_RETENTION_DAYS (portal/ops/backup.py)."""

import json
import os
import subprocess
import tarfile
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from portal.ops import backup
from portal.privacy.erasure import person_erase
from tests.factories import MeasureFactory, UserFactory
from tests.ops.test_backup import _sqlite_database, empty_pg_database  # noqa: F401

PASSPHRASE = "korrekt-pferd-batterie-heftklammer"


def _pg_connect_rows(database, sql, params):
    conn = backup._pg_connect(database)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def gnupg_home(tmp_path, monkeypatch):
    """Every test has its own GnuPG home; the agent gpg starts for it is stopped afterwards, so that
    no gpg-agent outlives the run."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    yield home
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False)


@pytest.fixture
def passphrase(tmp_path) -> backup.Encryption:
    path = tmp_path / "secrets" / "backup-passphrase"
    path.parent.mkdir(mode=0o700)
    path.write_text(PASSPHRASE)
    return backup.Encryption(passphrase_file=str(path))


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (pg_dump)")
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_an_erasure_restores_the_person_erased(
    tmp_path,
    settings,
    monkeypatch,
    passphrase,
    empty_pg_database,  # noqa: F811
):
    # The manage.py steps after the restore write their broker and mail files here, not into var/.
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path / "var"))
    maria = UserFactory(first_name="Maria", last_name="Mainzer", email="maria.mainzer@mainz.example.org")
    measure = MeasureFactory(responsible="Frau Mainzer und Maria Mainzer")
    settings.ERASURE_JOURNAL.touch()
    archive = backup.create(tmp_path / "backups", encryption=passphrase)

    person_erase(user=maria)  # after the backup

    journal = [json.loads(line) for line in settings.ERASURE_JOURNAL.read_text().splitlines()]
    assert journal == [{"account": maria.pk, "day": timezone.localdate().isoformat()}]

    manifest = backup.restore(
        archive, database=empty_pg_database, media_root=tmp_path / "media-neu", encryption=passphrase
    )

    assert manifest.erasures_reapplied == [maria.pk]
    rows = _pg_connect_rows(
        empty_pg_database,
        "SELECT first_name, last_name, email, erased_at IS NOT NULL FROM accounts_user WHERE id = %s",
        [maria.pk],
    )
    assert rows == [("", "", f"geloescht-{maria.pk}@invalid", True)]
    [(responsible,)] = _pg_connect_rows(
        empty_pg_database, "SELECT responsible FROM authorities_measure WHERE id = %s", [measure.pk]
    )
    assert "Mainzer" not in responsible and "Maria" not in responsible
    assert "Mainzer" not in backup.restored_text(manifest)
    assert f"1 Person(en) erneut gelöscht (Konto-Nr. {maria.pk})" in backup.restored_text(manifest)


def test_archives_are_encrypted_and_restore_with_the_passphrase(tmp_path, passphrase):
    source = _sqlite_database(tmp_path / "portal.sqlite3", rows=3)
    media = tmp_path / "media"
    media.mkdir()
    (media / "teilnahmebescheinigung.pdf").write_bytes(b"%PDF-1.7 Maria Mainzer")

    archive = backup.create(tmp_path / "backups", database=source, media_root=media, encryption=passphrase)

    assert archive.name.endswith(".tar.gpg")
    assert archive.stat().st_mode & 0o077 == 0
    assert not tarfile.is_tarfile(archive)
    assert b"Maria Mainzer" not in archive.read_bytes()
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [archive.name], "no plain tar left beside it"

    with pytest.raises(backup.BackupError, match="ließ sich nicht entschlüsseln"):
        wrong = tmp_path / "falsch"
        wrong.write_text("falsche-passphrase")
        backup.restore(
            archive,
            database=_sqlite_database(tmp_path / "x.sqlite3", rows=None),
            media_root=tmp_path / "x",
            journal=tmp_path / "leer.jsonl",
            without_journal=True,
            encryption=backup.Encryption(passphrase_file=str(wrong)),
        )

    target = _sqlite_database(tmp_path / "neu.sqlite3", rows=None)
    backup.restore(
        archive,
        database=target,
        media_root=tmp_path / "media-neu",
        without_journal=True,
        encryption=passphrase,
    )
    assert (tmp_path / "media-neu" / "teilnahmebescheinigung.pdf").read_bytes() == b"%PDF-1.7 Maria Mainzer"


def test_archives_are_encrypted_to_a_public_key_whose_secret_part_is_elsewhere(tmp_path, settings):
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "sicherung@example.org",
            "default",
            "default",
        ],
        check=True,
        capture_output=True,
    )
    source = _sqlite_database(tmp_path / "portal.sqlite3", rows=2)

    archive = backup.create(
        tmp_path / "backups",
        database=source,
        media_root=tmp_path / "media",
        encryption=backup.Encryption(recipient="sicherung@example.org"),
    )

    listed = subprocess.run(
        ["gpg", "--batch", "--list-packets", str(archive)], capture_output=True, text=True
    )
    assert "pubkey enc packet" in listed.stdout
    # Restored on a production machine that has the secret key in its keyring and no backup settings.
    settings.PRODUCTION = True
    settings.BACKUP_GPG_RECIPIENT = settings.BACKUP_PASSPHRASE_FILE = ""
    target = _sqlite_database(tmp_path / "neu.sqlite3", rows=None)
    backup.restore(archive, database=target, media_root=tmp_path / "m", without_journal=True)
    assert Path(target["NAME"]).stat().st_size > 0


def test_production_refuses_an_unencrypted_backup(settings, tmp_path):
    settings.PRODUCTION = True
    settings.BACKUP_GPG_RECIPIENT = ""
    settings.BACKUP_PASSPHRASE_FILE = ""

    with pytest.raises(backup.BackupError, match="nur verschlüsselt"):
        backup.create(tmp_path / "b", database=_sqlite_database(tmp_path / "a.sqlite3", rows=1))

    assert not (tmp_path / "b").exists()


def test_restore_refuses_to_run_without_the_erasure_journal(tmp_path, settings):
    archive = backup.create(
        tmp_path / "b",
        database=_sqlite_database(tmp_path / "a.sqlite3", rows=1),
        media_root=tmp_path / "m",
        encryption=backup.Encryption(),
    )
    target = _sqlite_database(tmp_path / "neu.sqlite3", rows=None)
    assert not settings.ERASURE_JOURNAL.exists()

    with pytest.raises(backup.BackupError, match="Das Löschprotokoll .* fehlt. Ohne es kämen Personen"):
        backup.restore(archive, database=target, media_root=tmp_path / "m2")
    assert not Path(target["NAME"]).exists()

    manifest = backup.restore(archive, database=target, media_root=tmp_path / "m2", without_journal=True)
    assert "Das Löschprotokoll wurde NICHT angewandt" in backup.restored_text(manifest, without_journal=True)


def test_backups_older_than_the_retention_are_deleted_the_newest_stays(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [
        "abh-portal-20261001-020000.tar.gpg",  # 66 days old
        "abh-portal-20261105-020000.tar.gpg",  # 31 days
        "abh-portal-20261107-020000.tar.gpg",  # 29 days
        "abh-portal-20261206-020000.tar.gpg",
        "notizen.txt",
    ]
    for name in names:
        (folder / name).write_bytes(b"x")

    removed = backup.rotate(folder, days=30, now=datetime(2026, 12, 6, 3, 0, tzinfo=UTC))

    assert [p.name for p in removed] == names[:2]
    assert sorted(p.name for p in folder.iterdir()) == names[2:]
    # However old: the newest archive is never deleted.
    assert backup.rotate(folder, days=1, now=datetime(2027, 6, 1, tzinfo=UTC))
    assert sorted(p.name for p in folder.iterdir()) == [names[3], "notizen.txt"]


def test_make_backup_syncs_the_journal_and_rotates(db, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(backup, "_default_database", lambda: _sqlite_database(tmp_path / "p.sqlite3", rows=1))
    erased = UserFactory()
    erased.erased_at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    erased.save()
    settings.BACKUP_RETENTION_DAYS = 30
    old = tmp_path / "backups" / "abh-portal-20200101-000000.tar"
    old.parent.mkdir()
    old.write_bytes(b"alt")
    out = StringIO()

    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)

    assert not old.exists()
    assert "1 ältere Sicherung(en) nach Ablauf der Aufbewahrungsfrist gelöscht" in out.getvalue()
    assert json.loads(settings.ERASURE_JOURNAL.read_text()) == {"account": erased.pk, "day": "2026-11-02"}


def test_the_journal_is_by_default_outside_the_backed_up_folders():
    from portal import settings as configured  # the values before the tests' overrides

    journal = Path(os.path.realpath(configured.ERASURE_JOURNAL))
    assert Path(os.path.realpath(configured.MEDIA_ROOT)) not in journal.parents
    assert Path(os.path.realpath(configured.BACKUP_DIR)) not in journal.parents


def test_make_restore_says_that_it_applies_the_erasure_journal(db, monkeypatch):
    shown = subprocess.run(
        ["make", "-n", "restore", "FILE=var/backups/abh-portal-20261206-023000.tar.gpg"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert "Löschungen des Löschprotokolls (ERASURE_JOURNAL) erneut angewandt" in shown.stdout

    monkeypatch.setattr(backup, "_default_database", lambda: {"NAME": "abh_neu"})
    manifest = backup.Manifest(
        created_at="2026-11-30T02:30:00+00:00",
        engine="postgresql",
        database="abh",
        migrations={},
        media_files=3,
    )
    manifest.erasures_reapplied = [17, 23]
    text = backup.restored_text(manifest)
    assert "Löschprotokoll angewandt: 2 Person(en) erneut gelöscht (Konto-Nr. 17, 23)" in text
