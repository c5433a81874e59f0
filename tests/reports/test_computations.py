from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from authorities.models import (
    MeasureStatus,
    ParticipationStatus,
    ProcessStatus,
    ProcessStatusChange,
    StatusChange,
)
from authorities.services import process as services
from authorities.services import registry as authority_services
from network.models import Document, DocumentDownload
from portal.reports import computations
from portal.reports.computations import REGISTRY, compute
from portal.reports.models import Indicator
from tests.factories import (
    AuthorityFactory,
    ChangeProcessFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import at
from training.models import (
    Attendance,
    CourseStatus,
    EnrollmentStatus,
    Feedback,
    FollowUpAnswer,
    OpenTo,
    UsesLearning,
)

START, END = date(2025, 1, 1), date(2025, 6, 30)
BEFORE, AFTER = START - timedelta(days=1), END + timedelta(days=1)
PERIOD = {"date_from": START, "date_to": END}


def course_on(*days: date, **kwargs):
    course = CourseFactory(dates=None, status=kwargs.pop("status", CourseStatus.COMPLETED), **kwargs)
    for day in days:
        CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16))
    return course


def attend(person, course, *, present=True, status=EnrollmentStatus.CONFIRMED):
    enrollment = EnrollmentFactory(course=course, participant=person, status=status)
    for course_date in course.dates.all():
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=present)
    return enrollment


# --- registry and seed ----------------------------------------------------------------------------


def test_seeded_indicators_name_registered_computations(db):
    indicators = Indicator.objects.all()
    assert indicators.count() >= 12
    assert {i.computation for i in indicators} <= set(REGISTRY)
    assert all(i.programme == "amif-2021-2027" and i.name_en and i.unit for i in indicators)
    assert Indicator.objects.get(code="ABH-7").amif_codes == "O.1.2"  # the old free text is kept
    assert "korrigieren" in Indicator.objects.get(code="ABH-7").notes


def test_indicator_choices_are_the_registry(db):
    field = Indicator._meta.get_field("computation")
    assert [key for key, _ in field.choices] == list(REGISTRY)
    assert str(Indicator.objects.get(code="ABH-1")) == "ABH-1 Teilnehmende Ausländerbehörden"


def test_every_computation_runs_on_an_empty_database(db):
    for key in REGISTRY:
        for state in (None, "RP", "NI"):
            assert compute(key, date_from=START, date_to=END, state=state) == 0


def test_the_app_is_installed():
    assert apps.get_app_config("reports").verbose_name == "Berichte"


# --- authorities and processes --------------------------------------------------------------------


def _status(authority, *changes):
    """Record the authority's status changes as dated facts: (day, new status), in order."""
    before = ""
    for day, status in changes:
        StatusChange.objects.create(authority=authority, from_status=before, to_status=status, day=day)
        before = status


def test_authorities_participating_counts_who_took_part_at_some_time_in_the_period(mainz, hannover):
    _status(mainz, (END, ParticipationStatus.PARTICIPATING))
    _status(hannover, (START - timedelta(days=300), ParticipationStatus.COMPLETED))
    # Took part for a while in the period, then withdrew: it took part in this period.
    _status(
        AuthorityFactory(state="NI"),
        (START + timedelta(days=10), ParticipationStatus.PARTICIPATING),
        (START + timedelta(days=40), ParticipationStatus.WITHDRAWN),
    )
    _status(AuthorityFactory(), (AFTER, ParticipationStatus.PARTICIPATING))  # joined afterwards
    _status(  # withdrew before the period
        AuthorityFactory(),
        (START - timedelta(days=90), ParticipationStatus.PARTICIPATING),
        (BEFORE, ParticipationStatus.WITHDRAWN),
    )
    _status(AuthorityFactory(), (START, ParticipationStatus.INTERESTED))

    assert computations.authorities_participating(**PERIOD) == 3
    assert computations.authorities_participating(**PERIOD, state="RP") == 1
    assert computations.authorities_participating(**PERIOD, state="NI") == 2
    earlier = {"date_from": START - timedelta(days=400), "date_to": START - timedelta(days=301)}
    assert computations.authorities_participating(**earlier) == 0


