"""The sections of the start pages that read the domain apps (portal/start_sections.py explains the
mechanism). Authority staff: what's next for me; project staff: what needs them this week. Every item
links to the page where the work is done; every function runs one query at most, whatever the data, and
sections that read the same rows share one (`Shared`): the own courses and the colleagues' requests
(`enrollments_ahead`), the process and the authority's card (`figures.own_authority`, which also
tells the task section whether there is anything to look for), the failed mails and the open items'
card (`figures.open_item_counts`)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Min,
    Q,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from authorities.models.process import Phase
from authorities.rules import may_fill_in_self_check
from network.models import Meeting, MeetingRegistration, MinutesItem, visible_network
from network.models.meetings import RegistrationStatus
from network.selectors.discussions import unread_threads
from portal.accounts.models import Role, User
from portal.compiled import compiled_once
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


def _name(person: User) -> str:
    return person.get_full_name() or person.email


def _calendar_links() -> Callable[[str], tuple[StartLink, ...]]:
    """An item's link to its calendar file, from its address (the label translated once per list)."""
    label = _("In den Kalender (.ics)")
    return lambda url: (StartLink(label, url),)


def _annotated(obj: object, name: str) -> Any:
    """A value the query annotated (mypy knows only the model's fields)."""
    return getattr(obj, name)


# --- authority staff: what's next for me ---------------------------------------------------------------


OPEN_REQUESTS = [EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED]
_NAME_FIELDS = ("first_name", "last_name", "email", "erased_at")  # what a person's name is made of


@dataclass(frozen=True, slots=True)
class Ahead:
    """An enrollment of `enrollments_ahead`, as its item shows it."""

    course_id: int
    course_title: str
    status: str
    created_at: datetime
    next_start: datetime  # the course's next date
    participant: User | None  # the colleague who asked (a request), only their name

    def status_display(self) -> str:
        return str(EnrollmentStatus(self.status).label)


def _enrollments_ahead_query(*, shape: bool, user: int, now: datetime, authority: int = 0) -> Any:
    """The rows of `enrollments_ahead`, for a coordinator (`shape`) with their authority's open requests."""
    wanted = Q(participant=user)
    if shape:
        wanted |= Q(participant__authority_id=authority, status__in=OPEN_REQUESTS)
    # The course's next date as a subquery (portal/counting.py): the join to the dates and its grouping,
    # compiled three times (select, having, window), cost more than the query's run (issue 18).
    next_start = RowMin(CourseDate, "course", "starts_at", of="course", ends_at__gte=now)
    own = Exact(F("participant"), user)  # a lookup, not a Q: nothing to resolve (issue 18)
    enrollments = Enrollment.objects.annotate(next_start=next_start, own=own).filter(
        wanted,
        ~Q(status=EnrollmentStatus.CANCELLED),
        ~Q(course__status=CourseStatus.CANCELLED),
        next_start__isnull=False,  # a date ahead
    )
    people: list[str] = []
    if shape:
        # The first SHOWN of each kind are among the first 2 * SHOWN by row number, whatever the order
        # of the kinds within a number (cheaper to compile than a filter on the window, which wraps the
        # query in another).
        by = Case(When(own, then=F("next_start")), default=F("created_at"))
        rank = Window(RowNumber(), partition_by=[F("own")], order_by=[by.asc(), F("pk").asc()])
        enrollments = enrollments.annotate(rank=rank).order_by("rank")
        people = [f"participant__{name}" for name in _NAME_FIELDS]
    else:  # one kind: no row numbers to build and compile (issue 18)
        enrollments = enrollments.order_by("next_start", "pk")
    # Plain values: model instances with their course and person (select_related) cost a third of the
    # query's CPU, and made from the values still a quarter (issue 18).
    return enrollments.values_list(
        "own", "course_id", "course__title", "status", "created_at", "next_start", *people
    )[: 2 * SHOWN]


# Built and compiled once per process and kind of reader: that took 1.7 ms of CPU per start page, running
# it 0.1 ms (portal/compiled.py, issue 18).
_enrollments_ahead_rows = compiled_once(_enrollments_ahead_query)


