"""The customers' survey as a visitor meets it: no login, their language, nothing stored that points
to them, and a clear message in their language for everything that goes wrong."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from authorities.models import (
    CommentStatus,
    SurveyAnswer,
    SurveyComment,
    SurveyItem,
    SurveyItemText,
    SurveyResponse,
)
from authorities.models.survey_words import LANGUAGES, UNCHECKED, WORDS
from authorities.services.survey import comment_mask, survey_data_prune
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db

REQUIRED = {
    "overall": 5,
    "appointment": 4,
    "waiting": 3,
    "information": 4,
    "explanation": 5,
    "friendliness": 5,
    "respect": 1,
    "understanding": 1,
    "further_help": 0,
}


def _url(wave, language="de"):
    return reverse("survey:answer", args=[wave.key, language])


def _token(page) -> str:
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def _answers(token, **extra):
    data = {f"item_{code}": value for code, value in REQUIRED.items()}
    return {"token": token, **data, **extra}


def test_visitor_answers_in_arabic_without_a_trace(survey_wave):
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (Phone; Besucherin)")
    page = client.get(_url(survey_wave, "ar"))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in body
    assert "Stadt Mainz" in body and "ABH-Portal" not in body
    assert "كيف كانت زيارتك اليوم بشكل عام؟" in body
    # The language switch: each language in its own name, with hreflang.
    assert 'hreflang="fa" lang="fa" dir="rtl"' in body and ">Türkçe</a>" in body
    assert not page.cookies

    sent = client.post(_url(survey_wave, "ar"), _answers(_token(page), item_comment="شكرا"))

    assert sent.status_code == 302 and sent.url == reverse("survey:thanks", args=[survey_wave.key, "ar"])
    assert not sent.cookies
    response = SurveyResponse.objects.get()
    assert response.answered_on == timezone.localdate()
    # What a response is: its wave and the day. No time, address, browser, session or account.
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {"id", "wave", "answered_on"}
    assert SurveyAnswer.objects.filter(response=response).count() == len(REQUIRED)
    stored = repr(list(SurveyResponse.objects.values())) + repr(list(SurveyComment.objects.values()))
    assert "203.0.113" not in stored and "Besucherin" not in stored
    assert client.get(sent.url).content.decode().count("شكرًا جزيلًا!") == 1


def test_a_form_token_answers_once(survey_wave):
    client = Client()
    token = _token(client.get(_url(survey_wave, "tr")))
    assert client.post(_url(survey_wave, "tr"), _answers(token)).status_code == 302

    again = client.post(_url(survey_wave, "tr"), _answers(token))

    assert again.status_code == 403
    assert WORDS["tr"]["token"] in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_forged_or_foreign_token_is_refused(survey_wave, hannover, customer_questionnaire):
    client = Client()
    forged = client.post(_url(survey_wave, "ru"), _answers("abc:def"))
    assert forged.status_code == 403 and WORDS["ru"]["token"] in forged.content.decode()
    other = survey_wave.__class__.objects.create(
        authority=hannover,
        questionnaire=customer_questionnaire,
        kind="baseline",
        opens_on=survey_wave.opens_on,
        closes_on=survey_wave.closes_on,
    )
    foreign = client.post(_url(survey_wave, "ru"), _answers(_token(client.get(_url(other, "ru")))))
    assert foreign.status_code == 403
    assert SurveyResponse.objects.count() == 0


def test_missing_answers_are_named_in_the_visitors_language_and_nothing_is_stored(survey_wave):
    client = Client()
    data = _answers(_token(client.get(_url(survey_wave, "uk"))))
    del data["item_waiting"]

    page = client.post(_url(survey_wave, "uk"), data)

    body = page.content.decode()
    assert page.status_code == 400
    assert WORDS["uk"]["missing"] in body and WORDS["uk"]["error_summary"] in body
    # The other answers stay chosen.
    assert re.search(r'name="item_overall" value="5" checked', body)
    assert SurveyResponse.objects.count() == 0 and SurveyAnswer.objects.count() == 0


def test_an_oversized_comment_is_refused_whole(survey_wave, settings):
    settings.SURVEY_COMMENT_MAX_CHARS = 50
    client = Client()
    page = client.post(
        _url(survey_wave, "fr"), _answers(_token(client.get(_url(survey_wave, "fr"))), item_comment="x" * 51)
    )
    assert page.status_code == 400
    assert "Votre texte est trop long. Merci d'écrire 50 caractères au maximum." in html.unescape(
        page.content.decode()
    )
    assert SurveyResponse.objects.count() == 0 and SurveyComment.objects.count() == 0


def test_a_closed_wave_says_so_and_takes_nothing(survey_wave):
    client = Client()
    token = _token(client.get(_url(survey_wave, "fa")))
    survey_wave.closed = True
    survey_wave.save()

    assert WORDS["fa"]["closed"] in client.get(_url(survey_wave, "fa")).content.decode()
    page = client.post(_url(survey_wave, "fa"), _answers(token))

    assert WORDS["fa"]["closed"] in page.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_an_unknown_language_is_explained_with_the_list_of_languages(survey_wave):
    page = Client().get(_url(survey_wave, "xx"))
    assert page.status_code == 404
    body = page.content.decode()
    assert WORDS["de"]["unknown_language"] in body and ">العربية</a>" in body


def test_the_honeypot_stores_nothing_and_looks_like_success(survey_wave):
    client = Client()
    page = client.post(
        _url(survey_wave, "en"), _answers(_token(client.get(_url(survey_wave, "en"))), website="http://spam")
    )
    assert page.status_code == 302
    assert SurveyResponse.objects.count() == 0


def test_the_rate_limit_per_address_is_a_setting(survey_wave, settings):
    settings.SURVEY_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.5")
    for _ in range(2):
        assert (
            client.post(
                _url(survey_wave, "en"), _answers(_token(client.get(_url(survey_wave, "en"))))
            ).status_code
            == 302
        )
    third = client.post(_url(survey_wave, "en"), _answers(_token(client.get(_url(survey_wave, "en")))))
    assert third.status_code == 429 and WORDS["en"]["rate"] in third.content.decode()
    # Another address (another waiting room) is not affected.
    other = Client(REMOTE_ADDR="198.51.100.6")
    assert (
        other.post(_url(survey_wave, "en"), _answers(_token(other.get(_url(survey_wave, "en"))))).status_code
        == 302
    )
    assert SurveyResponse.objects.count() == 3


def test_comments_are_masked_before_anyone_reads_them(survey_wave, mainz):
    ContactPersonFactory(authority=mainz, name="Petra Oberhauser")
    client = Client()
    text = (
        "Herr Krämer war sehr nett. Frau Oberhauser auch. Oberhauser hat geholfen. "
        "Rufen Sie mich an: 0176 1234 5678 oder ali.k@example.com"
    )
    client.post(
        _url(survey_wave, "de"), _answers(_token(client.get(_url(survey_wave, "de"))), item_comment=text)
    )

    comment = SurveyComment.objects.get()
    assert comment.status == CommentStatus.PENDING
    for trace in ("Krämer", "Oberhauser", "0176", "5678", "ali.k", "example.com"):
        assert trace not in comment.text
    assert comment.text.startswith("Herr […] war sehr nett.")


def test_masking_keeps_ordinary_words():
    assert (
        comment_mask("Die Wartezeit war 2 Stunden, sonst gut.") == "Die Wartezeit war 2 Stunden, sonst gut."
    )


def test_comments_go_with_the_retention_rules(survey_wave, settings):
    settings.SURVEY_COMMENT_RETENTION_DAYS = 30
    SurveyComment.objects.create(wave=survey_wave, answered_on=survey_wave.opens_on, text="gut")
    assert survey_data_prune(today=survey_wave.closes_on + dt.timedelta(days=30)) == 0
    assert survey_data_prune(today=survey_wave.closes_on + dt.timedelta(days=31)) == 1
    assert SurveyComment.objects.count() == 0


def test_every_language_has_every_word_and_every_item(customer_questionnaire):
    keys = set(WORDS["de"])
    assert set(WORDS) == set(LANGUAGES)
    for code, words in WORDS.items():
        assert set(words) == keys, code
        assert all(words[key] for key in keys), code
        assert len(words["scale"]) == 5, code
    items = SurveyItem.objects.filter(questionnaire=customer_questionnaire)
    assert 8 <= items.count() <= 12
    for item in items:
        texts = {t.language: t for t in SurveyItemText.objects.filter(item=item)}
        assert set(texts) == set(LANGUAGES), item.code
        for code, text in texts.items():
            assert text.unchecked == (code in UNCHECKED)
            if item.kind == "choice":
                assert len(text.options) == len(texts["de"].options), (item.code, code)


def test_the_public_page_is_small_and_runs_few_queries(survey_wave):
    from tests.helpers import page_queries

    client = Client()
    assert page_queries(client, _url(survey_wave, "ar")) <= 3
    page = client.get(_url(survey_wave, "ar"))
    # No script, one small stylesheet, nothing from another host.
    body = page.content.decode()
    assert "<script" not in body and "http://" not in body.replace("http://testserver", "")
    assert len(page.content) < 40_000


def test_after_answering_the_visitor_sees_what_the_authority_did(survey_wave, mainz):
    from authorities.models import SurveyMeasure
    from tests.factories import ChangeProcessFactory, MeasureFactory

    process = ChangeProcessFactory(authority=mainz)
    waiting = survey_wave.questionnaire.items.get(code="waiting")
    done = MeasureFactory(process=process, title="Aufrufsystem im Wartebereich", status="done", progress=100)
    planned = MeasureFactory(process=process, title="Terminvergabe online", status="planned")
    for measure in (done, planned):
        SurveyMeasure.objects.create(measure=measure, item=waiting)

    page = Client().get(reverse("survey:thanks", args=[survey_wave.key, "uk"])).content.decode()

    assert WORDS["uk"]["we_did"] in page
    assert '<li lang="de" dir="ltr">Aufrufsystem im Wartebereich</li>' in page
    assert "Terminvergabe online" not in page
