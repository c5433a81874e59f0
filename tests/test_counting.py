"""Several counts in one statement (portal/counting.py): each as `.count()` gives it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import counting
from portal.accounts.models import User
from tests.factories import AuthorityFactory, UserFactory


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
