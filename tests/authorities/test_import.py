"""import_authorities: the shipped list imports idempotently; a malformed file changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from authorities.management.commands.import_authorities import DEFAULT_FILE
from authorities.models import Authority, HistoryAction, HistoryEntry
from tests.factories import AuthorityFactory

HEADER = "state,name,kind,ags,seat,population,population_date\n"
GOOD_ROW = "RP,Stadt Mainz,kreisfreie_stadt,07315000,Mainz,218578,2022-05-15\n"


def _import(path) -> str:
    out = StringIO()
    call_command("import_authorities", str(path), stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        list(
            Authority.objects.order_by("ags").values_list(
                "ags", "name", "kind", "state", "seat", "population"
            )
        ),
        HistoryEntry.objects.count(),
    )


@pytest.fixture
def existing(db):
    # Already in the registry, with a name the file would change.
    return AuthorityFactory(
        name="Mainz (alt)", ags="07315000", kind="kreisfreie_stadt", seat="Mainz", population=1
    )


def test_operator_imports_the_shipped_list_twice_and_the_second_run_changes_nothing(db):
    first = _import(DEFAULT_FILE)
    after_first = _snapshot()
    second = _import(DEFAULT_FILE)

    assert "90 angelegt, 0 aktualisiert, 0 unverändert übersprungen." in first
    assert "0 angelegt, 0 aktualisiert, 90 unverändert übersprungen." in second
    assert _snapshot() == after_first
    assert Authority.objects.count() == 90
    assert Authority.objects.filter(state="RP").count() == 36
    assert Authority.objects.filter(state="NI").count() == 54
    assert HistoryEntry.objects.filter(action=HistoryAction.CREATED, actor=None).count() == 90
    mainz = Authority.objects.get(ags="07315000")
    assert (mainz.name, mainz.kind, mainz.seat) == ("Stadt Mainz", "kreisfreie_stadt", "Mainz")


def test_operator_import_updates_by_ags_and_keeps_the_project_data(tmp_path, existing):
    existing.notes = "Steuerungsgruppe gegründet"
    existing.participation_status = "participating"
    existing.save()
    path = tmp_path / "behoerden.csv"
    path.write_text(HEADER + GOOD_ROW + "NI,Region Hannover,region,03241000,Hannover,1171000,2022-05-15\n")

    out = _import(path)

    assert "1 angelegt, 1 aktualisiert, 0 unverändert übersprungen." in out
    assert "aktualisiert: Stadt Mainz" in out
    existing.refresh_from_db()
    assert (existing.name, existing.population) == ("Stadt Mainz", 218578)
    assert (existing.notes, existing.participation_status) == ("Steuerungsgruppe gegründet", "participating")
    entry = existing.history.get()
    assert entry.action == HistoryAction.IMPORTED
    assert {c["field"] for c in entry.changes} == {"name", "population", "population_date"}


def test_operator_imports_a_file_with_byte_order_mark_and_extra_columns(tmp_path, db):
    path = tmp_path / "behoerden.csv"
    path.write_text("\ufeff" + HEADER.rstrip("\n") + ",legal_basis\n" + GOOD_ROW.rstrip("\n") + ",§ 1\n")

    _import(path)

    assert Authority.objects.get().ags == "07315000"


MALFORMED = {
    "missing columns": (
        "state,name,ags,seat\nRP,Stadt Mainz,07315000,Mainz\n",
        ["Der Datei fehlen die Spalten: kind, population, population_date."],
    ),
    "bad ags": (
        HEADER + GOOD_ROW + "RP,Stadt Worms,kreisfreie_stadt,7319000,Worms,84646,2022-05-15\n",
        ["Zeile 3: Der AGS „7319000“ besteht nicht aus 8 Ziffern."],
    ),
    "duplicate ags": (
        HEADER + GOOD_ROW + "RP,Mainz doppelt,kreisfreie_stadt,07315000,Mainz,1,2022-05-15\n",
        ["Zeile 3: Der AGS 07315000 steht schon in Zeile 2."],
    ),
    "bad number": (
        HEADER + "RP,Stadt Worms,kreisfreie_stadt,07319000,Worms,84.646,2022-05-15\n",
        ["Zeile 2: Die Einwohnerzahl „84.646“ ist keine ganze Zahl."],
    ),
    "bad date": (
        HEADER + "RP,Stadt Worms,kreisfreie_stadt,07319000,Worms,84646,15.05.2022\n",
        ["Zeile 2: Das Datum „15.05.2022“ ist kein Datum im Format JJJJ-MM-TT."],
    ),
    "unknown state and kind, missing name": (
        HEADER + "BY,,bezirk,09162000,München,1,2022-05-15\n",
        [
            "Zeile 2: Unbekanntes Land „BY“ (erlaubt: RP, NI).",
            "Zeile 2: Unbekannte Art „bezirk“.",
            "Zeile 2: Der Name fehlt.",
        ],
    ),
    "no rows": (HEADER, ["Die Datei enthält keine Behörden."]),
}


@pytest.mark.parametrize("content,messages", MALFORMED.values(), ids=MALFORMED.keys())
def test_operator_gets_a_clear_german_message_and_nothing_changes(tmp_path, existing, content, messages):
    path = tmp_path / "behoerden.csv"
    path.write_text(content, encoding="utf-8")
    before = _snapshot()

    with pytest.raises(CommandError) as error:
        _import(path)

    text = str(error.value)
    assert text.startswith("Die Datei wurde nicht importiert, nichts wurde geändert:")
    for message in messages:
        assert message in text
    # The valid first row of the file (Stadt Mainz) did not rename the existing authority either.
    assert _snapshot() == before


def test_operator_gets_every_problem_of_the_file_at_once(tmp_path, db):
    path = tmp_path / "behoerden.csv"
    path.write_text(
        HEADER
        + "RP,Stadt Worms,kreisfreie_stadt,123,Worms,84646,2022-05-15\n"
        + "RP,Stadt Speyer,kreisfreie_stadt,07318000,Speyer,viele,2022-05-15\n"
    )

    with pytest.raises(CommandError) as error:
        _import(path)

    assert "Zeile 2:" in str(error.value) and "Zeile 3:" in str(error.value)
    assert not Authority.objects.exists()


def test_operator_gets_a_german_message_for_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        _import(tmp_path / "gibt-es-nicht.csv")


def test_operator_gets_a_german_message_for_a_file_that_is_not_utf8(tmp_path, db):
    path = tmp_path / "behoerden.csv"
    path.write_bytes(
        (HEADER + "NI,Stadt Göttingen,kreisfreie_stadt,03159016,Göttingen,1,2022-05-15\n").encode("latin-1")
    )

    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        _import(path)
    assert not Authority.objects.exists()
