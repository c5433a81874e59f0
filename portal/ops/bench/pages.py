"""Sections 1 and 2: the floors and the main pages, rendered in-process by Django's test client.

Each page is requested WARMUP times first, then all pages and floors in turns REPEAT times; the median
is compared with floor 2's.
The number of queries comes from one more request under CaptureQueriesContext (not timed)."""

import cProfile
import io
import os
import pstats
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from authorities.models import ChangeProcess, SurveyWave
from network.models import Network, Thread
from portal.accounts.models import User
from portal.middleware import SESSION_REFRESHED_KEY
from portal.ops.bench import data
from portal.ops.bench.environment import BENCH_DIR
from portal.ops.bench.report import Row, format_ms, ratio
from training.models import Course, CourseStatus, EnrollmentStatus

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
WARMUP = 5
TARGET = 2.0
MAX_QUERIES = 20
# BENCH_PROFILE=1: every page that misses its target is profiled (cProfile, PROFILE_REQUESTS requests)
# into var/bench/profiles/, to see where its time goes.
PROFILE = bool(os.environ.get("BENCH_PROFILE"))
PROFILE_REQUESTS = 10
# BENCH_PAGES=Katalog,Suche: only the main pages whose label contains one of the words (a closer look at
# a few pages; the floors are always measured).
ONLY = [word.strip().lower() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]

FLOORS = [
    ("Boden 1: konstante Antwort", "/bench/constant/"),
    ("Boden 2: 100 Zeilen, 1 Abfrage", "/bench/rows/"),
]
# What every logged-in page pays (project staff, second factor verified): the middleware alone, then an
# empty page in the layout with the context processors and the navigation (issue 18).
SIGNED_IN_FLOORS = [
    ("Grundkosten angemeldet: konstante Antwort", "/bench/signed-in/"),
    ("Grundkosten angemeldet: leere Seite im Layout", "/bench/layout/"),
]


@dataclass
class Page:
    label: str
    url: str
    user: str | None  # e-mail of the demo account that opens it; None: nobody logged in


PROJECT = "projekt@example.org"
COORDINATOR = "mainz@example.org"  # authority staff (coordinator of Stadt Mainz)
FUNDER = "foerderung@example.org"


