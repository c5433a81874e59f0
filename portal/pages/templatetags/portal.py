from django import template
from django.utils.formats import date_format

from portal import bilingual

register = template.Library()


@register.filter
def page_window(paginator, number, around=2):
    """Page numbers to show: first, last and a few around the current one; None marks a gap."""
    pages = sorted({1, paginator.num_pages, *range(number - around, number + around + 1)})
    pages = [p for p in pages if 1 <= p <= paginator.num_pages]
    window, previous = [], 0
    for p in pages:
        if p - previous > 1:
            window.append(None)
        window.append(p)
        previous = p
    return window


@register.filter
def localized(obj, field):
    """`{{ indicator|localized:"name" }}`: the German or English name, by the reader's language."""
    return bilingual.localized(obj, field)


@register.filter(expects_localtime=True)
def weekday_date(value):
    """ "Dienstag, 10.03.2026" / "Tuesday, 10/03/2026": the weekday and the language's short date."""
    if not value:
        return ""
    return f"{date_format(value, 'l')}, {date_format(value, 'SHORT_DATE_FORMAT')}"
