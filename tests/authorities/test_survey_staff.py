"""The customers' survey for the coordinator and project staff: waves opened and closed, answers
counted, results only from the threshold on, before/after with a 95 % interval, peers unnamed,
comments released by project staff before the coordinator reads them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import CommentStatus, SurveyComment, SurveyWave
from authorities.selectors.survey import differences, item_results, peer_medians
from tests.factories import AuthorityFactory, ChangeProcessFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db


def _home(authority):
    return reverse("authorities:survey", args=[authority.pk])


def _results(wave):
    return reverse("authorities:survey_results", args=[wave.authority_id, wave.pk])


def test_coordinator_opens_a_wave_tied_to_the_running_process(
    client_for, coordinator, mainz, customer_questionnaire
):
    process = ChangeProcessFactory(authority=mainz)
    today = timezone.localdate()
    page = client_for(coordinator).post(
        _home(mainz), {"kind": "baseline", "opens_on": today, "closes_on": today + dt.timedelta(days=28)}
    )
    assert page.status_code == 302
    wave = SurveyWave.objects.get()
    assert wave.process == process and wave.opened_by == coordinator and wave.is_open()
    home = client_for(coordinator).get(_home(mainz)).content.decode()
    assert f"/umfrage/{wave.key}/" in home and "läuft" in home


def test_waves_of_one_authority_do_not_overlap(client_for, coordinator, survey_wave):
    page = client_for(coordinator).post(
        _home(survey_wave.authority),
        {"kind": "follow_up", "opens_on": survey_wave.closes_on, "closes_on": survey_wave.closes_on},
    )
    assert page.status_code == 200
    assert "In diesem Zeitraum läuft schon eine Welle dieser Behörde." in page.content.decode()
    assert SurveyWave.objects.count() == 1


def test_coordinator_closes_a_wave(client_for, coordinator, survey_wave):
    url = reverse("authorities:survey_close", args=[survey_wave.authority_id, survey_wave.pk])
    client_for(coordinator).post(url)
    survey_wave.refresh_from_db()
    assert survey_wave.closed and not survey_wave.is_open()


def test_only_staff_and_the_own_coordinator_reach_the_survey(
    client_for, member, outsider, funder, survey_wave
):
    assert client_for(member).get(_home(survey_wave.authority)).status_code == 403
    assert client_for(outsider).get(_home(survey_wave.authority)).status_code == 404
    assert client_for(funder).get(_home(survey_wave.authority)).status_code == 404
    assert client_for(outsider).get(_results(survey_wave)).status_code == 404


def test_results_show_only_from_ten_answers(client_for, coordinator, survey_wave, answer_wave):
    answer_wave(survey_wave, 9, overall=5, waiting=2)
    page = client_for(coordinator).get(_results(survey_wave)).content.decode()
    assert "Bisher sind es weniger." in page and "Mittelwert" not in page
    # The number of answers so far is shown; the results are not yet.
    home = client_for(coordinator).get(_home(survey_wave.authority)).content.decode()
    assert "ab 10 Antworten" in home and "Ergebnisse ansehen" not in home

    answer_wave(survey_wave, 1, overall=4, waiting=2)
    page = client_for(coordinator).get(_results(survey_wave)).content.decode()
    assert "10 Antworten" in page
    assert "4,9" in page  # the mean of "insgesamt": nine times 5 and once 4
    assert "<svg" in page and "Wie war die Wartezeit heute?" in page


def test_small_counts_in_a_distribution_read_less_than_three(survey_wave, answer_wave):
    answer_wave(survey_wave, 10, overall=5)
    answer_wave(survey_wave, 2, overall=1)
    overall = next(r for r in item_results(survey_wave) if r.item.code == "overall")
    rows = {row["label"]: row for row in overall.rows}
    assert rows["sehr schlecht"] == {"label": "sehr schlecht", "count": "< 3", "share": "–"}
    assert rows["sehr gut"]["count"] == "10" and rows["sehr gut"]["share"] == "83 %"


def test_an_item_below_the_threshold_shows_nothing(survey_wave, answer_wave):
    answer_wave(survey_wave, 12, overall=4)
    answer_wave(survey_wave, 3, overall=4, reason=1)
    reason = next(r for r in item_results(survey_wave) if r.item.code == "reason")
    assert not reason.shown and reason.rows == []


def _follow_up(wave):
    return SurveyWave.objects.create(
        authority=wave.authority,
        questionnaire=wave.questionnaire,
        kind="follow_up",
        opens_on=wave.closes_on + dt.timedelta(days=100),
        closes_on=wave.closes_on + dt.timedelta(days=130),
    )


def test_follow_up_against_baseline_with_a_95_percent_interval(
    client_for, coordinator, survey_wave, answer_wave
):
    answer_wave(survey_wave, 20, overall=3, waiting=3)
    answer_wave(survey_wave, 20, overall=2, waiting=4)
    follow_up = _follow_up(survey_wave)
    answer_wave(follow_up, 20, overall=4, waiting=3)
    answer_wave(follow_up, 20, overall=5, waiting=4)

    changes = {d.item.code: d for d in differences(item_results(survey_wave), item_results(follow_up))}
    # Overall from 2.5 to 4.5: two points better, far outside chance.
    assert changes["overall"].difference == pytest.approx(2.0)
    assert changes["overall"].low > 1.5 and not changes["overall"].within_chance
    # Waiting the same before and after: within chance.
    assert changes["waiting"].difference == pytest.approx(0.0) and changes["waiting"].within_chance

    page = client_for(coordinator).get(_results(follow_up)).content.decode()
    assert "im Rahmen des Zufalls" in page and "besser" in page and "+2,0" in page


def test_peers_median_only_with_five_peers_and_never_named(
    client_for, coordinator, survey_wave, answer_wave, customer_questionnaire
):
    answer_wave(survey_wave, 10, overall=4)
    past = timezone.localdate() - dt.timedelta(days=100)
    peers = []
    for index in range(5):
        peer = AuthorityFactory(name=f"Stadt Vergleich {index}", state="RP", kind=survey_wave.authority.kind)
        wave = SurveyWave.objects.create(
            authority=peer,
            questionnaire=customer_questionnaire,
            kind="baseline",
            opens_on=past,
            closes_on=past + dt.timedelta(days=28),
        )
        answer_wave(wave, 10, overall=1 + index)
        peers.append(wave)
        label, medians = peer_medians(survey_wave)
        assert bool(medians) == (index == 4)
    assert medians[survey_wave.questionnaire.items.get(code="overall").pk] == 3
    page = client_for(coordinator).get(_results(survey_wave)).content.decode()
    assert "Median der Vergleichsgruppe" in page and "Stadt Vergleich" not in page


def test_comments_reach_the_coordinator_only_after_release(
    client_for, coordinator, project_staff, survey_wave, answer_wave
):
    answer_wave(survey_wave, 10, overall=4)
    comment = SurveyComment.objects.create(
        wave=survey_wave, answered_on=survey_wave.opens_on, text="Mehr Stühle"
    )
    assert "Mehr Stühle" not in client_for(coordinator).get(_results(survey_wave)).content.decode()
    assert "Mehr Stühle" in client_for(project_staff).get(_results(survey_wave)).content.decode()

    url = reverse("authorities:survey_comment", args=[survey_wave.authority_id, survey_wave.pk, comment.pk])
    assert client_for(coordinator).post(url, {"release": "1"}).status_code == 403
    client_for(project_staff).post(url, {"release": "1"})

    comment.refresh_from_db()
    assert comment.status == CommentStatus.RELEASED
    assert "Mehr Stühle" in client_for(coordinator).get(_results(survey_wave)).content.decode()


def test_the_results_page_runs_a_fixed_number_of_queries(client_for, coordinator, survey_wave, answer_wave):
    answer_wave(survey_wave, 12, overall=4, waiting=3, respect=1)
    client = client_for(coordinator)
    few = page_queries(client, _results(survey_wave))
    answer_wave(survey_wave, 30, overall=2, waiting=5, respect=0)
    assert page_queries(client, _results(survey_wave)) == few
    assert page_queries(client, _home(survey_wave.authority)) <= 12


def test_the_coordinator_reaches_the_survey_from_the_start_page(client_for, coordinator, member, mainz):
    link = f'href="{_home(mainz)}"'
    assert link in client_for(coordinator).get(reverse("pages:home")).content.decode()
    assert link not in client_for(member).get(reverse("pages:home")).content.decode()


@pytest.mark.parametrize("size", ["a4", "a6"])
def test_poster_with_qr_code_and_one_line_per_language(
    client_for, coordinator, survey_wave, django_capture_on_commit_callbacks, size
):
    from authorities.documents import public_survey_url, qr_svg
    from tests.helpers import pdf_text

    url = reverse("authorities:survey_poster", args=[survey_wave.authority_id, survey_wave.pk, size])
    client = client_for(coordinator)
    assert "PDF erstellen" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302

    download = client.get(url)

    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content) if download.streaming else download.content)
    assert "Stadt Mainz" in text
    assert "Görüşünüz önemli" in text and "Ваше мнение важно" in text
    assert public_survey_url(survey_wave) in text.replace("\n", "")
    # The QR code is drawn here, as SVG, from the public link.
    assert qr_svg(public_survey_url(survey_wave)).startswith('<svg role="img"')


def test_poster_of_another_authority_is_404(client_for, outsider, survey_wave):
    url = reverse("authorities:survey_poster", args=[survey_wave.authority_id, survey_wave.pk, "a4"])
    assert client_for(outsider).get(url).status_code == 404


def test_you_said_we_did_measures_name_the_items_they_answer(
    client_for, coordinator, outsider, survey_wave, answer_wave, mainz
):
    from tests.factories import MeasureFactory

    measure = MeasureFactory(
        process=ChangeProcessFactory(authority=mainz), title="Aufrufsystem mit Wartenummern"
    )
    waiting = survey_wave.questionnaire.items.get(code="waiting")
    url = reverse("authorities:survey_measures", args=[mainz.pk, survey_wave.pk])
    assert client_for(outsider).post(url, {"measure": measure.pk, "items": [waiting.pk]}).status_code == 404

    client_for(coordinator).post(url, {"measure": measure.pk, "items": [waiting.pk]})

    answer_wave(survey_wave, 10, overall=4, waiting=2)
    page = client_for(coordinator).get(_results(survey_wave)).content.decode()
    assert "Sie sagten – wir taten" in page
    assert "Aufrufsystem mit Wartenummern" in page and "antwortet auf: Wie war die Wartezeit heute?" in page
