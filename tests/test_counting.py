"""portal.counting (issue 18): `count_each` gives each queryset's `.count()` in one statement;
RowCount's counts of an authority's processes and history, of a thread's posts and of a meeting's
registrations are the numbers Django's Count gives, zero included, also ordered and filtered by, and
counted for a joined row (the running process of an authority's start page card)."""

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from authorities.models import Authority, ChangeProcess, Goal, HistoryAction, HistoryEntry
from network.models import Meeting, Post, RegistrationStatus
from network.selectors import discussions
from network.services import discussions as discussion_services
from portal import counting
from portal.accounts.models import User
from portal.counting import RowCount, RowMin
from tests.factories import (
    AuthorityFactory,
    ChangeProcessFactory,
    GoalFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MilestoneFactory,
    NetworkFactory,
    UserFactory,
)


def test_a_process_counts_its_goals_measures_and_milestones(db):
    empty, busy = ChangeProcessFactory(), ChangeProcessFactory()
    GoalFactory.create_batch(3, process=busy)
    MeasureFactory.create_batch(2, process=busy)
    MilestoneFactory(process=busy)
    GoalFactory(process=ChangeProcessFactory())  # another process's goal counts there only

    sizes = {
        p.pk: (p.goal_count, p.measure_count, p.milestone_count) for p in ChangeProcess.objects.with_sizes()
    }

    assert sizes[empty.pk] == (0, 0, 0)
    assert sizes[busy.pk] == (3, 2, 1)
    by_count = ChangeProcess.objects.annotate(n=Count("goals")).values_list("pk", "n")
    assert {pk: sizes[pk][0] for pk, _goals in by_count} == dict(by_count)


def test_counts_can_be_filtered_and_ordered_by(db):
    few, many = ChangeProcessFactory(), ChangeProcessFactory()
    GoalFactory(process=few)
    GoalFactory.create_batch(4, process=many)

    ordered = ChangeProcess.objects.annotate(n=RowCount(Goal, "process")).filter(n__gt=0).order_by("-n")

    assert [(p.pk, p.n) for p in ordered] == [(many.pk, 4), (few.pk, 1)]


def test_a_count_of_a_joined_row_counts_for_that_row_and_zero_without_one(db):
    from django.db.models import FilteredRelation, Q

    from authorities.models.process import ProcessStatus

    idle, busy, elsewhere = AuthorityFactory(), AuthorityFactory(), AuthorityFactory()
    running = ChangeProcessFactory(authority=busy)
    GoalFactory.create_batch(2, process=running)
    GoalFactory(process=ChangeProcessFactory(authority=idle, status=ProcessStatus.PAUSED))  # not joined
    GoalFactory(process=ChangeProcessFactory(authority=elsewhere))

    counts = dict(
        Authority.objects.annotate(
            running=FilteredRelation("processes", condition=Q(processes__status=ProcessStatus.ACTIVE))
        )
        .values("pk", "running__pk")
        .annotate(n=RowCount(Goal, "process", of="running__pk"))
        .values_list("pk", "n")
    )

    assert (counts[idle.pk], counts[busy.pk], counts[elsewhere.pk]) == (0, 2, 1)


def test_an_authority_counts_its_history(db, project_staff):
    quiet, busy = AuthorityFactory(), AuthorityFactory()
    for _ in range(3):
        HistoryEntry.objects.create(authority=busy, actor=project_staff, action=HistoryAction.CONTACT_ADDED)

    totals = dict(Authority.objects.with_history_total().values_list("pk", "history_total"))

    assert totals[quiet.pk] == quiet.history.count() == 0
    assert totals[busy.pk] == busy.history.count() == 3


def test_a_thread_counts_all_its_posts_for_the_reader(db, member, mainz):
    network = NetworkFactory(members=[mainz])
    thread = discussion_services.thread_create(network=network, title="T", body="1", by=member)
    Post.objects.bulk_create(
        [Post(thread=thread, author=member, body=str(n), is_deleted=n == 2) for n in range(4)]
    )

    [row] = discussions.threads_for_reader(user=member).filter(pk=thread.pk)

    assert row.post_total == thread.posts.count() == 5  # deleted and hidden ones included, as listed


