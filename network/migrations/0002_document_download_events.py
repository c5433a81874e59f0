# Library downloads become dated events (one per person, document and day). The running total of
# every GET so far has no dates and counted project staff and funders too: it stays on the document as
# `legacy_download_count` (shown on the document page, counted by no figure) for the figures that
# can give it the best date they have.
#
# Stored file names also take the ending of their checked type (`Leitfaden.html` holding a PDF is
# offered as `Leitfaden.pdf`), as every new upload does (network.uploads.name_for_type, copied here
# because a migration must not change with the code).

import re
from pathlib import PurePosixPath

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
SAME_TYPE_ENDINGS = {**{t: {e} for t, e in EXTENSIONS.items()}, "image/jpeg": {".jpg", ".jpeg", ".jpe"}}


def name_for_type(name, content_type):
    path = PurePosixPath(name.strip().lstrip(".") or "datei")
    suffix = path.suffix.lower()
    if suffix in SAME_TYPE_ENDINGS.get(content_type, ()):
        return path.name
    ending = EXTENSIONS.get(content_type, "")
    base = (path.stem if re.fullmatch(r"\.[a-z0-9]*[a-z][a-z0-9]*", suffix) else path.name).rstrip(" .")
    return f"{(base or 'datei')[: 255 - len(ending)]}{ending}"


def names_with_type_endings(apps, schema_editor):
    Document = apps.get_model("network", "Document")
    for document in Document.objects.only("pk", "original_name", "content_type").iterator():
        name = name_for_type(document.original_name, document.content_type)
        if name != document.original_name:
            Document.objects.filter(pk=document.pk).update(original_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="document", old_name="download_count", new_name="legacy_download_count"),
        migrations.AlterField(
            model_name="document",
            name="legacy_download_count",
            field=models.PositiveIntegerField(default=0, verbose_name="Downloads vor der Zählung nach Tagen"),
        ),
        migrations.CreateModel(
            name="DocumentDownload",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(db_index=True, verbose_name="Tag")),
                (
                    "document",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="downloads",
                        to="network.document",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "verbose_name": "Download",
                "verbose_name_plural": "Downloads",
                "constraints": [
                    models.UniqueConstraint(fields=("document", "user", "day"), name="document_download_once_a_day")
                ],
            },
        ),
        migrations.RunPython(names_with_type_endings, migrations.RunPython.noop),
    ]
