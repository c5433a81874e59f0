"""Library downloads as dated events: one per person of an authority, document and day (German time).

The AMIF figure "Downloads veröffentlichter Instrumente" counts these events in a period; project staff
and funders never count; the events survive the erasure of the person and the deletion of the document.
"""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from network.models import Document, DocumentCategory, DocumentDownload
from network.services import library
from portal.privacy.erasure import person_erase
from portal.reports.computations import documents_downloaded
from tests.helpers import PDF_BYTES, run_together, upload_of

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def document(project_staff):
    return library.document_create(
        by=project_staff,
        title="Leitfaden Beratung",
        category=DocumentCategory.GUIDE,
        upload=upload_of("leitfaden.pdf", PDF_BYTES),
    )


@pytest.fixture
def at(monkeypatch):
    """Set the clock to a moment, German time: at(2026, 3, 1, 23, 30)."""

    def travel(*moment):
        when = dt.datetime(*moment, tzinfo=BERLIN)
        monkeypatch.setattr(timezone, "now", lambda: when)

    return travel


@pytest.fixture
def make_other_document(project_staff):
    def make():
        return library.document_create(
            by=project_staff,
            title="Checkliste Empfang",
            category=DocumentCategory.CHECKLIST,
            upload=upload_of("checkliste.pdf", PDF_BYTES),
        )

    return make


def download(client, document):
    response = client.get(reverse("network:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def figure(day_from, day_to=None) -> int:
    return documents_downloaded(date_from=day_from, date_to=day_to or day_from)


def test_member_downloading_twice_a_day_counts_once_and_again_the_next_day(client_for, member, document, at):
    client = client_for(member)
    at(2026, 3, 2, 8, 0)
    download(client, document)
    download(client, document)
    at(2026, 3, 2, 23, 59)
    download(client, document)
    assert figure(dt.date(2026, 3, 2)) == 1

    at(2026, 3, 3, 0, 1)
    download(client, document)
    assert figure(dt.date(2026, 3, 3)) == 1
    assert figure(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == 2
    assert list(DocumentDownload.objects.order_by("day").values_list("user", "day")) == [
        (member.pk, dt.date(2026, 3, 2)),
        (member.pk, dt.date(2026, 3, 3)),
    ]


def test_each_person_and_each_document_count_on_their_own(
    client_for, member, coordinator, outsider, document, make_other_document, at
):
    at(2026, 3, 2, 10, 0)
    other = make_other_document()
    for person in (member, coordinator, outsider):
        download(client_for(person), document)
    download(client_for(member), other)
    assert figure(dt.date(2026, 3, 2)) == 4


@pytest.mark.parametrize("who", ["project_staff", "funder"])
def test_project_staff_and_funder_downloads_never_count(request, client_for, document, who):
    client = client_for(request.getfixturevalue(who))
    download(client, document)
    download(client, document)
    assert not DocumentDownload.objects.exists()
    assert figure(timezone.localdate()) == 0


def test_a_head_request_is_no_download(client_for, member, document):
    client_for(member).head(reverse("network:document_download", args=[document.pk]))
    assert not DocumentDownload.objects.exists()


def test_the_period_includes_both_its_days_in_german_time(client_for, member, document, at):
    client = client_for(member)
    # Berlin is an hour ahead of UTC in winter: these are the last and first minutes of the days.
    for moment in [(2025, 12, 31, 23, 59), (2026, 1, 1, 0, 0), (2026, 3, 31, 23, 59), (2026, 4, 1, 0, 0)]:
        at(*moment)
        download(client, document)
    assert figure(dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == 2
    assert figure(dt.date(2025, 12, 31)) == 1
    assert figure(dt.date(2026, 4, 1), dt.date(2026, 6, 30)) == 1


def test_the_document_page_shows_the_old_total_and_the_events(client_for, member, document):
    Document.objects.filter(pk=document.pk).update(legacy_download_count=41)
    download(client_for(member), document)
    html = client_for(member).get(document.get_absolute_url()).content.decode()
    assert '<dd class="kern-description-list-item__value">42</dd>' in html


def test_downloads_of_a_deleted_document_stay_counted(client_for, member, project_staff, document):
    download(client_for(member), document)
    library.document_delete(document=document, by=project_staff)
    assert figure(timezone.localdate()) == 1


def test_own_data_export_lists_the_downloads_and_erasure_keeps_them(
    client_for, member, project_staff, document
):
    download(client_for(member), document)
    today = timezone.localdate()

    data = json.loads(client_for(member).get(reverse("privacy:export")).content)
    assert data["library_downloads"] == [{"document": "Leitfaden Beratung", "day": today.isoformat()}]
    other = json.loads(client_for(project_staff).get(reverse("privacy:export")).content)
    assert other["library_downloads"] == []

    person_erase(user=member, by=project_staff)
    # The event holds only the account number: it stays with the anonymised account, the figure too.
    assert list(DocumentDownload.objects.values_list("user", "day")) == [(member.pk, today)]
    assert figure(today) == 1


# --- the migration -------------------------------------------------------------------------------


@pytest.fixture
def latest_schema_afterwards():
    # A migration test leaves the schema at an older state; later tests on this database need all of it.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_migration_keeps_the_running_total_and_gives_stored_names_their_type_ending(project_staff):
    executor = MigrationExecutor(connection)
    before, after = [("network", "0001_initial")], [("network", "0002_document_download_events")]
    executor.migrate(before)
    OldDocument = executor.loader.project_state(before).apps.get_model("network", "Document")
    stored = Document.file.field.storage.save("bibliothek/alt", ContentFile(PDF_BYTES))
    old = OldDocument.objects.create(
        title="Alt",
        category="guide",
        file=stored,
        original_name="Leitfaden.html",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        download_count=17,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    document = (
        executor.loader.project_state(after).apps.get_model("network", "Document").objects.get(pk=old.pk)
    )
    assert (document.legacy_download_count, document.original_name) == (17, "Leitfaden.pdf")


# --- simultaneous clicks -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers anyway")
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_downloads_of_one_person_are_one_event_and_no_error(member, document):
    record = lambda: library.document_download_record(document=document, by=member)  # noqa: E731
    outcomes = run_together([record] * 20)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert DocumentDownload.objects.count() == 1
