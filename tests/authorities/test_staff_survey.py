"""The staff survey: the coordinator names colleagues, each gets a one-time link by mail; a link
answers once and the answer is stored without any tie to the link or the person; the coordinator
sees how many answered (never who) and, from five answers, the spread per dimension beside the own
self-check."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from authorities.models import AssessmentRound, StaffInvitation, StaffResponse, StaffWave
from authorities.models.assessment import Answer
from authorities.services.survey import staff_invite, staff_response_submit
from portal.notifications.models import Notification
from tests.factories import ChangeProcessFactory, UserFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_wave(client_for, coordinator, mainz, questionnaire):
    client_for(coordinator).post(
        reverse("authorities:staff_survey", args=[mainz.pk]),
        {"closes_on": timezone.localdate() + dt.timedelta(days=21)},
    )
    return StaffWave.objects.get()


@pytest.fixture
def colleagues(mainz):
    return [
        UserFactory(
            authority=mainz, email=f"kollegin{n}@mainz.example.org", first_name="Kim", last_name=f"K{n}"
        )
        for n in range(6)
    ]


def _invite(client, wave, users, capture):
    with capture(execute=True):
        return client.post(
            reverse("authorities:staff_wave", args=[wave.authority_id, wave.pk]),
            {"colleagues": [user.pk for user in users]},
        )


def _link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/umfrage/team/[\w-]+/)", mail.body).group(1)


def _all_ratings(wave, rating=4) -> dict[str, int]:
    return {
        f"statement_{statement.pk}": rating
        for dimension in wave.questionnaire.dimensions.all()
        for statement in dimension.statements.all()
    }


def test_coordinator_invites_colleagues_who_each_get_a_link_once(
    client_for, coordinator, staff_wave, colleagues, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    page = _invite(client, staff_wave, colleagues[:2], django_capture_on_commit_callbacks)
    assert page.status_code == 302
    assert sorted(mail.to[0] for mail in mailoutbox) == [c.email for c in colleagues[:2]]
    links = {_link(mail) for mail in mailoutbox}
    assert len(links) == 2
    # The link is kept nowhere: the invitation holds its hash, the outbox forgets the sent mail.
    for link in links:
        assert not StaffInvitation.objects.filter(digest__contains=link.split("/")[-2]).exists()
    assert Notification.objects.filter(kind="survey.staff_invitation").count() == 2
    assert not Notification.objects.filter(kind="survey.staff_invitation").exclude(payload={}).exists()
    # Named again: no second link.
    _invite(client, staff_wave, colleagues[:3], django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 3 and StaffInvitation.objects.count() == 3
    # Someone of another authority cannot be chosen.
    page = _invite(client, staff_wave, [outsider], django_capture_on_commit_callbacks)
    assert page.status_code == 200 and "Auswahl" in page.content.decode()
    assert len(mailoutbox) == 3


def test_colleague_answers_once_without_a_trace_and_coordinator_sees_only_the_count(
    client_for, coordinator, staff_wave, colleagues, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client_for(coordinator), staff_wave, colleagues[:2], django_capture_on_commit_callbacks)
    link = _link(mailoutbox[0])
    visitor = Client()
    form = visitor.get(link)
    assert form.status_code == 200 and "Stadt Mainz" in form.content.decode()
    incomplete = visitor.post(link, {})
    assert incomplete.status_code == 400
    assert "Bitte wählen Sie aus, wie sehr diese Aussage zutrifft." in incomplete.content.decode()
    assert StaffResponse.objects.count() == 0

    done = visitor.post(link, _all_ratings(staff_wave))
    assert "Vielen Dank" in done.content.decode()
    response = StaffResponse.objects.get()
    # Nothing of the response points to the link or the person: the wave and the day only.
    assert {f.name for f in StaffResponse._meta.concrete_fields} == {"id", "wave", "answered_on"}
    assert {f.name for f in StaffInvitation._meta.concrete_fields} == {"id", "wave", "digest", "used"}
    assert response.answers.count() == len(_all_ratings(staff_wave))
    assert StaffInvitation.objects.filter(used=True).count() == 1

    again = visitor.post(link, _all_ratings(staff_wave, rating=1))
    assert again.status_code == 410 and "nicht mehr gültig" in again.content.decode()
    assert StaffResponse.objects.count() == 1

    page = (
        client_for(coordinator)
        .get(reverse("authorities:staff_wave", args=[staff_wave.authority_id, staff_wave.pk]))
        .content.decode()
    )
    assert "1 von 2 Eingeladenen haben geantwortet" in page
    assert "ab 5 Antworten" in page
    assert "kollegin0@" not in page.split("<form")[0]  # the names appear only in the invitation form


def test_results_from_five_answers_beside_the_coordinators_self_check(
    client_for, coordinator, mainz, staff_wave, colleagues, questionnaire
):
    process = ChangeProcessFactory(authority=mainz)
    round_ = AssessmentRound.objects.create(
        process=process, questionnaire=questionnaire, label="Ausgangslage"
    )
    statements = [s for d in questionnaire.dimensions.all() for s in d.statements.all()]
    Answer.objects.bulk_create(Answer(round=round_, statement=s, rating=5) for s in statements)
    tokens = []
    from authorities.services import survey as services

    original = services.secrets.token_urlsafe
    services.secrets.token_urlsafe = lambda n: tokens.append(original(n)) or tokens[-1]
    try:
        staff_invite(wave=staff_wave, colleagues=colleagues[:5], by=coordinator)
    finally:
        services.secrets.token_urlsafe = original
    url = reverse("authorities:staff_wave", args=[mainz.pk, staff_wave.pk])
    for token, rating in zip(tokens[:4], [1, 2, 2, 4], strict=True):
        staff_response_submit(token=token, ratings={s.pk: rating for s in statements})
    before = client_for(coordinator).get(url).content.decode()
    assert "Mittelwert Mitarbeitende" not in before and "<svg" not in before

    staff_response_submit(token=tokens[4], ratings={s.pk: 4 for s in statements})
    page = client_for(coordinator).get(url).content.decode()
    assert "Mittelwert Mitarbeitende" in page and "Ihr Selbstcheck (Ausgangslage)" in page
    # The chart draws the same two values per dimension, the staff's mean beside the self-check.
    chart = page.split("<svg")[1].split("</svg>")[0]
    assert "Mitarbeitendenbefragung: Werte je Dimension" in chart
    assert "Mitarbeitende (Mittelwert)" in chart and "Ausgangslage" in chart
    assert ">2,6</text>" in chart and ">5,0</text>" in chart
    first = questionnaire.dimensions.first().label
    row = page.split('id="spread-caption"')[1].split(first)[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    # Steps 1..5: one colleague (shown "< 3"), two ("< 3"), none, two ("< 3"), none; mean 2,6; self-check 5,0.
    assert cells == ["&lt; 3", "&lt; 3", "0", "&lt; 3", "0", "2,6", "5,0"]


def test_only_the_coordinator_and_project_staff_reach_the_staff_survey(
    client_for, member, funder, project_staff, mainz, staff_wave
):
    url = reverse("authorities:staff_wave", args=[mainz.pk, staff_wave.pk])
    assert client_for(member).get(url).status_code == 403
    assert client_for(funder).get(url).status_code == 404
    assert client_for(project_staff).get(url).status_code == 200
    assert Client().get("/umfrage/team/unbekannt/").status_code == 410


def test_the_wave_page_runs_the_same_queries_however_many_answered(
    client_for, coordinator, mainz, staff_wave, colleagues, questionnaire
):
    from authorities.services import survey as services

    statements = [s for d in questionnaire.dimensions.all() for s in d.statements.all()]

    def answer(count):
        for _ in range(count):
            token = services.secrets.token_urlsafe(24)
            StaffInvitation.objects.create(wave=staff_wave, digest=services._staff_digest(token))
            staff_response_submit(token=token, ratings={s.pk: 3 for s in statements})

    client = client_for(coordinator)
    url = reverse("authorities:staff_wave", args=[mainz.pk, staff_wave.pk])
    answer(5)
    few = page_queries(client, url)
    answer(7)
    assert page_queries(client, url) == few
    assert few <= 20


def test_colleagues_without_an_account_are_invited_by_address(
    client_for, coordinator, member, staff_wave, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    url = reverse("authorities:staff_wave", args=[staff_wave.authority_id, staff_wave.pk])
    page = client.post(url, {"addresses": "kein-konto@mainz.example.org\nkeine adresse"})
    assert "„keine adresse“ ist keine gültige E-Mail-Adresse." in page.content.decode()
    assert not mailoutbox and not StaffInvitation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"colleagues": [member.pk], "addresses": f"Kein-Konto@mainz.example.org\n{member.email}"}
        )
    # The member's address counts as the member's account: one link for the member, one for the address.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["kein-konto@mainz.example.org", member.email]
    assert StaffInvitation.objects.count() == 2
    assert not Notification.objects.exclude(payload={}).exists()  # neither mail keeps its link
    link = _link(next(mail for mail in mailoutbox if mail.to[0].startswith("kein-konto")))
    assert Client().get(link).status_code == 200
