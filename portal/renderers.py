"""The form renderer (`FORM_RENDERER`): Django's templates, except for the select box.

Django renders a `<select>` through one template include per option; a list of 300 colleagues took
three quarters of a participant list page (issue 18, measured with `make bench`). The select and its
options are written here in Python instead, with the same markup and attributes as Django's
`django/forms/widgets/select.html`, `select_option.html` and `attrs.html`; every other widget
still renders through its template."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"


class PortalRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)


def attributes(attrs: dict) -> str:
    """As attrs.html: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> str:
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        options = "".join(
            f'\n  <option value="{conditional_escape(option["value"])}"{attributes(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in group_choices
        )
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">{options}\n  </optgroup>')
        else:
            parts.append(options)
    return mark_safe(  # noqa: S308 – every value above is escaped
        format_html('<select name="{}"', widget["name"])
        + attributes(widget["attrs"])
        + ">"
        + "".join(parts)
        + "\n</select>"
    )