def main_pages() -> list[Page]:
    """The issue's main pages of every role, each as the person who uses it (demo accounts of
    seed_demo); at 1x the same pages with the demo's objects (the crowded course and the long thread
    are made by data.build_tenfold, at 1x their places take the demo's biggest)."""
    by_size = Course.objects.annotate(
        n=Count("enrollments", filter=~Q(enrollments__status=EnrollmentStatus.CANCELLED))
    ).order_by("-n", "pk")
    # At 10x the crowded course is the one with CROWDED people; at 1x the demo's biggest published one.
    crowded = by_size.filter(status=CourseStatus.PUBLISHED)[0]
    biggest = next(course for course in by_size if course.n < data.CROWDED)
    mainz = User.objects.get(email=COORDINATOR).authority
    process = ChangeProcess.objects.filter(authority=mainz).order_by("pk").first()
    process_url = f"/behoerden/{mainz.pk}/prozess/{process.pk}/"
    course = Course.objects.for_catalogue(User.objects.get(email=COORDINATOR)).order_by("pk").first()
    network = Network.objects.filter(members=mainz).order_by("pk").first()
    thread = Thread.objects.filter(network__members=mainz).annotate(n=Count("posts")).order_by("-n", "pk")[0]
    wave = SurveyWave.objects.open_on(timezone.localdate()).order_by("pk").first()
    pages = [
        # Project staff
        Page("Behördenliste /behoerden/", "/behoerden/", PROJECT),
        Page("Seite einer Behörde (Stadt Mainz)", f"/behoerden/{mainz.pk}/", PROJECT),
        Page("Schulungskatalog (Projektteam)", "/schulungen/", PROJECT),
        Page("Schulungskatalog, vergangene (?when=vergangen)", "/schulungen/?when=vergangen", PROJECT),
        Page("Teilnehmendenliste der größten Schulung", f"/schulungen/{biggest.pk}/teilnehmende/", PROJECT),
        Page(
            "Teilnehmendenliste mit 300 Anmeldungen",
            f"/schulungen/{crowded.pk}/teilnehmende/",
            PROJECT,
        ),
        Page("Übersicht der Veränderungsprozesse", "/behoerden/prozesse/", PROJECT),
        # The process page in its four parts, each a page of its own.
        Page("Seite eines Prozesses: Überblick (Stadt Mainz)", process_url, PROJECT),
        Page(
            "Seite eines Prozesses: Meilensteine und Beratungen",
            f"{process_url}meilensteine-und-beratungen/",
            PROJECT,
        ),
        Page("Seite eines Prozesses: Selbstcheck", f"{process_url}selbstcheck/", PROJECT),
        Page("Seite eines Prozesses: Verlauf", f"{process_url}verlauf/", PROJECT),
        Page("Indikatorentabelle (Projektteam)", "/berichte/indikatoren/", PROJECT),
        Page("Finanzübersicht /berichte/finanzen/", "/berichte/finanzen/", PROJECT),
        Page("Kontenliste /konto/konten/", "/konto/konten/", PROJECT),
        Page("Suche /suche/?q=Mainz", "/suche/?q=Mainz", PROJECT),
        Page("Startseite Projektteam (/)", "/", PROJECT),
        # Authority staff
        Page("Startseite Koordination Mainz (/)", "/", COORDINATOR),
        Page("Schulungskatalog /schulungen/", "/schulungen/", COORDINATOR),
        Page("Seite einer Schulung", f"/schulungen/{course.pk}/", COORDINATOR),
        Page("Seite eines Netzwerks", f"/netzwerke/{network.pk}/", COORDINATOR),
        Page(
            "Diskussion mit 200 Beiträgen",
            f"/netzwerke/{thread.network_id}/diskussionen/{thread.pk}/",
            COORDINATOR,
        ),
        Page("Bibliothek /netzwerke/bibliothek/", "/netzwerke/bibliothek/", COORDINATOR),
        # Funders
        Page("Startseite Fördermittelgeber (/)", "/", FUNDER),
        Page("Indikatorentabelle (Fördermittelgeber)", "/berichte/indikatoren/", FUNDER),
        Page("Berichte /berichte/", "/berichte/", FUNDER),
        # Anonymous
        Page("Öffentliche Umfrage", f"/umfrage/{wave.key}/", None),
    ]
    return [page for page in pages if not ONLY or any(word in page.label.lower() for word in ONLY)]


def client_for(email: str | None) -> Client:
    client = Client()
    if email:
        login(client, User.objects.get(email=email))
    return client


def login(client: Client, user: User) -> None:
    """A session as after a full login: where project staff need the second factor (production), the
    session is marked as verified with a confirmed app, as django-otp's login does."""
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from portal.accounts.sealing import new_sealed_secret
    except ImportError:  # before two-factor login existed
        return
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Benchmark", "key": new_sealed_secret()}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def get_ok(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}, not 200")
    return response


def medians(targets: list[tuple[Client, str]], repeat: int = REPEAT, warmup: int = WARMUP) -> list[float]:
    """The median seconds of each (client, url), requested in turns: all once, then all again."""
    for client, url in targets:
        for _ in range(warmup):
            get_ok(client, url)
    times = [[] for _ in targets]
    for _ in range(repeat):
        for index, (client, url) in enumerate(targets):
            start = time.perf_counter()
            client.get(url)
            times[index].append(time.perf_counter() - start)
    return [statistics.median(series) for series in times]


def query_count(client: Client, url: str) -> int:
    return inspect(client, url)[0]


