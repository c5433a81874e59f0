"""Helpers every app's services share.

`model_update` is the one way a service changes fields of a row (as `model_update` in the HackSoft
Django styleguide): before it, each service had its own `setattr` loop, some setting whatever
attribute a caller passed, others refusing unknown names, and the authorities kept a private
`_diff` for their history. One helper means one behaviour: only the named fields, only the changed
ones written, an unknown name refused loudly.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models


def model_update[M: models.Model](*, instance: M, fields: list[str], data: dict[str, Any]) -> dict[str, Any]:
    """Set the `fields` that `data` gives a different value, validate (`full_clean`) and save only
    those columns; returns the changed fields, each with its value from before, in the order of
    `fields` (empty: nothing changed, nothing validated or saved).

    Iterating the result gives the changed field names; the old values are what a history entry
    records (the new ones are on `instance`). Saving with `update_fields` keeps a column that
    someone else changed meanwhile: only what this change touched is written (plus `auto_now`
    fields such as `updated_at`). A name in `data` that is not in `fields`, or one in `fields` that
    is no column of the model, raises TypeError: a caller's typo must not pass silently (nor set an
    attribute that is never saved). On a ValidationError the instance gets its old values back.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"{type(instance).__name__}: fields not open to this update: {sorted(unknown)}")
    for name in fields:
        _column(instance, name)

    changed: dict[str, Any] = {}
    for name in fields:
        if name not in data:
            continue
        old = getattr(instance, name)
        if old != data[name]:
            changed[name] = old
            setattr(instance, name, data[name])
    if not changed:
        return changed

    try:
        instance.full_clean()
    except ValidationError:
        for name, old in changed.items():
            setattr(instance, name, old)
        raise
    auto_now = [field.name for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)]
    instance.save(update_fields=[*changed, *(name for name in auto_now if name not in changed)])
    return changed


def _column(instance: models.Model, name: str) -> "models.Field[Any, Any]":
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise TypeError(f"{type(instance).__name__} has no field {name!r}") from None
    if not field.concrete or field.many_to_many:
        # A reverse relation or many-to-many is no column: set it with `.set()` after saving.
        raise TypeError(f"{type(instance).__name__}.{name} is not a column")
    return field