def test_authorities_participating_in_a_past_period_ignores_the_current_status(mainz, project_staff):
    authority_services.authority_change_status(
        authority=mainz, status=ParticipationStatus.PARTICIPATING, changed_on=START, by=project_staff
    )
    before = computations.authorities_participating(**PERIOD)

    authority_services.authority_change_status(
        authority=mainz, status=ParticipationStatus.WITHDRAWN, by=project_staff
    )

    assert before == computations.authorities_participating(**PERIOD) == 1


def _process_with(authority, *changes, started_on=START - timedelta(days=60)):
    """A process whose status changed (to, day) for each of `changes`, as the status service records it."""
    statuses = [ProcessStatus.ACTIVE, *(to_status for to_status, _day in changes)]
    process = ChangeProcessFactory(authority=authority, started_on=started_on, status=statuses[-1])
    for before, (to_status, day) in zip(statuses, changes, strict=False):
        ProcessStatusChange.objects.create(process=process, from_status=before, to_status=to_status, day=day)
    return process


def test_authorities_supported_counts_each_authority_once(mainz, hannover):
    ChangeProcessFactory(authority=mainz, started_on=END)
    _process_with(mainz, (ProcessStatus.COMPLETED, END), started_on=START)
    ChangeProcessFactory(authority=hannover, started_on=AFTER)

    assert computations.authorities_supported(**PERIOD) == 1
    assert computations.authorities_supported(**PERIOD, state="NI") == 0
    assert computations.authorities_supported(date_from=START, date_to=AFTER) == 2


def test_authorities_supported_reads_the_day_a_process_was_aborted(db):
    _process_with(AuthorityFactory(), (ProcessStatus.ABORTED, BEFORE))
    # Aborted in the period or after it: supported in the period all the same.
    _process_with(AuthorityFactory(), (ProcessStatus.ABORTED, START))
    _process_with(AuthorityFactory(), (ProcessStatus.ABORTED, AFTER))
    # Aborted before, taken up again in the period.
    _process_with(AuthorityFactory(), (ProcessStatus.ABORTED, BEFORE), (ProcessStatus.ACTIVE, END))

    assert computations.authorities_supported(**PERIOD) == 3
    assert (
        computations.authorities_supported(date_from=AFTER + timedelta(days=1), date_to=AFTER + timedelta(9))
        == 1
    )


def test_processes_completed_in_the_period_of_their_first_completion(mainz, hannover):
    _process_with(mainz, (ProcessStatus.COMPLETED, START), (ProcessStatus.ACTIVE, END))
    _process_with(
        hannover,
        (ProcessStatus.COMPLETED, END),
        (ProcessStatus.ACTIVE, AFTER),
        (ProcessStatus.COMPLETED, AFTER),
    )
    _process_with(AuthorityFactory(), (ProcessStatus.COMPLETED, BEFORE))

    assert computations.processes_completed(**PERIOD) == 2
    assert computations.processes_completed(**PERIOD, state="NI") == 1
    assert computations.processes_completed(date_from=AFTER, date_to=AFTER) == 0


def test_processes_started_and_completed_by_period_and_state(mainz, hannover, project_staff):
    today = timezone.localdate()
    ChangeProcessFactory(authority=mainz, started_on=today - timedelta(days=10))
    ChangeProcessFactory(authority=hannover, started_on=today - timedelta(days=40))
    done = ChangeProcessFactory(authority=AuthorityFactory(state="NI"), started_on=today - timedelta(days=5))
    services.process_update(process=done, by=project_staff, status=ProcessStatus.COMPLETED)
    last_month = {"date_from": today - timedelta(days=30), "date_to": today}

    assert computations.processes_started(**last_month) == 2
    assert computations.processes_started(**last_month, state="RP") == 1
    assert computations.processes_completed(**last_month) == 1
    assert computations.processes_completed(**last_month, state="RP") == 0
    assert (
        computations.processes_completed(date_from=today - timedelta(days=30), date_to=today - timedelta(1))
        == 0
    )


def test_measures_done_by_the_day_they_were_done(mainz, hannover):
    process = ChangeProcessFactory(authority=mainz)
    MeasureFactory(process=process, status=MeasureStatus.DONE, done_on=START, due_on=AFTER)
    # Reopened later: it was done in the period all the same.
    MeasureFactory(process=process, status=MeasureStatus.IN_PROGRESS, done_on=END)
    MeasureFactory(process=process, status=MeasureStatus.DONE, done_on=AFTER, due_on=END)
    MeasureFactory(process=process, status=MeasureStatus.DONE, done_on=BEFORE)
    MeasureFactory(process=process, status=MeasureStatus.IN_PROGRESS, due_on=END)
    aborted = ChangeProcessFactory(authority=AuthorityFactory(), status=ProcessStatus.ABORTED)
    MeasureFactory(process=aborted, status=MeasureStatus.DONE, done_on=END)
    MeasureFactory(process=ChangeProcessFactory(authority=hannover), status=MeasureStatus.DONE, done_on=END)

    assert computations.measures_done(**PERIOD) == 4
    assert computations.measures_done(**PERIOD, state="RP") == 3
    assert computations.measures_done(**PERIOD, state="NI") == 1


