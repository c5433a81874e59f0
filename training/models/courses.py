"""Courses with their dates, and who holds a seat in them: enrollments, waiting lists, attendance.

Course and Enrollment stay in one module: the course's querysets count enrollments and an enrollment
points to its course, so two modules would import each other."""

from collections.abc import Iterable
from datetime import datetime
from typing import Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from authorities.models.registry import Authority
from portal.accounts.models import User
from portal.choices import choice_display
from portal.collation import GERMAN
from portal.counting import RowCount, RowExists, RowMin, RowValue
from portal.facts import FactsQuerySet
from portal.formats import date_time


class Topic(models.Model):
    """A subject area of the courses; project staff extend the list."""

    name = models.CharField(_("Name"), max_length=120, unique=True, db_collation=GERMAN)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Präsenz")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class OpenTo(models.TextChoices):
    BOTH = "both", _("Rheinland-Pfalz und Niedersachsen")
    RP = "RP", _("nur Rheinland-Pfalz")
    NI = "NI", _("nur Niedersachsen")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("Veröffentlicht")
    CANCELLED = "cancelled", _("Abgesagt")
    COMPLETED = "completed", _("Abgeschlossen")


class EnrollmentMode(models.TextChoices):
    DIRECT = "direct", _("Direkte Anmeldung")
    REQUEST = "request", _("Anfrage, Bestätigung durch das Projektteam")