def inspect(client: Client, url: str) -> tuple[int, float, int]:
    """One request's number of queries, the seconds spent waiting for the database and the size
    of the page in bytes."""
    spent = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - start

    # Counted cold, at 1x and at 10x alike: a page may keep expensive counts in the cache for a few
    # minutes (the finance overview's unit counts), and the timed requests before found them there.
    cache.clear()
    # The session as a minute after its last write: a page opened then reads it only (an unchanged
    # session is written once a minute, three more statements, which the timed requests include).
    if settings.SESSION_COOKIE_NAME in client.cookies:
        session = client.session
        session[SESSION_REFRESHED_KEY] = int(timezone.now().timestamp())
        session.save()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
        response = get_ok(client, url)
    return len(queries), spent[0], len(response.content)


def count_queries(pages: list[Page]) -> dict[str, int]:
    """Queries per page (the 1x run: only counted, to compare with 10x). Counted on the second visit,
    as at 10x after the timed ones: a first visit may write what later ones only read (the thread's
    read marker: created once, then not moved when an earlier page is read again)."""
    counts = {}
    for page in pages:
        client = client_for(page.user)
        get_ok(client, page.url)
        counts[page.label] = query_count(client, page.url)
    return counts


def measure(
    pages: list[Page], queries_1x: dict[str, int], data: str, repeat: int = REPEAT, signed_in: str = PROJECT
) -> tuple[list[Row], float]:
    """The floors and the pages, timed in turns (so that a change of the machine's load hits all of
    them alike); returns the rows and floor 2's median. The logged-in floors are opened by `signed_in`
    (skipped when there is no such account)."""
    anonymous = client_for(None)
    floors = [(label, url, anonymous) for label, url in FLOORS]
    if User.objects.filter(email=signed_in).exists():
        person = client_for(signed_in)
        floors += [(label, url, person) for label, url in SIGNED_IN_FLOORS]
    targets = [(client, url) for _label, url, client in floors]
    targets += [(client_for(page.user), page.url) for page in pages]
    times = medians(targets, repeat=repeat)
    floor = times[1]
    rows = []
    for (label, url, client), seconds in zip(floors, times, strict=False):
        queries, _sql_seconds, size = inspect(client, url)
        rows.append(
            Row(
                "1",
                f"{label} (im Prozess)",
                data,
                f"{format_ms(seconds)}, {size / 1000:.1f} kB",
                ratio(seconds, floor),
                str(queries),
            )
        )
    for page, (client, url), seconds in zip(pages, targets[len(floors) :], times[len(floors) :], strict=True):
        # The least SQL time of three requests: one request alone catches every hiccup of the machine.
        inspections = [inspect(client, url) for _ in range(3)]
        queries, _sql, size = inspections[0]
        sql_seconds = min(sql for _queries, sql, _size in inspections)
        before = queries_1x.get(page.label)
        page_ratio = ratio(seconds, floor)
        constant = before is None or before == queries
        rows.append(
            Row(
                "2",
                page.label,
                data,
                f"{format_ms(seconds)}, {size / 1000:.0f} kB",
                page_ratio,
                f"{queries} (1x: {before if before is not None else '–'}), SQL {format_ms(sql_seconds)}",
                f"≤ {TARGET:.0f}x Boden 2, ≤ {MAX_QUERIES} Abfragen, gleich",
                round(page_ratio, 2) <= TARGET and constant and queries <= MAX_QUERIES,
            )
        )
        if PROFILE and not rows[-1].met:
            profile(client, url, page.label)
    return rows, floor


def profile(client: Client, url: str, label: str) -> Path:
    """cProfile of PROFILE_REQUESTS requests of a page, the top functions by own and by cumulative
    time, in var/bench/profiles/<label>.txt."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_REQUESTS):
        client.get(url)
    profiler.disable()
    folder = BENCH_DIR / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^\w]+", "-", label).strip("-").lower() + ".txt")
    out = io.StringIO()
    out.write(f"{label} {url}: {PROFILE_REQUESTS} requests\n")
    for order in ("tottime", "cumulative"):
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(40)
    path.write_text(out.getvalue())
    return path
