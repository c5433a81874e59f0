"""The bench's 10x data: ten times the demo rows where the project grows, 10,000 enrollments."""

import pytest
from django.db.models import Count

from authorities.models import Authority, ChangeProcess
from network.models import Thread
from portal.ops.bench import data, pages
from training.models import Attendance, Course, CourseStatus, Enrollment, EnrollmentStatus


@pytest.mark.django_db
def test_tenfold_data_has_ten_times_the_demo_rows_and_10000_enrollments():
    data.seed_demo()
    demo = data.table_counts()

    tenfold = data.build_tenfold()

    for label, count in demo.items():
        if label == "enrollments":
            continue
        assert tenfold[label] == 10 * count, label
    assert tenfold["enrollments"] == data.ENROLLMENTS == 10_000
    # The authorities are the 90 real ones; every one has a running process, the rest are history.
    assert Authority.objects.count() == 90
    assert ChangeProcess.objects.active().count() == 90
    assert ChangeProcess.objects.count() == 10 * demo["change_processes"]
    # The copies are consistent: nobody twice in a course, confirmed within capacity, past courses
    # with attendance.
    for course in Course.objects.filter(title__endswith="(2)"):
        active = Enrollment.objects.filter(course=course).exclude(status=EnrollmentStatus.CANCELLED)
        assert active.values("participant").distinct().count() == active.count()
        assert active.filter(status=EnrollmentStatus.CONFIRMED).count() <= course.capacity
    assert Attendance.objects.count() > 10 * 80
    # One upcoming course with 300 people (its participant list is measured), one thread of 200 posts.
    crowded = Course.objects.annotate(n=Count("enrollments")).order_by("-n").first()
    assert (crowded.n, crowded.status) == (data.CROWDED, CourseStatus.PUBLISHED)
    assert Thread.objects.annotate(n=Count("posts")).order_by("-n").first().n == data.THREAD_POSTS


@pytest.mark.django_db
def test_every_main_page_of_every_role_answers(bench_urls):
    data.seed_demo()

    counted = pages.count_queries(pages.main_pages())  # raises on an answer other than 200

    assert len(counted) == len(pages.main_pages()) >= 23
    assert {page.user for page in pages.main_pages()} == {
        pages.PROJECT,
        pages.COORDINATOR,
        pages.FUNDER,
        None,
    }


def test_copy_changes_foreign_keys_by_name():
    # A copy given another authority must not keep the original's authority_id.
    authority, other = Authority(pk=1, name="A"), Authority(pk=2, name="B")
    process = ChangeProcess(pk=5, authority=authority, status="active")

    copy = data._copy(process, authority=other, status="completed")

    assert copy.pk is None
    assert copy.authority_id == 2
    assert copy.status == "completed"
