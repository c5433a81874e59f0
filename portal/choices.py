"""Choice labels read fast: Django's `get_<field>_display()` builds a dict of all the field's choices on
every call, hashing — and so translating — each label; with 30 actions in the history of an authority's
page that was 1,500 translations per request (issue 18). `choice_display("action")` as the model's
`get_action_display` looks the value up in a dict built once per field and translates only its label."""

from collections.abc import Callable
from typing import Any

from django.db import models

_LABELS: dict[models.Field, dict[Any, Any]] = {}


def _labels(field: models.Field) -> dict[Any, Any]:
    labels = _LABELS.get(field)
    if labels is None:
        # Values only are hashed; the labels stay lazy and are translated when shown.
        labels = _LABELS[field] = dict(field.flatchoices)
    return labels


def choice_display(name: str) -> Callable[[Any], Any]:
    """A `get_<name>_display` method: the label of the field's value in the current language, or the
    value itself when it is no choice (as Django's)."""

    def display(self) -> Any:
        field = self._meta.get_field(name)
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value (never for the portal's fields)
            return value
        return str(label) if label is not value else value

    display.__name__ = f"get_{name}_display"
    return display


_TEXT_LABELS: dict[models.Field, dict[str, Any]] = {}


def text_choice_label(field: models.Field, raw: Any) -> Any:
    """The label of a value kept as text (the change history keeps phase 3 as "3"), lazy, or `raw`
    itself when it is no choice: a history of 100 entries built the dict of every field's choices for
    each value it showed."""
    labels = _TEXT_LABELS.get(field)
    if labels is None:
        labels = _TEXT_LABELS[field] = {str(value): label for value, label in field.flatchoices}
    try:
        return labels.get(raw, raw)
    except TypeError:  # an unhashable value kept in the JSON (never written by the services)
        return raw
