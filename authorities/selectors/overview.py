"""The overview of all running change processes (project staff) and the key figures it shows, which
the funders' start page shows as well."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from authorities.models.process import (
    ChangeProcess,
    ChangeProcessQuerySet,
    Field,
    Measure,
    MeasureStatus,
    Milestone,
    Phase,
    ProcessStatus,
)
from authorities.models.registry import State
from authorities.selectors.process import (
    OPEN_MEASURE,
    authorities_per_phase,
    measures_by_field_and_status,
    milestones_reached_on_time,
    processes_started_and_completed,
)
from portal import facts
from portal.links import reverse_each


def overview_rows(
    filters: dict[str, Any] | None = None, *, today: date | None = None
) -> ChangeProcessQuerySet:
    """One row per running (active or paused) process, ordered by state and authority.

    `filters` may name `state` ("RP"/"NI"), `coach` (a user or their id) and `phase` (1–6). Each row
    is the ChangeProcess with authority and coach loaded and these counts annotated:
    `measures_<status>` per measure status, `measures_<field>` per field, `measures_total`,
    `measures_overdue` (open, due date passed), `milestones_total`, `milestones_reached`,
    `milestones_overdue` (not reached, due date passed). One query, whatever the number of rows.
    """
    today = today or timezone.localdate()
    rows = _running(filters)

    def measures(query: Q | None = None) -> Count:
        # distinct: measures and milestones are joined together, so rows repeat.
        return Count("measures", filter=_prefixed(query, "measures") if query else None, distinct=True)

    counts = {f"measures_{status}": measures(Q(status=status)) for status in MeasureStatus.values}
    counts |= {f"measures_{field}": measures(Q(field=field)) for field in Field.values}
    counts |= {
        "measures_total": measures(),
        "measures_overdue": measures(OPEN_MEASURE & Q(due_on__lt=today)),
        "milestones_total": Count("milestones", distinct=True),
        "milestones_reached": Count(
            "milestones", filter=Q(milestones__reached_on__isnull=False), distinct=True
        ),
        "milestones_overdue": Count(
            "milestones",
            filter=Q(milestones__reached_on__isnull=True, milestones__due_on__lt=today),
            distinct=True,
        ),
    }
    return rows.annotate(**counts)


def _running(filters: dict[str, Any] | None) -> ChangeProcessQuerySet:
    """The running processes the filters (state, coach, phase) choose, in the overview's order."""
    filters = filters or {}
    rows = ChangeProcess.objects.active().select_related("authority", "coach")
    if state := filters.get("state"):
        rows = rows.filter(authority__state=state)
    if coach := filters.get("coach"):
        rows = rows.filter(coach=coach)
    if phase := filters.get("phase"):
        rows = rows.filter(phase=phase)
    return rows.order_by("authority__state", "authority__name", "pk")


def _with_counts(rows: list[ChangeProcess], today: date) -> list[ChangeProcess]:
    """overview_rows' counts on `rows`, from two grouped queries (measures, milestones): the one query
    of overview_rows joins measures with milestones and counts nine times DISTINCT, which took longer to
    compile and run than the rest of the overview page (issue 18)."""
    zero = [f"measures_{status}" for status in MeasureStatus.values]
    zero += [f"measures_{field}" for field in Field.values]
    zero += ["measures_total", "measures_overdue"]
    zero += ["milestones_total", "milestones_reached", "milestones_overdue"]
    by_pk = {row.pk: row for row in rows}
    for row in rows:
        for name in zero:
            setattr(row, name, 0)
    measures = (
        Measure.objects.filter(process_id__in=by_pk)
        .values("process_id", "status", "field")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=OPEN_MEASURE & Q(due_on__lt=today)))
        .order_by()
    )
    for group in measures:
        row = by_pk[group["process_id"]]
        for name in (f"measures_{group['status']}", f"measures_{group['field']}", "measures_total"):
            setattr(row, name, getattr(row, name) + group["n"])
        row.measures_overdue += group["overdue"]  # type: ignore[attr-defined]
    milestones = (
        Milestone.objects.filter(process_id__in=by_pk)
        .values("process_id")
        .annotate(
            total=Count("pk"),
            reached=Count("pk", filter=Q(reached_on__isnull=False)),
            overdue=Count("pk", filter=Q(reached_on__isnull=True, due_on__lt=today)),
        )
        .order_by()
    )
    for counted in milestones:
        row = by_pk[counted["process_id"]]
        row.milestones_total = counted["total"]  # type: ignore[attr-defined]
        row.milestones_reached = counted["reached"]  # type: ignore[attr-defined]
        row.milestones_overdue = counted["overdue"]  # type: ignore[attr-defined]
    return rows


