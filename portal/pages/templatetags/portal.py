from django import template

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
