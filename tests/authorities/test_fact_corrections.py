"""Project staff correct the day of a dated fact (issue 15): a participation status change, a status
change of a change process, the day a measure was done. On the page that shows the fact, through a
service, with a required reason kept in the change history; the day may not lie in the future nor
leave the order of the facts; afterwards it counts as recorded, not guessed, and the funders'
figures of the affected periods follow. Authority staff and funders cannot."""

from datetime import date

import pytest
from django.urls import reverse

from authorities.models import (
    FactSource,
    HistoryEntry,
    MeasureStatus,
    ProcessStatus,
    ProcessStatusChange,
    StatusChange,
)
from authorities.services import process as process_services
from authorities.services import registry as services
from portal.reports import computations
from tests.authorities.pages import field_error, measure_url, process_url
from tests.factories import ChangeProcessFactory, MeasureFactory

H1, H2 = (
    {"date_from": date(2025, 1, 1), "date_to": date(2025, 6, 30)},
    {
        "date_from": date(2025, 7, 1),
        "date_to": date(2025, 12, 31),
    },
)


def _status_facts(authority, *days):
    """Interested → taking part → paused → interested, one change per day; the first guessed."""
    statuses = ["interested", "participating", "paused"]
    return [
        StatusChange.objects.create(
            authority=authority,
            from_status=statuses[n % 3],
            to_status=statuses[(n + 1) % 3],
            day=day,
            guessed=n == 0,
            source="joined_on" if n == 0 else "",
        )
        for n, day in enumerate(days)
    ]


def _correct(client, url, day, reason="Laut Kooperationsvertrag"):
    return client.post(url, {"day": day, "reason": reason})


def test_project_staff_correct_a_guessed_status_change_and_the_history_keeps_why(
    client_for, project_staff, mainz
):
    first, _second = _status_facts(mainz, date(2025, 7, 10), date(2025, 9, 1))
    client = client_for(project_staff)
    url = reverse("authorities:status_correct", args=[mainz.pk, first.pk])
    page = client.get(reverse("authorities:detail", args=[mainz.pk])).text
    assert url in page and "Datum korrigieren" in page

    response = _correct(client, url, "2025-03-01")

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.day, first.guessed, first.source) == (date(2025, 3, 1), False, FactSource.CORRECTED)
    entry = HistoryEntry.objects.get(action="status_day_corrected")
    assert (entry.actor, entry.reason) == (project_staff, "Laut Kooperationsvertrag")
    page = client.get(reverse("authorities:detail", args=[mainz.pk])).text
    assert "Datum einer Statusänderung korrigiert" in page
    assert "Laut Kooperationsvertrag" in page
    assert "<del>10.07.2025</del> → <ins>01.03.2025</ins>" in page
    assert "erfasst/korrigiert" in page


def test_the_corrected_day_moves_the_figure_to_its_period(project_staff, mainz):
    first, _second = _status_facts(mainz, date(2025, 7, 10), date(2025, 9, 1))
    assert computations.authorities_participating(**H1) == 0

    services.status_change_correct(change=first, day=date(2025, 3, 1), reason="Vertrag", by=project_staff)

    assert computations.authorities_participating(**H1) == 1


def test_the_days_on_the_authoritys_page_follow_the_corrected_facts(client_for, project_staff, mainz):
    first, second = _status_facts(mainz, date(2025, 7, 10), date(2025, 9, 1))
    mainz.joined_on, mainz.status_changed_on = date(2025, 7, 10), date(2025, 9, 1)
    mainz.save()

    services.status_change_correct(change=first, day=date(2025, 3, 1), reason="Vertrag", by=project_staff)
    services.status_change_correct(change=second, day=date(2025, 8, 15), reason="Brief", by=project_staff)

    mainz.refresh_from_db()
    assert (mainz.joined_on, mainz.status_changed_on) == (date(2025, 3, 1), date(2025, 8, 15))
    page = client_for(project_staff).get(reverse("authorities:detail", args=[mainz.pk])).text
    assert "01.03.2025" in page and "15.08.2025" in page


def test_a_joining_day_typed_in_by_hand_stays_when_the_fact_is_corrected(project_staff, mainz):
    first, _second = _status_facts(mainz, date(2025, 7, 10), date(2025, 9, 1))
    mainz.joined_on, mainz.status_changed_on = date(2025, 1, 15), date(2025, 9, 1)
    mainz.save()

    services.status_change_correct(change=first, day=date(2025, 3, 1), reason="Vertrag", by=project_staff)

    mainz.refresh_from_db()
    assert (mainz.joined_on, mainz.status_changed_on) == (date(2025, 1, 15), date(2025, 9, 1))


def test_a_corrected_day_shows_at_once_in_the_figures_kept_for_an_ended_period(project_staff, mainz):
    first, _second = _status_facts(mainz, date(2025, 7, 10), date(2025, 9, 1))
    cell = ("authorities_participating", H1["date_from"], H1["date_to"], None)
    assert computations.compute_many([cell]) == [0]  # kept in the cache: the period has ended

    services.status_change_correct(change=first, day=date(2025, 3, 1), reason="Vertrag", by=project_staff)

    assert computations.compute_many([cell]) == [1]