def enrollments_ahead(user: User, now: datetime) -> tuple[list[Ahead], list[Ahead]]:
    """The person's own enrollments in courses with a date ahead, by that date, and for a coordinator
    their colleagues' open requests for such courses, oldest first: the first SHOWN of each, in one
    query (a row number per kind; issue 18: two before)."""
    if user.is_coordinator and user.authority_id is not None:
        rows = _enrollments_ahead_rows(shape=True, user=user.pk, now=now, authority=user.authority_id)
    else:
        rows = _enrollments_ahead_rows(shape=False, user=user.pk, now=now)
    own_rows: list[Ahead] = []
    requests: list[Ahead] = []
    for is_own, course_id, title, status, created_at, next_start_at, *person in rows:
        if is_own:
            own_rows.append(Ahead(course_id, title, status, created_at, next_start_at, None))
        else:
            colleague = User(**dict(zip(_NAME_FIELDS, person, strict=True)))
            requests.append(Ahead(course_id, title, status, created_at, next_start_at, colleague))
    return own_rows[:SHOWN], requests[:SHOWN]


@start_section(Role.AUTHORITY_STAFF, order=10)
def next_courses(user: User, now: datetime, shared: Shared) -> StartSection:
    # Read with the colleagues' requests (`colleagues_requests`): one query for both.
    enrollments, _requests = shared(enrollments_ahead, user, now)
    course_url, ics_url = reverse_each("training:detail"), reverse_each("training:course_ics")
    calendar = _calendar_links()
    items = [
        StartItem(
            title=enrollment.course_title,
            url=course_url(enrollment.course_id),
            meta=date_time(enrollment.next_start),
            badge="" if enrollment.status == EnrollmentStatus.CONFIRMED else enrollment.status_display(),
            links=calendar(ics_url(enrollment.course_id)),
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
    # Cheaper to build than Exists (portal/counting.py): 0 or 1, the person's registration. The networks
    # as a join (`visible_network`) and plain values: a third of the CPU of a subquery and model
    # instances (issue 18).
    own = RowCount(MeetingRegistration, "meeting", participant=user.pk, status=RegistrationStatus.REGISTERED)
    meetings = (
        Meeting.objects.filter(visible_network(user, "network"), ends_at__gte=now)
        .annotate(registered_self=own)
        .order_by("starts_at", "pk")
        .values_list("pk", "network_id", "title", "starts_at", "network__name", "registered_self")[:SHOWN]
    )
    meeting_url, ics_url = reverse_each("network:meeting", 2), reverse_each("network:meeting_ics", 2)
    calendar, registered_badge = _calendar_links(), _("angemeldet")
    items = [
        StartItem(
            title=title,
            url=meeting_url(network_id, pk),
            meta=f"{date_time(starts_at)} · {network_name}",
            badge=registered_badge if registered else "",
            links=calendar(ics_url(network_id, pk)),
        )
        for pk, network_id, title, starts_at, network_name, registered in meetings
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
    # Most authorities have no task assigned that is not done: the authority's card counts them in its
    # query (`figures.own_authority`), and without any there is nothing to look for (issue 18: one
    # query less for them).
    if user.authority_id is None or not shared(own_authority, user.authority_id).undone_tasks:
        return None
    # The networks as a join and plain values, as `next_meetings`.
    tasks = list(
        MinutesItem.objects.open_tasks()
        .filter(
            visible_network(user, "minutes__meeting__network"),
            responsible_authority_id=user.authority_id,
        )
        .order_by(F("due_on").asc(nulls_last=True), "pk")
        .values_list(
            "text",
            "due_on",
            "responsible_person",
            "minutes__meeting_id",
            "minutes__meeting__network_id",
            "minutes__meeting__network__name",
        )[: SHOWN + 1]
    )
    today = timezone.localdate(now)
    meeting_url = reverse_each("network:meeting", 2)
    items = []
    for text, due_on, responsible_person, meeting_id, network_id, network_name in tasks[:SHOWN]:
        due = ""
        if due_on:
            due = _("fällig am %(date)s") % {"date": _date(due_on)}
        items.append(
            StartItem(
                title=text if len(text) <= 140 else text[:139] + "…",
                url=meeting_url(network_id, meeting_id),
                meta=" · ".join(part for part in (due, responsible_person, network_name) if part),
                badge=_("überfällig") if due_on and due_on < today else "",
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
            title=f"{_name(enrollment.participant)}: {enrollment.course_title}",
            url=course_url(enrollment.course_id),
            meta=_("angefragt am %(date)s") % {"date": _date(enrollment.created_at)},
            badge=enrollment.status_display(),
        )
        for enrollment in enrollments
        if enrollment.participant is not None
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
                    _name(enrollment.participant),
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
