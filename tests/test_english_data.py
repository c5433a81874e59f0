"""Data with a German and an English name shows in the reader's language: indicator names and units,
the self-check's dimensions and statements; one English term for the Ausländerbehörden."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from authorities.models import Dimension, Statement
from portal.reports.models import Indicator
from tests.factories import ChangeProcessFactory


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def reader(client_for):
    def make(user, language):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def test_the_indicator_table_shows_names_and_units_in_the_readers_language(reader, funder):
    english = _text(reader(funder, "en").get(reverse("reports:indicators")))
    german = _text(reader(funder, "de").get(reverse("reports:indicators")))

    assert (
        "Foreigners' authorities taking part" in english and "Participants in training activities" in english
    )
    assert " authorities " in english and " people " in english and "Personen" not in english
    assert "Teilnehmende Ausländerbehörden" in german and " Behörden " in german and " Personen " in german


def test_one_english_term_for_the_auslaenderbehoerden(db):
    names = list(Indicator.objects.values_list("name_en", flat=True))

    assert names and not [name for name in names if "mmigration" in name]
    assert all(indicator.unit_en for indicator in Indicator.objects.all())


def test_the_self_check_asks_in_english_for_an_english_reader(reader, coordinator, mainz):
    process = ChangeProcessFactory(authority=mainz)
    url = reverse("authorities:assessment_new", args=[mainz.pk, process.pk])

    english = _text(reader(coordinator, "en").get(url))
    german = _text(reader(coordinator, "de").get(url))

    assert "Self-image" in english and "The reception desk helps quickly." in english
    assert "Selbstverständnis" not in english
    assert "Selbstverständnis" in german and "Der Empfang hilft schnell weiter." in german
    assert (
        not Dimension.objects.filter(name_en="").exists()
        and not Statement.objects.filter(text_en="").exists()
    )
