"""Every write to the authorities registry goes through here, and every one leaves a history entry."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities.models.registry import (
    Authority,
    ContactPerson,
    HistoryAction,
    HistoryEntry,
    Kind,
    ParticipationStatus,
    State,
    ags_validator,
)


def _raw(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _diff(instance, fields, values: dict) -> list[dict]:
    """Apply `values` to `instance` and return what changed, in the history's format."""
    changes = []
    for name in fields:
        if name not in values:
            continue
        old, new = getattr(instance, name), values[name]
        if old != new:
            changes.append({"field": name, "old": _raw(old), "new": _raw(new)})
            setattr(instance, name, new)
    return changes


def _record(*, authority, actor, action, subject="", changes=()):
    return HistoryEntry.objects.create(
        authority=authority, actor=actor, action=action, subject=subject, changes=list(changes)
    )


@transaction.atomic
def authority_create(*, by, **values) -> Authority:
    authority = Authority(**values)
    if authority.participation_status != ParticipationStatus.INTERESTED and not authority.status_changed_on:
        authority.status_changed_on = timezone.localdate()
    # Created as taking part: it joined then, as authority_change_status records it.
    if authority.participation_status == ParticipationStatus.PARTICIPATING and not authority.joined_on:
        authority.joined_on = authority.status_changed_on
    authority.full_clean()
    authority.save()
    _record(authority=authority, actor=by, action=HistoryAction.CREATED, subject=authority.name)
    return authority


@transaction.atomic
def authority_update(*, authority: Authority, by, **values) -> Authority:
    # Lock the row so that two people saving at once both end up in the history in order.
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    changes = _diff(authority, [f.name for f in Authority._meta.concrete_fields], values)
    if changes:
        authority.full_clean()
        authority.save()
        _record(authority=authority, actor=by, action=HistoryAction.UPDATED, changes=changes)
    return authority


@transaction.atomic
def authority_change_status(
    *, authority: Authority, status: str, by, changed_on: date | None = None
) -> Authority:
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    changed_on = changed_on or timezone.localdate()
    values = {"participation_status": status, "status_changed_on": changed_on}
    if status == ParticipationStatus.PARTICIPATING and authority.joined_on is None:
        values["joined_on"] = changed_on
    if authority.participation_status == status:
        return authority
    changes = _diff(authority, values.keys(), values)
    authority.save()
    _record(authority=authority, actor=by, action=HistoryAction.STATUS_CHANGED, changes=changes)
    return authority


CONTACT_FIELDS = ("name", "function", "email", "phone")


@transaction.atomic
def contact_create(*, authority: Authority, by, **values) -> ContactPerson:
    contact = ContactPerson(authority=authority, **values)
    contact.full_clean()
    contact.save()
    changes = [{"field": name, "old": "", "new": _raw(values.get(name))} for name in CONTACT_FIELDS]
    _record(
        authority=authority,
        actor=by,
        action=HistoryAction.CONTACT_ADDED,
        subject=contact.name,
        changes=changes,
    )
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, by, **values) -> ContactPerson:
    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    changes = _diff(contact, CONTACT_FIELDS, values)
    if changes:
        contact.full_clean()
        contact.save()
        _record(
            authority=contact.authority,
            actor=by,
            action=HistoryAction.CONTACT_UPDATED,
            subject=contact.name,
            changes=changes,
        )
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, by) -> None:
    _record(authority=contact.authority, actor=by, action=HistoryAction.CONTACT_DELETED, subject=contact.name)
    contact.delete()


# --- import of the official list ------------------------------------------------------------

IMPORT_COLUMNS = ("state", "name", "kind", "ags", "seat", "population", "population_date")
IMPORTED_FIELDS = ("state", "name", "kind", "seat", "population", "population_date")


class MalformedImportFile(ValueError):
    """The file is malformed; nothing was changed. `errors` lists every problem with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _parse_row(number: int, row: dict) -> tuple[dict, list[str]]:
    errors = []
    values = {name: (row.get(name) or "").strip() for name in IMPORT_COLUMNS}

    def problem(message):
        errors.append(_("Zeile %(line)d: %(message)s") % {"line": number, "message": message})

    if values["state"] not in State.values:
        problem(_("Unbekanntes Land „%(value)s“ (erlaubt: RP, NI).") % {"value": values["state"]})
    if values["kind"] not in Kind.values:
        problem(_("Unbekannte Art „%(value)s“.") % {"value": values["kind"]})
    try:
        ags_validator(values["ags"])
    except ValidationError:
        problem(_("Der AGS „%(value)s“ besteht nicht aus 8 Ziffern.") % {"value": values["ags"]})
    if not values["name"]:
        problem(_("Der Name fehlt."))
    if not values["seat"]:
        problem(_("Der Sitz fehlt."))
    try:
        values["population"] = int(values["population"]) if values["population"] else None
    except ValueError:
        problem(_("Die Einwohnerzahl „%(value)s“ ist keine ganze Zahl.") % {"value": values["population"]})
    try:
        values["population_date"] = (
            date.fromisoformat(values["population_date"]) if values["population_date"] else None
        )
    except ValueError:
        problem(
            _("Das Datum „%(value)s“ ist kein Datum im Format JJJJ-MM-TT.")
            % {"value": values["population_date"]}
        )
    return values, errors


def parse_authorities_csv(text: str) -> list[dict]:
    """Read and check the whole file first; raise MalformedImportFile listing every problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedImportFile(
            [_("Der Datei fehlen die Spalten: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    rows, errors, seen = [], [], {}
    for number, row in enumerate(reader, start=2):
        values, row_errors = _parse_row(number, row)
        errors += row_errors
        if values["ags"] in seen:
            errors.append(
                _("Zeile %(line)d: Der AGS %(ags)s steht schon in Zeile %(first)d.")
                % {"line": number, "ags": values["ags"], "first": seen[values["ags"]]}
            )
        seen.setdefault(values["ags"], number)
        rows.append(values)
    if not rows and not errors:
        errors.append(_("Die Datei enthält keine Behörden."))
    if errors:
        raise MalformedImportFile(errors)
    return rows


@transaction.atomic
def authorities_import(*, text: str, by=None) -> ImportResult:
    """Create or update authorities by AGS from the official list; all or nothing."""
    rows = parse_authorities_csv(text)
    existing = {
        a.ags: a for a in Authority.objects.select_for_update().filter(ags__in=[r["ags"] for r in rows])
    }
    result = ImportResult()
    for values in rows:
        authority = existing.get(values["ags"])
        if authority is None:
            authority = Authority(ags=values["ags"], **{k: values[k] for k in IMPORTED_FIELDS})
            authority.full_clean()
            authority.save()
            _record(authority=authority, actor=by, action=HistoryAction.CREATED, subject=authority.name)
            result.created.append(authority.name)
            continue
        changes = _diff(authority, IMPORTED_FIELDS, values)
        if changes:
            authority.full_clean()
            authority.save()
            _record(authority=authority, actor=by, action=HistoryAction.IMPORTED, changes=changes)
            result.updated.append(authority.name)
        else:
            result.unchanged.append(authority.name)
    return result
