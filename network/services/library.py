"""The library of concepts and instruments: publishing, changing and deleting documents, counting
downloads. Who may publish what: network/rules.py."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from network import rules, uploads
from network.models.library import Document, DocumentDownload, Visibility
from network.models.networks import Network
from portal.accounts.models import User
from portal.services import model_update

# What the edit form changes besides the file.
DOCUMENT_FIELDS = ["title", "description", "category", "tags", "version", "visibility", "network"]


def normalize_tags(tags: str) -> str:
    seen = {}
    for tag in tags.split(","):
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return ", ".join(seen.values())


def _store(document: Document, upload: "File[bytes]") -> None:
    """Check the upload and write it under a random name; the row is saved by the caller."""
    checked = uploads.check_upload(upload)
    document.original_name = checked.name
    document.content_type = checked.content_type
    document.size = checked.size
    # The name given here only counts for its absence: document_upload_to picks a random one.
    document.file.save(checked.name, upload, save=False)


def _save_or_remove_file(document: Document, update_fields: list[str] | None = None) -> None:
    # The file is on disk before the row exists: if saving the row fails, do not leave it behind.
    try:
        document.save(update_fields=update_fields)
    except BaseException:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise


def _delete_on_commit(storage: Storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def document_create(
    *,
    by: User,
    title: str,
    category: str,
    upload: "File[bytes]",
    description: str = "",
    tags: str = "",
    version: str = "",
    visibility: str = Visibility.ALL,
    network: Network | None = None,
) -> Document:
    if visibility != Visibility.NETWORK:
        network = None
    rules.check_publish_target(by, visibility=visibility, network=network)
    document = Document(
        title=title,
        description=description,
        category=category,
        tags=normalize_tags(tags),
        version=version,
        visibility=visibility,
        network=network,
        uploaded_by=by,
    )
    _store(document, upload)
    _save_or_remove_file(document)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    by: User,
    title: str,
    category: str,
    description: str = "",
    tags: str = "",
    version: str = "",
    visibility: str = Visibility.ALL,
    network: Network | None = None,
    upload: "File[bytes] | None" = None,
) -> Document:
    if not rules.may_edit_document(by, document):
        raise PermissionDenied
    if visibility != Visibility.NETWORK:
        network = None
    rules.check_publish_target(by, visibility=visibility, network=network)
    document = Document.objects.select_for_update().get(pk=document.pk)
    values = {
        "title": title,
        "description": description,
        "category": category,
        "tags": normalize_tags(tags),
        "version": version,
        "visibility": visibility,
        "network": network,
    }
    model_update(instance=document, fields=DOCUMENT_FIELDS, data=values)
    if upload is not None:
        old_file = document.file.name
        _store(document, upload)
        _save_or_remove_file(document, update_fields=["file", "original_name", "content_type", "size"])
        # The old file goes only once the new one is recorded for good.
        _delete_on_commit(document.file.storage, old_file)
    return document


@transaction.atomic
def document_delete(*, document: Document, by: User) -> None:
    if not rules.may_edit_document(by, document):
        raise PermissionDenied
    storage, name = document.file.storage, document.file.name
    document.delete()
    _delete_on_commit(storage, name)


def document_download_record(*, document: Document, by: User) -> None:
    """Count the download as an event of `by` today (German time); a second one that day is the same."""
    if not rules.counts_downloads(by):
        return
    # ON CONFLICT DO NOTHING: parallel downloads of one person never fail and never count twice.
    DocumentDownload.objects.bulk_create(
        [DocumentDownload(document=document, user=by, day=timezone.localdate())], ignore_conflicts=True
    )
