"""The reports' section of project staff's start page (portal/start_sections.py): periods of the current
funding project (or of none) whose progress report is due within DUE_SOON_DAYS or overdue and has no
version released to the funders. Periods of earlier projects are history, not work."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import Role, User
from portal.reports.models import DUE_SOON_DAYS, ReportingPeriod, ReportVersion
from portal.start_sections import Shared, StartItem, StartLink, StartSection, start_section


@start_section(Role.PROJECT_STAFF, order=40)
def reports_due(user: User, now: datetime, shared: Shared) -> StartSection | None:
    today = timezone.localdate(now)
    released = ReportVersion.objects.filter(period=OuterRef("pk"), released_at__isnull=False)
    periods = (
        ReportingPeriod.objects.filter(due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .filter(Q(project__isnull=True) | Q(project__is_current=True))
        .exclude(Exists(released))
        .order_by("due_on", "pk")[:5]
    )
    items = [
        StartItem(
            title=period.title,
            url=period.get_absolute_url(),
            meta=_("%(kind)s, Abgabefrist %(date)s")
            % {"kind": period.get_kind_display(), "date": date_format(period.due_on, "SHORT_DATE_FORMAT")},
            badge=_("überfällig") if period.due_on < today else "",
        )
        for period in periods
    ]
    return StartSection(
        key="berichte",
        title=_("Fällige Berichte"),
        items=items,
        more=StartLink(_("Zu den Berichtszeiträumen"), reverse("reports:periods")) if items else None,
    )
