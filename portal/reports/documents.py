"""The AMIF progress report as a PDF: what it shows and how it is put together, and the worker's
writes to the version it renders.

`render_report_pdf()` is used by the worker (portal/reports/tasks.py), by `manage.py amif_report`
and by the benchmark. It reads aggregated figures only: no name of a person is ever put into the
context, and people counts of 1 and 2 appear as "< 3" (see indicator_table). The number of
queries does not depend on the number of authorities, courses or meetings.

`version_progress/store/fail` are the task's side of a version (services.version_request is the
web's side): here rather than in services.py, because the service queues the task and the task
calls these; with both in services.py the two modules imported each other.
"""

import hashlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from authorities.models import (
    ChangeProcess,
    ParticipationStatus,
    Phase,
    ProcessStatus,
    ProcessStatusChange,
    State,
    StatusChange,
)
from authorities.models.survey import WaveKind
from authorities.selectors.assessment import format_score, self_check_change_by_dimension
from authorities.selectors.survey import survey_figures
from network.markdown import render_markdown
from network.models import Meeting
from portal.pdf import render_pdf
from portal.reports import charts
from portal.reports.computations import (
    during,
    held_courses,
    participating_authorities,
)
from portal.reports.finance.documents import finance_annex
from portal.reports.indicator_table import (
    CROSS_STATE_FOOTNOTE,
    FOOTNOTE,
    column_label,
    column_states,
    display,
    indicator_rows,
    interim_as_of,
)
from portal.reports.models import ProgressReport, ReportingPeriod, ReportVersion, VersionStatus
from portal.reports.target_charts import target_chart
from training.models import Course, CourseDate, EnrollmentStatus, OpenTo

# progress(percent, step): step is a key of portal.reports.models.VersionStep.
Progress = Callable[[int, str], None]

NARRATIVE_SECTIONS = (
    ("summary", "zusammenfassung"),
    ("activities", "aktivitaeten"),
    ("deviations", "abweichungen"),
    ("outlook", "ausblick"),
)


def _no_progress(percent: int, step: str) -> None:
    pass


# --- parts ----------------------------------------------------------------------------------------


def _indicator_tables(rows, state: str | None) -> list[dict]:
    """One table per column group (overall, Rhineland-Palatinate, Lower Saxony)."""
    tables = []
    for index, column_state in enumerate(column_states(state)):
        tables.append(
            {
                "id": f"indikatoren-{(column_state or 'gesamt').lower()}",
                "label": column_label(column_state),
                "rows": [
                    {
                        "code": row.indicator.code,
                        "name": row.name,
                        "unit": row.unit,
                        "amif": row.indicator.mapping_label(),
                        "cells": row.columns[index].cells,
                    }
                    for row in rows
                ],
            }
        )
    return tables


def _phase_chart(state: str | None, date_to: date) -> dict:
    """Change processes running at the end of the period, by their phase on that day (authorities,
    not people). `status_then`/`phase_then` come from `as_of`, in Q and F because the type checker's
    Django plugin does not see a queryset method's annotations."""
    processes = (
        ChangeProcess.objects.filter(started_on__lte=date_to)
        .as_of(date_to)
        .filter(Q(status_then__in=[ProcessStatus.ACTIVE, ProcessStatus.PAUSED]))
    )
    if state:
        processes = processes.filter(authority__state=state)
    counts = dict(processes.order_by().values_list(F("phase_then")).annotate(n=Count("pk")))
    title = _("Laufende Veränderungsprozesse nach Phase (%(column)s)") % {"column": column_label(state)}
    bars = [
        charts.Bar(f"{number}. {label}", counts.get(number, 0), display(counts.get(number, 0)))
        for number, label in Phase.choices
    ]
    return {
        "id": "grafik-phasen",
        "title": title,
        "drawing": charts.bar_chart(title=title, bars=bars),
        "header": [_("Phase"), _("Anzahl")],
        "rows": [{"label": bar.label, "cells": [bar.text]} for bar in bars],
    }


def _self_check_chart(state: str | None) -> dict:
    """The self-check's change per dimension across authorities: average of the baseline and of the
    latest follow-up over the processes that have both (authorities, not people)."""
    averages = self_check_change_by_dimension(state=state)
    title = _("Selbstcheck: Veränderung je Dimension (%(column)s)") % {"column": column_label(state)}
    bars = [
        charts.Bar(item.dimension, item.change, format_score(item.change, signed=True)) for item in averages
    ]
    return {
        "id": "grafik-selbstcheck",
        "title": title,
        "drawing": charts.bar_chart(title=title, bars=bars) if bars else None,
        "empty": _("Noch kein Veränderungsprozess hat eine Wiederholung des Selbstchecks."),
        "header": [_("Dimension"), _("Prozesse"), _("Ausgangswert"), _("Wiederholung"), _("Veränderung")],
        "rows": [
            {
                "label": item.dimension,
                "cells": [
                    display(item.processes),
                    format_score(item.baseline),
                    format_score(item.follow_up),
                    format_score(item.change, signed=True),
                ],
            }
            for item in averages
        ],
    }