CELL = '<td class="kern-table__cell kern-table__cell--numeric">{}</td>'
BADGE = '<span class="kern-badge kern-badge--{}"><span class="kern-label kern-label--small">{}</span></span>'
# One row of the overview's table, the markup the template wrote per row (issue 18: 90 rows of
# 14 cells through the template engine were most of the page).
ROW = (
    '<tr class="kern-table__row">'
    '<th class="kern-table__cell" scope="row"><a class="kern-link" href="{url}">{name}</a></th>'
    '<td class="kern-table__cell">{state}</td>'
    '<td class="kern-table__cell">{phase}. {phase_label}{status}</td>'
    '<td class="kern-table__cell">{coach}</td>'
    "{counts}"
    '<td class="kern-table__cell kern-table__cell--numeric">{measures_overdue}</td>'
    '<td class="kern-table__cell kern-table__cell--numeric">{milestones}</td>'
    '<td class="kern-table__cell kern-table__cell--numeric">{milestones_overdue}</td>'
    "</tr>"
)
# What a row shows of its process, authority and coach (the export reads the whole rows).
SHOWN = (
    "authority_id", "phase", "status", "coach_id", "authority__name", "authority__state",
    "coach__first_name", "coach__last_name", "coach__email", "coach__erased_at",
)  # fmt: skip


def overview_table(filters: dict[str, Any] | None = None) -> list[ChangeProcess]:
    """overview_rows for the page, each row with what its cells show already as text, made once per
    request rather than by the template in each of the 90 rows × 14 cells (issue 18: 1,600 localised
    numbers, a `reverse()` and a translated label per row were most of the page's time):

    - `state_label`, `phase_label`: translated once per request;
    - `url`: the process page, from one `reverse()`;
    - `count_cells`: the measures per status and per field as the table's cells (`<td>`), in the
      order of its headers;
    - `milestones_label` ("3 von 5") and `measures_overdue_label`/`milestones_overdue_label`
      ("2 überfällig", empty when none), each message translated once;
    - `html`: the whole table row (`<tr>`) with all of these.
    Integers print as the template printed them (no thousands separator: USE_THOUSAND_SEPARATOR off).
    """
    states = {code: str(label) for code, label in State.choices}
    phases = {code: str(label) for code, label in Phase.choices}
    statuses = {code: str(label) for code, label in ProcessStatus.choices}
    columns = [f"measures_{status}" for status in MeasureStatus.values]
    columns += [f"measures_{field}" for field in Field.values]
    of = gettext("%(reached)s von %(total)s")
    overdue = {1: ngettext("%(counter)s überfällig", "%(counter)s überfällig", 1)}
    url = reverse_each("authorities:process", 2)
    rows = _with_counts(list(_running(filters).only(*SHOWN)), timezone.localdate())
    for row in rows:
        row.state_label = states[row.authority.state]  # type: ignore[attr-defined]
        row.phase_label = phases[row.phase]  # type: ignore[attr-defined]
        row.url = url(row.authority_id, row.pk)  # type: ignore[attr-defined]
        row.count_cells = format_html_join(  # type: ignore[attr-defined]
            "", CELL, ((getattr(row, column),) for column in columns)
        )
        row.milestones_label = of % {  # type: ignore[attr-defined]
            "reached": row.milestones_reached,  # type: ignore[attr-defined]
            "total": row.milestones_total,  # type: ignore[attr-defined]
        }
        for name in ("measures_overdue", "milestones_overdue"):
            n = getattr(row, name)
            if n and n not in overdue:
                overdue[n] = ngettext("%(counter)s überfällig", "%(counter)s überfällig", n)
            setattr(row, f"{name}_label", overdue[n] % {"counter": n} if n else "")
        row.html = format_html(  # type: ignore[attr-defined]
            ROW,
            url=row.url,  # type: ignore[attr-defined]
            name=row.authority.name,
            state=row.state_label,  # type: ignore[attr-defined]
            phase=row.phase,
            phase_label=row.phase_label,  # type: ignore[attr-defined]
            status=format_html(" " + BADGE, "warning", statuses[row.status])
            if row.status != ProcessStatus.ACTIVE
            else "",
            coach=str(row.coach),
            counts=row.count_cells,  # type: ignore[attr-defined]
            measures_overdue=_badge_or_zero(row.measures_overdue_label),  # type: ignore[attr-defined]
            milestones=row.milestones_label,  # type: ignore[attr-defined]
            milestones_overdue=_badge_or_zero(row.milestones_overdue_label),  # type: ignore[attr-defined]
        )
    return rows


