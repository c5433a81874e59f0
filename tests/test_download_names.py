"""Download names carry no umlauts and lose no letters: "Servicequalität" becomes "servicequalitaet",
not "servicequalitat", in every name the portal makes (calendar files, certificates, sign-in sheets,
participant lists, measure plans)."""

from django.urls import reverse

from authorities import documents as process_documents
from network import ics as meeting_ics
from portal.downloads import file_slug
from tests.factories import ChangeProcessFactory, CourseFactory, EnrollmentFactory, MeetingFactory
from training import documents as course_documents


def test_titles_become_names_with_ae_oe_ue_and_ss():
    assert (
        file_slug("Servicequalität für Ämter: Größe & Übersicht")
        == "servicequalitaet-fuer-aemter-groesse-uebersicht"
    )
    long = file_slug("Straße Ende " * 20)
    assert long.startswith("strasse-ende-strasse") and len(long) <= 60 and not long.endswith("-")


def test_the_course_calendar_download_is_named_without_umlauts(client_for, member, db):
    course = CourseFactory(title="Servicequalität in der Ausländerbehörde")

    response = client_for(member).get(reverse("training:course_ics", args=[course.pk]))

    assert response["Content-Disposition"] == (
        'attachment; filename="schulung-servicequalitaet-in-der-auslaenderbehoerde.ics"'
    )


def test_every_generated_name_is_transliterated(db, mainz):
    course = CourseFactory(title="Größere Übungen")
    enrollment = EnrollmentFactory(
        course=course, participant__last_name="Müller", participant__first_name="Jörg"
    )
    meeting = MeetingFactory(title="Fachtag Öffnung")
    process = ChangeProcessFactory(authority=mainz)
    mainz.name = "Stadt Neuwied Süd"

    names = [
        meeting_ics.filename(meeting),
        course_documents.certificate_filename(enrollment),
        course_documents.sign_in_sheet_filename(course.dates.first()),
        course_documents.participants_xlsx(course)[0],
        process_documents.measure_plan_filename(process),
    ]

    assert names[0] == "treffen-fachtag-oeffnung.ics"
    assert names[1] == "teilnahmebescheinigung-mueller-joerg-groessere-uebungen.pdf"
    assert names[2].startswith("unterschriftenliste-groessere-uebungen-")
    assert names[3] == "teilnehmende-groessere-uebungen.xlsx"
    assert names[4].startswith("massnahmenplan-stadt-neuwied-sued-")
    assert all(name.isascii() for name in names), names
