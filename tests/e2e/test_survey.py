"""The customers' survey in headless Chromium with the demo data: a visitor answers Stadt Mainz's
running wave on a phone (390 px) in Arabic; every language's page passes axe; the coordinator walks
a wave from closing and opening to the before/after chart. Nothing loads from another host."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command

from authorities.models import SurveyResponse, SurveyWave
from authorities.models.survey_words import LANGUAGES, WORDS
from tests.e2e.pages import click_and_wait, main, submit

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MAINZ = "07315000"


@pytest.fixture
def demo_data(transactional_db):
    """The self-check's questionnaire and the customer questionnaire come with data migrations, which a
    flush after a transaction test removed: seeded again, then the demo."""
    importlib.import_module("authorities.migrations.0003_catalogue_and_selfcheck").add(apps, None)
    importlib.import_module("authorities.migrations.0007_survey").load_customer_questionnaire(apps, None)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


def _running_wave() -> SurveyWave:
    return next(w for w in SurveyWave.objects.filter(authority__ags=MAINZ) if w.is_open())


def test_visitor_answers_mainz_in_arabic_on_a_phone(open_browsing):
    wave = _running_wave()
    before = SurveyResponse.objects.filter(wave=wave).count()
    browsing = open_browsing(viewport=PHONE)
    page = browsing.page
    browsing.goto(f"/umfrage/{wave.key}/")
    click_and_wait(page, page.get_by_role("link", name="العربية"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    browsing.axe("survey, Arabic")
    # No horizontal scrolling on the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    for fieldset in main(page).get_by_role("group").all():
        fieldset.get_by_role("radio").first.check()
    main(page).get_by_role("textbox").fill("شكرا على المساعدة")
    submit(page, WORDS["ar"]["submit"])

    assert page.get_by_role("heading", level=1).inner_text() == WORDS["ar"]["thanks_title"]
    browsing.axe("survey thanks, Arabic")
    browsing.assert_clean()
    assert SurveyResponse.objects.filter(wave=wave).count() == before + 1
    assert not page.context.cookies()


def test_every_language_of_the_survey_passes_axe(open_browsing):
    wave = _running_wave()
    browsing = open_browsing(viewport=PHONE)
    for code in LANGUAGES:
        browsing.goto(f"/umfrage/{wave.key}/{code}/")
        browsing.axe(f"survey, {code}")
    # The page with the messages of missing answers, too.
    submit(browsing.page, WORDS["fr"]["submit"])
    assert WORDS["fr"]["missing"] in main(browsing.page).inner_text()
    browsing.axe("survey with errors, fr")
    browsing.assert_clean()


def test_coordinator_walks_a_wave_to_the_before_and_after_chart(open_browsing):
    browsing = open_browsing()
    page = browsing.page
    browsing.login("mainz@example.org")
    browsing.goto("/")
    click_and_wait(page, main(page).get_by_role("link", name="Kundenbefragung"))
    browsing.axe("survey home")

    # The follow-up has enough answers: the chart and the comparison with the baseline.
    click_and_wait(page, main(page).get_by_role("link", name="Ergebnisse ansehen").first)
    assert main(page).locator("svg[role=img]").count() == 1
    comparison = main(page).get_by_role("table", name="Veränderung mit 95-%-Intervall")
    assert comparison.get_by_role("row").count() > 1
    browsing.axe("survey results")

    # Close the running wave and open a new one.
    click_and_wait(
        page,
        page.get_by_role("navigation", name="Brotkrümelnavigation").get_by_role(
            "link", name="Kundenbefragung"
        ),
    )
    submit(page, "Welle schließen")
    assert "Die Welle ist geschlossen." in main(page).inner_text()
    main(page).get_by_label("Art der Befragung").select_option("follow_up")
    submit(page, "Welle öffnen")
    assert "Die Welle ist geöffnet" in main(page).inner_text()
    browsing.axe("survey home after opening")
    browsing.assert_clean()


def test_coordinator_opens_a_staff_wave_and_a_colleague_answers_on_a_phone(open_browsing):
    from authorities.models import StaffInvitation, StaffResponse, StaffWave
    from authorities.services.survey import _staff_digest

    browsing = open_browsing()
    page = browsing.page
    browsing.login("mainz@example.org")
    browsing.goto("/")
    click_and_wait(page, main(page).get_by_role("link", name="Kundenbefragung"))
    click_and_wait(page, main(page).get_by_role("link", name="Zur Mitarbeitendenbefragung"))
    browsing.axe("staff survey home")
    # The demo's finished wave: 8 of 12 answered, the spread per dimension beside the self-check.
    assert "8 von 12 Eingeladenen haben geantwortet" in main(page).inner_text()
    click_and_wait(page, main(page).get_by_role("link", name=re.compile(r"^\d\d\.\d\d\.\d{4}–")).first)
    spread = main(page).get_by_role("table", name="Einschätzung der Mitarbeitenden je Dimension", exact=False)
    assert spread.get_by_role("row").count() > 1
    browsing.axe("staff survey results")
    page.go_back()
    submit(page, "Mitarbeitendenbefragung öffnen")
    assert "Die Mitarbeitendenbefragung ist geöffnet." in main(page).inner_text()
    submit(page, "Einladungen senden")
    assert "Bitte wählen Sie mindestens eine Person aus" in main(page).inner_text()
    browsing.axe("staff wave with errors")
    browsing.assert_clean()

    # The colleague's link (the mail's token is stored nowhere: one made here for the test).
    wave = StaffWave.objects.filter(authority__ags=MAINZ).order_by("-pk").first()
    StaffInvitation.objects.create(wave=wave, digest=_staff_digest("link-fuer-den-test"))
    phone = open_browsing(viewport=PHONE)
    phone.goto("/umfrage/team/link-fuer-den-test/")
    phone.axe("staff survey answer, phone")
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for statement in main(phone.page).locator("fieldset[id^=id_statement_]").all():
        statement.get_by_role("radio", name="4 – trifft eher zu").check()
    submit(phone.page, "Antworten absenden")
    assert "Vielen Dank" in main(phone.page).inner_text()
    phone.axe("staff survey thanks")
    phone.assert_clean()
    assert StaffResponse.objects.filter(wave=wave).count() == 1