class CourseQuerySet(FactsQuerySet["Course"]):
    def visible_to(self, user: User) -> Self:
        if user.is_project_staff:
            return self
        published = self.exclude(status=CourseStatus.DRAFT)
        if user.is_authority_staff:
            # Authority staff see the courses open to their state (the database gives each an authority).
            # The state as a subquery, not read beforehand: one query less per page.
            state = Authority.objects.filter(users=user).values("state")
            return published.filter(Q(open_to=OpenTo.BOTH) | Q(open_to__in=state))
        return published

    def with_seats(self, *, waiting_list: bool = True) -> Self:
        # Subqueries, not joins: counting enrollments and dates in one join would multiply the rows.
        # waiting_list=False leaves out the length of the waiting list (the catalogue's cards don't
        # show it: one subquery per card less).
        courses = self.with_seats_taken()
        if waiting_list:
            courses = courses.annotate(
                waitlist_length=RowCount(Enrollment, "course", status=EnrollmentStatus.WAITLISTED)
            )
        return courses.with_first_start().annotate(free_seats=Greatest(F("capacity") - F("seats_taken"), 0))

    # The counts and dates below are `portal.counting`'s plain correlated subqueries: built as Django
    # subqueries they cost the catalogue about 2 ms of CPU per request, more than running them (issue 18).

    def with_seats_taken(self) -> Self:
        """Each course with `seats_taken`: confirmed and requested enrollments (a request holds its seat
        until decided)."""
        return self.annotate(seats_taken=RowCount(Enrollment, "course", status__in=ACTIVE_SEAT_STATUSES))

    def with_first_start(self) -> Self:
        """Each course with `first_start`, when its first date begins (None without dates)."""
        return self.annotate(first_start=RowMin(CourseDate, "course", "starts_at"))

    def with_marks_on_future_dates(self) -> Self:
        """Each course with `marks_on_future_dates`: attendance marked on dates that were moved into the
        future afterwards (they count nowhere until the date has taken place)."""
        marks = (
            Attendance.objects.filter(
                course_date__course=OuterRef("pk"), course_date__starts_at__gt=timezone.now()
            )
            .values("course_date__course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(marks_on_future_dates=Coalesce(Subquery(marks), 0))

    def for_catalogue(self, user: User) -> Self:
        # One active enrollment per person and course at most (`enrollment_one_active_per_person`).
        own = {"participant": user.pk, "status__ne": EnrollmentStatus.CANCELLED}
        return (
            self.visible_to(user)
            .with_seats(waiting_list=False)
            .select_related("topic")
            # What a card shows: the long texts (description, contents) stay in the database.
            .only("title", "topic__name", "format", "location", "status", "capacity")
            .annotate(
                own_status=RowValue(Enrollment, "course", "status", **own),
                own_position=RowValue(Enrollment, "course", "waitlist_position", **own),
                # A past course's card says so instead of its free seats.
                is_over=~RowExists(CourseDate, "course", ends_at__gte=timezone.now()),
            )
        )

    def upcoming(self) -> Self:
        """Courses with a date that has not ended yet."""
        return self.filter(RowExists(CourseDate, "course", ends_at__gte=timezone.now()))

    def past(self) -> Self:
        """Courses whose dates have all ended (a course without dates is neither upcoming nor past)."""
        running = RowExists(CourseDate, "course", ends_at__gte=timezone.now())
        return self.filter(RowExists(CourseDate, "course")).filter(~running)


class Course(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"))
    contents = models.TextField(
        _("Inhalte"),
        blank=True,
        help_text=_("Die Themen im Einzelnen; sie stehen auch auf der Teilnahmebescheinigung."),
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("Thema"), on_delete=models.PROTECT, related_name="courses"
    )
    target_group = models.CharField(_("Zielgruppe"), max_length=200)
    format = models.CharField(_("Format"), max_length=20, choices=CourseFormat.choices)
    location = models.CharField(_("Veranstaltungsort"), max_length=300, blank=True)
    online_link = models.URLField(_("Link zur Online-Veranstaltung"), blank=True)
    trainers = models.CharField(_("Trainerinnen und Trainer"), max_length=300)
    capacity = models.PositiveIntegerField(_("Plätze"), validators=[MinValueValidator(1)])
    seats_per_authority = models.PositiveIntegerField(
        _("Höchstzahl je Behörde"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leer lassen, wenn es keine Grenze je Behörde gibt."),
    )
    open_to = models.CharField(_("Offen für"), max_length=4, choices=OpenTo.choices, default=OpenTo.BOTH)
    registration_opens = models.DateTimeField(_("Anmeldung ab"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    enrollment_mode = models.CharField(
        _("Anmeldeverfahren"), max_length=20, choices=EnrollmentMode.choices, default=EnrollmentMode.DIRECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    get_format_display = choice_display("format")  # one label, not all of them, per card (issue 18)

    class Meta:
        verbose_name = _("Schulung")
        verbose_name_plural = _("Schulungen")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="course_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:detail", args=[self.pk])

    def has_begun(self, now: datetime | None = None, dates: "Iterable[CourseDate] | None" = None) -> bool:
        """Whether the first date has begun: from then on the enrollments are figures the funders
        read, and only project staff may cancel one, as a correction with a reason. `dates`: the
        course's dates where the page has read them already (no query)."""
        now = now or timezone.now()
        if dates is not None:
            return any(date.starts_at <= now for date in dates)
        return self.dates.filter(starts_at__lte=now).exists()

    def is_open_to(self, authority: Authority | None) -> bool:
        return self.open_to == OpenTo.BOTH or (authority is not None and authority.state == self.open_to)

    def registration_problem(self, now: datetime | None = None) -> str | None:
        """Why nobody can enroll right now, in words for the page; None when enrollment is open. The
        one sentence for the course page and the services' refusals, its time written in the reader's
        language (portal.formats: "10:00 Uhr", "10:00 h")."""
        now = now or timezone.now()
        if self.status == CourseStatus.DRAFT:
            return gettext("Die Schulung ist noch nicht veröffentlicht.")
        if self.status == CourseStatus.CANCELLED:
            return gettext("Die Schulung wurde abgesagt.")
        if self.status == CourseStatus.COMPLETED:
            return gettext("Die Schulung ist abgeschlossen.")
        if self.registration_opens and now < self.registration_opens:
            return gettext("Die Anmeldung beginnt am %(date)s.") % {
                "date": date_time(self.registration_opens)
            }
        if self.registration_closes and now >= self.registration_closes:
            return gettext("Die Anmeldung ist seit dem %(date)s geschlossen.") % {
                "date": date_time(self.registration_closes)
            }
        return None


class CourseDate(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("Schulung"), on_delete=models.CASCADE, related_name="dates"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    room = models.CharField(_("Raum"), max_length=200, blank=True)

    objects = FactsQuerySet["CourseDate"].as_manager()

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="course_date_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{date_format(start, 'SHORT_DATETIME_FORMAT')}–{date_format(end, 'TIME_FORMAT')}"

    def has_begun(self, now: datetime | None = None) -> bool:
        """Attendance and a sign-in sheet exist only for a date that has begun."""
        return self.starts_at <= (now or timezone.now())

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class EnrollmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Angefragt")
    CONFIRMED = "confirmed", _("Angemeldet")  # as the badge on every page says
    WAITLISTED = "waitlisted", _("Warteliste")
    CANCELLED = "cancelled", _("Storniert")


ACTIVE_SEAT_STATUSES = [EnrollmentStatus.REQUESTED, EnrollmentStatus.CONFIRMED]


class EnrollmentQuerySet(FactsQuerySet["Enrollment"]):
    def visible_to(self, user: User) -> Self:
        if user.is_project_staff:
            return self
        if user.is_coordinator:
            return self.filter(participant__authority_id=user.authority_id)
        if user.is_authority_staff:
            return self.filter(participant=user)
        return self.none()

    def active(self) -> Self:
        return self.exclude(status=EnrollmentStatus.CANCELLED)

    def corrections(self) -> Self:
        """Enrollments cancelled after the course had begun, with the reason project staff gave."""
        return self.filter(status=EnrollmentStatus.CANCELLED).exclude(cancellation_reason="")

    def holding_seats(self) -> Self:
        return self.filter(status__in=ACTIVE_SEAT_STATUSES)

    def attended_in_courses_ended_between(self, start: datetime, end: datetime) -> Self:
        """Confirmed participants who were there at least once, of courses whose last date ended after
        `start` and no later than `end` (the window of the mails after a course)."""
        return (
            self.filter(status=EnrollmentStatus.CONFIRMED, attendances__present=True)
            .exclude(course__status__in=[CourseStatus.DRAFT, CourseStatus.CANCELLED])
            .annotate(last_end=Max("course__dates__ends_at"))
            .filter(last_end__gt=start, last_end__lte=end)
            .select_related("course", "participant")
            .distinct()
        )

    def for_participant_list(self) -> Self:
        return self.select_related("participant", "participant__authority", "enrolled_by").order_by(
            "status", "waitlist_position", "participant__last_name", "participant__first_name"
        )


class Enrollment(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("Schulung"), on_delete=models.CASCADE, related_name="enrollments"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Teilnehmende Person"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    status = models.CharField(_("Status"), max_length=20, choices=EnrollmentStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("Platz auf der Warteliste"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angemeldet von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("storniert am"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("storniert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Required when project staff cancel after the course has begun (a correction of past figures).
    cancellation_reason = models.TextField(_("Grund der Stornierung"), blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at", "pk"]
        indexes = [
            # Open requests and waiting places, oldest first: a few rows among 10,000 enrollments (the
            # colleagues' requests on a coordinator's start page were a sequential scan of them all).
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status__in=[EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED]),
                name="enrollment_open_requests",
            ),
        ]
        constraints = [
            # A person holds at most one active enrollment per course, whatever runs concurrently.
            models.UniqueConstraint(
                fields=["course", "participant"],
                condition=~Q(status=EnrollmentStatus.CANCELLED),
                name="enrollment_one_active_per_person",
                violation_error_message=_("Diese Person ist für die Schulung bereits angemeldet."),
            ),
            # A waiting-list place exists exactly for waitlisted enrollments. That the places run 1..n
            # without gaps is kept by the services under the course's row lock (a unique index would
            # reject the shift of all places by one, which PostgreSQL checks row by row).
            models.CheckConstraint(
                condition=(Q(status=EnrollmentStatus.WAITLISTED) & Q(waitlist_position__gte=1))
                | (~Q(status=EnrollmentStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="enrollment_waitlist_position_iff_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.course}"


class AttendanceQuerySet(FactsQuerySet["Attendance"]):
    def attended(self, *, now: datetime) -> "AttendanceQuerySet":
        """Present on a date that has ended by `now`: what a certificate, feedback, the follow-up and
        the funders' figures rest on. A mark on a date that was moved into the future does not count
        (it is kept, and the course page warns project staff)."""
        return self.filter(present=True, course_date__ends_at__lte=now)


class Attendance(models.Model):
    """Whether a participant was there on one course date; kept apart from the enrollment status."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendances")
    course_date = models.ForeignKey(CourseDate, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("anwesend"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "course_date"], name="attendance_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.course_date}"