def survey_sections(*, state: str | None, date_from: date, date_to: date) -> list[dict]:
    """The customer survey's before/after for the period: answers and the share rating the visit good
    or very good per kind of wave, and the authorities with both waves. Only waves with at least
    SURVEY_MIN_ANSWERS answers in the period count (survey_figures), so no cell rests on fewer."""
    figures = survey_figures(date_from=date_from, date_to=date_to, state=state)
    rows = [
        {"label": label, "answers": figures.answers[kind], "share": format_share(figures.share_good(kind))}
        for kind, label in WaveKind.choices
        if figures.answers.get(kind)
    ]
    html = render_to_string(
        "pdf/_survey_section.html",
        {"rows": rows, "both": figures.authorities_with_both, "minimum": settings.SURVEY_MIN_ANSWERS},
    )
    return [{"id": "kundenbefragung", "title": _("Kundenbefragung: vorher und nachher"), "html": html}]


def format_share(value: float) -> str:
    return number_format(value, decimal_pos=1) + " %"


def _authorities_annex(state: str | None, date_from: date, date_to: date) -> list[dict]:
    """Authorities that took part in the period (as the indicator counts them) with their status at
    its end and the phase of their latest process; authorities are institutions, so their names may
    appear."""
    # The latest process supported in the period (as the indicator counts them), with its status and
    # phase at the period's end.
    latest = (
        ChangeProcess.objects.filter(authority=OuterRef("pk"), started_on__lte=date_to)
        .exclude(pk__in=ProcessStatusChange.objects.aborted_throughout(date_from, date_to))
        .as_of(date_to)
        .order_by("-started_on", "-pk")
    )
    authorities = (
        participating_authorities(date_from, date_to, state)
        .annotate(
            status_then=Subquery(
                StatusChange.objects.filter(authority=OuterRef("pk"), day__lte=date_to)
                .order_by("-day", "-pk")
                .values("to_status")[:1]
            ),
            phase=Subquery(latest.values_list(F("phase_then"))[:1]),
            process_status=Subquery(latest.values_list(F("status_then"))[:1]),
        )
        .order_by("state", "name")
    )
    phases, statuses = dict(Phase.choices), dict(ProcessStatus.choices)
    return [
        {
            "name": authority.name,
            "state": authority.get_state_display(),
            "joined_on": authority.joined_on,
            "status": ParticipationStatus(authority.status_then).label,
            "phase": (
                f"{authority.phase}. {phases[authority.phase]}"
                + (
                    ""
                    if authority.process_status == ProcessStatus.ACTIVE
                    else f" ({statuses[authority.process_status]})"
                )
                if authority.phase
                else "–"
            ),
        }
        for authority in authorities.only("name", "state", "joined_on", "participation_status")
    ]


def _courses_annex(state: str | None, date_from: date, date_to: date) -> list[dict]:
    """Courses held in the period (as counted by the indicator) with the people marked present."""
    present = during("enrollments__attendances__course_date__starts_at", date_from, date_to) & Q(
        enrollments__status=EnrollmentStatus.CONFIRMED,
        enrollments__attendances__present=True,
    )
    if state:
        present &= Q(enrollments__participant__authority__state=state)
    ids = held_courses(date_from, date_to)
    if state:
        ids = ids.filter(open_to__in=[OpenTo.BOTH, state])
    courses = (
        Course.objects.filter(pk__in=ids.values("pk"))
        .annotate(
            people=Count("enrollments__participant", filter=present, distinct=True),
            first_date=Subquery(
                CourseDate.objects.filter(course=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1]
            ),
        )
        .select_related("topic")
        .only("title", "format", "topic__name")
        .order_by("title", "pk")
    )
    return [
        {
            "title": course.title,
            "topic": course.topic.name,
            "format": course.get_format_display(),
            "starts_on": timezone.localtime(course.first_date).date(),
            "people": display(course.people, people=True),
        }
        for course in cast(Iterable[Any], courses)  # annotated: first_date, people
    ]


def _meetings_annex(state: str | None, date_from: date, date_to: date) -> list[dict]:
    meetings = Meeting.objects.filter(during("starts_at", date_from, date_to))
    attended = Q(registrations__attended=True)
    if state:
        meetings = meetings.filter(network__members__state=state)
        attended &= Q(registrations__participant__authority__state=state)
    meetings = (
        Meeting.objects.filter(pk__in=meetings.values("pk"))
        .annotate(people=Count("registrations__participant", filter=attended, distinct=True))
        .select_related("network")
        .only("title", "starts_at", "kind", "network__name")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "network": meeting.network.name,
            "title": meeting.title,
            "starts_on": timezone.localtime(meeting.starts_at).date(),
            "kind": meeting.get_kind_display(),
            "people": display(meeting.people, people=True),
        }
        for meeting in cast(Iterable[Any], meetings)  # annotated: people
    ]


