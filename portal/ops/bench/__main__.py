"""`python -m portal.ops.bench` (make bench): the whole benchmark in one run, printed and written to
var/bench/latest.md. See README.md, "Benchmark".

1. the floors; 2. the main pages with 10x the demo data (in-process); 3. served by gunicorn, wrk;
4. the AMIF report PDF against a plain document; 5. 10,000 due reminders in one beat run; 6. 2,000
answers to the customer survey, served.
"""

import os
import sys
import time

from portal.ops.bench import environment

# `BENCH_SECTIONS=reminders make bench` measures a part only (the floors and the data always).
SECTIONS = set(os.environ.get("BENCH_SECTIONS", "pages,served,pdf,reminders,survey").split(","))


def main() -> int:
    env = environment.prepare()
    import django

    django.setup()
    from django.core.management import call_command

    from portal.ops.bench import data, pages, pdf_report, reminders, report, served, survey

    started = time.monotonic()
    load_at_start = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    rows, notes = [], []
    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        data.seed_demo()
        demo = data.table_counts()
        _progress(started, "Demodaten angelegt; Abfragen mit 1x gezählt …")
        queries_1x = pages.count_queries(pages.main_pages()) if "pages" in SECTIONS else {}
        pdf_queries: dict = {}
        pdf_rows = pdf_report.measure("1x", pdf_queries) if "pdf" in SECTIONS else []
        tenfold = data.build_tenfold()
        data.analyze()
        main_pages = pages.main_pages()
        if "pages" in SECTIONS:
            _progress(started, "10x-Daten angelegt; Seiten im Prozess …")
            page_rows, _floor = pages.measure(main_pages, queries_1x, "10x")
            rows += page_rows
        if "served" in SECTIONS:
            _progress(started, "gunicorn und wrk …")
            rows += served.measure(
                [
                    ("Boden 1: konstante Antwort", pages.FLOORS[0][1], None),
                    ("Boden 2: 100 Zeilen", pages.FLOORS[1][1], None),
                    *[(page.label, page.url, page.user) for page in main_pages if page.label in SERVED_PAGES],
                ],
                "10x",
            )
        if "pdf" in SECTIONS:
            _progress(started, "PDF-Bericht …")
            rows += pdf_rows + pdf_report.measure("10x", pdf_queries)
        if "reminders" in SECTIONS:
            _progress(started, "Erinnerungen …")
            reminder_rows, reminder_notes = reminders.measure("10x")
            rows += reminder_rows
            notes += reminder_notes
        if "survey" in SECTIONS:
            _progress(started, "Kundenbefragung …")
            rows += survey.measure("10x")
        notes.append(
            "Daten 1x → 10x: " + ", ".join(f"{label} {demo[label]} → {tenfold[label]}" for label in tenfold)
        )
        notes.append(
            f"Dauer des ganzen Laufs: {time.monotonic() - started:.0f} s; "
            f"Last (1, 5, 15 min) am Anfang: {load_at_start} (andere Prozesse auf dem Rechner)"
        )
        header = report.machine(
            f"{env.database_label}, {_server_version()}",
            f"{env.broker_label}; Cache: {env.cache_label}",
            "DJANGO_ENV=production (DEBUG aus, Manifest-Static, Sitzung höchstens je Minute geschrieben), "
            "http auf 127.0.0.1 ohne Umleitung auf https",
        )
    finally:
        if not os.environ.get("BENCH_KEEP"):
            try:
                environment.clean_up(env)
            except Exception as error:  # noqa: BLE001 – keep the error of the run itself visible
                print(f"Aufräumen fehlgeschlagen: {error}", file=sys.stderr)
    text = report.document(rows, header, notes)
    report.write(environment.BENCH_DIR / "latest.md", text)
    print(text)
    print(f"Geschrieben: {environment.BENCH_DIR / 'latest.md'}")
    return 0


# The main pages that are also served by gunicorn (besides the floors): those a person opens often.
SERVED_PAGES = {
    "Behördenliste /behoerden/",
    "Startseite Koordination Mainz (/)",
    "Schulungskatalog /schulungen/",
    "Seite einer Schulung",
    "Diskussion mit 200 Beiträgen",
    "Startseite Fördermittelgeber (/)",
    "Indikatorentabelle (Fördermittelgeber)",
}


def _server_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"Server {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def _progress(started: float, message: str) -> None:
    print(f"[{time.monotonic() - started:5.0f} s] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
