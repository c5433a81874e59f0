"""What the tests of the authorities share besides fixtures (those are in conftest.py): the addresses
of the process pages and the error text shown next to a field."""

import re

from django.urls import reverse


def process_url(name: str, process, **kwargs) -> str:
    """`process_url("measure_create", process)`: a page under /behoerden/<id>/prozess/<id>/."""
    return reverse(
        f"authorities:{name}", kwargs={"pk": process.authority_id, "process_pk": process.pk, **kwargs}
    )


def measure_url(measure, name: str = "measure_edit") -> str:
    return process_url(name, measure.process, measure_pk=measure.pk)


def field_error(html: str, field: str) -> str:
    """The error text shown right below the field (not the summary)."""
    match = re.search(rf'<div [^>]*id="id_{field}-error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match[1]).strip()