def _narrative(period: ReportingPeriod | None) -> list[dict]:
    report = ProgressReport.objects.filter(period=period).first() if period else None
    labels = {field.name: field.verbose_name for field in ProgressReport._meta.fields}
    return [
        {
            "id": anchor,
            "title": str(labels[name]),
            # The safe Markdown subset of the discussions: raw HTML stays text, images do not exist.
            "html": render_markdown(getattr(report, name))
            if report and getattr(report, name).strip()
            else "",
        }
        for name, anchor in NARRATIVE_SECTIONS
    ]


# --- the document ---------------------------------------------------------------------------------


def report_context(
    *,
    date_from: date,
    date_to: date,
    state: str | None = None,
    period: ReportingPeriod | None = None,
    progress: Progress = _no_progress,
) -> dict:
    progress(10, "indicators")
    rows = indicator_rows(date_from=date_from, date_to=date_to, state=state, mappings=True)
    progress(45, "annexes")
    kind = period.get_kind_display() if period else _("Sachstandsbericht")
    context = {
        "title": _("%(kind)s %(start)s bis %(end)s")
        % {
            "kind": kind,
            "start": date_format(date_from, "SHORT_DATE_FORMAT"),
            "end": date_format(date_to, "SHORT_DATE_FORMAT"),
        },
        "kind": kind,
        "period": period,
        "date_from": date_from,
        "date_to": date_to,
        "state": state,
        "state_label": State(state).label if state else _("Rheinland-Pfalz und Niedersachsen"),
        "tables": _indicator_tables(rows, state),
        "charts": [target_chart(rows, state), _phase_chart(state, date_to), _self_check_chart(state)],
        "chart_style": charts.HTML_STYLE,
        "survey": survey_sections(state=state, date_from=date_from, date_to=date_to),
        "narrative": _narrative(period),
        "authorities": _authorities_annex(state, date_from, date_to),
        "courses": _courses_annex(state, date_from, date_to),
        "meetings": _meetings_annex(state, date_from, date_to),
        "finance": finance_annex(period=period, date_from=date_from, date_to=date_to),
        "footnote": FOOTNOTE,
        "cross_state_footnote": CROSS_STATE_FOOTNOTE if any(row.cross_state for row in rows) else "",
        "generated_on": timezone.localdate(),
        "as_of": interim_as_of(date_to),
    }
    return context


def render_report_pdf(
    *,
    date_from: date,
    date_to: date,
    state: str | None = None,
    period: ReportingPeriod | None = None,
    progress: Progress = _no_progress,
) -> bytes:
    """The report in German (the funders' language), a tagged PDF/UA-1 document."""
    with translation.override("de"):
        context = report_context(
            date_from=date_from, date_to=date_to, state=state, period=period, progress=progress
        )
        progress(65, "typesetting")
        return render_pdf("pdf/progress_report.html", context)


def period_for(date_from: date, date_to: date) -> ReportingPeriod | None:
    """The reporting period with exactly these days, for the command line."""
    return ReportingPeriod.objects.filter(starts_on=date_from, ends_on=date_to).order_by("pk").first()


# --- the version the worker renders ---------------------------------------------------------------


def version_progress(*, version_id: int, percent: int, step: str) -> None:
    """Record the worker's progress (its own small write, so the page sees it at once)."""
    ReportVersion.objects.filter(
        pk=version_id, status__in=[VersionStatus.QUEUED, VersionStatus.RUNNING]
    ).update(status=VersionStatus.RUNNING, progress=percent, step=step)


def version_store(*, version_id: int, content: bytes, pages: int) -> bool:
    """Store the finished PDF once: a version that is already done keeps its file and checksum."""
    version = ReportVersion.objects.get(pk=version_id)
    if version.status == VersionStatus.DONE:
        return False
    name = version.file.storage.save(
        version.file.field.generate_filename(version, "bericht.pdf"), ContentFile(content)
    )
    with transaction.atomic():
        updated = (
            ReportVersion.objects.filter(pk=version_id)
            .exclude(status=VersionStatus.DONE)
            .update(
                status=VersionStatus.DONE,
                progress=100,
                step="",
                file=name,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                pages=pages,
                generated_at=timezone.now(),
                as_of=interim_as_of(version.period.ends_on),
                error="",
            )
        )
    if not updated:
        version.file.storage.delete(name)
    return bool(updated)


def version_fail(*, version_id: int, error: str) -> None:
    ReportVersion.objects.filter(pk=version_id).exclude(status=VersionStatus.DONE).update(
        status=VersionStatus.FAILED, step="", error=error[:2000]
    )
