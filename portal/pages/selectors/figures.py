"""The figures on the start pages, each in a bounded number of queries."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q

from authorities.models import AssessmentRound, Authority, ContactPerson, ParticipationStatus, State
from authorities.models.process import RUNNING, ChangeProcess, Milestone
from authorities.selectors.overview import process_figures
from network.models.meetings import UNDONE_TASK, MinutesItem
from portal.accounts.models import User
from portal.counting import RowCount, count_each
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


def open_item_counts() -> dict[str, int]:
    """Two of the open items on project staff's start page, counted in one statement: the invitations
    not yet accepted and the mails that could not be delivered (the latter also has its section)."""
    pending, failed = count_each(
        [
            User.objects.filter(last_login__isnull=True, password__startswith="!"),
            Notification.objects.filter(status=NotificationStatus.FAILED),
        ]
    )
    return {"pending_invitations": pending, "failed_mails": failed}


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

    open_counts = shared(open_item_counts)
    return {
        "by_state": _by_state({(row["state"], row["participation_status"]): row["n"] for row in grouped}),
        "open_items": {
            "pending_invitations": open_counts["pending_invitations"],
            "interested_authorities": summed(ParticipationStatus.INTERESTED, "n"),
            "authorities_without_contacts": summed(ParticipationStatus.PARTICIPATING, "without_contacts"),
            "failed_mails": open_counts["failed_mails"],
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


OPEN_MILESTONES_SHOWN = 3


@dataclass(frozen=True)
class OwnAuthority:
    """An authority staff member's authority with its number of contact persons, and its running process
    (if any) with its number of self-check rounds and its first open milestones."""

    authority: Authority
    contacts_count: int
    process: ChangeProcess | None
    round_count: int
    open_milestones: list[Milestone]
    # Tasks of minutes assigned to the authority and not yet done, of published minutes or not, in any
    # network: more than the start page may show, but where there are none it has nothing to look for.
    undone_tasks: int


def own_authority(authority_id: int) -> OwnAuthority:
    """The authority's card and the process section of authority staff's start page read this once
    (`Shared`) in one query: the authority joined to its running process (at most one, a constraint)
    and that process's open milestones, one row per milestone shown (issue 18: three queries before);
    the task section asks it whether to look for tasks at all."""
    # Plain values, not model instances: half the time to build and compile (issue 18).
    rows = list(
        Authority.objects.filter(pk=authority_id)
        .annotate(
            running=FilteredRelation("processes", condition=Q(processes__status__in=RUNNING)),
            open=FilteredRelation(
                "running__milestones", condition=Q(running__milestones__reached_on__isnull=True)
            ),
        )
        .order_by(F("open__due_on").asc(), "open__pk")
        .values(
            "name",
            "participation_status",
            "running__pk",
            "running__phase",
            "running__status",
            "open__pk",
            "open__title",
            "open__due_on",
        )
        .annotate(
            # Cheap to build (portal/counting.py): a Subquery each cost a third of this function's time.
            n_contacts=RowCount(ContactPerson, "authority"),
            round_count=RowCount(AssessmentRound, "process", of="running__pk"),
            undone_tasks=RowCount(MinutesItem, "responsible_authority", **UNDONE_TASK),
        )[:OPEN_MILESTONES_SHOWN]
    )
    if not rows:
        raise Authority.DoesNotExist
    first = rows[0]
    authority = Authority(
        pk=authority_id, name=first["name"], participation_status=first["participation_status"]
    )
    process = None
    if first["running__pk"] is not None:
        process = ChangeProcess(
            pk=first["running__pk"],
            authority_id=authority_id,
            phase=first["running__phase"],
            status=first["running__status"],
        )
    milestones = [
        Milestone(
            pk=row["open__pk"],
            process_id=first["running__pk"],
            title=row["open__title"],
            due_on=row["open__due_on"],
        )
        for row in rows
        if row["open__pk"] is not None
    ]
    return OwnAuthority(
        authority=authority,
        contacts_count=first["n_contacts"],
        process=process,
        round_count=first["round_count"] if process else 0,
        open_milestones=milestones,
        undone_tasks=first["undone_tasks"],
    )


def authority_dashboard(user: User, shared: Shared) -> dict[str, Any]:
    if user.authority_id is None:  # authority staff always have one (a check constraint)
        raise Authority.DoesNotExist
    own = shared(own_authority, user.authority_id)  # with the process section: one query
    return {"authority": own.authority, "contacts_count": own.contacts_count}
