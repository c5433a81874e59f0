"""The authorities list: filters, search, sorting, pagination, CSV export, and its query budget."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from authorities.models import Kind, ParticipationStatus, State
from tests.factories import AuthorityFactory
from tests.helpers import page_queries

LIST = reverse("authorities:list")
EXPORT = reverse("authorities:export")


def _names(html: str) -> list[str]:
    """The authority names in the table, in the order shown."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in html else ""
    return re.findall(r'<a [^>]*href="/behoerden/\d+/"[^>]*>([^<]+)</a>', body)


@pytest.fixture
def registry(db):
    return [
        AuthorityFactory(
            name="Stadt Mainz",
            ags="07315000",
            kind=Kind.KREISFREIE_STADT,
            state=State.RP,
            population=220_000,
            participation_status=ParticipationStatus.PARTICIPATING,
        ),
        AuthorityFactory(
            name="Landkreis Mainz-Bingen",
            ags="07339000",
            kind=Kind.LANDKREIS,
            state=State.RP,
            population=215_000,
        ),
        AuthorityFactory(
            name="Region Hannover",
            ags="03241000",
            kind=Kind.REGION,
            state=State.NI,
            population=1_170_000,
            participation_status=ParticipationStatus.PARTICIPATING,
        ),
        AuthorityFactory(
            name="Stadt Göttingen",
            ags="03159016",
            kind=Kind.GROSSE_SELBSTSTAENDIGE_STADT,
            state=State.NI,
            population=118_000,
            participation_status=ParticipationStatus.PAUSED,
        ),
        AuthorityFactory(
            name="Landkreis Emsland",
            ags="03454000",
            kind=Kind.LANDKREIS,
            state=State.NI,
            population=330_000,
            participation_status=ParticipationStatus.WITHDRAWN,
        ),
    ]


@pytest.fixture
def staff_client(client_for, project_staff):
    return client_for(project_staff)


def test_project_staff_see_all_authorities_sorted_by_name(staff_client, registry):
    response = staff_client.get(LIST)

    assert response.status_code == 200
    assert _names(response.text) == [
        "Landkreis Emsland",
        "Landkreis Mainz-Bingen",
        "Region Hannover",
        "Stadt Göttingen",
        "Stadt Mainz",
    ]
    assert "5 Behörden gefunden" in response.text


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"state": "NI"}, ["Landkreis Emsland", "Region Hannover", "Stadt Göttingen"]),
        ({"state": "RP"}, ["Landkreis Mainz-Bingen", "Stadt Mainz"]),
        ({"kind": "landkreis"}, ["Landkreis Emsland", "Landkreis Mainz-Bingen"]),
        ({"status": "participating"}, ["Region Hannover", "Stadt Mainz"]),
        ({"state": "NI", "status": "participating"}, ["Region Hannover"]),
        ({"state": "RP", "kind": "landkreis", "status": "interested"}, ["Landkreis Mainz-Bingen"]),
        ({"q": "mainz"}, ["Landkreis Mainz-Bingen", "Stadt Mainz"]),
        ({"q": "göttingen"}, ["Stadt Göttingen"]),
        ({"q": "0731"}, ["Stadt Mainz"]),
        ({"q": "03241000"}, ["Region Hannover"]),
        ({"q": "mainz", "state": "NI"}, []),
    ],
)
def test_project_staff_filter_and_search_the_list(staff_client, registry, query, expected):
    response = staff_client.get(LIST, query)

    assert _names(response.text) == expected
    if not expected:
        assert "Keine Behörde passt zu den gewählten Filtern." in response.text


def test_project_staff_see_their_filter_kept_in_the_form(staff_client, registry):
    text = staff_client.get(LIST, {"q": "Mainz", "state": "RP"}).text

    assert 'value="Mainz"' in text
    assert re.search(r'<option value="RP" selected>', text)


def test_project_staff_get_the_whole_list_for_an_unknown_filter_value(staff_client, registry):
    response = staff_client.get(LIST, {"state": "BY", "sort": "bogus"})

    assert response.status_code == 200
    assert len(_names(response.text)) == 5


