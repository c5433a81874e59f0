"""Reminders of the change processes: measures and milestones that fall due or are overdue
(process.due) and the weekly summary for each coach (process.coach_summary).

Beat runs both every hour (portal.notifications.scans). Each scan reads what is due with a fixed
number of queries, whatever the number of measures; `notify` claims every mail before sending it, so a
second run, a second worker or a run that catches up after beat was down sends nothing twice.

process.due sends one mail per process, recipient and due date, listing every open measure and
unreached milestone of that process due on that date. The claim is (recipient, process.due, process,
"due-<date>") within the seven days up to the date, and (…, "overdue-<date>") once the date has passed.
The occasion names the due date, never the day the scan ran: whichever run first sees the date in its
window sends the mail, a run missed for hours or days catches up on the next one, and later runs find
the claim. A measure postponed to another date is reminded again for its new date.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.utils import timezone

from authorities.models.process import ChangeProcess, Consultation, Measure, Milestone
from portal.notifications.models import Notification
from portal.notifications.scans import scan, weekly_occasion
from portal.notifications.services import notify

DUE_SOON = dt.timedelta(days=7)
# Overdue items are reminded once, within this time after their date: a plan imported or a process
# taken over with old open measures does not flood anyone. Older ones stay in the coach's summary.
OVERDUE_WINDOW = dt.timedelta(days=30)
SUMMARY_AHEAD = dt.timedelta(days=14)
SUMMARY_CONSULTATIONS = dt.timedelta(days=7)
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class DueGroup:
    """The open measures and milestones of one process due on one date."""

    process: ChangeProcess
    due_on: dt.date
    stage: str  # "due" (within seven days) or "overdue"
    measures: list = field(default_factory=list)
    milestones: list = field(default_factory=list)

    @property
    def occasion(self) -> str:
        return f"{self.stage}-{self.due_on.isoformat()}"

    @property
    def url(self) -> str:
        """Where the mail leads: the process page, whose overview holds the measure plan, or its part
        with the milestones when only milestones fall due."""
        return self.process.get_absolute_url() if self.measures else self.process.section_url("meilensteine")


def _claimed(
    kind: str, model: type[Model], object_ids: Iterable[int], occasions: Iterable[str]
) -> set[tuple[int, int | None, str]]:
    """(recipient, object, occasion) already claimed: skipped without a query per mail. `notify`
    still claims each mail itself, so two scans at the same moment cannot both send it."""
    rows = Notification.objects.filter(
        kind=kind,
        object_type=ContentType.objects.get_for_model(model),
        object_id__in=list(object_ids),
        occasion__in=list(occasions),
    ).values_list("recipient_id", "object_id", "occasion")
    return set(rows)


def _coordinators_by_authority(authority_ids) -> dict[int, list]:
    coordinators = defaultdict(list)
    users = get_user_model().objects.filter(
        is_active=True, is_coordinator=True, authority_id__in=list(authority_ids)
    )
    for user in users.order_by("last_name", "first_name", "pk"):
        coordinators[user.authority_id].append(user)
    return coordinators


def due_groups(today: dt.date) -> list[DueGroup]:
    """Everything of the running processes due in the next seven days or overdue for up to 30 days."""
    window = Q(due_on__gte=today - OVERDUE_WINDOW, due_on__lte=today + DUE_SOON)
    running = ChangeProcess.objects.active()
    measures = (
        Measure.objects.open()
        .filter(window, process__in=running)
        .select_related("process__authority", "process__coach", "goal")
        .order_by("due_on", "title", "pk")
    )
    milestones = (
        Milestone.objects.filter(window, process__in=running, reached_on__isnull=True)
        .select_related("process__authority", "process__coach")
        .order_by("due_on", "title", "pk")
    )
    groups: dict[tuple[int, dt.date], DueGroup] = {}

    def group_of(item) -> DueGroup:
        key = (item.process_id, item.due_on)
        if key not in groups:
            stage = "due" if item.due_on >= today else "overdue"
            groups[key] = DueGroup(process=item.process, due_on=item.due_on, stage=stage)
        return groups[key]

    for measure in measures:
        group_of(measure).measures.append(measure)
    for milestone in milestones:
        group_of(milestone).milestones.append(milestone)
    return sorted(groups.values(), key=lambda group: (group.due_on, group.process.pk))


@scan("process.due")
def process_due(now) -> int:
    """Remind the coach and the authority's coordinators of what falls due or is overdue."""
    today = timezone.localdate(now, BERLIN)
    groups = due_groups(today)
    if not groups:
        return 0
    claimed = _claimed(
        "process.due", ChangeProcess, {g.process.pk for g in groups}, {g.occasion for g in groups}
    )
    coordinators = _coordinators_by_authority({g.process.authority_id for g in groups})
    sent = 0
    for group in groups:
        process = group.process
        # The "responsible" of a measure is free text (a name or a function), not an account: the
        # coordinators stand in for the responsible person, the mail names who the plan says it is.
        for recipient in [process.coach, *coordinators[process.authority_id]]:
            if (recipient.pk, process.pk, group.occasion) in claimed:
                continue
            sent += notify(
                recipient=recipient,
                kind="process.due",
                obj=process,
                occasion=group.occasion,
                template="authorities/process_due",
                context={
                    "process": process,
                    "url": group.url,
                    "authority": process.authority,
                    "overdue": group.stage == "overdue",
                    "due_on": group.due_on,
                    "days_left": (group.due_on - today).days,
                    "days_over": (today - group.due_on).days,
                    "measures": group.measures,
                    "milestones": group.milestones,
                    "is_coach": recipient.pk == process.coach_id,
                },
            )
    return sent


