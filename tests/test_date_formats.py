"""One date and one date-time format per language, in templates and in Python alike: German
"14.01.2027, 10:00 Uhr", English "14/01/2027, 10:00" — never "Jan. 14, 2027" or "10 a.m."."""

import datetime as dt

from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from portal.formats import date_time
from tests.training.helpers import page_text, two_dates_in_2026

MOMENT = timezone.make_aware(dt.datetime(2027, 1, 14, 10, 0))
TEMPLATE = Template(
    '{% load portal %}{{ moment|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"SHORT_DATETIME_FORMAT" }}|'
    '{{ moment|date:"DATETIME_FORMAT" }}|{{ moment|weekday_date }}|{{ moment|date:"DATE_FORMAT" }}'
)


def _render(language):
    with translation.override(language):
        return TEMPLATE.render(Context({"moment": MOMENT})).split("|"), date_time(MOMENT)


def test_german_dates_and_times():
    shown, sentence = _render("de")

    assert shown == [
        "14.01.2027",
        "14.01.2027, 10:00",
        "14.01.2027, 10:00 Uhr",
        "Donnerstag, 14.01.2027",
        "14. Januar 2027",
    ]
    assert sentence == "14.01.2027, 10:00 Uhr"


def test_english_dates_and_times_in_one_style_with_a_24_hour_clock():
    shown, sentence = _render("en")

    assert shown == [
        "14/01/2027",
        "14/01/2027, 10:00",
        "14/01/2027, 10:00",
        "Thursday, 14/01/2027",
        "14 January 2027",
    ]
    assert sentence == "14/01/2027, 10:00"


def test_a_course_page_writes_its_dates_the_german_and_the_english_way(client_for, member):
    course = two_dates_in_2026()
    client = client_for(member)
    german = page_text(client.get(reverse("training:detail", args=[course.pk])))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page_text(client.get(reverse("training:detail", args=[course.pk])))

    assert "Dienstag, 10.03.2026, 09:00–16:30 Uhr" in german
    assert "Tuesday, 10/03/2026, 09:00–16:30" in english
    assert " h " not in english and "Uhr" not in english


def test_a_day_is_written_in_the_language_of_each_request():
    from portal.formats import weekday_date

    day = MOMENT.date()
    written = []
    for language in ("de", "en", "de"):
        with translation.override(language):
            written += [weekday_date(day), weekday_date(MOMENT)]

    assert (
        written
        == ["Donnerstag, 14.01.2027"] * 2 + ["Thursday, 14/01/2027"] * 2 + ["Donnerstag, 14.01.2027"] * 2
    )
