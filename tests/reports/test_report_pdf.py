"""The AMIF report PDF: its numbers come from the data, it names nobody, it is tagged, and it fetches
nothing from outside the portal's static files."""

import io
import re
import socket
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from authorities.models import ParticipationStatus, Phase, ProcessStatus
from portal import pdf
from portal.reports.documents import render_report_pdf
from portal.reports.models import ProgressReport
from tests.factories import (
    AuthorityFactory,
    ChangeProcessFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import at, pdf_text
from training.models import Attendance, CourseStatus, EnrollmentStatus

START, END = date(2026, 1, 1), date(2026, 6, 30)


def build(*, authorities_per_state=2, people_per_course=4, tag=""):
    """Authorities in both states taking part, one course in the period with named people marked
    present, one cancelled and one waitlisted person, and a network meeting with attendees."""
    made = {"people": []}
    for state in ("RP", "NI"):
        for index in range(authorities_per_state):
            authority = AuthorityFactory(
                state=state,
                name=f"Behörde {state} {index}{tag}",
                participation_status=ParticipationStatus.PARTICIPATING,
                joined_on=date(2025, 3, 1),
            )
            ChangeProcessFactory(
                authority=authority,
                started_on=date(2026, 2, 1),
                phase=Phase.IMPLEMENTATION,
                status=ProcessStatus.ACTIVE,
            )
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED, title="Interkulturelle Kompetenz")
    day = CourseDateFactory(
        course=course, starts_at=at(date(2026, 3, 10), 9), ends_at=at(date(2026, 3, 10), 16)
    )
    authority = AuthorityFactory(state="RP", name=f"Stadt Teststadt{tag}")
    for index in range(people_per_course):
        person = UserFactory(authority=authority, first_name="Erika", last_name=f"Musterfrau{index}")
        made["people"].append(person)
        enrollment = EnrollmentFactory(course=course, participant=person, status=EnrollmentStatus.CONFIRMED)
        Attendance.objects.create(enrollment=enrollment, course_date=day, present=True)
    for status, last_name in [
        (EnrollmentStatus.CANCELLED, "Storniert"),
        (EnrollmentStatus.WAITLISTED, "Wartend"),
    ]:
        person = UserFactory(authority=authority, first_name="Max", last_name=last_name)
        made["people"].append(person)
        EnrollmentFactory(
            course=course,
            participant=person,
            status=status,
            waitlist_position=1 if status == EnrollmentStatus.WAITLISTED else None,
        )
    network = NetworkFactory(name=f"Netzwerk Willkommenskultur{tag}")
    meeting = MeetingFactory(
        network=network,
        title="Frühjahrstreffen",
        starts_at=at(date(2026, 4, 20), 9),
        ends_at=at(date(2026, 4, 20), 15),
    )
    for person in made["people"][:2]:
        MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)
    return made


def test_pdf_shows_the_figures_of_the_data_and_no_names(period, project_staff):
    made = build()
    ProgressReport.objects.create(
        period=period, summary="Das Projekt kommt **gut** *und zügig* voran.", outlook="Weiter so."
    )
    content = render_report_pdf(date_from=START, date_to=END, period=period)
    text = pdf_text(content)
    # Cover, contents, the indicator table with the values of the data built above.
    assert "Zwischenbericht 01.01.2026 bis 30.06.2026" in text
    assert "Kofinanziert von der Europäischen Union" in text
    assert "Inhalt" in text and "Anlagen" in text
    flat = text.replace("\n", " ")
    # Value in the period, cumulative, target (seeded: 20), share.
    assert re.search(r"Teilnehmende Ausländerbehörden \(Behörden\) 4 4 20 20 %", flat)
    # 4 people present; cancelled and waitlisted do not count.
    assert re.search(r"Teilnehmende an Qualifizierungen \(Personen\) 4 4\b", flat)
    # Two people at the meeting: protected.
    assert re.search(r"Teilnehmende an Netzwerktreffen \(Personen\) < 3 < 3", flat)
    assert "„< 3“" in text
    # Per state tables.
    assert "Rheinland-Pfalz" in text and "Niedersachsen" in text
    # The narrative and the annexes.
    # Two marked words keep the space between them (the report's markup is spaceless, its narrative not).
    assert "Das Projekt kommt gut und zügig voran." in text
    # No comment or tag of the template reaches the page.
    assert "{#" not in text and "{%" not in text and "#}" not in text
    assert "Für diesen Abschnitt wurde noch kein Text erfasst." in text
    assert "Behörde NI 1" in text and "4. Umsetzung" in text
    assert "Interkulturelle Kompetenz" in text and "Frühjahrstreffen" in text
    # Nobody's name, not even the project staff's.
    for person in [*made["people"], project_staff]:
        assert person.last_name not in text
        assert person.email not in text
    assert "Erika" not in text and "Max " not in text


