"""The bench-only floors (never in the product's URLs) and the data of the reminder benchmark."""

import pytest
from django.test import Client
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.ops.bench.reminders import build_due_reminders
from tests.factories import UserFactory
from training.scans import course_reminders


@pytest.mark.django_db
def test_floor_two_lists_100_rows_with_one_query(bench_urls, mainz, django_assert_num_queries):
    User.objects.bulk_create(
        User(email=f"p{n}@example.org", last_name=f"P{n:03d}", role=Role.AUTHORITY_STAFF, authority=mainz)
        for n in range(120)
    )
    with django_assert_num_queries(1):
        response = Client().get("/bench/rows/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 101  # header and 100 rows
    assert "Stadt Mainz" in response.content.decode()


@pytest.mark.django_db
def test_floor_one_is_constant_without_queries(bench_urls, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/bench/constant/")
    assert response.content == b"ok"


@pytest.mark.django_db
def test_floors_are_not_in_the_products_urls():
    assert Client().get("/bench/constant/").status_code in (302, 404)


@pytest.mark.django_db
def test_due_reminders_are_found_by_the_scan(mainz):
    for number in range(3):
        UserFactory(authority=mainz, email=f"staff{number}@mainz.example.org")
    UserFactory(project_staff=True)
    now = timezone.now()

    courses = build_due_reminders(count=7, now=now)

    assert len(courses) == 3
    assert course_reminders(now) == 7
    assert course_reminders(now) == 0


@pytest.mark.django_db
def test_the_reminder_scan_loads_course_dates_once_not_per_mail(mainz):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(4):
        UserFactory(authority=mainz, email=f"staff{number}@mainz.example.org")
    UserFactory(project_staff=True)
    now = timezone.now()
    build_due_reminders(count=8, now=now)

    with CaptureQueriesContext(connection) as queries:
        assert course_reminders(now) == 8

    date_queries = [q for q in queries if q["sql"].startswith('SELECT "training_coursedate"')]
    assert len(date_queries) == 1
