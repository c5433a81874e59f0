"""The overview of all running change processes (project staff) and the key figures it shows, which
the funders' start page shows as well."""

from datetime import date
from typing import Any, cast

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext

from authorities.models.process import ChangeProcess, ChangeProcessQuerySet, Field, MeasureStatus, Phase
from authorities.models.registry import State
from authorities.selectors.process import (
    OPEN_MEASURE,
    authorities_per_phase,
    measures_by_field_and_status,
    milestones_reached_on_time,
    processes_started_and_completed,
)
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
    filters = filters or {}
    today = today or timezone.localdate()
    rows = ChangeProcess.objects.active().select_related("authority", "coach")
    if state := filters.get("state"):
        rows = rows.filter(authority__state=state)
    if coach := filters.get("coach"):
        rows = rows.filter(coach=coach)
    if phase := filters.get("phase"):
        rows = rows.filter(phase=phase)

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
    return rows.annotate(**counts).order_by("authority__state", "authority__name", "pk")


CELL = '<td class="kern-table__cell kern-table__cell--numeric">{}</td>'


def overview_table(filters: dict[str, Any] | None = None) -> list[ChangeProcess]:
    """overview_rows for the page, each row with what its cells show already as text, made once per
    request rather than by the template in each of the 90 rows × 14 cells (issue 18: 1,600 localised
    numbers, a `reverse()` and a translated label per row were most of the page's time):

    - `state_label`, `phase_label`: translated once per request;
    - `url`: the process page, from one `reverse()`;
    - `count_cells`: the measures per status and per field as the table's cells (`<td>`), in the
      order of its headers;
    - `milestones_label` ("3 von 5") and `measures_overdue_label`/`milestones_overdue_label`
      ("2 überfällig", empty when none), each message translated once.
    Integers print as the template printed them (no thousands separator: USE_THOUSAND_SEPARATOR off).
    """
    states = {code: str(label) for code, label in State.choices}
    phases = {code: str(label) for code, label in Phase.choices}
    columns = [f"measures_{status}" for status in MeasureStatus.values]
    columns += [f"measures_{field}" for field in Field.values]
    of = gettext("%(reached)s von %(total)s")
    overdue = {1: ngettext("%(counter)s überfällig", "%(counter)s überfällig", 1)}
    url = reverse_each("authorities:process", 2)
    rows = list(overview_rows(filters))
    for row in rows:
        row.state_label = states[row.authority.state]  # type: ignore[attr-defined]
        row.phase_label = phases[row.phase]  # type: ignore[attr-defined]
        row.url = url(row.authority_id, row.pk)  # type: ignore[attr-defined]
        # The seven count cells as one piece of markup: 630 cells through the template engine were
        # a third of the page.
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
    return rows


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