# --- weekly summary for each coach -----------------------------------------------------------------


@dataclass
class ProcessSummary:
    process: ChangeProcess
    due_soon: list = field(default_factory=list)
    overdue_measures: list = field(default_factory=list)
    overdue_milestones: list = field(default_factory=list)
    consultations: list = field(default_factory=list)

    # The mail links each list to the part of the process page that shows it. section_url reads only
    # the process's own ids: no query per process (the summary's queries are pinned).
    @property
    def milestones_url(self) -> str:
        return self.process.section_url("meilensteine")

    @property
    def consultations_url(self) -> str:
        return self.process.section_url("beratungen")


def coach_summaries(today: dt.date) -> dict:
    """{coach: [ProcessSummary, …]} for every coach with a running process, in five queries."""
    processes = list(
        ChangeProcess.objects.active().select_related("authority", "coach").order_by("authority__name", "pk")
    )
    summaries = {process.pk: ProcessSummary(process) for process in processes}
    measures = (
        Measure.objects.open()
        .filter(process__in=list(summaries), due_on__lte=today + SUMMARY_AHEAD)
        .select_related("goal")
        .order_by("due_on", "title", "pk")
    )
    for measure in measures:
        summary = summaries[measure.process_id]
        # Every measure here has a due date (the filter asks for one up to two weeks ahead).
        overdue = measure.due_on is not None and measure.due_on < today
        (summary.overdue_measures if overdue else summary.due_soon).append(measure)
    for milestone in Milestone.objects.filter(
        process__in=list(summaries), reached_on__isnull=True, due_on__lt=today
    ).order_by("due_on", "title", "pk"):
        summaries[milestone.process_id].overdue_milestones.append(milestone)
    for consultation in Consultation.objects.filter(
        process__in=list(summaries), held_on__gte=today - SUMMARY_CONSULTATIONS, held_on__lte=today
    ).order_by("held_on", "pk"):
        summaries[consultation.process_id].consultations.append(consultation)
    by_coach = defaultdict(list)
    for process in processes:
        by_coach[process.coach].append(summaries[process.pk])
    return by_coach


@scan("process.coach_summary")
def process_coach_summary(now) -> int:
    """Once a week, from Monday 07:00: each coach's running processes at a glance."""
    due = weekly_occasion(now)
    if due is None:
        return 0
    week = due[0]
    today = timezone.localdate(now, BERLIN)
    by_coach = coach_summaries(today)
    if not by_coach:
        return 0
    claimed = _claimed("process.coach_summary", get_user_model(), {c.pk for c in by_coach}, {week})
    sent = 0
    for coach, summaries in sorted(by_coach.items(), key=lambda item: item[0].pk):
        if (coach.pk, coach.pk, week) in claimed:
            continue
        sent += notify(
            recipient=coach,
            kind="process.coach_summary",
            obj=coach,
            occasion=week,
            template="authorities/coach_summary",
            context={
                "coach": coach,
                "summaries": summaries,
                "week": week,
                "week_year": week[:4],
                "week_number": int(week[6:]),
                "today": today,
                "ahead_until": today + SUMMARY_AHEAD,
                "consultations_since": today - SUMMARY_CONSULTATIONS,
            },
        )
    return sent
