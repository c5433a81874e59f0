"""Uploaded files and stored PDFs are readable by the portal's user and group only: files 0640 in
folders 0750 (portal/storage.py), whatever the umask of the writing process."""

import os
import re
import stat
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from portal.storage import PrivateFileStorage


@pytest.fixture
def loose_umask():
    old = os.umask(0o002)  # a process that would otherwise write 0664 / 0775
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_0640_in_folders_0750(loose_umask):
    name = default_storage.save("bescheinigungen/2026/12/teilnahme.pdf", ContentFile(b"%PDF-1.7"))

    path = Path(settings.MEDIA_ROOT) / name
    assert _mode(path) == 0o640
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert _mode(folder) == 0o750, folder


def test_every_stored_file_of_the_portal_goes_through_that_storage():
    file_fields = [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, models.FileField)
    ]

    assert len(file_fields) >= 4  # library, certificates, sign-in sheets, report versions, …
    for model, field in file_fields:
        assert isinstance(field.storage, PrivateFileStorage), f"{model.__name__}.{field.name}"


def test_the_systemd_units_set_a_umask_of_0027():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    units = re.findall(r"```ini\n(\[Service\].*?|\[Unit\].*?)```", readme, flags=re.S)

    assert len(units) == 3  # web, worker, beat
    assert all("UMask=0027" in unit for unit in units)