# --- training -------------------------------------------------------------------------------------


def test_courses_held_by_period_status_and_state(db):
    course_on(START)
    course_on(BEFORE, END, status=CourseStatus.PUBLISHED, open_to=OpenTo.NI)
    course_on(BEFORE)
    course_on(AFTER)
    course_on(START, status=CourseStatus.CANCELLED)
    course_on(START, status=CourseStatus.DRAFT)

    assert computations.courses_held(**PERIOD) == 2
    assert computations.courses_held(**PERIOD, state="RP") == 1
    assert computations.courses_held(**PERIOD, state="NI") == 2


def test_participants_people_counted_once_across_two_courses(member, outsider):
    first, second = course_on(START), course_on(END)
    attend(member, first)
    attend(member, second)
    attend(outsider, second)

    assert computations.participants_people(**PERIOD) == 2
    assert computations.participants_people(**PERIOD, state="RP") == 1
    assert computations.participants_people(**PERIOD, state="NI") == 1


def test_participants_outside_the_period_absent_cancelled_or_waitlisted_do_not_count(member, mainz):
    attend(member, course_on(BEFORE))
    attend(UserFactory(authority=mainz), course_on(AFTER))
    course = course_on(START)
    attend(UserFactory(authority=mainz), course, present=False)
    attend(UserFactory(authority=mainz), course, status=EnrollmentStatus.CANCELLED)
    attend(UserFactory(authority=mainz), course, status=EnrollmentStatus.WAITLISTED)
    attend(UserFactory(authority=mainz), course, status=EnrollmentStatus.REQUESTED)

    assert computations.participants_people(**PERIOD) == 0
    assert computations.participant_days(**PERIOD) == 0


def test_participant_days_one_per_person_and_day(member, outsider):
    two_days = course_on(START, START + timedelta(days=1), AFTER)
    attend(member, two_days)
    attend(outsider, two_days)
    other_course_same_day = course_on(START)
    attend(member, other_course_same_day)

    assert computations.participant_days(**PERIOD) == 4
    assert computations.participant_days(**PERIOD, state="RP") == 2
    assert computations.participant_days(date_from=START, date_to=START) == 2


def feedback(enrollment, usefulness):
    return Feedback.objects.create(enrollment=enrollment, usefulness=usefulness)


def test_participants_useful_and_share(member, outsider, mainz):
    first, second = course_on(START), course_on(END)
    feedback(attend(member, first), 5)
    feedback(attend(member, second), 4)  # the same person, counted once
    feedback(attend(outsider, first), 3)
    feedback(attend(UserFactory(authority=mainz), first, status=EnrollmentStatus.CANCELLED), 5)
    feedback(attend(UserFactory(authority=mainz), course_on(AFTER)), 5)

    assert computations.participants_useful(**PERIOD) == 1
    assert computations.participants_useful(**PERIOD, state="NI") == 0
    assert computations.participants_useful_share(**PERIOD) == 50.0
    assert computations.participants_useful_share(**PERIOD, state="RP") == 100.0
    assert computations.participants_useful_share(**PERIOD, state="NI") == 0.0


def test_participants_useful_share_rounds_to_one_decimal(mainz):
    course = course_on(START)
    for usefulness in (5, 1, 2):
        feedback(attend(UserFactory(authority=mainz), course), usefulness)

    assert computations.participants_useful_share(**PERIOD) == 33.3


def answer(enrollment, uses_learning):
    return FollowUpAnswer.objects.create(enrollment=enrollment, uses_learning=uses_learning)


