"""The erasure journal: which accounts were erased and on which day – the account number and the day,
nothing else – in a file of its own (ERASURE_JOURNAL), outside the database and outside MEDIA_ROOT, so
outside every backup. After a restore (`make restore`, portal/ops/backup.py) every erasure it lists is
done again on the restored database: a backup taken before an erasure never brings the person back.

One JSON object a line (`{"account": 17, "day": "2026-12-06"}`), appended under an exclusive lock and
synced to disk after the erasure committed. Should that write fail, the daily retention task
(`journal_sync`) and every `make backup` add what the database knows and the journal lacks."""

import fcntl
import json
import os
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model


def journal_path() -> Path:
    return Path(settings.ERASURE_JOURNAL)


def journal_append(*, account: int, day: date, path: Path | None = None) -> None:
    path = path or journal_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps({"account": account, "day": day.isoformat()}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # gunicorn workers and the Celery worker append alike
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def journal_entries(path: Path | None = None) -> dict[int, date]:
    """Account number → day of its erasure. A line cut short by a crash is skipped."""
    path = path or journal_path()
    entries: dict[int, date] = {}
    if not path.is_file():
        return entries
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            entries.setdefault(int(entry["account"]), date.fromisoformat(entry["day"]))
        except (ValueError, KeyError, TypeError):
            continue
    return entries


def journal_sync(path: Path | None = None) -> int:
    """Add every erased account of the database that the journal lacks; creates the (empty) file, so
    a restore finds it even before the first erasure. Returns how many lines were added."""
    path = path or journal_path()
    known = journal_entries(path)
    added = 0
    erased = get_user_model().objects.filter(erased_at__isnull=False).exclude(pk__in=known)
    for pk, erased_at in erased.values_list("pk", "erased_at").order_by("pk"):
        journal_append(account=pk, day=erased_at.date(), path=path)
        added += 1
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return added
