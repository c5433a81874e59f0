"""Every write to the authorities registry goes through here, and every one leaves a history entry.

The history (HistoryEntry) is the registry's, and the change processes record theirs with the same
helpers: `model_update` (portal/services.py) says which fields changed, `history_changes` turns that
into the entry's format, `history_record` writes the entry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from authorities.models.registry import (
    Authority,
    ContactPerson,
    FactSource,
    HistoryAction,
    HistoryEntry,
    Kind,
    ParticipationStatus,
    State,
    StatusChange,
    ags_validator,
)
from portal.accounts.models import User
from portal.accounts.rules import may_correct_dated_facts
from portal.facts import past_changed
from portal.services import model_update

# --- the history ------------------------------------------------------------------------------------

Change = dict[str, str]


def _raw(value: object) -> str:
    """A value as the history keeps it: text, dates in ISO form, nothing as "" (a related row by its
    name); labels are looked up when the history is shown, in the viewer's language."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def history_changes(instance: models.Model, changed: Mapping[str, Any]) -> list[Change]:
    """What `model_update` changed (field → value before), in the history's format, with the new
    values from `instance`."""
    return [
        {"field": name, "old": _raw(old), "new": _raw(getattr(instance, name))}
        for name, old in changed.items()
    ]


def history_of_new(instance: models.Model, fields: Iterable[str]) -> list[Change]:
    """A new row in the history's format: each of `fields` that differs from its default, as a
    change from that default."""
    defaults = {name: _column(instance, name).get_default() for name in fields}
    return history_changes(
        instance, {name: default for name, default in defaults.items() if getattr(instance, name) != default}
    )


def _column(instance: models.Model, name: str) -> models.Field[Any, Any]:
    field = instance._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{type(instance).__name__}.{name} is not a column")
    return field


def history_record(
    *,
    authority: Authority,
    actor: User | None,
    action: str,
    subject: str = "",
    changes: Iterable[Change] = (),
    reason: str = "",
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        authority=authority, actor=actor, action=action, subject=subject, changes=list(changes), reason=reason
    )