def _badge_or_zero(label: str) -> SafeString | str:
    return format_html(BADGE, "danger", label) if label else "0"


@dataclass(frozen=True)
class OverviewPage:
    """What the overview shows under its filter form: the same for every project staff member."""

    count: int  # running processes the filters chose
    rows: SafeString  # the table's body: one <tr> per process
    figures: dict[str, object]  # process_figures for the chosen state


# Bump when OverviewPage or a row's markup changes: what the cache holds from before is then unread.
OVERVIEW_VERSION = 1
OVERVIEW_SECONDS = 24 * 60 * 60  # the key holds the day: nothing is read after it anyway


def overview_page(filters: dict[str, Any] | None = None) -> OverviewPage:
    """overview_table's rows and process_figures, kept in the cache (where settings.RUNNING_FIGURES_CACHE
    says it is shared by every process that writes) under the facts generation (portal/facts.py: every
    write to a model they read changes it, tests/authorities/test_overview_cache.py), the day (what is
    overdue, the year's figures), the language and the filters. At ten times the data the page took
    about 4x floor 2 to compute, which every project staff member asked for again and again."""
    filters = filters or {}
    if not settings.RUNNING_FIGURES_CACHE:
        return _overview_page(filters)
    coach = filters.get("coach")
    key = ":".join(
        str(part)
        for part in (
            "overview",
            OVERVIEW_VERSION,
            facts.generation(),
            timezone.localdate(),
            get_language(),
            filters.get("state") or "",
            getattr(coach, "pk", coach) or "",
            filters.get("phase") or "",
        )
    )
    page = cache.get(key)
    if page is None:
        page = _overview_page(filters)
        cache.set(key, page, OVERVIEW_SECONDS)
    return cast(OverviewPage, page)


def _overview_page(filters: dict[str, Any]) -> OverviewPage:
    rows = overview_table(filters)
    return OverviewPage(
        count=len(rows),
        rows=format_html_join("", "{}", ((row.html,) for row in rows)),  # type: ignore[attr-defined]
        figures=process_figures(state=filters.get("state")),
    )


def _prefixed(query: Q, prefix: str) -> Q:
    """The same conditions on a related model: Q(status="done") -> Q(measures__status="done")."""
    prefixed = Q(_connector=query.connector, _negated=query.negated)
    for child in query.children:
        if isinstance(child, Q):
            prefixed.children.append(_prefixed(child, prefix))
        else:
            key, value = cast(tuple[str, object], child)
            prefixed.children.append((f"{prefix}__{key}", value))
    return prefixed


def process_figures(*, state: str | None = None) -> dict[str, object]:
    """The key figures of the change processes, as the overview and the funders' start page show them."""
    today = timezone.localdate()
    return {
        "by_field": measures_by_field_and_status(state=state, running_only=True),
        "per_phase": authorities_per_phase(state=state),
        "milestones": milestones_reached_on_time(state=state),
        "year": today.year,
        "processes": processes_started_and_completed(
            state=state, date_from=date(today.year, 1, 1), date_to=today
        ),
    }