def test_participants_apply_learning_by_the_course_s_last_date(member, outsider, mainz):
    ends_in_period = course_on(BEFORE, END)
    answer(attend(member, ends_in_period), UsesLearning.YES)
    answer(attend(member, course_on(START)), UsesLearning.PARTLY)  # the same person
    answer(attend(outsider, ends_in_period), UsesLearning.PARTLY)
    answer(attend(UserFactory(authority=mainz), ends_in_period), UsesLearning.NO)
    answer(attend(UserFactory(authority=mainz), course_on(START, AFTER)), UsesLearning.YES)
    waitlisted = attend(UserFactory(authority=mainz), ends_in_period, status=EnrollmentStatus.WAITLISTED)
    answer(waitlisted, UsesLearning.YES)

    assert computations.participants_apply_learning(**PERIOD) == 2
    assert computations.participants_apply_learning(**PERIOD, state="RP") == 1
    assert computations.participants_apply_learning(**PERIOD, state="NI") == 1


# --- network --------------------------------------------------------------------------------------


def meeting_on(day, network):
    return MeetingFactory(
        network=network, starts_at=at(day, 9), ends_at=at(day, 13), registration_deadline=None
    )


def test_meetings_held_and_participants(mainz, hannover, member, outsider):
    rp = NetworkFactory(members=[mainz])
    both = NetworkFactory(members=[mainz, hannover])
    first, second = meeting_on(START, rp), meeting_on(END, both)
    before = meeting_on(BEFORE, both)
    meeting_on(AFTER, rp)
    MeetingRegistrationFactory(meeting=first, participant=member, attended=True)
    MeetingRegistrationFactory(meeting=second, participant=member, attended=True)
    MeetingRegistrationFactory(meeting=second, participant=outsider, attended=True)
    MeetingRegistrationFactory(meeting=second, participant=UserFactory(authority=mainz), attended=False)
    MeetingRegistrationFactory(meeting=second, participant=UserFactory(authority=mainz), attended=None)
    MeetingRegistrationFactory(meeting=before, participant=UserFactory(authority=hannover), attended=True)

    assert computations.meetings_held(**PERIOD) == 2
    assert computations.meetings_held(**PERIOD, state="RP") == 2
    assert computations.meetings_held(**PERIOD, state="NI") == 1
    assert computations.meeting_participants(**PERIOD) == 2
    assert computations.meeting_participants(**PERIOD, state="RP") == 1
    assert computations.meeting_participants(**PERIOD, state="NI") == 1


def test_minutes_tasks_done_in_published_minutes(mainz, hannover):
    rp, ni = NetworkFactory(members=[mainz]), NetworkFactory(members=[hannover], scope="NI")
    minutes = MinutesFactory(meeting=meeting_on(BEFORE, rp))
    MinutesItemFactory(minutes=minutes, done_on=START)
    MinutesItemFactory(minutes=minutes, done_on=END)
    MinutesItemFactory(minutes=minutes, done_on=AFTER)
    MinutesItemFactory(minutes=minutes, done_on=None)
    MinutesItemFactory(minutes=minutes, kind="decision", done_on=START)
    MinutesItemFactory(
        minutes=MinutesFactory(meeting=meeting_on(START, ni), published_at=None), done_on=START
    )
    MinutesItemFactory(minutes=MinutesFactory(meeting=meeting_on(END, ni)), done_on=END)

    assert computations.minutes_tasks_done(**PERIOD) == 3
    assert computations.minutes_tasks_done(**PERIOD, state="RP") == 2
    assert computations.minutes_tasks_done(**PERIOD, state="NI") == 1


def test_documents_published_and_downloaded(project_staff, member, outsider):
    def document(day):
        doc = Document.objects.create(
            title="Leitfaden",
            category="guide",
            file="library/leitfaden.pdf",
            original_name="leitfaden.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=project_staff,
            legacy_download_count=50,  # undated: belongs to no period
        )
        Document.objects.filter(pk=doc.pk).update(uploaded_at=at(day, 9))
        return doc

    published = [document(START), document(END), document(BEFORE), document(AFTER)]
    old = published[2]
    # Downloads count on the day they happen, whenever the document was published.
    for day, person, doc in [
        (BEFORE, member, published[0]),
        (START, member, old),
        (START, outsider, old),
        (END, member, published[1]),
        (AFTER, member, published[1]),
    ]:
        DocumentDownload.objects.create(document=doc, user=person, day=day)

    assert computations.documents_published(**PERIOD) == 2
    assert computations.documents_downloaded(**PERIOD) == 3
    assert computations.documents_published(**PERIOD, state="NI") == 2
    assert computations.documents_downloaded(**PERIOD, state="NI") == 3