def test_a_meeting_counts_only_its_active_registrations(db):
    empty, busy = MeetingFactory(), MeetingFactory()
    MeetingRegistrationFactory.create_batch(3, meeting=busy)
    MeetingRegistrationFactory.create_batch(2, meeting=busy, status=RegistrationStatus.CANCELLED)

    places = dict(Meeting.objects.with_places().values_list("pk", "registered"))

    assert places[empty.pk] == 0
    assert places[busy.pk] == 3 == busy.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _old_reader_rows(user):
    """threads_for_reader's annotations as Django's Subquery and Exists wrote them before issue 18."""
    from django.db.models import Exists, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from network.models import Network, ReadMarker, Subscription, Thread

    marker = ReadMarker.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]
    posts = Post.objects.filter(thread=OuterRef("pk")).order_by().values("thread")
    outer_marker = ReadMarker.objects.filter(thread=OuterRef(OuterRef("pk")), user=user).values("read_at")[:1]
    read = posts.filter(created_at__lte=Subquery(outer_marker))
    following = Subscription.objects.filter(thread=OuterRef("pk"), user=user).values("mode")[:1]
    moderators = Network.moderators.through.objects.filter(network_id=OuterRef("network_id"), user_id=user.pk)
    return list(
        Thread.objects.annotate(
            read_at=Subquery(marker),
            post_total=Coalesce(Subquery(posts.annotate(n=Count("pk")).values("n")), 0),
            posts_read=Coalesce(Subquery(read.annotate(n=Count("pk")).values("n")), 0),
            subscription_mode=Subquery(following),
            named_moderator=Exists(moderators),
        )
        .order_by("pk")
        .values_list("pk", "read_at", "post_total", "posts_read", "subscription_mode", "named_moderator")
    )


def test_the_thread_page_reads_what_the_subqueries_read(db, member, coordinator, mainz):
    from datetime import timedelta

    from django.utils import timezone

    from network.models import ReadMarker, SubscriptionMode

    network = NetworkFactory(members=[mainz], moderators=[coordinator])
    unread, read, followed = (
        discussion_services.thread_create(network=network, title=title, body="1", by=member)
        for title in ("Neu", "Gelesen", "Gefolgt")
    )
    for thread in (unread, read, followed):
        Post.objects.bulk_create([Post(thread=thread, author=coordinator, body=str(n)) for n in range(3)])
    ReadMarker.objects.filter(user=member, thread=unread).delete()
    half = read.posts.order_by("created_at", "pk")[1].created_at
    ReadMarker.objects.update_or_create(user=coordinator, thread=read, defaults={"read_at": half})
    ReadMarker.objects.update_or_create(
        user=coordinator, thread=followed, defaults={"read_at": timezone.now() + timedelta(days=1)}
    )
    discussion_services.subscription_set(user=coordinator, mode=SubscriptionMode.IMMEDIATE, thread=followed)

    for user in (member, coordinator):
        new = list(
            discussions.threads_for_reader(user=user)
            .order_by("pk")
            .values_list("pk", "read_at", "post_total", "posts_read", "subscription_mode", "named_moderator")
        )
        assert new == _old_reader_rows(user)
    rows = {row[0]: row for row in _old_reader_rows(coordinator)}
    assert rows[read.pk][3] == 2 and rows[followed.pk][3] == 4 and rows[unread.pk][3] == 0
    assert rows[followed.pk][4] == SubscriptionMode.IMMEDIATE and rows[read.pk][5] is True


def test_isnull_conditions_count_published_minutes_only(db):
    from django.db.models.lookups import GreaterThan

    from network.models import Minutes
    from tests.factories import MinutesFactory

    published, draft, none = MeetingFactory(), MeetingFactory(), MeetingFactory()
    MinutesFactory(meeting=published)
    MinutesFactory(meeting=draft, published_at=None)

    rows = dict(
        Meeting.objects.annotate(
            p=GreaterThan(RowCount(Minutes, "meeting", published_at__isnull=False), 0)
        ).values_list("pk", "p")
    )
    drafts = dict(
        Meeting.objects.annotate(d=RowCount(Minutes, "meeting", published_at__isnull=True)).values_list(
            "pk", "d"
        )
    )

    assert (rows[published.pk], rows[draft.pk], rows[none.pk]) == (True, False, False)
    assert (drafts[published.pk], drafts[draft.pk], drafts[none.pk]) == (0, 1, 0)