@pytest.mark.parametrize(
    "sort,expected",
    [
        (
            "-name",
            [
                "Stadt Mainz",
                "Stadt Göttingen",
                "Region Hannover",
                "Landkreis Mainz-Bingen",
                "Landkreis Emsland",
            ],
        ),
        (
            "ags",
            [
                "Stadt Göttingen",
                "Region Hannover",
                "Landkreis Emsland",
                "Stadt Mainz",
                "Landkreis Mainz-Bingen",
            ],
        ),
        (
            "-population",
            [
                "Region Hannover",
                "Landkreis Emsland",
                "Stadt Mainz",
                "Landkreis Mainz-Bingen",
                "Stadt Göttingen",
            ],
        ),
        (
            # Lifecycle order: interested, participating, paused, completed, withdrawn.
            "status",
            [
                "Landkreis Mainz-Bingen",
                "Region Hannover",
                "Stadt Mainz",
                "Stadt Göttingen",
                "Landkreis Emsland",
            ],
        ),
        (
            "state",
            [
                "Landkreis Emsland",
                "Region Hannover",
                "Stadt Göttingen",
                "Landkreis Mainz-Bingen",
                "Stadt Mainz",
            ],
        ),
    ],
)
def test_project_staff_sort_the_list(staff_client, registry, sort, expected):
    assert _names(staff_client.get(LIST, {"sort": sort}).text) == expected


def test_project_staff_page_through_sixty_authorities(staff_client, db):
    for n in range(60):
        AuthorityFactory(name=f"Behörde {n:02d}", ags=f"{7_100_000 + n:08d}")

    first = staff_client.get(LIST).text
    third = staff_client.get(LIST, {"seite": 3}).text
    beyond = staff_client.get(LIST, {"seite": 99}).text

    assert _names(first) == [f"Behörde {n:02d}" for n in range(25)]
    assert "1–25 von 60" in first and "Nächste Seite" in first and "Vorherige Seite" not in first
    assert _names(third) == [f"Behörde {n:02d}" for n in range(50, 60)]
    assert "51–60 von 60" in third and "Nächste Seite" not in third
    assert _names(beyond) == _names(third)


def test_project_staff_keep_the_filter_when_paging(staff_client, db):
    for n in range(30):
        AuthorityFactory(name=f"Landkreis NI {n:02d}", ags=f"{3_100_000 + n:08d}", state=State.NI)
    AuthorityFactory(name="Landkreis RP", ags="07100000", state=State.RP)

    text = staff_client.get(LIST, {"state": "NI", "seite": 2}).text

    assert _names(text) == [f"Landkreis NI {n:02d}" for n in range(25, 30)]
    assert "state=NI" in text  # the page links carry the filter on


# --- CSV export ------------------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_project_staff_export_a_csv_that_german_excel_opens(staff_client, registry):
    Authority = registry[0].__class__
    Authority.objects.filter(ags="07315000").update(
        notes="Steuerungsgruppe gegründet", joined_on=date(2024, 3, 1), population_date=date(2022, 5, 15)
    )

    response = staff_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="auslaenderbehoerden-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _rows(response)
    header = rows[0]
    assert header[:5] == ["Name", "Art", "Land", "Amtlicher Gemeindeschlüssel (AGS)", "Sitz"]
    assert "Teilnahmestatus" in header and header[-1] == "Notizen des Projektteams"
    assert len(rows) == 1 + 5
    mainz = dict(zip(header, next(row for row in rows if row[0] == "Stadt Mainz"), strict=True))
    assert mainz["Art"] == "Kreisfreie Stadt"
    assert mainz["Land"] == "Rheinland-Pfalz"
    assert mainz["Amtlicher Gemeindeschlüssel (AGS)"] == "07315000"
    assert mainz["Teilnahmestatus"] == "Nimmt teil"
    assert mainz["Stand der Einwohnerzahl"] == "15.05.2022"
    assert mainz["Teilnahme seit"] == "01.03.2024"
    assert mainz["Notizen des Projektteams"] == "Steuerungsgruppe gegründet"


