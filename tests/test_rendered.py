"""portal.rendered: a stored PDF is swapped in after rendering, never leaves a gap or an orphan file."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.rendered import discard_rendered, store_rendered
from tests.factories import CourseDateFactory
from training.models import SignInSheet


@pytest.fixture
def sheet(project_staff):
    # A sign-in sheet stands for every rendered document: they share the fields and the storing step.
    sheet = SignInSheet.objects.create(
        course_date=CourseDateFactory(), requested_by=project_staff, requested_at=timezone.now()
    )
    sheet.file.save("old.pdf", ContentFile(b"%PDF old"), save=True)
    return sheet


def test_a_rendered_pdf_replaces_the_old_file_and_the_document_is_ready(sheet):
    storage, old = sheet.file.storage, sheet.file.name

    assert store_rendered(sheet, b"%PDF new", timezone.now())

    sheet.refresh_from_db()
    assert sheet.file.read() == b"%PDF new"
    assert sheet.file.name != old
    assert not storage.exists(old)
    assert sheet.ready


def test_a_request_that_came_in_while_rendering_keeps_the_document_not_ready(sheet):
    started = timezone.now()
    # Someone asks again (the list changed) while the worker renders the previous request.
    SignInSheet.objects.filter(pk=sheet.pk).update(requested_at=started + timedelta(seconds=1))

    assert store_rendered(sheet, b"%PDF new", started)

    sheet.refresh_from_db()
    assert sheet.generated_at == started
    assert not sheet.ready


def test_a_document_deleted_while_rendering_leaves_no_file_behind(sheet):
    storage = sheet.file.storage
    folder = sheet.file.name.rsplit("/", 1)[0]
    SignInSheet.objects.filter(pk=sheet.pk).delete()

    assert not store_rendered(sheet, b"%PDF new", timezone.now())

    assert storage.listdir(folder)[1] == [sheet.file.name.rsplit("/", 1)[1]]  # only the old file


def test_a_discarded_document_takes_its_file_along(sheet):
    storage, name = sheet.file.storage, sheet.file.name

    discard_rendered(sheet)

    assert not SignInSheet.objects.filter(pk=sheet.pk).exists()
    assert not storage.exists(name)