def test_each_count_is_the_querysets_count_in_one_statement(mainz):
    UserFactory(authority=mainz, last_name="Becker")
    UserFactory(authority=mainz, last_name="Becker")
    UserFactory(authority=mainz, last_name="Schulz")
    querysets = [
        User.objects.filter(last_name="Becker"),
        User.objects.filter(last_name="Niemand"),
        User.objects.filter(last_name__in=["Becker", "Schulz"]).order_by("pk")[:2],  # a slice counts its rows
        User.objects.values("last_name").distinct(),
    ]
    expected = [queryset.count() for queryset in querysets]

    with CaptureQueriesContext(connection) as queries:
        counts = counting.count_each(querysets)

    assert counts == expected and counts[:3] == [2, 0, 2]
    assert len(queries) == 1


def test_many_counts_take_a_statement_per_chunk(db, monkeypatch):
    monkeypatch.setattr(counting, "COUNTS_PER_QUERY", 2)
    UserFactory(authority=AuthorityFactory(name="Stadt Worms"))
    querysets = [User.objects.all()] * 4 + [User.objects.filter(pk=0)]

    with CaptureQueriesContext(connection) as queries:
        counts = counting.count_each(querysets)

    assert counts == [User.objects.count()] * 4 + [0]
    assert len(queries) == 3


def test_a_courses_next_date_is_the_first_not_yet_over_and_none_without_one(db):
    from datetime import timedelta

    from django.db.models import Min, Q
    from django.utils import timezone

    from tests.factories import CourseDateFactory, CourseFactory
    from training.models import Course, CourseDate

    now = timezone.now()
    past, ahead, running = (CourseFactory(dates=None) for _ in range(3))
    CourseDateFactory(course=past, starts_at=now - timedelta(days=9))
    for days in (20, 5, -9):
        CourseDateFactory(course=ahead, starts_at=now + timedelta(days=days))
    CourseDateFactory(course=running, starts_at=now - timedelta(hours=1))  # ends in six hours

    new = dict(
        Course.objects.annotate(n=RowMin(CourseDate, "course", "starts_at", ends_at__gte=now)).values_list(
            "pk", "n"
        )
    )
    old = dict(
        Course.objects.annotate(n=Min("dates__starts_at", filter=Q(dates__ends_at__gte=now))).values_list(
            "pk", "n"
        )
    )

    assert new == old
    assert new[past.pk] is None
    assert new[ahead.pk] == now + timedelta(days=5) and new[running.pk] == now - timedelta(hours=1)


def _old_latest_unread(network, user):
    """latest_threads' unread counts as the join with a filtered Count wrote them before issue 18."""
    from datetime import UTC, datetime

    from django.db.models import F, FilteredRelation, Q, Value
    from django.db.models.functions import Coalesce

    from network.models import Thread

    return dict(
        Thread.objects.filter(network=network)
        .annotate(marker=FilteredRelation("read_markers", condition=Q(read_markers__user=user)))
        .annotate(
            unread=Count(
                "posts",
                filter=Q(posts__is_deleted=False, posts__hidden_at__isnull=True)
                & ~Q(posts__author=user)
                & Q(
                    posts__created_at__gt=Coalesce(
                        F("marker__read_at"), Value(datetime(2000, 1, 1, tzinfo=UTC))
                    )
                ),
            )
        )
        .values_list("pk", "unread")
    )


