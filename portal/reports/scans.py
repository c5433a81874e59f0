"""The reminder of a reporting deadline (reports.deadline) to every active member of the project staff,
and the hand-over again of report versions no worker finished (reports.stalled_versions).

Two mails per period: "14d" once the due date is 14 days or fewer away, "3d" once it is 3 days or
fewer away; nothing after the due date. The occasion names the reminder, and `notify` claims each mail,
so a second run sends nothing and a run that catches up after a pause sends the mail it missed once
(only the later one when the pause spans both).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.notifications.scans import scan
from portal.notifications.services import notify
from portal.reports.models import ReportingPeriod, ReportVersion, VersionStatus
from portal.reports.tasks import render_version

BERLIN = ZoneInfo("Europe/Berlin")
# (occasion, days before the due date from which it is sent), latest first.
DEADLINE_REMINDERS = [("3d", 3), ("14d", 14)]


def deadline_occasion(due_on: dt.date, today: dt.date) -> str | None:
    days_left = (due_on - today).days
    if days_left < 0:
        return None
    for occasion, days in DEADLINE_REMINDERS:
        if days_left <= days:
            return occasion
    return None


@scan("reports.deadline")
def deadline_reminders(now) -> int:
    today = timezone.localdate(now, BERLIN)
    horizon = max(days for _occasion, days in DEADLINE_REMINDERS)
    periods = ReportingPeriod.objects.filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=horizon)
    )
    if not periods:
        return 0
    staff = list(User.objects.filter(is_active=True, role=Role.PROJECT_STAFF).order_by("pk"))
    sent = 0
    for period in periods:
        occasion = deadline_occasion(period.due_on, today)
        if occasion is None:  # not for the due dates selected above; a wider horizon would need it
            continue
        for recipient in staff:
            sent += notify(
                recipient=recipient,
                kind="reports.deadline",
                obj=period,
                occasion=occasion,
                template="reports/deadline",
                context={"period": period, "days_left": (period.due_on - today).days},
            )
    return sent


# A version waits this long for a worker before it is handed over again (the broker was down when
# it was requested, or the worker died while rendering it).
STALLED_QUEUED = dt.timedelta(minutes=10)
STALLED_RUNNING = dt.timedelta(minutes=30)


@scan("reports.stalled_versions")
def stalled_versions(now) -> int:
    """Hand report versions that no worker finished to the broker again; rendering a version twice
    stores it once (documents.version_store)."""
    stalled = ReportVersion.objects.filter(
        Q(status=VersionStatus.QUEUED, requested_at__lte=now - STALLED_QUEUED)
        | Q(status=VersionStatus.RUNNING, requested_at__lte=now - STALLED_RUNNING)
    ).values_list("pk", flat=True)
    count = 0
    for version_id in stalled:
        render_version.delay_on_commit(version_id)
        count += 1
    return count