def only_fields(fields: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` for a new row, refusing a name outside `fields` as `model_update` does for a change."""
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"fields not open to this service: {sorted(unknown)}")
    return dict(values)


# --- the authorities ----------------------------------------------------------------------------------

# What the authority's forms change (its status has a service of its own), in the model's order: the
# history lists the changes in this order.
AUTHORITY_FIELDS = [
    "name", "kind", "state", "ags", "seat", "street", "postal_code", "city", "phone", "email", "website",
    "population", "population_date", "joined_on", "staff_count", "notes",
]  # fmt: skip


@transaction.atomic
def authority_create(*, by: User | None, **values: Any) -> Authority:
    authority = Authority(**only_fields([*AUTHORITY_FIELDS, "participation_status"], values))
    if authority.participation_status != ParticipationStatus.INTERESTED and not authority.status_changed_on:
        authority.status_changed_on = timezone.localdate()
    # Created as taking part: it joined then, as authority_change_status records it.
    if authority.participation_status == ParticipationStatus.PARTICIPATING and not authority.joined_on:
        authority.joined_on = authority.status_changed_on
    authority.full_clean()
    authority.save()
    if authority.participation_status != ParticipationStatus.INTERESTED:
        _status_record(authority, "", authority.participation_status, authority.status_changed_on, by)
    history_record(authority=authority, actor=by, action=HistoryAction.CREATED, subject=authority.name)
    return authority


def _status_record(authority: Authority, old: str, new: str, day: date | None, by: User | None) -> None:
    # Refuse a change dated in the future or before the one in force: the funders' figures of a period
    # read these facts, and a fact that has not happened yet, or one slipped before a later one, would
    # move them (a backdated change is fine as long as it keeps the order).
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationError({"changed_on": _("Eine Statusänderung kann nicht in der Zukunft liegen.")})
    last = authority.status_changes.order_by("-day", "-pk").values_list("day", flat=True).first()
    if last is not None and day < last:
        raise ValidationError(
            {
                "changed_on": _(
                    "Die letzte Statusänderung war am %(day)s; eine neue kann nicht davor liegen."
                )
                % {"day": date_format(last, "SHORT_DATE_FORMAT")}
            }
        )
    StatusChange.objects.create(authority=authority, from_status=old, to_status=new, day=day, by=by)


@transaction.atomic
def authority_update(*, authority: Authority, by: User | None, **values: Any) -> Authority:
    # Lock the row so that two people saving at once both end up in the history in order.
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    changed = model_update(instance=authority, fields=AUTHORITY_FIELDS, data=values)
    if changed:
        history_record(
            authority=authority,
            actor=by,
            action=HistoryAction.UPDATED,
            changes=history_changes(authority, changed),
        )
    return authority


@transaction.atomic
def authority_change_status(
    *, authority: Authority, status: str, by: User | None, changed_on: date | None = None
) -> Authority:
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    changed_on = changed_on or timezone.localdate()
    values: dict[str, object] = {"participation_status": status, "status_changed_on": changed_on}
    if status == ParticipationStatus.PARTICIPATING and authority.joined_on is None:
        values["joined_on"] = changed_on
    if authority.participation_status == status:
        return authority
    _status_record(authority, authority.participation_status, status, changed_on, by)
    changed = model_update(instance=authority, fields=list(values), data=values)
    history_record(
        authority=authority,
        actor=by,
        action=HistoryAction.STATUS_CHANGED,
        changes=history_changes(authority, changed),
    )
    return authority


# --- corrections of dated facts --------------------------------------------------------------------


def fact_correction_check(
    *, by: User, day: date, reason: str, previous: date | None = None, following: date | None = None
) -> str:
    """Refuse a correction of a dated fact's day that is not project staff's, has no reason, lies in
    the future or leaves the order of the facts (before the previous change, after the next one);
    returns the reason, trimmed. The corrections of the change processes ask the same."""
    if not may_correct_dated_facts(by):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Bitte geben Sie an, warum Sie das Datum korrigieren.")
    if day > timezone.localdate():
        errors["day"] = _("Das Datum kann nicht in der Zukunft liegen.")
    elif previous is not None and day < previous:
        errors["day"] = _("Die vorige Änderung war am %(day)s; das Datum kann nicht davor liegen.") % {
            "day": date_format(previous, "SHORT_DATE_FORMAT")
        }
    elif following is not None and day > following:
        errors["day"] = _("Die nächste Änderung war am %(day)s; das Datum kann nicht danach liegen.") % {
            "day": date_format(following, "SHORT_DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)
    return reason.strip()


def neighbour_days(facts: models.QuerySet[Any], pk: int) -> tuple[date | None, date | None]:
    """The days of the facts before and after the one with `pk` among `facts` (in their order)."""
    rows = list(facts.values_list("pk", "day"))
    index = [row[0] for row in rows].index(pk)
    return (
        rows[index - 1][1] if index > 0 else None,
        rows[index + 1][1] if index + 1 < len(rows) else None,
    )


# A corrected fact's day counts as recorded, no longer as guessed; the history shows day and source.
CORRECTED = {"guessed": False, "source": FactSource.CORRECTED}


@transaction.atomic
def status_change_correct(*, change: StatusChange, day: date, reason: str, by: User) -> StatusChange:
    """Project staff correct the day of an authority's status change (a guessed one, mostly), with
    a reason kept in the change history."""
    # Lock the authority: a status change or another correction waits, so the order stays checked.
    authority = Authority.objects.select_for_update().get(pk=change.authority_id)
    facts = authority.status_changes.order_by("day", "pk")
    change = facts.get(pk=change.pk)
    previous, following = neighbour_days(facts, change.pk)
    reason = fact_correction_check(by=by, day=day, reason=reason, previous=previous, following=following)
    old_day = change.day
    changed = model_update(instance=change, fields=["day", *CORRECTED], data={"day": day, **CORRECTED})
    history_record(
        authority=authority,
        actor=by,
        action=HistoryAction.STATUS_DAY_CORRECTED,
        subject=f"{change.get_from_status_display() or '–'} → {change.get_to_status_display()}",
        changes=history_changes(change, {name: old for name, old in changed.items() if name != "guessed"}),
        reason=reason,
    )
    # The days the authority's page shows were taken from this fact: they follow its correction. A
    # "Teilnahme seit" typed in by hand (another day) stays as it is.
    derived = {}
    if following is None and authority.status_changed_on == old_day:
        derived["status_changed_on"] = day
    if change.to_status == ParticipationStatus.PARTICIPATING and authority.joined_on == old_day:
        derived["joined_on"] = day
    if derived:
        model_update(instance=authority, fields=list(derived), data=derived)
    past_changed()  # the figures kept for ended periods no longer hold
    return change


CONTACT_FIELDS = ["name", "function", "email", "phone"]


@transaction.atomic
def contact_create(*, authority: Authority, by: User | None, **values: Any) -> ContactPerson:
    contact = ContactPerson(authority=authority, **only_fields(CONTACT_FIELDS, values))
    contact.full_clean()
    contact.save()
    history_record(
        authority=authority,
        actor=by,
        action=HistoryAction.CONTACT_ADDED,
        subject=contact.name,
        # Every field of a new contact person, also the empty ones.
        changes=history_changes(contact, dict.fromkeys(CONTACT_FIELDS)),
    )
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, by: User | None, **values: Any) -> ContactPerson:
    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    changed = model_update(instance=contact, fields=CONTACT_FIELDS, data=values)
    if changed:
        history_record(
            authority=contact.authority,
            actor=by,
            action=HistoryAction.CONTACT_UPDATED,
            subject=contact.name,
            changes=history_changes(contact, changed),
        )
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, by: User | None) -> None:
    history_record(
        authority=contact.authority, actor=by, action=HistoryAction.CONTACT_DELETED, subject=contact.name
    )
    contact.delete()


# --- import of the official list ------------------------------------------------------------

IMPORT_COLUMNS = ("state", "name", "kind", "ags", "seat", "population", "population_date")
IMPORTED_FIELDS = ["state", "name", "kind", "seat", "population", "population_date"]


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


def _parse_row(number: int, row: dict[str, str | None]) -> tuple[dict[str, Any], list[str]]:
    errors = []
    values: dict[str, Any] = {name: (row.get(name) or "").strip() for name in IMPORT_COLUMNS}

    def problem(message: str) -> None:
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


def parse_authorities_csv(text: str) -> list[dict[str, Any]]:
    """Read and check the whole file first; raise MalformedImportFile listing every problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedImportFile(
            [_("Der Datei fehlen die Spalten: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
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
def authorities_import(*, text: str, by: User | None = None) -> ImportResult:
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
            history_record(
                authority=authority, actor=by, action=HistoryAction.CREATED, subject=authority.name
            )
            result.created.append(authority.name)
            continue
        changed = model_update(
            instance=authority, fields=IMPORTED_FIELDS, data={name: values[name] for name in IMPORTED_FIELDS}
        )
        if changed:
            history_record(
                authority=authority,
                actor=by,
                action=HistoryAction.IMPORTED,
                changes=history_changes(authority, changed),
            )
            result.updated.append(authority.name)
        else:
            result.unchanged.append(authority.name)
    return result
