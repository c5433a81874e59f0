"""The bench's 10x data: ten times the demo rows where the project grows, 10,000 enrollments."""

import pytest

from authorities.models import Authority, ChangeProcess
from portal.ops.bench import data
from training.models import Attendance, Course, Enrollment, EnrollmentStatus


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


def test_copy_changes_foreign_keys_by_name():
    # A copy given another authority must not keep the original's authority_id.
    authority, other = Authority(pk=1, name="A"), Authority(pk=2, name="B")
    process = ChangeProcess(pk=5, authority=authority, status="active")

    copy = data._copy(process, authority=other, status="completed")

    assert copy.pk is None
    assert copy.authority_id == 2
    assert copy.status == "completed"
