"""Demo courses over the last and the next months, with enrollments, attendance and feedback.

Idempotent: courses are found by title; a second run changes nothing. Dates are placed relative
to the day of the first run, so the catalogue always has past and upcoming courses.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from authorities.demo.registry import PARTICIPATING, days_in_one_week
from authorities.models.registry import Authority
from portal.accounts.models import Role, User
from training.models import (
    Attendance,
    Course,
    CourseFormat,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Topic,
)
from training.services import courses as course_services
from training.services import enrollments as enrollment_services
from training.services import feedback as feedback_services

# title, topic, format, open to, weeks from today (negative: past), days, capacity, seats per authority
COURSES = [
    ("Aufenthaltsrecht kompakt: Neuerungen 2026", "Aufenthaltsrecht", CourseFormat.IN_PERSON, "both", -10, 2, 20, 3),
    ("Interkulturelle Kommunikation am Schalter", "Interkulturelle Kompetenz", CourseFormat.IN_PERSON, "RP", -6, 1, 16, None),
    ("Beratungsgespräche souverän führen", "Kundenorientierung und Beratung", CourseFormat.ONLINE, "both", -3, 1, 25, None),
    ("Fachkräfteeinwanderung: beschleunigtes Verfahren", "Fachkräfteeinwanderung", CourseFormat.HYBRID, "NI", -1, 1, 30, 4),
    ("Führung im Wandel: Veränderungen gestalten", "Führung im Wandel", CourseFormat.IN_PERSON, "both", 2, 2, 12, 2),
    ("Leichte Sprache in Bescheiden und Briefen", "Kundenorientierung und Beratung", CourseFormat.ONLINE, "both", 3, 1, 20, None),
    ("Chancen-Aufenthaltsrecht in der Praxis", "Aufenthaltsrecht", CourseFormat.ONLINE, "both", 4, 1, 30, None),
    ("Interkulturelle Kompetenz für Führungskräfte", "Interkulturelle Kompetenz", CourseFormat.IN_PERSON, "NI", 5, 1, 14, 2),
    ("Westbalkanregelung und Blaue Karte EU", "Fachkräfteeinwanderung", CourseFormat.HYBRID, "RP", 6, 1, 24, None),
    ("Deeskalation und Umgang mit Konflikten", "Kundenorientierung und Beratung", CourseFormat.IN_PERSON, "both", 8, 2, 4, None),
    ("Einbürgerung nach dem neuen Staatsangehörigkeitsrecht", "Aufenthaltsrecht", CourseFormat.ONLINE, "both", 10, 1, 40, None),
    ("Teamentwicklung in der Ausländerbehörde", "Führung im Wandel", CourseFormat.IN_PERSON, "both", 12, 1, 15, None),
]  # fmt: skip

# Venues inside the two states only (a course for both states meets in Koblenz).
LOCATIONS = {
    "RP": "Mainz, Landesverwaltung",
    "NI": "Hannover, Tagungszentrum",
    "both": "Koblenz, Tagungshaus",
}
PARTICIPANTS_PER_AUTHORITY = 3


def _participants() -> list[User]:
    """The two demo staff accounts, then three staff per participating authority, created once."""
    people = list(
        User.objects.filter(email__in=["mainz@example.org", "hannover@example.org"]).order_by("email")
    )
    for index, authority in enumerate(Authority.objects.filter(ags__in=PARTICIPATING).order_by("ags")):
        for number in range(1, PARTICIPANTS_PER_AUTHORITY + 1):
            email = f"mitarbeitende{number}.{authority.ags}@example.org"
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": ["Alex", "Kim", "Robin", "Sam", "Jule", "Noah"][(index + number) % 6],
                    "last_name": f"Beispiel-{authority.seat.split()[0]}",
                    "role": Role.AUTHORITY_STAFF,
                    "authority": authority,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            people.append(user)
    return people


def seed() -> str:
    if Course.objects.filter(title=COURSES[0][0]).exists():
        return f"{Course.objects.count()} Schulungen (bereits vorhanden)"
    staff = User.objects.filter(role=Role.PROJECT_STAFF).order_by("pk").first()
    people = _participants()
    today = timezone.localdate()
    for number, (title, topic, fmt, open_to, weeks, days, capacity, per_authority) in enumerate(COURSES):
        # Courses run on working days (Tuesday to Thursday where it fits), never at the weekend.
        held_on = days_in_one_week(today + timedelta(weeks=weeks, days=(number % 3)), days)
        dates = [
            {
                "starts_at": timezone.make_aware(datetime.combine(day, time(9, 0))),
                "ends_at": timezone.make_aware(datetime.combine(day, time(16, 0))),
                "room": "Raum 1.12" if fmt != CourseFormat.ONLINE else "",
            }
            for day in held_on
        ]
        course = course_services.course_create(
            by=staff,
            dates=dates,
            title=title,
            topic=Topic.objects.get_or_create(name=topic)[0],
            description=f"{title}: Grundlagen, Fallbeispiele aus der Praxis der Ausländerbehörden und Austausch.",
            contents="Rechtliche Grundlagen\nFallbearbeitung in Kleingruppen\nTransfer in den Arbeitsalltag",
            target_group="Sachbearbeitung und Führungskräfte der Ausländerbehörden",
            format=fmt,
            location=LOCATIONS[open_to] if fmt != CourseFormat.ONLINE else "",
            online_link="https://video.example.org/schulung" if fmt != CourseFormat.IN_PERSON else "",
            trainers=["Dr. Jana Albrecht", "Kemal Aydın", "Ute Fromm"][number % 3],
            capacity=capacity,
            seats_per_authority=per_authority,
            open_to=open_to,
        )
        course_services.course_publish(course=course, by=staff)
        eligible = [p for p in people if course.is_open_to(p.authority)]
        for person in eligible[number % 5 :: 3][: capacity + 2]:
            try:
                enrollment_services.enrollment_create(course=course, participant=person, by=staff)
            except enrollment_services.EnrollmentRefused:
                continue
        if weeks < 0:
            _after_the_course(course, staff)
    return f"{len(COURSES)} Schulungen mit Anmeldungen, Anwesenheit und Rückmeldungen"


def _after_the_course(course, staff):
    confirmed = list(Enrollment.objects.filter(course=course, status=EnrollmentStatus.CONFIRMED))
    for course_date in course.dates.all():
        # Most came; every fifth person missed a day.
        present = {e.pk for i, e in enumerate(confirmed) if i % 5 != 4}
        enrollment_services.attendance_record(course_date=course_date, present_ids=present, by=staff)
    for index, enrollment in enumerate(confirmed):
        if Attendance.objects.filter(enrollment=enrollment, present=True).exists() and index % 3 != 2:
            feedback_services.feedback_submit(
                enrollment=enrollment,
                by=enrollment.participant,
                usefulness=[5, 4, 4, 3, 5, 2][index % 6],
                will_apply="Die Checklisten für die Fallbearbeitung." if index % 2 else "",
                comments="Mehr Zeit für Fallbeispiele wäre gut." if index % 4 == 0 else "",
            )
    course.status = CourseStatus.COMPLETED
    course.save(update_fields=["status"])
