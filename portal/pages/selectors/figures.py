"""The figures on the start pages, each in a bounded number of queries."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from authorities.models import Authority, ContactPerson, ParticipationStatus, State
from authorities.selectors.overview import process_figures
from portal.accounts.models import User
from portal.notifications.models import Notification, NotificationStatus
from portal.start_sections import Shared


def _by_state(counts: dict[tuple[str, str], int]) -> dict[str, Any]:
    """The table of authorities by state and participation status from (state, status) -> number."""
    rows: list[dict[str, Any]] = []
    for state, state_label in State.choices:
        cells = [counts.get((state, status), 0) for status in ParticipationStatus.values]
        rows.append({"state": state, "label": state_label, "cells": cells, "total": sum(cells)})
    totals = [sum(row["cells"][i] for row in rows) for i in range(len(ParticipationStatus.values))]
    return {"rows": rows, "statuses": ParticipationStatus.choices, "totals": totals, "total": sum(totals)}


def authorities_by_state_and_status() -> dict[str, Any]:
    grouped = Authority.objects.values("state", "participation_status").annotate(n=Count("pk"))
    return _by_state({(row["state"], row["participation_status"]): row["n"] for row in grouped})


def failed_mail_count() -> int:
    """The mails that could not be delivered: a card of project staff's start page and its section."""
    return Notification.objects.filter(status=NotificationStatus.FAILED).count()


def project_staff_dashboard(shared: Shared) -> dict[str, Any]:
    # The table by state and status brings two of the open items along: the interested authorities are
    # one of its columns, and each cell also counts its authorities without a contact person.
    no_contacts = ~Exists(ContactPerson.objects.filter(authority=OuterRef("pk")))
    grouped: list[dict[str, Any]] = [
        dict(row)
        for row in Authority.objects.values("state", "participation_status").annotate(
            n=Count("pk"), without_contacts=Count("pk", filter=no_contacts)
        )
    ]

    def summed(status: str, figure: str) -> int:
        return sum(row[figure] for row in grouped if row["participation_status"] == status)

    return {
        "by_state": _by_state({(row["state"], row["participation_status"]): row["n"] for row in grouped}),
        "open_items": {
            "pending_invitations": User.objects.filter(
                last_login__isnull=True, password__startswith="!"
            ).count(),
            "interested_authorities": summed(ParticipationStatus.INTERESTED, "n"),
            "authorities_without_contacts": summed(ParticipationStatus.PARTICIPATING, "without_contacts"),
            "failed_mails": shared(failed_mail_count),
        },
    }


def funder_dashboard() -> dict[str, Any]:
    # Aggregates only: counts per state and status, never a name or a person.
    participating = Q(
        participation_status__in=[ParticipationStatus.PARTICIPATING, ParticipationStatus.COMPLETED]
    )
    per_state = Authority.objects.values("state").annotate(
        total=Count("pk"), participating=Count("pk", filter=participating)
    )
    return {
        "by_state": authorities_by_state_and_status(),
        "per_state": list(per_state.order_by("state")),
        **process_figures(),
    }


def authority_dashboard(user: User) -> dict[str, Any]:
    if user.authority_id is None:  # authority staff always have one (a check constraint)
        raise Authority.DoesNotExist
    # One query: the number of contact persons comes along with the authority.
    authority = Authority.objects.annotate(n_contacts=Count("contacts")).get(pk=user.authority_id)
    return {"authority": authority, "contacts_count": getattr(authority, "n_contacts")}  # noqa: B009
