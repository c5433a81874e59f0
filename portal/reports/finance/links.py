"""The address of a finance page of a funding project: the current project keeps the short addresses
(`/berichte/finanzen/…`), every other one has its own (`/berichte/finanzen/projekt/<id>/…`)."""

from typing import Any

from django.urls import reverse


def finance_url(name: str, project: Any, **kwargs: Any) -> str:
    if project is not None and not project.is_current:
        kwargs["project_pk"] = project.pk
    return reverse(f"finance:{name}", kwargs=kwargs or None)
