"""portal.pagination.counted_page: the page Django's Paginator gives, with its count from the same query."""

import pytest
from django.core.paginator import Paginator

from portal.pagination import counted_page
from tests.factories import TopicFactory
from training.models import Topic

NUMBERS = [None, "1", "2", "3", "4", "99", "0", "-1", "abc", "", "2.5"]


def _shown(page):
    return [obj.pk for obj in page], page.number, page.paginator.count, page.paginator.num_pages


@pytest.mark.parametrize("rows", [0, 1, 10, 23])
@pytest.mark.parametrize("number", NUMBERS)
def test_the_same_page_as_the_paginator(db, rows, number):
    for i in range(rows):
        TopicFactory(name=f"Thema {i:02d}")
    topics = Topic.objects.filter(name__startswith="Thema ").order_by("name")

    assert _shown(counted_page(topics, 10, number)) == _shown(Paginator(topics, 10).get_page(number))


def test_a_page_and_the_number_of_all_rows_in_one_query(db, django_assert_num_queries):
    for i in range(23):
        TopicFactory(name=f"Thema {i:02d}")

    with django_assert_num_queries(1):
        page = counted_page(Topic.objects.filter(name__startswith="Thema ").order_by("name"), 10, "3")
        assert [topic.name for topic in page] == ["Thema 20", "Thema 21", "Thema 22"]
        assert (page.paginator.count, page.paginator.num_pages, page.start_index()) == (23, 3, 21)


def test_a_distinct_query_is_counted_after_distinct(db):
    for i in range(3):
        TopicFactory(name=f"Thema {i}")
    doubled = Topic.objects.filter(name__in=["Thema 0", "Thema 1", "Thema 2"]).order_by("name")
    doubled = (doubled | doubled.filter(pk__gt=0)).distinct()

    assert counted_page(doubled, 10, "1").paginator.count == 3
