"""What the rows of a long list show, worked out once per page instead of once per row (issue 18: a
participant list reversed 120 URLs per request)."""

from collections.abc import Callable

from django.urls import reverse

# Stands for the row's pk in the one reverse(); digits, so that every pk converter accepts it.
_MARK = 918273645


def url_each(name: str, *args) -> Callable[[int], str]:
    """`url_each("training:enrollment_cancel")(pk)`: the URL of `name` with the row's pk as its last
    argument, from a single reverse() for the whole list."""
    head, tail = reverse(name, args=[*args, _MARK]).rsplit(str(_MARK), 1)
    return lambda pk: f"{head}{pk}{tail}"
