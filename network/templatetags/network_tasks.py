"""A task's state badge (done, overdue, open), written in Python (issue 18): on the minutes and in the
open tasks of the network page, whose rows are Python too (network.views.networks)."""

from datetime import date

from django import template
from django.template.defaultfilters import date as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

_BADGE = '<span class="kern-badge kern-badge--{}"><span class="kern-label kern-label--small">{}</span></span>'


@register.simple_tag
def task_state(item, today: date | None) -> SafeString:
    """Done (with its date), overdue (due before `today`) or open."""
    if item.done_on:
        done = _("erledigt am %(date)s") % {"date": date_format(item.done_on, "SHORT_DATE_FORMAT")}
        return format_html(_BADGE, "success", done)
    if item.due_on and today and item.due_on < today:
        return format_html(_BADGE, "danger", _("überfällig"))
    return format_html(_BADGE, "info", _("offen"))