@pytest.mark.parametrize(
    ("day", "reason", "field", "message"),
    [
        ("2099-01-01", "Vertrag", "day", "Das Datum kann nicht in der Zukunft liegen."),
        (
            "2025-06-30",
            "Vertrag",
            "day",
            "Die vorige Änderung war am 01.07.2025; das Datum kann nicht davor liegen.",
        ),
        (
            "2025-10-01",
            "Vertrag",
            "day",
            "Die nächste Änderung war am 30.09.2025; das Datum kann nicht danach liegen.",
        ),
        ("2025-08-01", "  ", "reason", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_correction_out_of_order_or_without_reason_is_refused_next_to_the_field(
    client_for, project_staff, mainz, day, reason, field, message
):
    _first, middle, _last = _status_facts(mainz, date(2025, 7, 1), date(2025, 8, 15), date(2025, 9, 30))
    client = client_for(project_staff)

    response = _correct(
        client, reverse("authorities:status_correct", args=[mainz.pk, middle.pk]), day, reason
    )

    assert response.status_code == 200
    assert field_error(response.text, field) == message
    middle.refresh_from_db()
    assert middle.day == date(2025, 8, 15)
    assert not HistoryEntry.objects.filter(action="status_day_corrected").exists()


def test_authority_staff_and_funders_cannot_correct_a_day(client_for, coordinator, member, funder, mainz):
    (fact,) = _status_facts(mainz, date(2025, 7, 1))
    measure = MeasureFactory(
        process=ChangeProcessFactory(authority=mainz), status="done", done_on=date(2025, 7, 2)
    )
    urls = [
        reverse("authorities:status_correct", args=[mainz.pk, fact.pk]),
        measure_url(measure, "done_on_correct"),
    ]

    for user in (coordinator, member, funder):
        for url in urls:
            response = _correct(client_for(user), url, "2025-06-01")
            assert response.status_code in (403, 404), (user, url)
    fact.refresh_from_db()
    measure.refresh_from_db()
    assert (fact.day, measure.done_on) == (date(2025, 7, 1), date(2025, 7, 2))


def test_project_staff_correct_the_day_a_process_was_completed_and_the_periods_follow(
    client_for, project_staff, mainz
):
    process = ChangeProcessFactory(
        authority=mainz, started_on=date(2024, 5, 1), status=ProcessStatus.COMPLETED
    )
    completion = ProcessStatusChange.objects.create(
        process=process, from_status="active", to_status="completed", day=date(2025, 8, 1), guessed=True,
        source="process_created_at",
    )  # fmt: skip
    client = client_for(project_staff)
    history = process_url("process_history", process)
    page = client.get(history).text
    url = process_url("process_status_correct", process, change_pk=completion.pk)
    assert "Verlauf des Prozessstatus" in page and url in page
    assert (computations.processes_completed(**H1), computations.processes_completed(**H2)) == (0, 1)

    response = _correct(client, url, "2025-05-20")

    assert response.status_code == 302
    assert response.url == history + "#prozessstatus"
    assert (computations.processes_completed(**H1), computations.processes_completed(**H2)) == (1, 0)
    completion.refresh_from_db()
    assert (completion.guessed, completion.source) == (False, FactSource.CORRECTED)
    page = client.get(history).text
    assert "Datum einer Änderung des Prozessstatus korrigiert" in page
    assert "<del>01.08.2025</del> → <ins>20.05.2025</ins>" in page


def test_project_staff_correct_the_day_a_measure_was_done(client_for, project_staff, mainz):
    process = ChangeProcessFactory(authority=mainz)
    measure = MeasureFactory(
        process=process, status=MeasureStatus.DONE, done_on=date(2025, 8, 1), done_on_guessed=True
    )
    client = client_for(project_staff)
    assert measure_url(measure, "done_on_correct") in client.get(process.get_absolute_url()).text
    assert computations.measures_done(**H1) == 0

    response = _correct(client, measure_url(measure, "done_on_correct"), "2025-04-30")

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.done_on, measure.done_on_guessed) == (date(2025, 4, 30), False)
    assert computations.measures_done(**H1) == 1
    entry = HistoryEntry.objects.get(action="measure_done_on_corrected")
    assert (entry.subject, entry.reason) == (measure.title, "Laut Kooperationsvertrag")
    page = client.get(process.get_absolute_url()).text
    assert "umgesetzt am 30.04.2025</span>" in page  # no longer "(geschätzt)"


def test_a_measure_not_done_has_no_day_to_correct(client_for, project_staff, mainz):
    measure = MeasureFactory(process=ChangeProcessFactory(authority=mainz))

    assert client_for(project_staff).get(measure_url(measure, "done_on_correct")).status_code == 404


def test_a_process_start_recorded_late_or_moved_shows_at_once_in_an_ended_period(
    project_staff, mainz, hannover
):
    cell = ("processes_started", H1["date_from"], H1["date_to"], None)
    assert computations.compute_many([cell]) == [0]  # kept: the period has ended

    process = process_services.process_start(
        authority=mainz, coach=project_staff, started_on=date(2025, 8, 1), by=project_staff
    )
    assert computations.compute_many([cell]) == [0]

    process_services.process_update(process=process, by=project_staff, started_on=date(2025, 2, 3))
    assert computations.compute_many([cell]) == [1]

    process_services.process_start(
        authority=hannover, coach=project_staff, started_on=date(2025, 3, 4), by=project_staff
    )
    assert computations.compute_many([cell]) == [2]