def test_the_network_pages_unread_counts_are_the_filtered_counts(db, member, coordinator, mainz):
    from django.utils import timezone

    from network.models import ReadMarker

    network = NetworkFactory(members=[mainz], moderators=[coordinator])
    never, half, all_read, empty = (
        discussion_services.thread_create(network=network, title=title, body="1", by=member)
        for title in ("Nie gelesen", "Halb", "Gelesen", "Leer")
    )
    Post.objects.filter(thread=empty).delete()
    for thread in (never, half, all_read):
        Post.objects.bulk_create([Post(thread=thread, author=coordinator, body=str(n)) for n in range(4)])
        # Deleted, hidden and the reader's own posts are never new to them.
        Post.objects.bulk_create(
            [
                Post(thread=thread, author=coordinator, body="gelöscht", is_deleted=True),
                Post(thread=thread, author=coordinator, body="verborgen", hidden_at=timezone.now()),
            ]
        )
    for user in (member, coordinator):
        ReadMarker.objects.filter(thread=never, user=user).delete()
        ReadMarker.objects.update_or_create(
            user=user,
            thread=half,
            defaults={"read_at": half.posts.order_by("created_at", "pk")[2].created_at},
        )
        ReadMarker.objects.update_or_create(user=user, thread=all_read, defaults={"read_at": timezone.now()})
    other = NetworkFactory(members=[mainz])
    discussion_services.thread_create(network=other, title="Anderswo", body="1", by=coordinator)

    for user in (member, coordinator):
        new = {t.pk: t.unread_count for t in discussions.latest_threads(network=network, user=user, limit=10)}
        assert new == _old_latest_unread(network, user)
    counts = {
        t.pk: t.unread_count for t in discussions.latest_threads(network=network, user=member, limit=10)
    }
    assert counts[never.pk] == 4 and counts[all_read.pk] == 0 and counts[empty.pk] == 0
    assert 0 < counts[half.pk] < 4
    mine = {
        t.pk: t.unread_count for t in discussions.latest_threads(network=network, user=coordinator, limit=10)
    }
    assert mine[never.pk] == 1  # the member's first post; the coordinator's own are not new to them


def test_not_equal_counts_empty_columns_as_different(db, coordinator):
    from django.utils import timezone

    network = NetworkFactory()
    thread = discussion_services.thread_create(network=network, title="T", body="1", by=coordinator)
    other = UserFactory()
    # Post.hidden_by may be empty (the opening post): `ne` counts it as different.
    Post.objects.bulk_create(
        [
            Post(
                thread=thread, author=coordinator, body="a", hidden_by=coordinator, hidden_at=timezone.now()
            ),
            Post(thread=thread, author=coordinator, body="b", hidden_by=other, hidden_at=timezone.now()),
        ]
    )
    from network.models import Thread

    [row] = Thread.objects.filter(pk=thread.pk).annotate(
        n=RowCount(Post, "thread", hidden_by__ne=coordinator.pk)
    )

    # The opening post (hidden by nobody) and the one hidden by another person.
    assert row.n == 2 == Post.objects.filter(thread=thread).exclude(hidden_by=coordinator).count()


def _old_course_reads(user):
    """What for_catalogue, with_seats, upcoming and past read before (issue 18, session 7), as Django's
    Subquery and Exists wrote them: the catalogue's rows for `user`, the waiting lists, the upcoming
    and the past courses."""
    from django.db.models import Exists, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce, Greatest
    from django.utils import timezone

    from training.models import Course, CourseDate, Enrollment, EnrollmentStatus
    from training.models.courses import ACTIVE_SEAT_STATUSES

    def counted(**conditions):
        enrollments = Enrollment.objects.filter(course=OuterRef("pk"), **conditions).values("course")
        return Coalesce(Subquery(enrollments.annotate(n=Count("pk")).values("n")), 0)

    own = Enrollment.objects.filter(course=OuterRef("pk"), participant=user).exclude(
        status=EnrollmentStatus.CANCELLED
    )
    dates = CourseDate.objects.filter(course=OuterRef("pk"))
    running = dates.filter(ends_at__gte=timezone.now())
    rows = Course.objects.visible_to(user).annotate(
        seats_taken=counted(status__in=ACTIVE_SEAT_STATUSES),
        first_start=Subquery(dates.order_by("starts_at").values("starts_at")[:1]),
        free_seats=Greatest(F("capacity") - F("seats_taken"), 0),
        own_status=Subquery(own.values("status")[:1]),
        own_position=Subquery(own.values("waitlist_position")[:1]),
        is_over=~Exists(running),
    )
    return (
        _catalogue_columns(rows),
        dict(Course.objects.annotate(n=counted(status=EnrollmentStatus.WAITLISTED)).values_list("pk", "n")),
        set(Course.objects.filter(Exists(running)).values_list("pk", flat=True)),
        set(Course.objects.filter(Exists(dates)).exclude(Exists(running)).values_list("pk", flat=True)),
    )


