"""Helpers that several test folders share (fixtures live in the conftest.py files).

Test modules import from here, from tests/factories.py and from a folder's library module (e.g.
tests/notifications/integration.py), never from another test module: a test module is read as a
specification, and one that others import cannot be split or moved freely.
"""

import datetime as dt
import io
import os
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from kombu import pools
from pypdf import PdfReader

from portal.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")


# --- time and text ---------------------------------------------------------------------------------


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of a day, German time (as the portal's users read it)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF, as a reader would copy it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def page_queries(client, path: str, params: dict | None = None) -> int:
    """How many queries one GET of a page runs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.status_code
    return len(queries)


# --- training --------------------------------------------------------------------------------------


def took_place(event, *, hours_ago: int = 1):
    """Move a course's dates (or a meeting) back in time so that the last one ended `hours_ago` hours
    ago: people enrol while it lies ahead, attendance and feedback follow once it took place."""
    from django.db.models import F, Max
    from django.utils import timezone

    from training.models import Course

    dates = event.dates.all() if isinstance(event, Course) else type(event).objects.filter(pk=event.pk)
    shift = dates.aggregate(last=Max("ends_at"))["last"] - timezone.now() + dt.timedelta(hours=hours_ago)
    dates.update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    if not isinstance(event, Course):
        event.refresh_from_db()
    return event


def attended(course, participant, present: bool = True):
    """An enrollment of `participant` with attendance recorded for every date of the course."""
    from tests.factories import EnrollmentFactory
    from training.models import Attendance

    enrollment = EnrollmentFactory(course=course, participant=participant)
    for course_date in course.dates.all():
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=present)
    return enrollment


# --- uploads ---------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def zip_of(entries: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            # ODF wants its `mimetype` entry uncompressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return out.getvalue()


def sample_docx() -> bytes:
    return zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def sample_xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def sample_odt() -> bytes:
    return zip_of({"mimetype": ODT_MIMETYPE, "content.xml": "<office:document-content/>"})


def upload_of(name: str, content: bytes) -> SimpleUploadedFile:
    """A file as the browser sends it: the type it claims says nothing (the content decides)."""
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- concurrency -----------------------------------------------------------------------------------

# Threads of one run_together: each holds a database connection. PostgreSQL allows 100, and the two
# xdist workers may run a concurrency test each at the same moment (50 threads each once made
# "too many clients already"); 25 keeps both together well below.
WORKERS = 25


def run_together(attempts, workers: int = WORKERS) -> list:
    """Run the callables at once: `workers` threads, each with its own database connection, all
    released by one barrier, each making several attempts in a row (round robin), so that `workers`
    transactions keep queueing on the same row lock for the whole run.

    Returns the outcomes in the order of `attempts`: the return value or the exception raised.
    """
    attempts = list(attempts)
    workers = min(workers, len(attempts))
    barrier = threading.Barrier(workers)
    outcomes = [None] * len(attempts)

    def work(indices):
        try:
            barrier.wait(timeout=30)
            for i in indices:
                try:
                    outcomes[i] = attempts[i]()
                except Exception as exc:  # noqa: BLE001 — every failure is a finding
                    outcomes[i] = exc
        finally:
            # Each thread has its own connection; leave none open for the test database's teardown.
            connections.close_all()

    # Round robin, so that every thread has early and late attempts.
    shares = [range(w, len(attempts), workers) for w in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work, share) for share in shares]:
            future.result()
    return outcomes


# --- processes and the broker ----------------------------------------------------------------------


def manage(*args: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a process of its own, its var/ in tmp_path. A clean environment: nothing
    from the test run (DATABASE_URL, DJANGO_SETTINGS_MODULE…) leaks in, only `env`."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, "PORTAL_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def forget_broker_connections() -> None:
    """Drop the producer pools, so that the next message goes to the broker configured now."""
    pools.reset()
    celery_app._after_fork()


def reload_indicators() -> None:
    """The indicators, programme frames and ism's project as the migrations load them, for a database a
    transactional test has emptied (seed_demo does not load migration data). With today's models:
    the historical field the first migration filled (`funding_period`) is gone."""
    from importlib import import_module

    from django.apps import apps

    from portal.reports import programme_frames
    from portal.reports.models import (
        FundingPartner,
        FundingProject,
        Indicator,
        IndicatorMapping,
        ProgrammeIndicator,
    )

    first = import_module("portal.reports.migrations.0002_seed_indicators")
    for position, (code, name_de, name_en, unit, key, total, rp, ni, amif) in enumerate(first.INDICATORS, 1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "unit": unit,
                "computation": key,
                "target_total": first._decimal(total),
                "target_rp": first._decimal(rp),
                "target_ni": first._decimal(ni),
                "position": position,
                "amif_codes": amif,
                "notes": first.NOTE,
            },
        )
    programme_frames.frames_load(
        ProgrammeIndicator=ProgrammeIndicator, Indicator=Indicator, IndicatorMapping=IndicatorMapping
    )
    if not FundingProject.objects.filter(title=programme_frames.REAL_TITLE).exists():
        programme_frames.real_project_load(FundingProject=FundingProject, FundingPartner=FundingPartner)
    import_module("portal.reports.migrations.0009_survey_indicators").seed(apps, None)
    import_module("portal.reports.migrations.0011_english_units").english(apps, None)
