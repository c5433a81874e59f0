"""An enrollment's status as a badge, written in Python: the participant list shows one per row, and
an include with its translation per row cost a third of the rows' time (issue 18). The include
templates/training/status_badge.html calls this tag, so the markup has one home."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from training.models import EnrollmentStatus

register = template.Library()

_BADGE = '<span class="kern-badge kern-badge--{}"><span class="kern-label kern-label--small">{}</span></span>'


@register.simple_tag
def enrollment_badge(status: str, position: int | None = None) -> SafeString | str:
    """`{% enrollment_badge enrollment.status enrollment.waitlist_position %}`: "Angemeldet",
    "Angefragt" or "Warteliste, Platz 3"; nothing for a cancelled enrollment."""
    if status == EnrollmentStatus.CONFIRMED:
        return format_html(_BADGE, "success", gettext("Angemeldet"))
    if status == EnrollmentStatus.REQUESTED:
        return format_html(_BADGE, "info", gettext("Angefragt"))
    if status == EnrollmentStatus.WAITLISTED:
        return format_html(
            _BADGE, "warning", gettext("Warteliste, Platz %(position)s") % {"position": position}
        )
    return ""
