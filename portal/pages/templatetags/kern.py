"""Template helpers of the `kern` crispy template pack: one place decides how a widget looks."""

from django import forms, template

register = template.Library()

_CLASSES = [
    (forms.CheckboxInput, "kern-form-check__checkbox"),
    (forms.RadioSelect, "kern-form-check__radio"),
    (forms.CheckboxSelectMultiple, "kern-form-check__checkbox"),
    (forms.Select, "kern-form-input__select"),
    (forms.Widget, "kern-form-input__input"),
]


def widget_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


register.filter("widget_kind", widget_kind)


@register.filter
def kern_widget(field):
    """Render the widget with KERN's classes, its hint and error linked by aria-describedby."""
    widget = field.field.widget
    css = next(css for cls, css in _CLASSES if isinstance(widget, cls))
    if field.errors:
        css += f" {css}--error"
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class"), css]))}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if isinstance(widget, forms.Textarea):
        attrs.setdefault("rows", widget.attrs.get("rows", 5))
    return field.as_widget(attrs=attrs)