def _course_reads(user):
    from training.models import Course

    return (
        _catalogue_columns(Course.objects.for_catalogue(user)),
        dict(Course.objects.with_seats().values_list("pk", "waitlist_length")),
        set(Course.objects.upcoming().values_list("pk", flat=True)),
        set(Course.objects.past().values_list("pk", flat=True)),
    )


def _catalogue_columns(courses):
    columns = ("pk", "seats_taken", "first_start", "free_seats", "own_status", "own_position", "is_over")
    return list(courses.order_by("pk").values_list(*columns))


def test_the_catalogue_and_a_course_page_read_what_the_subqueries_read(db, member, coordinator, outsider):
    """Seats taken, the waiting list, the first date, the reader's own enrollment and whether a course is
    upcoming or past, as `portal.counting` writes them, are what Django's subqueries read."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory
    from training.models import EnrollmentStatus, OpenTo

    now = timezone.now()
    full, open_, over, undated, running = (CourseFactory(dates=None, capacity=2) for _ in range(5))
    CourseFactory(dates=None, open_to=OpenTo.NI)  # not open to Mainz
    for days in (30, 10, 20):
        CourseDateFactory(course=full, starts_at=now + timedelta(days=days))
    CourseDateFactory(course=open_, starts_at=now + timedelta(days=3))
    CourseDateFactory(course=over, starts_at=now - timedelta(days=3))
    CourseDateFactory(course=running, starts_at=now - timedelta(hours=1))  # ends later today
    EnrollmentFactory(course=full, participant=coordinator)
    EnrollmentFactory(course=full, participant=outsider, status=EnrollmentStatus.REQUESTED)
    EnrollmentFactory(
        course=full, participant=member, status=EnrollmentStatus.WAITLISTED, waitlist_position=1
    )
    EnrollmentFactory(course=open_, participant=member, status=EnrollmentStatus.CANCELLED, confirmed_at=None)
    EnrollmentFactory(course=open_, participant=member)  # enrolled again after cancelling
    EnrollmentFactory(
        course=over, participant=coordinator, status=EnrollmentStatus.CANCELLED, confirmed_at=None
    )

    for user in (member, coordinator, outsider):
        assert _course_reads(user) == _old_course_reads(user)
    rows, waiting, upcoming, past = _course_reads(member)
    cards = {row[0]: row[1:] for row in rows}
    assert cards[full.pk] == (
        2,
        min(d.starts_at for d in full.dates.all()),
        0,
        EnrollmentStatus.WAITLISTED,
        1,
        False,
    )
    assert cards[open_.pk][3:] == (EnrollmentStatus.CONFIRMED, None, False)
    assert [cards[course.pk][-1] for course in (over, undated, running)] == [True, True, False]
    assert waiting[full.pk] == 1 and waiting[open_.pk] == 0
    # A course without dates is neither upcoming nor past.
    assert upcoming == {full.pk, open_.pk, running.pk} and past == {over.pk}


def test_an_empty_choice_of_values_counts_nothing(db):
    from tests.factories import EnrollmentFactory
    from training.models import Course, Enrollment, EnrollmentStatus

    enrollment = EnrollmentFactory()

    counts = Course.objects.filter(pk=enrollment.course_id).annotate(
        some=RowCount(Enrollment, "course", status__in=[EnrollmentStatus.CONFIRMED]),
        none=RowCount(Enrollment, "course", status__in=[]),
    )

    assert list(counts.values_list("some", "none")) == [(1, 0)]
