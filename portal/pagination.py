"""A page of a queryset with the number of all its rows in the same query (issue 18).

Django's Paginator asks the database twice per page: `COUNT(*)` for the number of rows, then the rows
of the page. `counted_page` reads the page with a window over every row (`COUNT(*) OVER ()`, counted
before LIMIT and OFFSET) and gives the paginator that number: one round trip less on every list page.
A page past the end (a stale link) finds no rows and so no number: then it is the paginator's own
`get_page` (the last page), as before.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "rows_in_all_pages"


def counted_page(queryset: QuerySet, per_page: int, number: int | str | None) -> Page:
    """`Paginator(queryset, per_page).get_page(number)` in one query where it can: the same page,
    the same number of rows and pages. A DISTINCT query is left to the paginator (the window would
    count the rows before DISTINCT removes the doubles)."""
    paginator = Paginator(queryset, per_page)
    page_number = _plain_number(number)
    if page_number is None or queryset.query.distinct:
        return paginator.get_page(number)
    bottom = (page_number - 1) * per_page
    rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[bottom : bottom + per_page])
    if not rows:
        if page_number > 1:  # past the end: the last page, counted by the paginator
            return paginator.get_page(number)
        paginator.count = 0
        return Page([], 1, paginator)
    paginator.count = getattr(rows[0], TOTAL)
    return Page(rows, page_number, paginator)


def _plain_number(number: int | str | None) -> int | None:
    """The page number as a positive whole number, or None for anything the paginator decides
    (missing, not a number, zero or negative)."""
    try:
        value = int(str(number)) if number is not None else 1
    except ValueError:
        return None
    return value if value >= 1 else None