def test_pdf_is_tagged_with_title_and_language(period):
    content = render_report_pdf(date_from=START, date_to=END, period=period)
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Zwischenbericht 01.01.2026 bis 30.06.2026"
    assert len(reader.pages) >= 6
    # Page numbers and the running header on the pages after the cover.
    page_three = reader.pages[2].extract_text()
    assert "Seite 3 von" in page_three
    assert "Zwischenbericht · 01.01.2026–30.06.2026" in page_three


def test_contents_lead_with_dots_to_the_page_of_each_chapter(period):
    """What the funders read on the contents page stays: every chapter, dots, its page number."""
    build()
    content = render_report_pdf(date_from=START, date_to=END, period=period)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    for chapter in ("1. Indikatoren", "2. Grafiken", "3. Sachbericht", "4. Anlagen"):
        found = re.search(re.escape(chapter) + r" ?\.{8,} ?(\d+)", pages[1])
        assert found, chapter
        assert int(found.group(1)) > 2 and chapter in pages[int(found.group(1)) - 1]


def test_one_state_only(period):
    build()
    text = pdf_text(render_report_pdf(date_from=START, date_to=END, state="NI", period=period))
    assert "Behörde NI 0" in text
    assert "Behörde RP 0" not in text
    assert "Gesamt" not in text.split("Sachbericht")[0].split("Inhalt")[1]


def test_queries_do_not_grow_with_the_number_of_authorities(period):
    build(authorities_per_state=1, people_per_course=3)
    with CaptureQueriesContext(connection) as small:
        render_report_pdf(date_from=START, date_to=END, period=period)
    build(authorities_per_state=6, people_per_course=8, tag=" (zweite)")
    cache.clear()  # the ended period's figures were kept: count them afresh on the larger data
    with CaptureQueriesContext(connection) as large:
        render_report_pdf(date_from=START, date_to=END, period=period)
    assert len(large) == len(small)


def test_narrative_cannot_make_the_pdf_fetch_anything(period, monkeypatch, tmp_path):
    """Raw HTML in a narrative stays text; and even a URL that reached WeasyPrint would be refused
    by the fetcher without opening a connection or a file."""
    opened = []
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: opened.append(a) or (_ for _ in ()).throw(OSError)
    )
    real_open = open

    def watching_open(file, *args, **kwargs):
        if str(file) == "/etc/passwd":
            opened.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    fetched = []
    fetch = pdf.StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesOnly, "fetch", spy)
    ProgressReport.objects.create(
        period=period,
        summary='<img src="http://169.254.169.254/latest/meta-data/"> <img src="file:///etc/passwd">',
        activities="![Bild](http://169.254.169.254/) [Link](file:///etc/passwd)",
    )
    text = pdf_text(render_report_pdf(date_from=START, date_to=END, period=period))
    assert '<img src="http://169.254.169.254/latest/meta-data/">' in text.replace("\n", " ")
    assert not opened
    assert all("169.254" not in url and not url.startswith("file:") for url in fetched)
    # The fetcher itself refuses both addresses.
    for url in ["http://169.254.169.254/", "file:///etc/passwd", "http://testserver/static/../../etc/passwd"]:
        with pytest.raises(ValueError):
            pdf.StaticFilesOnly().fetch(url)
    assert not opened


def test_charts_are_set_as_text_with_their_numbers_beneath(period):
    """The report draws its charts as HTML (labels and values are text, the bars boxes), so that
    WeasyPrint does not set them letter by letter; what the funders read stays: each chart's labels
    and values, then the table with the same numbers."""
    build()
    text = pdf_text(render_report_pdf(date_from=START, date_to=END, period=period)).replace("\n", " ")
    title = "Laufende Veränderungsprozesse nach Phase (Gesamt)"
    chart = text.split(title, 1)[1].split(f"Die Zahlen der Grafik „{title}“", 1)[0]
    assert re.search(r"1\. Auftakt ?4 .*2\. Standortbestimmung ?0 .*6\. Verstetigung ?0", chart)
    targets = text.split("Erreichter Anteil am Zielwert (kumuliert, Gesamt)", 1)[1].split("Die Zahlen", 1)[0]
    assert re.search(r"Teilnehmende Ausländerbehörden ?20 %", targets)


def test_command_writes_the_same_report(period, tmp_path):
    build()
    out = tmp_path / "bericht.pdf"
    call_command(
        "amif_report", "--start", "2026-01-01", "--end", "2026-06-30", "--out", str(out), "--state", "RP"
    )
    text = pdf_text(out.read_bytes())
    assert "Zwischenbericht 01.01.2026 bis 30.06.2026" in text
    assert "Behörde RP 1" in text and "Behörde NI 1" not in text
    with pytest.raises(CommandError, match="Datum"):
        call_command("amif_report", "--start", "2026-13-01", "--end", "2026-06-30", "--out", str(out))
    with pytest.raises(CommandError, match="vor dem Beginn"):
        call_command("amif_report", "--start", "2026-06-30", "--end", "2026-01-01", "--out", str(out))
