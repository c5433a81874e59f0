"""Template helpers of the `kern` crispy template pack: one place decides how a widget looks."""

from django import forms, template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

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


@register.filter
def kern_options(field) -> SafeString:
    """The radio buttons or checkboxes of a field, each with its label and hint, as kern/field.html
    wrote them with a template loop (issue 18: the loop cost about as much as the rest of a form).
    Byte for byte the loop's markup, whitespace included (tests/test_renderers.py keeps the loop and
    compares)."""
    kind = "radio" if widget_kind(field) == "radios" else "checkbox"
    parts = []
    for option in field:
        data = option.data
        id_for_label = conditional_escape(option.id_for_label)
        name, value = conditional_escape(data["name"]), conditional_escape(localize(data["value"]))
        hint = data.get("hint")
        described = f' aria-describedby="{id_for_label}-hint"' if hint else ""
        hint_html = (
            f'<div class="kern-hint portal-option-hint" id="{id_for_label}-hint">'
            f"{conditional_escape(hint)}</div>"
            if hint
            else ""
        )
        parts.append(
            '\n          <div class="kern-form-check">\n'
            f'            <input type="{kind}" class="kern-form-check__{kind}"'
            f' name="{name}" value="{value}"'
            f' id="{id_for_label}"{" checked" if data["selected"] else ""}{described}>\n'
            f'            <label class="kern-label" for="{id_for_label}">'
            f"{conditional_escape(option.choice_label)}</label>\n"
            f"            {hint_html}\n"
            "          </div>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 – every value above is escaped


@register.simple_tag(takes_context=True)
def kept_form(context, form) -> SafeString:
    """`{% crispy form %}` for a KernForm, kept rendered per process where that is safe
    (`KernFormMixin.rendered`, `FilterForm.rendered`)."""
    return form.rendered(context["request"])
