"""The sections of the start pages that read the domain apps (portal/start_sections.py explains the
mechanism). Authority staff: what's next for me; project staff: what needs them this week. Every item
links to the page where the work is done; every function runs one query at most, whatever the data, and
sections that read the same rows share one (`Shared`): the own courses and the colleagues' requests
(`enrollments_ahead`), the process and the authority's card (`figures.own_authority`), the failed mails
and the open items' card (`figures.open_item_counts`)."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Min,
    Q,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from authorities.models.process import Phase
from authorities.rules import may_fill_in_self_check
from network.models import Meeting, MeetingRegistration, MinutesItem, Network
from network.models.meetings import RegistrationStatus
from network.selectors.discussions import unread_threads
from portal.accounts.models import Role, User
from portal.counting import RowCount, RowMin
from portal.formats import date_time
from portal.links import reverse_each
from portal.pages.selectors.figures import open_item_counts, own_authority
from portal.start_sections import Shared, StartItem, StartLink, StartSection, start_section
from training.models import Course, CourseDate, CourseStatus, Enrollment, EnrollmentStatus

SHOWN = 5  # items per section; the section links to the whole list
THIS_WEEK = timedelta(days=7)


def _date(value: date | datetime) -> str:
    # An instant is shown on the day it has in the portal's time zone (date_format alone keeps UTC).
    return date_format(
        timezone.localtime(value) if isinstance(value, datetime) else value, "SHORT_DATE_FORMAT"
    )


def _calendar(url: str) -> tuple[StartLink, ...]:
    return (StartLink(_("In den Kalender (.ics)"), url),)


def _annotated(obj: object, name: str) -> Any:
    """A value the query annotated (mypy knows only the model's fields)."""
    return getattr(obj, name)


# --- authority staff: what's next for me ---------------------------------------------------------------


OPEN_REQUESTS = [EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED]


def enrollments_ahead(user: User, now: datetime) -> tuple[list[Enrollment], list[Enrollment]]:
    """The person's own enrollments in courses with a date ahead, by that date, and for a coordinator
    their colleagues' open requests for such courses, oldest first: the first SHOWN of each, in one
    query (a row number per kind; issue 18: two before). Each row brings its next date (`next_start`)."""
    coordinator = user.is_coordinator and user.authority_id is not None
    wanted = Q(participant=user)
    if coordinator:
        wanted |= Q(participant__authority_id=user.authority_id, status__in=OPEN_REQUESTS)
    # The course's next date as a subquery (portal/counting.py): the join to the dates and its grouping,
    # compiled three times (select, having, window), cost more than the query's run (issue 18).
    next_start = RowMin(CourseDate, "course", "starts_at", of="course", ends_at__gte=now)
    by = Case(When(own=True, then=F("next_start")), default=F("created_at"))
    rows = list(
        Enrollment.objects.filter(wanted)
        .active()
        .exclude(course__status=CourseStatus.CANCELLED)
        .annotate(next_start=next_start)
        .filter(next_start__isnull=False)  # a date ahead
        .annotate(own=ExpressionWrapper(Q(participant=user), output_field=BooleanField()))
        .annotate(rank=Window(RowNumber(), partition_by=[F("own")], order_by=[by.asc(), F("pk").asc()]))
        .select_related("course", *(["participant"] if coordinator else []))
        .only(  # what the items show (issue 18: not the long texts)
            "status",
            "created_at",
            "course__title",
            *(
                [f"participant__{name}" for name in ("first_name", "last_name", "email", "erased_at")]
                if coordinator
                else []
            ),
        )
        # The first SHOWN of each kind are among the first 2 * SHOWN by row number (cheaper to compile
        # than a filter on the window, which wraps the query in another).
        .order_by("rank", "-own")[: 2 * SHOWN]
    )
    return [row for row in rows if _annotated(row, "own")][:SHOWN], [
        row for row in rows if not _annotated(row, "own")
    ][:SHOWN]


@start_section(Role.AUTHORITY_STAFF, order=10)
def next_courses(user: User, now: datetime, shared: Shared) -> StartSection:
    # Read with the colleagues' requests (`colleagues_requests`): one query for both.
    enrollments, _requests = shared(enrollments_ahead, user, now)
    course_url, ics_url = reverse_each("training:detail"), reverse_each("training:course_ics")
    items = [
        StartItem(
            title=enrollment.course.title,
            url=course_url(enrollment.course_id),
            meta=date_time(_annotated(enrollment, "next_start")),
            badge="" if enrollment.status == EnrollmentStatus.CONFIRMED else enrollment.get_status_display(),
            links=_calendar(ics_url(enrollment.course_id)),
        )
        for enrollment in enrollments
    ]
    return StartSection(
        key="schulungen",
        title=_("Meine nächsten Schulungen"),
        items=items,
        empty=_("Sie sind zu keiner kommenden Schulung angemeldet."),
        more=StartLink(_("Zum Schulungskatalog"), reverse("training:catalogue")),
    )


@start_section(Role.AUTHORITY_STAFF, order=20)
def next_meetings(user: User, now: datetime, shared: Shared) -> StartSection | None:
    # Cheaper to build than Exists (portal/counting.py): 0 or 1, the person's registration.
    own = RowCount(MeetingRegistration, "meeting", participant=user.pk, status=RegistrationStatus.REGISTERED)
    meetings = (
        Meeting.objects.filter(network__in=Network.objects.visible_to(user), ends_at__gte=now)
        .annotate(registered_self=own)
        .select_related("network")
        .only("title", "starts_at", "network__name")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    meeting_url, ics_url = reverse_each("network:meeting", 2), reverse_each("network:meeting_ics", 2)
    items = [
        StartItem(
            title=meeting.title,
            url=meeting_url(meeting.network_id, meeting.pk),
            meta=f"{date_time(meeting.starts_at)} · {meeting.network.name}",
            badge=_("angemeldet") if _annotated(meeting, "registered_self") else "",
            links=_calendar(ics_url(meeting.network_id, meeting.pk)),
        )
        for meeting in meetings
    ]
    return StartSection(
        key="treffen",
        title=_("Nächste Treffen Ihrer Netzwerke"),
        items=items,
        empty=_("In Ihren Netzwerken ist kein Treffen geplant."),
        more=StartLink(_("Zu den Netzwerken"), reverse("network:list")),
    )


@start_section(Role.AUTHORITY_STAFF, order=30)
def open_tasks(user: User, now: datetime, shared: Shared) -> StartSection | None:
    tasks = list(
        MinutesItem.objects.open_tasks()
        .filter(
            responsible_authority_id=user.authority_id,
            minutes__meeting__network__in=Network.objects.visible_to(user),
        )
        .select_related("minutes__meeting__network")
        .only("text", "due_on", "responsible_person", "minutes__meeting__network__name")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[: SHOWN + 1]
    )
    today = timezone.localdate(now)
    meeting_url = reverse_each("network:meeting", 2)
    items = []
    for task in tasks[:SHOWN]:
        meeting = task.minutes.meeting
        due = ""
        if task.due_on:
            due = _("fällig am %(date)s") % {"date": _date(task.due_on)}
        items.append(
            StartItem(
                title=task.text if len(task.text) <= 140 else task.text[:139] + "…",
                url=meeting_url(meeting.network_id, meeting.pk),
                meta=" · ".join(
                    part for part in (due, task.responsible_person, meeting.network.name) if part
                ),
                badge=_("überfällig") if task.due_on and task.due_on < today else "",
            )
        )
    return StartSection(
        key="aufgaben",
        title=_("Offene Aufgaben Ihrer Behörde aus Protokollen"),
        items=items,
        more=StartLink(_("Zu den Netzwerken"), reverse("network:list")) if len(tasks) > SHOWN else None,
    )


def _new_posts(count: int) -> str:
    return ngettext("%(count)d neuer Beitrag", "%(count)d neue Beiträge", count) % {"count": count}


@start_section(Role.AUTHORITY_STAFF, order=40)
def threads_unread(user: User, now: datetime, shared: Shared) -> StartSection | None:
    items = [
        StartItem(
            title=thread.title,
            url=thread.get_absolute_url(),
            meta=thread.network.name,
            badge=_new_posts(_annotated(thread, "unread_count")),
        )
        for thread in unread_threads(user=user, limit=SHOWN)
    ]
    return StartSection(key="diskussionen", title=_("Ungelesene Diskussionen"), items=items)


@start_section(Role.AUTHORITY_STAFF, order=50)
def process_and_milestones(user: User, now: datetime, shared: Shared) -> StartSection | None:
    if user.authority_id is None:
        return None
    # Read with the authority's card of the page (`figures.own_authority`): one query for both.
    own = shared(own_authority, user.authority_id)
    process = own.process
    if process is None:
        return None
    today = timezone.localdate(now)
    url, milestones_url = process.get_absolute_url(), process.section_url("meilensteine")
    items = [
        StartItem(
            title=_("Phase %(number)d von %(total)d: %(name)s")
            % {"number": process.phase, "total": len(Phase), "name": process.get_phase_display()},
            url=url,
            meta=process.get_status_display(),
        )
    ]
    for milestone in own.open_milestones:
        items.append(
            StartItem(
                title=milestone.title,
                url=milestones_url,
                meta=_("Meilenstein, fällig am %(date)s") % {"date": _date(milestone.due_on)},
                badge=_("überfällig") if milestone.due_on < today else "",
            )
        )
    # The self-check is due when the process has reached the phase that needs it and lacks its round:
    # the baseline from the site assessment on, the follow-up from the evaluation on.
    rounds = own.round_count
    due = (rounds == 0 and process.phase >= Phase.SITE_ASSESSMENT) or (
        rounds == 1 and process.phase >= Phase.EVALUATION
    )
    if due and may_fill_in_self_check(user, process):
        items.append(
            StartItem(
                title=_("Selbstcheck Willkommenskultur ausfüllen"),
                url=reverse("authorities:assessment_new", args=[process.authority_id, process.pk]),
                meta=_("Ausgangslage") if rounds == 0 else _("Folgeerhebung"),
                badge=_("fällig"),
            )
        )
    return StartSection(key="prozess", title=_("Veränderungsprozess Ihrer Behörde"), items=items)


@start_section(Role.AUTHORITY_STAFF, order=60)
def colleagues_requests(user: User, now: datetime, shared: Shared) -> StartSection | None:
    if not user.is_coordinator or user.authority_id is None:
        return None
    _own, enrollments = shared(enrollments_ahead, user, now)  # read with `next_courses`
    course_url = reverse_each("training:detail")
    items = [
        StartItem(
            title=f"{enrollment.participant.get_full_name() or enrollment.participant.email}: "
            f"{enrollment.course.title}",
            url=course_url(enrollment.course_id),
            meta=_("angefragt am %(date)s") % {"date": _date(enrollment.created_at)},
            badge=enrollment.get_status_display(),
        )
        for enrollment in enrollments
    ]
    return StartSection(
        key="anfragen", title=_("Offene Anmeldungen Ihrer Kolleginnen und Kollegen"), items=items
    )


# --- project staff: what needs them this week -----------------------------------------------------------


@start_section(Role.PROJECT_STAFF, order=10)
def requests_to_confirm(user: User, now: datetime, shared: Shared) -> StartSection:
    # The first few with the number of all (a window over every request) in one query.
    first = list(
        Enrollment.objects.filter(status=EnrollmentStatus.REQUESTED)
        .exclude(course__status=CourseStatus.CANCELLED)
        .annotate(total=Window(Count("pk")))
        .select_related("course", "participant", "participant__authority")
        .only(
            "created_at",
            "course__title",
            *(f"participant__{name}" for name in ("first_name", "last_name", "email", "erased_at")),
            "participant__authority__name",
        )
        .order_by("created_at", "pk")[:SHOWN]
    )
    total = _annotated(first[0], "total") if first else 0
    items = [
        StartItem(
            title=enrollment.course.title,
            url=reverse("training:participants", args=[enrollment.course_id]),
            meta=" · ".join(
                part
                for part in (
                    enrollment.participant.get_full_name() or enrollment.participant.email,
                    str(enrollment.participant.authority or ""),
                    _("angefragt am %(date)s") % {"date": _date(enrollment.created_at)},
                )
                if part
            ),
        )
        for enrollment in first
    ]
    return StartSection(
        key="anfragen",
        title=_("Anfragen zu bestätigen"),
        items=items,
        empty=_("Keine Anfrage wartet auf eine Entscheidung."),
        total=total or None,
    )


@start_section(Role.PROJECT_STAFF, order=20)
def courses_starting(user: User, now: datetime, shared: Shared) -> StartSection:
    # The courses whose first date begins this week, found among the dates (grouped once) rather than
    # by working out every course's first date; seats taken and first date then for those only.
    starting = (
        CourseDate.objects.values("course")
        .annotate(first=Min("starts_at"))
        .filter(first__gte=now, first__lt=now + THIS_WEEK)
        .values("course")
    )
    courses = (
        Course.objects.with_seats_taken()
        .with_first_start()
        .filter(pk__in=starting, status=CourseStatus.PUBLISHED)
        .only("title", "capacity")
        .order_by(F("first_start").asc(), "pk")
    )
    items = [
        StartItem(
            title=course.title,
            url=course.get_absolute_url(),
            meta=_("%(date)s · %(taken)d von %(capacity)d Plätzen belegt")
            % {
                "date": date_time(_annotated(course, "first_start")),
                "taken": _annotated(course, "seats_taken"),
                "capacity": course.capacity,
            },
            links=(StartLink(_("Teilnehmende"), reverse("training:participants", args=[course.pk])),),
        )
        for course in courses[:SHOWN]
    ]
    return StartSection(
        key="schulungen",
        title=_("Schulungen, die in den nächsten 7 Tagen beginnen"),
        items=items,
        empty=_("In den nächsten 7 Tagen beginnt keine Schulung."),
        more=StartLink(_("Zum Schulungskatalog"), reverse("training:catalogue")),
    )


def _registrations(count: int) -> str:
    return ngettext("%(count)d Anmeldung", "%(count)d Anmeldungen", count) % {"count": count}


@start_section(Role.PROJECT_STAFF, order=30)
def meetings_this_week(user: User, now: datetime, shared: Shared) -> StartSection | None:
    meetings = (
        Meeting.objects.with_places()
        .filter(starts_at__gte=now, starts_at__lt=now + THIS_WEEK)
        .select_related("network")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    items = [
        StartItem(
            title=meeting.title,
            url=meeting.get_absolute_url(),
            meta=" · ".join(
                (
                    date_time(meeting.starts_at),
                    meeting.network.name,
                    _registrations(_annotated(meeting, "registered")),
                )
            ),
        )
        for meeting in meetings
    ]
    return StartSection(key="treffen", title=_("Treffen in den nächsten 7 Tagen"), items=items)


@start_section(Role.PROJECT_STAFF, order=50)
def failed_mails(user: User, now: datetime, shared: Shared) -> StartSection | None:
    # The same count as the open items' card (`figures.project_staff_dashboard`): read once per page.
    count = shared(open_item_counts)["failed_mails"]
    if not count:
        return None
    item = StartItem(
        title=ngettext(
            "%(count)d E-Mail konnte nicht zugestellt werden",
            "%(count)d E-Mails konnten nicht zugestellt werden",
            count,
        )
        % {"count": count},
        url=reverse("notifications:failed"),
        meta=_("Prüfen und erneut senden"),
    )
    return StartSection(key="e-mails", title=_("Fehlgeschlagene E-Mails"), items=[item])
