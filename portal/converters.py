"""The one converter for database ids in paths: `<id:pk>` (registered in portal.pages.apps).

Django's `<id:…>` hands any number of digits to the view; 99999999999999999999 then overflowed
where the id reached SQLite ("Python int too large to convert to SQLite INTEGER", a 500). Every id
of the portal is a positive 64-bit integer, so anything else is not a page of the portal: 404.
"""

from django.urls import register_converter

ID_MAX = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError(value)  # the resolver then tries the next route, and answers 404 at the end
        return number

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
