"""Writing reporting periods, the narrative drafts of their progress reports and the versions of the
report PDF (project staff only)."""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.reports import tasks
from portal.reports.models import (
    FundingProject,
    Indicator,
    IndicatorMapping,
    ProgrammeIndicator,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportVersion,
    VersionStatus,
)
from portal.services import model_update

PERIOD_FIELDS = ("title", "kind", "starts_on", "ends_on", "due_on")
NARRATIVE_FIELDS = ("summary", "activities", "deviations", "outlook")
OVERLAP_CONSTRAINT = "reporting_period_no_overlap"  # migration 0007, PostgreSQL only


def _require_staff(by: User) -> None:
    if not by.is_project_staff:
        raise PermissionDenied


def _refuse_overlap(period: ReportingPeriod) -> None:
    """Two reports of the same kind never cover the same day of one project: the funder would read
    the same activities twice. Called under the lock of the project's row (when there is one), so
    two requests at once cannot both pass the check."""
    if period.project_id is not None:
        FundingProject.objects.select_for_update().filter(pk=period.project_id).first()
    overlapping = (
        ReportingPeriod.objects.filter(project=period.project_id, kind=period.kind)
        .filter(starts_on__lte=period.ends_on, ends_on__gte=period.starts_on)
        .exclude(pk=period.pk)
        .first()
    )
    if overlapping:
        raise ValidationError(
            {
                "starts_on": _(
                    "Der Zeitraum überschneidet sich mit „%(title)s“ (%(start)s–%(end)s). Zeiträume "
                    "derselben Art dürfen sich nicht überschneiden."
                )
                % {
                    "title": overlapping.title,
                    "start": f"{overlapping.starts_on:%d.%m.%Y}",
                    "end": f"{overlapping.ends_on:%d.%m.%Y}",
                }
            }
        )


@contextmanager
def _overlap_guard() -> Iterator[None]:
    """The database's own guard (PostgreSQL, migration 0007) fires only when two requests passed
    _refuse_overlap at the same moment: the same message at the field, not a server error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT not in str(error):
            raise
        raise ValidationError(
            {
                "starts_on": _(
                    "Gerade wurde ein Zeitraum derselben Art angelegt, der sich mit diesem überschneidet. "
                    "Bitte prüfen Sie die Berichtszeiträume."
                )
            }
        ) from error


@transaction.atomic
def period_create(
    *, by: User, title: str, kind: str, starts_on: dt.date, ends_on: dt.date, due_on: dt.date
) -> ReportingPeriod:
    _require_staff(by)
    period = ReportingPeriod(title=title, kind=kind, starts_on=starts_on, ends_on=ends_on, due_on=due_on)
    period.full_clean()
    _refuse_overlap(period)
    with _overlap_guard():
        period.save()
    return period


@transaction.atomic
def period_update(*, period: ReportingPeriod, by: User, **changes: Any) -> ReportingPeriod:
    _require_staff(by)
    values = {name: changes.get(name, getattr(period, name)) for name in PERIOD_FIELDS}
    _refuse_overlap(ReportingPeriod(pk=period.pk, project_id=period.project_id, **values))
    with _overlap_guard():
        model_update(instance=period, fields=list(PERIOD_FIELDS), data=changes)
    return period


@transaction.atomic
def period_delete(*, period: ReportingPeriod, by: User) -> None:
    """Delete a period created by mistake, with its narrative draft. A period with a generated
    report is kept: its versions are dated facts (a funder may hold one)."""
    _require_staff(by)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.versions.exists():
        raise ValidationError(
            _(
                "Der Berichtszeitraum „%(title)s“ hat bereits erzeugte Berichte und kann nicht "
                "gelöscht werden."
            )
            % {"title": period.title}
        )
    period.delete()


@transaction.atomic
def narrative_save_draft(*, period: ReportingPeriod, by: User, **sections: str) -> ProgressReport:
    """Save the narrative sections of the period's report as a draft; creates the report on first save."""
    _require_staff(by)
    report, _created = ProgressReport.objects.select_for_update().get_or_create(period=period)
    model_update(instance=report, fields=list(NARRATIVE_FIELDS), data=sections)
    # The page says who saved last and when ("zuletzt gespeichert"): a save counts, changed or not.
    report.status = ReportStatus.DRAFT
    report.updated_by = by
    report.save(update_fields=["status", "updated_by", "updated_at"])
    return report