def test_project_staff_export_only_what_the_filter_shows(staff_client, registry):
    rows = _rows(staff_client.get(EXPORT, {"state": "NI", "q": "stadt", "sort": "-name"}))

    assert [row[0] for row in rows[1:]] == ["Stadt Göttingen"]


def test_coordinator_export_has_no_notes_column(client_for, coordinator, registry):
    rows = _rows(client_for(coordinator).get(EXPORT))

    assert "Notizen des Projektteams" not in rows[0]
    assert len(rows[0]) == len(rows[1])
    assert [row[0] for row in rows[1:]] == ["Stadt Mainz"]


def test_project_staff_export_keeps_semicolons_inside_a_value(staff_client, db):
    AuthorityFactory(name="Stadt; mit Semikolon", ags="07999001", notes='Zeile 1\n"Zitat"')

    rows = _rows(staff_client.get(EXPORT))

    assert rows[1][0] == "Stadt; mit Semikolon"
    assert rows[1][-1] == 'Zeile 1\n"Zitat"'


def test_list_page_links_the_export_with_the_current_filter(staff_client, registry):
    text = staff_client.get(LIST, {"state": "NI", "seite": "1"}).text

    assert f'href="{EXPORT}?state=NI"' in text


# --- query budget ----------------------------------------------------------------------------------


def _authorities(count, start=0):
    for n in range(start, start + count):
        AuthorityFactory(
            name=f"Behörde {n:03d}",
            ags=f"{3_000_000 + n:08d}",
            state=State.NI if n % 2 else State.RP,
            participation_status=ParticipationStatus.values[n % 5],
        )


@pytest.mark.parametrize(
    "params", [{}, {"state": "NI", "sort": "-population"}, {"q": "Behörde", "seite": "2"}]
)
def test_project_staff_list_runs_the_same_queries_for_10_and_90_authorities(
    staff_client, db, django_assert_max_num_queries, params
):
    _authorities(10)
    with_10 = page_queries(staff_client, LIST, params)
    _authorities(80, start=10)

    with django_assert_max_num_queries(with_10):
        staff_client.get(LIST, params)
    # Session, user, count, page: a handful, whatever the rows.
    assert with_10 <= 5


def test_funder_list_runs_the_same_queries_for_10_and_90_authorities(
    client_for, funder, django_assert_num_queries
):
    client = client_for(funder)
    _authorities(10)
    with_10 = page_queries(client, LIST)
    _authorities(80, start=10)

    with django_assert_num_queries(with_10):
        client.get(LIST)


def test_project_staff_export_runs_the_same_queries_for_10_and_90_authorities(staff_client, db):
    _authorities(10)
    with_10 = page_queries(staff_client, EXPORT)
    _authorities(80, start=10)

    assert page_queries(staff_client, EXPORT) == with_10


@pytest.mark.parametrize(
    "phone", ['=HYPERLINK("http://x.example";"Info")', "+49 6131 12-0", "-1+1", "@SUM(1+1)"]
)
def test_project_staff_export_does_not_turn_a_coordinators_input_into_a_formula(
    client_for, coordinator, project_staff, mainz, phone
):
    # Excel runs a cell starting with = + - @ as a formula; authority staff must not plant one.
    client_for(coordinator).post(reverse("authorities:edit", args=[mainz.pk]), {"phone": phone})
    mainz.refresh_from_db()
    assert mainz.phone == phone

    rows = _rows(client_for(project_staff).get(EXPORT))

    cell = dict(zip(rows[0], rows[1], strict=True))["Telefon"]
    assert cell == "'" + phone


def test_authorities_without_population_come_last_when_sorted_by_population(staff_client, registry):
    AuthorityFactory(name="Landkreis Ohne Zahl", ags="07999002", population=None)

    names = _names(staff_client.get(LIST, {"sort": "-population"}).text)

    assert names[0] == "Region Hannover"
    assert names[-1] == "Landkreis Ohne Zahl"