@transaction.atomic
def report_generate(*, period: ReportingPeriod, by: User, state: str = "", **sections: str) -> ReportVersion:
    """ "Bericht erzeugen" on the narrative page: the sections on the page are saved as the draft
    first, in the same transaction, so the PDF holds what the page showed and nothing typed is lost."""
    narrative_save_draft(period=period, by=by, **sections)
    return version_request(period=period, by=by, state=state)


@transaction.atomic
def indicator_save(
    *,
    indicator: Indicator,
    by: User,
    programme_indicators: Iterable[ProgrammeIndicator] | None = None,
    mappings_checked: bool = False,
) -> Indicator:
    """Project staff correct an indicator's data (names, targets, frame, computation) and its mapping
    to the programme indicators: new mappings are proposals ("zu prüfen") until marked checked."""
    _require_staff(by)
    indicator.full_clean()
    indicator.save()
    if programme_indicators is not None:
        chosen = {item.pk for item in programme_indicators}
        indicator.mappings.exclude(programme_indicator__in=chosen).delete()
        existing = set(indicator.mappings.values_list("programme_indicator", flat=True))
        IndicatorMapping.objects.bulk_create(
            IndicatorMapping(indicator=indicator, programme_indicator_id=pk) for pk in chosen - existing
        )
    if mappings_checked:
        indicator.mappings.update(to_check=False)
    return indicator


# --- versions of the report PDF ---------------------------------------------------------------------


@transaction.atomic
def version_request(*, period: ReportingPeriod, by: User, state: str = "") -> ReportVersion:
    """Queue a new version of the period's report; the worker renders it (tasks.render_version).

    Versions are numbered per period; the period row is locked so that two requests at once get
    two numbers, never the same one."""
    _require_staff(by)
    ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    last = period.versions.aggregate(last=Max("number"))["last"] or 0
    version = ReportVersion.objects.create(period=period, number=last + 1, state=state, requested_by=by)
    tasks.render_version.delay_on_commit(version.pk)
    return version


@transaction.atomic
def version_release(*, version: ReportVersion, by: User, interim_confirmed: bool = False) -> ReportVersion:
    """Make a finished version visible to the funders. A deliberate second step: generating a
    version never releases it; an interim version (its period had not ended) needs a second
    confirmation, as the funders will read figures that can still grow."""
    _require_staff(by)
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DONE:
        raise ValidationError(_("Nur ein fertig erstellter Bericht kann freigegeben werden."))
    if version.interim and not interim_confirmed:
        raise ValidationError(
            {
                "interim_confirmed": _(
                    "Bitte bestätigen Sie, dass Sie einen vorläufigen Bericht freigeben: Der Zeitraum "
                    "war beim Erstellen noch nicht beendet."
                )
            }
        )
    if version.released_at is None:
        version.released_at = timezone.now()
        version.released_by = by
        version.save(update_fields=["released_at", "released_by"])
    return version


@transaction.atomic
def version_withdraw(*, version: ReportVersion, by: User, reason: str) -> ReportVersion:
    """Withdraw a released version: the funders see it as withdrawn, with the reason and the day; the
    file stays for the record (a correction is a new version)."""
    _require_staff(by)
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if not version.released:
        raise ValidationError(_("Nur eine freigegebene Version kann zurückgezogen werden."))
    if version.withdrawn:
        raise ValidationError(_("Diese Version ist bereits zurückgezogen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie den Grund der Rücknahme an.")})
    version.withdrawn_at = timezone.now()
    version.withdrawn_by = by
    version.withdrawal_reason = reason.strip()
    version.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return version
